//! The admin's side of the sales path: the pipelines page (each stage's labels,
//! probability, rotting days, and how many customers are in it) and a role's per-stage
//! rights (PIPE-8: edit which fields, claim, promote, demote), defaults from seed 003.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use wharf_core::customers::CUSTOMER_FIELDS;
use wharf_core::pipeline::{CUSTOM_FIELDS, EditRight, StageRights, StageRole, WORKING_FIELDS};
use wharf_store::pipeline::StageEdit;

use super::links::stage_list;
use super::stage_bar::role_label;
use super::views::{
    FieldChoice, PathLink, PipelineView, PipelinesPage, RightsPage, RightsRow, StageRow,
};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::system::admin_form::subnav;
use crate::form::FormData;
use crate::render::{page, pick};

/// GET /system/pipelines
pub async fn pipelines(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let roles = state
        .store
        .list_roles(actor)
        .await?
        .into_iter()
        .map(|r| PathLink {
            code: r.code.clone().unwrap_or_default(),
            label: pick(req.locale, &r.name_zh, &r.name_en),
            href: format!("/system/roles/{}/stages", r.id),
            on: false,
        })
        .collect();
    let list = state.store.pipelines_with_counts(actor).await?;
    let pipelines = list
        .into_iter()
        .map(|p| {
            // An opportunity pipeline (`features/deals`): its stages hold opportunities.
            let deals = p.applies_to == "opportunities";
            let count = p.stages.len();
            let all: Vec<(i64, String)> = p
                .stages
                .iter()
                .map(|s| (s.id, s.label(req.locale.code()).to_string()))
                .collect();
            let in_it: i64 = p.stages.iter().map(|s| s.customers).sum();
            PipelineView {
                id: p.id,
                name: if deals {
                    format!(
                        "{} · {}",
                        pick(req.locale, &p.name_zh, &p.name_en),
                        req.t("deal.pipeline_for")
                    )
                } else {
                    pick(req.locale, &p.name_zh, &p.name_en)
                },
                editable: !deals,
                deletable: !deals && !p.is_default && in_it == 0,
                stages: p
                    .stages
                    .into_iter()
                    .enumerate()
                    .map(|(i, s)| StageRow {
                        list_href: if deals {
                            format!("/opportunities?view=team&stage={}", s.id)
                        } else {
                            stage_list(&s.key, "", None)
                        },
                        role: if deals {
                            req.t("deal.stage_role")
                        } else {
                            req.t(&format!("customer.stage.{}", s.role))
                        },
                        rotting_days: s.rotting_days.map(|d| d.to_string()).unwrap_or_default(),
                        editable: !deals,
                        first: i == 0,
                        last: i + 1 == count,
                        // The default pipeline's seeded five stay (the store says so too).
                        deletable: !deals
                            && !wharf_core::pipeline::DEFAULT_STAGES
                                .iter()
                                .any(|d| d.0 == s.key),
                        targets: all
                            .iter()
                            .filter(|(id, _)| *id != s.id)
                            .map(|(id, label)| PathLink {
                                code: id.to_string(),
                                label: label.clone(),
                                href: String::new(),
                                on: false,
                            })
                            .collect(),
                        id: s.id,
                        key: s.key,
                        label_en: s.label_en,
                        label_zh: s.label_zh,
                        probability: s.probability,
                        customers: s.customers,
                    })
                    .collect(),
            }
        })
        .collect();
    let stage_roles = StageRole::ALL
        .into_iter()
        .map(|r| PathLink {
            code: r.code().to_string(),
            label: role_label(&req, r),
            href: String::new(),
            on: false,
        })
        .collect();
    Ok(page(
        &req,
        "pipeline/pipelines.html",
        "system",
        &req.t("pipeline.title"),
        PipelinesPage {
            subnav: subnav(&req, "pipelines"),
            pipelines,
            stage_roles,
            roles,
        },
    ))
}

