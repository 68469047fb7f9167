//! The order page (status steps, header, shipping, lines, payments, documents, the
//! follow-up log and the after-sales revisit) and its actions: move the status, pause /
//! resume, add a follow-up record, set a document's state.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::DomainError;
use wharf_core::money::Currency;
use wharf_core::orders::{DocKind, DocState, FollowState, OrderStatus, PaymentInput, PaymentKind};
use wharf_core::quotes::format_discount;
use wharf_core::zone::Day;
use wharf_store::orders::StatusChange;

use super::list::{money_text, status_label};
use super::views::{DocRow, OrderPage, Pair, ShownEvent, ShownLine, ShownPayment, Step};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{SelectOption, page, when};

/// GET /orders/{id}
pub async fn show(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let o = state.store.order(req.actor()?, id).await?;
    let zone = req.zone()?;
    let today = req.today()?;
    let status = o.status();
    let s = &o.summary;
    let steps = OrderStatus::STEPS
        .iter()
        .map(|step| Step {
            code: step.code().to_owned(),
            label: status_label(req.locale, step.code()),
            state: if status == OrderStatus::Cancelled || *step > status {
                "todo"
            } else if *step == status {
                "current"
            } else {
                "done"
            },
        })
        .collect();
    let pair = |key: &str, value: String| Pair {
        label: req.t(key),
        value,
    };
    let mut header = vec![
        pair("order.field.seller_id", s.seller_name.clone()),
        pair("order.field.follower_id", s.follower_name.clone()),
        pair("order.field.ordered_on", s.ordered_on.clone()),
        pair("order.field.currency", s.currency.clone()),
        pair(
            "order.rate",
            format!(
                "1 {} = {} {} ({})",
                s.currency,
                o.rate.normalize(),
                o.rate_base,
                o.rate_on
            ),
        ),
    ];
    if !o.payment_terms.is_empty() {
        header.push(pair("order.field.payment_terms", o.payment_terms.clone()));
    }
    if !o.notes.is_empty() {
        header.push(pair("order.field.notes", o.notes.clone()));
    }
    let dash = |v: &str| {
        if v.is_empty() {
            "—".to_owned()
        } else {
            v.to_owned()
        }
    };
    let shipping = vec![
        pair("order.field.etd", dash(s.etd.as_deref().unwrap_or(""))),
        pair("order.field.eta", dash(s.eta.as_deref().unwrap_or(""))),
        pair("order.field.port_loading", dash(&o.port_loading)),
        pair("order.field.port_destination", dash(&o.port_destination)),
        pair("order.field.carrier", dash(&o.carrier)),
        pair("order.field.bl_number", dash(&o.bl_number)),
        pair("order.field.containers", dash(&o.containers)),
        pair(
            "order.field.delivered_on",
            dash(o.delivered_on.as_deref().unwrap_or("")),
        ),
    ];
    let lines = o
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| ShownLine {
            no: (i + 1).to_string(),
            name: l.name.clone(),
            model: l.model.clone(),
            quantity: l.quantity.normalize().to_string(),
            unit: l.unit.clone(),
            // As the quote shows them: the price with the currency's decimals at least,
            // a discount with two (never "5 %" beside "5.00 %" in the quote).
            unit_price: Currency::from_code(&s.currency)
                .map(|currency| crate::features::quotes::pages::price(l.unit_price, currency))
                .unwrap_or_else(|_| l.unit_price.to_string()),
            discount: if l.discount.is_zero() {
                String::new()
            } else {
                format_discount(l.discount)
            },
            amount: money_text(l.amount, &s.currency),
        })
        .collect();
    let payments = o
        .payments
        .iter()
        .map(|p| {
            let input = PaymentInput {
                kind: PaymentKind::from_code(&p.kind).unwrap_or(PaymentKind::Other),
                amount: p.amount,
                due_on: p.due_on.as_deref().and_then(Day::parse_iso),
                received_on: p.received_on.as_deref().and_then(Day::parse_iso),
            };
            let state = input.state(today);
            ShownPayment {
                kind: req.t(&format!("order.payment.{}", p.kind)),
                amount: money_text(p.amount, &s.currency),
                due_on: dash(p.due_on.as_deref().unwrap_or("")),
                received_on: dash(p.received_on.as_deref().unwrap_or("")),
                state: req.t(&format!("order.payment_state.{}", state.code())),
                state_code: state.code().to_owned(),
            }
        })
        .collect();
    let documents = o
        .documents
        .iter()
        .map(|d| DocRow {
            kind: d.kind.clone(),
            label: req.t(&format!("order.doc.{}", d.kind)),
            state: req.t(&format!("order.doc_state.{}", d.state)),
            state_code: d.state.clone(),
            states: DocState::ALL
                .iter()
                .map(|st| SelectOption {
                    value: st.code().to_owned(),
                    label: req.t(&format!("order.doc_state.{}", st.code())),
                    on: st.code() == d.state,
                })
                .collect(),
        })
        .collect();
    let events = o
        .events
        .iter()
        .map(|e| ShownEvent {
            when: when(e.at, zone),
            who: e.user_name.clone(),
            what: match e.kind.as_str() {
                "status" => format!(
                    "{} → {}",
                    status_label(req.locale, &e.from_value),
                    status_label(req.locale, &e.to_value)
                ),
                "follow" => req.t(&format!("order.follow.{}", e.to_value)),
                "document" => format!(
                    "{}: {}",
                    req.t(&format!("order.doc.{}", e.from_value)),
                    req.t(&format!("order.doc_state.{}", e.to_value))
                ),
                kind => req.t(&format!("order.event.{kind}")),
            },
            note: e.note.clone(),
        })
        .collect();
    let next = OrderStatus::ALL
        .iter()
        .filter(|to| status.move_to(**to).is_ok())
        .map(|to| SelectOption {
            value: to.code().to_owned(),
            label: status_label(req.locale, to.code()),
            on: false,
        })
        .collect();
    let data = OrderPage {
        id,
        number: s.number.clone(),
        status: status_label(req.locale, &s.status),
        status_code: s.status.clone(),
        paused: s.follow == "paused",
        customer_name: s.customer_name.clone(),
        customer_href: format!("/customers/{}", s.customer_id),
        quote_href: s.quote_id.map(|q| format!("/quotes/{q}")),
        opportunity_href: s.opportunity_id.map(|q| format!("/opportunities/{q}")),
        steps,
        header,
        shipping,
        lines,
        total: money_text(s.total, &s.currency),
        payments,
        documents,
        events,
        revisit: o.revisit.as_ref().map(|r| r.due_on.clone()),
        may_change: o.may_change && !status.is_finished(),
        next,
        today: today.iso(),
    };
    Ok(page(&req, "orders/show.html", "sales", &s.number, &data))
}

