//! Mail → accounts (SPEC ACC-1..5): the list, an account's page with its sync state,
//! progress, last error and folder choice, the new / edit form with provider presets,
//! and "test settings" that checks receiving and sending apart.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use wharf_core::Permission;
use wharf_core::mail::{AccountInput, PRESETS, Security};
use wharf_core::zone::Zone;
use wharf_mail::net::{Endpoint, NetError};
use wharf_mailbox::check::{CheckResult, CheckSettings, check};
use wharf_store::mail_accounts::Account;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, attach_errors, page, pick, when};

fn state_label(req: &Req, a: &Account) -> (String, &'static str) {
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
    let accounts: Vec<Value> = state
        .store
        .list_accounts(actor)
        .await?
        .into_iter()
        .map(|a| {
            let (label, class) = state_label(&req, &a);
            context! {
                id => a.id, address => a.address, kind => req.t(&format!("mail.kind.{}", a.kind)),
                owner => a.owner_name, protocol => a.in_protocol.to_uppercase(), state => label,
                state_class => class, messages => a.message_count,
            }
        })
        .collect();
    Ok(page(
        &req,
        "accounts.html",
        "mail",
        &req.t("mail.accounts"),
        context! { accounts => accounts, can_manage => actor.has(Permission::Mailboxes) },
    ))
}

