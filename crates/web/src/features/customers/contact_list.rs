//! Customers → Contacts: every contact of the customers the user may see, searchable by
//! name, e-mail, phone or company (SPEC CUST-2), each linked to its customer.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::{ListPage, ListRow, Pager, SearchBox, Tab, page};

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
}

pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    let page_no = p.page.parse::<i64>().unwrap_or(1).max(1);
    let result = state
        .store
        .list_contacts(req.actor()?, Some(&p.q), page_no, PER_PAGE)
        .await?;
    let rows: Vec<ListRow> = result
        .items
        .iter()
        .map(|r| {
            let k = &r.contact;
            let ims: Vec<String> = [
                ("WhatsApp", &k.whatsapp),
                ("WeChat", &k.wechat),
                ("Skype", &k.skype),
                ("QQ", &k.qq),
            ]
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(n, v)| format!("{n}: {v}"))
            .collect();
            ListRow {
                href: Some(format!("/customers/{}", k.customer_id)),
                cells: vec![
                    if k.is_primary {
                        format!("{} ★", k.name)
                    } else {
                        k.name.clone()
                    },
                    r.customer_name.clone(),
                    k.title.clone(),
                    k.emails.clone(),
                    k.phones.clone(),
                    ims.join(" · "),
                ],
            }
        })
        .collect();
    let columns = [
        "field.name",
        "contact.customer",
        "field.title",
        "field.emails",
        "field.phones",
        "contact.im",
    ]
    .map(|k| req.t(k));
    let pages = result.pages();
    let link = |n: i64| {
        format!(
            "/contacts?{}",
            serde_urlencoded::to_string([("q", p.q.as_str()), ("page", &n.to_string())])
                .unwrap_or_default()
        )
    };
    Ok(page(
        &req,
        "shared/list.html",
        "customers",
        &req.t("contact.list_title"),
        ListPage {
            subnav: vec![
                Tab {
                    href: "/customers".into(),
                    label: req.t("nav.customers"),
                    on: false,
                },
                Tab {
                    href: "/contacts".into(),
                    label: req.t("contact.list_title"),
                    on: true,
                },
            ],
            columns: columns.into(),
            rows,
            search: vec![SearchBox {
                name: "q",
                label: req.t("contact.search"),
                value: p.q.clone(),
                kind: Some("search"),
            }],
            pager: Some(Pager {
                page: page_no,
                pages,
                total: result.total,
                prev: (page_no > 1).then(|| link(page_no - 1)),
                next: (page_no < pages).then(|| link(page_no + 1)),
            }),
            new_href: None,
        },
    ))
}
