//! "Send by mail" in one click: the quote's PDF (in the chosen language) is kept as an
//! upload of the sender, and the compose page opens prefilled — to the quote's contact,
//! a subject and a short text in that language, the PDF attached. The mail goes out
//! through the one send path (the outbox, exactly once), which queues it and marks the
//! quote sent with that message in one transaction (`wharf_mailbox::send::queue_quote`);
//! the customer's mail links it by address.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::DomainError;
use wharf_core::quotes::QuoteStatus;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::i18n::{self, Locale};

/// What the compose page is filled with for a quote.
pub struct Prefill {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// POST /quotes/{id}/mail: `lang` = en or zh-CN.
pub async fn start(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let locale = Locale::from_code(form.get("lang").trim()).unwrap_or(req.locale);
    let q = state.store.quote(req.actor()?, id, None).await?;
    if !q.may_change {
        return Err(AppError::Domain(DomainError::Denied));
    }
    // Only what may go out: an approved (or already sent) version.
    QuoteStatus::from_code(&q.summary.status)
        .unwrap_or(QuoteStatus::Draft)
        .send()?;
    let (pdf, filename) = super::pdf::render(&state, &req, &q, locale).await?;
    let (hash, size, inline) = state
        .mail
        .put_blob(pdf)
        .await
        .map_err(|e| AppError::Internal(format!("quote pdf blob: {e}")))?;
    let upload = state
        .store
        .keep_upload(
            req.actor()?,
            &hash,
            size,
            inline.as_deref(),
            &filename,
            "application/pdf",
        )
        .await?;
    Ok(Redirect::to(&format!(
        "/mail/compose?quote={id}&upload={}&lang={}",
        upload.id,
        locale.code()
    ))
    .into_response())
}

/// The recipient, subject and text of a quote's mail in `locale`.
pub async fn prefill(
    state: &AppState,
    req: &Req,
    quote_id: i64,
    locale: Locale,
) -> Result<Prefill, AppError> {
    let actor = req.actor()?;
    let q = state.store.quote(actor, quote_id, None).await?;
    let company = state.store.company_settings(actor).await?;
    let v = &q.shown;
    let address = v
        .contact_emails
        .split(['\n', ',', ';'])
        .map(str::trim)
        .find(|a| a.contains('@'))
        .unwrap_or_default();
    let to = if address.is_empty() {
        String::new()
    } else if v.contact_name.is_empty() {
        address.to_owned()
    } else {
        format!("\"{}\" <{address}>", v.contact_name.replace('"', ""))
    };
    let number = wharf_core::quotes::QuoteNumber::parse(&q.summary.number)
        .map(|n| n.with_version(v.version))
        .unwrap_or_else(|| q.summary.number.clone());
    let company_name = match locale {
        Locale::En if !company.company_name_en.is_empty() => company.company_name_en.clone(),
        _ => company.company_name.clone(),
    };
    let greeting_name = if v.contact_name.is_empty() {
        q.summary.customer_name.clone()
    } else {
        v.contact_name.clone()
    };
    let subject = i18n::t_with(
        locale,
        "quote.mail.subject",
        &[("number", &number), ("company", &company_name)],
    );
    let body = i18n::t_with(
        locale,
        "quote.mail.body",
        &[
            ("name", &greeting_name),
            ("number", &number),
            ("valid", &v.valid_until),
            ("me", &actor.username),
        ],
    );
    Ok(Prefill {
        to,
        subject: subject.trim_end_matches([' ', '-', '–']).to_owned(),
        body,
    })
}
