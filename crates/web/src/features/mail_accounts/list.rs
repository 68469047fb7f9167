//! The mail accounts the user may see, with their sync state.

use axum::extract::State;
use axum::response::Response;
use wharf_core::Permission;
use wharf_store::mail::accounts::Account;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::mail_accounts::views::{AccountRow, AccountsPage};
use crate::render::page;

pub(super) fn state_label(req: &Req, a: &Account) -> (String, &'static str) {
    let key = match a.sync_state.as_str() {
        "syncing" => "mail.sync.syncing",
        "idle" => "mail.sync.ok",
        "error" => "mail.sync.error",
        _ if !a.sync_enabled => "mail.sync.off",
        _ => "mail.sync.new",
    };
    let class = match a.sync_state.as_str() {
        "error" => "err",
        "idle" => "ok",
        _ => "",
    };
    (req.t(key), class)
}

pub async fn list(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let accounts: Vec<AccountRow> = state
        .store
        .list_accounts_with_counts(actor)
        .await?
        .into_iter()
        .map(|a| {
            let (label, class) = state_label(&req, &a);
            AccountRow {
                id: a.id,
                kind: req.t(&format!("mail.kind.{}", a.kind)),
                protocol: a.in_protocol.to_uppercase(),
                state: label,
                state_class: class,
                messages: a.message_count,
                address: a.address,
                owner: a.owner_name,
            }
        })
        .collect();
    Ok(page(
        &req,
        "mail/accounts.html",
        "mail",
        &req.t("mail.accounts"),
        AccountsPage {
            accounts,
            can_manage: actor.has(Permission::Mailboxes),
        },
    ))
}
