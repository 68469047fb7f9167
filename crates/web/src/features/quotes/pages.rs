//! The quote page (a version's header, its table with group subtotals, totals in the
//! quote's currency and the base currency at the stored rate, the versions, what the
//! reader may do next) and its actions: submit, approve / decline, close.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use wharf_core::DomainError;
use wharf_core::money::{
    Currency, Decimal, Money, format_amount, format_money, format_price, format_quantity,
    round_to_minor,
};
use wharf_core::quotes::{QuoteStatus, format_discount};
use wharf_store::quotes::QuoteDetail;

use super::views::{Action, Delivery, Pair, QuotePage, ShownRow, VersionLink};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::i18n::{self, Locale};
use crate::render::{page, when};

#[derive(Deserialize, Default)]
pub struct VersionParam {
    #[serde(default)]
    pub v: String,
}

impl VersionParam {
    pub fn version(&self) -> Result<Option<i64>, AppError> {
        match self.v.trim() {
            "" => Ok(None),
            v => v
                .parse()
                .map(Some)
                .map_err(|_| AppError::Domain(DomainError::NotFound)),
        }
    }
}

/// The currency of a stored version (stored codes were checked on the way in).
pub(super) fn currency_of(code: &str) -> Result<Currency, AppError> {
    Currency::from_code(code).map_err(|_| AppError::Internal(format!("stored currency {code}")))
}

/// "12.50": a unit price without its code (the column says the currency).
pub(crate) fn price(amount: Decimal, currency: Currency) -> String {
    let text = format_price(Money { amount, currency });
    text.trim_end_matches(currency.code()).trim_end().to_owned()
}

/// The table of a version: its rows, each group closed by its subtotal.
pub(super) fn shown_rows(locale: Locale, q: &QuoteDetail) -> Result<Vec<ShownRow>, AppError> {
    let currency = currency_of(&q.shown.currency)?;
    let mut rows = Vec::with_capacity(q.lines.len() + 4);
    let mut group: Option<Decimal> = None;
    let close = |rows: &mut Vec<ShownRow>, sum: Decimal| {
        rows.push(ShownRow {
            kind: "subtotal",
            name: i18n::t(locale, "quote.subtotal"),
            amount: format_amount(sum, currency),
            ..ShownRow::default()
        })
    };
    let mut n = 0;
    for line in &q.lines {
        if line.is_group() {
            if let Some(sum) = group.take() {
                close(&mut rows, sum);
            }
            group = Some(Decimal::ZERO);
            rows.push(ShownRow {
                kind: "group",
                name: line.name.clone(),
                ..ShownRow::default()
            });
            continue;
        }
        n += 1;
        if let Some(sum) = group.as_mut() {
            *sum += line.amount;
        }
        rows.push(ShownRow {
            kind: "item",
            no: n.to_string(),
            name: line.name.clone(),
            model: line.model.clone(),
            description: line.description.clone(),
            quantity: format_quantity(line.quantity),
            unit: line.unit.clone(),
            unit_price: price(line.unit_price, currency),
            discount: format_discount(line.discount),
            amount: format_amount(line.amount, currency),
        });
    }
    if let Some(sum) = group {
        close(&mut rows, sum);
    }
    Ok(rows)
}

/// The total, and the same in the base currency at the stored rate when they differ.
pub(super) fn totals(locale: Locale, q: &QuoteDetail) -> Result<Vec<Pair>, AppError> {
    let v = &q.shown;
    let currency = currency_of(&v.currency)?;
    let mut out = vec![Pair {
        label: i18n::t(locale, "quote.total"),
        value: format_money(Money {
            amount: v.total,
            currency,
        }),
    }];
    if v.rate_base != v.currency
        && let Ok(base) = Currency::from_code(&v.rate_base)
    {
        out.push(Pair {
            label: i18n::t_with(
                locale,
                "quote.total_in_base",
                &[
                    ("rate", &v.rate.normalize().to_string()),
                    ("day", &v.rate_on),
                ],
            ),
            value: format_money(Money {
                amount: round_to_minor(v.total * v.rate, base),
                currency: base,
            }),
        });
    }
    Ok(out)
}

