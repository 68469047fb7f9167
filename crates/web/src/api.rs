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

fn body<T>(b: Result<Json<T>, axum::extract::rejection::JsonRejection>) -> Result<T, AppError> {
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
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "integer"}}))
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
