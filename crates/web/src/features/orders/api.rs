//! The orders' JSON API: the list with the page's filters, one order, and a status move.
//! Amounts are exact decimals as strings with their currency; dates `YYYY-MM-DD`, times
//! Unix seconds.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use wharf_core::DomainError;
use wharf_core::orders::OrderStatus;
use wharf_core::zone::Day;
use wharf_store::orders::{OrderSummary, StatusChange};

use super::list::ListParams;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

fn summary(o: &OrderSummary) -> Value {
    json!({
        "id": o.id,
        "number": o.number,
        "customer_id": o.customer_id,
        "customer_name": o.customer_name,
        "seller_id": o.seller_id,
        "follower_id": o.follower_id,
        "status": o.status,
        "follow": o.follow,
        "total": { "amount": o.total.to_string(), "currency": o.currency },
        "ordered_on": o.ordered_on,
        "etd": o.etd,
        "eta": o.eta,
        "quote_id": o.quote_id,
        "opportunity_id": o.opportunity_id,
        "updated_at": o.updated_at,
    })
}

/// GET /api/v1/orders
pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let found = state.store.list_orders(req.actor()?, &p.query()?).await?;
    Ok(Json(json!({
        "items": found.items.iter().map(summary).collect::<Vec<_>>(),
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
    }))
    .into_response())
}

/// GET /api/v1/orders/{id}
pub async fn get(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let o = state.store.order(req.actor()?, id).await?;
    let mut body = serde_json::to_value(&o).map_err(|e| AppError::Internal(e.to_string()))?;
    body["order"] = summary(&o.summary);
    Ok(Json(body).into_response())
}

#[derive(Deserialize)]
pub struct StatusBody {
    pub to: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub delivered_on: String,
}

/// POST /api/v1/orders/{id}/status
pub async fn status(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Json(body): Json<StatusBody>,
) -> Result<Response, AppError> {
    let to = OrderStatus::from_code(body.to.trim())
        .ok_or_else(|| AppError::Domain(DomainError::field("to", "invalid_choice")))?;
    let delivered_on =
        match body.delivered_on.trim() {
            "" => None,
            text => Some(Day::parse_iso(text).ok_or_else(|| {
                AppError::Domain(DomainError::field("delivered_on", "invalid_date"))
            })?),
        };
    let revisit = state
        .store
        .set_order_status(
            req.ctx()?,
            id,
            StatusChange {
                to,
                note: body.note,
                delivered_on,
            },
        )
        .await?;
    Ok(Json(json!({ "status": to.code(), "revisit_on": revisit.map(Day::iso) })).into_response())
}
