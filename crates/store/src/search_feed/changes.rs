//! The search index's change log (FIND-1): the rows the triggers of migration 0008
//! write, the rebuild generation, the database clock that tells how far the log can be
//! trusted, and pruning.

use sqlx::any::AnyRow;

use crate::rows::{int, text};
use crate::{Result, Store};

/// One row of `search_changes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub kind: EntityKind,
    pub entity_id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Message,
    Customer,
}

/// `search_state`: the rebuild generation and how far the log was pruned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchState {
    pub generation: i64,
    pub pruned_through: i64,
}

fn change(row: &AnyRow) -> sqlx::Result<Change> {
    Ok(Change {
        seq: int(row, "seq")?,
        kind: if text(row, "kind")? == "c" {
            EntityKind::Customer
        } else {
            EntityKind::Message
        },
        entity_id: int(row, "entity_id")?,
    })
}

impl Store {
    /// Log rows after `seq`, oldest first.
    pub async fn search_changes_after(&self, seq: i64, limit: i64) -> Result<Vec<Change>> {
        let rows = sqlx::query(
            "SELECT seq, kind, entity_id FROM search_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(change).collect::<sqlx::Result<_>>()?)
    }

    /// Log rows inside these inclusive ranges (gaps an unfinished transaction may
    /// fill), oldest first, at most `limit`.
    pub async fn search_changes_in(
        &self,
        ranges: &[(i64, i64)],
        limit: i64,
    ) -> Result<Vec<Change>> {
        let mut out = Vec::new();
        for chunk in ranges.chunks(50) {
            let cond = (0..chunk.len())
                .map(|i| format!("(seq BETWEEN ${} AND ${})", 2 * i + 1, 2 * i + 2))
                .collect::<Vec<_>>()
                .join(" OR ");
            let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT seq, kind, entity_id FROM search_changes WHERE {cond} ORDER BY seq LIMIT ${}",
                2 * chunk.len() + 1
            )));
            for (lo, hi) in chunk {
                q = q.bind(*lo).bind(*hi);
            }
            for row in q.bind(limit).fetch_all(&self.pool).await? {
                out.push(change(&row)?);
            }
            if out.len() as i64 >= limit {
                break;
            }
        }
        out.truncate(limit.max(0) as usize);
        Ok(out)
    }

    /// The database's clock and the start of its oldest running client transaction, in
    /// ms (PostgreSQL); SQLite (one writer at a time, no gaps) cannot tell.
    pub async fn search_clock(&self) -> Result<(i64, Option<i64>, bool)> {
        if self.backend() == crate::Backend::Postgres {
            let (now, oldest): (i64, Option<i64>) = sqlx::query_as(
                "SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT, \
                 (EXTRACT(EPOCH FROM MIN(xact_start)) * 1000)::BIGINT \
                 FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
            )
            .fetch_one(&self.pool)
            .await?;
            return Ok((now, oldest, true));
        }
        Ok((crate::now() * 1000, None, false))
    }

    /// The newest log row's number, 0 for an empty log.
    pub async fn search_log_head(&self) -> Result<i64> {
        let head: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM search_changes")
            .fetch_one(&self.pool)
            .await?;
        Ok(head.unwrap_or(0))
    }

    /// The newest log row written before `at` (0 if none).
    pub async fn search_log_head_before(&self, at: i64) -> Result<i64> {
        let head: Option<i64> =
            sqlx::query_scalar("SELECT MAX(seq) FROM search_changes WHERE at < $1")
                .bind(at)
                .fetch_one(&self.pool)
                .await?;
        Ok(head.unwrap_or(0))
    }

    pub async fn search_state(&self) -> Result<SearchState> {
        let (generation, pruned_through): (i64, i64) =
            sqlx::query_as("SELECT generation, pruned_through FROM search_state WHERE id = 1")
                .fetch_one(&self.pool)
                .await?;
        Ok(SearchState {
            generation,
            pruned_through,
        })
    }

    /// Asks every node to rebuild its index; returns the new generation.
    pub async fn request_search_rebuild(&self) -> Result<i64> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE search_state SET generation = generation + 1 WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        let generation: i64 =
            sqlx::query_scalar("SELECT generation FROM search_state WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(generation)
    }

    /// Deletes log rows written before `at`; a node whose index is older rebuilds.
    pub async fn prune_search_changes(&self, before_at: i64) -> Result<u64> {
        let mut tx = self.begin().await?;
        let through: Option<i64> =
            sqlx::query_scalar("SELECT MAX(seq) FROM search_changes WHERE at < $1")
                .bind(before_at)
                .fetch_one(&mut *tx)
                .await?;
        let Some(through) = through else {
            return Ok(0);
        };
        let done = sqlx::query("DELETE FROM search_changes WHERE seq <= $1")
            .bind(through)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query(
            "UPDATE search_state SET pruned_through = $1 WHERE id = 1 AND pruned_through < $1",
        )
        .bind(through)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done)
    }

    /// The log numbers present in `(from, to]`.
    pub async fn search_seqs_between(&self, from: i64, to: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT seq FROM search_changes WHERE seq > $1 AND seq <= $2 ORDER BY seq",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?)
    }
}
