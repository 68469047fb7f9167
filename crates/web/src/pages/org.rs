//! System → departments, staff and roles (SPEC AUTH-2, AUTH-3).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use wharf_core::org::{DepartmentInput, RoleInput, StaffInput, TreeNode, tree_order};
use wharf_core::{DataScope, Permission};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, attach_errors, page, pick};

pub fn subnav(req: &Req, on: &str) -> Value {
    let items: Vec<Value> = [
        ("departments", "/system/departments"),
        ("staff", "/system/staff"),
        ("roles", "/system/roles"),
        ("dict", "/system/dict"),
        ("customer_fields", "/system/customer-fields"),
        ("settings", "/system/settings"),
        ("audit", "/system/audit"),
    ]
    .into_iter()
    .map(|(k, href)| context! { href => href, label => req.t(&format!("system.{k}")), on => k == on })
    .collect();
    Value::from(items)
}

/// The generic form page of the System area: fields, the errors of a refused save (and
/// its status), and an optional delete button.
// Each part of the frame differs per page; grouping them in a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn show_form(
    req: &Req,
    on: &str,
    title: String,
    action: String,
    cancel: String,
    mut fields: Vec<Field>,
    err: Option<AppError>,
    delete_action: Option<String>,
) -> Response {
    let form_error = err.as_ref().map(|e| attach_errors(req, &mut fields, e));
    let mut res = page(
        req,
        "shared/form.html",
        "system",
        &title,
        context! {
            subnav => subnav(req, on), action => action, cancel => cancel, fields => fields, form_error => form_error, delete_action => delete_action,
        },
    );
    if let Some(e) = err {
        *res.status_mut() = e.status();
    }
    res
}

fn form_page(
    req: &Req,
    on: &str,
    title: String,
    action: String,
    cancel: &str,
    fields: Vec<Field>,
    delete_action: Option<String>,
) -> Response {
    show_form(
        req,
        on,
        title,
        action,
        cancel.to_string(),
        fields,
        None,
        delete_action,
    )
}

/// Re-shows a form with the errors of a refused save, with the error's status.
fn refused(
    req: &Req,
    on: &str,
    title: String,
    action: String,
    cancel: &str,
    fields: Vec<Field>,
    err: AppError,
) -> Response {
    show_form(
        req,
        on,
        title,
        action,
        cancel.to_string(),
        fields,
        Some(err),
        None,
    )
}

// ---- departments -------------------------------------------------------------------

pub async fn departments(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let list = state.store.list_departments(actor).await?;
    let nodes: Vec<TreeNode> = list
        .iter()
        .map(|d| TreeNode {
            id: d.id,
            parent_id: d.parent_id,
        })
        .collect();
    let rows: Vec<Value> = tree_order(&nodes)
        .into_iter()
        .filter_map(|(id, depth)| list.iter().find(|d| d.id == id).map(|d| (d, depth)))
        .map(|(d, depth)| {
            context! {
                href => format!("/system/departments/{}", d.id),
                cells => vec![format!("{}{}", "　".repeat(depth), d.name), d.short_name.clone(), d.head_name.clone().unwrap_or_default(), d.staff_count.to_string()],
            }
        })
        .collect();
    let columns = [
        "field.name",
        "field.short_name",
        "field.head_user_id",
        "field.staff_count",
    ]
    .map(|k| req.t(k));
    Ok(page(
        &req,
        "shared/list.html",
        "system",
        &req.t("system.departments"),
        context! {
            subnav => subnav(&req, "departments"), columns => columns, rows => rows, new_href => "/system/departments/new",
        },
    ))
}

async fn department_fields(
    state: &AppState,
    req: &Req,
    self_id: Option<i64>,
    input: &DepartmentInput,
) -> Result<Vec<Field>, AppError> {
    let actor = req.actor()?;
    let none = (String::new(), req.t("none"));
    let parents = std::iter::once(none.clone())
        .chain(
            state
                .store
                .list_departments(actor)
                .await?
                .into_iter()
                .filter(|d| Some(d.id) != self_id)
                .map(|d| (d.id.to_string(), d.name)),
        )
        .collect();
    let heads = std::iter::once(none)
        .chain(
            state
                .store
                .list_staff(actor, &Default::default())
                .await?
                .into_iter()
                .map(|s| (s.id.to_string(), s.name)),
        )
        .collect();
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    Ok(vec![
        Field::new(req, "name", "text", &input.name),
        Field::new(req, "short_name", "text", &input.short_name),
        Field::select(req, "parent_id", &opt(input.parent_id), parents),
        Field::select(req, "head_user_id", &opt(input.head_user_id), heads),
        Field::new(req, "description", "textarea", &input.description),
    ])
}

