//! The quotes list (mine / team, by status) and the approval queue of a manager.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use wharf_core::money::{Money, format_money};
use wharf_core::quotes::{QuoteStatus, format_discount};
use wharf_store::quotes::{QuoteQuery, QuoteSummary};

use super::pages::{currency_of, status_label};
use super::views::{ListPage, QuoteRow};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::{Pager, SelectOption, Tab, page};

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default, Debug)]
pub struct ListParams {
    #[serde(default)]
    pub view: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub customer: String,
    #[serde(default)]
    pub page: String,
}

impl ListParams {
    pub fn query(&self) -> Result<QuoteQuery, AppError> {
        let status = match self.status.trim() {
            "" => None,
            code => Some(QuoteStatus::from_code(code).ok_or_else(|| {
                AppError::Domain(wharf_core::DomainError::field("status", "invalid_choice"))
            })?),
        };
        let customer = match self.customer.trim() {
            "" => None,
            v => Some(v.parse().map_err(|_| {
                AppError::Domain(wharf_core::DomainError::field("customer", "invalid_choice"))
            })?),
        };
        Ok(QuoteQuery {
            team: self.view == "team",
            status,
            customer,
            page: self.page.parse().unwrap_or(1),
            per_page: PER_PAGE,
        })
    }
}

pub(super) fn row(req: &Req, q: &QuoteSummary) -> QuoteRow {
    let total = currency_of(&q.currency)
        .map(|currency| {
            format_money(Money {
                amount: q.total,
                currency,
            })
        })
        .unwrap_or_else(|_| q.total.to_string());
    QuoteRow {
        id: q.id,
        number: format!("{} v{}", q.number, q.version),
        href: format!("/quotes/{}", q.id),
        customer: q.customer_name.clone(),
        customer_href: format!("/customers/{}", q.customer_id),
        owner: q.owner_name.clone(),
        status: status_label(req.locale, &q.status),
        status_code: q.status.clone(),
        total,
        max_discount: format_discount(q.max_discount),
        date: q.quote_date.clone(),
        valid_until: q.valid_until.clone(),
    }
}

/// GET /quotes
pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let q = p.query()?;
    let found = state.store.list_quotes(req.actor()?, &q).await?;
    let base = |view: &str| {
        let mut pairs = Vec::new();
        if !view.is_empty() {
            pairs.push(format!("view={view}"));
        }
        if let Some(s) = q.status {
            pairs.push(format!("status={}", s.code()));
        }
        if pairs.is_empty() {
            "/quotes".to_owned()
        } else {
            format!("/quotes?{}", pairs.join("&"))
        }
    };
    let here = base(if q.team { "team" } else { "" });
    let sep = if here.contains('?') { '&' } else { '?' };
    let pages = ((found.total + PER_PAGE - 1) / PER_PAGE).max(1);
    let data = ListPage {
        tabs: vec![
            Tab {
                href: base(""),
                label: req.t("quote.mine"),
                on: !q.team,
            },
            Tab {
                href: base("team"),
                label: req.t("quote.team"),
                on: q.team,
            },
            Tab {
                href: "/quotes/approvals".into(),
                label: req.t("quote.approvals"),
                on: false,
            },
        ],
        team: q.team,
        statuses: QuoteStatus::ALL
            .iter()
            .map(|s| SelectOption {
                value: s.code().to_owned(),
                label: status_label(req.locale, s.code()),
                on: q.status == Some(*s),
            })
            .collect(),
        rows: found.items.iter().map(|s| row(&req, s)).collect(),
        total: found.total,
        pager: (pages > 1).then(|| Pager {
            page: found.page,
            pages,
            total: found.total,
            prev: (found.page > 1).then(|| format!("{here}{sep}page={}", found.page - 1)),
            next: (found.page < pages).then(|| format!("{here}{sep}page={}", found.page + 1)),
        }),
        queue: false,
        heading: req.t("quote.list"),
    };
    Ok(page(
        &req,
        "quotes/list.html",
        "sales",
        &req.t("quote.list"),
        &data,
    ))
}

/// GET /quotes/approvals
pub async fn approvals(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let queue = state.store.quote_approval_queue(req.actor()?).await?;
    let data = ListPage {
        tabs: vec![
            Tab {
                href: "/quotes".into(),
                label: req.t("quote.mine"),
                on: false,
            },
            Tab {
                href: "/quotes?view=team".into(),
                label: req.t("quote.team"),
                on: false,
            },
            Tab {
                href: "/quotes/approvals".into(),
                label: req.t("quote.approvals"),
                on: true,
            },
        ],
        team: false,
        statuses: Vec::new(),
        rows: queue.iter().map(|s| row(&req, s)).collect(),
        total: queue.len() as i64,
        pager: None,
        queue: true,
        heading: req.t("quote.approvals"),
    };
    Ok(page(
        &req,
        "quotes/list.html",
        "sales",
        &req.t("quote.approvals"),
        &data,
    ))
}
