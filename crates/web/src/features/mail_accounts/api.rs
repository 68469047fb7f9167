//! The JSON API of mail accounts (SPEC API-1): the same store operations as the pages,
//! passwords write-only, and "test settings" answering per direction with the failing
//! step.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use wharf_core::mail::account::AccountInput;
use wharf_mail::net::NetError;
use wharf_mailbox::check::{CheckSettings, check};

use crate::api::{JsonBody, body, created};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountBody {
    address: String,
    #[serde(default)]
    display_name: String,
    /// `personal` or `public`.
    kind: String,
    #[serde(default)]
    owner_id: Option<i64>,
    #[serde(default)]
    member_ids: Vec<i64>,
    /// `imap`, `pop3` or `none`.
    in_protocol: String,
    #[serde(default)]
    in_host: String,
    #[serde(default)]
    in_port: i64,
    /// `tls`, `starttls` or `none`.
    #[serde(default)]
    in_security: String,
    #[serde(default)]
    in_username: String,
    /// Write-only; empty on an update keeps the stored one.
    #[serde(default)]
    in_password: String,
    out_host: String,
    out_port: i64,
    out_security: String,
    #[serde(default)]
    out_username: String,
    #[serde(default)]
    out_password: String,
    #[serde(default)]
    accept_invalid_certs: bool,
    #[serde(default = "yes")]
    leave_on_server: bool,
    #[serde(default)]
    show_since: Option<i64>,
    #[serde(default = "yes")]
    sync_enabled: bool,
    #[serde(default)]
    signature: String,
    #[serde(default = "default_mb")]
    max_attachment_mb: i64,
}

fn yes() -> bool {
    true
}

fn default_mb() -> i64 {
    25
}

impl From<AccountBody> for AccountInput {
    fn from(b: AccountBody) -> Self {
        AccountInput {
            address: b.address,
            display_name: b.display_name,
            kind: b.kind,
            owner_id: b.owner_id,
            member_ids: b.member_ids,
            in_protocol: b.in_protocol,
            in_host: b.in_host,
            in_port: b.in_port,
            in_security: b.in_security,
            in_username: b.in_username,
            in_password: b.in_password,
            out_host: b.out_host,
            out_port: b.out_port,
            out_security: b.out_security,
            out_username: b.out_username,
            out_password: b.out_password,
            accept_invalid_certs: b.accept_invalid_certs,
            leave_on_server: b.leave_on_server,
            show_since: b.show_since,
            sync_enabled: b.sync_enabled,
            signature: b.signature,
            max_attachment_mb: b.max_attachment_mb,
        }
    }
}

pub async fn accounts(State(state): State<AppState>, req: Req) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({ "items": state.store.list_accounts_with_counts(req.actor()?).await? }),
    ))
}

pub async fn account(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let a = state.store.get_account(req.actor()?, id).await?;
    let folders = state.store.list_folders(id).await?;
    Ok(Json(json!({ "account": a, "folders": folders })))
}

pub async fn account_create(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<AccountBody>,
) -> Result<Response, AppError> {
    let id = state
        .store
        .create_account(req.ctx()?, &state.mail.vault, body(b)?.into())
        .await?;
    state
        .store
        .run_job_now(wharf_mailbox::worker::SYNC, &id.to_string())
        .await?;
    Ok(created(id))
}

pub async fn account_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<AccountBody>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .update_account(req.ctx()?, &state.mail.vault, id, body(b)?.into())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn account_sync(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state.store.get_account(req.actor()?, id).await?;
    state
        .store
        .run_job_now(wharf_mailbox::worker::SYNC, &id.to_string())
        .await?;
    Ok(StatusCode::ACCEPTED)
}

fn outcome(r: &Result<(), NetError>) -> Value {
    match r {
        Ok(()) => json!({ "ok": true }),
        // `kind` is a stable code for what to try (`mail.test.hint.<kind>`).
        Err(e) => json!({
            "ok": false,
            "step": e.step.code(),
            "kind": super::check_text::kind(e),
            "detail": e.detail
        }),
    }
}

/// Checks the saved settings: `{"receive": {"ok", "step", "detail"}, "send": {…}}`.
pub async fn account_test(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let s = state
        .store
        .account_secrets_for(req.actor()?, &state.mail.vault, id)
        .await?;
    let result = check(&CheckSettings::saved(&s)).await;
    Ok(Json(json!({
        "receive": result.receive.as_ref().map(outcome),
        "send": outcome(&result.send),
    })))
}
