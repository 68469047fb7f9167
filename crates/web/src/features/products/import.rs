//! The xlsx / CSV import of products, like the customers' (reusing its reader limits and
//! their messages): upload → every row checked, errors by row and column in the user's
//! language, a preview → run, which writes all the products or none. The file waits as
//! the uploader's own pending import (only they can run it); the template is the
//! export's header with an example row.

use std::collections::HashSet;
use std::ops::ControlFlow;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use wharf_core::DomainError;
use wharf_core::dict::DictKind;
use wharf_core::products::ProductEntry;
use wharf_core::products::import::{COLUMNS, map_header, read_row};
use wharf_sheets::Limits;

use super::export::{column_label, xlsx_response};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::customer_import::check::read_error_text;
use crate::render::page;

/// The biggest product file: its bytes and rows (the header included).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_ROWS: usize = 10_001;
/// Errors listed on the preview; the count covers all.
const SHOWN_ERRORS: usize = 100;
const SHOWN_ROWS: usize = 20;

fn limits() -> Limits {
    // The rows are held for the check: bound what they can cost (a file of at most
    // 20 MB decoding to at most 64 MB of text).
    Limits {
        rows: MAX_ROWS,
        columns: 50,
        cells: MAX_ROWS * 50,
        cell_bytes: 16 * 1024,
        decoded_bytes: 64 * 1024 * 1024,
        ..Limits::default()
    }
}

#[derive(Serialize)]
struct RowError {
    row: usize,
    column: String,
    message: String,
}

#[derive(Serialize)]
struct PreviewRow {
    row: usize,
    model: String,
    name: String,
    unit: String,
    prices: String,
}

#[derive(Serialize, Default)]
struct ImportData {
    file_name: String,
    rows: usize,
    error_count: usize,
    errors: Vec<RowError>,
    preview: Vec<PreviewRow>,
    /// A file was read (the preview shows).
    checked: bool,
    /// Set when the file cannot be read at all.
    read_error: Option<String>,
    columns: Vec<String>,
}

struct Checked {
    entries: Vec<ProductEntry>,
    data: ImportData,
}

fn field_column(field: &str) -> &str {
    if field.starts_with("tier") || field == "tiers" {
        "prices"
    } else if field == "type_id" {
        "type"
    } else {
        field
    }
}

/// Reads and checks every row; nothing is written.
async fn check(
    state: &AppState,
    req: &Req,
    name: &str,
    bytes: Vec<u8>,
) -> Result<Checked, AppError> {
    let actor = req.actor()?;
    let file = name.to_string();
    let read = tokio::task::spawn_blocking(move || {
        let mut rows: Vec<Vec<String>> = Vec::new();
        wharf_sheets::for_each_row(&file, &bytes, &limits(), |r| {
            rows.push(r);
            ControlFlow::Continue(())
        })
        .map(|_| rows)
    })
    .await
    .map_err(|e| AppError::Internal(format!("product sheet reader stopped: {e}")))?;
    let mut data = ImportData {
        file_name: name.to_string(),
        checked: true,
        ..ImportData::default()
    };
    let rows = match read {
        Ok(rows) => rows,
        Err(e) => {
            data.read_error = Some(read_error_text(req, &e));
            return Ok(Checked {
                entries: Vec::new(),
                data,
            });
        }
    };
    let mut rows = rows.into_iter();
    let header = rows.next().unwrap_or_default();
    let columns = map_header(&header);
    if !columns
        .iter()
        .any(|c| matches!(c, Some("name_en" | "name_zh" | "model")))
    {
        data.read_error = Some(req.t("error.product_import_no_columns"));
        return Ok(Checked {
            entries: Vec::new(),
            data,
        });
    }
    let types = state.store.list_dict(actor, DictKind::ProductType).await?;
    let mut entries: Vec<(usize, ProductEntry)> = Vec::new();
    let mut seen_models: HashSet<String> = HashSet::new();
    let push = |data: &mut ImportData, row: usize, column: &str, code: &str| {
        data.error_count += 1;
        if data.errors.len() < SHOWN_ERRORS {
            data.errors.push(RowError {
                row,
                column: column_label(req, column),
                message: req.t(&format!("error.{code}")),
            });
        }
    };
    for (i, cells) in rows.enumerate() {
        // Row 1 is the header, as the spreadsheet numbers them.
        let row_no = i + 2;
        data.rows += 1;
        let mut r = read_row(&columns, &cells);
        let type_name = r.type_name.trim().to_lowercase();
        if !type_name.is_empty() {
            match types.iter().find(|d| {
                [&d.name_zh, &d.name_en, &d.code]
                    .iter()
                    .any(|n| n.to_lowercase() == type_name)
            }) {
                Some(d) => r.input.type_id = Some(d.id),
                None => push(&mut data, row_no, "type", "product_unknown_type"),
            }
        }
        if r.bad_prices {
            push(&mut data, row_no, "prices", "invalid_tiers");
        }
        if r.bad_active {
            push(&mut data, row_no, "active", "invalid_choice");
        }
        match r.input.validate() {
            Ok(e) if !r.bad_prices && !r.bad_active => {
                if let Some(key) = e.model_key()
                    && !seen_models.insert(key)
                {
                    push(&mut data, row_no, "model", "product_model_twice");
                    continue;
                }
                entries.push((row_no, e));
            }
            Ok(_) => {}
            Err(DomainError::Invalid(errors)) => {
                for f in &errors.0 {
                    push(&mut data, row_no, field_column(&f.field), f.code);
                }
            }
            Err(other) => return Err(other.into()),
        }
    }
    let keys: Vec<String> = entries.iter().filter_map(|(_, e)| e.model_key()).collect();
    let taken: HashSet<String> = state.store.taken_models(&keys).await?.into_iter().collect();
    let mut kept = Vec::with_capacity(entries.len());
    for (row_no, e) in entries {
        if e.model_key().is_some_and(|k| taken.contains(&k)) {
            push(&mut data, row_no, "model", "product_model_exists");
            continue;
        }
        if data.preview.len() < SHOWN_ROWS {
            data.preview.push(PreviewRow {
                row: row_no,
                model: e.model.clone(),
                name: if e.name_zh.is_empty() {
                    e.name_en.clone()
                } else {
                    format!("{} {}", e.name_zh, e.name_en)
                },
                unit: e.unit.clone(),
                prices: super::views::price_summary(&e.tiers),
            });
        }
        kept.push(e);
    }
    Ok(Checked {
        entries: kept,
        data,
    })
}

