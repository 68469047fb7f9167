//! The orders list: Mine / Team × in progress / open / all, by status and by number or
//! customer name — seed 003's 订单跟进(正进行), 订单跟进(全部) (the orders one follows)
//! and 我的订单 (the ones one sold).

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use wharf_core::DomainError;
use wharf_core::money::{Currency, Money, format_money};
use wharf_core::orders::OrderStatus;
use wharf_store::orders::{OrderQuery, OrderSummary, Progress};

use super::views::{ListPage, OrderRow};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::i18n::{self, Locale};
use crate::render::{Pager, SelectOption, Tab, page};

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default, Debug)]
pub struct ListParams {
    #[serde(default)]
    pub view: String,
    #[serde(default)]
    pub progress: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub customer: String,
    #[serde(default)]
    pub page: String,
}

impl ListParams {
    pub fn query(&self) -> Result<OrderQuery, AppError> {
        let bad = |field| AppError::Domain(DomainError::field(field, "invalid_choice"));
        let progress = match self.progress.trim() {
            "" | "in_progress" => Progress::InProgress,
            "open" => Progress::Open,
            "all" => Progress::All,
            _ => return Err(bad("progress")),
        };
        let status = match self.status.trim() {
            "" => None,
            code => Some(OrderStatus::from_code(code).ok_or_else(|| bad("status"))?),
        };
        let customer = match self.customer.trim() {
            "" => None,
            v => Some(v.parse().map_err(|_| bad("customer"))?),
        };
        if self.q.chars().count() > 200 {
            return Err(AppError::Domain(DomainError::field("q", "too_long")));
        }
        Ok(OrderQuery {
            team: self.view == "team",
            progress,
            status,
            customer,
            text: self.q.trim().to_owned(),
            // Bounded: an absurd page is the last one, never an overflow.
            page: self
                .page
                .trim()
                .parse::<i64>()
                .unwrap_or(1)
                .clamp(1, 100_000),
            per_page: PER_PAGE,
        })
    }
}

pub(super) fn status_label(locale: Locale, code: &str) -> String {
    i18n::t(locale, &format!("order.status.{code}"))
}

pub(super) fn money_text(amount: wharf_core::money::Decimal, code: &str) -> String {
    Currency::from_code(code)
        .map(|currency| format_money(Money { amount, currency }))
        .unwrap_or_else(|_| amount.to_string())
}

fn row(req: &Req, o: &OrderSummary) -> OrderRow {
    OrderRow {
        id: o.id,
        number: o.number.clone(),
        href: format!("/orders/{}", o.id),
        customer: o.customer_name.clone(),
        customer_href: format!("/customers/{}", o.customer_id),
        seller: o.seller_name.clone(),
        follower: o.follower_name.clone(),
        status: status_label(req.locale, &o.status),
        status_code: o.status.clone(),
        paused: o.follow == "paused",
        total: money_text(o.total, &o.currency),
        ordered_on: o.ordered_on.clone(),
        eta: o.eta.clone().unwrap_or_default(),
    }
}

fn progress_code(p: Progress) -> &'static str {
    match p {
        Progress::InProgress => "",
        Progress::Open => "open",
        Progress::All => "all",
    }
}

/// GET /orders
pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let q = p.query()?;
    let found = state.store.list_orders(req.actor()?, &q).await?;
    let href = |team: bool, progress: Progress| {
        let mut pairs = Vec::new();
        if team {
            pairs.push("view=team".to_owned());
        }
        if !progress_code(progress).is_empty() {
            pairs.push(format!("progress={}", progress_code(progress)));
        }
        if pairs.is_empty() {
            "/orders".to_owned()
        } else {
            format!("/orders?{}", pairs.join("&"))
        }
    };
    // The pager keeps the search and the status as well.
    let mut here = href(q.team, q.progress);
    let mut kept = Vec::new();
    if let Some(status) = q.status {
        kept.push(("status", status.code().to_owned()));
    }
    if !q.text.is_empty() {
        kept.push(("q", q.text.clone()));
    }
    if !kept.is_empty() {
        let sep = if here.contains('?') { '&' } else { '?' };
        here = format!(
            "{here}{sep}{}",
            serde_urlencoded::to_string(&kept).unwrap_or_default()
        );
    }
    let sep = if here.contains('?') { '&' } else { '?' };
    let pages = ((found.total + PER_PAGE - 1) / PER_PAGE).max(1);
    let data = ListPage {
        tabs: vec![
            Tab {
                href: href(false, q.progress),
                label: req.t("order.mine"),
                on: !q.team,
            },
            Tab {
                href: href(true, q.progress),
                label: req.t("order.team"),
                on: q.team,
            },
        ],
        progress: [
            (Progress::InProgress, "order.in_progress"),
            (Progress::Open, "order.open"),
            (
                Progress::All,
                if q.team {
                    "order.all"
                } else {
                    "order.mine_all"
                },
            ),
        ]
        .into_iter()
        .map(|(p, key)| Tab {
            href: href(q.team, p),
            label: req.t(key),
            on: q.progress == p,
        })
        .collect(),
        team: q.team,
        progress_code: progress_code(q.progress).to_owned(),
        statuses: OrderStatus::ALL
            .iter()
            .map(|s| SelectOption {
                value: s.code().to_owned(),
                label: status_label(req.locale, s.code()),
                on: q.status == Some(*s),
            })
            .collect(),
        q: q.text.clone(),
        rows: found.items.iter().map(|o| row(&req, o)).collect(),
        total: found.total,
        pager: (pages > 1).then(|| Pager {
            page: found.page,
            pages,
            total: found.total,
            prev: (found.page > 1).then(|| format!("{here}{sep}page={}", found.page - 1)),
            next: (found.page < pages).then(|| format!("{here}{sep}page={}", found.page + 1)),
        }),
    };
    Ok(page(
        &req,
        "orders/list.html",
        "sales",
        &req.t("order.list"),
        &data,
    ))
}
