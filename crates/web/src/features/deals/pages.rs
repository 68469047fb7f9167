//! The opportunity's pages: the new form from a customer, create, the page, edit and save,
//! and the page's (and the board's) stage move and status change. Without JavaScript a
//! refused save shows the form again with the errors beside their fields and everything
//! typed kept; a move asked for as JSON (the board's drag) answers JSON.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use wharf_core::DomainError;

use super::form::{Shown, edit_of, fields, lines_error};
use super::money_text::{amount, plain, price, rounded};
use super::status::{options, outcome_choices, outcome_label, status_choices, status_label};
use super::trail::opportunity_trail;
use super::views::{FormView, LineRow, ShowPage};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{SelectOption, attach_errors, page};

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    req: &Req,
    customer_id: i64,
    action: String,
    cancel: String,
    shown: &Shown,
    err: Option<AppError>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let d = state.store.get_customer(actor, customer_id).await?;
    let pipelines = state.store.opportunity_pipelines(actor).await?;
    let owners = state.store.owners_in_scope(actor).await?;
    let staff = state.store.active_staff(actor).await?;
    let mut shown = shown.clone();
    if shown.stage_id.is_empty()
        && let Some(s) = pipelines.first().and_then(|p| p.stages.first())
    {
        shown.stage_id = s.id.to_string();
    }
    let mut f = fields(req, &shown, &pipelines, &owners, &staff);
    let (form_error, lines_err) = match &err {
        Some(e) => {
            let rest = without_lines(e);
            (
                Some(attach_errors(req, &mut f, rest.as_ref().unwrap_or(e))),
                lines_error(req, e),
            )
        }
        None => (None, None),
    };
    let title = format!("{} · {}", d.customer.name, req.t("deal.title"));
    Ok(page(
        req,
        "deals/form.html",
        "sales",
        &title,
        FormView {
            action,
            cancel,
            customer: d.customer.name.clone(),
            fields: f,
            lines: shown.line_rows(),
            lines_error: lines_err,
            form_error,
        },
    ))
}

/// A refused save's field errors without the line errors (the lines table shows those,
/// with their names); `None` for any other error.
fn without_lines(e: &AppError) -> Option<AppError> {
    let AppError::Domain(DomainError::Invalid(errors)) = e else {
        return None;
    };
    let mut kept = wharf_core::validate::FieldErrors::default();
    for f in errors.0.iter().filter(|f| !f.field.starts_with("line")) {
        kept.add_owned(f.field.to_string(), f.code);
    }
    Some(AppError::Domain(DomainError::Invalid(kept)))
}

/// GET /customers/{id}/opportunities/new
pub async fn new_form(
    State(state): State<AppState>,
    req: Req,
    Path(customer_id): Path<i64>,
) -> Result<Response, AppError> {
    // Only for a customer one may change: the form would be refused on saving.
    let d = state.store.get_customer(req.actor()?, customer_id).await?;
    if !d.may_edit {
        return Err(AppError::Domain(DomainError::Denied));
    }
    form_page(
        &state,
        &req,
        customer_id,
        format!("/customers/{customer_id}/opportunities"),
        format!("/customers/{customer_id}"),
        &Shown::fresh(&req)?,
        None,
    )
    .await
}

