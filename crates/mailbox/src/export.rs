//! Export (SPEC ACC-7): an account's messages with their original bytes, as a Maildir
//! (inbox in the root, other folders as Maildir++ subfolders such as `.Sent`) or as one
//! mbox file (mboxrd quoting of `From ` lines). File names are stable, so exporting
//! into the same folder again rewrites the same files instead of adding copies.

use std::io::Write;
use std::path::Path;

use wharf_store::mail::messages::StoredMessage;

use crate::{Env, Error};

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ExportReport {
    pub messages: usize,
    pub bytes: u64,
}

fn io(e: std::io::Error) -> Error {
    Error::Other(format!("cannot write the export: {e}"))
}

fn maildir_folder(role: &str) -> Option<&'static str> {
    match role {
        "sent" => Some(".Sent"),
        "drafts" => Some(".Drafts"),
        "junk" => Some(".Junk"),
        "trash" => Some(".Trash"),
        "archive" => Some(".Archive"),
        _ => None,
    }
}

/// Writes the account's messages into the Maildir `out` (created if needed).
pub async fn export_maildir(env: &Env, account_id: i64, out: &Path) -> Result<ExportReport, Error> {
    let messages = env.store.account_messages(account_id).await?;
    let mut report = ExportReport::default();
    for m in &messages {
        let dir = match maildir_folder(&m.folder_role) {
            Some(sub) => out.join(sub),
            None => out.to_path_buf(),
        };
        for d in ["cur", "new", "tmp"] {
            tokio::fs::create_dir_all(dir.join(d)).await.map_err(io)?;
        }
        let bytes = env.read_blob(&m.blob_hash).await?;
        let name = format!(
            "{}.W{}.wharf:2,{}",
            m.received_at,
            m.id,
            if m.seen { "S" } else { "" }
        );
        let tmp = dir.join("tmp").join(&name);
        tokio::fs::write(&tmp, &bytes).await.map_err(io)?;
        tokio::fs::rename(&tmp, dir.join("cur").join(&name))
            .await
            .map_err(io)?;
        report.messages += 1;
        report.bytes += bytes.len() as u64;
    }
    Ok(report)
}

/// Writes the account's messages into one mbox file.
pub async fn export_mbox(env: &Env, account_id: i64, out: &Path) -> Result<ExportReport, Error> {
    let messages = env.store.account_messages(account_id).await?;
    let mut buffer = Vec::new();
    let mut report = ExportReport::default();
    let mut file = tokio::fs::File::create(out).await.map_err(io)?;
    for m in &messages {
        let bytes = env.read_blob(&m.blob_hash).await?;
        buffer.clear();
        write_mbox_entry(&mut buffer, m, &bytes).map_err(io)?;
        tokio::io::AsyncWriteExt::write_all(&mut file, &buffer)
            .await
            .map_err(io)?;
        report.messages += 1;
        report.bytes += bytes.len() as u64;
    }
    tokio::io::AsyncWriteExt::flush(&mut file)
        .await
        .map_err(io)?;
    file.sync_all().await.map_err(io)?;
    Ok(report)
}

fn write_mbox_entry(w: &mut impl Write, m: &StoredMessage, bytes: &[u8]) -> std::io::Result<()> {
    let sender = if m.from_addr.is_empty() {
        "MAILER-DAEMON"
    } else {
        &m.from_addr
    };
    writeln!(w, "From {sender} {}", asctime(m.received_at))?;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let unquoted = line.iter().position(|&b| b != b'>').map(|p| &line[p..]);
        if unquoted.is_some_and(|rest| rest.starts_with(b"From ")) {
            w.write_all(b">")?;
        }
        w.write_all(line)?;
    }
    if !bytes.ends_with(b"\n") {
        w.write_all(b"\n")?;
    }
    w.write_all(b"\n")
}

/// `Mon Jan  1 00:00:00 2024` in UTC, as mbox From_ lines have it.
fn asctime(t: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} {}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        d,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        y
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asctime_format() {
        assert_eq!(asctime(0), "Thu Jan  1 00:00:00 1970");
        assert_eq!(asctime(1_795_399_200), "Mon Nov 23 02:00:00 2026");
    }
}
