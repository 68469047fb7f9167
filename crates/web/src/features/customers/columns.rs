//! The customer list's columns (CUST-5 column choice): what can be shown besides the
//! name (the registry's columns, the owners and times), how each cell reads, which can
//! be sorted, and each user's choice (kept in their preferences). The list, its print
//! view and the export of ticked rows share it.

use axum::extract::State;
use axum::response::Response;
use wharf_core::custom_field::{CustomField, parse_key};
use wharf_core::customers::CUSTOMER_FIELDS;
use wharf_core::fields::{FieldDef, FieldValue, Record, Visibility};
use wharf_store::customers::Customer;

use super::labels::{ItemNames, Reading, field_text};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::when;

/// The record's own columns (after the registry's), with their label in the catalog.
const RECORD_COLUMNS: &[(&str, &str)] = &[
    ("owners", "field.owners"),
    ("created", "customer.created"),
    ("updated", "customer.updated"),
];

/// The columns one may choose, by code, with their label in the catalog: the
/// registry's (but the name, always shown), then the record's own.
pub fn standard() -> impl Iterator<Item = (&'static str, &'static str)> {
    CUSTOMER_FIELDS
        .columns()
        .filter(|f| f.column.is_some_and(|c| c.visibility != Visibility::Always))
        .filter_map(|f| Some((f.column_code()?, f.label)))
        .chain(RECORD_COLUMNS.iter().copied())
}

/// What a new user sees: the registry's columns shown by default, the owners and the
/// last change.
pub fn default_columns() -> impl Iterator<Item = &'static str> {
    CUSTOMER_FIELDS
        .columns()
        .filter(|f| {
            f.column
                .is_some_and(|c| c.visibility == Visibility::ByDefault)
        })
        .filter_map(FieldDef::column_code)
        .chain(["owners", "updated"])
}

const PREF: &str = "customer_columns";

/// The base-data names and custom fields a page's cells need, read once.
pub struct CellData {
    /// (field, [(item id, name)]) for the registry's base-data fields.
    pub items: ItemNames,
    pub defs: Vec<CustomField>,
    pub zone: wharf_core::zone::Zone,
}

/// Whether a code names a column (a standard one or a defined custom field).
pub fn known(code: &str, defs: &[CustomField]) -> bool {
    standard().any(|(c, _)| c == code)
        || parse_key(code).is_some_and(|id| defs.iter().any(|f| f.id == id))
}

pub fn label(req: &Req, code: &str, defs: &[CustomField]) -> String {
    if let Some(id) = parse_key(code) {
        return defs
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.label.clone())
            .unwrap_or_default();
    }
    standard()
        .find(|(c, _)| *c == code)
        .map(|(_, key)| req.t(key))
        .unwrap_or_default()
}

/// The store's sort for a column, for those that have one: the registry's sortable
/// columns and the record's times.
pub fn sort_of(code: &str) -> Option<&'static str> {
    match code {
        "created" => Some("created"),
        "updated" => Some("updated"),
        _ => CUSTOMER_FIELDS
            .by_column(code)
            .filter(|f| f.column.is_some_and(|c| c.sortable))
            .and_then(FieldDef::column_code),
    }
}

/// One cell as text.
pub fn cell(req: &Req, c: &Customer, code: &str, data: &CellData) -> String {
    if let Some(id) = parse_key(code) {
        return c
            .custom
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
    }
    if let Some(def) = CUSTOMER_FIELDS.by_column(code) {
        let value = c.value(def.key).unwrap_or(FieldValue::Text(String::new()));
        return field_text(req, def, &value, &data.items, &data.zone, Reading::Page);
    }
    match code {
        "owners" if c.sharing == "shared" => req.t("customer.pool"),
        "owners" => c
            .owners
            .iter()
            .map(|o| crate::i18n::person(req.locale, &o.1))
            .collect::<Vec<_>>()
            .join(", "),
        "created" => when(c.created_at, &data.zone),
        "updated" => when(c.updated_at, &data.zone),
        _ => String::new(),
    }
}

/// The user's chosen columns (those still defined), or the default.
pub async fn chosen(
    state: &AppState,
    req: &Req,
    defs: &[CustomField],
) -> Result<Vec<String>, AppError> {
    let saved = state.store.pref(req.actor()?, PREF).await?;
    let codes: Vec<String> = saved
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter(|c| known(c, defs))
        .map(str::to_string)
        .collect();
    Ok(if codes.is_empty() {
        default_columns().map(str::to_string).collect()
    } else {
        codes
    })
}

/// Saves the ticked columns, in the catalog's order, and goes back to the list.
pub async fn save(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let defs = state.store.custom_fields(actor).await?;
    let ticked = form.all("cols");
    let order = standard()
        .map(|(c, _)| c.to_string())
        .chain(defs.iter().map(CustomField::key));
    let codes: Vec<String> = if form.get("reset") == "1" {
        Vec::new()
    } else {
        order.filter(|c| ticked.contains(c)).collect()
    };
    state.store.set_pref(actor, PREF, &codes.join(",")).await?;
    let back = form.get("back");
    let back = if back.starts_with("/customers") && !back.starts_with("//") {
        back
    } else {
        "/customers".to_string()
    };
    crate::redirect::to(&back)
}
