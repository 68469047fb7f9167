//! One node's index: opened from `DATA_DIR/search` (or memory, for tests), kept current
//! from the change log by `catch_up`, rebuilt from the store when asked, when its
//! version or generation is old, or when it cannot be opened. Every commit records the
//! log position it reached, so a crash loses nothing: the next start re-applies from
//! the last commit.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, Term};
use wharf_store::Store;
use wharf_store::search_feed::{Change, EntityKind};

use crate::analyzer::{TEXT, text_analyzer};
use crate::feed::{Clock, Feed, GAP_WAIT_MS};
use crate::schema::{Fields, SCHEMA_VERSION};
use crate::{Error, Result};

/// Log rows applied per step.
const BATCH: i64 = 2_000;
/// Documents read from the store per step of a rebuild.
const REBUILD_PAGE: i64 = 1_000;
/// Documents a first build writes between commits (see `Building`).
const BUILD_COMMIT_EVERY: usize = 50_000;

/// What an index commit records.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
struct Payload {
    version: i64,
    generation: i64,
    applied: i64,
    /// A first build still under way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    building: Option<Building>,
}

/// How far a first build (of an empty index) has come. Such a build commits as it
/// goes, so that searches find what is done and a crash does not start it again: it
/// resumes after these ids. `applied` is then where the log stood at its start (ten
/// minutes back), and the log is applied again from there when the build is done — a
/// document written before it changed is written again.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
struct Building {
    mail_after: i64,
    customers_after: i64,
}

/// Where the index stands (for status pages, tests and the CLI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexStatus {
    pub generation: i64,
    pub applied: i64,
    pub documents: u64,
    /// Not built yet, or a first build under way: searches find only part of the store.
    pub building: bool,
}

struct WriterState {
    writer: IndexWriter,
    generation: i64,
    feed: Feed,
    /// What the last commit recorded; `None` before the first one.
    committed: Option<Payload>,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    pub(crate) fields: Fields,
    state: Arc<Mutex<WriterState>>,
    /// One catch-up or rebuild at a time.
    indexing: tokio::sync::Mutex<()>,
    build_commit_every: usize,
    /// What the last commit said of a first build (read by searches without the lock
    /// that indexing holds).
    building: AtomicBool,
}

async fn clock(store: &Store) -> Result<Clock> {
    let (now_ms, oldest_transaction_ms, knows_transactions) = store.search_clock().await?;
    Ok(Clock {
        now_ms,
        oldest_transaction_ms,
        knows_transactions,
    })
}

/// How a sort orders results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Relevance, with recent documents lifted.
    #[default]
    Relevance,
    Newest,
}

fn lock(state: &Mutex<WriterState>) -> MutexGuard<'_, WriterState> {
    // A panic while indexing leaves the state as it was: documents are replaced whole.
    state.lock().unwrap_or_else(|p| p.into_inner())
}

