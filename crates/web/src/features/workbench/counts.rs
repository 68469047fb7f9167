//! The workbench's table from the store's counts: every stage of every pipeline in order
//! (a stage with no customers shows zeros), each cell with its link to the filtered
//! customer list; "rotting" uses the stage's threshold (`features/pipeline`).

use serde::Deserialize;
use wharf_core::records::Windows;
use wharf_store::pipeline::Pipeline;
use wharf_store::records::{StageCounts, WorkbenchScope};

use super::views::{Cell, StageRow};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// The columns: (key, the customer list's filter).
pub const COLUMNS: [(&str, &str); 7] = [
    ("revisit_today", "revisit=today"),
    ("revisit_tomorrow", "revisit=tomorrow"),
    ("overdue", "revisit=overdue"),
    ("contacted_today", "contacted=today"),
    ("contacted_week", "contacted=week"),
    ("contacted_month", "contacted=month"),
    ("rotting", "rotting=1"),
];

/// `?view=team` and `&person=<id>`.
#[derive(Deserialize, Default, Debug, Clone)]
pub struct ScopeParams {
    #[serde(default)]
    pub view: String,
    #[serde(default)]
    pub person: String,
}

impl ScopeParams {
    /// The scope asked for; a person id that is not a number is nobody.
    pub fn scope(&self) -> WorkbenchScope {
        match (self.view.as_str(), self.person.trim()) {
            (_, p) if !p.is_empty() => WorkbenchScope::Person(p.parse().unwrap_or(0)),
            ("team", _) => WorkbenchScope::Team,
            _ => WorkbenchScope::Mine,
        }
    }
}

fn value(c: &StageCounts, key: &str) -> i64 {
    match key {
        "revisit_today" => c.revisit_today,
        "revisit_tomorrow" => c.revisit_tomorrow,
        "overdue" => c.overdue,
        "contacted_today" => c.contacted_today,
        "contacted_week" => c.contacted_week,
        "contacted_month" => c.contacted_month,
        _ => c.rotting,
    }
}

/// The first second a customer of a stage with `days` of rotting threshold must have
/// been contacted (or created) after, not to be rotting.
pub fn rotting_cutoff(days: i64, now: i64) -> i64 {
    now - days.clamp(0, 36_500) * 86_400
}

/// The customer list's "rotting" filter for a stage: its threshold as a time, or none
/// when the stage has no threshold.
pub async fn stale_before(
    state: &AppState,
    req: &Req,
    stage: &str,
) -> Result<Option<i64>, AppError> {
    let now = wharf_store::now();
    Ok(state
        .store
        .pipelines(req.actor()?)
        .await?
        .iter()
        .flat_map(|p| p.stages.iter())
        .find(|s| s.key == stage)
        .and_then(|s| s.rotting_days)
        .map(|d| rotting_cutoff(d, now)))
}

/// The counts of the scope, every pipeline's stages in order.
pub async fn stage_counts(
    state: &AppState,
    req: &Req,
    scope: WorkbenchScope,
) -> Result<(Vec<Pipeline>, Vec<StageCounts>), AppError> {
    let now = wharf_store::now();
    let windows = Windows::at(req.zone()?, now);
    let pipelines = state.store.pipelines(req.actor()?).await?;
    let rotting: Vec<(String, i64)> = pipelines
        .iter()
        .flat_map(|p| p.stages.iter())
        .filter_map(|s| {
            s.rotting_days
                .map(|d| (s.key.clone(), rotting_cutoff(d, now)))
        })
        .collect();
    let found = state
        .store
        .workbench_counts(req.actor()?, scope, &windows, &rotting)
        .await?;
    let counts = pipelines
        .iter()
        .flat_map(|p| p.stages.iter())
        .map(|s| {
            found
                .iter()
                .find(|c| c.stage == s.key)
                .cloned()
                .unwrap_or(StageCounts {
                    stage: s.key.clone(),
                    ..StageCounts::default()
                })
        })
        .collect();
    Ok((pipelines, counts))
}

/// The rows as the page draws them; `owner` narrows the links to one person's.
pub fn rows(
    req: &Req,
    pipelines: &[Pipeline],
    counts: &[StageCounts],
    owner: Option<i64>,
) -> Vec<StageRow> {
    let owner = owner.map(|o| format!("&owner={o}")).unwrap_or_default();
    let several = pipelines.len() > 1;
    let mut rows = Vec::new();
    for p in pipelines {
        for (n, s) in p.stages.iter().enumerate() {
            let Some(c) = counts.iter().find(|c| c.stage == s.key) else {
                continue;
            };
            rows.push(StageRow {
                pipeline: (several && n == 0)
                    .then(|| crate::render::pick(req.locale, &p.name_zh, &p.name_en)),
                stage: c.stage.clone(),
                label: s.label(req.locale.code()).to_string(),
                customers: c.customers,
                href: format!("/customers?stage={}{owner}", c.stage),
                cells: COLUMNS
                    .iter()
                    .map(|(key, filter)| Cell {
                        key,
                        n: value(c, key),
                        // A stage without a threshold does not rot.
                        off: *key == "rotting" && s.rotting_days.is_none(),
                        href: format!("/customers?stage={}&{filter}{owner}", c.stage),
                    })
                    .collect(),
            });
        }
    }
    rows
}