fn department_input(form: &FormData) -> Result<DepartmentInput, AppError> {
    Ok(DepartmentInput {
        name: form.get("name"),
        short_name: form.get("short_name"),
        parent_id: form.id("parent_id")?,
        head_user_id: form.id("head_user_id")?,
        description: form.get("description"),
    })
}

pub async fn department_new(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let fields = department_fields(&state, &req, None, &DepartmentInput::default()).await?;
    Ok(form_page(
        &req,
        "departments",
        req.t("system.departments"),
        "/system/departments".into(),
        "/system/departments",
        fields,
        None,
    ))
}

pub async fn department_create(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let input = department_input(&form)?;
    match state
        .store
        .create_department(req.ctx()?, input.clone())
        .await
    {
        Ok(_) => Ok(Redirect::to("/system/departments").into_response()),
        Err(e) => {
            let fields = department_fields(&state, &req, None, &input).await?;
            Ok(refused(
                &req,
                "departments",
                req.t("system.departments"),
                "/system/departments".into(),
                "/system/departments",
                fields,
                e.into(),
            ))
        }
    }
}

pub async fn department_edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = state.store.get_department(req.actor()?, id).await?;
    let input = DepartmentInput {
        name: d.name,
        short_name: d.short_name,
        parent_id: d.parent_id,
        head_user_id: d.head_user_id,
        description: d.description,
    };
    let fields = department_fields(&state, &req, Some(id), &input).await?;
    let url = format!("/system/departments/{id}");
    Ok(form_page(
        &req,
        "departments",
        req.t("system.departments"),
        url.clone(),
        "/system/departments",
        fields,
        Some(format!("{url}/delete")),
    ))
}

pub async fn department_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let input = department_input(&form)?;
    match state
        .store
        .update_department(req.ctx()?, id, input.clone())
        .await
    {
        Ok(()) => Ok(Redirect::to("/system/departments").into_response()),
        Err(e) => {
            let fields = department_fields(&state, &req, Some(id), &input).await?;
            Ok(refused(
                &req,
                "departments",
                req.t("system.departments"),
                format!("/system/departments/{id}"),
                "/system/departments",
                fields,
                e.into(),
            ))
        }
    }
}

pub async fn department_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_department(req.ctx()?, id).await?;
    Ok(Redirect::to("/system/departments").into_response())
}

// ---- staff -------------------------------------------------------------------------

#[derive(serde::Deserialize, Default)]
pub struct StaffQuery {
    #[serde(default)]
    q: String,
}

pub async fn staff_list(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<StaffQuery>,
) -> Result<Response, AppError> {
    let filter = wharf_store::staff::StaffFilter {
        q: q.q.clone(),
        ..Default::default()
    };
    let list = state.store.list_staff(req.actor()?, &filter).await?;
    let rows: Vec<Value> = list
        .into_iter()
        .map(|s| {
            context! {
                href => format!("/system/staff/{}", s.id),
                cells => vec![s.name, s.username, s.number, s.department_name.unwrap_or_default(),
                    pick(req.locale, &s.role_zh, &s.role_en), req.t(&format!("status.{}", s.status))],
            }
        })
        .collect();
    let columns = [
        "field.name",
        "field.username",
        "field.number",
        "field.department_id",
        "field.role_id",
        "field.status",
    ]
    .map(|k| req.t(k));
    let search = vec![context! { name => "q", label => req.t("field.q"), value => q.q }];
    Ok(page(
        &req,
        "shared/list.html",
        "system",
        &req.t("system.staff"),
        context! {
            subnav => subnav(&req, "staff"), columns => columns, rows => rows, new_href => "/system/staff/new", search => search,
        },
    ))
}