impl SearchIndex {
    /// Opens (or creates) the index in `dir`. An index that cannot be opened, or of an
    /// older version, is started afresh (and filled by the first `catch_up`). Another
    /// process holding the index gives `Error::Busy`.
    pub fn open(dir: &Path, heap_bytes: usize) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = Fields::schema();
        let index = match Index::open_in_dir(dir) {
            Ok(index) if Self::payload_of(&index).is_some_and(|p| p.version == SCHEMA_VERSION) => {
                index
            }
            Ok(_) | Err(_) => {
                if Self::is_locked(dir) {
                    return Err(Error::Busy);
                }
                tracing::info!(dir = %dir.display(), "search index: creating a new index");
                for entry in std::fs::read_dir(dir)? {
                    let path = entry?.path();
                    if path.is_dir() {
                        std::fs::remove_dir_all(&path)?;
                    } else {
                        std::fs::remove_file(&path)?;
                    }
                }
                Index::create_in_dir(dir, schema)?
            }
        };
        Self::with_index(index, fields, heap_bytes)
    }

    /// An index in memory (tests, and a web app started without a data directory).
    pub fn in_memory() -> Result<SearchIndex> {
        let (schema, fields) = Fields::schema();
        Self::with_index(Index::create_in_ram(schema), fields, 20_000_000)
    }

    /// Whether another process holds the writer's lock (a file lock, released when
    /// that process ends however it ends).
    fn is_locked(dir: &Path) -> bool {
        use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};
        match MmapDirectory::open(dir) {
            Ok(d) => d.acquire_lock(&INDEX_WRITER_LOCK).is_err(),
            Err(_) => false,
        }
    }

    fn with_index(index: Index, fields: Fields, heap_bytes: usize) -> Result<SearchIndex> {
        index.tokenizers().register(TEXT, text_analyzer());
        let committed = Self::payload_of(&index);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let writer = index
            .writer_with_num_threads(threads, heap_bytes.max(threads * 15_000_000))
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::Busy,
                e => Error::Index(e),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let applied = committed.map_or(0, |p| p.applied);
        Ok(SearchIndex {
            index,
            reader,
            fields,
            state: Arc::new(Mutex::new(WriterState {
                writer,
                generation: committed.map_or(0, |p| p.generation),
                feed: Feed::new(applied),
                committed,
            })),
            indexing: tokio::sync::Mutex::new(()),
            build_commit_every: BUILD_COMMIT_EVERY,
            building: AtomicBool::new(committed.is_none_or(|p| p.building.is_some())),
        })
    }

    /// How many documents a first build writes between commits (tests use small ones).
    pub fn with_build_commit_every(mut self, documents: usize) -> SearchIndex {
        self.build_commit_every = documents.max(1);
        self
    }

    fn payload_of(index: &Index) -> Option<Payload> {
        let metas = index.load_metas().ok()?;
        serde_json::from_str(metas.payload.as_deref()?).ok()
    }

    pub fn status(&self) -> IndexStatus {
        let state = lock(&self.state);
        IndexStatus {
            generation: state.generation,
            applied: state.committed.map_or(0, |p| p.applied),
            documents: self.reader.searcher().num_docs(),
            building: self.is_building(),
        }
    }

    /// Not built yet, or a first build under way: a search finds only part of the store.
    pub fn is_building(&self) -> bool {
        self.building.load(Ordering::Relaxed)
    }

    /// Brings the index up to the log: applies every change after its position, or
    /// rebuilds it when the store asks for a new generation or pruned the log past it.
    /// Returns how many documents were written.
    pub async fn catch_up(&self, store: &Store) -> Result<usize> {
        let _one = self.indexing.lock().await;
        let state = store.search_state().await?;
        let (generation, mut feed, committed) = {
            let s = lock(&self.state);
            (s.generation, s.feed.clone(), s.committed)
        };
        // A newer generation asked for, the log pruned past this index, or a database
        // older than the index (restored from a backup): start again from the store.
        let head = store.search_log_head().await?;
        if committed.is_none()
            || generation != state.generation
            || feed.applied() < state.pruned_through
            || head.max(state.pruned_through) < feed.applied()
        {
            return self.rebuild_locked(store, state.generation, None).await;
        }
        if let Some(at) = committed.and_then(|p| p.building) {
            return self
                .rebuild_locked(store, generation, Some((feed.applied(), at)))
                .await;
        }
        let mut written = 0;
        loop {
            // The clock first: a gap can close only on rows read after it.
            let clock = clock(store).await?;
            let gaps = feed.gaps();
            let found = if gaps.is_empty() {
                Vec::new()
            } else {
                store.search_changes_in(&gaps, BATCH).await?
            };
            let read = store.search_changes_after(feed.seen(), BATCH).await?;
            let gaps_read_whole = (found.len() as i64) < BATCH;
            let before = feed.applied();
            if read.is_empty() && found.is_empty() {
                feed.record(&[], &[], clock, true);
                if feed.applied() != before {
                    self.commit(generation, feed, None).await?;
                }
                break;
            }
            written += self.apply(store, read.iter().chain(&found)).await?;
            let seqs: Vec<i64> = read.iter().map(|c| c.seq).collect();
            let found_seqs: Vec<i64> = found.iter().map(|c| c.seq).collect();
            feed.record(&seqs, &found_seqs, clock, gaps_read_whole);
            self.commit(generation, feed.clone(), None).await?;
            if (read.len() as i64) < BATCH && (found.len() as i64) < BATCH {
                break;
            }
        }
        Ok(written)
    }

    /// Rebuilds the whole index from the store. Searches keep seeing the old contents
    /// until it is done.
    pub async fn rebuild(&self, store: &Store) -> Result<usize> {
        let _one = self.indexing.lock().await;
        let generation = store.search_state().await?.generation;
        self.rebuild_locked(store, generation, None).await
    }

    /// Fills the index from the store: afresh, or (`resume`: the log position of its
    /// start and how far it came) a first build that was cut short. On an error what was
    /// added since the last commit is dropped, so that the next try (which starts from
    /// that commit) does not add it twice.
    async fn rebuild_locked(
        &self,
        store: &Store,
        generation: i64,
        resume: Option<(i64, Building)>,
    ) -> Result<usize> {
        let built = self.build(store, generation, resume).await;
        if built.is_err() {
            let state = self.state.clone();
            tokio::task::spawn_blocking(move || lock(&state).writer.rollback().map(|_| ()))
                .await??;
        }
        built
    }

    async fn build(
        &self,
        store: &Store,
        generation: i64,
        resume: Option<(i64, Building)>,
    ) -> Result<usize> {
        let (from, mut at, done_feed, first_build) = match resume {
            Some((from, at)) => {
                tracing::info!(generation, ?at, "search index: resuming its first build");
                (from, at, Feed::new(from), true)
            }
            None => {
                // Log rows up to `head` are in what the store holds now, except those of
                // transactions still running; the last ten minutes' are watched as gaps.
                // Pruned rows are old, hence done.
                let pruned = store.search_state().await?.pruned_through;
                let head = store.search_log_head().await?.max(pruned);
                let from = store
                    .search_log_head_before(wharf_store::now() - GAP_WAIT_MS / 1000)
                    .await?
                    .max(pruned);
                let present = store.search_seqs_between(from, head).await?;
                let clock_at_start = clock(store).await?;
                tracing::info!(generation, head, "search index: rebuilding from the store");
                // An empty index, or one whose first build was cut short, has nothing
                // to keep showing: it is built in steps.
                let first_build = self.reader.searcher().num_docs() == 0 || self.is_building();
                lock(&self.state).writer.delete_all_documents()?;
                let feed = Feed::rebuilt(head, from, &present, clock_at_start);
                (from, Building::default(), feed, first_build)
            }
        };
        let (mut written, mut uncommitted) = (0, 0);
        loop {
            let (docs, last) = store.mail_docs_page(at.mail_after, REBUILD_PAGE).await?;
            let Some(last) = last else { break };
            at.mail_after = last;
            (written, uncommitted) = (written + docs.len(), uncommitted + docs.len());
            self.add_documents(docs, Fields::mail_document).await?;
            if first_build && uncommitted >= self.build_commit_every {
                self.commit(generation, Feed::new(from), Some(at)).await?;
                uncommitted = 0;
            }
        }
        loop {
            let (docs, last) = store
                .customer_docs_page(at.customers_after, REBUILD_PAGE)
                .await?;
            let Some(last) = last else { break };
            at.customers_after = last;
            (written, uncommitted) = (written + docs.len(), uncommitted + docs.len());
            self.add_documents(docs, Fields::customer_document).await?;
            if first_build && uncommitted >= self.build_commit_every {
                self.commit(generation, Feed::new(from), Some(at)).await?;
                uncommitted = 0;
            }
        }
        self.commit(generation, done_feed, None).await?;
        tracing::info!(documents = written, "search index: rebuilt");
        Ok(written)
    }

    /// Adds documents (tokenising is the writer threads' work; this hands them over).
    async fn add_documents<T: Send + 'static>(
        &self,
        docs: Vec<T>,
        make: fn(&Fields, &T) -> tantivy::TantivyDocument,
    ) -> Result<()> {
        let fields = self.fields;
        let state = self.state.clone();
        tokio::task::spawn_blocking(move || -> Result<()> {
            let state = lock(&state);
            for d in &docs {
                state.writer.add_document(make(&fields, d))?;
            }
            Ok(())
        })
        .await?
    }

    /// Replaces the documents of the changed messages and customers (deleting those
    /// that are gone).
    async fn apply<'a>(
        &self,
        store: &Store,
        changes: impl Iterator<Item = &'a Change>,
    ) -> Result<usize> {
        let mut messages = BTreeSet::new();
        let mut customers = BTreeSet::new();
        for c in changes {
            match c.kind {
                EntityKind::Message => messages.insert(c.entity_id),
                EntityKind::Customer => customers.insert(c.entity_id),
            };
        }
        let messages: Vec<i64> = messages.into_iter().collect();
        let customers: Vec<i64> = customers.into_iter().collect();
        let mail = store.mail_docs(&messages).await?;
        let people = store.customer_docs(&customers).await?;
        let fields = self.fields;
        let state = self.state.clone();
        let written = messages.len() + customers.len();
        tokio::task::spawn_blocking(move || -> Result<()> {
            let state = lock(&state);
            let w = &state.writer;
            for id in &messages {
                w.delete_term(Term::from_field_text(fields.key, &format!("m{id}")));
            }
            for id in &customers {
                w.delete_term(Term::from_field_text(fields.key, &format!("c{id}")));
            }
            for d in &mail {
                w.add_document(fields.mail_document(d))?;
            }
            for d in &people {
                w.add_document(fields.customer_document(d))?;
            }
            Ok(())
        })
        .await??;
        Ok(written)
    }

    async fn commit(&self, generation: i64, feed: Feed, building: Option<Building>) -> Result<()> {
        let payload = Payload {
            version: SCHEMA_VERSION,
            generation,
            applied: feed.applied(),
            building,
        };
        let state = self.state.clone();
        tokio::task::spawn_blocking(move || -> Result<()> {
            let mut state = lock(&state);
            let text = serde_json::to_string(&payload).unwrap_or_default();
            let mut prepared = state.writer.prepare_commit()?;
            prepared.set_payload(&text);
            prepared.commit()?;
            state.generation = generation;
            state.feed = feed;
            state.committed = Some(payload);
            Ok(())
        })
        .await??;
        // The searcher first: a search told "complete" must see the finished index.
        self.reader.reload()?;
        self.building.store(building.is_some(), Ordering::Relaxed);
        Ok(())
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    pub(crate) fn analyzer(&self) -> tantivy::tokenizer::TextAnalyzer {
        self.index
            .tokenizers()
            .get(TEXT)
            .unwrap_or_else(text_analyzer)
    }
}

