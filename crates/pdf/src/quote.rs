//! The quote document: its data shape (filled and translated by the web layer) and its render.
//!
//! Amounts arrive formatted (exact decimals as text), labels arrive in the document's
//! language; the template only places them.

use serde::Serialize;

use crate::{Engine, PdfError};

/// The letterhead: the company's own details from System → Settings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Letterhead {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

/// A label and its value (a term of the quote, a total).
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    pub label: String,
    pub value: String,
}

/// One row of the line table, in order.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Row {
    /// A group header: the lines after it up to its subtotal belong to it.
    Group { title: String },
    /// A priced line.
    Line {
        no: String,
        name: String,
        model: String,
        description: String,
        quantity: String,
        unit: String,
        unit_price: String,
        discount: String,
        total: String,
    },
    /// The subtotal that closes a group.
    Subtotal { label: String, amount: String },
}

/// Column headers and fixed texts, in the document's language.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Labels {
    pub title: String,
    pub number: String,
    pub date: String,
    pub customer: String,
    pub contact: String,
    pub no: String,
    pub item: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount: String,
    pub total: String,
    pub terms: String,
    pub notes: String,
}

/// Everything the quote template shows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuotePdf {
    /// `en` or `zh-CN`: picks the line breaking rules.
    pub lang: String,
    pub labels: Labels,
    pub letterhead: Letterhead,
    pub number: String,
    pub date: String,
    pub customer: String,
    pub customer_address: String,
    pub contact: String,
    pub currency: String,
    pub rows: Vec<Row>,
    pub totals: Vec<Pair>,
    /// The total in words under the totals ("SAY US DOLLARS … ONLY", 大写金额).
    pub in_words: Vec<String>,
    pub terms: Vec<Pair>,
    pub notes: String,
}

/// Renders a quote; `logo` is the letterhead's PNG / JPEG, when the company has one.
pub fn render(engine: &Engine, quote: &QuotePdf, logo: Option<&[u8]>) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_value(quote).map_err(|error| PdfError::Render(error.to_string()))?;
    let images: Vec<(&str, &[u8])> = logo.map(|bytes| ("logo", bytes)).into_iter().collect();
    engine.render("quote.typ", &data, &images)
}
