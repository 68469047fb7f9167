//! The page data of the customer templates (`templates/customers/{list,show,print}.html`):
//! one struct per template, with the rows they draw; the handlers fill them.

use serde::Serialize;

use crate::render::SelectOption;

/// A link of a row of filters or tabs (`quick-<code>`, `view-<code>`).
#[derive(Serialize)]
pub struct FilterLink {
    pub code: &'static str,
    pub href: String,
    pub label: String,
    pub on: bool,
}

/// A column head of the customer list: sortable when it has a link.
#[derive(Serialize)]
pub struct ColumnHead {
    pub label: String,
    pub href: Option<String>,
    /// ▲ or ▼ on the column the list is sorted by.
    pub arrow: &'static str,
}

#[derive(Serialize)]
pub struct CustomerRow {
    pub id: i64,
    pub href: String,
    pub name: String,
    pub follow: bool,
    /// The stage's flag (contacted, paused …), as read.
    pub flag: String,
    /// The chosen columns' text, in order.
    pub cells: Vec<String>,
}

/// A column the user may show (`col-<code>`).
#[derive(Serialize)]
pub struct ColumnChoice {
    pub code: String,
    pub label: String,
    pub on: bool,
}

/// A select option compared by the template (`value == current`), not ticked here.
#[derive(Serialize)]
pub struct Labelled {
    pub value: String,
    pub label: String,
}

/// One row of the query builder.
#[derive(Serialize)]
pub struct ConditionRow {
    pub i: usize,
    pub field: String,
    pub op: String,
    pub value: String,
    /// Joined to the row before with "or" (else "and").
    pub or: bool,
}

#[derive(Serialize)]
pub struct SavedQuery {
    pub id: i64,
    pub name: String,
    pub href: String,
}

/// A person or group to choose, ticked when `on`.
#[derive(Serialize)]
pub struct Named {
    pub id: i64,
    pub name: String,
    pub on: bool,
}

