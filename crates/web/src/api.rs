//! The JSON API (SPEC API-1): the same store operations as the pages, behind the same
//! route guard, with bearer tokens; and the OpenAPI document generated from the route
//! table so it cannot drift from the routes.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use wharf_core::org::DepartmentInput;
use wharf_core::policy::Access;

use crate::app::{AppState, route_table};
use crate::ctx::Req;
use crate::error::AppError;

pub async fn me(State(state): State<AppState>, req: Req) -> Result<Json<Value>, AppError> {
    let actor = req.actor()?;
    let me = state.store.get_staff(actor, actor.user_id).await?;
    Ok(Json(json!({
        "id": me.id, "username": me.username, "name": me.name, "department_id": me.department_id,
        "role_id": me.role_id, "scope": actor.scope.code(),
        "permissions": actor.permissions.iter().map(|p| p.code()).collect::<Vec<_>>(),
    })))
}

pub async fn departments(State(state): State<AppState>, req: Req) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({ "items": state.store.list_departments(req.actor()?).await? }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentBody {
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    parent_id: Option<i64>,
    #[serde(default)]
    head_user_id: Option<i64>,
    #[serde(default)]
    description: String,
}

impl From<DepartmentBody> for DepartmentInput {
    fn from(b: DepartmentBody) -> Self {
        DepartmentInput {
            name: b.name,
            short_name: b.short_name,
            parent_id: b.parent_id,
            head_user_id: b.head_user_id,
            description: b.description,
        }
    }
}

pub(crate) fn body<T>(
    b: Result<Json<T>, axum::extract::rejection::JsonRejection>,
) -> Result<T, AppError> {
    b.map(|Json(v)| v).map_err(|_| AppError::BadRequest)
}

pub async fn department_create(
    State(state): State<AppState>,
    req: Req,
    b: Result<Json<DepartmentBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, AppError> {
    let id = state
        .store
        .create_department(req.ctx()?, body(b)?.into())
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

pub async fn department_get(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(
        state.store.get_department(req.actor()?, id).await?
    )))
}

pub async fn department_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: Result<Json<DepartmentBody>, axum::extract::rejection::JsonRejection>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .update_department(req.ctx()?, id, body(b)?.into())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn department_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state.store.delete_department(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn staff(State(state): State<AppState>, req: Req) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({ "items": state.store.list_staff(req.actor()?, &Default::default()).await? }),
    ))
}

pub async fn roles(State(state): State<AppState>, req: Req) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({ "items": state.store.list_roles(req.actor()?).await? }),
    ))
}

pub async fn audit(State(state): State<AppState>, req: Req) -> Result<Json<Value>, AppError> {
    let page = state
        .store
        .search_audit(
            req.actor()?,
            &wharf_store::audit::AuditFilter {
                per_page: 100,
                ..Default::default()
            },
        )
        .await?;
    Ok(Json(json!({ "items": page.items, "total": page.total })))
}

/// OpenAPI 3.1 for every `/api/` route of the route table.
pub async fn openapi() -> Json<Value> {
    let mut paths = serde_json::Map::new();
    for r in route_table()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v1/"))
    {
        let path = r.path.to_string();
        let params: Vec<Value> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": if name == "id" { "integer" } else { "string" }}}))
            .collect();
        let needs = match r.access {
            Access::Needs(p) => format!(" Requires the `{}` permission.", p.code()),
            _ => String::new(),
        };
        let entry = paths.entry(path).or_insert_with(|| json!({}));
        entry[r.method.as_str().to_lowercase()] = json!({
            "summary": r.summary,
            "description": format!("{}{needs}", r.summary),
            "parameters": params,
            "security": [{"bearer": []}],
            "responses": {
                "200": {"description": "OK"},
                "401": {"description": "No or invalid token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "403": {"description": "Forbidden by the role's permissions", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "422": {"description": "Invalid input, with field errors", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            }
        });
    }
    Json(json!({
        "openapi": "3.1.0",
        "info": {"title": "Wharf API", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A personal API token from My account → API tokens"}},
            "schemas": {"Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                "code": {"type": "string"}, "message": {"type": "string"},
                "fields": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}}}}}}}}}
        }
    }))
}

pub(crate) type JsonBody<T> = Result<Json<T>, axum::extract::rejection::JsonRejection>;

pub(crate) fn created(id: i64) -> Response {
    (StatusCode::CREATED, Json(json!({ "id": id }))).into_response()
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

// ---- roles -------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    permissions: Vec<String>,
    scope: String,
    #[serde(default = "quota")]
    daily_claim_quota: i64,
}

fn quota() -> i64 {
    20
}

