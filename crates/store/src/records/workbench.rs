//! The workbench's counts (PIPE-2): per stage, the customers to revisit today, tomorrow
//! or overdue, and those contacted today, this week, this month — of the actor's own
//! customers, the team's in their scope, or one person's in it. One grouped query over
//! `customers.next_revisit_at` / `last_contacted_at`, which the record writes keep, read
//! from the covering index `customers_workbench` (BENCHMARKS.md, `bench sales`).

use wharf_core::customers::Sharing;
use wharf_core::policy::AuthorScope;
use wharf_core::records::Windows;
use wharf_core::{Actor, Permission};

use crate::rows::{int, text};
use crate::{Result, Store};

/// Whose customers the workbench counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbenchScope {
    Mine,
    Team,
    /// One person of the team (outside the actor's scope: nothing).
    Person(i64),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct StageCounts {
    pub stage: String,
    pub customers: i64,
    pub revisit_today: i64,
    pub revisit_tomorrow: i64,
    pub overdue: i64,
    pub contacted_today: i64,
    pub contacted_week: i64,
    pub contacted_month: i64,
    /// Not contacted (nor created) within the stage's rotting threshold.
    pub rotting: i64,
}

impl Store {
    /// The counts per stage that has customers in the scope (stages without any are
    /// left out; the page lists every stage).
    pub async fn workbench_counts(
        &self,
        actor: &Actor,
        scope: WorkbenchScope,
        w: &Windows,
        rotting: &[(String, i64)],
    ) -> Result<Vec<StageCounts>> {
        actor.require(Permission::Customers)?;
        let (visible, mut values) = crate::customers::visible_condition(actor, 1);
        // One person's (the actor's, or someone of the team): from that person's owner
        // rows, so the cost follows their customers, not the company's. The team: every
        // visible customer with an owner in the actor's scope.
        let (from, ownership) = match scope {
            WorkbenchScope::Mine | WorkbenchScope::Person(_) => {
                let person = match scope {
                    WorkbenchScope::Person(id) => id,
                    _ => actor.user_id,
                };
                values.push(person);
                let at = values.len();
                let (in_team, more) = crate::access::records::people(
                    &AuthorScope::team(actor),
                    "wo.user_id",
                    values.len() + 1,
                );
                values.extend(more);
                (
                    "customer_owners wo JOIN customers c ON c.id = wo.customer_id".to_string(),
                    format!("wo.user_id = ${at} AND {in_team}"),
                )
            }
            // The whole company's: a customer has an owner exactly when it is not in the
            // shared pool (`Sharing::for_owners`), which the index answers alone.
            WorkbenchScope::Team if AuthorScope::team(actor) == AuthorScope::Everyone => (
                "customers c".to_string(),
                format!("c.sharing <> '{}'", Sharing::Shared.code()),
            ),
            WorkbenchScope::Team => {
                let (in_team, more) = crate::access::records::people(
                    &AuthorScope::team(actor),
                    "wo.user_id",
                    values.len() + 1,
                );
                values.extend(more);
                (
                    "customers c".to_string(),
                    format!(
                        "EXISTS (SELECT 1 FROM customer_owners wo WHERE wo.customer_id = c.id AND {in_team})"
                    ),
                )
            }
        };
        let first = values.len() + 1;
        values.extend([
            w.today_range.0,
            w.today_range.1,
            w.tomorrow_range.1,
            w.week_start,
            w.month_start,
        ]);
        let (today, tomorrow, after, week, month) =
            (first, first + 1, first + 2, first + 3, first + 4);
        // Rotting: last contact (or creation) before the stage's cutoff; the stage keys
        // are bound after every number.
        let mut cutoffs = Vec::new();
        let mut keys = Vec::new();
        for (key, cutoff) in rotting {
            values.push(*cutoff);
            keys.push(key.clone());
            cutoffs.push(values.len());
        }
        let whens: Vec<String> = cutoffs
            .iter()
            .enumerate()
            .map(|(i, at)| format!("WHEN c.stage = ${} THEN ${at}", values.len() + i + 1))
            .collect();
        let rotting_sql = if whens.is_empty() {
            "CAST(0 AS BIGINT)".to_string()
        } else {
            format!(
                "SUM(CASE WHEN COALESCE(c.last_contacted_at, c.created_at) < (CASE {} ELSE NULL END) THEN 1 ELSE 0 END)",
                whens.join(" ")
            )
        };
        let sql = format!(
            "SELECT c.stage AS stage, COUNT(*) AS customers, \
             SUM(CASE WHEN c.next_revisit_at >= ${today} AND c.next_revisit_at < ${tomorrow} THEN 1 ELSE 0 END) AS revisit_today, \
             SUM(CASE WHEN c.next_revisit_at >= ${tomorrow} AND c.next_revisit_at < ${after} THEN 1 ELSE 0 END) AS revisit_tomorrow, \
             SUM(CASE WHEN c.next_revisit_at < ${today} THEN 1 ELSE 0 END) AS overdue, \
             SUM(CASE WHEN c.last_contacted_at >= ${today} THEN 1 ELSE 0 END) AS contacted_today, \
             SUM(CASE WHEN c.last_contacted_at >= ${week} THEN 1 ELSE 0 END) AS contacted_week, \
             SUM(CASE WHEN c.last_contacted_at >= ${month} THEN 1 ELSE 0 END) AS contacted_month, \
             {rotting_sql} AS rotting \
             FROM {from} WHERE {visible} AND {ownership} GROUP BY c.stage"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for v in &values {
            q = q.bind(*v);
        }
        for k in &keys {
            q = q.bind(k.clone());
        }
        let rows = q.fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|r| {
                Ok(StageCounts {
                    stage: text(r, "stage")?,
                    customers: int(r, "customers")?,
                    revisit_today: int(r, "revisit_today")?,
                    revisit_tomorrow: int(r, "revisit_tomorrow")?,
                    overdue: int(r, "overdue")?,
                    contacted_today: int(r, "contacted_today")?,
                    contacted_week: int(r, "contacted_week")?,
                    contacted_month: int(r, "contacted_month")?,
                    rotting: int(r, "rotting")?,
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }
}
