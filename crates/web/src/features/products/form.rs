//! The product form: new, edit, save (with its price tier rows), archive and restore.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use wharf_core::dict::DictKind;
use wharf_core::products::{MAX_TIERS, ProductInput, TierInput};
use wharf_store::products::Product;

use super::views::chinese;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, attach_errors, page};

/// Blank tier rows offered below the filled ones (more after a save).
const BLANK_TIERS: usize = 3;

#[derive(Serialize)]
struct ProductForm {
    action: String,
    cancel: String,
    fields: Vec<Field>,
    /// Each row: currency, from quantity, unit price.
    tiers: Vec<Vec<Field>>,
    form_error: Option<String>,
}

fn input_of(p: &Product) -> ProductInput {
    ProductInput {
        type_id: p.type_id,
        name_en: p.name_en.clone(),
        name_zh: p.name_zh.clone(),
        model: p.model.clone(),
        spec: p.spec.clone(),
        unit: p.unit.clone(),
        hs_code: p.hs_code.clone(),
        moq: p.moq.clone().unwrap_or_default(),
        lead_time_days: p.lead_time_days.map(|d| d.to_string()).unwrap_or_default(),
        description: p.description.clone(),
        active: p.active,
        tiers: p
            .tiers
            .iter()
            .map(|t| TierInput {
                currency: t.currency.code().into(),
                min_qty: t.min_qty.to_string(),
                unit_price: t.unit_price.to_string(),
            })
            .collect(),
    }
}

fn read_form(form: &FormData) -> Result<ProductInput, AppError> {
    let tiers = (0..MAX_TIERS + BLANK_TIERS)
        .map(|i| TierInput {
            currency: form.get(&format!("tier{i}_currency")),
            min_qty: form.get(&format!("tier{i}_min_qty")),
            unit_price: form.get(&format!("tier{i}_unit_price")),
        })
        .collect();
    Ok(ProductInput {
        type_id: form.id("type_id")?,
        name_en: form.get("name_en"),
        name_zh: form.get("name_zh"),
        model: form.get("model"),
        spec: form.get("spec"),
        unit: form.get("unit"),
        hs_code: form.get("hs_code"),
        moq: form.get("moq"),
        lead_time_days: form.get("lead_time_days"),
        description: form.get("description"),
        active: form.get("active") != "0",
        tiers,
    })
}

async fn show(
    state: &AppState,
    req: &Req,
    action: String,
    cancel: String,
    input: &ProductInput,
    err: Option<AppError>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let zh = chinese(req);
    let mut types = vec![(String::new(), req.t("none"))];
    types.extend(
        state
            .store
            .list_dict(actor, DictKind::ProductType)
            .await?
            .into_iter()
            .map(|d| (d.id.to_string(), if zh { d.name_zh } else { d.name_en })),
    );
    let type_value = input.type_id.map(|t| t.to_string()).unwrap_or_default();
    let mut fields = vec![
        Field::new(req, "name_zh", "text", &input.name_zh),
        Field::new(req, "name_en", "text", &input.name_en),
        Field::new(req, "model", "text", &input.model),
        {
            let mut f = Field::select(req, "type_id", &type_value, types);
            f.label = req.t("products.type");
            f
        },
        Field::new(req, "spec", "textarea", &input.spec),
        Field::new(req, "unit", "text", &input.unit),
        Field::new(req, "hs_code", "text", &input.hs_code),
        Field::new(req, "moq", "text", &input.moq),
        Field::new(req, "lead_time_days", "number", &input.lead_time_days),
        Field::new(req, "description", "textarea", &input.description),
        Field::select(
            req,
            "active",
            if input.active { "1" } else { "0" },
            vec![
                ("1".into(), req.t("products.status.active")),
                ("0".into(), req.t("products.status.archived")),
            ],
        ),
    ];
    let main_count = fields.len();
    let filled: Vec<&TierInput> = input
        .tiers
        .iter()
        .filter(|t| !(t.min_qty.trim().is_empty() && t.unit_price.trim().is_empty()))
        .collect();
    let rows = (filled.len() + BLANK_TIERS).min(MAX_TIERS + BLANK_TIERS);
    let currencies = crate::features::money::currency_options(req);
    let last_currency = filled
        .last()
        .map(|t| t.currency.clone())
        .unwrap_or_else(|| "USD".into());
    for i in 0..rows {
        let t = filled.get(i);
        let name = |part: &str| format!("tier{i}_{part}");
        let mut c = Field::select(
            req,
            "currency",
            t.map(|t| t.currency.as_str()).unwrap_or(&last_currency),
            currencies.clone(),
        );
        c.name = name("currency").into();
        let mut q = Field::new(
            req,
            "tier_min_qty",
            "text",
            t.map(|t| t.min_qty.as_str()).unwrap_or(""),
        );
        q.name = name("min_qty").into();
        let mut p = Field::new(
            req,
            "tier_unit_price",
            "text",
            t.map(|t| t.unit_price.as_str()).unwrap_or(""),
        );
        p.name = name("unit_price").into();
        fields.extend([c, q, p]);
    }
    let mut form_error = err.as_ref().map(|e| attach_errors(req, &mut fields, e));
    // The tier rows are below the fold: the summary says which row is wrong.
    if let Some(summary) = form_error.as_mut() {
        for (i, row) in fields[main_count..].chunks(3).enumerate() {
            if let Some(message) = row.iter().find_map(|f| f.error.clone()) {
                summary.push(' ');
                summary.push_str(&crate::i18n::t_with(
                    req.locale,
                    "products.tier_error",
                    &[("row", &(i + 1).to_string()), ("message", &message)],
                ));
            }
        }
    }
    let tiers = fields
        .split_off(main_count)
        .chunks(3)
        .map(<[Field]>::to_vec)
        .collect();
    let data = ProductForm {
        action,
        cancel,
        fields,
        tiers,
        form_error,
    };
    let title = req.t("products.form_title");
    let mut res = page(req, "products/form.html", "products", &title, data);
    if let Some(e) = err {
        *res.status_mut() = e.status();
    }
    Ok(res)
}

