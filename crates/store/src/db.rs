//! Connecting to SQLite or PostgreSQL through sqlx's `Any` driver.

use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

use crate::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database handle shared by the whole process; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
}

/// Seconds since the Unix epoch: every timestamp column holds this.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Store {
    /// Opens (creating if needed) the database at `url`: `sqlite://PATH` or
    /// `postgres://…`. Does not migrate; call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Store> {
        install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(crate::StoreError::Other(format!(
                "unsupported database URL (use sqlite:// or postgres://): {}",
                url.split(':').next().unwrap_or("")
            )));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_string(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the single writer; busy_timeout makes a
                        // writer wait for the lock instead of failing at once.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        Ok(Store { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A transaction that may write. On SQLite it takes the write lock at its start
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads before it writes fails at
    /// once with "database is locked" when another connection (the sync worker) wrote in
    /// between, instead of waiting its turn under `busy_timeout`.
    pub(crate) async fn begin(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// A cheap query that proves the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl Store {
    /// Every (table, column) of the schema, sorted: the test that both backends end at the
    /// same schema compares these.
    pub async fn schema_columns(&self) -> Result<Vec<(String, String)>> {
        let mut cols: Vec<(String, String)> = match self.backend {
            Backend::Postgres => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'",
                )
                .fetch_all(&self.pool)
                .await?
            }
            Backend::Sqlite => {
                sqlx::query_as(
                    "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
                )
                .fetch_all(&self.pool)
                .await?
            }
        };
        cols.sort();
        Ok(cols)
    }
}
