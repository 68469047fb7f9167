//! The quotes' JSON API: the list with the page's filters, one quote with its versions
//! and a version's lines, creating and changing one (through the editor's own checks),
//! submitting and deciding. Amounts are exact decimals as strings with their currency;
//! dates `YYYY-MM-DD`, times Unix seconds.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use wharf_core::DomainError;
use wharf_core::money::round_to_minor;
use wharf_store::quotes::{QuoteDetail, QuoteSummary};

use super::form::Typed;
use super::list::ListParams;
use super::pages::VersionParam;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::{FormData, json_text};

fn summary(q: &QuoteSummary) -> Value {
    json!({
        "id": q.id,
        "number": q.number,
        "version": q.version,
        "customer_id": q.customer_id,
        "customer_name": q.customer_name,
        "owner_id": q.owner_id,
        "owner_name": q.owner_name,
        "status": q.status,
        "total": { "amount": q.total.to_string(), "currency": q.currency },
        "max_discount": q.max_discount.to_string(),
        "quote_date": q.quote_date,
        "valid_until": q.valid_until,
        "updated_at": q.updated_at,
    })
}

fn detail(q: &QuoteDetail) -> Result<Value, AppError> {
    // A line's amount with the currency's minor units, as the total has them (core
    // rounds it to them but keeps a shorter scale: 1187.5).
    let currency = super::pages::currency_of(&q.shown.currency)?;
    let versions: Vec<Value> = q
        .versions
        .iter()
        .map(|v| {
            json!({
                "version": v.version,
                "status": v.status,
                "contact_id": v.contact_id,
                "opportunity_id": v.opportunity_id,
                "currency": v.currency,
                "rate": { "per_unit": v.rate.to_string(), "base": v.rate_base, "day": v.rate_on },
                "incoterm": v.incoterm,
                "port_loading": v.port_loading,
                "port_destination": v.port_destination,
                "payment_terms": v.payment_terms,
                "quote_date": v.quote_date,
                "valid_until": v.valid_until,
                "notes": v.notes,
                "total": { "amount": v.total.to_string(), "currency": v.currency },
                "max_discount": v.max_discount.to_string(),
                "submitted_at": v.submitted_at,
                "decided_at": v.decided_at,
                "decline_reason": v.decline_reason,
                "sent_at": v.sent_at,
            })
        })
        .collect();
    let lines: Vec<Value> = q
        .lines
        .iter()
        .map(|l| {
            json!({
                "kind": l.kind,
                "product_id": l.product_id,
                "name": l.name,
                "model": l.model,
                "unit": l.unit,
                "description": l.description,
                "quantity": l.quantity.to_string(),
                "unit_price": l.unit_price.to_string(),
                "discount": l.discount.to_string(),
                "amount": round_to_minor(l.amount, currency).to_string(),
            })
        })
        .collect();
    Ok(json!({
        "quote": summary(&q.summary),
        "versions": versions,
        "shown_version": q.shown.version,
        "lines": lines,
        "may_change": q.may_change,
        "may_approve": q.may_approve,
    }))
}

/// GET /api/v1/quotes
pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let found = state.store.list_quotes(req.actor()?, &p.query()?).await?;
    Ok(Json(json!({
        "items": found.items.iter().map(summary).collect::<Vec<_>>(),
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
    }))
    .into_response())
}

/// GET /api/v1/quotes/{id}
pub async fn get(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(p): Query<VersionParam>,
) -> Result<Response, AppError> {
    let q = state.store.quote(req.actor()?, id, p.version()?).await?;
    Ok(Json(detail(&q)?).into_response())
}

