//! The records' JSON API: a customer's records (list, add), the records list with the
//! page's filters, one record (read, change, delete). Times are Unix seconds, the
//! revisit day `YYYY-MM-DD` in the company's calendar.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use wharf_core::records::RecordInput;

use super::list::{ListParams, query_of};
use crate::api::{JsonBody, body, created};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RecordBody {
    kind: String,
    content: String,
    #[serde(default)]
    contact_id: Option<i64>,
    #[serde(default)]
    progress_id: Option<i64>,
    /// Unix seconds; now when left out.
    #[serde(default)]
    happened_at: Option<i64>,
    /// YYYY-MM-DD.
    #[serde(default)]
    next_revisit: Option<String>,
    #[serde(default)]
    remind_at: Option<i64>,
}

impl RecordBody {
    fn into_input(self) -> Result<RecordInput, AppError> {
        let next_revisit = match self.next_revisit.as_deref() {
            None | Some("") => None,
            Some(d) => Some(wharf_core::zone::Day::parse_iso(d).ok_or_else(|| {
                AppError::Domain(wharf_core::DomainError::field(
                    "next_revisit",
                    "invalid_date",
                ))
            })?),
        };
        Ok(RecordInput {
            kind: self.kind,
            contact_id: self.contact_id,
            content: self.content,
            progress_id: self.progress_id,
            happened_at: self.happened_at.unwrap_or_else(wharf_store::now),
            next_revisit,
            remind_at: self.remind_at,
        })
    }
}

/// GET /api/v1/customers/{id}/records
pub async fn for_customer(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let records = state.store.customer_records(req.actor()?, id, 1000).await?;
    Ok(Json(json!({ "records": records })).into_response())
}

/// POST /api/v1/customers/{id}/records
pub async fn add(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<RecordBody>,
) -> Result<Response, AppError> {
    let input = body(b)?.into_input()?;
    let record = state
        .store
        .add_contact_record(req.ctx()?, id, input)
        .await?;
    Ok(created(record))
}

/// GET /api/v1/records
pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let q = query_of(&req, &p)?;
    let found = state.store.list_contact_records(req.actor()?, &q).await?;
    Ok(Json(json!({
        "total": found.total, "page": found.page, "per_page": found.per_page, "records": found.items,
    }))
    .into_response())
}

/// GET /api/v1/records/{id}
pub async fn get(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = state.store.contact_record(req.actor()?, id).await?;
    Ok(Json(r).into_response())
}

/// PUT /api/v1/records/{id}: the whole record (as when adding).
pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<RecordBody>,
) -> Result<Response, AppError> {
    let input = body(b)?.into_input()?;
    state
        .store
        .update_contact_record(req.ctx()?, id, input)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// DELETE /api/v1/records/{id}
pub async fn delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_contact_record(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
