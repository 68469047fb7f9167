//! The opportunities list as xlsx (or CSV), every page of the same filters, in the
//! user's language; needs the Export permission. Amounts are exact numbers with their
//! currency in a column of its own, so a spreadsheet can sum them per currency.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::params::{ListParams, query_of};
use super::status::{outcome_label, status_label};
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

/// GET /opportunities/export
pub async fn export(
    State(state): State<AppState>,
    req: Req,
    Query(e): Query<ExportParams>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let mut q = query_of(&req, &e.list)?;
    q.page = 1;
    q.per_page = MAX_ROWS;
    let found = state.store.list_opportunities(actor, &q).await?;
    let header: Vec<String> = [
        "field.title",
        "deal.customer",
        "field.stage_id",
        "field.status",
        "field.outcome",
        "field.amount",
        "field.currency",
        "field.probability",
        "field.close_date",
        "field.next_revisit",
        "field.owner_id",
        "field.competitors",
    ]
    .iter()
    .map(|k| req.t(k))
    .collect();
    let table: Vec<Vec<String>> = found
        .items
        .iter()
        .map(|o| {
            vec![
                o.title.clone(),
                o.customer_name.clone(),
                o.stage_label(req.locale.code()).to_string(),
                status_label(&req, &o.status),
                o.outcome
                    .as_deref()
                    .map(|c| outcome_label(&req, c))
                    .unwrap_or_default(),
                super::money_text::rounded(o.amount, &o.currency).to_string(),
                o.currency.clone(),
                o.probability.to_string(),
                o.close_date.clone().unwrap_or_default(),
                o.next_revisit.clone().unwrap_or_default(),
                crate::i18n::person(req.locale, &o.owner_name),
                o.competitors.clone(),
            ]
        })
        .collect();
    let (bytes, content_type, ext) = match e.format.as_str() {
        "xlsx" | "" => (
            wharf_sheets::to_xlsx(&req.t("deal.list"), &header, &table)
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
                format!("attachment; filename=\"opportunities.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
