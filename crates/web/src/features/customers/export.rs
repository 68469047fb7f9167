//! Export the filtered customer list as xlsx or CSV (needs the Export permission).

use axum::extract::{Query, RawQuery, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use wharf_store::customers::CustomerQuery;

use wharf_core::customers::CUSTOMER_FIELDS;
use wharf_core::fields::{FieldValue, Record};

use super::labels::{Reading, field_text, item_names};
use super::list_query::{ListParams, filtered_query};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

#[derive(Deserialize, Default)]
pub struct ExportParams {
    #[serde(flatten)]
    list: ListParams,
    /// csv or xlsx
    #[serde(default)]
    format: String,
}

/// The list as it is filtered and sorted, every page, as CSV or xlsx; only what the
/// user may see (CUST-6).
pub async fn export(
    State(state): State<AppState>,
    req: Req,
    Query(e): Query<ExportParams>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let (query, _) = filtered_query(&state, &req, &e.list, raw.as_deref()).await?;
    export_response(
        &state,
        &req,
        &query,
        &e.format,
        raw.as_deref().unwrap_or(""),
    )
    .await
}

/// Every customer of a query as a CSV or xlsx download: the registry's exported fields,
/// the owners, the primary contact and the custom fields.
pub(super) async fn export_response(
    state: &AppState,
    req: &Req,
    query: &CustomerQuery,
    format: &str,
    described: &str,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    if !matches!(format, "xlsx" | "csv" | "") {
        return Err(AppError::BadRequest);
    }
    let zone = req.zone()?;
    let defs = state.store.custom_fields(actor).await?;
    let rows = state
        .store
        .export_customers(req.ctx()?, query, described)
        .await?;
    let items = item_names(state, req).await?;
    // The registry's exported fields, the owners, the primary contact, the custom fields.
    let header: Vec<String> = CUSTOMER_FIELDS
        .exported()
        .map(|f| req.t(f.label))
        .chain(
            [
                "field.owners",
                "contact.title",
                "field.emails",
                "contact.phones",
            ]
            .iter()
            .map(|k| req.t(k)),
        )
        .chain(defs.iter().map(|f| f.label.clone()))
        .collect();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|(c, k)| {
            CUSTOMER_FIELDS
                .exported()
                .map(|f| {
                    let value = c.value(f.key).unwrap_or(FieldValue::Text(String::new()));
                    field_text(req, f, &value, &items, zone, Reading::Export)
                })
                .chain([
                    if c.sharing == "shared" {
                        req.t("customer.pool")
                    } else {
                        c.owners
                            .iter()
                            .map(|o| crate::i18n::person(req.locale, &o.1))
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                    k.as_ref().map(|k| k.name.clone()).unwrap_or_default(),
                    k.as_ref().map(|k| k.emails.clone()).unwrap_or_default(),
                    k.as_ref().map(|k| k.phones.clone()).unwrap_or_default(),
                ])
                .chain(defs.iter().map(|f| {
                    c.custom
                        .iter()
                        .find(|(id, _)| *id == f.id)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                }))
                .collect()
        })
        .collect();
    let (bytes, content_type, ext) = match format {
        "xlsx" => (
            wharf_sheets::to_xlsx(&req.t("nav.customers"), &header, &table)
                .map_err(|e| AppError::Internal(format!("xlsx export: {e}")))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "csv" | "" => (
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
                format!("attachment; filename=\"customers.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