impl RoleBody {
    fn input(self) -> Result<wharf_core::org::RoleInput, AppError> {
        let mut errors = wharf_core::validate::FieldErrors::default();
        let permissions = self
            .permissions
            .iter()
            .filter_map(|c| {
                let p = wharf_core::Permission::from_code(c);
                if p.is_none() {
                    errors.add("permissions", "invalid_choice");
                }
                p
            })
            .collect();
        let scope = wharf_core::DataScope::from_code(&self.scope);
        if scope.is_none() {
            errors.add("scope", "invalid_choice");
        }
        errors.into_result()?;
        Ok(wharf_core::org::RoleInput {
            name_zh: self.name_zh,
            name_en: self.name_en,
            description: self.description,
            permissions,
            scope: scope.unwrap_or(wharf_core::DataScope::Own),
            daily_claim_quota: self.daily_claim_quota,
        })
    }
}

pub async fn role_create(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<RoleBody>,
) -> Result<Response, AppError> {
    Ok(created(
        state
            .store
            .create_role(req.ctx()?, body(b)?.input()?)
            .await?,
    ))
}

pub async fn role_get(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(state.store.get_role(req.actor()?, id).await?)))
}

pub async fn role_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<RoleBody>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .update_role(req.ctx()?, id, body(b)?.input()?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn role_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state.store.delete_role(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- dictionary --------------------------------------------------------------------

fn dict_kind(code: &str) -> Result<wharf_core::dict::DictKind, AppError> {
    wharf_core::dict::DictKind::from_code(code)
        .ok_or(AppError::Domain(wharf_core::DomainError::NotFound))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DictBody {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    sort_order: i64,
}

impl From<DictBody> for wharf_core::dict::DictItemInput {
    fn from(b: DictBody) -> Self {
        wharf_core::dict::DictItemInput {
            code: b.code,
            name_zh: b.name_zh,
            name_en: b.name_en,
            sort_order: b.sort_order,
        }
    }
}

pub async fn dict_list(
    State(state): State<AppState>,
    req: Req,
    Path(kind): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({ "items": state.store.list_dict(req.actor()?, dict_kind(&kind)?).await? }),
    ))
}

pub async fn dict_create(
    State(state): State<AppState>,
    req: Req,
    Path(kind): Path<String>,
    b: JsonBody<DictBody>,
) -> Result<Response, AppError> {
    Ok(created(
        state
            .store
            .create_dict_item(req.ctx()?, dict_kind(&kind)?, body(b)?.into())
            .await?,
    ))
}

pub async fn dict_update(
    State(state): State<AppState>,
    req: Req,
    Path((kind, id)): Path<(String, i64)>,
    b: JsonBody<DictBody>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .update_dict_item(req.ctx()?, dict_kind(&kind)?, id, body(b)?.into())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn dict_delete(
    State(state): State<AppState>,
    req: Req,
    Path((kind, id)): Path<(String, i64)>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .delete_dict_item(req.ctx()?, dict_kind(&kind)?, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- settings and announcements ----------------------------------------------------

fn settings_json(s: &wharf_core::settings::CompanySettings) -> Value {
    let map: serde_json::Map<String, Value> = wharf_core::settings::KEYS
        .iter()
        .map(|k| (k.to_string(), json!(s.get(k).unwrap_or_default())))
        .collect();
    Value::Object(map)
}

pub async fn settings_get(
    State(state): State<AppState>,
    req: Req,
) -> Result<Json<Value>, AppError> {
    Ok(Json(settings_json(
        &state.store.company_settings(req.actor()?).await?,
    )))
}

/// Changes the fields given (values as strings or numbers); the others stay.
pub async fn settings_update(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<serde_json::Map<String, Value>>,
) -> Result<Json<Value>, AppError> {
    let changes: Vec<(String, String)> = body(b)?
        .into_iter()
        .map(|(k, v)| {
            (
                k,
                match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                },
            )
        })
        .collect();
    Ok(Json(settings_json(
        &state.store.update_settings(req.ctx()?, &changes).await?,
    )))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementBody {
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    pinned: bool,
    /// Unix seconds; absent for an announcement that does not expire.
    #[serde(default)]
    expires_at: Option<i64>,
}

impl From<AnnouncementBody> for wharf_store::announcements::AnnouncementInput {
    fn from(b: AnnouncementBody) -> Self {
        wharf_store::announcements::AnnouncementInput {
            title: b.title,
            body: b.body,
            pinned: b.pinned,
            expires_at: b.expires_at,
        }
    }
}

pub async fn announcements(
    State(state): State<AppState>,
    req: Req,
) -> Result<Json<Value>, AppError> {
    Ok(Json(
        json!({ "items": state.store.list_announcements(req.actor()?, false).await? }),
    ))
}

pub async fn announcement_create(
    State(state): State<AppState>,
    req: Req,
    b: JsonBody<AnnouncementBody>,
) -> Result<Response, AppError> {
    Ok(created(
        state
            .store
            .create_announcement(req.ctx()?, body(b)?.into())
            .await?,
    ))
}

pub async fn announcement_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    b: JsonBody<AnnouncementBody>,
) -> Result<StatusCode, AppError> {
    state
        .store
        .update_announcement(req.ctx()?, id, body(b)?.into())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn announcement_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    state.store.delete_announcement(req.ctx()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
