//! Exporting mail (SPEC ACC-7): a customer's mail (or a search's, `search/export.rs`)
//! as one mbox file (mboxrd: `From `
//! lines inside a message escaped with `>`) or a zip of `.eml` files, the original
//! bytes unaltered. Only the mail the customer page shows the user is exported (the
//! same policy), streamed message by message so memory stays bounded, at most
//! [`MAX_MESSAGES`] at once, and written to the audit log.

use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use wharf_core::{Actor, DomainError};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// The most messages one export holds; beyond it the user narrows it down.
pub const MAX_MESSAGES: usize = 2000;

#[derive(Deserialize, Default)]
pub struct Params {
    /// `mbox` (the default) or `zip`.
    #[serde(default)]
    format: String,
}

/// A Unix time as the `From ` line writes it, in UTC ("Thu Jan  1 00:00:00 1970").
fn asctime(unix: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let day = wharf_core::zone::Zone::utc().day_of(unix);
    let weekday = DAYS[usize::try_from(unix.div_euclid(86_400).rem_euclid(7)).unwrap_or(0)];
    let month = MONTHS[usize::try_from(day.month() - 1).unwrap_or(0).min(11)];
    let secs = unix.rem_euclid(86_400);
    format!(
        "{weekday} {month} {:>2} {:02}:{:02}:{:02} {}",
        day.day(),
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        day.year()
    )
}

/// One message as mboxrd: a `From ` separator line, the bytes with every line that
/// starts with `>*From ` given one more `>`, and a blank line after.
pub(crate) fn mboxrd(raw: &[u8], date: i64) -> Vec<u8> {
    let when = asctime(date);
    let mut out = Vec::with_capacity(raw.len() + 64);
    out.extend_from_slice(format!("From MAILER-DAEMON {when}\n").as_bytes());
    for line in raw.split_inclusive(|b| *b == b'\n') {
        let quoted = line.iter().position(|b| *b != b'>').unwrap_or(line.len());
        if line[quoted..].starts_with(b"From ") {
            out.push(b'>');
        }
        out.extend_from_slice(line);
    }
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.push(b'\n');
    out
}

/// A writer whose bytes are taken out after each message (the zip is streamed).
#[derive(Clone, Default)]
struct Chunks(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Chunks {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut v = self
            .0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?;
        v.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Chunks {
    fn take(&self) -> Bytes {
        match self.0.lock() {
            Ok(mut v) => Bytes::from(std::mem::take(&mut *v)),
            Err(_) => Bytes::new(),
        }
    }
}

struct Export {
    state: AppState,
    actor: Actor,
    ids: std::vec::IntoIter<i64>,
    zip: Option<(zip::ZipWriter<zip::write::StreamWriter<Chunks>>, Chunks)>,
    done: bool,
}

/// The next piece of the file: one message, or the zip's end.
async fn next_piece(mut e: Export) -> Option<(Result<Bytes, std::io::Error>, Export)> {
    use std::io::Write;
    if e.done {
        return None;
    }
    let Some(id) = e.ids.next() else {
        e.done = true;
        let end = match e.zip.take() {
            Some((zip, chunks)) => match zip.finish() {
                Ok(_) => Ok(chunks.take()),
                Err(err) => Err(std::io::Error::other(err.to_string())),
            },
            None => Ok(Bytes::new()),
        };
        return Some((end, e));
    };
    let piece = async {
        // Read through the same check as the reading pane (a message gone is skipped).
        let d = match e.state.store.get_message(&e.actor, id).await {
            Ok(d) => d,
            Err(_) => return Ok(Bytes::new()),
        };
        let raw = e
            .state
            .mail
            .read_blob(&d.blob_hash)
            .await
            .map_err(|err| std::io::Error::other(err.to_string()))?;
        match &mut e.zip {
            Some((zip, chunks)) => {
                let options = zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated);
                zip.start_file(format!("message-{id}.eml"), options)
                    .map_err(|err| std::io::Error::other(err.to_string()))?;
                zip.write_all(&raw)?;
                Ok(chunks.take())
            }
            None => Ok(Bytes::from(mboxrd(&raw, d.summary.received_at))),
        }
    }
    .await;
    Some((piece, e))
}

/// `GET /customers/{id}/mail/export?format=mbox|zip`.
pub async fn customer(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    let actor = req.actor()?.clone();
    let limit = i64::try_from(MAX_MESSAGES + 1).unwrap_or(i64::MAX);
    let mail = state.store.customer_mail(&actor, id, limit).await?;
    if mail.len() > MAX_MESSAGES {
        return Err(AppError::Domain(DomainError::refused(
            "export_too_large",
            i64::try_from(MAX_MESSAGES).unwrap_or(i64::MAX),
        )));
    }
    let zip = p.format == "zip";
    let format = if zip { "zip" } else { "mbox" };
    state
        .store
        .record_mail_export(req.ctx()?, Some(id), "", mail.len(), format)
        .await?;
    let ids: Vec<i64> = mail.iter().map(|m| m.id).collect();
    Ok(file(state, actor, ids, zip, &format!("customer-{id}-mail")))
}

/// The export file of these messages (already bounded and audited by the caller),
/// streamed one message at a time, each read again through the policy.
pub(crate) fn file(
    state: AppState,
    actor: Actor,
    ids: Vec<i64>,
    zip: bool,
    stem: &str,
) -> Response {
    let chunks = Chunks::default();
    let export = Export {
        state,
        actor,
        ids: ids.into_iter(),
        zip: zip.then(|| (zip::ZipWriter::new_stream(chunks.clone()), chunks)),
        done: false,
    };
    let body = Body::from_stream(futures_util::stream::unfold(export, next_piece));
    let (kind, name) = if zip {
        ("application/zip", format!("{stem}.zip"))
    } else {
        ("application/mbox", format!("{stem}.mbox"))
    };
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::mboxrd;

    #[test]
    fn mboxrd_escapes_from_lines_and_keeps_the_rest() {
        let raw = b"From: a@b\r\nSubject: x\r\n\r\nFrom here\r\n>From there\r\nFromage\r\n";
        let out = mboxrd(raw, 0);
        let text = String::from_utf8(out).unwrap_or_default();
        assert!(text.starts_with("From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n"));
        assert!(text.contains("\r\n>From here\r\n>>From there\r\nFromage\r\n\n"));
        assert!(
            text.contains("From: a@b\r\n"),
            "a header is not a From_ line"
        );
    }
}
