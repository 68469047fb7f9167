//! The order form: `GET /orders/new?customer=ID`, `?quote=ID` (the quote's lines,
//! currency and stored rate are taken as they are) or `?opportunity=ID` (its customer);
//! the seller, the follower (跟单人), the day, payments (deposit and balance), shipping
//! and, without a quote, the lines. A refused form is shown again with everything typed
//! and the reasons in the user's language.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use wharf_core::DomainError;
use wharf_core::money::{Currency, Decimal, parse_amount, parse_price, parse_quantity};
use wharf_core::orders::{
    MAX_LINES, OrderHeader, OrderLine, PaymentInput, PaymentKind, ShippingInput,
};
use wharf_core::quotes::ProductSnapshot;
use wharf_core::zone::Day;
use wharf_store::orders::{OrderDraft, OrderRate};

use super::views::{FormLine, FormPage};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::i18n;
use crate::render::{SelectOption, page};

/// Empty line rows offered (the no-JavaScript way to add lines).
pub(super) const BLANK_LINES: usize = 5;

#[derive(Deserialize, Default)]
pub struct NewParams {
    #[serde(default)]
    pub customer: String,
    #[serde(default)]
    pub quote: String,
    #[serde(default)]
    pub opportunity: String,
}

fn id_of(text: &str) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => t
            .parse()
            .map(Some)
            .map_err(|_| AppError::Domain(DomainError::NotFound)),
    }
}

/// GET /orders/new
pub async fn new_form(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<NewParams>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let mut f = FormPage {
        ordered_on: req.today()?.iso(),
        ..FormPage::default()
    };
    if let Some(quote_id) = id_of(&p.quote)? {
        let q = state.store.quote(actor, quote_id, None).await?;
        f.customer_id = q.summary.customer_id;
        f.quote_id = Some(quote_id);
        f.quote_number = q.summary.number.clone();
        f.opportunity_id = q.shown.opportunity_id;
        f.payment_terms = q.shown.payment_terms.clone();
        f.port_loading = q.shown.port_loading.clone();
        f.port_destination = q.shown.port_destination.clone();
        f.lines = q
            .lines
            .iter()
            .filter(|l| !l.is_group())
            .map(|l| FormLine {
                name: l.name.clone(),
                model: l.model.clone(),
                quantity: l.quantity.normalize().to_string(),
                unit: l.unit.clone(),
                unit_price: l.unit_price.normalize().to_string(),
                discount: l.discount.normalize().to_string(),
                ..FormLine::default()
            })
            .collect();
        return render(&state, &req, f, &q.shown.currency).await;
    }
    if let Some(opportunity_id) = id_of(&p.opportunity)? {
        let o = state.store.opportunity(actor, opportunity_id).await?;
        f.customer_id = o.customer_id;
        f.opportunity_id = Some(opportunity_id);
        f.lines = vec![FormLine::default(); BLANK_LINES];
        return render(&state, &req, f, &o.currency).await;
    }
    let Some(customer_id) = id_of(&p.customer)? else {
        return Err(AppError::Domain(DomainError::field("customer", "required")));
    };
    f.customer_id = customer_id;
    f.lines = vec![FormLine::default(); BLANK_LINES];
    let base = state.store.base_currency(actor).await?;
    render(&state, &req, f, base.code()).await
}

pub(super) async fn render(
    state: &AppState,
    req: &Req,
    mut f: FormPage,
    currency: &str,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let customer = state
        .store
        .get_customer(actor, f.customer_id)
        .await?
        .customer;
    f.customer_name = customer.name.clone();
    f.customer_href = format!("/customers/{}", customer.id);
    f.currencies = Currency::picker_order()
        .into_iter()
        .map(|c| SelectOption {
            value: c.code().to_owned(),
            label: format!(
                "{} · {}",
                c.code(),
                c.name(req.locale == i18n::Locale::ZhCn)
            ),
            on: c.code() == currency,
        })
        .collect();
    let staff = state.store.active_staff(actor).await?;
    let chosen = |selected: Option<i64>| -> Vec<SelectOption> {
        staff
            .iter()
            .map(|(id, name)| SelectOption {
                value: id.to_string(),
                label: name.clone(),
                on: *id == selected.unwrap_or(actor.user_id),
            })
            .collect()
    };
    if f.people.is_empty() {
        f.people = chosen(None);
    }
    if f.followers.is_empty() {
        f.followers = chosen(None);
    }
    let title = if f.edit_id.is_some() {
        req.t("order.edit")
    } else {
        req.t("order.new")
    };
    Ok(page(req, "orders/form.html", "sales", &title, &f))
}