/// A quote's JSON body as the editor's fields, so the API and the page check alike:
/// `contact_id`, `opportunity_id`, `currency`, `incoterm`, `port_loading`,
/// `port_destination`, `payment_terms`, `valid_until`, `notes`, and `lines`
/// (`{kind: item|group, name, model, description, quantity, unit, unit_price, discount,
/// product_id}`; at most one past the limit is read, an all-blank line is skipped as the
/// editor's blank rows are, and errors name `lineN_<column>` counting the lines kept).
fn form_of(body: &Value) -> Result<FormData, AppError> {
    let Some(obj) = body.as_object() else {
        return Err(AppError::Domain(DomainError::field(
            "body",
            "invalid_choice",
        )));
    };
    let mut pairs = Vec::new();
    for field in [
        "contact_id",
        "opportunity_id",
        "currency",
        "incoterm",
        "port_loading",
        "port_destination",
        "payment_terms",
        "valid_until",
        "notes",
    ] {
        pairs.push((field.to_owned(), json_text(obj.get(field))));
    }
    let lines = obj.get("lines").and_then(Value::as_array);
    for line in lines
        .into_iter()
        .flatten()
        .take(wharf_core::quotes::MAX_LINES + 1)
    {
        for (part, column) in [
            ("kind", "kind"),
            ("product_id", "product"),
            ("name", "name"),
            ("model", "model"),
            ("unit", "unit"),
            ("description", "description"),
            ("quantity", "quantity"),
            ("unit_price", "unit_price"),
            ("discount", "discount"),
        ] {
            pairs.push((format!("line_{column}"), json_text(line.get(part))));
        }
    }
    FormData::of_pairs(pairs)
}

/// The body's `customer_id`, when it holds one: a positive whole number, else the
/// field's error.
fn customer_of(body: &Value) -> Result<Option<i64>, AppError> {
    match json_text(body.get("customer_id")).trim() {
        "" => Ok(None),
        text => text
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(Some)
            .ok_or_else(|| AppError::Domain(DomainError::field("customer_id", "invalid_choice"))),
    }
}

/// POST /api/v1/quotes: a new quote (v1, a draft) for `customer_id`; answers
/// `201 {"id": …, "version": 1}` or 422 with the field errors.
pub async fn create(
    State(state): State<AppState>,
    req: Req,
    Json(body): Json<Value>,
) -> Result<Response, AppError> {
    let customer_id = customer_of(&body)?
        .ok_or_else(|| AppError::Domain(DomainError::field("customer_id", "required")))?;
    let customer = state.store.get_customer(req.actor()?, customer_id).await?;
    let typed = Typed::of_form(&form_of(&body)?);
    let saved = super::editor::save_new(&state, &req, &customer, &typed).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": saved.quote_id, "version": saved.version })),
    )
        .into_response())
}

/// PUT /api/v1/quotes/{id}: the whole current version again (header and lines), as the
/// editor saves it: a draft changes in place, an approved or sent one becomes the next
/// version; one waiting for approval is refused. Its customer stays.
pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> Result<Response, AppError> {
    let q = state.store.quote(req.actor()?, id, None).await?;
    if customer_of(&body)?.is_some_and(|c| c != q.summary.customer_id) {
        return Err(AppError::Domain(DomainError::field(
            "customer_id",
            "invalid_choice",
        )));
    }
    let typed = Typed::of_form(&form_of(&body)?);
    let saved = super::editor::save_change(&state, &req, &q, &typed).await?;
    Ok(Json(json!({ "id": saved.quote_id, "version": saved.version })).into_response())
}

/// POST /api/v1/quotes/{id}/submit: the draft submitted as the page's button does;
/// answers the status it reached (approved, or awaiting_approval above the threshold).
pub async fn submit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let status = state.store.submit_quote(req.ctx()?, id).await?;
    Ok(Json(json!({ "id": id, "status": status.code() })).into_response())
}

#[derive(Deserialize)]
pub struct DecideBody {
    pub approve: bool,
    #[serde(default)]
    pub reason: String,
}

/// POST /api/v1/quotes/{id}/decide: `{"approve": true|false, "reason": …}` (a reason is
/// required to decline), as the manager's buttons decide.
pub async fn decide(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Json(body): Json<DecideBody>,
) -> Result<Response, AppError> {
    crate::form::refuse_controls("reason", &body.reason)?;
    let status = state
        .store
        .decide_quote(req.ctx()?, id, body.approve, &body.reason)
        .await?;
    Ok(Json(json!({ "id": id, "status": status.code() })).into_response())
}
