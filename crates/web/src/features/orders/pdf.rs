//! The order as PDF (订单确认 / order confirmation, seed 003's 订单协调单), in Chinese or
//! English (`?lang=`, the reader's language by default): the quote document's letterhead,
//! logo and layout with the order's lines, total in words, payments and shipping as its
//! terms; rendered by `wharf_pdf` off the async runtime.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use wharf_core::DomainError;
use wharf_core::money::Currency;
use wharf_pdf::quote::{Labels, Pair, QuotePdf, Row};
use wharf_store::orders::OrderDetail;

use super::list::{money_text, status_label};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::quotes::pages::price;
use crate::features::quotes::pdf::{customer_address, in_words, letterhead};
use crate::i18n::{self, Locale};

#[derive(Deserialize, Default)]
pub struct PdfParams {
    #[serde(default)]
    pub lang: String,
}

/// The document of order `o` in `locale`.
async fn document(
    state: &AppState,
    req: &Req,
    o: &OrderDetail,
    locale: Locale,
) -> Result<QuotePdf, AppError> {
    let customer = state
        .store
        .get_customer(req.actor()?, o.summary.customer_id)
        .await?;
    let t = |key: &str| i18n::t(locale, key);
    let s = &o.summary;
    let currency = Currency::from_code(&s.currency)
        .map_err(|e| AppError::Domain(DomainError::field("currency", e.code())))?;
    let rows = o
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| Row::Line {
            no: (i + 1).to_string(),
            name: l.name.clone(),
            model: l.model.clone(),
            description: l.description.clone(),
            quantity: l.quantity.normalize().to_string(),
            unit: l.unit.clone(),
            unit_price: price(l.unit_price, currency),
            discount: if l.discount.is_zero() {
                String::new()
            } else {
                wharf_core::quotes::format_discount(l.discount)
            },
            total: money_text(l.amount, &s.currency),
        })
        .collect();
    let pair = |key: &str, value: String| Pair {
        label: t(key),
        value,
    };
    let mut terms = vec![pair("order.status", status_label(locale, &s.status))];
    for p in &o.payments {
        let due = p
            .due_on
            .as_deref()
            .map(|d| format!(" · {} {d}", t("order.payment.due_on")))
            .unwrap_or_default();
        let received = p
            .received_on
            .as_deref()
            .map(|d| format!(" · {} {d}", t("order.payment.received_on")))
            .unwrap_or_default();
        terms.push(Pair {
            label: t(&format!("order.payment.{}", p.kind)),
            value: format!("{}{due}{received}", money_text(p.amount, &s.currency)),
        });
    }
    for (key, value) in [
        ("order.field.payment_terms", o.payment_terms.clone()),
        ("order.field.port_loading", o.port_loading.clone()),
        ("order.field.port_destination", o.port_destination.clone()),
        ("order.field.etd", s.etd.clone().unwrap_or_default()),
        ("order.field.eta", s.eta.clone().unwrap_or_default()),
        ("order.field.carrier", o.carrier.clone()),
        ("order.field.bl_number", o.bl_number.clone()),
        ("order.field.containers", o.containers.clone()),
        ("order.field.follower_id", s.follower_name.clone()),
    ] {
        if !value.trim().is_empty() {
            terms.push(pair(key, value));
        }
    }
    Ok(QuotePdf {
        lang: locale.code().to_owned(),
        labels: Labels {
            title: t("order.pdf.title"),
            number: t("order.number"),
            date: t("order.field.ordered_on"),
            customer: t("quote.pdf.customer"),
            contact: t("order.field.seller_id"),
            no: t("order.col.no"),
            item: t("order.col.name"),
            quantity: t("order.col.quantity"),
            unit: t("order.col.unit"),
            unit_price: format!("{} ({})", t("order.col.unit_price"), s.currency),
            discount: t("order.col.discount"),
            total: format!("{} ({})", t("order.col.amount"), s.currency),
            terms: t("order.pdf.terms"),
            notes: t("order.field.notes"),
        },
        letterhead: letterhead(state, req, locale).await?,
        number: s.number.clone(),
        date: s.ordered_on.clone(),
        customer: customer.customer.fields.name.clone(),
        customer_address: customer_address(&customer.customer),
        contact: s.seller_name.clone(),
        currency: s.currency.clone(),
        rows,
        totals: vec![Pair {
            label: t("order.total"),
            value: money_text(s.total, &s.currency),
        }],
        in_words: in_words(s.total, currency, locale),
        terms,
        notes: o.notes.clone(),
    })
}

/// GET /orders/{id}/pdf?lang=
pub async fn download(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(p): Query<PdfParams>,
) -> Result<Response, AppError> {
    let locale = match p.lang.trim() {
        "" => req.locale,
        code => Locale::from_code(code)
            .ok_or_else(|| AppError::Domain(DomainError::field("lang", "invalid_choice")))?,
    };
    let o = state.store.order(req.actor()?, id).await?;
    let doc = document(&state, &req, &o, locale).await?;
    let logo = match state.store.letterhead_logo(req.actor()?).await? {
        Some(logo) => state.mail.read_blob(&logo.hash).await.ok(),
        None => None,
    };
    let engine = crate::features::quotes::pdf::engine()?;
    let pdf = tokio::task::spawn_blocking(move || {
        wharf_pdf::quote::render(engine, &doc, logo.as_deref())
    })
    .await
    .map_err(|e| AppError::Internal(format!("order pdf task: {e}")))?
    .map_err(|e| {
        tracing::error!(error = %e, "order PDF");
        AppError::Domain(DomainError::refused(e.code(), 0))
    })?;
    Ok(crate::features::mail::downloads::attachment_response(
        pdf,
        "application/pdf",
        &format!("{}.pdf", o.summary.number),
    ))
}
