//! Roles and their permissions and data scope: list, new, edit, delete.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::org::RoleInput;
use wharf_core::{DataScope, Permission};

use super::admin_form::{form_page, refused, subnav};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, ListPage, ListRow, page, pick};

// ---- roles -------------------------------------------------------------------------

pub async fn roles(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let list = state.store.list_roles(req.actor()?).await?;
    let rows: Vec<ListRow> = list
        .into_iter()
        .map(|r| {
            let perms: Vec<String> = r
                .permissions
                .iter()
                .map(|p| req.t(&format!("perm.{}", p.code())))
                .collect();
            ListRow {
                href: Some(format!("/system/roles/{}", r.id)),
                cells: vec![
                    pick(req.locale, &r.name_zh, &r.name_en),
                    req.t(&format!("scope.{}", r.scope.code())),
                    perms.join(&req.t("list.separator")),
                    r.user_count.to_string(),
                ],
            }
        })
        .collect();
    let columns = [
        "field.name",
        "field.scope",
        "field.permissions",
        "field.user_count",
    ]
    .map(|k| req.t(k));
    Ok(page(
        &req,
        "shared/list.html",
        "system",
        &req.t("system.roles"),
        ListPage {
            subnav: subnav(&req, "roles"),
            columns: columns.into(),
            rows,
            new_href: Some("/system/roles/new".into()),
            ..ListPage::default()
        },
    ))
}

fn role_fields(req: &Req, input: &RoleInput) -> Vec<Field> {
    let perms = Permission::ALL
        .iter()
        .map(|p| {
            (
                p.code().to_string(),
                req.t(&format!("perm.{}", p.code())),
                input.permissions.contains(p),
            )
        })
        .collect();
    let scopes = DataScope::ALL
        .iter()
        .map(|s| (s.code().to_string(), req.t(&format!("scope.{}", s.code()))))
        .collect();
    vec![
        Field::new(req, "name_zh", "text", &input.name_zh),
        Field::new(req, "name_en", "text", &input.name_en),
        Field::new(req, "description", "textarea", &input.description),
        Field::checkboxes(req, "permissions", perms),
        Field::select(req, "scope", input.scope.code(), scopes),
        Field::new(req, "daily_claim_quota", "number", input.daily_claim_quota),
    ]
}

fn role_input(form: &FormData) -> Result<RoleInput, AppError> {
    let quota = form.get("daily_claim_quota");
    Ok(RoleInput {
        name_zh: form.get("name_zh"),
        name_en: form.get("name_en"),
        description: form.get("description"),
        permissions: form
            .all("permissions")
            .iter()
            .filter_map(|c| Permission::from_code(c))
            .collect(),
        scope: DataScope::from_code(&form.get("scope")).ok_or(AppError::BadRequest)?,
        // An unreadable number is reported on the field rather than as a bad request.
        daily_claim_quota: if quota.trim().is_empty() {
            20
        } else {
            quota.trim().parse().unwrap_or(-1)
        },
    })
}

fn blank_role() -> RoleInput {
    RoleInput {
        name_zh: String::new(),
        name_en: String::new(),
        description: String::new(),
        permissions: Vec::new(),
        scope: DataScope::Own,
        daily_claim_quota: 20,
    }
}

pub async fn role_new(req: Req) -> Response {
    form_page(
        &req,
        "roles",
        req.t("system.roles"),
        "/system/roles".into(),
        "/system/roles",
        role_fields(&req, &blank_role()),
        None,
    )
}

pub async fn role_create(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let input = role_input(&form)?;
    match state.store.create_role(req.ctx()?, input.clone()).await {
        Ok(_) => Ok(Redirect::to("/system/roles").into_response()),
        Err(e) => Ok(refused(
            &req,
            "roles",
            req.t("system.roles"),
            "/system/roles".into(),
            "/system/roles",
            role_fields(&req, &input),
            e.into(),
        )),
    }
}

pub async fn role_edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = state.store.get_role(req.actor()?, id).await?;
    let input = RoleInput {
        name_zh: r.name_zh,
        name_en: r.name_en,
        description: r.description,
        permissions: r.permissions,
        scope: r.scope,
        daily_claim_quota: r.daily_claim_quota,
    };
    let url = format!("/system/roles/{id}");
    Ok(form_page(
        &req,
        "roles",
        req.t("system.roles"),
        url.clone(),
        "/system/roles",
        role_fields(&req, &input),
        Some(format!("{url}/delete")),
    ))
}

pub async fn role_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let input = role_input(&form)?;
    match state.store.update_role(req.ctx()?, id, input.clone()).await {
        Ok(()) => Ok(Redirect::to("/system/roles").into_response()),
        Err(e) => Ok(refused(
            &req,
            "roles",
            req.t("system.roles"),
            format!("/system/roles/{id}"),
            "/system/roles",
            role_fields(&req, &input),
            e.into(),
        )),
    }
}

pub async fn role_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_role(req.ctx()?, id).await?;
    Ok(Redirect::to("/system/roles").into_response())
}