fn back(id: i64) -> Response {
    Redirect::to(&format!("/orders/{id}")).into_response()
}

/// POST /orders/{id}/status: `to`, `note`, `delivered_on`.
pub async fn status(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let to = OrderStatus::from_code(form.get("to").trim())
        .ok_or_else(|| AppError::Domain(DomainError::field("to", "invalid_choice")))?;
    // Finishing cannot be undone: asked first.
    if to.is_finished()
        && let Some(ask) = crate::confirm::unless_confirmed(
            &req,
            &form,
            &format!("/orders/{id}/status"),
            "order.finish_confirm",
            &format!("/orders/{id}"),
        )
    {
        return Ok(ask);
    }
    let delivered_on =
        match form.get("delivered_on").trim() {
            "" => None,
            text => Some(Day::parse_iso(text).ok_or_else(|| {
                AppError::Domain(DomainError::field("delivered_on", "invalid_date"))
            })?),
        };
    state
        .store
        .set_order_status(
            req.ctx()?,
            id,
            StatusChange {
                to,
                note: form.get("note"),
                delivered_on,
            },
        )
        .await?;
    Ok(back(id))
}

/// POST /orders/{id}/follow: `to` = active or paused.
pub async fn follow(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let to = FollowState::from_code(form.get("to").trim())
        .ok_or_else(|| AppError::Domain(DomainError::field("to", "invalid_choice")))?;
    state.store.set_order_follow(req.ctx()?, id, to).await?;
    Ok(back(id))
}

/// POST /orders/{id}/note: `note`.
pub async fn note(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .add_order_note(req.ctx()?, id, &form.get("note"))
        .await?;
    Ok(back(id))
}

/// POST /orders/{id}/documents: `kind`, `state`.
pub async fn document(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let bad = |f| AppError::Domain(DomainError::field(f, "invalid_choice"));
    let kind = DocKind::from_code(form.get("kind").trim()).ok_or_else(|| bad("kind"))?;
    let st = DocState::from_code(form.get("state").trim()).ok_or_else(|| bad("state"))?;
    state
        .store
        .set_order_document(req.ctx()?, id, kind, st)
        .await?;
    Ok(back(id))
}
