//! Typed page data of the records feature: the trail on the customer's page, the
//! records list, the home page's due lists.

use serde::Serialize;

use crate::render::{Field, Pager, SelectOption, Tab};

/// One entry of the customer's trail (a record, a mail, a document, an owner change).
#[derive(Serialize, Clone, Debug)]
pub struct TrailItem {
    /// record, mail, document, owner (`trail-<kind>`).
    pub kind: &'static str,
    pub label: String,
    pub when: String,
    pub who: String,
    pub text: String,
    /// A second line: the contact, the progress, the next revisit, the reminder.
    pub detail: String,
    pub href: Option<String>,
    /// A record the user may edit and delete.
    pub record_id: Option<i64>,
    pub may_change: bool,
}

/// The customer page's trail: filter tabs, one page of entries, the add form.
#[derive(Serialize, Clone, Debug, Default)]
pub struct CustomerTrail {
    pub customer_id: i64,
    pub filters: Vec<Tab>,
    pub items: Vec<TrailItem>,
    pub pager: Option<Pager>,
    pub total: usize,
    /// The add form's fields.
    pub fields: Vec<Field>,
}

/// One row of the records list.
#[derive(Serialize, Clone, Debug)]
pub struct RecordRow {
    pub id: i64,
    pub when: String,
    pub kind: String,
    pub customer: String,
    pub customer_href: String,
    pub contact: String,
    pub author: String,
    pub content: String,
    pub progress: String,
    pub next_revisit: String,
    pub may_change: bool,
}

/// `records/list.html`.
#[derive(Serialize, Clone, Debug, Default)]
pub struct RecordsPage {
    /// Mine / Team.
    pub tabs: Vec<Tab>,
    pub team: bool,
    pub kinds: Vec<SelectOption>,
    pub authors: Vec<SelectOption>,
    pub q: String,
    pub from: String,
    pub to: String,
    pub customer: String,
    pub rows: Vec<RecordRow>,
    pub total: i64,
    pub pager: Option<Pager>,
    pub export_href: String,
    pub may_export: bool,
    pub error: Option<String>,
}

/// A revisit or reminder due, on the home page.
#[derive(Serialize, Clone, Debug)]
pub struct DueItem {
    pub href: String,
    pub name: String,
    pub when: String,
    pub text: String,
    pub overdue: bool,
}

/// The home page's part: due revisits and today's reminders.
#[derive(Serialize, Clone, Debug, Default)]
pub struct DueLists {
    pub revisits: Vec<DueItem>,
    pub reminders: Vec<DueItem>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::render::tests::render_with;

    pub(crate) fn trail() -> CustomerTrail {
        CustomerTrail {
            customer_id: 3,
            filters: vec![Tab {
                href: "/customers/3?tl=record".into(),
                label: "Records".into(),
                on: true,
            }],
            items: vec![TrailItem {
                kind: "record",
                label: "Call".into(),
                when: "2026-12-01 10:00".into(),
                who: "Li".into(),
                text: "Asked for prices".into(),
                detail: "Quotation".into(),
                href: Some("/records/1".into()),
                record_id: Some(1),
                may_change: true,
            }],
            pager: Some(Pager {
                page: 1,
                pages: 2,
                total: 40,
                prev: None,
                next: Some("/customers/3?tp=2".into()),
            }),
            total: 40,
            fields: vec![crate::render::Field {
                name: "content".into(),
                label: "Content".into(),
                kind: "textarea",
                value: String::new(),
                options: Vec::new(),
                suggestions: Vec::new(),
                error: Some("Required.".into()),
            }],
        }
    }

    pub(crate) fn due() -> DueLists {
        let item = DueItem {
            href: "/customers/3".into(),
            name: "Acme".into(),
            when: "2026-12-01".into(),
            text: "call back".into(),
            overdue: true,
        };
        DueLists {
            revisits: vec![item.clone()],
            reminders: vec![item],
        }
    }

    pub(crate) fn the_records_pages_render() {
        let option = SelectOption {
            value: "call".into(),
            label: "Call".into(),
            on: true,
        };
        render_with(
            "records/list.html",
            RecordsPage {
                tabs: vec![Tab {
                    href: "/records".into(),
                    label: "Mine".into(),
                    on: true,
                }],
                team: true,
                kinds: vec![option.clone()],
                authors: vec![option],
                q: "q".into(),
                from: "2026-12-01".into(),
                to: "2026-12-31".into(),
                customer: "3".into(),
                rows: vec![RecordRow {
                    id: 1,
                    when: "w".into(),
                    kind: "Call".into(),
                    customer: "Acme".into(),
                    customer_href: "/customers/3".into(),
                    contact: "Hans".into(),
                    author: "Li".into(),
                    content: "text".into(),
                    progress: "Quotation".into(),
                    next_revisit: "2026-12-09".into(),
                    may_change: true,
                }],
                total: 1,
                pager: None,
                export_href: "/records/export".into(),
                may_export: true,
                error: Some("bad".into()),
            },
        );
    }
}