fn check_rows(req: &Req, result: &CheckResult) -> Vec<Value> {
    let mut rows = Vec::new();
    let row = |id: &str, label: String, r: &Result<(), NetError>| match r {
        Ok(()) => context! { id => id, label => label, ok => true, text => req.t("mail.test.ok") },
        Err(e) => context! {
            id => id, label => label, ok => false,
            text => format!("{} — {}", req.t(&format!("mail.step.{}", e.step.code())), e.detail),
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
    checks: Option<Vec<Value>>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let a = state.store.get_account(actor, id).await?;
    let zone = req.zone()?;
    let folders: Vec<Value> = state
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
            context! {
                id => f.id, name => wharf_mail::imap::decode_folder_name(&f.name), role => role,
                selected => f.selected, stored_count => f.stored_count, server_count => f.server_count,
            }
        })
        .collect();
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
        "account.html",
        "mail",
        &a.address,
        context! {
            id => a.id, state => label, state_class => class, progress => progress,
            last_sync => a.last_sync_at.map(|t| when(t, zone)),
            error => (!a.sync_error.is_empty()).then_some(a.sync_error.clone()),
            error_step => req.t(&format!("mail.step.{}", if a.sync_error_step.is_empty() { "internal" } else { &a.sync_error_step })),
            messages => a.message_count, syncs => a.sync_enabled && a.in_protocol != "none",
            can_manage => actor.has(Permission::Mailboxes), settings => settings,
            folders => folders, checks => checks, syncing => a.sync_state == "syncing",
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
async fn test_saved(state: &AppState, req: &Req, id: i64) -> Result<Response, AppError> {
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

// ---- the form ------------------------------------------------------------------------

async fn staff_choices(state: &AppState, req: &Req) -> Vec<(String, String)> {
    let actor = match req.actor() {
        Ok(a) => a,
        Err(_) => return Vec::new(),
    };
    state
        .store
        .list_staff(actor, &Default::default())
        .await
        .map(|list| {
            list.into_iter()
                .map(|s| (s.id.to_string(), format!("{} ({})", s.name, s.username)))
                .collect()
        })
        .unwrap_or_default()
}

fn security_choices(req: &Req) -> Vec<(String, String)> {
    Security::ALL
        .iter()
        .map(|s| {
            (
                s.code().to_string(),
                req.t(&format!("mail.security.{}", s.code())),
            )
        })
        .collect()
}

/// "Show since" is kept as a UTC day, as it always was, so stored days do not move.
fn day(t: Option<i64>) -> String {
    t.map(|t| Zone::utc().day_of(t).iso()).unwrap_or_default()
}

async fn fields(state: &AppState, req: &Req, i: &AccountInput, preset: &str) -> Vec<Field> {
    let staff = staff_choices(state, req).await;
    let mut owners = vec![(String::new(), "—".to_string())];
    owners.extend(staff.clone());
    let mut presets = vec![(String::new(), req.t("mail.preset.custom"))];
    presets.extend(
        PRESETS
            .iter()
            .map(|p| (p.code.to_string(), pick(req.locale, p.name_zh, p.name_en))),
    );
    let num = |v: i64| if v == 0 { String::new() } else { v.to_string() };
    vec![
        Field::new(req, "address", "email", &i.address),
        Field::new(req, "display_name", "text", &i.display_name),
        Field::select(
            req,
            "kind",
            &i.kind,
            ["personal", "public"]
                .iter()
                .map(|k| (k.to_string(), req.t(&format!("mail.kind.{k}"))))
                .collect(),
        ),
        Field::select(
            req,
            "owner_id",
            &i.owner_id.map(|o| o.to_string()).unwrap_or_default(),
            owners,
        ),
        Field::checkboxes(
            req,
            "member_ids",
            staff
                .into_iter()
                .map(|(id, name)| {
                    let on = i.member_ids.iter().any(|m| m.to_string() == id);
                    (id, name, on)
                })
                .collect(),
        ),
        Field::select(req, "preset", preset, presets),
        Field::select(
            req,
            "in_protocol",
            &i.in_protocol,
            ["imap", "pop3", "none"]
                .iter()
                .map(|k| (k.to_string(), req.t(&format!("mail.protocol.{k}"))))
                .collect(),
        ),
        Field::new(req, "in_host", "text", &i.in_host),
        Field::new(req, "in_port", "number", num(i.in_port)),
        Field::select(req, "in_security", &i.in_security, security_choices(req)),
        Field::new(req, "in_username", "text", &i.in_username),
        Field::new(req, "in_password", "password", ""),
        Field::new(req, "out_host", "text", &i.out_host),
        Field::new(req, "out_port", "number", num(i.out_port)),
        Field::select(req, "out_security", &i.out_security, security_choices(req)),
        Field::new(req, "out_username", "text", &i.out_username),
        Field::new(req, "out_password", "password", ""),
        Field::new(
            req,
            "accept_invalid_certs",
            "checkbox",
            if i.accept_invalid_certs { "1" } else { "" },
        ),
        Field::new(
            req,
            "leave_on_server",
            "checkbox",
            if i.leave_on_server { "1" } else { "" },
        ),
        Field::new(req, "show_since", "date", day(i.show_since)),
        Field::new(
            req,
            "sync_enabled",
            "checkbox",
            if i.sync_enabled { "1" } else { "" },
        ),
        Field::new(req, "signature", "textarea", &i.signature),
        Field::new(req, "max_attachment_mb", "number", i.max_attachment_mb),
    ]
}

/// The form's values; a chosen provider preset fills the server settings left empty.
fn input_from(form: &FormData) -> Result<AccountInput, AppError> {
    let port = |name: &str| form.get(name).trim().parse::<i64>().unwrap_or(0);
    let mut i = AccountInput {
        address: form.get("address"),
        display_name: form.get("display_name"),
        kind: form.get("kind"),
        owner_id: form.get("owner_id").parse().ok(),
        member_ids: form
            .all("member_ids")
            .iter()
            .filter_map(|v| v.parse().ok())
            .collect(),
        in_protocol: form.get("in_protocol"),
        in_host: form.get("in_host"),
        in_port: port("in_port"),
        in_security: form.get("in_security"),
        in_username: form.get("in_username"),
        in_password: form.get("in_password"),
        out_host: form.get("out_host"),
        out_port: port("out_port"),
        out_security: form.get("out_security"),
        out_username: form.get("out_username"),
        out_password: form.get("out_password"),
        accept_invalid_certs: form.flag("accept_invalid_certs"),
        leave_on_server: form.flag("leave_on_server"),
        show_since: crate::form::day_field(
            &form.get("show_since"),
            "show_since",
            "invalid_choice",
        )?
        .map(|d| Zone::utc().day_start(d)),
        sync_enabled: form.flag("sync_enabled"),
        signature: form.get("signature"),
        max_attachment_mb: form.get("max_attachment_mb").trim().parse().unwrap_or(25),
    };
    if let Some(p) = PRESETS.iter().find(|p| p.code == form.get("preset")) {
        if i.in_host.trim().is_empty() {
            let pop = i.in_protocol == "pop3";
            i.in_host = if pop { p.pop3_host } else { p.imap_host }.into();
            i.in_port = if pop { 995 } else { 993 };
            i.in_security = "tls".into();
        }
        if i.out_host.trim().is_empty() {
            i.out_host = p.smtp_host.into();
            i.out_port = 465;
            i.out_security = "tls".into();
        }
    }
    Ok(i)
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    req: &Req,
    title: String,
    action: String,
    input: &AccountInput,
    preset: &str,
    err: Option<AppError>,
    checks: Option<Vec<Value>>,
) -> Response {
    let mut fields = fields(state, req, input, preset).await;
    let form_error = err.as_ref().map(|e| attach_errors(req, &mut fields, e));
    let test_action = format!("{action}/test");
    let mut res = page(
        req,
        "form.html",
        "mail",
        &title,
        context! {
            action => action, cancel => "/mail/accounts", fields => fields, form_error => form_error,
            checks => checks, presets_json => presets_json(), provider_notes => provider_notes(req),
            extra_buttons => vec![context! { action => test_action, id => "test-settings", label => req.t("mail.test") }],
        },
    );
    if let Some(e) = err {
        *res.status_mut() = e.status();
    }
    res
}

/// What a user must know about a provider before entering a password (app passwords,
/// authorization codes, providers that refuse passwords): `mail.preset.note.<code>`.
fn provider_notes(req: &Req) -> Vec<Value> {
    PRESETS
        .iter()
        .filter_map(|p| {
            let key = format!("mail.preset.note.{}", p.code);
            crate::i18n::has_key(req.locale, &key).then(|| {
                context! {
                    code => p.code,
                    name => pick(req.locale, p.name_zh, p.name_en),
                    text => req.t(&key),
                }
            })
        })
        .collect()
}

/// The provider presets for the form's script (our own constants, no user data).
fn presets_json() -> String {
    let map: serde_json::Map<String, serde_json::Value> = PRESETS
        .iter()
        .map(|p| {
            (
                p.code.to_string(),
                serde_json::json!({ "imap": p.imap_host, "pop3": p.pop3_host, "smtp": p.smtp_host, "domains": p.domains }),
            )
        })
        .collect();
    serde_json::Value::Object(map).to_string()
}

fn new_input() -> AccountInput {
    AccountInput {
        kind: "personal".into(),
        in_protocol: "imap".into(),
        in_port: 993,
        in_security: "tls".into(),
        out_port: 465,
        out_security: "tls".into(),
        leave_on_server: true,
        sync_enabled: true,
        max_attachment_mb: 25,
        ..Default::default()
    }
}

pub async fn new(State(state): State<AppState>, req: Req) -> Response {
    form_page(
        &state,
        &req,
        req.t("mail.account.new"),
        "/mail/accounts".into(),
        &new_input(),
        "",
        None,
        None,
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let result = match input_from(&form) {
        Ok(input) => state
            .store
            .create_account(req.ctx()?, &state.mail.vault, input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => {
            state
                .store
                .run_job_now(wharf_mailbox::worker::SYNC, &id.to_string())
                .await?;
            Ok(Redirect::to(&format!("/mail/accounts/{id}")).into_response())
        }
        Err(e) => Ok(form_page(
            &state,
            &req,
            req.t("mail.account.new"),
            "/mail/accounts".into(),
            &input_from(&form).unwrap_or_else(|_| new_input()),
            &form.get("preset"),
            Some(e),
            None,
        )
        .await),
    }
}

fn input_of(a: &Account) -> AccountInput {
    AccountInput {
        address: a.address.clone(),
        display_name: a.display_name.clone(),
        kind: a.kind.clone(),
        owner_id: a.owner_id,
        member_ids: a.member_ids.clone(),
        in_protocol: a.in_protocol.clone(),
        in_host: a.in_host.clone(),
        in_port: a.in_port,
        in_security: a.in_security.clone(),
        in_username: a.in_username.clone(),
        in_password: String::new(),
        out_host: a.out_host.clone(),
        out_port: a.out_port,
        out_security: a.out_security.clone(),
        out_username: a.out_username.clone(),
        out_password: String::new(),
        accept_invalid_certs: a.accept_invalid_certs,
        leave_on_server: a.leave_on_server,
        show_since: a.show_since,
        sync_enabled: a.sync_enabled,
        signature: a.signature.clone(),
        max_attachment_mb: a.max_attachment_mb,
    }
}

pub async fn edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let a = state.store.get_account(req.actor()?, id).await?;
    Ok(form_page(
        &state,
        &req,
        a.address.clone(),
        format!("/mail/accounts/{id}"),
        &input_of(&a),
        "",
        None,
        None,
    )
    .await)
}

pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let result = match input_from(&form) {
        Ok(input) => state
            .store
            .update_account(req.ctx()?, &state.mail.vault, id, input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {
            state
                .store
                .run_job_now(wharf_mailbox::worker::SYNC, &id.to_string())
                .await?;
            Ok(Redirect::to(&format!("/mail/accounts/{id}")).into_response())
        }
        Err(e) => Ok(form_page(
            &state,
            &req,
            form.get("address"),
            format!("/mail/accounts/{id}"),
            &input_from(&form).unwrap_or_else(|_| new_input()),
            &form.get("preset"),
            Some(e),
            None,
        )
        .await),
    }
}

/// "Test settings" on the form: checks what is typed (passwords left empty on an edit
/// come from the saved account) without saving.
async fn test_form(
    state: &AppState,
    req: &Req,
    saved: Option<i64>,
    form: &FormData,
) -> Result<Response, AppError> {
    let input = input_from(form)?;
    let (mut in_pw, mut out_pw) = (input.in_password.clone(), input.out_password.clone());
    if let Some(id) = saved {
        let s = state
            .store
            .account_secrets_for(req.actor()?, &state.mail.vault, id)
            .await?;
        if in_pw.is_empty() {
            in_pw = s.in_password;
        }
        if out_pw.is_empty() {
            out_pw = s.out_password;
        }
    }
    if out_pw.is_empty() {
        out_pw = in_pw.clone();
    }
    let endpoint = |host: &str, port: i64, security: &str| Endpoint {
        host: host.trim().to_string(),
        port: u16::try_from(port).unwrap_or(0),
        security: wharf_mail::net::Security::from_code(security),
        accept_invalid_certs: input.accept_invalid_certs,
    };
    let user = |u: &str| {
        if u.trim().is_empty() {
            input.address.trim().to_string()
        } else {
            u.trim().to_string()
        }
    };
    let settings = CheckSettings {
        in_protocol: input.in_protocol.clone(),
        incoming: endpoint(&input.in_host, input.in_port, &input.in_security),
        in_username: user(&input.in_username),
        in_password: in_pw,
        outgoing: endpoint(&input.out_host, input.out_port, &input.out_security),
        out_username: if input.out_username.trim().is_empty() {
            user(&input.in_username)
        } else {
            input.out_username.trim().to_string()
        },
        out_password: out_pw,
    };
    let result = check(&settings).await;
    let (title, action) = match saved {
        Some(id) => (input.address.clone(), format!("/mail/accounts/{id}")),
        None => (req.t("mail.account.new"), "/mail/accounts".to_string()),
    };
    Ok(form_page(
        state,
        req,
        title,
        action,
        &input,
        &form.get("preset"),
        None,
        Some(check_rows(req, &result)),
    )
    .await)
}

pub async fn test_new(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    test_form(&state, &req, None, &form).await
}

/// From the edit form (its fields are posted): tests what is typed; from the account
/// page (no fields): tests the saved settings.
pub async fn test_edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    if form.get("address").is_empty() {
        test_saved(&state, &req, id).await
    } else {
        test_form(&state, &req, Some(id), &form).await
    }
}