fn show(req: &Req, mut data: ImportData, status: Option<axum::http::StatusCode>) -> Response {
    data.columns = COLUMNS.iter().map(|c| column_label(req, c.key)).collect();
    let mut res = page(
        req,
        "products/import.html",
        "products",
        &req.t("products.import"),
        data,
    );
    if let Some(s) = status {
        *res.status_mut() = s;
    }
    res
}

pub async fn form(req: Req) -> Result<Response, AppError> {
    Ok(show(&req, ImportData::default(), None))
}

pub async fn upload(
    State(state): State<AppState>,
    req: Req,
    mut mp: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = mp.next_field().await.map_err(|_| AppError::BadRequest)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("products.xlsx").to_string();
        let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
        if bytes.len() > MAX_FILE_BYTES {
            return Err(AppError::Domain(DomainError::field(
                "file",
                "product_import_too_large",
            )));
        }
        if !bytes.is_empty() {
            file = Some((name, bytes.to_vec()));
        }
    }
    let Some((name, bytes)) = file else {
        return Err(AppError::Domain(DomainError::field("file", "required")));
    };
    let checked = check(&state, &req, &name, bytes.clone()).await?;
    let ok = checked.data.read_error.is_none()
        && checked.data.error_count == 0
        && !checked.entries.is_empty();
    if ok {
        let (hash, size, inline) = state
            .mail
            .put_blob(bytes)
            .await
            .map_err(|e| AppError::Internal(format!("product import blob: {e}")))?;
        state
            .store
            .keep_product_import(actor, &name, &hash, size, inline.as_deref())
            .await?;
    } else {
        state.store.clear_product_import(actor).await?;
    }
    let status = (!ok).then_some(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    Ok(show(&req, checked.data, status))
}

/// Imports the actor's pending file: checked again (a model may have been taken since),
/// then every product in one transaction, or none.
pub async fn run(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let Some((hash, name)) = state.store.pending_product_import(actor).await? else {
        return Err(AppError::Domain(DomainError::refused(
            "product_import_none",
            0,
        )));
    };
    let bytes = state
        .mail
        .read_blob(&hash)
        .await
        .map_err(|_| AppError::Domain(DomainError::refused("product_import_none", 0)))?;
    let checked = check(&state, &req, &name, bytes).await?;
    if checked.data.read_error.is_some() || checked.data.error_count > 0 {
        return Ok(show(
            &req,
            checked.data,
            Some(axum::http::StatusCode::UNPROCESSABLE_ENTITY),
        ));
    }
    state
        .store
        .import_products(req.ctx()?, &name, &checked.entries)
        .await?;
    state.store.clear_product_import(actor).await?;
    Ok(Redirect::to("/products?status=active").into_response())
}

/// The template: the header of the export and one example row.
pub async fn template(req: Req) -> Result<Response, AppError> {
    let header: Vec<String> = COLUMNS.iter().map(|c| column_label(&req, c.key)).collect();
    let example: Vec<String> = [
        "BV-200",
        "Ball valve DN50",
        "球阀 DN50",
        "",
        "DN50, PN16, stainless 304",
        "pcs",
        "8481.80",
        "100",
        "30",
        "USD 1=12.5, 100=11; EUR 1=11.5",
        "",
        "yes",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    xlsx_response(&req, "products-template.xlsx", &header, &[example])
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::render::tests::render_with;

    pub(crate) fn renders() {
        let base = || ImportData {
            file_name: "p.xlsx".into(),
            rows: 2,
            checked: true,
            columns: vec!["Model".into()],
            ..ImportData::default()
        };
        let with_errors = ImportData {
            error_count: 1,
            errors: vec![RowError {
                row: 2,
                column: "Prices".into(),
                message: "bad".into(),
            }],
            ..base()
        };
        assert!(render_with("products/import.html", with_errors).contains("row-errors"));
        let preview = ImportData {
            preview: vec![PreviewRow {
                row: 2,
                model: "BV".into(),
                name: "球阀".into(),
                unit: "pcs".into(),
                prices: "12.50 USD".into(),
            }],
            ..base()
        };
        assert!(render_with("products/import.html", preview).contains("run-form"));
        let unreadable = ImportData {
            read_error: Some("broken".into()),
            ..base()
        };
        assert!(render_with("products/import.html", unreadable).contains("read-error"));
        render_with("products/import.html", ImportData::default());
    }
}
