//! First start, sign-in, sign-out and the language switch (SPEC AUTH-1, AUTH-5).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::app::AppState;
use crate::ctx::{LOCALE_COOKIE, Req, SESSION_COOKIE, cookie};
use crate::error::AppError;
use crate::form::FormData;
use crate::i18n::Locale;
use crate::render::{Field, attach_errors, page};

fn session_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        state.session_policy.absolute_seconds
    )
}

/// Starts a session and sends the browser home with its cookie.
pub(crate) async fn sign_in(
    state: &AppState,
    user_id: i64,
    req: &Req,
    headers: &HeaderMap,
    to: &str,
) -> Result<Response, AppError> {
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let s = state
        .store
        .create_session(user_id, &req.ip, ua, state.session_policy)
        .await?;
    Ok((
        [(header::SET_COOKIE, session_cookie(state, &s.token))],
        Redirect::to(to),
    )
        .into_response())
}

fn setup_fields(req: &Req) -> Vec<Field> {
    let mut p = Field::new(req, "password", "password", "");
    p.label = req.t("setup.password");
    let mut c = Field::new(req, "confirm_password", "password", "");
    c.label = req.t("setup.confirm");
    vec![p, c]
}

/// `account/login.html`: signing in, and setting the first password.
#[derive(Serialize)]
pub struct LoginPage {
    pub action: &'static str,
    pub fields: Vec<Field>,
    pub submit: String,
    pub form_error: Option<String>,
    /// A sentence above the form (the first start says what it is for).
    pub intro: Option<String>,
}

fn setup_page(req: &Req, fields: Vec<Field>, form_error: Option<String>) -> Response {
    page(
        req,
        "account/login.html",
        "",
        &req.t("setup.title"),
        LoginPage {
            intro: Some(req.t("setup.intro")),
            fields,
            action: "/setup",
            submit: req.t("setup.submit"),
            form_error,
        },
    )
}

pub async fn setup_form(State(state): State<AppState>, req: Req) -> Response {
    if !state.setup_pending() {
        return Redirect::to("/login").into_response();
    }
    setup_page(&req, setup_fields(&req), None)
}

pub async fn setup_submit(
    State(state): State<AppState>,
    req: Req,
    headers: HeaderMap,
    form: FormData,
) -> Result<Response, AppError> {
    if !state.setup_pending() {
        return Ok(Redirect::to("/login").into_response());
    }
    let mut fields = setup_fields(&req);
    let password = form.get("password");
    if password != form.get("confirm_password") {
        fields[1].error = Some(req.t("error.passwords_differ"));
        return Ok(setup_page(&req, fields, None));
    }
    match state.store.complete_setup(&password, &req.ip).await {
        Ok(id) => {
            state.setup_done();
            sign_in(&state, id, &req, &headers, "/").await
        }
        Err(e) => {
            let e = AppError::from(e);
            let msg = attach_errors(&req, &mut fields, &e);
            Ok(setup_page(&req, fields, Some(msg)))
        }
    }
}

fn login_page(req: &Req, username: &str, form_error: Option<String>) -> Response {
    let fields = vec![Field::new(req, "username", "text", username), {
        let mut p = Field::new(req, "password", "password", "");
        p.label = req.t("login.password");
        p
    }];
    page(
        req,
        "account/login.html",
        "",
        &req.t("login.title"),
        LoginPage {
            fields,
            action: "/login",
            submit: req.t("login.submit"),
            form_error,
            intro: None,
        },
    )
}

pub async fn login_form(req: Req) -> Response {
    if req.actor.is_some() {
        return Redirect::to("/").into_response();
    }
    login_page(&req, "", None)
}

pub async fn login_submit(
    State(state): State<AppState>,
    req: Req,
    headers: HeaderMap,
    form: FormData,
) -> Result<Response, AppError> {
    let username = form.get("username").trim().to_lowercase();
    let password = form.get("password");
    if let Some(wait) = state.store.login_locked_for(&username, &req.ip).await? {
        let msg = if wait < 120 {
            crate::i18n::t_n(req.locale, "login.slowed", wait)
        } else {
            let minutes = (wait + 59) / 60;
            crate::i18n::t_n(req.locale, "login.locked", minutes)
        };
        let mut res = login_page(&req, &username, Some(msg));
        *res.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    let user = state.store.find_login(&username).await?;
    let ok = user
        .as_ref()
        .filter(|u| u.active)
        .and_then(|u| u.password_hash.as_deref().map(|h| (u.id, h)));
    // Verify against a real hash even for unknown users, so timing does not reveal them.
    let verified = match ok {
        Some((id, hash)) => wharf_store::auth::hashing::verify(&password, hash)
            .await
            .then_some(id),
        None => {
            let _ = wharf_store::auth::hashing::verify(&password, DUMMY_HASH).await;
            None
        }
    };
    state
        .store
        .record_login(&username, &req.ip, verified, verified.is_some())
        .await?;
    match verified {
        Some(id) => sign_in(&state, id, &req, &headers, "/").await,
        None => {
            let mut res = login_page(&req, &username, Some(req.t("login.failed")));
            *res.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
            Ok(res)
        }
    }
}

/// argon2id hash of a random string, verified when the username is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Jk8dKq1ztTaJgq9P4d7fNx0m0q2rEGu4dJt6YtjS9k";

pub async fn logout(
    State(state): State<AppState>,
    req: Req,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.store.delete_session(token).await?;
    }
    if let Some(a) = &req.actor {
        state
            .store
            .record_logout(a.user_id, &a.username, &req.ip)
            .await?;
    }
    let clear = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response())
}

/// Switch language: saved on the user when signed in, else in a cookie.
pub async fn set_locale(
    State(state): State<AppState>,
    req: Req,
    headers: HeaderMap,
    form: FormData,
) -> Result<Response, AppError> {
    let code = form.get("locale");
    let locale = if code.is_empty() {
        None
    } else {
        Some(Locale::from_code(&code).ok_or(AppError::BadRequest)?)
    };
    if req.actor.is_some() {
        state
            .store
            .set_locale(req.ctx()?, locale.map(|l| l.code()).unwrap_or(""))
            .await?;
    }
    Ok(locale_cookie_and_back(locale, &headers))
}

/// The same for visitors who are not signed in (a link, no form).
pub async fn set_locale_anonymous(
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let locale = Locale::from_code(&code).ok_or(AppError::BadRequest)?;
    Ok(locale_cookie_and_back(Some(locale), &headers))
}

fn locale_cookie_and_back(locale: Option<Locale>, headers: &HeaderMap) -> Response {
    let cookie = match locale {
        Some(l) => format!(
            "{LOCALE_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
            l.code()
        ),
        None => format!("{LOCALE_COOKIE}=; Path=/; Max-Age=0"),
    };
    // Back to the page the switch was on, but only within this site.
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
        .filter(|p| crate::redirect::same_site_path(p).is_ok())
        .unwrap_or_else(|| "/".into());
    // Chosen on the profile page: it says so there.
    let back = if back == "/profile" || back.starts_with("/profile?") {
        "/profile?saved=language".to_string()
    } else {
        back
    };
    ([(header::SET_COOKIE, cookie)], Redirect::to(&back)).into_response()
}
