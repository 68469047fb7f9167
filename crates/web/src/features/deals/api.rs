//! The opportunities' JSON API: the list with the page's filters, create, one (read,
//! change), stage moves, status changes and the board's data with the pipeline value.
//! Amounts are decimal strings ("1234.50"), never floats; a number is read as written.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use wharf_core::DomainError;
use wharf_core::deals::{LineInput, OpportunityInput};
use wharf_store::deals::OpportunityEdit;

use super::board::read;
use super::params::{ListParams, query_of};
use super::value::value_view;
use crate::api::{JsonBody, body, created};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// A decimal sent as a string ("12.50") or a JSON number (12.5).
#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum Decimalish {
    Text(String),
    Number(serde_json::Number),
}

impl Decimalish {
    fn text(v: Option<Decimalish>) -> String {
        match v {
            None => String::new(),
            Some(Decimalish::Text(t)) => t,
            Some(Decimalish::Number(n)) => n.to_string(),
        }
    }
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct LineBody {
    #[serde(default)]
    product_id: Option<i64>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    quantity: Option<Decimalish>,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    unit_price: Option<Decimalish>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct DealBody {
    /// Required when creating; ignored when changing.
    #[serde(default)]
    customer_id: Option<i64>,
    title: String,
    #[serde(default)]
    lines: Vec<LineBody>,
    /// Left out: the lines' sum.
    #[serde(default)]
    amount: Option<Decimalish>,
    currency: String,
    #[serde(default)]
    stage_id: Option<i64>,
    /// selling (the default), paused or ended.
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    lost_reason: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    close_date: Option<String>,
    #[serde(default)]
    probability: Option<i64>,
    #[serde(default)]
    next_revisit: Option<String>,
    #[serde(default)]
    competitors: String,
    #[serde(default)]
    owner_id: Option<i64>,
    #[serde(default)]
    collaborators: Vec<i64>,
}

fn day(v: Option<String>, field: &'static str) -> Result<Option<wharf_core::zone::Day>, AppError> {
    crate::form::day_field(v.as_deref().unwrap_or(""), field, "invalid_date")
}

impl DealBody {
    fn into_edit(self) -> Result<(Option<i64>, OpportunityEdit), AppError> {
        if self.lines.len() > wharf_core::deals::MAX_LINES {
            return Err(AppError::Domain(DomainError::field(
                "lines",
                "too_many_lines",
            )));
        }
        let lines = self
            .lines
            .into_iter()
            .map(|l| LineInput {
                product_id: l.product_id,
                name: l.name,
                quantity: Decimalish::text(l.quantity),
                unit: l.unit,
                unit_price: Decimalish::text(l.unit_price),
            })
            .collect();
        Ok((
            self.customer_id,
            OpportunityEdit {
                input: OpportunityInput {
                    title: self.title,
                    lines,
                    amount: Decimalish::text(self.amount),
                    currency: self.currency,
                    close_date: day(self.close_date, "close_date")?,
                    probability: self.probability,
                    status: self.status.unwrap_or_else(|| "selling".into()),
                    outcome: self.outcome,
                    lost_reason: self.lost_reason,
                    next_revisit: day(self.next_revisit, "next_revisit")?,
                    competitors: self.competitors,
                },
                stage_id: self.stage_id,
                owner_id: self.owner_id,
                collaborators: self.collaborators,
            },
        ))
    }
}

/// GET /api/v1/opportunities
pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let q = query_of(&req, &p)?;
    let found = state.store.list_opportunities(req.actor()?, &q).await?;
    Ok(Json(json!({
        "total": found.total, "page": found.page, "per_page": found.per_page, "opportunities": found.items,
    }))
    .into_response())
}

/// POST /api/v1/opportunities
pub async fn create(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<DealBody>,
) -> Result<Response, AppError> {
    let (customer, edit) = body(b)?.into_edit()?;
    let customer =
        customer.ok_or_else(|| AppError::Domain(DomainError::field("customer_id", "required")))?;
    let id = state
        .store
        .create_opportunity(req.ctx()?, customer, edit)
        .await?;
    Ok(created(id))
}

/// GET /api/v1/opportunities/{id}
pub async fn get(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    Ok(Json(state.store.opportunity(req.actor()?, id).await?).into_response())
}

/// PUT /api/v1/opportunities/{id}
pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<DealBody>,
) -> Result<Response, AppError> {
    let (_, edit) = body(b)?.into_edit()?;
    state.store.update_opportunity(req.ctx()?, id, edit).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct StageBody {
    stage_id: i64,
}

/// POST /api/v1/opportunities/{id}/stage
pub async fn move_stage(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<StageBody>,
) -> Result<Response, AppError> {
    let b = body(b)?;
    state
        .store
        .move_opportunity(req.ctx()?, id, b.stage_id)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    status: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    lost_reason: String,
}

/// POST /api/v1/opportunities/{id}/status
pub async fn set_status(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<StatusBody>,
) -> Result<Response, AppError> {
    let b = body(b)?;
    state
        .store
        .set_opportunity_status(req.ctx()?, id, (&b.status, &b.outcome, &b.lost_reason))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// GET /api/v1/opportunities/board
pub async fn board(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let board = read(&state, &req, &p).await?;
    let (view, value) = value_view(&state, &req, &board.totals).await?;
    Ok(Json(json!({
        "pipeline": board.pipeline,
        "columns": board.columns,
        "totals": board.totals,
        "value": value,
        "value_day": view.day,
        "missing_rates": view.missing,
    }))
    .into_response())
}
