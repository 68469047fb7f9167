//! The compose page: new mail, reply, reply all, forward, a draft reopened (SPEC SEND-1, SEND-5).

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use wharf_core::html::escape;
use wharf_mail::Mailbox;
use wharf_mail::compose::{DraftError, forward_subject, quote, reply_subject};
use wharf_mail::rich::{from_editor, text_as_editor_html};
use wharf_store::mail::accounts::Account;
use wharf_store::mail::view::MessageDetail;

use super::send::send_again;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::mail::views::{CarriedFile, ComposePage, SenderChoice};
use crate::render::{Field, MessagePage, page, when};

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
    /// "1": the form alone, for the reading pane (mail_compose.js).
    #[serde(default)]
    fragment: String,
    /// A quote to send (`features/quotes/mail.rs`): its kept PDF upload and language.
    #[serde(default)]
    quote: String,
    #[serde(default)]
    upload: String,
    #[serde(default)]
    lang: String,
}

/// What the form holds (kept when a send is refused).
#[derive(Default, Clone)]
pub(super) struct Form {
    pub(super) account_id: Option<i64>,
    pub(super) to: String,
    pub(super) cc: String,
    pub(super) bcc: String,
    pub(super) subject: String,
    pub(super) body: String,
    pub(super) reply_to: Option<i64>,
    pub(super) forward_of: Option<i64>,
    pub(super) keep_attachments: Vec<i64>,
    pub(super) draft_id: Option<i64>,
    /// The body is the rich-text editor's HTML.
    pub(super) html: bool,
    /// Files uploaded with an earlier, refused send of this mail (kept by the server).
    pub(super) kept_uploads: Vec<i64>,
    /// Written from a sent message that could not be delivered (for the title).
    pub(super) again: bool,
    /// Written in the reading pane: answers are the form alone, not a page.
    pub(super) fragment: bool,
    /// The quote this mail sends: marked sent once the mail is queued.
    pub(super) quote_id: Option<i64>,
}

fn label(a: &Account) -> String {
    if a.display_name.is_empty() {
        a.address.clone()
    } else {
        format!("{} <{}>", a.display_name, a.address)
    }
}

pub(super) fn addresses_of(json: &str) -> Vec<Mailbox> {
    serde_json::from_str(json).unwrap_or_default()
}

/// A recipient as it goes back into a To / Cc box: `"Name" <address>` (quoted, so a
/// comma in the name stays part of it), or the bare address.
pub(super) fn shown(m: &Mailbox) -> String {
    if m.name.is_empty() || m.name == m.address {
        m.address.clone()
    } else {
        let name = m.name.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{name}\" <{}>", m.address)
    }
}

pub(super) fn shown_list(list: &[Mailbox]) -> String {
    list.iter().map(shown).collect::<Vec<_>>().join(", ")
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn show(
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
            "shared/message.html",
            "mail",
            &req.t("mail.compose.title"),
            MessagePage {
                message: &req.t("mail.compose.no_account"),
                back: None,
            },
        ));
    }
    let selected = form.account_id.unwrap_or(accounts[0].id);
    let choices: Vec<SenderChoice> = accounts
        .iter()
        .map(|a| SenderChoice {
            id: a.id,
            label: label(a),
            on: a.id == selected,
        })
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
    let fields: Vec<Field> = [
        ("to", "text", &form.to),
        ("cc", "text", &form.cc),
        ("bcc", "text", &form.bcc),
        ("subject", "text", &form.subject),
        ("body", "textarea", &form.body),
    ]
    .into_iter()
    .map(|(name, kind, value)| Field {
        name: name.into(),
        label: req.t(&format!("mail.compose.{name}")),
        kind,
        value: value.clone(),
        options: Vec::new(),
        suggestions: Vec::new(),
        error: err(name),
    })
    .collect();
    let forwarded: Vec<CarriedFile> = original
        .filter(|_| form.forward_of.is_some())
        .map(|o| {
            o.attachments
                .iter()
                .filter(|a| !a.inline || a.content_id.is_empty())
                .map(|a| CarriedFile {
                    id: a.id,
                    name: a.filename.clone(),
                    size: None,
                })
                .collect()
        })
        .unwrap_or_default();
    let kept: Vec<CarriedFile> = state
        .store
        .uploads(actor, &form.kept_uploads)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| CarriedFile {
            id: u.id,
            name: u.filename,
            size: Some(format!("{} KB", (u.size + 1023) / 1024)),
        })
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
        if form.fragment {
            "mail/compose_fragment.html"
        } else {
            "mail/compose.html"
        },
        "mail",
        &title,
        ComposePage {
            accounts: choices,
            fields,
            forwarded,
            reply_to: form.reply_to.map(|i| i.to_string()).unwrap_or_default(),
            forward_of: form.forward_of.map(|i| i.to_string()).unwrap_or_default(),
            draft_id: form.draft_id.map(|i| i.to_string()).unwrap_or_default(),
            quote_id: form.quote_id.map(|i| i.to_string()).unwrap_or_default(),
            rich: form.html,
            editor_language: if req.locale == crate::i18n::Locale::ZhCn {
                "zh_cn"
            } else {
                "en"
            },
            limit: req
                .t("mail.compose.limit")
                .replace("{n}", &limit.to_string()),
            form_error: form_error
                .or_else(|| (!errors.is_empty()).then(|| req.t("error.invalid_input"))),
            files_error,
            kept,
            fragment: form.fragment,
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
            fragment: p.fragment == "1",
            quote_id: None,
        };
        let form = editor_or_text(form);
        let original = match form.reply_to.or(form.forward_of) {
            Some(o) => state.store.get_message(actor, o).await.ok(),
            None => None,
        };
        return show(&state, &req, &form, original.as_ref(), &[], None, None).await;
    }
    if let Ok(id) = p.again.parse::<i64>() {
        return send_again(&state, &req, id, p.fragment == "1").await;
    }
    let reply = p.reply.parse::<i64>().ok();
    let forward = p.forward.parse::<i64>().ok();
    let mut form = Form {
        account_id: p.account.parse().ok(),
        reply_to: reply,
        forward_of: forward,
        // The reading pane writes plain text: the editor styles what it edits with
        // style attributes, which the mailbox page's strict CSP refuses (the compose page
        // alone allows them); the pane links to that page for formatting.
        html: crate::assets::editor_available() && p.fragment != "1",
        fragment: p.fragment == "1",
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
    if let Ok(quote_id) = p.quote.parse::<i64>() {
        let locale = crate::i18n::Locale::from_code(&p.lang).unwrap_or(req.locale);
        let filled = crate::features::quotes::mail::prefill(&state, &req, quote_id, locale).await?;
        form.to = filled.to;
        form.subject = filled.subject;
        form.body = if form.html {
            text_as_editor_html(&filled.body)
        } else {
            filled.body
        };
        form.kept_uploads.extend(p.upload.parse::<i64>().ok());
        form.quote_id = Some(quote_id);
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

pub(super) async fn keep_new_uploads(
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
