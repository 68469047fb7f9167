//! The workbench's opportunity counts (PIPE-2): rotting, to revisit today and tomorrow,
//! for the actor's own or their team's.

use wharf_core::Actor;

use super::list::{OpportunityQuery, View, conditions};
use crate::{Result, Store};

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct DealCounts {
    pub rotting: i64,
    pub revisit_today: i64,
    pub revisit_tomorrow: i64,
}

impl Store {
    /// The counts at `now`, with `today` / `tomorrow` as YYYY-MM-DD in the company's
    /// calendar.
    pub async fn opportunity_counts(
        &self,
        actor: &Actor,
        view: View,
        now: i64,
        (today, tomorrow): (&str, &str),
    ) -> Result<DealCounts> {
        let base = OpportunityQuery {
            view,
            ..OpportunityQuery::default()
        };
        let count = |q: OpportunityQuery| async move {
            self.count_opportunities(actor, conditions(actor, &q)).await
        };
        Ok(DealCounts {
            rotting: count(OpportunityQuery {
                rotting_at: Some(now),
                ..base.clone()
            })
            .await?,
            revisit_today: count(OpportunityQuery {
                revisit_on: Some(today.into()),
                ..base.clone()
            })
            .await?,
            revisit_tomorrow: count(OpportunityQuery {
                revisit_on: Some(tomorrow.into()),
                ..base
            })
            .await?,
        })
    }
}