/// The header's terms: Incoterm with the port, ports, payment, validity.
pub(super) fn terms(locale: Locale, q: &QuoteDetail) -> Vec<Pair> {
    let v = &q.shown;
    let mut out = Vec::new();
    let mut push = |key: &str, value: String| {
        if !value.trim().is_empty() {
            out.push(Pair {
                label: i18n::t(locale, key),
                value,
            });
        }
    };
    push("field.incoterm", v.incoterm.clone().unwrap_or_default());
    push("field.port_loading", v.port_loading.clone());
    push("field.port_destination", v.port_destination.clone());
    push("field.payment_terms", v.payment_terms.clone());
    push("field.valid_until", v.valid_until.clone());
    out
}

pub(super) fn status_label(locale: Locale, code: &str) -> String {
    i18n::t(locale, &format!("quote.status.{code}"))
}

/// GET /quotes/{id}
pub async fn show(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(p): Query<VersionParam>,
) -> Result<Response, AppError> {
    let q = state.store.quote(req.actor()?, id, p.version()?).await?;
    let zone = req.zone()?;
    let locale = req.locale;
    let v = &q.shown;
    let status = QuoteStatus::from_code(&v.status).unwrap_or(QuoteStatus::Draft);
    let current = v.version == q.summary.version;
    let number = wharf_core::quotes::QuoteNumber::parse(&q.summary.number)
        .map(|n| n.with_version(v.version))
        .unwrap_or_else(|| q.summary.number.clone());
    let mut header = vec![
        Pair {
            label: req.t("field.quote_date"),
            value: v.quote_date.clone(),
        },
        Pair {
            label: req.t("field.currency"),
            value: v.currency.clone(),
        },
    ];
    if !v.contact_name.is_empty() {
        header.push(Pair {
            label: req.t("field.contact_id"),
            value: v.contact_name.clone(),
        });
    }
    header.push(Pair {
        label: req.t("quote.owner"),
        value: q.summary.owner_name.clone(),
    });
    header.extend(terms(locale, &q));
    if !v.notes.is_empty() {
        header.push(Pair {
            label: req.t("field.notes"),
            value: v.notes.clone(),
        });
    }
    let mut actions = Vec::new();
    if current && q.may_change {
        let post =
            |id: &'static str, path: &str, label: &str, name: &'static str, value: &'static str| {
                Action {
                    id,
                    action: format!("/quotes/{}/{path}", q.summary.id),
                    label: req.t(label),
                    name,
                    value,
                }
            };
        match status {
            QuoteStatus::Draft => actions.push(post("submit", "submit", "quote.submit", "", "")),
            QuoteStatus::Approved | QuoteStatus::Sent => {
                actions.push(post(
                    "accepted",
                    "close",
                    "quote.mark_accepted",
                    "to",
                    "accepted",
                ));
                actions.push(post(
                    "rejected",
                    "close",
                    "quote.mark_rejected",
                    "to",
                    "rejected",
                ));
                actions.push(post(
                    "expired",
                    "close",
                    "quote.mark_expired",
                    "to",
                    "expired",
                ));
            }
            _ => {}
        }
    }
    let mut history = vec![Pair {
        label: req.t("quote.created"),
        value: format!("{} · {}", when(v.created_at, zone), v.created_by_name),
    }];
    if let Some(t) = v.submitted_at {
        history.push(Pair {
            label: req.t("quote.submitted"),
            value: when(t, zone),
        });
    }
    if let Some(t) = v.decided_at {
        let mut value = format!("{} · {}", when(t, zone), v.decided_by_name);
        if !v.decline_reason.is_empty() {
            value.push_str(&format!(" · {}", v.decline_reason));
        }
        history.push(Pair {
            label: req.t("quote.decided"),
            value,
        });
    }
    if let Some(t) = v.sent_at {
        history.push(Pair {
            label: req.t("quote.sent_at"),
            value: when(t, zone),
        });
    }
    // The mail it went with: what the outbox says, never "queued" after a failure.
    let delivery = match v.sent_message_id {
        Some(m) => state
            .store
            .outgoing_for_message(m)
            .await?
            .map(|o| Delivery {
                text: req.t(&format!("mail.delivery.{}", o.state)),
                error: if matches!(o.state.as_str(), "failed" | "retrying") {
                    o.last_error.clone()
                } else {
                    String::new()
                },
                state: o.state,
                href: format!("/mail?view=sent&m={m}"),
            }),
        None => None,
    };
    let mail_action =
        (current && q.may_change && matches!(status, QuoteStatus::Approved | QuoteStatus::Sent))
            .then(|| format!("/quotes/{}/mail", q.summary.id));
    let order = state
        .store
        .order_of_quote(req.actor()?, q.summary.id)
        .await?
        .map(|(id, number)| (number, format!("/orders/{id}")));
    let order_action = (current
        && q.may_change
        && order.is_none()
        && matches!(
            status,
            QuoteStatus::Approved | QuoteStatus::Sent | QuoteStatus::Accepted
        ))
    .then(|| format!("/orders/new?quote={}", q.summary.id));
    let version_query = if current {
        String::new()
    } else {
        format!("&v={}", v.version)
    };
    let data = QuotePage {
        id: q.summary.id,
        number: number.clone(),
        status: status_label(locale, &v.status),
        status_code: v.status.clone(),
        customer_name: q.summary.customer_name.clone(),
        customer_href: format!("/customers/{}", q.summary.customer_id),
        header,
        rows: shown_rows(locale, &q)?,
        totals: totals(locale, &q)?,
        versions: q
            .versions
            .iter()
            .map(|x| VersionLink {
                label: format!("v{}", x.version),
                status: status_label(locale, &x.status),
                href: format!("/quotes/{}?v={}", q.summary.id, x.version),
                on: x.version == v.version,
            })
            .collect(),
        edit_href: (current && q.may_change && status != QuoteStatus::AwaitingApproval)
            .then(|| format!("/quotes/{}/edit", q.summary.id)),
        pdf_en: format!("/quotes/{}/pdf?lang=en{version_query}", q.summary.id),
        pdf_zh: format!("/quotes/{}/pdf?lang=zh-CN{version_query}", q.summary.id),
        actions,
        decide_action: (current && (q.may_approve || q.approve_alone))
            .then(|| format!("/quotes/{}/decide", q.summary.id)),
        approve_alone: current && q.approve_alone,
        decline_reason: v.decline_reason.clone(),
        history,
        mail_action,
        delivery,
        order_action,
        order,
    };
    Ok(page(&req, "quotes/show.html", "sales", &number, &data))
}

/// POST /quotes/{id}/submit
pub async fn submit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.submit_quote(req.ctx()?, id).await?;
    Ok(Redirect::to(&format!("/quotes/{id}")).into_response())
}

/// POST /quotes/{id}/decide: `approve` = 1 or 0, `reason` (required to decline).
pub async fn decide(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let approve = form.get("approve") == "1";
    state
        .store
        .decide_quote(req.ctx()?, id, approve, &form.get("reason"))
        .await?;
    Ok(Redirect::to(&format!("/quotes/{id}")).into_response())
}

/// POST /quotes/{id}/close: `to` = accepted, rejected or expired.
pub async fn close(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let to = QuoteStatus::from_code(&form.get("to"))
        .ok_or_else(|| AppError::Domain(DomainError::field("to", "invalid_choice")))?;
    state.store.close_quote(req.ctx()?, id, to).await?;
    Ok(Redirect::to(&format!("/quotes/{id}")).into_response())
}
