//! Export the filtered customer list as xlsx or CSV (needs the Export permission).

use axum::extract::{Query, RawQuery, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use wharf_store::customers::CustomerQuery;

use super::labels::{day_text, item_names, stage_label};
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

/// Every customer of a query as a CSV or xlsx download: all standard fields, the
/// custom ones, and the primary contact.
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
    let dicts = item_names(state, req).await?;
    let name = |i: usize, id: Option<i64>| {
        id.and_then(|id| {
            dicts[i]
                .1
                .iter()
                .find(|(d, _)| *d == id)
                .map(|(_, n)| n.clone())
        })
        .unwrap_or_default()
    };
    let header: Vec<String> = [
        "field.name",
        "field.short_name",
        "field.party_kind",
        "field.stage",
        "field.type_id",
        "field.status_id",
        "field.source_id",
        "field.industry_id",
        "field.country_id",
        "field.city",
        "field.address",
        "field.website",
        "field.phones",
        "field.fax",
        "field.email",
        "field.keywords",
        "field.main_products",
        "field.scale",
        "field.rating",
        "field.tags",
        "field.next_revisit_at",
        "field.owners",
        "contact.title",
        "field.emails",
        "contact.phones",
    ]
    .iter()
    .map(|k| req.t(k))
    .chain(defs.iter().map(|f| f.label.clone()))
    .collect();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|(c, k)| {
            vec![
                c.name.clone(),
                c.short_name.clone(),
                req.t(&format!("customer.kind.{}", c.party_kind)),
                stage_label(req, &c.stage),
                name(0, c.type_id),
                name(1, c.status_id),
                name(2, c.source_id),
                name(3, c.industry_id),
                name(4, c.country_id),
                c.city.clone(),
                c.address.clone(),
                c.website.clone(),
                c.phones.clone(),
                c.fax.clone(),
                c.email.clone(),
                c.keywords.clone(),
                c.main_products.clone(),
                c.scale.clone(),
                if c.rating > 0 {
                    c.rating.to_string()
                } else {
                    String::new()
                },
                c.tags.clone(),
                day_text(c.next_revisit_at, zone),
                if c.sharing == "shared" {
                    req.t("customer.pool")
                } else {
                    c.owners
                        .iter()
                        .map(|o| o.1.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                k.as_ref().map(|k| k.name.clone()).unwrap_or_default(),
                k.as_ref().map(|k| k.emails.clone()).unwrap_or_default(),
                k.as_ref().map(|k| k.phones.clone()).unwrap_or_default(),
            ]
            .into_iter()
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
