//! Sales script pages: the list (own and reference, with search), the form (new,
//! edit) and delete. Reference scripts are offered and changed only with `sales_kit`.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use wharf_core::Permission;
use wharf_core::sales_kit::ScriptInput;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, FormPage, ListPage, ListRow, SearchBox, form, page};

#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    pub q: String,
}

pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(s): Query<Search>,
) -> Result<Response, AppError> {
    let q: String = s.q.chars().take(200).collect();
    let scripts = state.store.list_scripts(req.actor()?, &q).await?;
    let rows = scripts
        .into_iter()
        .map(|s| ListRow {
            href: s.may_change.then(|| format!("/sales/scripts/{}", s.id)),
            cells: vec![
                s.title,
                s.category,
                req.t(if s.reference {
                    "kit.reference"
                } else {
                    "kit.personal"
                }),
                s.body.chars().take(120).collect(),
            ],
        })
        .collect();
    let data = ListPage {
        columns: ["field.title", "field.category", "kit.kind", "field.body"]
            .iter()
            .map(|k| req.t(k))
            .collect(),
        rows,
        subnav: super::tabs(&req, "scripts"),
        search: vec![SearchBox {
            name: "q",
            label: req.t("kit.search"),
            value: q,
            kind: Some("search"),
        }],
        new_href: Some("/sales/scripts/new".into()),
        pager: None,
    };
    Ok(page(
        &req,
        "shared/list.html",
        "sales",
        &req.t("kit.scripts"),
        data,
    ))
}

fn fields(req: &Req, input: &ScriptInput) -> Vec<Field> {
    let mut out = vec![
        Field::new(req, "title", "text", &input.title),
        Field::new(req, "category", "text", &input.category),
        Field::new(req, "body", "textarea", &input.body),
    ];
    if req
        .actor
        .as_ref()
        .is_some_and(|a| a.has(Permission::SalesKit))
    {
        let mut f = Field::select(
            req,
            "reference",
            if input.reference { "1" } else { "0" },
            vec![
                ("0".into(), req.t("kit.personal")),
                ("1".into(), req.t("kit.reference")),
            ],
        );
        f.label = req.t("kit.kind");
        out.push(f);
    }
    out
}

fn input_of(form: &FormData) -> ScriptInput {
    ScriptInput {
        title: form.get("title"),
        body: form.get("body"),
        category: form.get("category"),
        reference: form.get("reference") == "1",
    }
}

fn show(
    req: &Req,
    action: String,
    input: &ScriptInput,
    delete: Option<String>,
    err: Option<AppError>,
) -> Response {
    let title = req.t("kit.script");
    let data = FormPage {
        action,
        fields: fields(req, input),
        cancel: Some("/sales/scripts".into()),
        delete_action: delete,
        subnav: super::tabs(req, "scripts"),
        ..FormPage::default()
    };
    form(req, "sales", &title, data, err)
}

pub async fn new(req: Req) -> Result<Response, AppError> {
    Ok(show(
        &req,
        "/sales/scripts".into(),
        &ScriptInput::default(),
        None,
        None,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    req: Req,
    form_data: FormData,
) -> Result<Response, AppError> {
    let input = input_of(&form_data);
    match state.store.create_script(req.ctx()?, &input).await {
        Ok(_) => Ok(Redirect::to("/sales/scripts").into_response()),
        Err(e) => match AppError::from(e) {
            e @ AppError::Domain(wharf_core::DomainError::Invalid(_)) => {
                Ok(show(&req, "/sales/scripts".into(), &input, None, Some(e)))
            }
            e => Err(e),
        },
    }
}

pub async fn edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = state.store.get_script(req.actor()?, id).await?;
    if !s.may_change {
        return Err(AppError::Domain(wharf_core::DomainError::Denied));
    }
    let input = ScriptInput {
        title: s.title,
        body: s.body,
        category: s.category,
        reference: s.reference,
    };
    Ok(show(
        &req,
        format!("/sales/scripts/{id}"),
        &input,
        Some(format!("/sales/scripts/{id}/delete")),
        None,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form_data: FormData,
) -> Result<Response, AppError> {
    let mut input = input_of(&form_data);
    // Without `sales_kit` the kind is not offered: it stays what it was.
    if !req.actor()?.has(Permission::SalesKit) {
        input.reference = state.store.get_script(req.actor()?, id).await?.reference;
    }
    match state.store.update_script(req.ctx()?, id, &input).await {
        Ok(()) => Ok(Redirect::to("/sales/scripts").into_response()),
        Err(e) => match AppError::from(e) {
            e @ AppError::Domain(wharf_core::DomainError::Invalid(_)) => Ok(show(
                &req,
                format!("/sales/scripts/{id}"),
                &input,
                Some(format!("/sales/scripts/{id}/delete")),
                Some(e),
            )),
            e => Err(e),
        },
    }
}

pub async fn delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form_data: FormData,
) -> Result<Response, AppError> {
    let action = format!("/sales/scripts/{id}/delete");
    if let Some(ask) = crate::confirm::unless_confirmed(
        &req,
        &form_data,
        &action,
        "action.confirm_delete",
        "/sales/scripts",
    ) {
        return Ok(ask);
    }
    state.store.delete_script(req.ctx()?, id).await?;
    Ok(Redirect::to("/sales/scripts").into_response())
}
