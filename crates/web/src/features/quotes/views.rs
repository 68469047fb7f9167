//! Typed page data of quotes: the editor, the quote page, the lists and the settings.

use serde::Serialize;

use super::form::RowText;
use crate::render::{Field, Pager, SelectOption, Tab};

/// A row of the editor's table: what was typed, its refusals, its amount.
#[derive(Serialize, Clone, Debug, Default)]
pub struct EditorRow {
    pub row: RowText,
    pub errors: Vec<String>,
}

/// `quotes/editor.html`.
#[derive(Serialize, Clone, Debug, Default)]
pub struct EditorPage {
    pub action: String,
    pub cancel: String,
    pub customer_name: String,
    pub customer_href: String,
    /// Contact, currency, Incoterm, ports, payment terms, validity, notes.
    pub fields: Vec<Field>,
    pub opportunity_id: String,
    /// The typed rows, then empty ones (the no-JavaScript way to add lines).
    pub rows: Vec<EditorRow>,
    pub errors: Vec<String>,
    /// "Saving makes version n + 1" when the shown version is frozen.
    pub version_note: Option<String>,
    /// "Discounts above 10.00 % need a manager's approval."
    pub threshold_note: Option<String>,
}

/// A row of the quote page's and the PDF's table.
#[derive(Serialize, Clone, Debug, Default)]
pub struct ShownRow {
    /// item, group or subtotal.
    pub kind: &'static str,
    pub no: String,
    pub name: String,
    pub model: String,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount: String,
    pub amount: String,
}

/// A label and a value.
#[derive(Serialize, Clone, Debug, Default)]
pub struct Pair {
    pub label: String,
    pub value: String,
}

/// One version in the quote page's list of versions.
#[derive(Serialize, Clone, Debug, Default)]
pub struct VersionLink {
    pub label: String,
    pub status: String,
    pub href: String,
    pub on: bool,
}

/// An action button of the quote page (a POST form).
#[derive(Serialize, Clone, Debug, Default)]
pub struct Action {
    pub id: &'static str,
    pub action: String,
    pub label: String,
    /// A value posted as `to` (close) or `approve` (decide).
    pub name: &'static str,
    pub value: &'static str,
}

/// `quotes/show.html`.
#[derive(Serialize, Clone, Debug, Default)]
pub struct QuotePage {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub status_code: String,
    pub customer_name: String,
    pub customer_href: String,
    pub header: Vec<Pair>,
    pub rows: Vec<ShownRow>,
    pub totals: Vec<Pair>,
    pub versions: Vec<VersionLink>,
    pub edit_href: Option<String>,
    pub pdf_en: String,
    pub pdf_zh: String,
    pub actions: Vec<Action>,
    /// The approve / decline form for a manager.
    pub decide_action: Option<String>,
    pub decline_reason: String,
    pub history: Vec<Pair>,
}

/// One row of the lists.
#[derive(Serialize, Clone, Debug, Default)]
pub struct QuoteRow {
    pub id: i64,
    pub number: String,
    pub href: String,
    pub customer: String,
    pub customer_href: String,
    pub owner: String,
    pub status: String,
    pub status_code: String,
    pub total: String,
    pub max_discount: String,
    pub date: String,
    pub valid_until: String,
}

/// `quotes/list.html` (the list and the approval queue).
#[derive(Serialize, Clone, Debug, Default)]
pub struct ListPage {
    pub tabs: Vec<Tab>,
    pub team: bool,
    pub statuses: Vec<SelectOption>,
    pub rows: Vec<QuoteRow>,
    pub total: i64,
    pub pager: Option<Pager>,
    pub queue: bool,
    pub heading: String,
}

/// `quotes/settings.html`.
#[derive(Serialize, Clone, Debug, Default)]
pub struct SettingsPage {
    pub subnav: Vec<Tab>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub has_logo: bool,
    pub logo_error: Option<String>,
    pub max_logo_kib: usize,
}
