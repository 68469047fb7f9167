//! The generic list (`shared/list.html`): a table with an optional search row, a "new"
//! button and a pager; and the sub-navigation tabs several pages share.

use serde::Serialize;

/// A tab of a sub-navigation (the System area's parts, a dictionary's kinds).
#[derive(Serialize, Clone, Debug)]
pub struct Tab {
    pub href: String,
    pub label: String,
    pub on: bool,
}

/// One input of the search row above a list (`s-<name>`).
#[derive(Serialize, Clone, Debug)]
pub struct SearchBox {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    /// The input type; text when `None`.
    pub kind: Option<&'static str>,
}

/// One row; its first cell links to `href` when set.
#[derive(Serialize, Clone, Debug)]
pub struct ListRow {
    pub cells: Vec<String>,
    pub href: Option<String>,
}

/// Where a paged list is: "page / pages (total)", with links to the neighbours.
#[derive(Serialize, Clone, Debug)]
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// `shared/list.html`.
#[derive(Serialize, Default)]
pub struct ListPage {
    pub columns: Vec<String>,
    pub rows: Vec<ListRow>,
    pub subnav: Vec<Tab>,
    pub search: Vec<SearchBox>,
    pub new_href: Option<String>,
    pub pager: Option<Pager>,
}
