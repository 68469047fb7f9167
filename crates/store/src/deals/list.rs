//! The opportunities list (商机): the actor's own (owner or collaborator) or their team's
//! (owners in their data scope), among those whose customer they may see; filtered by
//! owner, status, stage, customer, words, rotting and revisit day; paged. The board and
//! the workbench share its conditions.

use wharf_core::policy::AuthorScope;
use wharf_core::{Actor, Permission};

use super::Opportunity;
use super::read::renumber;
use super::sql::{Filter, Value, bind};
use crate::rows::like_pattern;
use crate::{Page, Result, Store};

/// Mine (owner or collaborator) or the team's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Mine,
    Team,
}

#[derive(Debug, Clone, Default)]
pub struct OpportunityQuery {
    pub view: View,
    /// One owner (inside the view; anyone else matches nothing).
    pub owner: Option<i64>,
    pub status: Option<String>,
    pub pipeline: Option<i64>,
    pub stage: Option<i64>,
    pub customer: Option<i64>,
    /// Words in the title, the customer's name or the competitors.
    pub text: Option<String>,
    /// Only selling ones without activity for their stage's rotting days, at this time.
    pub rotting_at: Option<i64>,
    /// Only selling ones to revisit on this day (YYYY-MM-DD).
    pub revisit_on: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

/// The activity time of a row: its own or its customer's last contact, the later.
pub(super) const ACTIVITY: &str = "(CASE WHEN c.last_contacted_at > o.activity_at THEN c.last_contacted_at ELSE o.activity_at END)";

/// The query's conditions (without the customer's visibility, which the reader adds).
pub(super) fn conditions(actor: &Actor, q: &OpportunityQuery) -> Filter {
    let mut f = Filter::default();
    match q.view {
        View::Mine => {
            let n = f.next();
            f.conditions.push(format!(
                "(o.owner_id = ${n} OR EXISTS (SELECT 1 FROM opportunity_collaborators oc \
                 WHERE oc.opportunity_id = o.id AND oc.user_id = ${n}))"
            ));
            f.values.push(Value::Int(actor.user_id));
        }
        View::Team => {
            f.push_rendered(crate::access::records::people(
                &AuthorScope::team(actor),
                "o.owner_id",
                f.next(),
            ));
        }
    }
    for (value, column) in [
        (q.owner, "o.owner_id"),
        (q.pipeline, "o.pipeline_id"),
        (q.stage, "o.stage_id"),
        (q.customer, "o.customer_id"),
    ] {
        if let Some(v) = value {
            f.int(column, "=", v);
        }
    }
    if let Some(s) = q.status.as_deref().filter(|s| !s.is_empty()) {
        f.text("o.status", "=", s.to_string());
    }
    if let Some(t) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let n = f.next();
        f.conditions.push(format!(
            "(LOWER(o.title) LIKE ${n} ESCAPE '\\' OR LOWER(c.name) LIKE ${n} ESCAPE '\\' \
             OR LOWER(o.competitors) LIKE ${n} ESCAPE '\\')"
        ));
        f.values.push(Value::Text(like_pattern(t)));
    }
    if let Some(at) = q.rotting_at {
        let n = f.next();
        f.conditions.push(format!(
            "o.status = 'selling' AND s.rotting_days IS NOT NULL AND {ACTIVITY} < ${n} - s.rotting_days * 86400"
        ));
        f.values.push(Value::Int(at));
    }
    if let Some(day) = &q.revisit_on {
        f.text("o.status", "=", "selling".into());
        f.text("o.next_revisit", "=", day.clone());
    }
    f
}

impl Store {
    pub async fn list_opportunities(
        &self,
        actor: &Actor,
        q: &OpportunityQuery,
    ) -> Result<Page<Opportunity>> {
        actor.require(Permission::Customers)?;
        let per_page = q.per_page.clamp(1, 10_000);
        let page = q.page.max(1);
        let total = self
            .count_opportunities(actor, conditions(actor, q))
            .await?;
        let items = self
            .opportunities_where(
                actor,
                conditions(actor, q),
                "o.activity_at DESC, o.id DESC",
                per_page,
                (page - 1) * per_page,
            )
            .await?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }

    /// How many opportunities match `extra` among those the actor may see.
    pub(super) async fn count_opportunities(&self, actor: &Actor, extra: Filter) -> Result<i64> {
        let mut f = Filter::default();
        f.push_rendered(crate::customers::visible_condition(actor, 1));
        let shift = f.values.len();
        f.conditions
            .extend(extra.conditions.iter().map(|c| renumber(c, shift)));
        f.values.extend(extra.values);
        let sql = format!(
            "SELECT COUNT(*) FROM opportunities o JOIN customers c ON c.id = o.customer_id \
             JOIN pipeline_stages s ON s.id = o.stage_id WHERE {}",
            f.sql()
        );
        Ok(bind(
            sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql)),
            &f.values,
        )
        .fetch_one(&self.pool)
        .await?
        .0)
    }
}
