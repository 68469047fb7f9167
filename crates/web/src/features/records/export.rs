//! The records list as xlsx (or CSV), every page of the same filters, in the user's
//! language; needs the Export permission.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::list::{ListParams, query_of, row};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// At most this many rows in one export.
const MAX_ROWS: i64 = 10_000;

#[derive(Deserialize, Default)]
pub struct ExportParams {
    #[serde(flatten)]
    list: ListParams,
    /// xlsx (the default) or csv
    #[serde(default)]
    format: String,
}

/// GET /records/export
pub async fn export(
    State(state): State<AppState>,
    req: Req,
    Query(e): Query<ExportParams>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let zone = req.zone()?;
    let mut q = query_of(&req, &e.list)?;
    q.page = 1;
    q.per_page = MAX_ROWS;
    let found = state.store.list_contact_records(actor, &q).await?;
    let header: Vec<String> = [
        "field.happened_at",
        "field.kind",
        "record.customer",
        "field.contact_id",
        "record.author",
        "field.content",
        "field.progress_id",
        "field.next_revisit",
    ]
    .iter()
    .map(|k| req.t(k))
    .collect();
    let table: Vec<Vec<String>> = found
        .items
        .iter()
        .map(|r| {
            let v = row(&req, r, zone);
            vec![
                v.when,
                v.kind,
                v.customer,
                v.contact,
                v.author,
                v.content,
                v.progress,
                v.next_revisit,
            ]
        })
        .collect();
    let (bytes, content_type, ext) = match e.format.as_str() {
        "xlsx" | "" => (
            wharf_sheets::to_xlsx(&req.t("record.list"), &header, &table)
                .map_err(|e| AppError::Internal(format!("xlsx export: {e}")))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "csv" => (
            wharf_sheets::to_csv(&header, &table)
                .map_err(|e| AppError::Internal(format!("csv export: {e}")))?,
            "text/csv; charset=utf-8",
            "csv",
        ),
        _ => return Err(AppError::BadRequest),
    };
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"records.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
