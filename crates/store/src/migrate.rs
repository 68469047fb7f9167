//! Embedded migrations, run at start-up. Each migration has the same name on both
//! backends and its own SQL per dialect; some are followed by a seed step in Rust that
//! runs in the same transaction.

use sqlx::{Any, Transaction};

use crate::db::{Backend, Store, now};
use crate::{Result, StoreError};

pub struct Migration {
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        name: "0001_foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        name: "0002_mail",
        sqlite: include_str!("../migrations/sqlite/0002_mail.sql"),
        postgres: include_str!("../migrations/postgres/0002_mail.sql"),
    },
    Migration {
        name: "0003_mail_handling",
        sqlite: include_str!("../migrations/sqlite/0003_mail_handling.sql"),
        postgres: include_str!("../migrations/postgres/0003_mail_handling.sql"),
    },
    Migration {
        name: "0004_customers",
        sqlite: include_str!("../migrations/sqlite/0004_customers.sql"),
        postgres: include_str!("../migrations/postgres/0004_customers.sql"),
    },
    Migration {
        name: "0005_custom_fields",
        sqlite: include_str!("../migrations/sqlite/0005_custom_fields.sql"),
        postgres: include_str!("../migrations/postgres/0005_custom_fields.sql"),
    },
    Migration {
        name: "0006_mail_links",
        sqlite: include_str!("../migrations/sqlite/0006_mail_links.sql"),
        postgres: include_str!("../migrations/postgres/0006_mail_links.sql"),
    },
    Migration {
        name: "0007_pending_senders",
        sqlite: include_str!("../migrations/sqlite/0007_pending_senders.sql"),
        postgres: include_str!("../migrations/postgres/0007_pending_senders.sql"),
    },
    Migration {
        name: "0008_search",
        sqlite: include_str!("../migrations/sqlite/0008_search.sql"),
        postgres: include_str!("../migrations/postgres/0008_search.sql"),
    },
    Migration {
        name: "0009_search_custom_fields",
        sqlite: include_str!("../migrations/sqlite/0009_search_custom_fields.sql"),
        postgres: include_str!("../migrations/postgres/0009_search_custom_fields.sql"),
    },
    Migration {
        name: "0010_search_tags",
        sqlite: include_str!("../migrations/sqlite/0010_search_tags.sql"),
        postgres: include_str!("../migrations/postgres/0010_search_tags.sql"),
    },
    Migration {
        name: "0011_message_auth",
        sqlite: include_str!("../migrations/sqlite/0011_message_auth.sql"),
        postgres: include_str!("../migrations/postgres/0011_message_auth.sql"),
    },
    Migration {
        name: "0012_rate_limits",
        sqlite: include_str!("../migrations/sqlite/0012_rate_limits.sql"),
        postgres: include_str!("../migrations/postgres/0012_rate_limits.sql"),
    },
    Migration {
        name: "0013_message_defect",
        sqlite: include_str!("../migrations/sqlite/0013_message_defect.sql"),
        postgres: include_str!("../migrations/postgres/0013_message_defect.sql"),
    },
    Migration {
        name: "0014_import_row_count",
        sqlite: include_str!("../migrations/sqlite/0014_import_row_count.sql"),
        postgres: include_str!("../migrations/postgres/0014_import_row_count.sql"),
    },
    Migration {
        name: "0015_blob_sweep_indexes",
        sqlite: include_str!("../migrations/sqlite/0015_blob_sweep_indexes.sql"),
        postgres: include_str!("../migrations/postgres/0015_blob_sweep_indexes.sql"),
    },
    Migration {
        name: "0016_job_runner",
        sqlite: include_str!("../migrations/sqlite/0016_job_runner.sql"),
        postgres: include_str!("../migrations/postgres/0016_job_runner.sql"),
    },
    Migration {
        name: "0017_time_zone",
        sqlite: include_str!("../migrations/sqlite/0017_time_zone.sql"),
        postgres: include_str!("../migrations/postgres/0017_time_zone.sql"),
    },
    Migration {
        name: "0018_transfer_requests",
        sqlite: include_str!("../migrations/sqlite/0018_transfer_requests.sql"),
        postgres: include_str!("../migrations/postgres/0018_transfer_requests.sql"),
    },
    Migration {
        name: "0019_pipelines",
        sqlite: include_str!("../migrations/sqlite/0019_pipelines.sql"),
        postgres: include_str!("../migrations/postgres/0019_pipelines.sql"),
    },
    Migration {
        name: "0020_contact_records",
        sqlite: include_str!("../migrations/sqlite/0020_contact_records.sql"),
        postgres: include_str!("../migrations/postgres/0020_contact_records.sql"),
    },
    Migration {
        name: "0021_imap_mirror",
        sqlite: include_str!("../migrations/sqlite/0021_imap_mirror.sql"),
        postgres: include_str!("../migrations/postgres/0021_imap_mirror.sql"),
    },
    Migration {
        name: "0022_job_rerun",
        sqlite: include_str!("../migrations/sqlite/0022_job_rerun.sql"),
        postgres: include_str!("../migrations/postgres/0022_job_rerun.sql"),
    },
    Migration {
        name: "0023_exchange_rates",
        sqlite: include_str!("../migrations/sqlite/0023_exchange_rates.sql"),
        postgres: include_str!("../migrations/postgres/0023_exchange_rates.sql"),
    },
    Migration {
        name: "0024_products",
        sqlite: include_str!("../migrations/sqlite/0024_products.sql"),
        postgres: include_str!("../migrations/postgres/0024_products.sql"),
    },
    Migration {
        name: "0025_opportunities",
        sqlite: include_str!("../migrations/sqlite/0025_opportunities.sql"),
        postgres: include_str!("../migrations/postgres/0025_opportunities.sql"),
    },
    Migration {
        name: "0026_quotes",
        sqlite: include_str!("../migrations/sqlite/0026_quotes.sql"),
        postgres: include_str!("../migrations/postgres/0026_quotes.sql"),
    },
    Migration {
        name: "0027_orders",
        sqlite: include_str!("../migrations/sqlite/0027_orders.sql"),
        postgres: include_str!("../migrations/postgres/0027_orders.sql"),
    },
    Migration {
        name: "0028_sales_aids",
        sqlite: include_str!("../migrations/sqlite/0028_sales_aids.sql"),
        postgres: include_str!("../migrations/postgres/0028_sales_aids.sql"),
    },
    Migration {
        name: "0029_stage_quotas",
        sqlite: include_str!("../migrations/sqlite/0029_stage_quotas.sql"),
        postgres: include_str!("../migrations/postgres/0029_stage_quotas.sql"),
    },
];

