//! Dictionaries (customer types, statuses, sources, industries, countries …): list, new,
//! edit, delete.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::dict::{DictItemInput, DictKind};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::system::admin_form::{show_form, subnav};
use crate::form::FormData;
use crate::render::{Field, ListPage, ListRow, Tab, page, pick};

pub(super) fn kind(code: &str) -> Result<DictKind, AppError> {
    DictKind::from_code(code).ok_or(AppError::Domain(wharf_core::DomainError::NotFound))
}

// ---- dictionary --------------------------------------------------------------------

fn kind_nav(req: &Req, on: DictKind) -> Vec<Tab> {
    DictKind::ALL
        .iter()
        .map(|k| Tab {
            href: format!("/system/dict/{}", k.code()),
            label: req.t(&format!("dict.kind.{}", k.code())),
            on: *k == on,
        })
        .collect()
}

pub async fn dict_index() -> Redirect {
    Redirect::to("/system/dict/customer_type")
}

pub async fn dict_list(
    State(state): State<AppState>,
    req: Req,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let k = kind(&code)?;
    let items = state.store.list_dict(req.actor()?, k).await?;
    let rows: Vec<ListRow> = items
        .into_iter()
        .map(|i| ListRow {
            href: Some(format!("/system/dict/{code}/{}", i.id)),
            cells: vec![
                pick(req.locale, &i.name_zh, &i.name_en),
                i.name_zh,
                i.name_en,
                i.code,
                i.sort_order.to_string(),
            ],
        })
        .collect();
    let columns = [
        "field.name",
        "field.name_zh",
        "field.name_en",
        "field.code",
        "field.sort_order",
    ]
    .map(|k| req.t(k));
    let mut nav = subnav(&req, "dict");
    nav.extend(kind_nav(&req, k));
    Ok(page(
        &req,
        "shared/list.html",
        "system",
        &req.t(&format!("dict.kind.{code}")),
        ListPage {
            subnav: nav,
            columns: columns.into(),
            rows,
            new_href: Some(format!("/system/dict/{code}/new")),
            ..ListPage::default()
        },
    ))
}

fn dict_fields(req: &Req, i: &DictItemInput) -> Vec<Field> {
    vec![
        Field::new(req, "name_zh", "text", &i.name_zh),
        Field::new(req, "name_en", "text", &i.name_en),
        Field::new(req, "code", "text", &i.code),
        Field::new(req, "sort_order", "number", i.sort_order),
    ]
}

fn dict_input(form: &FormData) -> DictItemInput {
    DictItemInput {
        code: form.get("code"),
        name_zh: form.get("name_zh"),
        name_en: form.get("name_en"),
        // An unreadable number is reported on its field.
        sort_order: form.get("sort_order").trim().parse().unwrap_or(
            if form.get("sort_order").trim().is_empty() {
                0
            } else {
                i64::MAX
            },
        ),
    }
}

pub async fn dict_new(req: Req, Path(code): Path<String>) -> Result<Response, AppError> {
    kind(&code)?;
    let title = req.t(&format!("dict.kind.{code}"));
    Ok(show_form(
        &req,
        "dict",
        title,
        format!("/system/dict/{code}"),
        format!("/system/dict/{code}"),
        dict_fields(&req, &DictItemInput::default()),
        None,
        None,
    ))
}

pub async fn dict_create(
    State(state): State<AppState>,
    req: Req,
    Path(code): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let k = kind(&code)?;
    let input = dict_input(&form);
    match state
        .store
        .create_dict_item(req.ctx()?, k, input.clone())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/system/dict/{code}")).into_response()),
        Err(e) => Ok(show_form(
            &req,
            "dict",
            req.t(&format!("dict.kind.{code}")),
            format!("/system/dict/{code}"),
            format!("/system/dict/{code}"),
            dict_fields(&req, &input),
            Some(e.into()),
            None,
        )),
    }
}

pub async fn dict_edit(
    State(state): State<AppState>,
    req: Req,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let k = kind(&code)?;
    let i = state.store.get_dict_item(req.actor()?, k, id).await?;
    let input = DictItemInput {
        code: i.code,
        name_zh: i.name_zh,
        name_en: i.name_en,
        sort_order: i.sort_order,
    };
    let url = format!("/system/dict/{code}/{id}");
    Ok(show_form(
        &req,
        "dict",
        req.t(&format!("dict.kind.{code}")),
        url.clone(),
        format!("/system/dict/{code}"),
        dict_fields(&req, &input),
        None,
        Some(format!("{url}/delete")),
    ))
}

pub async fn dict_update(
    State(state): State<AppState>,
    req: Req,
    Path((code, id)): Path<(String, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    let k = kind(&code)?;
    let input = dict_input(&form);
    match state
        .store
        .update_dict_item(req.ctx()?, k, id, input.clone())
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/system/dict/{code}")).into_response()),
        Err(e) => Ok(show_form(
            &req,
            "dict",
            req.t(&format!("dict.kind.{code}")),
            format!("/system/dict/{code}/{id}"),
            format!("/system/dict/{code}"),
            dict_fields(&req, &input),
            Some(e.into()),
            None,
        )),
    }
}

pub async fn dict_delete(
    State(state): State<AppState>,
    req: Req,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let k = kind(&code)?;
    state.store.delete_dict_item(req.ctx()?, k, id).await?;
    Ok(Redirect::to(&format!("/system/dict/{code}")).into_response())
}
