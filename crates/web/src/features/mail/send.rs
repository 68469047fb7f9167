//! Sending from the compose page: the multipart form, attachments, the outgoing queue.

use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_mail::Mailbox;
use wharf_mail::compose::{Draft, DraftError, build, parse_recipients};
use wharf_mail::rich::{from_editor, text_as_editor_html};

use super::compose::{Form, addresses_of, keep_new_uploads, show, shown_list};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::mail::views::SentFragment;
use crate::render::page;

/// The form filled from a sent message (recipients, subject, text, its attachments), to
/// correct and send again after a failed delivery: nothing has to be written twice.
pub(super) async fn send_again(
    state: &AppState,
    req: &Req,
    id: i64,
    fragment: bool,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let o = state.store.get_message(actor, id).await?;
    if o.summary.direction != "out" {
        return Err(AppError::BadRequest);
    }
    // Plain text in the reading pane (see `compose`).
    let html = crate::assets::editor_available() && !fragment;
    let form = Form {
        account_id: Some(o.summary.account_id),
        to: shown_list(&addresses_of(&o.summary.to_addrs)),
        cc: shown_list(&addresses_of(&o.cc_addrs)),
        subject: o.summary.subject.clone(),
        body: if html {
            text_as_editor_html(&o.body_text)
        } else {
            o.body_text.clone()
        },
        forward_of: Some(id),
        keep_attachments: o.attachments.iter().map(|a| a.id).collect(),
        html,
        again: true,
        fragment,
        ..Default::default()
    };
    show(state, req, &form, Some(&o), &[], None, None).await
}

/// Reads the multipart form: fields, and the uploaded files (name, type, bytes).
async fn read_form(mut mp: Multipart) -> Result<(Form, Vec<(String, String, Vec<u8>)>), AppError> {
    let mut form = Form::default();
    let mut files = Vec::new();
    while let Some(field) = mp.next_field().await.map_err(|_| AppError::BadRequest)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "files" {
            let filename = field.file_name().unwrap_or("").to_string();
            let content_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_string();
            let bytes = field.bytes().await.map_err(|_| AppError::BadRequest)?;
            if !filename.is_empty() || !bytes.is_empty() {
                files.push((filename, content_type, bytes.to_vec()));
            }
            continue;
        }
        let value = field.text().await.map_err(|_| AppError::BadRequest)?;
        crate::form::refuse_controls(&name, &value)?;
        match name.as_str() {
            "account_id" => form.account_id = value.parse().ok(),
            "to" => form.to = value,
            "cc" => form.cc = value,
            "bcc" => form.bcc = value,
            "subject" => form.subject = value,
            "body" => form.body = value,
            "reply_to" => form.reply_to = value.parse().ok(),
            "forward_of" => form.forward_of = value.parse().ok(),
            "keep_attachment" => form.keep_attachments.extend(value.parse::<i64>().ok()),
            "kept_upload" => form.kept_uploads.extend(value.parse::<i64>().ok()),
            "draft_id" => form.draft_id = value.parse().ok(),
            "format" => form.html = value == "html",
            "fragment" => form.fragment = value == "1",
            "quote_id" => form.quote_id = value.parse().ok(),
            _ => {}
        }
    }
    Ok((form, files))
}