/// Runs a query: (total matches, ids of the page asked for, best first).
pub(crate) fn run(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    offset: usize,
    limit: usize,
) -> Result<(usize, Vec<i64>)> {
    let top = TopDocs::with_limit(limit.max(1)).and_offset(offset);
    let (total, addresses): (usize, Vec<DocAddress>) = match sort {
        Sort::Newest => {
            let (hits, total) = searcher.search(
                query,
                &(top.order_by_fast_field::<i64>("date", Order::Desc), Count),
            )?;
            (total, hits.into_iter().map(|h| h.1).collect())
        }
        Sort::Relevance => {
            let now = wharf_store::now();
            let ranked = top.tweak_score(move |segment: &tantivy::SegmentReader| {
                let dates = segment
                    .fast_fields()
                    .i64("date")
                    .ok()
                    .map(|c| c.first_or_default_col(0));
                move |doc: tantivy::DocId, score: tantivy::Score| {
                    let at = dates.as_ref().map_or(0, |d| d.get_val(doc));
                    let age_days = (now - at).max(0) as f32 / 86_400.0;
                    // Up to three times the score today, twice a month ago.
                    score * (1.0 + 2.0 / (1.0 + age_days / 30.0))
                }
            });
            let (hits, total) = searcher.search(query, &(ranked, Count))?;
            (total, hits.into_iter().map(|h| h.1).collect())
        }
    };
    Ok((total, ids(searcher, addresses.into_iter())?))
}

fn ids(searcher: &Searcher, addresses: impl Iterator<Item = DocAddress>) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for a in addresses {
        let column = searcher
            .segment_reader(a.segment_ord)
            .fast_fields()
            .u64("id")?;
        if let Some(id) = column.first(a.doc_id) {
            ids.push(id as i64);
        }
    }
    Ok(ids)
}