/// A typed form as page data (kept when it is shown again).
pub(super) fn typed(form: &FormData) -> FormPage {
    // Each column read once, and at most one row past the limit kept (the check then
    // refuses it): a body of a hundred thousand rows costs no more than that.
    let column = |key: &str| -> Vec<String> {
        let mut values = form.all(key);
        values.truncate(MAX_LINES + 1);
        values
    };
    let names = column("line_name");
    let columns = [
        column("line_model"),
        column("line_quantity"),
        column("line_unit"),
        column("line_price"),
        column("line_discount"),
        column("line_product"),
        column("line_description"),
    ];
    let get = |c: usize, i: usize| columns[c].get(i).cloned().unwrap_or_default();
    FormPage {
        customer_id: form.get("customer").trim().parse().unwrap_or(0),
        quote_id: form.get("quote").trim().parse().ok(),
        opportunity_id: form.get("opportunity").trim().parse().ok(),
        ordered_on: form.get("ordered_on"),
        payment_terms: form.get("payment_terms"),
        port_loading: form.get("port_loading"),
        port_destination: form.get("port_destination"),
        etd: form.get("etd"),
        eta: form.get("eta"),
        carrier: form.get("carrier"),
        bl_number: form.get("bl_number"),
        containers: form.get("containers"),
        deposit: form.get("deposit"),
        deposit_due: form.get("deposit_due"),
        deposit_received: form.get("deposit_received"),
        balance: form.get("balance"),
        balance_due: form.get("balance_due"),
        balance_received: form.get("balance_received"),
        notes: form.get("notes"),
        lines: names
            .iter()
            .enumerate()
            .map(|(i, name)| FormLine {
                name: name.clone(),
                model: get(0, i),
                quantity: get(1, i),
                unit: get(2, i),
                unit_price: get(3, i),
                discount: get(4, i),
                product_id: get(5, i),
                description: get(6, i),
            })
            .collect(),
        ..FormPage::default()
    }
}

/// The draft of a typed form; amounts through the money parser (errors per field).
pub(super) fn draft_of(
    form: &FormData,
    t: &FormPage,
    today: Day,
    rate: Option<OrderRate>,
) -> Result<OrderDraft, DomainError> {
    let mut e = wharf_core::validate::FieldErrors::default();
    let currency_code = form.get("currency");
    let currency = Currency::from_code(&currency_code).ok();
    let day =
        |field: &'static str, text: &str, e: &mut wharf_core::validate::FieldErrors| match text
            .trim()
        {
            "" => None,
            v => Day::parse_iso(v).or_else(|| {
                e.add(field, "invalid_date");
                None
            }),
        };
    let ordered_on = day("ordered_on", &t.ordered_on, &mut e).unwrap_or(today);
    let mut lines = Vec::new();
    // A new order from a quote takes the quote's lines; a change types them all.
    if t.quote_id.is_none() || t.edit_id.is_some() {
        for l in &t.lines {
            let blank = [
                &l.name,
                &l.model,
                &l.quantity,
                &l.unit,
                &l.unit_price,
                &l.discount,
            ]
            .iter()
            .all(|v| v.trim().is_empty());
            if blank {
                continue;
            }
            // Numbered as the line checks number them: the kept lines, blanks left out.
            let n = lines.len() + 1;
            let quantity = parse_quantity(&l.quantity).unwrap_or_else(|err| {
                e.add_owned(format!("line{n}_quantity"), err.code());
                Decimal::ZERO
            });
            let unit_price = match currency {
                Some(c) => parse_price(&l.unit_price, c).unwrap_or_else(|err| {
                    e.add_owned(format!("line{n}_unit_price"), err.code());
                    Decimal::ZERO
                }),
                None => Decimal::ZERO,
            };
            let discount = match l.discount.trim() {
                "" => Decimal::ZERO,
                v => v.parse().unwrap_or_else(|_| {
                    e.add_owned(format!("line{n}_discount"), "discount_range");
                    Decimal::ZERO
                }),
            };
            lines.push(OrderLine {
                item: ProductSnapshot {
                    // The catalog link and description an edited line came with (the
                    // store keeps the link only for a product that exists).
                    product_id: l.product_id.trim().parse().ok(),
                    name: l.name.clone(),
                    model: l.model.clone(),
                    unit: l.unit.clone(),
                    description: l.description.clone(),
                },
                quantity,
                unit_price,
                discount,
            });
        }
    }
    let mut payments = Vec::new();
    for (kind, amount, due, received, fields) in [
        (
            PaymentKind::Deposit,
            &t.deposit,
            &t.deposit_due,
            &t.deposit_received,
            ["deposit", "deposit_due", "deposit_received"],
        ),
        (
            PaymentKind::Balance,
            &t.balance,
            &t.balance_due,
            &t.balance_received,
            ["balance", "balance_due", "balance_received"],
        ),
    ] {
        if amount.trim().is_empty() {
            continue;
        }
        let Some(c) = currency else { continue };
        match parse_amount(amount, c) {
            Ok(amount) => payments.push(PaymentInput {
                kind,
                amount,
                due_on: day(fields[1], due, &mut e),
                received_on: day(fields[2], received, &mut e),
            }),
            Err(err) => e.add(fields[0], err.code()),
        }
    }
    let person = |field: &'static str, e: &mut wharf_core::validate::FieldErrors| {
        form.get(field).trim().parse::<i64>().unwrap_or_else(|_| {
            e.add(field, "required");
            0
        })
    };
    let seller_id = person("seller_id", &mut e);
    let follower_id = person("follower_id", &mut e);
    let shipping = ShippingInput {
        etd: day("etd", &t.etd, &mut e),
        eta: day("eta", &t.eta, &mut e),
        port_loading: t.port_loading.clone(),
        port_destination: t.port_destination.clone(),
        carrier: t.carrier.clone(),
        bl_number: t.bl_number.clone(),
        containers: t.containers.clone(),
    };
    e.into_result()?;
    Ok(OrderDraft {
        header: OrderHeader {
            customer_id: t.customer_id,
            quote_id: t.quote_id,
            opportunity_id: t.opportunity_id,
            currency: currency_code,
            seller_id,
            follower_id,
            ordered_on,
            payment_terms: t.payment_terms.clone(),
            shipping,
            notes: t.notes.clone(),
        },
        lines,
        payments,
        rate: rate.unwrap_or(OrderRate {
            base: String::new(),
            rate: Decimal::ONE,
            on: today,
        }),
        today,
    })
}

