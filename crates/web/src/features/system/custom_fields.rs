//! System → customer fields (SPEC CUST-1): the fields an administrator adds to every
//! customer (text, number, date, a choice from a list), their order and whether a new
//! customer must have them. The customer form, list columns, query builder, import and
//! export pick them up.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::custom_field::{CustomField, CustomFieldInput, KINDS};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::system::admin_form::{show_form, subnav};
use crate::form::FormData;
use crate::render::{Field, ListPage, ListRow, page};

const BASE: &str = "/system/customer-fields";

fn kind_label(req: &Req, kind: &str) -> String {
    req.t(&format!("custom_field.kind.{kind}"))
}

pub async fn list(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let fields = state.store.custom_fields(req.actor()?).await?;
    let rows: Vec<ListRow> = fields
        .iter()
        .map(|f| ListRow {
            href: Some(format!("{BASE}/{}", f.id)),
            cells: vec![
                f.label.clone(),
                kind_label(&req, &f.kind),
                f.choices.join(" · "),
                req.t(if f.required {
                    "common.yes"
                } else {
                    "common.no"
                }),
                f.position.to_string(),
            ],
        })
        .collect();
    let columns = [
        "custom_field.label",
        "custom_field.kind",
        "custom_field.choices",
        "custom_field.required",
        "field.sort_order",
    ]
    .map(|k| req.t(k));
    Ok(page(
        &req,
        "shared/list.html",
        "system",
        &req.t("system.customer_fields"),
        ListPage {
            subnav: subnav(&req, "customer_fields"),
            columns: columns.into(),
            rows,
            new_href: Some(format!("{BASE}/new")),
            ..ListPage::default()
        },
    ))
}

fn fields(req: &Req, i: &CustomFieldInput, position: &str, kind_fixed: bool) -> Vec<Field> {
    let mut label = Field::new(req, "label", "text", &i.label);
    label.label = req.t("custom_field.label");
    let kinds: Vec<(String, String)> = KINDS
        .iter()
        .filter(|k| !kind_fixed || **k == i.kind)
        .map(|k| (k.to_string(), kind_label(req, k)))
        .collect();
    let mut kind = Field::select(req, "kind", &i.kind, kinds);
    kind.label = req.t("custom_field.kind");
    let mut choices = Field::new(req, "choices", "textarea", &i.choices);
    choices.label = req.t("custom_field.choices_help");
    let mut required = Field::new(
        req,
        "required",
        "checkbox",
        if i.required { "1" } else { "0" },
    );
    required.label = req.t("custom_field.required_help");
    vec![
        label,
        kind,
        choices,
        required,
        Field::new(req, "sort_order", "number", position),
    ]
}

fn input_of(form: &FormData) -> CustomFieldInput {
    CustomFieldInput {
        label: form.get("label"),
        kind: form.get("kind"),
        choices: form.get("choices"),
        required: form.flag("required"),
    }
}

pub async fn new(req: Req) -> Result<Response, AppError> {
    let input = CustomFieldInput {
        kind: "text".into(),
        ..Default::default()
    };
    Ok(show_form(
        &req,
        "customer_fields",
        req.t("custom_field.new"),
        BASE.into(),
        BASE.into(),
        fields(&req, &input, "", false),
        None,
        None,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let input = input_of(&form);
    match state
        .store
        .create_custom_field(req.ctx()?, input.clone())
        .await
    {
        Ok(_) => Ok(Redirect::to(BASE).into_response()),
        Err(e) => Ok(show_form(
            &req,
            "customer_fields",
            req.t("custom_field.new"),
            BASE.into(),
            BASE.into(),
            fields(&req, &input, &form.get("sort_order"), false),
            Some(e.into()),
            None,
        )),
    }
}

fn input_from(f: &CustomField) -> CustomFieldInput {
    CustomFieldInput {
        label: f.label.clone(),
        kind: f.kind.clone(),
        choices: f.choices.join("\n"),
        required: f.required,
    }
}

/// The title says how many customers have a value, which a delete would remove.
async fn edit_title(state: &AppState, req: &Req, f: &CustomField) -> Result<String, AppError> {
    let used = state.store.custom_field_usage(f.id).await?;
    Ok(crate::i18n::t_n(req.locale, "custom_field.edit_title", used).replace("{label}", &f.label))
}

pub async fn edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let f = state.store.get_custom_field(req.actor()?, id).await?;
    let used = state.store.custom_field_usage(id).await? > 0;
    let url = format!("{BASE}/{id}");
    Ok(show_form(
        &req,
        "customer_fields",
        edit_title(&state, &req, &f).await?,
        url.clone(),
        BASE.into(),
        fields(&req, &input_from(&f), &f.position.to_string(), used),
        None,
        Some(format!("{url}/delete")),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let f = state.store.get_custom_field(req.actor()?, id).await?;
    let input = input_of(&form);
    let position = form.get("sort_order").trim().parse().unwrap_or(f.position);
    match state
        .store
        .update_custom_field(req.ctx()?, id, input.clone(), position)
        .await
    {
        Ok(()) => Ok(Redirect::to(BASE).into_response()),
        Err(e) => Ok(show_form(
            &req,
            "customer_fields",
            edit_title(&state, &req, &f).await?,
            format!("{BASE}/{id}"),
            BASE.into(),
            fields(&req, &input, &form.get("sort_order"), false),
            Some(e.into()),
            Some(format!("{BASE}/{id}/delete")),
        )),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_custom_field(req.ctx()?, id).await?;
    Ok(Redirect::to(BASE).into_response())
}
