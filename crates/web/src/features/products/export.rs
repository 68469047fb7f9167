//! The catalog as xlsx (the list's filters; needs `export`), in the import's columns so
//! an export imports again.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use wharf_core::products::import::COLUMNS;
use wharf_core::products::tiers_text;

use super::list::{ListQuery, filter_of};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// The most products one export holds.
const MAX_EXPORT: i64 = 20_000;

/// A column's header in the reader's language (an import recognises both languages).
pub(super) fn column_label(req: &Req, key: &str) -> String {
    req.t(&format!("products.col.{key}"))
}

pub(super) fn xlsx_response(
    req: &Req,
    file_name: &str,
    header: &[String],
    rows: &[Vec<String>],
) -> Result<Response, AppError> {
    let bytes = wharf_sheets::to_xlsx(&req.t("products.title"), header, rows)
        .map_err(|e| AppError::Internal(format!("xlsx export: {e}")))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn export(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let mut filter = filter_of(&q)?;
    filter.per_page = 200;
    filter.page = 1;
    let header: Vec<String> = COLUMNS.iter().map(|c| column_label(&req, c.key)).collect();
    let zh = req.locale == crate::i18n::Locale::ZhCn;
    let mut rows = Vec::new();
    loop {
        let page = state.store.list_products(actor, &filter).await?;
        for p in &page.items {
            rows.push(vec![
                p.model.clone(),
                p.name_en.clone(),
                p.name_zh.clone(),
                if zh {
                    p.type_zh.clone()
                } else {
                    p.type_en.clone()
                }
                .unwrap_or_default(),
                p.spec.clone(),
                p.unit.clone(),
                p.hs_code.clone(),
                p.moq.clone().unwrap_or_default(),
                p.lead_time_days.map(|d| d.to_string()).unwrap_or_default(),
                tiers_text(&p.tiers),
                p.description.clone(),
                req.t(if p.active { "common.yes" } else { "common.no" }),
            ]);
        }
        if page.page >= page.pages() || rows.len() as i64 >= MAX_EXPORT {
            break;
        }
        filter.page += 1;
    }
    xlsx_response(&req, "products.xlsx", &header, &rows)
}
