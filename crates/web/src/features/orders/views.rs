//! Typed page data of orders: the list, the form and the order page.

use serde::Serialize;

use crate::render::{Pager, SelectOption, Tab};

/// A row of the orders list.
#[derive(Serialize, Clone, Debug, Default)]
pub struct OrderRow {
    pub id: i64,
    pub number: String,
    pub href: String,
    pub customer: String,
    pub customer_href: String,
    pub seller: String,
    pub follower: String,
    pub status: String,
    pub status_code: String,
    pub paused: bool,
    pub total: String,
    pub ordered_on: String,
    pub eta: String,
}

/// `orders/list.html`.
#[derive(Serialize, Clone, Debug, Default)]
pub struct ListPage {
    pub tabs: Vec<Tab>,
    pub progress: Vec<Tab>,
    pub team: bool,
    pub progress_code: String,
    pub statuses: Vec<SelectOption>,
    pub q: String,
    pub rows: Vec<OrderRow>,
    pub total: i64,
    pub pager: Option<Pager>,
}

/// A typed line of the form.
#[derive(Serialize, Clone, Debug, Default)]
pub struct FormLine {
    pub name: String,
    pub model: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount: String,
    /// Carried as hidden fields so a change keeps them.
    pub product_id: String,
    pub description: String,
}

/// `orders/form.html`: a new order, or a change to `edit_id`.
#[derive(Serialize, Clone, Debug, Default)]
pub struct FormPage {
    /// The order being changed (its lines are then always typed, its currency fixed).
    pub edit_id: Option<i64>,
    /// The changed order's number.
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub customer_href: String,
    /// Made from this quote: its lines are shown, not typed.
    pub quote_id: Option<i64>,
    pub quote_number: String,
    pub opportunity_id: Option<i64>,
    pub currencies: Vec<SelectOption>,
    pub people: Vec<SelectOption>,
    pub followers: Vec<SelectOption>,
    pub ordered_on: String,
    pub payment_terms: String,
    pub port_loading: String,
    pub port_destination: String,
    pub etd: String,
    pub eta: String,
    pub carrier: String,
    pub bl_number: String,
    pub containers: String,
    pub deposit: String,
    pub deposit_due: String,
    pub deposit_received: String,
    pub balance: String,
    pub balance_due: String,
    pub balance_received: String,
    pub notes: String,
    pub lines: Vec<FormLine>,
    pub errors: Vec<String>,
}

/// A label and a value.
#[derive(Serialize, Clone, Debug, Default)]
pub struct Pair {
    pub label: String,
    pub value: String,
}

/// One step of the status row.
#[derive(Serialize, Clone, Debug, Default)]
pub struct Step {
    pub code: String,
    pub label: String,
    /// done, current or todo.
    pub state: &'static str,
}

/// A document and its state, with the states to choose from.
#[derive(Serialize, Clone, Debug, Default)]
pub struct DocRow {
    pub kind: String,
    pub label: String,
    pub state: String,
    pub state_code: String,
    pub states: Vec<SelectOption>,
}

/// A line, a payment or a log entry as shown.
#[derive(Serialize, Clone, Debug, Default)]
pub struct ShownLine {
    pub no: String,
    pub name: String,
    pub model: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount: String,
    pub amount: String,
}

#[derive(Serialize, Clone, Debug, Default)]
pub struct ShownPayment {
    pub kind: String,
    pub amount: String,
    pub due_on: String,
    pub received_on: String,
    pub state: String,
    pub state_code: String,
}

#[derive(Serialize, Clone, Debug, Default)]
pub struct ShownEvent {
    pub when: String,
    pub who: String,
    pub what: String,
    pub note: String,
}

/// `orders/show.html`.
#[derive(Serialize, Clone, Debug, Default)]
pub struct OrderPage {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub status_code: String,
    pub paused: bool,
    pub customer_name: String,
    pub customer_href: String,
    pub quote_href: Option<String>,
    pub opportunity_href: Option<String>,
    pub steps: Vec<Step>,
    pub header: Vec<Pair>,
    pub shipping: Vec<Pair>,
    pub lines: Vec<ShownLine>,
    pub total: String,
    pub payments: Vec<ShownPayment>,
    pub documents: Vec<DocRow>,
    pub events: Vec<ShownEvent>,
    pub revisit: Option<String>,
    pub may_change: bool,
    /// The statuses it may move to next.
    pub next: Vec<SelectOption>,
    pub today: String,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::render::tests::render_with;

    fn option() -> SelectOption {
        SelectOption {
            value: "v".into(),
            label: "V".into(),
            on: true,
        }
    }

    fn tab() -> Tab {
        Tab {
            href: "/orders".into(),
            label: "Mine".into(),
            on: true,
        }
    }

    pub fn the_pages_render() {
        let row = OrderRow {
            id: 1,
            number: "O2026-0001".into(),
            href: "/orders/1".into(),
            paused: true,
            ..OrderRow::default()
        };
        let html = render_with(
            "orders/list.html",
            ListPage {
                tabs: vec![tab()],
                progress: vec![tab()],
                team: true,
                progress_code: "open".into(),
                statuses: vec![option()],
                q: "x".into(),
                rows: vec![row],
                total: 1,
                pager: Some(Pager {
                    page: 1,
                    pages: 2,
                    total: 60,
                    prev: None,
                    next: Some("/orders?page=2".into()),
                }),
            },
        );
        assert!(html.contains("O2026-0001"));
        render_with("orders/list.html", ListPage::default());
        for (quote, edit_id) in [(Some(3), None), (None, None), (Some(3), Some(4))] {
            render_with(
                "orders/form.html",
                FormPage {
                    edit_id,
                    customer_id: 1,
                    quote_id: quote,
                    quote_number: "Q2026-0001".into(),
                    opportunity_id: Some(2),
                    currencies: vec![option()],
                    people: vec![option()],
                    followers: vec![option()],
                    lines: vec![FormLine::default()],
                    errors: vec!["bad".into()],
                    ..FormPage::default()
                },
            );
        }
        let html = render_with(
            "orders/show.html",
            OrderPage {
                id: 1,
                number: "O2026-0001".into(),
                paused: true,
                quote_href: Some("/quotes/1".into()),
                opportunity_href: Some("/opportunities/1".into()),
                steps: vec![Step::default()],
                header: vec![Pair::default()],
                shipping: vec![Pair::default()],
                lines: vec![ShownLine::default()],
                payments: vec![ShownPayment::default()],
                documents: vec![DocRow {
                    states: vec![option()],
                    ..DocRow::default()
                }],
                events: vec![ShownEvent::default()],
                revisit: Some("2027-01-06".into()),
                may_change: true,
                next: vec![option()],
                ..OrderPage::default()
            },
        );
        assert!(html.contains("2027-01-06"));
        render_with("orders/show.html", OrderPage::default());
    }
}
