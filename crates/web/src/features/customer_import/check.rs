//! Customer import, reading its file (issue 14): the upload's check, the head the mapping
//! page needs, the check of every row (counts and the first error rows — never the
//! whole sheet), and the run, fed to the store's import writer chunk by chunk from a
//! reader on the blocking pool. Every read is bounded by `wharf_sheets::Limits`. The
//! run's job is `job.rs`.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use wharf_core::zone::Zone;

use wharf_core::Actor;
use wharf_core::custom_field::CustomField;
use wharf_core::customers::import::{CheckedRow, Lookup, check_row};
use wharf_core::customers::{CUSTOMER_FIELDS, name_key};
use wharf_core::dict::DictKind;
use wharf_core::fields::{FieldValue, Kind, Record};
use wharf_jobs::JobCtx;
use wharf_sheets::{Limit, Limits, ReadError};
use wharf_store::customers::import::{CustomerImport, ImportGroup, ImportReport};
use wharf_store::{Backend, Store, StoreError};

use super::taken::TakenKeys;
use crate::ctx::Req;
use crate::error::AppError;

/// Error rows kept for the preview (shown and correctable at once); the counts cover all.
pub const SHOWN_ERRORS: usize = 100;
/// Rows a run hands to the store at a time.
const RUN_CHUNK: usize = 500;

/// A read refused or failed, in the user's language; a broken limit is named.
pub fn read_error_text(req: &Req, e: &ReadError) -> String {
    match e {
        ReadError::TooBig { what, limit } => {
            let shown = match what {
                Limit::CellBytes | Limit::TagBytes => limit / 1024,
                Limit::DecodedBytes => limit / (1024 * 1024),
                _ => *limit,
            };
            req.t(&format!("import.limit.{}", what.code()))
                .replace("{limit}", &shown.to_string())
        }
        other => req
            .t("import.unreadable")
            .replace("{reason}", &other.to_string()),
    }
}

/// Runs a read of `data` on the blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ReadError> + Send + 'static,
) -> Result<Result<T, ReadError>, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(format!("sheet reader stopped: {e}")))
}

/// The upload's check: the whole file within the limits; gives its rows (the header
/// included), keeping none of them.
pub async fn count_rows(
    name: String,
    data: Arc<Vec<u8>>,
) -> Result<Result<usize, ReadError>, AppError> {
    blocking(move || {
        wharf_sheets::for_each_row(&name, &data, &Limits::default(), |_| {
            ControlFlow::Continue(())
        })
    })
    .await
}

/// The header and the next `n - 1` rows.
pub async fn head(
    name: String,
    data: Vec<u8>,
    n: usize,
) -> Result<Result<Vec<Vec<String>>, ReadError>, AppError> {
    blocking(move || wharf_sheets::read_head(&name, &data, n)).await
}

/// Checks rows one by one as the preview and the run see them: row errors, duplicate
/// names against existing customers, keys of colleagues' customers, and which company
/// each row belongs to.
#[derive(Clone)]
pub struct Checker {
    pub lookup: Lookup,
    pub fields: Vec<CustomField>,
    /// The company's zone: dates in the file are its days.
    pub zone: Zone,
    /// Name key → id of every existing customer.
    pub existing: HashMap<String, i64>,
    pub mapping: Vec<String>,
    pub fixes: HashMap<usize, HashMap<String, String>>,
    pub allow_existing: bool,
    /// The rows' keys that colleagues' customers hold (`taken.rs`).
    pub taken: TakenKeys,
    /// Name keys met so far in this file.
    seen: HashMap<String, ()>,
}

/// A checked row and, when it has no error, its company's name key, the existing
/// customer it joins, and whether it is the first row of that company in the file.
pub struct Checked {
    pub row: CheckedRow,
    /// The row runs into a colleague's customer: (what matched, whose).
    pub taken: Option<(&'static str, String)>,
    pub key: String,
    pub existing: Option<i64>,
    pub first: bool,
}

impl Checker {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        lookup: Lookup,
        fields: Vec<CustomField>,
        zone: Zone,
        existing: HashMap<String, i64>,
        i: &CustomerImport,
    ) -> Checker {
        Checker {
            lookup,
            fields,
            zone,
            existing,
            mapping: i.mapping.clone(),
            fixes: i.fixes.clone(),
            allow_existing: i.allow_existing,
            taken: TakenKeys::default(),
            seen: HashMap::new(),
        }
    }

