//! Departments: the tree, new, edit, delete.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::org::{DepartmentInput, TreeNode, tree_order};

use super::admin_form::{form_page, refused, subnav};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, ListPage, ListRow, page};

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
    let rows: Vec<ListRow> = tree_order(&nodes)
        .into_iter()
        .filter_map(|(id, depth)| list.iter().find(|d| d.id == id).map(|d| (d, depth)))
        .map(|(d, depth)| ListRow {
            href: Some(format!("/system/departments/{}", d.id)),
            cells: vec![
                format!("{}{}", "　".repeat(depth), d.name),
                d.short_name.clone(),
                d.head_name.clone().unwrap_or_default(),
                d.staff_count.to_string(),
            ],
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
        ListPage {
            subnav: subnav(&req, "departments"),
            columns: columns.into(),
            rows,
            new_href: Some("/system/departments/new".into()),
            ..ListPage::default()
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
