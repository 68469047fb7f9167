//! The workbench's opportunity counts (PIPE-2): rotting, to revisit today and tomorrow,
//! each a link to the filtered list; `features/workbench` draws them.

use serde::Serialize;
use wharf_store::deals::View;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// One count with its link.
#[derive(Serialize, Clone, Debug)]
pub struct DealLink {
    pub key: &'static str,
    pub label: String,
    pub n: i64,
    pub href: String,
}

/// The counts for Mine (`team` false) or the team's.
pub async fn workbench_links(
    state: &AppState,
    req: &Req,
    team: bool,
) -> Result<Vec<DealLink>, AppError> {
    let today = req.today()?;
    let counts = state
        .store
        .opportunity_counts(
            req.actor()?,
            if team { View::Team } else { View::Mine },
            wharf_store::now(),
            (&today.iso(), &today.next().iso()),
        )
        .await?;
    let view = if team { "view=team&" } else { "" };
    Ok([
        ("rotting", counts.rotting, "rotting=1"),
        ("revisit_today", counts.revisit_today, "revisit=today"),
        (
            "revisit_tomorrow",
            counts.revisit_tomorrow,
            "revisit=tomorrow",
        ),
    ]
    .into_iter()
    .map(|(key, n, filter)| DealLink {
        key,
        label: req.t(&format!("deal.workbench.{key}")),
        n,
        href: format!("/opportunities?{view}{filter}"),
    })
    .collect())
}