    /// Row `line` of the file (0 is the header).
    pub fn check(&mut self, line: usize, row: &[String]) -> Checked {
        let mut c = check_row(
            line,
            row,
            &self.mapping,
            self.fixes.get(&line),
            &self.lookup,
            &self.fields,
        );
        // Core reads the file's days as their UTC midnight; a day begins in the zone.
        for f in CUSTOMER_FIELDS
            .fields
            .iter()
            .filter(|f| f.kind == Kind::Date)
        {
            if let Some(FieldValue::OptInt(Some(t))) = c.customer.value(f.key) {
                c.customer.set(
                    f.key,
                    FieldValue::OptInt(Some(self.zone.day_start(Zone::utc().day_of(t)))),
                );
            }
        }
        let key = name_key(&c.customer.name);
        let mut existing = None;
        if c.errors.is_empty()
            && !key.is_empty()
            && let Some(&id) = self.existing.get(&key)
        {
            if self.allow_existing {
                existing = Some(id);
            } else {
                c.errors.push(("name".into(), "duplicate_customer"));
            }
        }
        let mut taken = None;
        if c.errors.is_empty()
            && let Some(hit) = self.taken.hit(&c, existing)
        {
            c.errors.push((hit.target.into(), "customer_of_another"));
            taken = Some((hit.matched, hit.owners));
        }
        let first = c.errors.is_empty() && self.seen.insert(key.clone(), ()).is_none();
        Checked {
            row: c,
            taken,
            key,
            existing,
            first,
        }
    }
}

