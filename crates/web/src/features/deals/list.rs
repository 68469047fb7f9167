//! The opportunities list (商机): the user's own (owner or collaborator) or the team's in
//! their scope, filtered by owner, status, stage, customer, words, rotting and revisit
//! day, paged; the same filters export it (`export.rs`) and draw the board's bar.

use axum::extract::{Query, State};
use axum::response::Response;
use wharf_core::Permission;
use wharf_core::deals::Status;
use wharf_store::deals::Opportunity;

use super::money_text::amount;
use super::params::{ListParams, query_of};
use super::status::status_label;
use super::views::{DealRow, Filters, ListPage};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::{Pager, SelectOption, Tab, page};

pub fn row(req: &Req, o: &Opportunity, now: i64) -> DealRow {
    DealRow {
        id: o.id,
        title: o.title.clone(),
        href: format!("/opportunities/{}", o.id),
        customer: o.customer_name.clone(),
        customer_href: format!("/customers/{}", o.customer_id),
        stage: o.stage_label(req.locale.code()).to_string(),
        status: status_label(req, &o.status),
        status_code: o.status.clone(),
        amount: amount(o.amount, &o.currency),
        probability: o.probability,
        close_date: o.close_date.clone().unwrap_or_default(),
        next_revisit: o.next_revisit.clone().unwrap_or_default(),
        owner: crate::i18n::person(req.locale, &o.owner_name),
        rotting: o.status == Status::Selling.code()
            && wharf_core::deals::is_rotting(o.activity_at, now, o.rotting_days),
    }
}

/// The Mine / Team tabs, owners and statuses of the list and the board at `base`.
pub async fn filters(
    state: &AppState,
    req: &Req,
    p: &ListParams,
    base: &str,
) -> Result<Filters, AppError> {
    let actor = req.actor()?;
    let team = p.team();
    let tab = |view: &str, label: &str, on: bool| Tab {
        href: ListParams {
            view: view.into(),
            owner: String::new(),
            page: String::new(),
            ..p.clone()
        }
        .href(base),
        label: req.t(label),
        on,
    };
    let owners = if team {
        state
            .store
            .owners_in_scope(actor)
            .await?
            .into_iter()
            .map(|(id, name)| SelectOption {
                on: p.owner == id.to_string(),
                value: id.to_string(),
                label: crate::i18n::person(req.locale, &name),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Filters {
        tabs: vec![
            tab("", "record.mine", !team),
            tab("team", "record.team", team),
        ],
        team,
        owners,
        statuses: Status::ALL
            .iter()
            .map(|s| SelectOption {
                value: s.code().into(),
                label: status_label(req, s.code()),
                on: p.status == s.code(),
            })
            .collect(),
        q: p.q.clone(),
        customer: p.customer.clone(),
        rotting: p.rotting == "1",
        revisit: p.revisit.clone(),
    })
}

/// GET /opportunities
pub async fn list(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let now = wharf_store::now();
    let (rows, total, pager, error) = match query_of(&req, &p) {
        Ok(q) => {
            let found = state.store.list_opportunities(actor, &q).await?;
            let pages = found.pages();
            let base = p.href("/opportunities");
            let sep = if base.contains('?') { '&' } else { '?' };
            let pager = (pages > 1).then(|| Pager {
                page: found.page,
                pages,
                total: found.total,
                prev: (found.page > 1).then(|| format!("{base}{sep}page={}", found.page - 1)),
                next: (found.page < pages).then(|| format!("{base}{sep}page={}", found.page + 1)),
            });
            let rows = found.items.iter().map(|o| row(&req, o, now)).collect();
            (rows, found.total, pager, None)
        }
        Err(e) => (Vec::new(), 0, None, Some(e.message(req.locale))),
    };
    let stages = state
        .store
        .opportunity_pipelines(actor)
        .await?
        .into_iter()
        .flat_map(|pl| pl.stages)
        .map(|s| SelectOption {
            on: p.stage == s.id.to_string(),
            value: s.id.to_string(),
            label: s.label(req.locale.code()).to_string(),
        })
        .collect();
    let board = ListParams {
        stage: String::new(),
        page: String::new(),
        ..p.clone()
    };
    Ok(page(
        &req,
        "deals/list.html",
        "sales",
        &req.t("deal.list"),
        ListPage {
            filters: filters(&state, &req, &p, "/opportunities").await?,
            stages,
            rows,
            total,
            pager,
            export_href: p.href("/opportunities/export"),
            board_href: board.href("/opportunities/board"),
            may_export: actor.has(Permission::Export),
            error,
        },
    ))
}
