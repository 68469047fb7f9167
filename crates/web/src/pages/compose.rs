//! Mail → write (SPEC SEND-1, SEND-5): new mail, reply, reply-all and forward (with the
//! original attachments), the sender chosen from the user's accounts with its signature,
//! attachments uploaded with the form, checks with clear messages (no recipient, a
//! malformed address, over the account's size limit), then stored as sent and queued
//! for the account's SMTP server.

use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use wharf_core::html::escape;
use wharf_mail::Mailbox;
use wharf_mail::compose::{
    Draft, DraftError, build, forward_subject, parse_recipients, quote, reply_subject,
};
use wharf_mail::rich::{from_editor, text_as_editor_html};
use wharf_store::mail_accounts::Account;
use wharf_store::mailbox_view::MessageDetail;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::{page, when};

#[derive(Deserialize, Default)]
pub struct ComposeParams {
    #[serde(default)]
    reply: String,
    #[serde(default)]
    all: String,
    #[serde(default)]
    forward: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    draft: String,
    /// A sent message to edit and send again (after a failed delivery).
    #[serde(default)]
    again: String,
}

/// What the form holds (kept when a send is refused).
#[derive(Default, Clone)]
struct Form {
    account_id: Option<i64>,
    to: String,
    cc: String,
    bcc: String,
    subject: String,
    body: String,
    reply_to: Option<i64>,
    forward_of: Option<i64>,
    keep_attachments: Vec<i64>,
    draft_id: Option<i64>,
    /// The body is the rich-text editor's HTML.
    html: bool,
    /// Files uploaded with an earlier, refused send of this mail (kept by the server).
    kept_uploads: Vec<i64>,
    /// Written from a sent message that could not be delivered (for the title).
    again: bool,
}

fn label(a: &Account) -> String {
    if a.display_name.is_empty() {
        a.address.clone()
    } else {
        format!("{} <{}>", a.display_name, a.address)
    }
}

fn addresses_of(json: &str) -> Vec<Mailbox> {
    serde_json::from_str(json).unwrap_or_default()
}

/// A recipient as it goes back into a To / Cc box: `"Name" <address>` (quoted, so a
/// comma in the name stays part of it), or the bare address.
fn shown(m: &Mailbox) -> String {
    if m.name.is_empty() || m.name == m.address {
        m.address.clone()
    } else {
        let name = m.name.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{name}\" <{}>", m.address)
    }
}

fn shown_list(list: &[Mailbox]) -> String {
    list.iter().map(shown).collect::<Vec<_>>().join(", ")
}

#[allow(clippy::too_many_arguments)]
async fn show(
    state: &AppState,
    req: &Req,
    form: &Form,
    original: Option<&MessageDetail>,
    errors: &[DraftError],
    form_error: Option<String>,
    files_error: Option<String>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let accounts = state.store.list_accounts(actor).await?;
    if accounts.is_empty() {
        return Ok(page(
            req,
            "message.html",
            "mail",
            &req.t("mail.compose.title"),
            context! { message => req.t("mail.compose.no_account") },
        ));
    }
    let selected = form.account_id.unwrap_or(accounts[0].id);
    let choices: Vec<Value> = accounts
        .iter()
        .map(|a| context! { id => a.id, label => label(a), on => a.id == selected })
        .collect();
    let limit = accounts
        .iter()
        .find(|a| a.id == selected)
        .map(|a| a.max_attachment_mb)
        .unwrap_or(25);
    let err = |field: &str| {
        errors.iter().find(|e| e.field == field).map(|e| {
            req.t(&format!("error.{}", e.code))
                .replace("{entry}", e.entry.as_deref().unwrap_or(""))
        })
    };
    let fields: Vec<Value> = [
        ("to", "text", &form.to),
        ("cc", "text", &form.cc),
        ("bcc", "text", &form.bcc),
        ("subject", "text", &form.subject),
        ("body", "textarea", &form.body),
    ]
    .into_iter()
    .map(|(name, kind, value)| {
        context! { name => name, kind => kind, value => value, label => req.t(&format!("mail.compose.{name}")), error => err(name) }
    })
    .collect();
    let forwarded: Vec<Value> = original
        .filter(|_| form.forward_of.is_some())
        .map(|o| {
            o.attachments
                .iter()
                .filter(|a| !a.inline || a.content_id.is_empty())
                .map(|a| context! { id => a.id, name => a.filename.clone() })
                .collect()
        })
        .unwrap_or_default();
    let kept: Vec<Value> = state
        .store
        .uploads(actor, &form.kept_uploads)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| context! { id => u.id, name => u.filename, size => format!("{} KB", (u.size + 1023) / 1024) })
        .collect();
    let title = req.t(if form.again {
        "mail.compose.again_title"
    } else if form.reply_to.is_some() {
        "mail.compose.reply_title"
    } else if form.forward_of.is_some() {
        "mail.compose.forward_title"
    } else {
        "mail.compose.title"
    });
    let mut res = page(
        req,
        "compose.html",
        "mail",
        &title,
        context! {
            accounts => choices, fields => fields, forwarded => forwarded,
            reply_to => form.reply_to.map(|i| i.to_string()).unwrap_or_default(),
            forward_of => form.forward_of.map(|i| i.to_string()).unwrap_or_default(),
            draft_id => form.draft_id.map(|i| i.to_string()).unwrap_or_default(),
            rich => form.html, editor_version => crate::assets::EDITOR_VERSION,
            editor_language => if req.locale == crate::i18n::Locale::ZhCn { "zh_cn" } else { "en" },
            limit => req.t("mail.compose.limit").replace("{n}", &limit.to_string()),
            form_error => form_error.or_else(|| (!errors.is_empty()).then(|| req.t("error.invalid_input"))),
            files_error => files_error, kept => kept,
        },
    );
    if !errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

