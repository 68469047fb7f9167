//! Search over mail and customers (FIND-1, MAIL-9): a tantivy index per app node, with
//! Chinese word segmentation, kept current from the database's change log
//! (`search_changes`, written by triggers), rebuilt from the store when asked.

pub mod analyzer;
pub mod feed;
mod index;
mod query;
mod schema;
mod search;
mod snippet;

use std::sync::Arc;
use std::time::Duration;

pub use index::{IndexStatus, SearchIndex, Sort};
pub use search::{
    CustomerResult, MAX_LIMIT, MAX_OFFSET, MailResult, Results, SearchOptions, Section,
};
use wharf_store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index: a task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
    /// Another process holds this index (a running server, for the CLI).
    #[error("the search index is in use by another process")]
    Busy,
    /// A filter names something that does not exist (or the actor may not see).
    #[error("unknown {filter}: {value}")]
    Unknown { filter: &'static str, value: String },
}

pub type Result<T> = std::result::Result<T, Error>;

/// How often a node looks at the change log.
pub const POLL: Duration = Duration::from_millis(500);
/// Log rows older than this are pruned; a node further behind rebuilds.
pub const KEEP_LOG: Duration = Duration::from_secs(14 * 86_400);

/// Keeps `index` current until `stop` is notified: catches up every `POLL`, prunes the
/// log once an hour. Errors are logged and retried.
pub async fn run_indexer(index: Arc<SearchIndex>, store: Store, stop: Arc<tokio::sync::Notify>) {
    analyzer::warm_up();
    let mut last_prune: Option<std::time::Instant> = None;
    loop {
        if let Err(e) = index.catch_up(&store).await {
            tracing::warn!(error = %e, "search index: catching up failed");
        }
        if last_prune.is_none_or(|t| t.elapsed() > Duration::from_secs(3600)) {
            last_prune = Some(std::time::Instant::now());
            let before = wharf_store::now() - KEEP_LOG.as_secs() as i64;
            if let Err(e) = store.prune_search_changes(before).await {
                tracing::warn!(error = %e, "search index: pruning the change log failed");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = stop.notified() => break,
        }
    }
}
