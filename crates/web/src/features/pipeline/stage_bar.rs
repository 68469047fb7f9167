//! The stage bar of a customer's page: the pipeline's stages with the current one, the
//! promote / demote form (with a reason), the flag switch and the stage log; and the
//! form handlers behind it. The store applies the rules and the rights.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::pipeline::{Flag, StageRole};
use wharf_store::pipeline::StageLogEntry;

use super::links::stage_list;
use super::views::{FlagChoice, StageBar, StageLogRow, StageStep};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;
use crate::render::pick;
use crate::render::when;

/// A stage key's label in the user's language (the stored one, else the key).
pub(crate) fn stage_label(
    req: &Req,
    stages: &[wharf_store::pipeline::PipelineStage],
    key: &str,
) -> String {
    stages.iter().find(|s| s.key == key).map_or_else(
        || key.to_string(),
        |s| s.label(req.locale.code()).to_string(),
    )
}

pub(crate) fn flag_label(req: &Req, code: &str) -> String {
    req.t(&format!("pipeline.flag.{code}"))
}

/// One stage log entry as a sentence.
pub(crate) fn log_text(
    req: &Req,
    stages: &[wharf_store::pipeline::PipelineStage],
    e: &StageLogEntry,
) -> String {
    let (from, to) = if e.kind == "flag" {
        (flag_label(req, &e.from), flag_label(req, &e.to))
    } else {
        (
            stage_label(req, stages, &e.from),
            stage_label(req, stages, &e.to),
        )
    };
    req.t(&format!("pipeline.log.{}", e.kind))
        .replace("{from}", &from)
        .replace("{to}", &to)
}

/// The stage bar of customer `id`, for its page, and its log as timeline entries
/// (time, text).
pub async fn stage_bar(
    state: &AppState,
    req: &Req,
    id: i64,
) -> Result<(StageBar, Vec<(i64, String)>), AppError> {
    let actor = req.actor()?;
    let s = state.store.customer_stage(actor, id).await?;
    let role = s.stage.stage_role()?;
    let zone = req.zone()?;
    let entries = state.store.customer_stage_log(actor, id).await?;
    let events = entries
        .iter()
        .map(|e| (e.at, format!("{}: {}", e.user, log_text(req, &s.stages, e))))
        .collect();
    let log = entries
        .iter()
        .map(|e| StageLogRow {
            when: when(e.at, zone),
            user: e.user.clone(),
            text: log_text(req, &s.stages, e),
            // Reasons the system writes are codes; a person's are their words.
            reason: match e.reason.as_str() {
                "stage_deleted" | "pipeline" => req.t(&format!("pipeline.log.reason.{}", e.reason)),
                _ => e.reason.clone(),
            },
        })
        .collect();
    let flag = Flag::from_code(&s.flag);
    // The stages of the other customer pipelines, "pipeline · stage".
    let elsewhere = if s.may_edit {
        state
            .store
            .pipelines(actor)
            .await?
            .into_iter()
            .filter(|p| p.id != s.pipeline_id)
            .flat_map(|p| {
                let name = pick(req.locale, &p.name_zh, &p.name_en);
                p.stages.into_iter().map(move |st| StageStep {
                    label: format!("{name} · {}", st.label(req.locale.code())),
                    key: st.key,
                    probability: st.probability,
                    on: false,
                    lower: false,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let bar = StageBar {
        customer_id: id,
        elsewhere,
        stage_label: s.stage.label(req.locale.code()).to_string(),
        flag_label: flag_label(req, &s.flag),
        steps: s
            .stages
            .iter()
            .map(|st| StageStep {
                key: st.key.clone(),
                label: st.label(req.locale.code()).to_string(),
                probability: st.probability,
                on: st.key == s.stage.key,
                lower: st.position < s.stage.position,
            })
            .collect(),
        flags: role
            .flags()
            .into_iter()
            .map(|f| FlagChoice {
                code: f.code(),
                label: flag_label(req, f.code()),
                on: Some(f) == flag,
            })
            .collect(),
        may_edit: s.may_edit,
        // Only the moves the role may make are offered (the store checks again).
        moves: s
            .stages
            .iter()
            .filter(|st| {
                st.key != s.stage.key
                    && if st.position < s.stage.position {
                        s.may_demote
                    } else {
                        s.may_promote
                    }
            })
            .map(|st| StageStep {
                key: st.key.clone(),
                label: st.label(req.locale.code()).to_string(),
                probability: st.probability,
                on: false,
                lower: st.position < s.stage.position,
            })
            .collect(),
        log,
        list_href: stage_list(&s.stage.key, "", flag),
    };
    Ok((bar, events))
}

/// POST /customers/{id}/stage: promote or demote (`stage`, optional `reason`).
pub async fn change_stage(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .change_stage(req.ctx()?, id, &form.get("stage"), &form.get("reason"))
        .await?;
    // A demote into reserve may take the customer out of the user's sight.
    match state.store.get_customer(req.actor()?, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/customers/{id}#stage-bar")).into_response()),
        Err(_) => Ok(Redirect::to("/customers").into_response()),
    }
}

/// POST /customers/{id}/flag: contacted / not contacted, tracking / paused.
pub async fn set_flag(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .set_stage_flag(req.ctx()?, id, &form.get("flag"), &form.get("reason"))
        .await?;
    Ok(Redirect::to(&format!("/customers/{id}#stage-bar")).into_response())
}

/// The labels of the five stage roles, for the rights table.
pub(crate) fn role_label(req: &Req, role: StageRole) -> String {
    req.t(&format!("customer.stage.{}", role.code()))
}

/// Every stage's (key, name in the user's language), for pages that offer or show a
/// stage outside the customer pages (the import).
pub async fn stage_names(state: &AppState, req: &Req) -> Result<Vec<(String, String)>, AppError> {
    Ok(state
        .store
        .pipelines(req.actor()?)
        .await?
        .into_iter()
        .flat_map(|p| p.stages)
        .map(|s| (s.key.clone(), s.label(req.locale.code()).to_string()))
        .collect())
}