pub async fn compose(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ComposeParams>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let accounts = state.store.list_accounts(actor).await?;
    if let Ok(id) = p.draft.parse::<i64>() {
        let d = state.store.get_draft(actor, id).await?;
        let form = Form {
            account_id: d.account_id,
            to: d.to,
            cc: d.cc,
            bcc: d.bcc,
            subject: d.subject,
            body: d.body,
            reply_to: d.reply_to,
            forward_of: d.forward_of,
            keep_attachments: Vec::new(),
            draft_id: Some(d.id),
            html: d.html,
            kept_uploads: Vec::new(),
            again: false,
        };
        let form = editor_or_text(form);
        let original = match form.reply_to.or(form.forward_of) {
            Some(o) => state.store.get_message(actor, o).await.ok(),
            None => None,
        };
        return show(&state, &req, &form, original.as_ref(), &[], None, None).await;
    }
    if let Ok(id) = p.again.parse::<i64>() {
        return send_again(&state, &req, id).await;
    }
    let reply = p.reply.parse::<i64>().ok();
    let forward = p.forward.parse::<i64>().ok();
    let mut form = Form {
        account_id: p.account.parse().ok(),
        reply_to: reply,
        forward_of: forward,
        html: crate::assets::editor_available(),
        ..Default::default()
    };
    let original = match reply.or(forward) {
        Some(id) => Some(state.store.get_message(actor, id).await?),
        None => None,
    };
    if let Some(o) = &original {
        let s = &o.summary;
        if accounts.iter().any(|a| a.id == s.account_id) {
            form.account_id = Some(s.account_id);
        }
        let zone = req.zone()?;
        let who = if s.from_name.is_empty() {
            s.from_addr.clone()
        } else {
            format!("{} <{}>", s.from_name, s.from_addr)
        };
        let header = req
            .t("mail.compose.quote_header")
            .replace("{when}", &when(o.sent_at.unwrap_or(s.received_at), zone))
            .replace("{who}", &who);
        if reply.is_some() {
            form.subject = reply_subject(&s.subject);
            let own: Vec<String> = accounts.iter().map(|a| a.address.to_lowercase()).collect();
            let to = if s.direction == "out" {
                addresses_of(&s.to_addrs)
            } else {
                vec![Mailbox {
                    name: s.from_name.clone(),
                    address: s.from_addr.clone(),
                }]
            };
            form.to = shown_list(&to);
            if p.all == "1" {
                let mut cc: Vec<Mailbox> = addresses_of(&s.to_addrs);
                cc.extend(addresses_of(&o.cc_addrs));
                let is_to = |a: &str| to.iter().any(|t| t.address.eq_ignore_ascii_case(a));
                cc.retain(|m| !own.contains(&m.address.to_lowercase()) && !is_to(&m.address));
                cc.dedup_by(|a, b| a.address.eq_ignore_ascii_case(&b.address));
                form.cc = shown_list(&cc);
            }
            form.body = if form.html {
                format!(
                    "<div>{}</div><blockquote style=\"margin:0 0 0 .8ex;border-left:2px solid #ccc;padding-left:1ex\">{}</blockquote>",
                    escape(&header),
                    text_as_editor_html(&o.body_text)
                )
            } else {
                quote(&o.body_text, &header)
            };
        } else {
            form.subject = forward_subject(&s.subject);
            let line = format!("---------- {} ----------", req.t("mail.compose.forwarded"));
            form.body = if form.html {
                format!(
                    "<div>{}</div><div>{}</div><div><br></div>{}",
                    escape(&line),
                    escape(&header),
                    text_as_editor_html(&o.body_text)
                )
            } else {
                format!("\n\n{line}\n{header}\n\n{}", o.body_text)
            };
            form.keep_attachments = o.attachments.iter().map(|a| a.id).collect();
        }
    }
    let signature = accounts
        .iter()
        .find(|a| Some(a.id) == form.account_id)
        .or(accounts.first())
        .map(|a| a.signature.clone())
        .unwrap_or_default();
    // The reply is written above the signature and the quoted original.
    form.body = match (form.html, signature.is_empty()) {
        (true, true) => format!("<div><br></div>{}", form.body),
        (true, false) => format!(
            "<div><br></div><div>-- </div>{}<div><br></div>{}",
            text_as_editor_html(&signature),
            form.body
        ),
        (false, true) => form.body,
        (false, false) => format!("\n\n-- \n{signature}{}", form.body),
    };
    show(&state, &req, &form, original.as_ref(), &[], None, None).await
}

