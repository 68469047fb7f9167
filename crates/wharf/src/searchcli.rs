//! `wharf search …` and the search index `serve` opens: `DATA_DIR/search`, one per app
//! node (see ARCHITECTURE.md, Search).

use std::time::Instant;

use wharf_search::{Error as SearchError, SearchIndex};
use wharf_store::Store;

use crate::config::Config;

/// Indexing memory for the server's writer (split between its threads).
const HEAP_BYTES: usize = 200_000_000;

/// Opens this node's index, or says plainly why not.
pub fn open(config: &Config) -> anyhow::Result<SearchIndex> {
    let dir = config.data_dir.join("search");
    SearchIndex::open(&dir, HEAP_BYTES).map_err(|e| match e {
        SearchError::Busy => anyhow::anyhow!(
            "the search index in {} is in use by another process (is another `wharf serve` running on this data directory?)",
            dir.display()
        ),
        e => anyhow::anyhow!("cannot open the search index in {}: {e}", dir.display()),
    })
}

pub async fn rebuild(store: &Store, config: &Config) -> anyhow::Result<()> {
    let generation = store.request_search_rebuild().await?;
    let dir = config.data_dir.join("search");
    match SearchIndex::open(&dir, HEAP_BYTES) {
        Ok(index) => {
            let started = Instant::now();
            let n = index.rebuild(store).await?;
            let secs = started.elapsed().as_secs_f64();
            println!(
                "search index rebuilt: {n} documents in {secs:.1} s ({:.0} documents/s); other app nodes rebuild theirs (generation {generation})",
                n as f64 / secs.max(0.001)
            );
        }
        Err(SearchError::Busy) => println!(
            "a running server holds the index in {}: it and every other app node rebuild now (generation {generation})",
            dir.display()
        ),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

pub async fn status(store: &Store, config: &Config) -> anyhow::Result<()> {
    let state = store.search_state().await?;
    let head = store.search_log_head().await?;
    println!(
        "change log: last change {head}, generation {}, pruned through {}",
        state.generation, state.pruned_through
    );
    let dir = config.data_dir.join("search");
    if !dir.join("meta.json").exists() {
        println!(
            "index {}: not built yet (`wharf serve` builds it)",
            dir.display()
        );
        return Ok(());
    }
    match SearchIndex::open(&dir, 15_000_000) {
        Ok(index) => {
            let s = index.status();
            if s.building && s.documents == 0 {
                println!(
                    "index {}: not built yet (`wharf serve` builds it)",
                    dir.display()
                );
            } else if s.building {
                println!(
                    "index {}: first build under way, {} documents so far (`wharf serve` goes on with it)",
                    dir.display(),
                    s.documents
                );
            } else {
                println!(
                    "index {}: {} documents, generation {}, up to change {} ({} behind)",
                    dir.display(),
                    s.documents,
                    s.generation,
                    s.applied,
                    (head - s.applied).max(0)
                );
            }
        }
        Err(SearchError::Busy) => {
            println!("index {}: held by a running server", dir.display())
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