/// `customers/list.html`: the list with its filters, query builder, column chooser,
/// bulk actions and pager.
#[derive(Serialize)]
pub struct ListPage {
    /// The sales path's part: flag tabs and reserve filters of the chosen stage.
    pub path: crate::features::pipeline::views::ListPath,
    pub bulk_flags: Vec<crate::features::pipeline::views::PathLink>,
    pub total: i64,
    pub quicks: Vec<FilterLink>,
    pub quick: String,
    pub q: String,
    pub sort: String,
    pub desc: String,
    pub revisit: String,
    pub stages: Vec<SelectOption>,
    pub groups: Vec<Named>,
    /// The owners and departments within the user's scope (empty: no filter offered).
    pub owners: Vec<Named>,
    pub departments: Vec<Named>,
    pub revisits: Vec<SelectOption>,
    pub export_xlsx: String,
    pub export_csv: String,
    pub print_href: String,
    /// The tracking screen over this same list (its filter and order).
    pub track_href: String,
    pub list_href: String,
    pub column_choices: Vec<ColumnChoice>,
    pub builder_open: bool,
    pub query_error: Option<String>,
    pub builder: Vec<ConditionRow>,
    pub field_options: Vec<Labelled>,
    pub op_options: Vec<Labelled>,
    /// The query in force, offered for saving.
    pub current_query: String,
    pub saved: Vec<SavedQuery>,
    pub columns: Vec<ColumnHead>,
    pub rows: Vec<CustomerRow>,
    /// Everyone a ticked customer may be transferred to.
    pub staff: Vec<Named>,
    pub page_no: i64,
    pub pages: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

/// `customers/print.html`: the list as a printable table.
#[derive(Serialize)]
pub struct PrintPage {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub meta: String,
    /// Says the table was cut at its limit.
    pub cut: Option<String>,
    pub back: String,
}

#[derive(Serialize)]
pub struct LabelValue {
    pub label: String,
    pub value: String,
}

#[derive(Serialize)]
pub struct HistoryRow {
    pub when: String,
    pub user: String,
    pub field: String,
    pub old: String,
    pub new: String,
}

#[derive(Serialize)]
pub struct OwnerLogRow {
    pub when: String,
    pub user: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct DocumentRow {
    pub id: i64,
    pub name: String,
    pub size: String,
    pub by: String,
    pub when: String,
}

/// One conversation with the customer: its latest mail.
#[derive(Serialize)]
pub struct MailRow {
    pub id: i64,
    pub href: String,
    pub when: String,
    pub out: bool,
    pub who: String,
    pub subject: String,
    pub attach: bool,
    pub unread: bool,
    /// How many mails the conversation has, when more than one.
    pub count: Option<usize>,
}

/// A file exchanged by mail with the customer.
#[derive(Serialize)]
pub struct FileRow {
    pub name: String,
    pub size: String,
    pub when: String,
    pub out: bool,
    pub subject: String,
    pub href: String,
    pub mail_href: String,
}

/// A contact on the customer's page.
#[derive(Serialize)]
pub struct ContactCard {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub gender: String,
    pub emails: String,
    pub phones: String,
    /// "WeChat: …" and the like, joined.
    pub ims: String,
    pub notes: String,
    pub primary: bool,
}

/// `customers/show.html`: one customer with everything about them.
#[derive(Serialize)]
pub struct ShowPage {
    pub id: i64,
    pub name: String,
    pub follow: bool,
    pub sharing: String,
    pub owners: String,
    pub in_pool: bool,
    pub may_edit: bool,
    pub is_owner: bool,
    pub profile: Vec<LabelValue>,
    pub contacts: Vec<ContactCard>,
    pub history: Vec<HistoryRow>,
    pub owner_log: Vec<OwnerLogRow>,
    pub staff: Vec<Named>,
    pub documents: Vec<DocumentRow>,
    pub mails: Vec<MailRow>,
    pub mail_total: usize,
    pub files: Vec<FileRow>,
    /// Records, mail, documents and owner changes in one history, and the add form
    /// (`features/records/timeline.rs`).
    pub trail: crate::features::records::views::CustomerTrail,
    /// The sales path's part (promote / demote, flags, the stage log).
    pub stage_bar: crate::features::pipeline::views::StageBar,
    pub groups: Vec<wharf_store::customers::groups::Group>,
    pub all_groups: Vec<String>,
    /// Pending transfer requests for it, when the viewer may decide them.
    pub transfer_requests: Vec<super::transfer_requests::TransferRow>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::render::tests::render_with;

    fn option(value: &str, on: bool) -> SelectOption {
        SelectOption {
            value: value.into(),
            label: value.into(),
            on,
        }
    }

    #[test]
    pub(crate) fn the_list_renders_its_data() {
        let data = ListPage {
            path: crate::features::pipeline::views::ListPath {
                flags: vec![crate::features::pipeline::views::PathLink {
                    code: "paused".into(),
                    label: "Paused".into(),
                    href: "/customers?stage=won&flag=paused".into(),
                    on: true,
                }],
                likes: vec![crate::features::pipeline::views::PathLink::default()],
                flag: "paused".into(),
                like: "city".into(),
            },
            bulk_flags: vec![crate::features::pipeline::views::PathLink::default()],
            total: 1,
            quicks: vec![FilterLink {
                code: "all",
                href: "/customers".into(),
                label: "All".into(),
                on: true,
            }],
            quick: "mine".into(),
            q: "acme".into(),
            sort: "name".into(),
            desc: "1".into(),
            revisit: String::new(),
            stages: vec![option("lead", true)],
            groups: vec![Named {
                id: 3,
                name: "VIP".into(),
                on: false,
            }],
            owners: vec![Named {
                id: 4,
                name: "Lucy".into(),
                on: true,
            }],
            departments: vec![Named {
                id: 5,
                name: "Sales".into(),
                on: false,
            }],
            revisits: vec![option("today", false)],
            export_xlsx: "/x".into(),
            export_csv: "/c".into(),
            print_href: "/p".into(),
            track_href: "/track?".into(),
            list_href: "/customers".into(),
            column_choices: vec![ColumnChoice {
                code: "stage".into(),
                label: "Stage".into(),
                on: true,
            }],
            builder_open: true,
            query_error: Some("bad query".into()),
            builder: vec![ConditionRow {
                i: 1,
                field: "name".into(),
                op: "contains".into(),
                value: "a".into(),
                or: true,
            }],
            field_options: vec![Labelled {
                value: "name".into(),
                label: "Name".into(),
            }],
            op_options: vec![Labelled {
                value: "contains".into(),
                label: "contains".into(),
            }],
            current_query: "c0_f=name".into(),
            saved: vec![SavedQuery {
                id: 1,
                name: "Mine".into(),
                href: "/customers?x".into(),
            }],
            columns: vec![ColumnHead {
                label: "Name".into(),
                href: None,
                arrow: "",
            }],
            rows: vec![CustomerRow {
                id: 9,
                href: "/customers/9".into(),
                name: "Acme".into(),
                follow: true,
                flag: "Paused".into(),
                cells: vec!["lead".into()],
            }],
            staff: vec![Named {
                id: 2,
                name: "Li".into(),
                on: false,
            }],
            page_no: 2,
            pages: 3,
            prev_href: Some("/customers?page=1".into()),
            next_href: Some("/customers?page=3".into()),
        };
        let html = render_with("customers/list.html", data);
        for part in [
            r#"id="customer-9""#,
            r#"id="query-error""#,
            r#"id="prev""#,
            r#"id="next""#,
        ] {
            assert!(html.contains(part), "{part}");
        }
    }