async fn keep_new_uploads(
    state: &AppState,
    actor: &wharf_core::Actor,
    form: &mut Form,
    files: Vec<(String, String, Vec<u8>)>,
) -> Result<(), AppError> {
    for (name, content_type, bytes) in files {
        let kept = state
            .mail
            .keep_upload(actor, &name, &content_type, bytes)
            .await
            .map_err(|e| AppError::Internal(format!("keeping an upload: {e}")))?;
        form.kept_uploads.push(kept.id);
    }
    Ok(())
}

/// A draft written in the editor, opened where the editor is not built in, becomes text.
fn editor_or_text(mut form: Form) -> Form {
    if form.html && !crate::assets::editor_available() {
        form.body = from_editor(&form.body, "wharf.local", "draft").text;
        form.html = false;
    }
    form
}

/// The form filled from a sent message (recipients, subject, text, its attachments), to
/// correct and send again after a failed delivery: nothing has to be written twice.
async fn send_again(state: &AppState, req: &Req, id: i64) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let o = state.store.get_message(actor, id).await?;
    if o.summary.direction != "out" {
        return Err(AppError::BadRequest);
    }
    let html = crate::assets::editor_available();
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
    let (message_id, _) = wharf_mailbox::send::queue(
        &state.mail,
        account.id,
        Some(actor.user_id),
        &account.address,
        &built.recipients,
        built.bytes,
    )
    .await
    .map_err(|e| AppError::Internal(format!("queueing a message: {e}")))?;
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
    Ok(Redirect::to(&format!("/mail?view=sent&m={message_id}")).into_response())
}

/// Autosave from the compose page (urlencoded, as the page's script sends it); answers
/// `{"id": N}` so the next save updates the same draft.
pub async fn save_draft(
    State(state): State<AppState>,
    req: Req,
    body: axum::body::Bytes,
) -> Result<axum::Json<serde_json::Value>, AppError> {
    // Read here rather than with `FormData`: images pasted into the editor make drafts
    // bigger than ordinary forms (the route allows it; the page sends its token in a
    // header).
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
    // The same refusal of control characters (NUL, ESC …) as every other form.
    for (k, v) in &pairs {
        crate::form::refuse_controls(k, v)?;
    }
    let form = crate::form::FormData(pairs);
    let id = state
        .store
        .save_draft(
            req.actor()?,
            &wharf_store::drafts::Draft {
                id: form.get("draft_id").parse().unwrap_or(0),
                account_id: form.get("account_id").parse().ok(),
                to: form.get("to"),
                cc: form.get("cc"),
                bcc: form.get("bcc"),
                subject: form.get("subject"),
                body: form.get("body"),
                html: form.get("format") == "html",
                reply_to: form.get("reply_to").parse().ok(),
                forward_of: form.get("forward_of").parse().ok(),
                updated_at: 0,
            },
        )
        .await?;
    Ok(axum::Json(serde_json::json!({ "id": id })))
}

pub async fn delete_draft(
    State(state): State<AppState>,
    req: Req,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_draft(req.actor()?, id).await?;
    Ok(Redirect::to("/mail?view=drafts").into_response())
}
