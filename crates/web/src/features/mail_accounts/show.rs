//! One mail account: its settings check, folders and sync; sync now; save folders.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::Permission;
use wharf_mail::net::NetError;
use wharf_mailbox::check::{CheckResult, CheckSettings, check};

use super::list::state_label;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::mail_accounts::views::{AccountPage, ServerFolder};
use crate::form::FormData;
use crate::render::{Check, page, when};

pub(super) fn check_rows(req: &Req, result: &CheckResult) -> Vec<Check> {
    let mut rows = Vec::new();
    let row = |id: &'static str, label: String, r: &Result<(), NetError>| match r {
        Ok(()) => Check {
            id,
            label,
            ok: true,
            text: req.t("mail.test.ok"),
        },
        Err(e) => Check {
            id,
            label,
            ok: false,
            text: {
                // A translated sentence with what to try; the server's own refusal after
                // it, never the library's words (they are logged).
                tracing::info!(step = e.step.code(), detail = %e.detail, "settings test failed");
                let mut text = format!(
                    "{} — {}",
                    req.t(&format!("mail.step.{}", e.step.code())),
                    req.t(&format!("mail.test.hint.{}", super::check_text::kind(e)))
                );
                if let Some(words) = super::check_text::server_words(e) {
                    text.push_str(&req.t("mail.test.server_said").replace("{words}", words));
                }
                text
            },
        },
    };
    if let Some(r) = &result.receive {
        rows.push(row("receive", req.t("mail.test.receive"), r));
    }
    rows.push(row("send", req.t("mail.test.send"), &result.send));
    rows
}

async fn show_account(
    state: &AppState,
    req: &Req,
    id: i64,
    checks: Option<Vec<Check>>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let a = state.store.get_account(actor, id).await?;
    let zone = req.zone()?;
    let folders: Vec<ServerFolder> = state
        .store
        .list_folders(id)
        .await?
        .into_iter()
        .map(|f| {
            let role = if f.role.is_empty() {
                String::new()
            } else {
                req.t(&format!("mail.role.{}", f.role))
            };
            ServerFolder {
                id: f.id,
                name: wharf_mail::imap::decode_folder_name(&f.name),
                role,
                selected: f.selected,
                stored_count: f.stored_count,
                server_count: f.server_count,
            }
        })
        .collect();
    let notes = state.store.mirror_notes(id).await?;
    let mut mirror_notes = Vec::new();
    if !notes.account.is_empty() {
        mirror_notes.push(req.t(&format!("mail.mirror.{}", notes.account)));
    }
    for (folder, note) in &notes.folders {
        mirror_notes.push(
            req.t(&format!("mail.mirror.folder.{note}"))
                .replace("{folder}", folder),
        );
    }
    let (label, class) = state_label(req, &a);
    let progress = (a.sync_state == "syncing" && a.sync_progress_total > 0)
        .then(|| format!("{} / {}", a.sync_progress_done, a.sync_progress_total));
    let yes_no = |b: bool| req.t(if b { "common.yes" } else { "common.no" });
    let mut settings = vec![
        (req.t("field.display_name"), a.display_name.clone()),
        (req.t("field.kind"), req.t(&format!("mail.kind.{}", a.kind))),
        (req.t("field.owner_id"), a.owner_name.clone()),
    ];
    if a.in_protocol != "none" {
        settings.push((
            req.t("mail.incoming"),
            format!(
                "{} {}:{} ({}) — {}",
                a.in_protocol.to_uppercase(),
                a.in_host,
                a.in_port,
                req.t(&format!("mail.security.{}", a.in_security)),
                a.in_username
            ),
        ));
    }
    settings.push((
        req.t("mail.outgoing"),
        format!(
            "SMTP {}:{} ({}) — {}",
            a.out_host,
            a.out_port,
            req.t(&format!("mail.security.{}", a.out_security)),
            a.out_username
        ),
    ));
    if a.in_protocol == "pop3" {
        settings.push((req.t("field.leave_on_server"), yes_no(a.leave_on_server)));
    }
    settings.push((
        req.t("field.show_since"),
        a.show_since.map(|t| when(t, zone)).unwrap_or_default(),
    ));
    settings.push((req.t("field.sync_enabled"), yes_no(a.sync_enabled)));
    Ok(page(
        req,
        "mail/account.html",
        "mail",
        &a.address,
        AccountPage {
            id: a.id,
            state: label,
            state_class: class,
            progress,
            last_sync: a.last_sync_at.map(|t| when(t, zone)),
            error: (!a.sync_error.is_empty()).then_some(a.sync_error.clone()),
            error_step: req.t(&format!(
                "mail.step.{}",
                if a.sync_error_step.is_empty() {
                    "internal"
                } else {
                    &a.sync_error_step
                }
            )),
            messages: a.message_count,
            syncs: a.sync_enabled && a.in_protocol != "none",
            can_manage: actor.has(Permission::Mailboxes),
            settings,
            folders,
            mirror_notes,
            checks,
            syncing: a.sync_state == "syncing",
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    show_account(&state, &req, id, None).await
}

/// Sync now: makes the account's sync job due (the worker picks it up at once).
pub async fn sync_now(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.get_account(req.actor()?, id).await?;
    state
        .store
        .run_job_now(wharf_mailbox::worker::SYNC, &id.to_string())
        .await?;
    Ok(Redirect::to(&format!("/mail/accounts/{id}")).into_response())
}

/// Tests a saved account's settings and shows the outcome on its page.
pub(super) async fn test_saved(state: &AppState, req: &Req, id: i64) -> Result<Response, AppError> {
    let s = state
        .store
        .account_secrets_for(req.actor()?, &state.mail.vault, id)
        .await?;
    let result = check(&CheckSettings::saved(&s)).await;
    show_account(state, req, id, Some(check_rows(req, &result))).await
}

pub async fn save_folders(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let selected: Vec<i64> = form
        .all("folder")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    state
        .store
        .select_folders(req.ctx()?, id, &selected)
        .await?;
    Ok(Redirect::to(&format!("/mail/accounts/{id}")).into_response())
}
