//! The JSON API of exchange rates: list, one, the rate of a day, add, change, delete.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use wharf_core::DomainError;
use wharf_core::money::{Currency, RateInput};
use wharf_core::zone::Day;
use wharf_store::money::RateFilter;

use crate::api::{JsonBody, body, created};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    per_page: Option<i64>,
}

fn currency_param(code: &str) -> Result<Currency, AppError> {
    Currency::from_code(code)
        .map_err(|e| AppError::Domain(DomainError::field("currency", e.code())))
}

pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ListParams>,
) -> Result<Json<Value>, AppError> {
    let currency = p.currency.as_deref().map(currency_param).transpose()?;
    let filter = RateFilter {
        currency,
        page: p.page.unwrap_or(1),
        per_page: p.per_page.unwrap_or(50),
    };
    let actor = req.actor()?;
    let list = state.store.list_rates(actor, &filter).await?;
    Ok(Json(json!({
        "base": state.store.base_currency(actor).await?,
        "items": list.items,
        "total": list.total,
        "page": list.page,
        "per_page": list.per_page,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnParams {
    currency: String,
    /// YYYY-MM-DD; today in the company's zone when absent.
    #[serde(default)]
    day: Option<String>,
}

/// `GET /api/v1/exchange-rates/on?currency=USD&day=2026-12-01`: the rate used that day.
pub async fn on(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<OnParams>,
) -> Result<Json<Value>, AppError> {
    let currency = currency_param(&p.currency)?;
    let day = match p.day.as_deref() {
        Some(d) => Day::parse_iso(d)
            .ok_or_else(|| AppError::Domain(DomainError::field("day", "invalid_date")))?,
        None => req.today()?,
    };
    let rate = state.store.rate_on(req.actor()?, day, currency).await?;
    Ok(Json(json!({
        "currency": rate.currency,
        "base": rate.base,
        "per_unit": rate.per_unit.to_string(),
        "day": rate.day.iso(),
        "asked_for": day.iso(),
    })))
}

pub async fn get(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(state.store.get_rate(req.actor()?, id).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateBody {
    currency: String,
    day: String,
    /// A decimal string ("7.1234"); a JSON number is refused, as it may have passed
    /// through a float.
    per_unit: String,
    #[serde(default)]
    note: String,
}

impl From<RateBody> for RateInput {
    fn from(b: RateBody) -> Self {
        RateInput {
            currency: b.currency,
            day: b.day,
            per_unit: b.per_unit,
            note: b.note,
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<RateBody>,
) -> Result<Response, AppError> {
    let input: RateInput = body(b)?.into();
    let id = state
        .store
        .create_rate(req.ctx()?, &input, req.today()?)
        .await?;
    Ok(created(id))
}

pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<RateBody>,
) -> Result<StatusCode, AppError> {
    let input: RateInput = body(b)?.into();
    state
        .store
        .update_rate(req.ctx()?, id, &input, req.today()?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state.store.delete_rate(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
