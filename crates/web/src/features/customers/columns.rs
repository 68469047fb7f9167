//! The customer list's columns (CUST-5 column choice): what can be shown besides the
//! name, how each cell reads, which can be sorted, and each user's choice (kept in
//! their preferences). The list, its print view and the export of ticked rows share it.

use axum::extract::State;
use axum::response::Response;
use wharf_core::custom_field::{CustomField, parse_key};
use wharf_store::customers::Customer;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::when;

/// The standard columns by code, with their label in the catalog.
pub const STANDARD: &[(&str, &str)] = &[
    ("short_name", "field.short_name"),
    ("party_kind", "field.party_kind"),
    ("country", "field.country_id"),
    ("stage", "field.stage"),
    ("type", "field.type_id"),
    ("status", "field.status_id"),
    ("source", "field.source_id"),
    ("industry", "field.industry_id"),
    ("city", "field.city"),
    ("website", "field.website"),
    ("phones", "field.phones"),
    ("email", "field.email"),
    ("keywords", "field.keywords"),
    ("main_products", "field.main_products"),
    ("scale", "field.scale"),
    ("rating", "field.rating"),
    ("tags", "field.tags"),
    ("owners", "field.owners"),
    ("revisit", "field.next_revisit_at"),
    ("created", "customer.created"),
    ("updated", "customer.updated"),
];

/// What a new user sees.
pub const DEFAULT: &[&str] = &["country", "stage", "owners", "revisit", "updated"];

const PREF: &str = "customer_columns";

/// The base-data names and custom fields a page's cells need, read once.
pub struct CellData {
    /// (field, [(item id, name)]) for type_id, status_id, source_id, industry_id, country_id.
    pub items: Vec<(&'static str, Vec<(i64, String)>)>,
    pub defs: Vec<CustomField>,
    pub zone: wharf_core::zone::Zone,
}

/// Whether a code names a column (a standard one or a defined custom field).
pub fn known(code: &str, defs: &[CustomField]) -> bool {
    STANDARD.iter().any(|(c, _)| *c == code)
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
    STANDARD
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, key)| req.t(key))
        .unwrap_or_default()
}

/// The store's sort for a column, for those that have one.
pub fn sort_of(code: &str) -> Option<&'static str> {
    match code {
        "stage" => Some("stage"),
        "city" => Some("city"),
        "revisit" => Some("revisit"),
        "created" => Some("created"),
        "updated" => Some("updated"),
        _ => None,
    }
}

/// One cell as text.
pub fn cell(req: &Req, c: &Customer, code: &str, data: &CellData) -> String {
    let item = |field: &str, id: Option<i64>| {
        id.and_then(|id| {
            data.items
                .iter()
                .find(|(f, _)| *f == field)
                .and_then(|(_, items)| items.iter().find(|(i, _)| *i == id))
                .map(|(_, n)| n.clone())
        })
        .unwrap_or_default()
    };
    let day = |t: Option<i64>| t.map(|t| data.zone.day_of(t).iso()).unwrap_or_default();
    if let Some(id) = parse_key(code) {
        return c
            .custom
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
    }
    match code {
        "short_name" => c.short_name.clone(),
        "party_kind" => req.t(&format!("customer.kind.{}", c.party_kind)),
        "stage" => req.t(&format!("customer.stage.{}", c.stage)),
        "type" => item("type_id", c.type_id),
        "status" => item("status_id", c.status_id),
        "source" => item("source_id", c.source_id),
        "industry" => item("industry_id", c.industry_id),
        "country" => item("country_id", c.country_id),
        "city" => c.city.clone(),
        "website" => c.website.clone(),
        "phones" => c.phones.clone(),
        "email" => c.email.clone(),
        "keywords" => c.keywords.clone(),
        "main_products" => c.main_products.clone(),
        "scale" => c.scale.clone(),
        "rating" if c.rating > 0 => "★".repeat(c.rating as usize),
        "tags" => c.tags.clone(),
        "owners" if c.sharing == "shared" => req.t("customer.pool"),
        "owners" => c
            .owners
            .iter()
            .map(|o| o.1.clone())
            .collect::<Vec<_>>()
            .join(", "),
        "revisit" => day(c.next_revisit_at),
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
        DEFAULT.iter().map(|c| c.to_string()).collect()
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
    let order = STANDARD
        .iter()
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