pub async fn new(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let blank = ProductInput {
        active: true,
        ..Default::default()
    };
    show(
        &state,
        &req,
        "/products".into(),
        "/products".into(),
        &blank,
        None,
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let input = read_form(&form)?;
    match state.store.create_product(req.ctx()?, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/products/{id}")).into_response()),
        Err(e) => {
            show(
                &state,
                &req,
                "/products".into(),
                "/products".into(),
                &input,
                Some(e.into()),
            )
            .await
        }
    }
}

pub async fn edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let p = state.store.get_product(req.actor()?, id).await?;
    let url = format!("/products/{id}");
    show(&state, &req, url.clone(), url, &input_of(&p), None).await
}

pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let input = read_form(&form)?;
    let url = format!("/products/{id}");
    match state.store.update_product(req.ctx()?, id, &input).await {
        Ok(()) => Ok(Redirect::to(&url).into_response()),
        Err(e) => show(&state, &req, url.clone(), url, &input, Some(e.into())).await,
    }
}

pub async fn archive(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let back = format!("/products/{id}");
    if let Some(ask) = crate::confirm::unless_confirmed(
        &req,
        &form,
        &format!("{back}/archive"),
        "products.confirm_archive",
        &back,
    ) {
        return Ok(ask);
    }
    state
        .store
        .set_product_active(req.ctx()?, id, false)
        .await?;
    Ok(Redirect::to(&format!("/products/{id}")).into_response())
}

pub async fn restore(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.set_product_active(req.ctx()?, id, true).await?;
    Ok(Redirect::to(&format!("/products/{id}")).into_response())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::render::tests::render_with;

    pub(crate) fn renders() {
        let f = |name: &'static str, kind: &'static str| Field {
            name: name.into(),
            label: name.into(),
            kind,
            value: "v".into(),
            options: Vec::new(),
            suggestions: Vec::new(),
            error: Some("bad".into()),
        };
        let html = render_with(
            "products/form.html",
            ProductForm {
                action: "/products".into(),
                cancel: "/products".into(),
                fields: vec![f("name_zh", "text"), f("type_id", "select")],
                tiers: vec![vec![
                    f("tier0_currency", "select"),
                    f("tier0_min_qty", "text"),
                    f("tier0_unit_price", "text"),
                ]],
                form_error: Some("bad".into()),
            },
        );
        assert!(html.contains(r#"name="tier0_unit_price""#) && html.contains("err-tier0_min_qty"));
    }
}
