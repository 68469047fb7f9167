//! Staff: list, new, edit.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::org::StaffInput;

use super::admin_form::{form_page, refused, subnav};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, ListPage, ListRow, SearchBox, page, pick};

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
    let filter = wharf_store::system::staff::StaffFilter {
        q: q.q.clone(),
        ..Default::default()
    };
    let list = state.store.list_staff(req.actor()?, &filter).await?;
    let rows: Vec<ListRow> = list
        .into_iter()
        .map(|s| ListRow {
            href: Some(format!("/system/staff/{}", s.id)),
            cells: vec![
                crate::i18n::person(req.locale, &s.name),
                s.username,
                s.number,
                s.department_name.unwrap_or_default(),
                pick(req.locale, &s.role_zh, &s.role_en),
                req.t(&format!("status.{}", s.status)),
            ],
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
    let search = vec![SearchBox {
        name: "q",
        label: req.t("field.q"),
        value: q.q,
        kind: None,
    }];
    Ok(page(
        &req,
        "shared/list.html",
        "system",
        &req.t("system.staff"),
        ListPage {
            subnav: subnav(&req, "staff"),
            columns: columns.into(),
            rows,
            new_href: Some("/system/staff/new".into()),
            search,
            ..ListPage::default()
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
    // No role is chosen for a new hire (the first role is the most powerful one): the
    // form asks, and refuses to save without one.
    let roles = std::iter::once((String::new(), req.t("staff.choose_role")))
        .chain(
            state
                .store
                .list_roles(actor)
                .await?
                .into_iter()
                .map(|r| (r.id.to_string(), pick(req.locale, &r.name_zh, &r.name_en))),
        )
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
        Ok(_) => Ok(Redirect::to("/system/staff?saved=profile").into_response()),
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
        Ok(()) => Ok(Redirect::to("/system/staff?saved=profile").into_response()),
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