async fn staff_fields(
    state: &AppState,
    req: &Req,
    input: &StaffInput,
    creating: bool,
) -> Result<Vec<Field>, AppError> {
    let actor = req.actor()?;
    let none = (String::new(), req.t("none"));
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let departments = std::iter::once(none.clone())
        .chain(
            state
                .store
                .list_departments(actor)
                .await?
                .into_iter()
                .map(|d| (d.id.to_string(), d.name)),
        )
        .collect();
    let positions = std::iter::once(none)
        .chain(
            state
                .store
                .list_dict(actor, wharf_core::dict::DictKind::Position)
                .await?
                .into_iter()
                .map(|p| (p.id.to_string(), pick(req.locale, &p.name_zh, &p.name_en))),
        )
        .collect();
    let roles = state
        .store
        .list_roles(actor)
        .await?
        .into_iter()
        .map(|r| (r.id.to_string(), pick(req.locale, &r.name_zh, &r.name_en)))
        .collect();
    let statuses = ["active", "left"]
        .map(|s| (s.to_string(), req.t(&format!("status.{s}"))))
        .to_vec();
    let mut fields = vec![
        Field::new(req, "username", "text", &input.username),
        Field::new(req, "name", "text", &input.name),
        Field::new(req, "number", "text", &input.number),
        Field::select(req, "department_id", &opt(input.department_id), departments),
        Field::select(req, "position_id", &opt(input.position_id), positions),
        Field::select(req, "role_id", &opt(input.role_id), roles),
        Field::new(req, "office_phone", "text", &input.office_phone),
        Field::new(req, "mobile", "text", &input.mobile),
        Field::new(req, "email", "email", &input.email),
        Field::select(req, "status", &input.status, statuses),
    ];
    if creating {
        fields.push(Field::new(req, "password", "password", ""));
    }
    Ok(fields)
}

fn staff_input(form: &FormData, creating: bool) -> Result<StaffInput, AppError> {
    Ok(StaffInput {
        username: form.get("username"),
        number: form.get("number"),
        name: form.get("name"),
        department_id: form.id("department_id")?,
        position_id: form.id("position_id")?,
        role_id: form.id("role_id")?,
        office_phone: form.get("office_phone"),
        mobile: form.get("mobile"),
        email: form.get("email"),
        status: form.get("status"),
        password: creating.then(|| form.get("password")),
    })
}

pub async fn staff_new(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let input = StaffInput {
        status: "active".into(),
        ..Default::default()
    };
    let fields = staff_fields(&state, &req, &input, true).await?;
    Ok(form_page(
        &req,
        "staff",
        req.t("system.staff"),
        "/system/staff".into(),
        "/system/staff",
        fields,
        None,
    ))
}

pub async fn staff_create(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let input = staff_input(&form, true)?;
    match state.store.create_staff(req.ctx()?, input.clone()).await {
        Ok(_) => Ok(Redirect::to("/system/staff").into_response()),
        Err(e) => {
            let fields = staff_fields(&state, &req, &input, true).await?;
            Ok(refused(
                &req,
                "staff",
                req.t("system.staff"),
                "/system/staff".into(),
                "/system/staff",
                fields,
                e.into(),
            ))
        }
    }
}

pub async fn staff_edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = state.store.get_staff(req.actor()?, id).await?;
    let input = StaffInput {
        username: s.username,
        number: s.number,
        name: s.name,
        department_id: s.department_id,
        position_id: s.position_id,
        role_id: Some(s.role_id),
        office_phone: s.office_phone,
        mobile: s.mobile,
        email: s.email,
        status: s.status,
        password: None,
    };
    let mut fields = staff_fields(&state, &req, &input, false).await?;
    let mut reset = Field::new(&req, "password", "password", "");
    reset.label = format!("{} ({})", req.t("field.new_password"), req.t("action.edit"));
    fields.push(reset);
    Ok(form_page(
        &req,
        "staff",
        req.t("system.staff"),
        format!("/system/staff/{id}"),
        "/system/staff",
        fields,
        None,
    ))
}

pub async fn staff_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let input = staff_input(&form, false)?;
    let mut result = state
        .store
        .update_staff(req.ctx()?, id, input.clone())
        .await;
    let new_password = form.get("password");
    if result.is_ok() && !new_password.is_empty() {
        result = state
            .store
            .admin_reset_password(req.ctx()?, id, &new_password)
            .await;
    }
    match result {
        Ok(()) => Ok(Redirect::to("/system/staff").into_response()),
        Err(e) => {
            let mut fields = staff_fields(&state, &req, &input, false).await?;
            fields.push(Field::new(&req, "password", "password", ""));
            Ok(refused(
                &req,
                "staff",
                req.t("system.staff"),
                format!("/system/staff/{id}"),
                "/system/staff",
                fields,
                e.into(),
            ))
        }
    }
}

// ---- roles -------------------------------------------------------------------------

pub async fn roles(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let list = state.store.list_roles(req.actor()?).await?;
    let rows: Vec<Value> = list
        .into_iter()
        .map(|r| {
            let perms: Vec<String> = r.permissions.iter().map(|p| req.t(&format!("perm.{}", p.code()))).collect();
            context! {
                href => format!("/system/roles/{}", r.id),
                cells => vec![pick(req.locale, &r.name_zh, &r.name_en), req.t(&format!("scope.{}", r.scope.code())), perms.join("、"), r.user_count.to_string()],
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
        context! {
            subnav => subnav(&req, "roles"), columns => columns, rows => rows, new_href => "/system/roles/new",
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
