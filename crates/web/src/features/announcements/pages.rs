//! Announcements: list, publish, edit, delete.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::zone::Zone;
use wharf_store::system::announcements::AnnouncementInput;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::system::admin_form::show_form;
use crate::form::FormData;
use crate::render::{Field, ListPage, ListRow, page, when};

// ---- announcements -----------------------------------------------------------------

pub async fn announcements(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let zone = req.zone()?;
    let rows: Vec<ListRow> = state
        .store
        .list_announcements(actor, true)
        .await?
        .into_iter()
        .map(|a| ListRow {
            href: Some(format!("/announcements/{}", a.id)),
            cells: vec![
                a.title,
                a.author_name,
                when(a.published_at, zone),
                a.expires_at.map(|x| when(x, zone)).unwrap_or_default(),
            ],
        })
        .collect();
    let columns = [
        req.t("field.title"),
        req.t("field.name"),
        req.t("field.at"),
        req.t("field.expires_at"),
    ];
    Ok(page(
        &req,
        "shared/list.html",
        "home",
        &req.t("system.announcements"),
        ListPage {
            columns: columns.into(),
            rows,
            new_href: Some("/announcements/new".into()),
            ..ListPage::default()
        },
    ))
}

fn announcement_fields(req: &Req, i: &AnnouncementInput, expires: &str) -> Vec<Field> {
    let exp = Field::new(req, "expires_at", "date", expires);
    vec![
        Field::new(req, "title", "text", &i.title),
        Field::new(req, "body", "textarea", &i.body),
        Field::new(req, "pinned", "checkbox", if i.pinned { "1" } else { "" }),
        exp,
    ]
}

/// The expiry day (YYYY-MM-DD) as the last second of that day, UTC as it always was
/// (the company's zone would move stored expiries); empty means never.
fn parse_day(value: &str) -> Result<Option<i64>, AppError> {
    Ok(
        crate::form::day_field(value, "expires_at", "invalid_choice")?
            .map(|d| Zone::utc().day_range(d).1 - 1),
    )
}

fn announcement_input(form: &FormData) -> Result<AnnouncementInput, AppError> {
    Ok(AnnouncementInput {
        title: form.get("title"),
        body: form.get("body"),
        pinned: form.flag("pinned"),
        expires_at: parse_day(&form.get("expires_at"))?,
    })
}

pub async fn announcement_new(req: Req) -> Response {
    show_form(
        &req,
        "",
        req.t("system.announcements"),
        "/announcements".into(),
        "/announcements".into(),
        announcement_fields(&req, &AnnouncementInput::default(), ""),
        None,
        None,
    )
}

pub async fn announcement_create(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let result = match announcement_input(&form) {
        Ok(input) => state
            .store
            .create_announcement(req.ctx()?, input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/announcements").into_response()),
        Err(e) => {
            let shown = AnnouncementInput {
                title: form.get("title"),
                body: form.get("body"),
                pinned: form.flag("pinned"),
                expires_at: None,
            };
            Ok(show_form(
                &req,
                "",
                req.t("system.announcements"),
                "/announcements".into(),
                "/announcements".into(),
                announcement_fields(&req, &shown, &form.get("expires_at")),
                Some(e),
                None,
            ))
        }
    }
}

pub async fn announcement_edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let a = state.store.get_announcement(req.actor()?, id).await?;
    let expires = a
        .expires_at
        // Expiry is stored as the end of a UTC day (see `parse_day`).
        .map(|x| Zone::utc().day_of(x).iso())
        .unwrap_or_default();
    let input = AnnouncementInput {
        title: a.title,
        body: a.body,
        pinned: a.pinned,
        expires_at: a.expires_at,
    };
    let url = format!("/announcements/{id}");
    Ok(show_form(
        &req,
        "",
        req.t("system.announcements"),
        url.clone(),
        "/announcements".into(),
        announcement_fields(&req, &input, &expires),
        None,
        Some(format!("{url}/delete")),
    ))
}

pub async fn announcement_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let result = match announcement_input(&form) {
        Ok(input) => state
            .store
            .update_announcement(req.ctx()?, id, input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/announcements").into_response()),
        Err(e) => {
            let shown = AnnouncementInput {
                title: form.get("title"),
                body: form.get("body"),
                pinned: form.flag("pinned"),
                expires_at: None,
            };
            Ok(show_form(
                &req,
                "",
                req.t("system.announcements"),
                format!("/announcements/{id}"),
                "/announcements".into(),
                announcement_fields(&req, &shown, &form.get("expires_at")),
                Some(e),
                None,
            ))
        }
    }
}

pub async fn announcement_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.delete_announcement(req.ctx()?, id).await?;
    Ok(Redirect::to("/announcements").into_response())
}
