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
    /// Her own quote, approved by her as nobody else has company scope (approve only).
    pub approve_alone: bool,
    pub decline_reason: String,
    pub history: Vec<Pair>,
    /// "Send by mail" (POST, `lang`), for an approved or sent current version.
    pub mail_action: Option<String>,
    /// The sent mail's delivery, as the outbox says it.
    pub delivery: Option<Delivery>,
    /// "Make an order" for an approved, sent or accepted current version not yet ordered.
    pub order_action: Option<String>,
    /// The order made from this quote (its number and page).
    pub order: Option<(String, String)>,
}

/// The delivery of the mail a version was sent with.
#[derive(Serialize, Clone, Debug, Default)]
pub struct Delivery {
    /// queued, retrying, sent or failed.
    pub state: String,
    pub text: String,
    /// The server's reason, when it failed or is retrying.
    pub error: String,
    pub href: String,
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::render::tests::render_with;

    fn field(name: &'static str) -> Field {
        Field {
            name: name.into(),
            label: name.into(),
            kind: "text",
            value: "v".into(),
            options: vec![crate::render::Choice {
                value: "FOB".into(),
                label: "FOB".into(),
                selected: true,
            }],
            suggestions: vec!["s".into()],
            error: Some("bad".into()),
        }
    }

    fn tab() -> Tab {
        Tab {
            href: "/quotes".into(),
            label: "Mine".into(),
            on: true,
        }
    }

    fn pair() -> Pair {
        Pair {
            label: "Incoterm".into(),
            value: "FOB Ningbo".into(),
        }
    }

    /// Each quote template with every optional part drawn (called by `samples`).
    pub(crate) fn the_pages_render() {
        let row = |kind: &str| EditorRow {
            row: RowText {
                kind: kind.into(),
                product: "7".into(),
                name: "Ball valve".into(),
                quantity: "100".into(),
                unit_price: "11.50".into(),
                discount: "5.00".into(),
                ..RowText::default()
            },
            errors: vec!["bad quantity".into()],
        };
        let html = render_with(
            "quotes/editor.html",
            EditorPage {
                action: "/quotes/1/edit".into(),
                cancel: "/quotes/1".into(),
                customer_name: "ACME #1".into(),
                customer_href: "/customers/4".into(),
                fields: vec![field("currency"), field("incoterm")],
                opportunity_id: "2".into(),
                rows: vec![row("group"), row("item")],
                errors: vec!["fix the rows".into()],
                version_note: Some("v2".into()),
                threshold_note: Some("10.00 %".into()),
            },
        );
        assert!(html.contains("ACME #1"));
        let shown = |kind: &'static str| ShownRow {
            kind,
            no: "1".into(),
            name: "Ball valve".into(),
            amount: "1,092.50 USD".into(),
            ..ShownRow::default()
        };
        render_with(
            "quotes/show.html",
            QuotePage {
                id: 1,
                number: "Q2026-0001".into(),
                status: "Approved".into(),
                status_code: "approved".into(),
                customer_name: "ACME".into(),
                customer_href: "/customers/4".into(),
                header: vec![pair()],
                rows: vec![shown("group"), shown("item"), shown("subtotal")],
                totals: vec![pair()],
                versions: vec![VersionLink {
                    label: "v1".into(),
                    status: "Sent".into(),
                    href: "/quotes/1?v=1".into(),
                    on: true,
                }],
                edit_href: Some("/quotes/1/edit".into()),
                pdf_en: "/quotes/1/pdf?lang=en".into(),
                pdf_zh: "/quotes/1/pdf?lang=zh-CN".into(),
                actions: vec![Action {
                    id: "send",
                    action: "/quotes/1/send".into(),
                    label: "Send".into(),
                    name: "to",
                    value: "sent",
                }],
                decide_action: Some("/quotes/1/decide".into()),
                approve_alone: false,
                decline_reason: "too low".into(),
                history: vec![pair()],
                mail_action: Some("/quotes/1/mail".into()),
                delivery: Some(Delivery {
                    state: "failed".into(),
                    text: "Could not be sent".into(),
                    error: "550 no such user".into(),
                    href: "/mail?view=sent&m=3".into(),
                }),
                order_action: Some("/orders/new?quote=1".into()),
                order: Some(("O2026-0001".into(), "/orders/1".into())),
            },
        );
        let html = render_with(
            "quotes/show.html",
            QuotePage {
                id: 2,
                number: "Q2026-0002".into(),
                status: "Awaiting approval".into(),
                status_code: "awaiting_approval".into(),
                decide_action: Some("/quotes/2/decide".into()),
                approve_alone: true,
                ..QuotePage::default()
            },
        );
        assert!(html.contains("id=\"approve\"") && !html.contains("id=\"decline\""));
        for queue in [false, true] {
            render_with(
                "quotes/list.html",
                ListPage {
                    tabs: vec![tab()],
                    team: true,
                    statuses: vec![SelectOption {
                        value: "draft".into(),
                        label: "Draft".into(),
                        on: true,
                    }],
                    rows: vec![QuoteRow {
                        id: 1,
                        number: "Q2026-0001".into(),
                        href: "/quotes/1".into(),
                        ..QuoteRow::default()
                    }],
                    total: 1,
                    pager: Some(Pager {
                        page: 1,
                        pages: 2,
                        total: 40,
                        prev: Some("/quotes?p=1".into()),
                        next: Some("/quotes?p=2".into()),
                    }),
                    queue,
                    heading: "Quotes".into(),
                },
            );
        }
        render_with(
            "quotes/settings.html",
            SettingsPage {
                subnav: vec![tab()],
                fields: vec![field("threshold")],
                errors: vec!["bad".into()],
                has_logo: true,
                logo_error: Some("too large".into()),
                max_logo_kib: 512,
            },
        );
    }
}
