//! The quote as PDF, in Chinese or English (`?lang=`, the reader's language by default):
//! the company's letterhead and logo, the customer, the lines with groups and subtotals,
//! the totals and the terms, rendered by `wharf_pdf` off the async runtime. The engine
//! (fonts and templates) is made once per process and shared; missing fonts are a page
//! that names the package to install.

use std::sync::OnceLock;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use wharf_core::DomainError;
use wharf_pdf::Engine;
use wharf_pdf::quote::{Labels, Letterhead, Pair, QuotePdf, Row};
use wharf_store::quotes::QuoteDetail;

use super::pages::{shown_rows, terms, totals};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::i18n::{self, Locale};

/// The engine, or why there is none (the fonts' package), made on first use.
pub(crate) fn engine() -> Result<&'static Engine, AppError> {
    static ENGINE: OnceLock<Result<Engine, &'static str>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            Engine::from_system_fonts().map_err(|e| {
                tracing::error!(error = %e, "quote PDF engine");
                e.code()
            })
        })
        .as_ref()
        .map_err(|code| AppError::Domain(DomainError::refused(code, 0)))
}

#[derive(Deserialize, Default)]
pub struct PdfParams {
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub v: String,
}

/// The company's letterhead in `locale` (System → Settings, the quote settings' e-mail):
/// shared by every document (quotes, orders).
pub(crate) async fn letterhead(
    state: &AppState,
    req: &Req,
    locale: Locale,
) -> Result<Letterhead, AppError> {
    let actor = req.actor()?;
    let company = state.store.company_settings(actor).await?;
    let quote_settings = state.store.quote_settings(actor).await?;
    let name = match locale {
        Locale::En if !company.company_name_en.is_empty() => company.company_name_en.clone(),
        _ => company.company_name.clone(),
    };
    Ok(Letterhead {
        name,
        address: company.address.clone(),
        phone: joined(&[company.phone.as_str(), company.website.as_str()], "  "),
        email: quote_settings.letterhead_email,
    })
}

/// A customer's address and city, one per line.
pub(crate) fn customer_address(c: &wharf_store::customers::Customer) -> String {
    joined(&[c.fields.address.as_str(), c.fields.city.as_str()], "\n")
}

/// The total in words: 人民币大写 in Chinese for CNY, else the English words.
pub(crate) fn in_words(
    total: wharf_core::money::Decimal,
    currency: wharf_core::money::Currency,
    locale: Locale,
) -> Vec<String> {
    [
        (locale == Locale::ZhCn)
            .then(|| wharf_core::money::chinese_capital(total, currency))
            .flatten(),
        wharf_core::money::english_words(total, currency),
    ]
    .into_iter()
    .flatten()
    .take(1)
    .collect()
}

fn joined(parts: &[&str], sep: &str) -> String {
    parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(sep)
}

/// The document of a version in `locale`, letterhead included.
pub async fn document(
    state: &AppState,
    req: &Req,
    q: &QuoteDetail,
    locale: Locale,
) -> Result<QuotePdf, AppError> {
    let customer = state
        .store
        .get_customer(req.actor()?, q.summary.customer_id)
        .await?;
    let t = |key: &str| i18n::t(locale, key);
    let v = &q.shown;
    let rows = shown_rows(locale, q)?
        .into_iter()
        .map(|r| match r.kind {
            "group" => Row::Group { title: r.name },
            "subtotal" => Row::Subtotal {
                label: r.name,
                amount: r.amount,
            },
            _ => Row::Line {
                no: r.no,
                name: r.name,
                model: r.model,
                description: r.description,
                quantity: r.quantity,
                unit: r.unit,
                unit_price: r.unit_price,
                discount: r.discount,
                total: r.amount,
            },
        })
        .collect();
    let number = wharf_core::quotes::QuoteNumber::parse(&q.summary.number)
        .map(|n| n.with_version(v.version))
        .unwrap_or_else(|| q.summary.number.clone());
    let currency = super::pages::currency_of(&v.currency)?;
    Ok(QuotePdf {
        lang: locale.code().to_owned(),
        labels: Labels {
            title: t("quote.pdf.title"),
            number: t("quote.pdf.number"),
            date: t("field.quote_date"),
            customer: t("quote.pdf.customer"),
            contact: t("field.contact_id"),
            no: t("quote.col.no"),
            item: t("quote.col.name"),
            quantity: t("quote.col.quantity"),
            unit: t("quote.col.unit"),
            unit_price: format!("{} ({})", t("quote.col.unit_price"), v.currency),
            discount: t("quote.col.discount"),
            total: format!("{} ({})", t("quote.col.amount"), v.currency),
            terms: t("quote.pdf.terms"),
            notes: t("field.notes"),
        },
        letterhead: letterhead(state, req, locale).await?,
        number,
        date: v.quote_date.clone(),
        customer: customer.customer.fields.name.clone(),
        customer_address: customer_address(&customer.customer),
        contact: v.contact_name.clone(),
        currency: v.currency.clone(),
        rows,
        totals: totals(locale, q)?
            .into_iter()
            .map(|p| Pair {
                label: p.label,
                value: p.value,
            })
            .collect(),
        in_words: in_words(v.total, currency, locale),
        terms: terms(locale, q)
            .into_iter()
            .map(|p| Pair {
                label: p.label,
                value: p.value,
            })
            .collect(),
        notes: v.notes.clone(),
    })
}

/// The PDF's bytes and its file name (`Q2026-0001-v2.pdf`).
pub async fn render(
    state: &AppState,
    req: &Req,
    q: &QuoteDetail,
    locale: Locale,
) -> Result<(Vec<u8>, String), AppError> {
    let doc = document(state, req, q, locale).await?;
    let logo = match state.store.letterhead_logo(req.actor()?).await? {
        Some(logo) => state.mail.read_blob(&logo.hash).await.ok(),
        None => None,
    };
    let engine = engine()?;
    let pdf = tokio::task::spawn_blocking(move || {
        wharf_pdf::quote::render(engine, &doc, logo.as_deref())
    })
    .await
    .map_err(|e| AppError::Internal(format!("quote pdf task: {e}")))?
    .map_err(|e| {
        tracing::error!(error = %e, "quote PDF");
        AppError::Domain(DomainError::refused(e.code(), 0))
    })?;
    let filename = format!("{}-v{}.pdf", q.summary.number, q.shown.version);
    Ok((pdf, filename))
}

/// GET /quotes/{id}/pdf?lang=&v=
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
    let version = super::pages::VersionParam { v: p.v }.version()?;
    let q = state.store.quote(req.actor()?, id, version).await?;
    let (pdf, filename) = render(&state, &req, &q, locale).await?;
    Ok(crate::features::mail::downloads::attachment_response(
        pdf,
        "application/pdf",
        &filename,
    ))
}
