//! The quotes' JSON API: the list with the page's filters and one quote with its
//! versions and a version's lines. Amounts are exact decimals as strings with their
//! currency; dates `YYYY-MM-DD`, times Unix seconds.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use wharf_store::quotes::{QuoteDetail, QuoteSummary};

use super::list::ListParams;
use super::pages::VersionParam;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

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

fn detail(q: &QuoteDetail) -> Value {
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
                "amount": l.amount.to_string(),
            })
        })
        .collect();
    json!({
        "quote": summary(&q.summary),
        "versions": versions,
        "shown_version": q.shown.version,
        "lines": lines,
        "may_change": q.may_change,
        "may_approve": q.may_approve,
    })
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
    Ok(Json(detail(&q)).into_response())
}