    #[test]
    pub(crate) fn the_record_and_print_render_their_data() {
        let data = ShowPage {
            id: 9,
            name: "Acme".into(),
            follow: true,
            sharing: "private".into(),
            owners: "Li".into(),
            in_pool: false,
            may_edit: true,
            is_owner: true,
            profile: vec![LabelValue {
                label: "City".into(),
                value: "Ningbo".into(),
            }],
            contacts: vec![ContactCard {
                id: 6,
                name: "Wang".into(),
                title: "Buyer".into(),
                gender: String::new(),
                emails: "w@x.cn".into(),
                phones: String::new(),
                ims: String::new(),
                notes: String::new(),
                primary: true,
            }],
            history: vec![HistoryRow {
                when: "w".into(),
                user: "u".into(),
                field: "f".into(),
                old: "o".into(),
                new: "n".into(),
            }],
            owner_log: vec![OwnerLogRow {
                when: "w".into(),
                user: "u".into(),
                text: "t".into(),
            }],
            staff: vec![Named {
                id: 2,
                name: "Li".into(),
                on: true,
            }],
            documents: vec![DocumentRow {
                id: 4,
                name: "a.pdf".into(),
                size: "1 KB".into(),
                by: "Li".into(),
                when: "w".into(),
            }],
            mails: vec![MailRow {
                id: 5,
                href: "/mail?m=5".into(),
                when: "w".into(),
                out: true,
                who: "x".into(),
                subject: "s".into(),
                attach: true,
                unread: true,
                count: Some(2),
            }],
            mail_total: 1,
            files: vec![FileRow {
                name: "f.pdf".into(),
                size: "1 KB".into(),
                when: "w".into(),
                out: false,
                subject: "s".into(),
                href: "/h".into(),
                mail_href: "/m".into(),
            }],
            trail: crate::features::records::views::tests::trail(),
            stage_bar: crate::features::pipeline::views::tests::sample_bar(),
            groups: vec![wharf_store::customers::groups::Group {
                id: 1,
                name: "VIP".into(),
            }],
            all_groups: vec!["VIP".into()],
            transfer_requests: vec![super::super::transfer_requests::tests::row(true)],
        };
        let html = render_with("customers/show.html", data);
        for part in [
            r#"id="release""#,
            r#"id="document-4""#,
            r#"id="cmail-5""#,
            r#"id="contact-6""#,
            r#"id="approve-3""#,
        ] {
            assert!(html.contains(part), "{part}");
        }
        render_with(
            "customers/print.html",
            PrintPage {
                header: vec!["Name".into()],
                rows: vec![vec!["Acme".into()]],
                meta: "m".into(),
                cut: Some("cut".into()),
                back: "/customers".into(),
            },
        );
    }
}