/// What the preview shows of a whole file.
#[derive(Default)]
pub struct Summary {
    pub header: Vec<String>,
    pub rows: usize,
    pub new_customers: usize,
    pub joined: usize,
    pub contacts: usize,
    pub error_count: usize,
    /// The first [`SHOWN_ERRORS`] error rows with the row as read.
    pub errors: Vec<(CheckedRow, Vec<String>)>,
    /// Of those, the rows that run into a colleague's customer: line → (what matched,
    /// whose customer).
    pub taken: HashMap<usize, (&'static str, String)>,
}

/// Checks every row of the import's file, streamed.
pub async fn summarize(
    mut checker: Checker,
    name: String,
    data: Vec<u8>,
) -> Result<Result<Summary, ReadError>, AppError> {
    blocking(move || {
        let mut s = Summary::default();
        let mut line = 0;
        wharf_sheets::for_each_row(&name, &data, &Limits::default(), |row| {
            if line == 0 {
                s.header = row;
            } else {
                let c = checker.check(line, &row);
                s.rows += 1;
                if !c.row.errors.is_empty() {
                    s.error_count += 1;
                    if s.errors.len() < SHOWN_ERRORS {
                        if let Some(t) = c.taken {
                            s.taken.insert(c.row.line, t);
                        }
                        s.errors.push((c.row, row));
                    }
                } else {
                    if c.first {
                        if c.existing.is_some() {
                            s.joined += 1;
                        } else {
                            s.new_customers += 1;
                        }
                    }
                    s.contacts += usize::from(c.row.contact.is_some());
                }
            }
            line += 1;
            ControlFlow::Continue(())
        })?;
        Ok(s)
    })
    .await
}

/// Why a run ended without its report (nothing was imported: one transaction).
#[derive(Debug)]
pub enum RunEnd {
    /// The job was asked to cancel, or lost its lease to another node.
    Stopped,
    /// The reason it failed.
    Failed(String),
}

/// Runs a checked import in one transaction, streaming its file: a reader on the
/// blocking pool checks rows and hands groups of [`RUN_CHUNK`] rows through a channel
/// of two to the store's writer. After each group the job's row gets the progress,
/// and a cancel request stops the run (rolled back).
pub async fn run(
    store: wharf_store::Store,
    ctx: wharf_store::Ctx<'_>,
    i: CustomerImport,
    mut checker: Checker,
    owners: &[i64],
    job: &JobCtx,
) -> Result<ImportReport, RunEnd> {
    type Batch = Result<(Vec<ImportGroup>, usize), String>;
    let total = u64::try_from(i.row_count).unwrap_or(0);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(2);
    let CustomerImport {
        id,
        filename,
        data,
        stage,
        ..
    } = i;
    let reader = tokio::task::spawn_blocking(move || {
        let mut groups: Vec<ImportGroup> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut rows = 0;
        let mut line = 0;
        let read = wharf_sheets::for_each_row(&filename, &data, &Limits::default(), |row| {
            line += 1;
            if line == 1 {
                return ControlFlow::Continue(());
            }
            let c = checker.check(line - 1, &row);
            if !c.row.errors.is_empty() {
                let _ = tx.blocking_send(Err(format!("row {line} has errors")));
                return ControlFlow::Break(());
            }
            let g = *by_key.entry(c.key).or_insert_with(|| {
                groups.push(ImportGroup {
                    customer: c.row.customer.clone(),
                    contacts: Vec::new(),
                    existing: c.existing,
                });
                groups.len() - 1
            });
            if let Some(k) = c.row.contact {
                groups[g].contacts.push(k);
            }
            rows += 1;
            if rows == RUN_CHUNK {
                by_key.clear();
                rows = 0;
                if tx
                    .blocking_send(Ok((std::mem::take(&mut groups), RUN_CHUNK)))
                    .is_err()
                {
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        });
        match read {
            Ok(_) if rows > 0 => {
                let _ = tx.blocking_send(Ok((groups, rows)));
            }
            Ok(_) => {}
            Err(e) => {
                let _ = tx.blocking_send(Err(e.to_string()));
            }
        }
    });
    let written = async {
        let failed = |e: StoreError| RunEnd::Failed(e.to_string());
        let mut w = store
            .start_import(ctx, id, owners, &stage, Arc::new(AtomicUsize::new(0)))
            .await
            .map_err(failed)?;
        let mut done = 0u64;
        while let Some(batch) = rx.recv().await {
            let (groups, rows) = batch.map_err(RunEnd::Failed)?;
            w.write(groups, rows).await.map_err(failed)?;
            done += rows as u64;
            // SQLite has one writer, this transaction: the row gets the count at the end.
            if store.backend() == Backend::Sqlite {
                job.progress_here(done, total);
            } else if job.progress(done, total).await.is_err() {
                return Err(RunEnd::Stopped);
            }
            if job.cancelled().await {
                return Err(RunEnd::Stopped);
            }
        }
        w.finish().await.map_err(failed)
    }
    .await;
    // A failed write drops the receiver, which ends the reader at its next send.
    drop(rx);
    let _ = reader.await;
    written
}

/// The base data names an import's cells may use, per target (type, status, …).
pub async fn lookup_for(store: &Store, actor: &Actor) -> Result<Lookup, StoreError> {
    let mut out: Lookup = HashMap::new();
    for (target, kind) in [
        ("type", DictKind::CustomerType),
        ("status", DictKind::CustomerStatus),
        ("source", DictKind::CustomerSource),
        ("industry", DictKind::Industry),
        ("country", DictKind::Country),
    ] {
        let mut names = HashMap::new();
        for item in store.list_dict(actor, kind).await? {
            for n in [&item.name_zh, &item.name_en, &item.code] {
                if !n.is_empty() {
                    names.insert(n.to_lowercase(), item.id);
                }
            }
        }
        out.insert(target, names);
    }
    Ok(out)
}

/// The row checker for an import, with the base data, custom fields, time zone and
/// existing customers it compares against (no request needed: the job builds it too).
pub async fn checker_for(
    store: &Store,
    actor: &Actor,
    i: &CustomerImport,
) -> Result<Checker, StoreError> {
    let lookup = lookup_for(store, actor).await?;
    let fields = store.custom_fields(actor).await?;
    // Read here, not from a request: the import's job runs without one.
    let zone = store.company_time_zone(actor).await?;
    let existing = store.customer_name_keys(actor).await?;
    let mut checker = Checker::new(lookup, fields, zone, existing, i);
    checker.taken = super::taken::gather(
        store,
        actor,
        checker.clone(),
        i.filename.clone(),
        i.data.clone(),
    )
    .await?;
    Ok(checker)
}
