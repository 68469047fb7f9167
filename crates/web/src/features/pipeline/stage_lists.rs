//! Sales → the stage lists (seed 003's 储备 / 目标 / 潜在 / 商机 / 成交 客户, each split into
//! mine — personal or collaborative — and shared, with its flags): counts that link to
//! the customer list with the matching URL filters. The workbench links here.

use axum::extract::State;
use axum::response::Response;
use wharf_core::pipeline::StageRole;

use super::links::stage_list;
use super::stage_bar::flag_label;
use super::views::{CountLink, StageListRow, StageListsPage};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::page;

/// GET /sales/stages
pub async fn stage_lists(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let counts = state.store.stage_counts(actor).await?;
    let me = actor.user_id.to_string();
    let mut rows = Vec::new();
    for p in state.store.pipelines(actor).await? {
        for s in &p.stages {
            let Some(role) = StageRole::from_code(&s.role) else {
                continue;
            };
            let of = |flag: Option<&str>, shared: bool| -> i64 {
                counts
                    .iter()
                    .filter(|c| c.stage == s.key && flag.is_none_or(|f| c.flag == f))
                    .map(|c| if shared { c.shared } else { c.mine })
                    .sum()
            };
            let link = |flag: Option<wharf_core::pipeline::Flag>, shared: bool| CountLink {
                label: flag.map_or_else(
                    || req.t("pipeline.lists.all"),
                    |f| flag_label(&req, f.code()),
                ),
                count: of(flag.map(|f| f.code()), shared),
                href: if shared {
                    stage_list(&s.key, "pool", flag)
                } else {
                    let mut h = stage_list(&s.key, "", flag);
                    h.push_str("&owner=");
                    h.push_str(&me);
                    h
                },
            };
            let split = |shared: bool| {
                let mut v = vec![link(None, shared)];
                v.extend(role.flags().into_iter().map(|f| link(Some(f), shared)));
                v
            };
            rows.push(StageListRow {
                key: s.key.clone(),
                label: s.label(req.locale.code()).to_string(),
                mine: split(false),
                shared: split(true),
                reserve_filters: role == StageRole::Reserve,
            });
        }
    }
    Ok(page(
        &req,
        "pipeline/stage_lists.html",
        "sales",
        &req.t("pipeline.lists.title"),
        StageListsPage { rows },
    ))
}
