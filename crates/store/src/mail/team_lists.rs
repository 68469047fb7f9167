//! The Follow-up and Handed-to-me lists and their counts by Mine / Team (issue 17), like
//! the Inbox: Mine is the accounts the user handles and mail handed to her; Team is the
//! others' accounts her scope lets her see (one person's, when chosen) and mail handed
//! to those people that she may read.

use sqlx::Row;
use wharf_core::Actor;
use wharf_core::policy::MessageScope;

use crate::access::mail::{handed_condition, handed_to_any_condition, message_condition};
use crate::mail::notes::FollowUp;
use crate::mail::view::{MailScope, MessageSummary, SUMMARY_COLUMNS, summary};
use crate::rows::placeholders;
use crate::{Result, Store};

/// Rows a list shows at most (as the unscoped lists).
const LIMIT: i64 = 500;

impl Store {
    /// Follow-ups over the accounts of `scope`, soonest first.
    pub async fn list_follow_ups_in(
        &self,
        actor: &Actor,
        scope: MailScope,
    ) -> Result<Vec<FollowUp>> {
        let accounts = self.scoped_account_ids(actor, scope).await?;
        if accounts.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, m.follow_up_at, m.follow_up_note FROM messages m \
             WHERE m.follow_up_at IS NOT NULL AND m.deleted_at IS NULL \
             AND m.account_id IN ({}) ORDER BY m.follow_up_at, m.id LIMIT {LIMIT}",
            placeholders(1, accounts.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for a in &accounts {
            q = q.bind(*a);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(FollowUp {
                    summary: summary(r)?,
                    at: r.try_get::<Option<i64>, _>("follow_up_at")?.unwrap_or(0),
                    note: r
                        .try_get::<Option<String>, _>("follow_up_note")?
                        .unwrap_or_default(),
                })
            })
            .collect::<sqlx::Result<_>>()
            .map_err(Into::into)
    }

    /// Whose hand-overs a scope shows: the user herself for Mine; for Team the owners
    /// of the team's accounts (one, when chosen), never herself.
    async fn handed_people(&self, actor: &Actor, scope: MailScope) -> Result<Vec<i64>> {
        if scope == MailScope::Mine {
            return Ok(vec![actor.user_id]);
        }
        let accounts = self.scoped_account_ids(actor, scope).await?;
        if accounts.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
            "SELECT DISTINCT owner_id FROM mail_accounts WHERE owner_id IS NOT NULL AND owner_id <> $1 \
             AND id IN ({})",
            placeholders(2, accounts.len())
        )))
        .bind(actor.user_id);
        for a in &accounts {
            q = q.bind(*a);
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    /// The condition and values for the hand-overs of `scope` the actor may read.
    async fn handed_in(
        &self,
        actor: &Actor,
        scope: MailScope,
    ) -> Result<Option<(String, Vec<i64>)>> {
        if scope == MailScope::Mine {
            return Ok(Some((handed_condition(1), vec![actor.user_id])));
        }
        let people = self.handed_people(actor, scope).await?;
        if people.is_empty() {
            return Ok(None);
        }
        let handed = handed_to_any_condition(1, people.len());
        let (readable, values) = message_condition(&MessageScope::of(actor), 1 + people.len());
        let mut all = people;
        all.extend(values);
        Ok(Some((format!("{handed} AND {readable}"), all)))
    }

    /// Mail handed over within `scope`, newest first.
    pub async fn list_handed_in(
        &self,
        actor: &Actor,
        scope: MailScope,
    ) -> Result<Vec<MessageSummary>> {
        let Some((condition, values)) = self.handed_in(actor, scope).await? else {
            return Ok(Vec::new());
        };
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS} FROM messages m WHERE m.deleted_at IS NULL AND {condition} \
             ORDER BY m.received_at DESC, m.id DESC LIMIT {LIMIT}"
        )));
        for v in values {
            q = q.bind(v);
        }
        let rows = q.fetch_all(&self.pool).await?;
        Ok(rows.iter().map(summary).collect::<sqlx::Result<_>>()?)
    }

    /// How many are in [`Self::list_handed_in`] (the count beside "Handed").
    pub async fn handed_count_in(&self, actor: &Actor, scope: MailScope) -> Result<i64> {
        let Some((condition, values)) = self.handed_in(actor, scope).await? else {
            return Ok(0);
        };
        let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM messages m WHERE m.deleted_at IS NULL AND {condition}"
        )));
        for v in values {
            q = q.bind(v);
        }
        Ok(q.fetch_one(&self.pool).await?)
    }
}
