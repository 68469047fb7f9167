//! The JSON API of staff.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::{JsonBody, body, created};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

pub async fn staff(State(state): State<AppState>, req: Req) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({ "items": state.store.list_staff(req.actor()?, &Default::default()).await? }),
    ))
}

// ---- staff -------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffBody {
    username: String,
    name: String,
    role_id: i64,
    #[serde(default)]
    number: String,
    #[serde(default)]
    department_id: Option<i64>,
    #[serde(default)]
    position_id: Option<i64>,
    #[serde(default)]
    office_phone: String,
    #[serde(default)]
    mobile: String,
    #[serde(default)]
    email: String,
    #[serde(default = "active")]
    status: String,
    /// Required on create, ignored on update (admins reset passwords separately).
    #[serde(default)]
    password: Option<String>,
}

fn active() -> String {
    "active".into()
}

impl StaffBody {
    fn input(self, creating: bool) -> wharf_core::org::StaffInput {
        wharf_core::org::StaffInput {
            username: self.username,
            number: self.number,
            name: self.name,
            department_id: self.department_id,
            position_id: self.position_id,
            role_id: Some(self.role_id),
            office_phone: self.office_phone,
            mobile: self.mobile,
            email: self.email,
            status: self.status,
            password: if creating {
                Some(self.password.unwrap_or_default())
            } else {
                None
            },
        }
    }
}

pub async fn staff_create(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<StaffBody>,
) -> Result<Response, AppError> {
    Ok(created(
        state
            .store
            .create_staff(req.ctx()?, body(b)?.input(true))
            .await?,
    ))
}

pub async fn staff_get(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(state.store.get_staff(req.actor()?, id).await?)))
}

pub async fn staff_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<StaffBody>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .update_staff(req.ctx()?, id, body(b)?.input(false))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    password: String,
}

pub async fn staff_reset_password(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<PasswordBody>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .admin_reset_password(req.ctx()?, id, &body(b)?.password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
