//! The list's sales-path filters: a stage's flag, and the reserve filters (PIPE-4) —
//! customers in the industries, cities, countries or sources where the actor's team (their
//! scope) already has opportunity or won customers.

use wharf_core::Actor;
use wharf_core::pipeline::Flag;

use crate::customers::visible_condition;

/// What the customer list filters by on the sales path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathFilter {
    pub flag: Option<Flag>,
    pub like_winners: Option<LikeWinners>,
}

/// "Like the team's winners": the field a reserve customer shares with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LikeWinners {
    Industry,
    City,
    Country,
    Source,
}

impl LikeWinners {
    pub const ALL: [LikeWinners; 4] = [
        LikeWinners::Industry,
        LikeWinners::City,
        LikeWinners::Country,
        LikeWinners::Source,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LikeWinners::Industry => "industry",
            LikeWinners::City => "city",
            LikeWinners::Country => "country",
            LikeWinners::Source => "source",
        }
    }

    pub fn from_code(code: &str) -> Option<LikeWinners> {
        LikeWinners::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The compared expression on the customers alias `c`.
    fn expr(self) -> &'static str {
        match self {
            LikeWinners::Industry => "c.industry_id",
            LikeWinners::City => "LOWER(c.city)",
            LikeWinners::Country => "c.country_id",
            LikeWinners::Source => "c.source_id",
        }
    }

    fn present(self) -> &'static str {
        match self {
            LikeWinners::Industry => "c.industry_id IS NOT NULL",
            LikeWinners::City => "c.city <> ''",
            LikeWinners::Country => "c.country_id IS NOT NULL",
            LikeWinners::Source => "c.source_id IS NOT NULL",
        }
    }
}

/// The condition (on `c`, inside the inner query that shadows the outer `c`) that makes
/// a customer one of the team's winners: in a stage of role opportunity or won. Orders
/// and opportunity records, when they come, are more ORs here.
const WINNER: &str = "EXISTS (SELECT 1 FROM pipeline_stages ws WHERE ws.key = c.stage AND ws.role IN ('opportunity', 'won'))";

/// Adds the path's conditions; integer values go to `values` (before any text value).
pub(crate) fn path_conditions(
    actor: &Actor,
    f: &PathFilter,
    values: &mut Vec<i64>,
    conditions: &mut Vec<String>,
) {
    if let Some(flag) = f.flag {
        // The code is one of core's fixed ones, never user text.
        conditions.push(format!("c.stage_flag = '{}'", flag.code()));
    }
    if let Some(like) = f.like_winners {
        let (scope, scope_values) = visible_condition(actor, values.len() + 1);
        values.extend(scope_values);
        conditions.push(format!(
            "{expr} IN (SELECT {expr} FROM customers c WHERE {WINNER} AND {present} AND {scope})",
            expr = like.expr(),
            present = like.present(),
        ));
    }
}
