//! Typed page data of opportunities: the list, the form, the page and the board.

use serde::Serialize;

use crate::render::{Field, Pager, SelectOption, Tab};

/// One row of the list (and of the export).
#[derive(Serialize, Clone, Debug, Default)]
pub struct DealRow {
    pub id: i64,
    pub title: String,
    pub href: String,
    pub customer: String,
    pub customer_href: String,
    pub stage: String,
    pub status: String,
    pub status_code: String,
    pub amount: String,
    pub probability: i64,
    pub close_date: String,
    pub next_revisit: String,
    pub owner: String,
    pub rotting: bool,
}

/// The filters the list and the board share.
#[derive(Serialize, Clone, Debug, Default)]
pub struct Filters {
    pub tabs: Vec<Tab>,
    pub team: bool,
    pub owners: Vec<SelectOption>,
    pub statuses: Vec<SelectOption>,
    pub q: String,
    pub customer: String,
    pub rotting: bool,
    pub revisit: String,
}

/// `deals/list.html`.
#[derive(Serialize, Clone, Debug, Default)]
pub struct ListPage {
    pub filters: Filters,
    pub stages: Vec<SelectOption>,
    pub rows: Vec<DealRow>,
    pub total: i64,
    pub pager: Option<Pager>,
    pub export_href: String,
    pub board_href: String,
    pub may_export: bool,
    pub error: Option<String>,
}

/// One line of the form (as typed) or of the page (with its total).
#[derive(Serialize, Clone, Debug, Default)]
pub struct LineRow {
    /// A picked product's id (empty for a line typed by hand).
    pub product_id: String,
    pub name: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub total: String,
}

/// `deals/form.html`.
#[derive(Serialize, Clone, Debug, Default)]
pub struct FormView {
    pub action: String,
    pub cancel: String,
    pub customer: String,
    pub fields: Vec<Field>,
    pub lines: Vec<LineRow>,
    pub lines_error: Option<String>,
    pub form_error: Option<String>,
}

/// One entry of the opportunity's trail.
#[derive(Serialize, Clone, Debug, Default)]
pub struct LogRow {
    pub when: String,
    pub who: String,
    pub text: String,
}

/// `deals/show.html`.
#[derive(Serialize, Clone, Debug, Default)]
pub struct ShowPage {
    pub id: i64,
    pub title: String,
    pub customer: String,
    pub customer_href: String,
    pub stage: String,
    pub status: String,
    pub status_code: String,
    pub outcome: String,
    pub lost_reason: String,
    pub amount: String,
    pub amount_note: String,
    pub probability: i64,
    pub close_date: String,
    pub next_revisit: String,
    pub competitors: String,
    pub owner: String,
    pub collaborators: String,
    pub rotting: bool,
    pub lines: Vec<LineRow>,
    pub lines_total: String,
    pub may_change: bool,
    /// The other stages of its pipeline, for the move select.
    pub stages: Vec<SelectOption>,
    pub statuses: Vec<SelectOption>,
    pub outcomes: Vec<SelectOption>,
    pub log: Vec<LogRow>,
    pub records: Vec<LogRow>,
}

/// A card on the board.
#[derive(Serialize, Clone, Debug, Default)]
pub struct Card {
    pub id: i64,
    pub title: String,
    pub href: String,
    pub customer: String,
    pub amount: String,
    pub probability: i64,
    pub owner: String,
    pub close_date: String,
    pub rotting: bool,
    pub may_change: bool,
}

/// A column of the board.
#[derive(Serialize, Clone, Debug, Default)]
pub struct Column {
    pub stage_id: i64,
    pub label: String,
    pub probability: i64,
    pub count: i64,
    /// "1,234.50 USD" per currency.
    pub totals: Vec<String>,
    pub rotting: i64,
    pub cards: Vec<Card>,
    /// Cards not drawn, with the list that holds them all.
    pub more: i64,
    pub list_href: String,
    /// The column a phone shows (the stage picker's choice).
    pub picked: bool,
}

