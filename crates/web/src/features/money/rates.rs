//! System → Exchange rates: the list (newest day first, one currency or all), add a
//! day's rate, edit, delete. Changing needs `exchange_rates`; the store audits it.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use wharf_core::Permission;
use wharf_core::money::{Currency, RateInput};
use wharf_store::money::{RateFilter, RateRow};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::{Field, FormPage, ListPage, ListRow, Pager, SearchBox, Tab, page};

const BASE: &str = "/system/exchange-rates";

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    currency: String,
    #[serde(default)]
    page: Option<i64>,
}

/// The System tabs for an administrator; only this page's tab for someone who manages
/// rates without administering the system.
fn tabs(req: &Req) -> Vec<Tab> {
    let admin = req
        .actor
        .as_ref()
        .is_some_and(|a| a.has(Permission::SystemAdmin));
    if admin {
        crate::features::system::admin_form::subnav(req, "exchange_rates")
    } else {
        vec![Tab {
            href: BASE.into(),
            label: req.t("system.exchange_rates"),
            on: true,
        }]
    }
}

pub async fn rates(
    State(state): State<AppState>,
    req: Req,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    // A filter that is no currency lists nothing rather than everything.
    let currency =
        match q.currency.trim() {
            "" => None,
            code => Some(Currency::from_code(code).map_err(|e| {
                AppError::Domain(wharf_core::DomainError::field("currency", e.code()))
            })?),
        };
    let filter = RateFilter {
        currency,
        page: q.page.unwrap_or(1),
        per_page: 50,
    };
    let base = state.store.base_currency(actor).await?;
    let list = state.store.list_rates(actor, &filter).await?;
    let rows = list
        .items
        .iter()
        .map(|r| ListRow {
            href: Some(format!("{BASE}/{}", r.id)),
            cells: vec![
                r.day.clone(),
                format!("1 {} = {} {}", r.currency, r.per_unit, r.base),
                r.currency
                    .name(req.locale == crate::i18n::Locale::ZhCn)
                    .to_string(),
                r.note.clone(),
                r.created_by
                    .as_deref()
                    .map(|n| crate::i18n::person(req.locale, n))
                    .unwrap_or_default(),
            ],
        })
        .collect();
    let link = |p: i64| format!("{BASE}?currency={}&page={p}", q.currency.trim());
    let pages = list.pages();
    let title = crate::i18n::t_with(req.locale, "rates.title", &[("base", base.code())]);
    Ok(page(
        &req,
        "shared/list.html",
        "system",
        &title,
        ListPage {
            subnav: tabs(&req),
            columns: [
                "field.day",
                "rates.rate",
                "rates.currency_name",
                "field.note",
                "rates.entered_by",
            ]
            .map(|k| req.t(k))
            .into(),
            rows,
            search: vec![SearchBox {
                name: "currency",
                label: req.t("field.currency"),
                value: q.currency.trim().to_string(),
                kind: None,
            }],
            new_href: actor
                .has(Permission::ExchangeRates)
                .then(|| format!("{BASE}/new")),
            pager: Some(Pager {
                page: list.page,
                pages,
                total: list.total,
                prev: (list.page > 1).then(|| link(list.page - 1)),
                next: (list.page < pages).then(|| link(list.page + 1)),
            }),
        },
    ))
}

async fn fields(state: &AppState, req: &Req, input: &RateInput) -> Result<Vec<Field>, AppError> {
    let base = state.store.base_currency(req.actor()?).await?;
    let options = crate::features::money::currency_options(req)
        .into_iter()
        .filter(|(code, _)| code != base.code())
        .collect();
    let mut per_unit = Field::new(req, "per_unit", "text", &input.per_unit);
    per_unit.label = crate::i18n::t_with(req.locale, "field.per_unit", &[("base", base.code())]);
    Ok(vec![
        Field::select(req, "currency", &input.currency, options),
        Field::new(req, "day", "date", &input.day),
        per_unit,
        Field::new(req, "note", "text", &input.note),
    ])
}

fn input(form: &FormData) -> RateInput {
    RateInput {
        currency: form.get("currency"),
        day: form.get("day"),
        per_unit: form.get("per_unit"),
        note: form.get("note"),
    }
}

fn form_page(
    req: &Req,
    action: String,
    fields: Vec<Field>,
    delete_action: Option<String>,
    err: Option<AppError>,
) -> Response {
    let data = FormPage {
        subnav: tabs(req),
        action,
        cancel: Some(BASE.into()),
        fields,
        delete_action,
        ..FormPage::default()
    };
    crate::render::form(req, "system", &req.t("system.exchange_rates"), data, err)
}

pub async fn rate_new(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let blank = RateInput {
        currency: "USD".into(),
        day: req.today()?.iso(),
        ..RateInput::default()
    };
    let fields = fields(&state, &req, &blank).await?;
    Ok(form_page(&req, BASE.into(), fields, None, None))
}

pub async fn rate_create(
    State(state): State<AppState>,
    req: Req,
    form: FormData,
) -> Result<Response, AppError> {
    let input = input(&form);
    match state
        .store
        .create_rate(req.ctx()?, &input, req.today()?)
        .await
    {
        Ok(_) => Ok(Redirect::to(BASE).into_response()),
        Err(e) => {
            let fields = fields(&state, &req, &input).await?;
            Ok(form_page(&req, BASE.into(), fields, None, Some(e.into())))
        }
    }
}

fn as_input(r: &RateRow) -> RateInput {
    RateInput {
        currency: r.currency.code().into(),
        day: r.day.clone(),
        per_unit: r.per_unit.clone(),
        note: r.note.clone(),
    }
}

pub async fn rate_edit(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = state.store.get_rate(req.actor()?, id).await?;
    let fields = fields(&state, &req, &as_input(&r)).await?;
    let url = format!("{BASE}/{id}");
    Ok(form_page(
        &req,
        url.clone(),
        fields,
        Some(format!("{url}/delete")),
        None,
    ))
}

pub async fn rate_update(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let input = input(&form);
    match state
        .store
        .update_rate(req.ctx()?, id, &input, req.today()?)
        .await
    {
        Ok(()) => Ok(Redirect::to(BASE).into_response()),
        Err(e) => {
            let fields = fields(&state, &req, &input).await?;
            let url = format!("{BASE}/{id}");
            Ok(form_page(
                &req,
                url.clone(),
                fields,
                Some(format!("{url}/delete")),
                Some(e.into()),
            ))
        }
    }
}

pub async fn rate_delete(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    if let Some(ask) = crate::confirm::unless_confirmed(
        &req,
        &form,
        &format!("{BASE}/{id}/delete"),
        "action.confirm_delete",
        BASE,
    ) {
        return Ok(ask);
    }
    state.store.delete_rate(req.ctx()?, id).await?;
    Ok(Redirect::to(BASE).into_response())
}
