//! Changing an order (`GET /orders/{id}/edit`, `POST /orders/{id}`): seller, follower,
//! day, payments with their due and received days, shipping (ETD / ETA, ports, carrier,
//! B/L, containers), notes and the lines; the currency and its rate stay the order's. A
//! refused change is shown again as typed with the reasons in the user's language.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::zone::Day;
use wharf_store::orders::{OrderDetail, OrderRate};

use super::form::{BLANK_LINES, draft_of, messages, render, typed};
use super::views::{FormLine, FormPage};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::SelectOption;

/// Who may be picked as seller or follower, `selected` chosen.
async fn staff_options(
    state: &AppState,
    req: &Req,
    selected: i64,
) -> Result<Vec<SelectOption>, AppError> {
    Ok(state
        .store
        .active_staff(req.actor()?)
        .await?
        .into_iter()
        .map(|(id, name)| SelectOption {
            value: id.to_string(),
            label: name,
            on: id == selected,
        })
        .collect())
}

fn payment(o: &OrderDetail, kind: &str) -> (String, String, String) {
    o.payments
        .iter()
        .find(|p| p.kind == kind)
        .map(|p| {
            (
                p.amount.normalize().to_string(),
                p.due_on.clone().unwrap_or_default(),
                p.received_on.clone().unwrap_or_default(),
            )
        })
        .unwrap_or_default()
}

/// GET /orders/{id}/edit
pub async fn edit_form(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let o = state.store.order(req.actor()?, id).await?;
    if !o.may_change || o.status().is_finished() {
        return Err(AppError::Domain(wharf_core::DomainError::Denied));
    }
    let s = &o.summary;
    let (deposit, deposit_due, deposit_received) = payment(&o, "deposit");
    let (balance, balance_due, balance_received) = payment(&o, "balance");
    let mut lines: Vec<FormLine> = o
        .lines
        .iter()
        .map(|l| FormLine {
            name: l.name.clone(),
            model: l.model.clone(),
            quantity: l.quantity.normalize().to_string(),
            unit: l.unit.clone(),
            unit_price: l.unit_price.normalize().to_string(),
            discount: if l.discount.is_zero() {
                String::new()
            } else {
                l.discount.normalize().to_string()
            },
            product_id: l.product_id.map(|p| p.to_string()).unwrap_or_default(),
            description: l.description.clone(),
        })
        .collect();
    lines.extend(std::iter::repeat_n(FormLine::default(), 2));
    let f = FormPage {
        edit_id: Some(id),
        customer_id: s.customer_id,
        quote_id: s.quote_id,
        opportunity_id: s.opportunity_id,
        people: staff_options(&state, &req, s.seller_id).await?,
        followers: staff_options(&state, &req, s.follower_id).await?,
        ordered_on: s.ordered_on.clone(),
        payment_terms: o.payment_terms.clone(),
        port_loading: o.port_loading.clone(),
        port_destination: o.port_destination.clone(),
        etd: s.etd.clone().unwrap_or_default(),
        eta: s.eta.clone().unwrap_or_default(),
        carrier: o.carrier.clone(),
        bl_number: o.bl_number.clone(),
        containers: o.containers.clone(),
        deposit,
        deposit_due,
        deposit_received,
        balance,
        balance_due,
        balance_received,
        notes: o.notes.clone(),
        lines,
        number: s.number.clone(),
        ..FormPage::default()
    };
    render(&state, &req, f, &s.currency).await
}

/// Saves the change a typed form describes to order `o` (its currency, rate, quote and
/// opportunity stay): the page's form and the JSON API share it.
pub(super) async fn save_change(
    state: &AppState,
    req: &Req,
    o: &OrderDetail,
    form: &FormData,
    t: &FormPage,
) -> Result<(), AppError> {
    let today = req.today()?;
    let rate = OrderRate {
        base: o.rate_base.clone(),
        rate: o.rate,
        on: Day::parse_iso(&o.rate_on).unwrap_or(today),
    };
    let mut draft = draft_of(form, t, today, Some(rate))?;
    draft.header.customer_id = o.summary.customer_id;
    draft.header.currency = o.summary.currency.clone();
    draft.header.quote_id = o.summary.quote_id;
    draft.header.opportunity_id = o.summary.opportunity_id;
    Ok(state
        .store
        .save_order(req.ctx()?, o.summary.id, draft)
        .await?)
}

/// POST /orders/{id}
pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let o = state.store.order(req.actor()?, id).await?;
    let mut t = typed(&form);
    t.edit_id = Some(id);
    t.customer_id = o.summary.customer_id;
    let result = save_change(&state, &req, &o, &form, &t).await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/orders/{id}")).into_response()),
        Err(
            e @ AppError::Domain(
                wharf_core::DomainError::Invalid(_) | wharf_core::DomainError::Refused { .. },
            ),
        ) => {
            let mut shown = t;
            while shown.lines.len() < BLANK_LINES.min(2) {
                shown.lines.push(FormLine::default());
            }
            shown.errors = messages(&req, &e, !shown.deposit.trim().is_empty());
            shown.quote_id = o.summary.quote_id;
            shown.number = o.summary.number.clone();
            let seller = form.get("seller_id").trim().parse().unwrap_or(0);
            let follower = form.get("follower_id").trim().parse().unwrap_or(0);
            shown.people = staff_options(&state, &req, seller).await?;
            shown.followers = staff_options(&state, &req, follower).await?;
            let mut response = render(&state, &req, shown, &o.summary.currency).await?;
            *response.status_mut() = e.status();
            Ok(response)
        }
        Err(e) => Err(e),
    }
}