/// A number field of a form: empty is none, anything else must be a whole number.
fn number(form: &FormData, name: &'static str) -> Result<Option<i64>, AppError> {
    let v = form.get(name);
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| AppError::Domain(wharf_core::DomainError::field(name, "not_a_number")))
}

/// POST /system/pipelines/stages/{id}
pub async fn save_stage(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let edit = StageEdit {
        label_en: form.get("label_en"),
        label_zh: form.get("label_zh"),
        probability: number(&form, "probability")?.unwrap_or(0),
        rotting_days: number(&form, "rotting_days")?,
    };
    state.store.update_stage(req.ctx()?, id, edit).await?;
    Ok(Redirect::to("/system/pipelines").into_response())
}

/// The fields a stage right may name: the registry's (but the working ones, always
/// open), then "all custom fields".
fn field_choices(req: &Req, edit: &EditRight) -> Vec<FieldChoice> {
    let on = |key: &str| match edit {
        EditRight::All => true,
        EditRight::Fields(keys) => keys.iter().any(|k| k == key),
    };
    let mut out: Vec<FieldChoice> = CUSTOMER_FIELDS
        .fields
        .iter()
        .filter(|f| f.in_form && !WORKING_FIELDS.contains(&f.key))
        .map(|f| FieldChoice {
            key: f.key.to_string(),
            label: req.t(f.label),
            on: on(f.key),
        })
        .collect();
    out.push(FieldChoice {
        key: CUSTOM_FIELDS.to_string(),
        label: req.t("pipeline.rights.custom_fields"),
        on: on(CUSTOM_FIELDS),
    });
    out
}

/// GET /system/roles/{id}/stages
pub async fn rights(
    State(state): State<AppState>,
    req: Req,
    Path(role_id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let role = state
        .store
        .list_roles(actor)
        .await?
        .into_iter()
        .find(|r| r.id == role_id)
        .ok_or(AppError::Domain(wharf_core::DomainError::NotFound))?;
    let rows = state
        .store
        .role_stage_rights(actor, role_id)
        .await?
        .into_iter()
        .map(|(stage, r)| RightsRow {
            stage: stage.code(),
            label: role_label(&req, stage),
            edit_mode: match &r.edit {
                EditRight::All => "all",
                EditRight::Fields(k) if k.is_empty() => "none",
                EditRight::Fields(_) => "fields",
            },
            fields: field_choices(&req, &r.edit),
            may_claim: r.may_claim,
            may_promote: r.may_promote,
            may_demote: r.may_demote,
            hold_quota: r.hold_quota.map(|q| q.to_string()).unwrap_or_default(),
        })
        .collect();
    let role_name = pick(req.locale, &role.name_zh, &role.name_en);
    Ok(page(
        &req,
        "pipeline/rights.html",
        "system",
        &format!("{} · {}", role_name, req.t("pipeline.rights.title")),
        RightsPage {
            subnav: subnav(&req, "roles"),
            role_id,
            role_name,
            rows,
        },
    ))
}

/// POST /system/roles/{id}/stages/{stage}
pub async fn save_rights(
    State(state): State<AppState>,
    req: Req,
    Path((role_id, stage)): Path<(i64, String)>,
    form: FormData,
) -> Result<Response, AppError> {
    let stage =
        StageRole::from_code(&stage).ok_or(AppError::Domain(wharf_core::DomainError::NotFound))?;
    let edit = match form.get("edit_mode").as_str() {
        "all" => EditRight::All,
        "none" => EditRight::Fields(Vec::new()),
        "fields" => EditRight::Fields(form.all("fields")),
        _ => return Err(AppError::BadRequest),
    };
    let rights = StageRights {
        edit,
        may_claim: form.get("may_claim") == "1",
        may_promote: form.get("may_promote") == "1",
        may_demote: form.get("may_demote") == "1",
        hold_quota: number(&form, "hold_quota")?,
    };
    state
        .store
        .set_role_stage_rights(req.ctx()?, role_id, stage, &rights)
        .await?;
    Ok(Redirect::to(&format!("/system/roles/{role_id}/stages")).into_response())
}