/// The pipeline value in the base currency.
#[derive(Serialize, Clone, Debug, Default)]
pub struct ValueView {
    pub total: String,
    pub weighted: String,
    pub day: String,
    /// "No exchange rate for EUR on or before …", one per currency.
    pub missing: Vec<String>,
}

/// `deals/board.html`.
#[derive(Serialize, Clone, Debug, Default)]
pub struct BoardPage {
    pub filters: Filters,
    pub pipelines: Vec<SelectOption>,
    pub pipeline_id: i64,
    pub columns: Vec<Column>,
    /// Every stage of the pipeline, for each card's move select without JavaScript.
    pub stages: Vec<SelectOption>,
    pub totals: Vec<String>,
    pub value: ValueView,
    pub list_href: String,
    pub picked_stage: String,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::render::tests::render_with;

    fn option(v: &str) -> SelectOption {
        SelectOption {
            value: v.into(),
            label: v.into(),
            on: true,
        }
    }

    fn filters() -> Filters {
        Filters {
            tabs: vec![Tab {
                href: "/opportunities".into(),
                label: "Mine".into(),
                on: true,
            }],
            team: true,
            owners: vec![option("3")],
            statuses: vec![option("selling")],
            q: "pumps".into(),
            customer: "4".into(),
            rotting: true,
            revisit: "today".into(),
        }
    }

    fn row() -> DealRow {
        DealRow {
            id: 1,
            title: "500 pumps".into(),
            href: "/opportunities/1".into(),
            rotting: true,
            ..DealRow::default()
        }
    }

    fn field() -> Field {
        Field {
            name: "title".into(),
            label: "Title".into(),
            kind: "text",
            value: "v".into(),
            options: Vec::new(),
            suggestions: Vec::new(),
            error: Some("bad".into()),
        }
    }

    fn line() -> LineRow {
        LineRow {
            product_id: "3".into(),
            name: "Pump".into(),
            quantity: "5".into(),
            unit: "pcs".into(),
            unit_price: "1.5".into(),
            total: "7.50".into(),
        }
    }

    pub(crate) fn the_pages_render() {
        render_with(
            "deals/list.html",
            ListPage {
                filters: filters(),
                stages: vec![option("2")],
                rows: vec![row()],
                total: 1,
                pager: Some(Pager {
                    page: 1,
                    pages: 2,
                    total: 60,
                    prev: None,
                    next: Some("/opportunities?page=2".into()),
                }),
                export_href: "/opportunities/export".into(),
                board_href: "/opportunities/board".into(),
                may_export: true,
                error: Some("bad".into()),
            },
        );
        render_with(
            "deals/form.html",
            FormView {
                action: "/customers/1/opportunities".into(),
                cancel: "/customers/1".into(),
                customer: "Acme".into(),
                fields: vec![field()],
                lines: vec![line()],
                lines_error: Some("bad".into()),
                form_error: Some("bad".into()),
            },
        );
        render_with(
            "deals/show.html",
            ShowPage {
                id: 1,
                title: "500 pumps".into(),
                outcome: "Lost".into(),
                lost_reason: "Price".into(),
                amount_note: "sum".into(),
                rotting: true,
                lines: vec![line()],
                may_change: true,
                stages: vec![option("2")],
                statuses: vec![option("selling")],
                outcomes: vec![option("won")],
                log: vec![LogRow::default()],
                records: vec![LogRow::default()],
                ..ShowPage::default()
            },
        );
        render_with(
            "deals/board.html",
            BoardPage {
                filters: filters(),
                pipelines: vec![option("5"), option("6")],
                pipeline_id: 5,
                columns: vec![Column {
                    stage_id: 2,
                    label: "Qualified".into(),
                    totals: vec!["1.00 USD".into()],
                    rotting: 1,
                    cards: vec![Card {
                        id: 1,
                        rotting: true,
                        may_change: true,
                        ..Card::default()
                    }],
                    more: 3,
                    picked: true,
                    ..Column::default()
                }],
                stages: vec![option("2")],
                totals: vec!["1.00 USD".into()],
                value: ValueView {
                    missing: vec!["No rate for EUR".into()],
                    ..ValueView::default()
                },
                list_href: "/opportunities".into(),
                picked_stage: "2".into(),
            },
        );
    }
}
