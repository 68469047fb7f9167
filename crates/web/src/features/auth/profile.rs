//! My account: change password, language, personal API tokens.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Choice, Field, attach_errors, page, when};

fn password_fields(req: &Req) -> Vec<Field> {
    ["current_password", "new_password", "confirm_password"]
        .into_iter()
        .map(|n| Field::new(req, n, "password", ""))
        .collect()
}

#[derive(Serialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub revoked: bool,
}

/// `account/profile.html`: the password, the language, the API tokens.
#[derive(Serialize)]
pub struct ProfilePage {
    pub password_fields: Vec<Field>,
    pub tokens: Vec<TokenRow>,
    pub locales: Vec<Choice>,
    /// The token just made, shown this once.
    pub new_token: Option<String>,
    pub must_change: bool,
}

async fn render(
    state: &AppState,
    req: &Req,
    fields: Vec<Field>,
    new_token: Option<String>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let zone = req.zone()?;
    let tokens: Vec<TokenRow> = state
        .store
        .list_tokens(actor)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: when(t.created_at, zone),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    let me = state.store.get_staff(actor, actor.user_id).await?;
    let locales = [
        ("", req.t("profile.language_auto")),
        ("zh-CN", "简体中文".to_string()),
        ("en", "English".to_string()),
    ]
    .into_iter()
    .map(|(v, l)| Choice {
        value: v.to_string(),
        label: l,
        selected: me.locale == v,
    })
    .collect::<Vec<_>>();
    let new_token = new_token
        .map(|t| crate::i18n::t_with(req.locale, "profile.token_created", &[("token", &t)]));
    Ok(page(
        req,
        "account/profile.html",
        "",
        &req.t("profile.title"),
        ProfilePage {
            password_fields: fields,
            tokens,
            locales,
            new_token,
            must_change: req.must_change_password,
        },
    ))
}

pub async fn show(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    render(&state, &req, password_fields(&req), None).await
}

pub async fn change_password(
    State(state): State<AppState>,
    req: Req,
    headers: HeaderMap,
    form: FormData,
) -> Result<Response, AppError> {
    let mut fields = password_fields(&req);
    let new = form.get("new_password");
    if new != form.get("confirm_password") {
        fields[2].error = Some(req.t("error.passwords_differ"));
        return render(&state, &req, fields, None).await;
    }
    match state
        .store
        .change_own_password(
            req.ctx()?,
            &form.get("current_password"),
            &new,
            form.get("keep_tokens") == "1",
        )
        .await
    {
        // Changing the password ends every session (and the API tokens, unless kept);
        // this browser gets a fresh one.
        Ok(()) => {
            crate::features::auth::sign_in::sign_in(
                &state,
                req.actor()?.user_id,
                &req,
                &headers,
                "/profile?saved=password",
            )
            .await
        }
        Err(e) => {
            let e = AppError::from(e);
            attach_errors(&req, &mut fields, &e);
            let mut res = render(&state, &req, fields, None).await?;
            *res.status_mut() = e.status();
            Ok(res)
        }
    }
}

pub async fn create_token(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let (_, secret) = state
        .store
        .create_token(req.ctx()?, &form.get("name"))
        .await?;
    render(&state, &req, password_fields(&req), Some(secret)).await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.revoke_token(req.ctx()?, id).await?;
    Ok(Redirect::to("/profile").into_response())
}