pub async fn send(
    State(state): State<AppState>,
    req: Req,
    mp: Multipart,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let (form, files) = read_form(mp).await?;
    let account = state
        .store
        .get_account(actor, form.account_id.ok_or(AppError::BadRequest)?)
        .await?;
    let original = match form.reply_to.or(form.forward_of) {
        Some(id) => Some(state.store.get_message(actor, id).await?),
        None => None,
    };
    let mut errors = Vec::new();
    let mut recipients = |field: &'static str, value: &str| match parse_recipients(field, value) {
        Ok(list) => list,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    let (to, cc, bcc) = (
        recipients("to", &form.to),
        recipients("cc", &form.cc),
        recipients("bcc", &form.bcc),
    );
    if errors.is_empty() && to.is_empty() && cc.is_empty() && bcc.is_empty() {
        errors.push(DraftError::new("to", "no_recipient"));
    }
    // Attachments: the uploads, the ones kept from a refused send, and the kept ones of
    // a forwarded message.
    let mut form = form;
    let mut attachments = files.clone();
    for u in state.store.uploads(actor, &form.kept_uploads).await? {
        let bytes = state
            .mail
            .read_blob(&u.blob_hash)
            .await
            .map_err(|e| AppError::Internal(format!("kept upload {}: {e}", u.id)))?;
        attachments.push((u.filename, u.content_type, bytes));
    }
    if let (Some(o), Some(_)) = (&original, form.forward_of) {
        for a in o
            .attachments
            .iter()
            .filter(|a| form.keep_attachments.contains(&a.id))
        {
            let bytes = state
                .mail
                .read_blob(&a.blob_hash)
                .await
                .map_err(|e| AppError::Internal(format!("attachment {}: {e}", a.id)))?;
            attachments.push((a.filename.clone(), a.content_type.clone(), bytes));
        }
    }
    // Images pasted into the editor travel inside the body: they count too.
    let pasted = if form.html {
        form.body.len() * 3 / 4
    } else {
        0
    };
    let total: usize = attachments.iter().map(|a| a.2.len()).sum::<usize>() + pasted;
    let files_error = (total as i64 > account.max_attachment_mb * 1024 * 1024).then(|| {
        req.t("mail.compose.too_large")
            .replace("{n}", &account.max_attachment_mb.to_string())
    });
    if !errors.is_empty() || files_error.is_some() {
        // Nothing lost: this send's new files are kept for the next try.
        keep_new_uploads(&state, actor, &mut form, files).await?;
        return show(
            &state,
            &req,
            &form,
            original.as_ref(),
            &errors,
            None,
            files_error,
        )
        .await;
    }
    // A quote's mail goes only for a quote that may go out (checked again when queued).
    if let Some(quote) = form.quote_id {
        let q = state.store.quote(actor, quote, None).await?;
        if !q.may_change {
            return Err(AppError::Domain(wharf_core::DomainError::Denied));
        }
        wharf_core::quotes::QuoteStatus::from_code(&q.summary.status)
            .unwrap_or(wharf_core::quotes::QuoteStatus::Draft)
            .send()?;
    }
    // A reply continues the conversation: In-Reply-To and References.
    let (in_reply_to, references) = match (&original, form.reply_to) {
        (Some(o), Some(_)) if !o.message_id.is_empty() => {
            let raw = state.mail.read_blob(&o.blob_hash).await.ok();
            let mut refs = raw
                .and_then(|r| wharf_mail::parse(&r).ok())
                .map(|p| p.references)
                .unwrap_or_default();
            refs.push(o.message_id.clone());
            (Some(o.message_id.clone()), refs)
        }
        _ => (None, Vec::new()),
    };
    let domain = account
        .address
        .rsplit_once('@')
        .map(|(_, d)| d.to_string())
        .unwrap_or_else(|| "wharf.local".into());
    let unique = wharf_store::secret::random_token()[..24].to_string();
    let (text, html, inline_images) = if form.html {
        let rich = from_editor(&form.body, &domain, &unique);
        (rich.text, Some(rich.html), rich.images)
    } else {
        (form.body.replace("\r\n", "\n"), None, Vec::new())
    };
    let draft = Draft {
        from: Mailbox {
            name: account.display_name.clone(),
            address: account.address.clone(),
        },
        to,
        cc,
        bcc,
        subject: form.subject.trim().to_string(),
        text,
        html,
        inline_images,
        in_reply_to,
        references,
        attachments,
    };
    let built = match build(&draft, &domain, &unique) {
        Ok(b) => b,
        Err(e) => {
            keep_new_uploads(&state, actor, &mut form, files).await?;
            return show(&state, &req, &form, original.as_ref(), &[e], None, None).await;
        }
    };
    let queued = match form.quote_id {
        // A quote's mail: queued and the quote marked sent in one transaction.
        Some(quote) => {
            wharf_mailbox::send::queue_quote(
                &state.mail,
                req.ctx()?,
                quote,
                account.id,
                &account.address,
                &built.recipients,
                built.bytes,
            )
            .await
        }
        None => {
            wharf_mailbox::send::queue(
                &state.mail,
                account.id,
                Some(actor.user_id),
                &account.address,
                &built.recipients,
                built.bytes,
            )
            .await
        }
    };
    let (message_id, _) = queued.map_err(|e| match e {
        wharf_mailbox::Error::Store(e) => AppError::from(e),
        e => AppError::Internal(format!("queueing a message: {e}")),
    })?;
    if let Some(original) = form.reply_to {
        state.store.mark_replied(actor, original).await?;
    }
    if let Some(draft) = form.draft_id {
        state.store.delete_draft(actor, draft).await?;
    }
    state
        .store
        .forget_uploads(actor, &form.kept_uploads)
        .await?;
    if form.fragment {
        // Sent from the reading pane: the pane shows the delivery state, which the live
        // stream then updates (mail_compose.js, mail_live.js).
        return Ok(page(
            &req,
            "mail/sent_fragment.html",
            "mail",
            &req.t("mail.delivery.queued"),
            SentFragment {
                message_id,
                state: "queued",
                text: req.t("mail.delivery.queued"),
                href: format!("/mail?view=sent&m={message_id}"),
            },
        ));
    }
    Ok(Redirect::to(&format!("/mail?view=sent&m={message_id}")).into_response())
}
