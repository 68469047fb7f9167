//! GET /sales: the workbench page.

use axum::extract::{Query, State};
use axum::response::Response;
use wharf_core::DataScope;
use wharf_store::records::WorkbenchScope;

use super::counts::{COLUMNS, ScopeParams, rows, stage_counts};
use super::views::WorkbenchPage;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::{SelectOption, Tab, page};

pub async fn workbench(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<ScopeParams>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let manager = actor.scope != DataScope::Own;
    let scope = if manager {
        p.scope()
    } else {
        WorkbenchScope::Mine
    };
    let (pipelines, counts) = stage_counts(&state, &req, scope).await?;
    let owner = match scope {
        WorkbenchScope::Mine => Some(actor.user_id),
        WorkbenchScope::Person(id) => Some(id),
        WorkbenchScope::Team => None,
    };
    let team = scope != WorkbenchScope::Mine;
    let (tabs, people) = if manager {
        let people = state
            .store
            .owners_in_scope(actor)
            .await?
            .into_iter()
            .map(|(id, name)| SelectOption {
                on: scope == WorkbenchScope::Person(id),
                value: id.to_string(),
                label: name,
            })
            .collect();
        let tabs = vec![
            Tab {
                href: "/sales".into(),
                label: req.t("record.mine"),
                on: !team,
            },
            Tab {
                href: "/sales?view=team".into(),
                label: req.t("record.team"),
                on: team,
            },
        ];
        (tabs, people)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(page(
        &req,
        "workbench/workbench.html",
        "sales",
        &req.t("workbench.title"),
        WorkbenchPage {
            tabs,
            people,
            team,
            columns: COLUMNS
                .iter()
                .map(|(k, _)| req.t(&format!("workbench.col.{k}")))
                .collect(),
            rows: rows(&req, &pipelines, &counts, owner),
            today: req.today()?.iso(),
            deals: crate::features::deals::workbench_links(&state, &req, team).await?,
            orders: crate::features::orders::workbench::workbench_links(&state, &req, team).await?,
        },
    ))
}
