//! Competitor pages: the list with search (everyone with `customers`), the form and
//! delete (holders of `sales_kit`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::Permission;
use wharf_core::dict::DictKind;
use wharf_core::sales_kit::CompetitorInput;

use super::scripts::Search;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, FormPage, ListPage, ListRow, SearchBox, form, page, pick};

pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(s): Query<Search>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let q: String = s.q.chars().take(200).collect();
    let manage = actor.has(Permission::SalesKit);
    let rows = state
        .store
        .list_competitors(actor, &q)
        .await?
        .into_iter()
        .map(|k| ListRow {
            href: manage.then(|| format!("/sales/competitors/{}/edit", k.id)),
            cells: vec![
                k.name,
                k.website,
                k.country_zh
                    .zip(k.country_en)
                    .map(|(zh, en)| pick(req.locale, &zh, &en))
                    .unwrap_or_default(),
                k.products,
                k.strengths,
                k.weaknesses,
                k.customers.to_string(),
            ],
        })
        .collect();
    let data = ListPage {
        columns: [
            "field.name",
            "field.website",
            "field.country_id",
            "kit.products",
            "kit.strengths",
            "kit.weaknesses",
            "kit.customers",
        ]
        .iter()
        .map(|k| req.t(k))
        .collect(),
        rows,
        subnav: super::tabs(&req, "competitors"),
        search: vec![SearchBox {
            name: "q",
            label: req.t("kit.search_competitors"),
            value: q,
            kind: Some("search"),
        }],
        new_href: manage.then(|| "/sales/competitors/new".into()),
        pager: None,
    };
    Ok(page(
        &req,
        "shared/list.html",
        "sales",
        &req.t("kit.competitors"),
        data,
    ))
}

fn input_of(form: &FormData) -> Result<CompetitorInput, AppError> {
    Ok(CompetitorInput {
        name: form.get("name"),
        website: form.get("website"),
        country_id: form.id("country_id")?,
        products: form.get("products"),
        strengths: form.get("strengths"),
        weaknesses: form.get("weaknesses"),
        notes: form.get("notes"),
    })
}

async fn show(
    state: &AppState,
    req: &Req,
    action: String,
    input: &CompetitorInput,
    delete: Option<String>,
    err: Option<AppError>,
) -> Result<Response, AppError> {
    let mut countries = vec![(String::new(), req.t("none"))];
    countries.extend(
        state
            .store
            .list_dict(req.actor()?, DictKind::Country)
            .await?
            .into_iter()
            .map(|d| (d.id.to_string(), pick(req.locale, &d.name_zh, &d.name_en))),
    );
    let country = input.country_id.map(|c| c.to_string()).unwrap_or_default();
    let text = |name: &'static str, kind: &'static str, value: &str| {
        let mut f = Field::new(req, name, kind, value);
        if matches!(name, "products" | "strengths" | "weaknesses") {
            f.label = req.t(&format!("kit.{name}"));
        }
        f
    };
    let data = FormPage {
        action,
        fields: vec![
            text("name", "text", &input.name),
            text("website", "text", &input.website),
            Field::select(req, "country_id", &country, countries),
            text("products", "textarea", &input.products),
            text("strengths", "textarea", &input.strengths),
            text("weaknesses", "textarea", &input.weaknesses),
            text("notes", "textarea", &input.notes),
        ],
        cancel: Some("/sales/competitors".into()),
        delete_action: delete,
        subnav: super::tabs(req, "competitors"),
        ..FormPage::default()
    };
    Ok(form(req, "sales", &req.t("kit.competitor"), data, err))
}

pub async fn new(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    show(
        &state,
        &req,
        "/sales/competitors".into(),
        &CompetitorInput::default(),
        None,
        None,
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    req: Req,
    form_data: FormData,
) -> Result<Response, AppError> {
    let input = input_of(&form_data)?;
    match state.store.create_competitor(req.ctx()?, &input).await {
        Ok(_) => Ok(Redirect::to("/sales/competitors").into_response()),
        Err(e) => match AppError::from(e) {
            e @ AppError::Domain(wharf_core::DomainError::Invalid(_)) => {
                show(
                    &state,
                    &req,
                    "/sales/competitors".into(),
                    &input,
                    None,
                    Some(e),
                )
                .await
            }
            e => Err(e),
        },
    }
}

pub async fn edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let k = state.store.get_competitor(req.actor()?, id).await?;
    let input = CompetitorInput {
        name: k.name,
        website: k.website,
        country_id: k.country_id,
        products: k.products,
        strengths: k.strengths,
        weaknesses: k.weaknesses,
        notes: k.notes,
    };
    show(
        &state,
        &req,
        format!("/sales/competitors/{id}"),
        &input,
        Some(format!("/sales/competitors/{id}/delete")),
        None,
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form_data: FormData,
) -> Result<Response, AppError> {
    let input = input_of(&form_data)?;
    match state.store.update_competitor(req.ctx()?, id, &input).await {
        Ok(()) => Ok(Redirect::to("/sales/competitors").into_response()),
        Err(e) => match AppError::from(e) {
            e @ AppError::Domain(wharf_core::DomainError::Invalid(_)) => {
                show(
                    &state,
                    &req,
                    format!("/sales/competitors/{id}"),
                    &input,
                    Some(format!("/sales/competitors/{id}/delete")),
                    Some(e),
                )
                .await
            }
            e => Err(e),
        },
    }
}

pub async fn delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form_data: FormData,
) -> Result<Response, AppError> {
    let action = format!("/sales/competitors/{id}/delete");
    if let Some(ask) = crate::confirm::unless_confirmed(
        &req,
        &form_data,
        &action,
        "action.confirm_delete",
        "/sales/competitors",
    ) {
        return Ok(ask);
    }
    state.store.delete_competitor(req.ctx()?, id).await?;
    Ok(Redirect::to("/sales/competitors").into_response())
}