/// POST /customers/{id}/opportunities
pub async fn create(
    State(state): State<AppState>,
    req: Req,
    Path(customer_id): Path<i64>,
    form_data: FormData,
) -> Result<Response, AppError> {
    let result = match edit_of(&form_data) {
        Ok(e) => state
            .store
            .create_opportunity(req.ctx()?, customer_id, e)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/opportunities/{id}")).into_response()),
        Err(e @ AppError::Domain(DomainError::Invalid(_) | DomainError::Refused { .. })) => {
            form_page(
                &state,
                &req,
                customer_id,
                format!("/customers/{customer_id}/opportunities"),
                format!("/customers/{customer_id}"),
                &Shown::of_form(&form_data),
                Some(e),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// GET /opportunities/{id}/edit
pub async fn edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let o = state.store.opportunity(req.actor()?, id).await?;
    if !o.may_change {
        return Err(AppError::Domain(DomainError::Denied));
    }
    form_page(
        &state,
        &req,
        o.customer_id,
        format!("/opportunities/{id}"),
        format!("/opportunities/{id}"),
        &Shown::of_opportunity(&o),
        None,
    )
    .await
}

/// POST /opportunities/{id}
pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form_data: FormData,
) -> Result<Response, AppError> {
    let o = state.store.opportunity(req.actor()?, id).await?;
    let result = match edit_of(&form_data) {
        Ok(e) => state
            .store
            .update_opportunity(req.ctx()?, id, e)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/opportunities/{id}")).into_response()),
        Err(e @ AppError::Domain(DomainError::Invalid(_) | DomainError::Refused { .. })) => {
            form_page(
                &state,
                &req,
                o.customer_id,
                format!("/opportunities/{id}"),
                format!("/opportunities/{id}"),
                &Shown::of_form(&form_data),
                Some(e),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// GET /opportunities/{id}
pub async fn show(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let o = state.store.opportunity(actor, id).await?;
    let pipelines = state.store.opportunity_pipelines(actor).await?;
    let stages = pipelines
        .iter()
        .find(|p| p.id == o.pipeline_id)
        .map(|p| {
            p.stages
                .iter()
                .map(|s| SelectOption {
                    value: s.id.to_string(),
                    label: s.label(req.locale.code()).to_string(),
                    on: s.id == o.stage_id,
                })
                .collect()
        })
        .unwrap_or_default();
    let line_total =
        |l: &wharf_store::deals::OpportunityLine| rounded(l.quantity * l.unit_price, &o.currency);
    let lines: Vec<LineRow> = o
        .lines
        .iter()
        .map(|l| LineRow {
            product_id: l.product_id.map(|p| p.to_string()).unwrap_or_default(),
            name: l.name.clone(),
            quantity: plain(l.quantity),
            unit: l.unit.clone(),
            unit_price: price(l.unit_price, &o.currency),
            total: amount(line_total(l), &o.currency),
        })
        .collect();
    let lines_total: wharf_core::money::Decimal = o.lines.iter().map(line_total).sum();
    let (log, records) = opportunity_trail(&state, &req, &o).await?;
    let rotting = o.status == "selling"
        && wharf_core::deals::is_rotting(o.activity_at, wharf_store::now(), o.rotting_days);
    let data = ShowPage {
        id,
        title: o.title.clone(),
        customer: o.customer_name.clone(),
        customer_href: format!("/customers/{}", o.customer_id),
        stage: o.stage_label(req.locale.code()).to_string(),
        status: status_label(&req, &o.status),
        status_code: o.status.clone(),
        outcome: o
            .outcome
            .as_deref()
            .map(|c| outcome_label(&req, c))
            .unwrap_or_default(),
        lost_reason: o.lost_reason.clone(),
        amount: amount(o.amount, &o.currency),
        amount_note: if o.amount_from_lines {
            req.t("deal.amount_from_lines")
        } else {
            String::new()
        },
        probability: o.probability,
        close_date: o.close_date.clone().unwrap_or_default(),
        next_revisit: o.next_revisit.clone().unwrap_or_default(),
        competitors: o.competitors.clone(),
        owner: crate::i18n::person(req.locale, &o.owner_name),
        collaborators: o
            .collaborators
            .iter()
            .map(|(_, n)| crate::i18n::person(req.locale, n))
            .collect::<Vec<_>>()
            .join(", "),
        rotting,
        lines_total: if lines.is_empty() {
            String::new()
        } else {
            amount(lines_total, &o.currency)
        },
        lines,
        may_change: o.may_change,
        stages,
        statuses: options(status_choices(&req), &o.status),
        outcomes: options(outcome_choices(&req), o.outcome.as_deref().unwrap_or("")),
        log,
        records,
    };
    Ok(page(&req, "deals/show.html", "sales", &o.title, data))
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// Where to go after a move or status change: `back` (a same-site path the form checked)
/// or the opportunity.
fn back_to(form: &FormData, id: i64) -> String {
    let back = form.get("back");
    if back.is_empty() {
        format!("/opportunities/{id}")
    } else {
        back
    }
}

/// POST /opportunities/{id}/stage (stage_id)
pub async fn move_stage(
    State(state): State<AppState>,
    req: Req,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let stage = form
        .id("stage_id")
        .map_err(|_| AppError::Domain(DomainError::field("stage_id", "invalid_choice")))?
        .ok_or_else(|| AppError::Domain(DomainError::field("stage_id", "required")))?;
    state.store.move_opportunity(req.ctx()?, id, stage).await?;
    if wants_json(&headers) {
        return Ok(Json(json!({ "ok": true })).into_response());
    }
    Ok(Redirect::to(&back_to(&form, id)).into_response())
}

/// POST /opportunities/{id}/status (status, outcome, lost_reason)
pub async fn set_status(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .set_opportunity_status(
            req.ctx()?,
            id,
            (
                &form.get("status"),
                &form.get("outcome"),
                &form.get("lost_reason"),
            ),
        )
        .await?;
    Ok(Redirect::to(&back_to(&form, id)).into_response())
}
