//! The workbench's counts (PIPE-2): per stage, the customers to revisit today, tomorrow
//! or overdue, and those contacted today, this week, this month — of the actor's own
//! customers, the team's in their scope, or one person's in it. One grouped query over
//! `customers.next_revisit_at` / `last_contacted_at`, which the record writes keep.

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
}

impl Store {
    /// The counts per stage that has customers in the scope (stages without any are
    /// left out; the page lists every stage).
    pub async fn workbench_counts(
        &self,
        actor: &Actor,
        scope: WorkbenchScope,
        w: &Windows,
    ) -> Result<Vec<StageCounts>> {
        actor.require(Permission::Customers)?;
        let (visible, mut values) = crate::customers::visible_condition(actor, 1);
        let people = match scope {
            WorkbenchScope::Mine => AuthorScope::mine(actor),
            WorkbenchScope::Team | WorkbenchScope::Person(_) => AuthorScope::team(actor),
        };
        let (owners, more) = crate::access::records::people(
            &people,
            "wo.user_id",
            "wu.department_id",
            values.len() + 1,
        );
        values.extend(more);
        let person = match scope {
            WorkbenchScope::Person(id) => {
                values.push(id);
                format!(" AND wo.user_id = ${}", values.len())
            }
            _ => String::new(),
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
        let sql = format!(
            "SELECT c.stage AS stage, COUNT(*) AS customers, \
             SUM(CASE WHEN c.next_revisit_at >= ${today} AND c.next_revisit_at < ${tomorrow} THEN 1 ELSE 0 END) AS revisit_today, \
             SUM(CASE WHEN c.next_revisit_at >= ${tomorrow} AND c.next_revisit_at < ${after} THEN 1 ELSE 0 END) AS revisit_tomorrow, \
             SUM(CASE WHEN c.next_revisit_at < ${today} THEN 1 ELSE 0 END) AS overdue, \
             SUM(CASE WHEN c.last_contacted_at >= ${today} THEN 1 ELSE 0 END) AS contacted_today, \
             SUM(CASE WHEN c.last_contacted_at >= ${week} THEN 1 ELSE 0 END) AS contacted_week, \
             SUM(CASE WHEN c.last_contacted_at >= ${month} THEN 1 ELSE 0 END) AS contacted_month \
             FROM customers c WHERE {visible} AND EXISTS (SELECT 1 FROM customer_owners wo \
             JOIN users wu ON wu.id = wo.user_id WHERE wo.customer_id = c.id AND {owners}{person}) \
             GROUP BY c.stage"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for v in &values {
            q = q.bind(*v);
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
                })
            })
            .collect::<sqlx::Result<_>>()?)
    }
}
