//! The JSON API of products: list (the page's filters), one, create, change, archive
//! or restore. Prices are decimal strings, never JSON numbers.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use wharf_core::products::{ProductInput, TierInput};

use super::list::{ListQuery, filter_of};
use crate::api::{JsonBody, body, created};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, AppError> {
    let list = state
        .store
        .list_products(req.actor()?, &filter_of(&q)?)
        .await?;
    Ok(Json(json!({
        "items": list.items,
        "total": list.total,
        "page": list.page,
        "per_page": list.per_page,
    })))
}

pub async fn get(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(
        state.store.get_product(req.actor()?, id).await?
    )))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierBody {
    currency: String,
    min_qty: String,
    unit_price: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductBody {
    #[serde(default)]
    type_id: Option<i64>,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    model: String,
    #[serde(default)]
    spec: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    hs_code: String,
    /// A decimal string.
    #[serde(default)]
    moq: String,
    #[serde(default)]
    lead_time_days: Option<i64>,
    #[serde(default)]
    description: String,
    #[serde(default = "yes")]
    active: bool,
    #[serde(default)]
    tiers: Vec<TierBody>,
}

fn yes() -> bool {
    true
}

impl From<ProductBody> for ProductInput {
    fn from(b: ProductBody) -> Self {
        ProductInput {
            type_id: b.type_id,
            name_en: b.name_en,
            name_zh: b.name_zh,
            model: b.model,
            spec: b.spec,
            unit: b.unit,
            hs_code: b.hs_code,
            moq: b.moq,
            lead_time_days: b.lead_time_days.map(|d| d.to_string()).unwrap_or_default(),
            description: b.description,
            active: b.active,
            tiers: b
                .tiers
                .into_iter()
                .map(|t| TierInput {
                    currency: t.currency,
                    min_qty: t.min_qty,
                    unit_price: t.unit_price,
                })
                .collect(),
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<ProductBody>,
) -> Result<Response, AppError> {
    let input: ProductInput = body(b)?.into();
    Ok(created(
        state.store.create_product(req.ctx()?, &input).await?,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<ProductBody>,
) -> Result<StatusCode, AppError> {
    let input: ProductInput = body(b)?.into();
    state.store.update_product(req.ctx()?, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActiveBody {
    active: bool,
}

/// `PUT /api/v1/products/{id}/active {"active": false}`: archive or restore.
pub async fn set_active(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<ActiveBody>,
) -> Result<StatusCode, AppError> {
    let active = body(b)?.active;
    state
        .store
        .set_product_active(req.ctx()?, id, active)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
