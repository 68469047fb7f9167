//! System → data dictionary, company settings and announcements (SPEC BASE-1..3).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use wharf_core::dict::{DictItemInput, DictKind};
use wharf_core::settings::KEYS;
use wharf_core::zone::Zone;
use wharf_store::announcements::AnnouncementInput;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::pages::org::{show_form, subnav};
use crate::render::{Field, page, pick, when};

fn kind(code: &str) -> Result<DictKind, AppError> {
    DictKind::from_code(code).ok_or(AppError::Domain(wharf_core::DomainError::NotFound))
}

// ---- dictionary --------------------------------------------------------------------

fn kind_nav(req: &Req, on: DictKind) -> Vec<Value> {
    DictKind::ALL
        .iter()
        .map(|k| context! { href => format!("/system/dict/{}", k.code()), label => req.t(&format!("dict.kind.{}", k.code())), on => *k == on })
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
    let rows: Vec<Value> = items
        .into_iter()
        .map(|i| context! { href => format!("/system/dict/{code}/{}", i.id), cells => vec![pick(req.locale, &i.name_zh, &i.name_en), i.name_zh, i.name_en, i.code, i.sort_order.to_string()] })
        .collect();
    let columns = [
        "field.name",
        "field.name_zh",
        "field.name_en",
        "field.code",
        "field.sort_order",
    ]
    .map(|k| req.t(k));
    let mut nav = subnav(&req, "dict")
        .try_iter()
        .map(|i| i.collect::<Vec<_>>())
        .unwrap_or_default();
    nav.extend(kind_nav(&req, k));
    Ok(page(
        &req,
        "list.html",
        "system",
        &req.t(&format!("dict.kind.{code}")),
        context! {
            subnav => nav, columns => columns, rows => rows, new_href => format!("/system/dict/{code}/new"),
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

// ---- company settings --------------------------------------------------------------

async fn settings_fields(
    state: &AppState,
    req: &Req,
    values: Option<&FormData>,
) -> Result<Vec<Field>, AppError> {
    let current = state.store.company_settings(req.actor()?).await?;
    Ok(KEYS
        .iter()
        .map(|k| {
            let value = values
                .map(|f| f.get(k))
                .unwrap_or_else(|| current.get(k).unwrap_or_default());
            match *k {
                "match_company_domains" | "pending_internal" | "pending_notifications" => {
                    return Field::select(
                        req,
                        k,
                        &value,
                        vec![
                            ("1".into(), req.t("common.yes")),
                            ("0".into(), req.t("common.no")),
                        ],
                    );
                }
                "free_mail_domains" => return Field::new(req, k, "textarea", value),
                // The common zones to pick from; any other IANA name may be typed.
                "time_zone" => {
                    let mut f = Field::new(req, k, "text", value);
                    f.suggestions = wharf_core::zone::COMMON_ZONES
                        .iter()
                        .map(|z| z.to_string())
                        .collect();
                    return f;
                }
                _ => {}
            }
            let kind = if k.ends_with("_days") || k.ends_with("_seconds") || k.ends_with("_minutes")
            {
                "number"
            } else {
                "text"
            };
            Field::new(req, k, kind, value)
        })
        .collect())
}

pub async fn settings_form(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let fields = settings_fields(&state, &req, None).await?;
    Ok(show_form(
        &req,
        "settings",
        req.t("system.settings"),
        "/system/settings".into(),
        "/system".into(),
        fields,
        None,
        None,
    ))
}

pub async fn settings_save(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    match state.store.update_settings(req.ctx()?, &form.0).await {
        Ok(_) => Ok(Redirect::to("/system/settings").into_response()),
        Err(e) => {
            let fields = settings_fields(&state, &req, Some(&form)).await?;
            Ok(show_form(
                &req,
                "settings",
                req.t("system.settings"),
                "/system/settings".into(),
                "/system".into(),
                fields,
                Some(e.into()),
                None,
            ))
        }
    }
}

// ---- announcements -----------------------------------------------------------------

pub async fn announcements(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let zone = req.zone()?;
    let rows: Vec<Value> = state
        .store
        .list_announcements(actor, true)
        .await?
        .into_iter()
        .map(|a| context! { href => format!("/announcements/{}", a.id), cells => vec![a.title, a.author_name, when(a.published_at, zone), a.expires_at.map(|x| when(x, zone)).unwrap_or_default()] })
        .collect();
    let columns = [
        req.t("field.title"),
        req.t("field.name"),
        req.t("field.at"),
        req.t("field.expires_at"),
    ];
    Ok(page(
        &req,
        "list.html",
        "home",
        &req.t("system.announcements"),
        context! { columns => columns, rows => rows, new_href => "/announcements/new" },
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
