//! The JSON API of contacts: the list, create, update, delete.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use wharf_core::customers::ContactInput;

use crate::api::{JsonBody, body, created};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    name: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    emails: String,
    #[serde(default)]
    phones: String,
    #[serde(default)]
    whatsapp: String,
    #[serde(default)]
    wechat: String,
    #[serde(default)]
    skype: String,
    #[serde(default)]
    qq: String,
    #[serde(default)]
    linkedin: String,
    #[serde(default)]
    birthday: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    is_primary: bool,
}

impl From<ContactBody> for ContactInput {
    fn from(b: ContactBody) -> Self {
        ContactInput {
            name: b.name,
            gender: b.gender,
            title: b.title,
            emails: b.emails,
            phones: b.phones,
            whatsapp: b.whatsapp,
            wechat: b.wechat,
            skype: b.skype,
            qq: b.qq,
            linkedin: b.linkedin,
            birthday: b.birthday,
            notes: b.notes,
            is_primary: b.is_primary,
        }
    }
}

pub async fn contact_create(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<ContactBody>,
) -> Result<Response, AppError> {
    let contact = state
        .store
        .add_contact(req.ctx()?, id, body(b)?.into())
        .await?;
    Ok(created(contact))
}

pub async fn contact_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<ContactBody>,
) -> Result<Response, AppError> {
    state
        .store
        .update_contact(req.ctx()?, id, body(b)?.into())
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn contact_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_contact(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, Default)]
pub struct ContactsQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    per_page: Option<i64>,
}

/// Contacts of the customers the caller may see, each with its customer's name.
pub async fn contacts(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ContactsQuery>,
) -> Result<Json<Value>, AppError> {
    let page = state
        .store
        .list_contacts(
            req.actor()?,
            Some(&p.q),
            p.page.unwrap_or(1),
            p.per_page.unwrap_or(50),
        )
        .await?;
    Ok(Json(json!({
        "items": page.items, "total": page.total, "page": page.page, "per_page": page.per_page,
    })))
}
