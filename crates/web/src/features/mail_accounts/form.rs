//! The mail account form with provider presets: new, create, edit, update.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::mail::account::{AccountInput, PRESETS, Security};
use wharf_core::zone::Zone;
use wharf_store::mail::accounts::Account;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Check, ExtraButton, Field, FormPage, ProviderNote, pick};

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
        // Typed passwords come back after a failed test or save (in the page, never a URL).
        Field::new(req, "in_password", "password", &i.in_password),
        Field::new(req, "out_host", "text", &i.out_host),
        Field::new(req, "out_port", "number", num(i.out_port)),
        Field::select(req, "out_security", &i.out_security, security_choices(req)),
        Field::new(req, "out_username", "text", &i.out_username),
        Field::new(req, "out_password", "password", &i.out_password),
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
pub(super) fn input_from(form: &FormData) -> Result<AccountInput, AppError> {
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
pub(super) async fn form_page(
    state: &AppState,
    req: &Req,
    title: String,
    action: String,
    input: &AccountInput,
    preset: &str,
    err: Option<AppError>,
    checks: Option<Vec<Check>>,
) -> Response {
    let data = FormPage {
        fields: fields(state, req, input, preset).await,
        extra_buttons: vec![ExtraButton {
            action: format!("{action}/test"),
            id: "test-settings",
            label: req.t("mail.test"),
        }],
        action,
        cancel: Some("/mail/accounts".into()),
        checks: checks.unwrap_or_default(),
        presets_json: Some(presets_json()),
        provider_notes: provider_notes(req),
        ..FormPage::default()
    };
    crate::render::form(req, "mail", &title, data, err)
}

/// What a user must know about a provider before entering a password (app passwords,
/// authorization codes, providers that refuse passwords): `mail.preset.note.<code>`.
fn provider_notes(req: &Req) -> Vec<ProviderNote> {
    PRESETS
        .iter()
        .filter_map(|p| {
            let key = format!("mail.preset.note.{}", p.code);
            crate::i18n::has_key(req.locale, &key).then(|| ProviderNote {
                code: p.code,
                name: pick(req.locale, p.name_zh, p.name_en),
                text: req.t(&key),
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