/// Lock key for `pg_advisory_lock`, so that two app nodes starting at once do not both
/// migrate.
const PG_MIGRATION_LOCK: i64 = 0x0057_4841_5246; // "WHARF"

impl Store {
    /// Applies every migration not yet applied; returns the names applied now.
    pub async fn migrate(&self) -> Result<Vec<&'static str>> {
        let mut conn = self.pool.acquire().await?;
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(PG_MIGRATION_LOCK)
                .execute(&mut *conn)
                .await?;
        }
        let result = self.migrate_locked().await;
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(PG_MIGRATION_LOCK)
                .execute(&mut *conn)
                .await?;
        }
        result
    }

    async fn migrate_locked(&self) -> Result<Vec<&'static str>> {
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .execute(&self.pool)
        .await?;
        let applied: Vec<String> = sqlx::query_scalar("SELECT name FROM schema_migrations")
            .fetch_all(&self.pool)
            .await?;
        let mut done = Vec::new();
        for m in MIGRATIONS {
            if applied.iter().any(|a| a == m.name) {
                continue;
            }
            let sql = match self.backend() {
                Backend::Sqlite => m.sqlite,
                Backend::Postgres => m.postgres,
            };
            let fail = |source| StoreError::Migration {
                name: m.name,
                source,
            };
            let mut tx = self.begin().await.map_err(fail)?;
            sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(fail)?;
            seed_after(m.name, &mut tx).await.map_err(fail)?;
            sqlx::query("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)")
                .bind(m.name)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
            tx.commit().await.map_err(fail)?;
            tracing::info!(migration = m.name, "applied migration");
            done.push(m.name);
        }
        Ok(done)
    }
}

async fn seed_after(name: &str, tx: &mut Transaction<'static, Any>) -> sqlx::Result<()> {
    match name {
        "0001_foundation" => crate::seed::foundation(tx).await,
        "0006_mail_links" => crate::mail::links::backfill(tx).await,
        "0017_time_zone" => crate::settings::offset_to_zone(tx).await,
        _ => Ok(()),
    }
}
