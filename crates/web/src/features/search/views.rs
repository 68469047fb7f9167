//! The page data of the search page (`templates/search/results.html`): the form as the
//! user filled it, and a section of hits per kind.

use minijinja::Value;
use serde::Serialize;

use crate::render::SelectOption;

/// The search form as submitted, drawn back into its inputs.
#[derive(Serialize)]
pub struct Filled {
    pub q: String,
    /// all, mail or customers.
    pub scope: String,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub has: bool,
    pub after: String,
    pub before: String,
    pub customer: String,
    pub sort: String,
    pub trash: bool,
}

/// A mail found (`mail-hit-<id>`); the `_html` parts carry the highlighting, escaped by
/// the search crate.
#[derive(Serialize)]
pub struct MailHit {
    pub id: i64,
    pub href: String,
    pub subject_html: Value,
    pub snippet_html: Value,
    pub who: String,
    pub out: bool,
    pub account: String,
    pub when: String,
    pub attach: bool,
    pub deleted: bool,
}

/// A customer found (`customer-hit-<id>`).
#[derive(Serialize)]
pub struct CustomerHit {
    pub id: i64,
    pub href: String,
    pub name_html: Value,
    pub snippet_html: Value,
    pub stage: String,
    pub owners: String,
}

/// One kind's hits, a page of them.
#[derive(Serialize)]
pub struct Section<T> {
    /// The query asked for this kind at all.
    pub searched: bool,
    pub total: usize,
    pub items: Vec<T>,
    /// The number of the first hit shown.
    pub from: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// `search/results.html`.
#[derive(Serialize)]
pub struct SearchPage {
    /// The frame's search box keeps the query.
    pub search_q: String,
    pub p: Filled,
    pub filters_open: bool,
    pub accounts: Vec<SelectOption>,
    pub owners: Vec<SelectOption>,
    pub types: Vec<SelectOption>,
    pub tags: Vec<SelectOption>,
    /// Why the query was refused, in the user's words.
    pub problem: Option<String>,
    pub searched: bool,
    /// The index is still being built: hits may be missing.
    pub incomplete: bool,
    pub mail: Option<Section<MailHit>>,
    pub customers: Option<Section<CustomerHit>>,
    /// The mail found as a file (ACC-7), when there is some and the user may export.
    pub export_href: Option<String>,
}
