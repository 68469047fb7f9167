//! GET /opportunities/board: the Kanban of an opportunity pipeline (PIPE-5). Each column
//! has its count, totals per currency and rotting count; above them the pipeline value in
//! the base currency at today's rates, weighted and not, naming currencies without a
//! rate. Cards move by drag (`board.js`, through the same stage route) or, without
//! JavaScript, by each card's select and button. A phone shows one column at a time,
//! chosen with the stage picker.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::board_view::{choices, columns, total_texts};
use super::list::filters;
use super::params::{ListParams, query_of};
use super::value::value_view;
use super::views::BoardPage;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::page as render_page;

#[derive(Deserialize, Default, Debug)]
pub struct BoardParams {
    #[serde(flatten)]
    pub list: ListParams,
    /// The column a phone shows.
    #[serde(default)]
    pub show: String,
}

/// The store's board for the URL's filters.
pub async fn read(
    state: &AppState,
    req: &Req,
    p: &ListParams,
) -> Result<wharf_store::deals::Board, AppError> {
    let mut q = query_of(req, p)?;
    q.stage = None;
    Ok(state
        .store
        .opportunity_board(
            req.actor()?,
            &wharf_store::deals::BoardQuery {
                filter: q,
                now: wharf_store::now(),
            },
        )
        .await?)
}

pub async fn page(
    State(state): State<AppState>,
    req: Req,
    Query(bp): Query<BoardParams>,
) -> Result<Response, AppError> {
    let p = bp.list;
    let board = read(&state, &req, &p).await?;
    let (value, _) = value_view(&state, &req, &board.totals).await?;
    let (pipelines, stages) = choices(&req, &board);
    let picked = bp.show.trim().parse().ok();
    let columns = columns(&req, &board, &p, picked);
    let picked_stage = columns
        .iter()
        .find(|c| c.picked)
        .map(|c| c.stage_id.to_string())
        .unwrap_or_default();
    Ok(render_page(
        &req,
        "deals/board.html",
        "sales",
        &req.t("deal.board"),
        BoardPage {
            filters: filters(&state, &req, &p, "/opportunities/board").await?,
            pipelines,
            pipeline_id: board.pipeline.id,
            stages,
            totals: total_texts(&board.totals),
            value,
            list_href: ListParams {
                page: String::new(),
                ..p.clone()
            }
            .href("/opportunities"),
            columns,
            picked_stage,
        },
    ))
}