/// The messages of a refusal, one per field, in the user's language.
pub(super) fn messages(req: &Req, e: &AppError, deposit_given: bool) -> Vec<String> {
    match e {
        AppError::Domain(DomainError::Invalid(fields)) => fields
            .0
            .iter()
            .map(|f| {
                // The payment checks number the payments entered: the form's first is
                // the deposit when one was typed, else the balance.
                let field = match &*f.field {
                    "payment1_amount" if deposit_given => "deposit",
                    "payment1_amount" | "payment2_amount" => "balance",
                    other => other,
                };
                let label = match field.strip_prefix("line").and_then(|r| r.split_once('_')) {
                    Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => i18n::t_with(
                        req.locale,
                        "order.line_n",
                        &[("n", n), ("field", &req.t(&format!("order.col.{rest}")))],
                    ),
                    _ => req.t(&format!("order.field.{field}")),
                };
                format!("{label}: {}", req.t(&format!("error.{}", f.code)))
            })
            .collect(),
        other => vec![other.message(req.locale)],
    }
}

/// Creates the order a typed form describes (from its quote when it names one): the
/// page's form and the JSON API share it, so both check alike.
pub(super) async fn save_new(
    state: &AppState,
    req: &Req,
    form: &FormData,
    t: &FormPage,
) -> Result<i64, AppError> {
    let today = req.today()?;
    if let Some(quote_id) = t.quote_id {
        let draft = draft_of(form, t, today, None)?;
        return Ok(state
            .store
            .order_from_quote(req.ctx()?, quote_id, draft)
            .await?);
    }
    let currency = Currency::from_code(&form.get("currency"))
        .map_err(|e| DomainError::field("currency", e.code()))?;
    let rate = state.store.rate_on(req.actor()?, today, currency).await?;
    let rate = OrderRate {
        base: rate.base.code().to_owned(),
        rate: rate.per_unit,
        on: rate.day,
    };
    let draft = draft_of(form, t, today, Some(rate))?;
    Ok(state.store.create_order(req.ctx()?, draft).await?)
}

/// POST /orders
pub async fn create(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let t = typed(&form);
    let result = save_new(&state, &req, &form, &t).await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/orders/{id}")).into_response()),
        Err(
            e @ AppError::Domain(
                DomainError::Invalid(_) | DomainError::Refused { .. } | DomainError::NoRate(_),
            ),
        ) => {
            let mut shown = t;
            if shown.quote_id.is_none() {
                while shown.lines.len() < BLANK_LINES {
                    shown.lines.push(FormLine::default());
                }
            } else if let Some(quote_id) = shown.quote_id {
                let q = state.store.quote(actor, quote_id, None).await?;
                shown.quote_number = q.summary.number.clone();
                shown.lines = q
                    .lines
                    .iter()
                    .filter(|l| !l.is_group())
                    .map(|l| FormLine {
                        name: l.name.clone(),
                        model: l.model.clone(),
                        quantity: l.quantity.normalize().to_string(),
                        unit: l.unit.clone(),
                        unit_price: l.unit_price.normalize().to_string(),
                        discount: l.discount.normalize().to_string(),
                        ..FormLine::default()
                    })
                    .collect();
            }
            shown.errors = messages(&req, &e, !shown.deposit.trim().is_empty());
            let staff = state.store.active_staff(actor).await?;
            let pick = |key: &str| {
                let v: Option<i64> = form.get(key).trim().parse().ok();
                staff
                    .iter()
                    .map(|(id, name)| SelectOption {
                        value: id.to_string(),
                        label: name.clone(),
                        on: Some(*id) == v,
                    })
                    .collect::<Vec<_>>()
            };
            shown.people = pick("seller_id");
            shown.followers = pick("follower_id");
            let mut response = render(&state, &req, shown, &form.get("currency")).await?;
            *response.status_mut() = e.status();
            Ok(response)
        }
        Err(e) => Err(e),
    }
}
