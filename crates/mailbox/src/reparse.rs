//! `wharf reparse`: stored messages parsed again from their original bytes, so mail
//! stored by an older parser gets today's reading (names, charsets, attachments). In
//! id order and batches; idempotent (a message the parser reads the same is left alone).

use wharf_store::mail::reparse::Reparsed;

use crate::ingest::{self, Origin};
use crate::{Env, Error};

/// What a run did.
#[derive(Debug, Default, Clone)]
pub struct ReparseReport {
    pub checked: u64,
    pub changed: u64,
    /// Messages whose original bytes could not be read: (id, why).
    pub unreadable: Vec<(i64, String)>,
}

/// Re-parses every stored message (of `account`, or all), `batch` at a time; calls
/// `progress(checked, changed)` after each batch.
pub async fn reparse(
    env: &Env,
    account: Option<i64>,
    batch: i64,
    mut progress: impl FnMut(u64, u64),
) -> Result<ReparseReport, Error> {
    let mut report = ReparseReport::default();
    let mut after = 0;
    loop {
        let ids = env
            .store
            .reparse_batch(account, after, batch.clamp(1, 10_000))
            .await?;
        let Some(last) = ids.last() else { break };
        after = last.0;
        let mut originals = Vec::with_capacity(ids.len());
        for (id, hash) in ids {
            match env.read_blob(&hash).await {
                Ok(bytes) => originals.push((id, hash, bytes)),
                Err(e) => report.unreadable.push((id, e.to_string())),
            }
        }
        let prepared = tokio::task::spawn_blocking(move || {
            originals
                .into_iter()
                .map(|(id, hash, bytes)| (id, hash, ingest::prepare(bytes, Origin::default())))
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| Error::Other(format!("parser thread stopped: {e}")))?;
        for (id, hash, p) in prepared {
            report.checked += 1;
            // The attachments' big blobs; the message's own is already stored.
            let blobs: Vec<(String, Vec<u8>)> =
                p.blobs.into_iter().filter(|(h, _)| *h != hash).collect();
            if !blobs.is_empty() {
                let store = env.blobs.clone();
                tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                    for (h, b) in &blobs {
                        store.put(h, b)?;
                    }
                    Ok(())
                })
                .await
                .map_err(|e| Error::Other(format!("blob writer stopped: {e}")))?
                .map_err(Error::Blob)?;
            }
            let m = p.item.message;
            let reading = Reparsed {
                subject: m.subject,
                from_name: m.from_name,
                to_json: m.to_json,
                cc_json: m.cc_json,
                snippet: m.snippet,
                body_text: m.body_text,
                parse_error: m.parse_error,
                attachments: m.attachments,
            };
            if env.store.apply_reparse(id, &reading).await? {
                report.changed += 1;
            }
        }
        progress(report.checked, report.changed);
    }
    env.store
        .record_reparse_run(account, report.checked, report.changed)
        .await?;
    Ok(report)
}
