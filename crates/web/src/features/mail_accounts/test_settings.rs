//! "Test settings" from the account form, per direction with the failing step.

use axum::extract::{Path, State};
use axum::response::Response;
use wharf_mail::net::Endpoint;
use wharf_mailbox::check::{CheckSettings, check};

use super::form::{form_page, input_from};
use super::show::{check_rows, test_saved};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;

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
