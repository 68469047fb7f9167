//! The catalog list: search words, type, currency and status filters, paged.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use wharf_core::Permission;
use wharf_core::dict::DictKind;
use wharf_core::money::Currency;
use wharf_store::products::ProductFilter;

use super::views::{ProductRow, chinese, row};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::{Pager, SelectOption, page};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub type_id: String,
    #[serde(default)]
    pub currency: String,
    /// `active` (default), `archived` or `all`.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub page: Option<i64>,
}

#[derive(Serialize)]
struct ListData {
    rows: Vec<ProductRow>,
    q: String,
    types: Vec<SelectOption>,
    currencies: Vec<SelectOption>,
    statuses: Vec<SelectOption>,
    total: i64,
    pager: Pager,
    may_manage: bool,
    may_export: bool,
    export_href: String,
}

fn options(pairs: Vec<(String, String)>, on: &str) -> Vec<SelectOption> {
    pairs
        .into_iter()
        .map(|(value, label)| SelectOption {
            on: value == on,
            value,
            label,
        })
        .collect()
}

/// The filter of a query string; a value that is no type, currency or status is the
/// error of its field.
pub(super) fn filter_of(q: &ListQuery) -> Result<ProductFilter, AppError> {
    let bad = |field, code| AppError::Domain(wharf_core::DomainError::field(field, code));
    let type_id = match q.type_id.trim() {
        "" => None,
        t => Some(
            t.parse::<i64>()
                .map_err(|_| bad("type_id", "invalid_choice"))?,
        ),
    };
    let currency = match q.currency.trim() {
        "" => None,
        c => Some(Currency::from_code(c).map_err(|e| bad("currency", e.code()))?),
    };
    let active = match q.status.as_str() {
        "" | "active" => Some(true),
        "archived" => Some(false),
        "all" => None,
        _ => return Err(bad("status", "invalid_choice")),
    };
    Ok(ProductFilter {
        q: q.q.chars().take(200).collect(),
        type_id,
        active,
        currency,
        page: q.page.unwrap_or(1),
        per_page: 50,
    })
}

pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let filter = filter_of(&q)?;
    let list = state.store.list_products(actor, &filter).await?;
    let zh = chinese(&req);
    let mut types = vec![(String::new(), req.t("products.all_types"))];
    types.extend(
        state
            .store
            .list_dict(actor, DictKind::ProductType)
            .await?
            .into_iter()
            .map(|d| (d.id.to_string(), if zh { d.name_zh } else { d.name_en })),
    );
    let mut currencies = vec![(String::new(), req.t("products.all_currencies"))];
    currencies.extend(crate::features::money::currency_options(&req));
    let statuses = ["active", "archived", "all"]
        .map(|s| (s.to_string(), req.t(&format!("products.status.{s}"))))
        .to_vec();
    let status = if q.status.is_empty() {
        "active"
    } else {
        q.status.as_str()
    };
    let query_string = serde_urlencoded::to_string([
        ("q", q.q.as_str()),
        ("type_id", q.type_id.as_str()),
        ("currency", q.currency.as_str()),
        ("status", status),
    ])
    .unwrap_or_default();
    let pages = list.pages();
    let link = |p: i64| format!("/products?{query_string}&page={p}");
    let data = ListData {
        rows: list.items.iter().map(|p| row(&req, p)).collect(),
        q: q.q.clone(),
        types: options(types, q.type_id.trim()),
        currencies: options(currencies, q.currency.trim()),
        statuses: options(statuses, status),
        total: list.total,
        pager: Pager {
            page: list.page,
            pages,
            total: list.total,
            prev: (list.page > 1).then(|| link(list.page - 1)),
            next: (list.page < pages).then(|| link(list.page + 1)),
        },
        may_manage: actor.has(Permission::Products),
        may_export: actor.has(Permission::Export),
        export_href: format!("/products/export?{query_string}"),
    };
    Ok(page(
        &req,
        "products/list.html",
        "products",
        &req.t("products.title"),
        data,
    ))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::render::tests::render_with;

    pub(crate) fn renders() {
        let opt = |v: &str| SelectOption {
            value: v.into(),
            label: v.into(),
            on: true,
        };
        let html = render_with(
            "products/list.html",
            ListData {
                rows: vec![ProductRow {
                    id: 1,
                    name: "球阀".into(),
                    other_name: "Ball valve".into(),
                    model: "BV-200".into(),
                    type_name: "Valves".into(),
                    unit: "pcs".into(),
                    moq: "100".into(),
                    prices: vec!["12.50 USD".into()],
                    active: false,
                    picture_id: Some(3),
                }],
                q: "valve".into(),
                types: vec![opt("1")],
                currencies: vec![opt("USD")],
                statuses: vec![opt("active")],
                total: 1,
                pager: Pager {
                    page: 1,
                    pages: 2,
                    total: 51,
                    prev: None,
                    next: Some("/products?page=2".into()),
                },
                may_manage: true,
                may_export: true,
                export_href: "/products/export?q=valve".into(),
            },
        );
        assert!(html.contains("/products/files/3") && html.contains("12.50 USD"));
    }
}
