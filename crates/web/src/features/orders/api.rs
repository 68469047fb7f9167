//! The orders' JSON API: the list with the page's filters, one order, creating and
//! changing one (through the form's own checks), and a status move.
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
use crate::form::{FormData, json_text};

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

/// An order's JSON body as the form's fields, so the API and the page check alike:
/// `customer_id`, `quote_id`, `opportunity_id`, `currency`, `seller_id`, `follower_id`,
/// `ordered_on`, `payment_terms`, `port_loading`, `port_destination`, `etd`, `eta`,
/// `carrier`, `bl_number`, `containers`, `notes`, `deposit` and `balance` (each
/// `{amount, due_on, received_on}`), `lines` (`{name, model, quantity, unit, unit_price,
/// discount, product_id, description}`; at most 300 are read).
fn form_of(body: &Value) -> Result<FormData, AppError> {
    let Some(obj) = body.as_object() else {
        return Err(AppError::Domain(DomainError::field(
            "body",
            "invalid_choice",
        )));
    };
    let mut pairs = Vec::new();
    for (field, key) in [
        ("customer_id", "customer"),
        ("quote_id", "quote"),
        ("opportunity_id", "opportunity"),
        ("currency", "currency"),
        ("seller_id", "seller_id"),
        ("follower_id", "follower_id"),
        ("ordered_on", "ordered_on"),
        ("payment_terms", "payment_terms"),
        ("port_loading", "port_loading"),
        ("port_destination", "port_destination"),
        ("etd", "etd"),
        ("eta", "eta"),
        ("carrier", "carrier"),
        ("bl_number", "bl_number"),
        ("containers", "containers"),
        ("notes", "notes"),
    ] {
        pairs.push((key.to_owned(), json_text(obj.get(field))));
    }
    for kind in ["deposit", "balance"] {
        let p = obj.get(kind);
        for (part, suffix) in [
            ("amount", ""),
            ("due_on", "_due"),
            ("received_on", "_received"),
        ] {
            pairs.push((
                format!("{kind}{suffix}"),
                json_text(p.and_then(|p| p.get(part))),
            ));
        }
    }
    let lines = obj.get("lines").and_then(Value::as_array);
    for line in lines
        .into_iter()
        .flatten()
        .take(wharf_core::orders::MAX_LINES + 1)
    {
        for (part, key) in [
            ("name", "line_name"),
            ("model", "line_model"),
            ("quantity", "line_quantity"),
            ("unit", "line_unit"),
            ("unit_price", "line_price"),
            ("discount", "line_discount"),
            ("product_id", "line_product"),
            ("description", "line_description"),
        ] {
            pairs.push((key.to_owned(), json_text(line.get(part))));
        }
    }
    FormData::of_pairs(pairs)
}

/// POST /api/v1/orders: a new order (from `quote_id`'s lines when given); answers
/// `201 {"id": …}` or 422 with the field errors.
pub async fn create(
    State(state): State<AppState>,
    req: Req,
    Json(body): Json<Value>,
) -> Result<Response, AppError> {
    let form = form_of(&body)?;
    let t = super::form::typed(&form);
    let id = super::form::save_new(&state, &req, &form, &t).await?;
    Ok((axum::http::StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// PUT /api/v1/orders/{id}: the whole order again (people, payments, shipping, notes,
/// lines); its currency, rate, quote and opportunity stay.
pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Json(body): Json<Value>,
) -> Result<Response, AppError> {
    let o = state.store.order(req.actor()?, id).await?;
    let form = form_of(&body)?;
    let mut t = super::form::typed(&form);
    t.edit_id = Some(id);
    super::edit::save_change(&state, &req, &o, &form, &t).await?;
    Ok(Json(json!({ "id": id })).into_response())
}
