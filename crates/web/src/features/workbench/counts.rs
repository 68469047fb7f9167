//! The workbench's table from the store's counts: every stage in order (a stage with no
//! customers shows zeros), each cell with its link to the filtered customer list.

use serde::Deserialize;
use wharf_core::customers::STAGES;
use wharf_core::records::Windows;
use wharf_store::records::{StageCounts, WorkbenchScope};

use super::views::{Cell, StageRow};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// The columns: (key, the customer list's filter).
pub const COLUMNS: [(&str, &str); 6] = [
    ("revisit_today", "revisit=today"),
    ("revisit_tomorrow", "revisit=tomorrow"),
    ("overdue", "revisit=overdue"),
    ("contacted_today", "contacted=today"),
    ("contacted_week", "contacted=week"),
    ("contacted_month", "contacted=month"),
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
        _ => c.contacted_month,
    }
}

/// The counts of the scope, one row per stage.
pub async fn stage_counts(
    state: &AppState,
    req: &Req,
    scope: WorkbenchScope,
) -> Result<Vec<StageCounts>, AppError> {
    let windows = Windows::at(req.zone()?, wharf_store::now());
    let found = state
        .store
        .workbench_counts(req.actor()?, scope, &windows)
        .await?;
    Ok(STAGES
        .iter()
        .map(|s| {
            found
                .iter()
                .find(|c| c.stage == *s)
                .cloned()
                .unwrap_or(StageCounts {
                    stage: s.to_string(),
                    ..StageCounts::default()
                })
        })
        .collect())
}

/// The rows as the page draws them; `owner` narrows the links to one person's.
pub fn rows(req: &Req, counts: &[StageCounts], owner: Option<i64>) -> Vec<StageRow> {
    let owner = owner.map(|o| format!("&owner={o}")).unwrap_or_default();
    counts
        .iter()
        .map(|c| StageRow {
            stage: c.stage.clone(),
            label: req.t(&format!("customer.stage.{}", c.stage)),
            customers: c.customers,
            href: format!("/customers?stage={}{owner}", c.stage),
            cells: COLUMNS
                .iter()
                .map(|(key, filter)| {
                    let n = value(c, key);
                    Cell {
                        key,
                        n,
                        href: format!("/customers?stage={}&{filter}{owner}", c.stage),
                    }
                })
                .collect(),
        })
        .collect()
}
