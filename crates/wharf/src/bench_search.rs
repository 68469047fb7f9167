//! `wharf bench search PATH [--copies K]`: search at scale (FIND-1). Reads every message
//! under PATH, writes it K times into a Maildir (copy k > 0 with its Message-ID replaced
//! by `<wharf-bench-k-n@bench.invalid>`, every other byte as it was), ingests that Maildir
//! into a fresh temporary data directory as `bench ingest` does, rebuilds the search
//! index from the store (timed), then queries `/api/v1/search` of the real server on a
//! loopback port over keep-alive HTTP/1.1 (a signed-in admin), a fixed set of English,
//! Chinese, mixed and filtered queries. When Debian's `notmuch` is installed, times
//! `notmuch new` over the same Maildir for comparison. The last line is
//! `search: N messages, index X msg/s, p50 A ms, p99 B ms`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wharf_search::SearchIndex;
use wharf_store::auth::sessions::SessionPolicy;

use crate::bench::{fresh_store, peak_rss_mb, temp_data_dir};

/// Indexing memory, as `serve` gives its writer.
const HEAP_BYTES: usize = 200_000_000;
/// Originals read from the scratch store (and their copies written) at a time.
const BATCH: usize = 256;
/// Timed runs of every query, round-robin after one warm-up run.
const ROUNDS: usize = 30;

/// One timed query: its type, the box's text and any other parameters.
struct Probe {
    kind: &'static str,
    q: &'static str,
    extra: &'static [(&'static str, &'static str)],
}

const fn probe(kind: &'static str, q: &'static str) -> Probe {
    Probe {
        kind,
        q,
        extra: &[],
    }
}

const KINDS: &[&str] = &[
    "English words",
    "English phrases",
    "Chinese",
    "mixed",
    "filtered",
    "suggestions",
];

/// The header box's suggestions: five of each, the last word as typed so far.
const SUGGEST: &[(&str, &str)] = &[("prefix", "1"), ("limit", "5")];

const PROBES: &[Probe] = &[
    probe("English words", "money"),
    probe("English words", "free software"),
    probe("English words", "linux kernel"),
    probe("English words", "click here"),
    probe("English phrases", "\"click here\""),
    probe("English phrases", "\"mailing list\""),
    probe("Chinese", "报价"),
    probe("Chinese", "发票"),
    probe("Chinese", "公司"),
    probe("Chinese", "中文"),
    probe("mixed", "email 地址"),
    probe("mixed", "linux 服务器"),
    probe("filtered", "from:yahoo.com"),
    probe("filtered", "has:attachment money"),
    probe("filtered", "date:2002 free"),
    probe("filtered", "subject:re"),
    Probe {
        kind: "filtered",
        q: "software",
        extra: &[("in", "mail"), ("sort", "newest")],
    },
    Probe {
        kind: "suggestions",
        q: "mon",
        extra: SUGGEST,
    },
    Probe {
        kind: "suggestions",
        q: "free softw",
        extra: SUGGEST,
    },
    Probe {
        kind: "suggestions",
        q: "linux ker",
        extra: SUGGEST,
    },
    Probe {
        kind: "suggestions",
        q: "报价",
        extra: SUGGEST,
    },
];

pub async fn run(path: &Path, copies: usize) -> anyhow::Result<()> {
    if !path.exists() {
        anyhow::bail!("{} does not exist", path.display());
    }
    anyhow::ensure!(copies >= 1, "--copies must be at least 1");
    let dir = temp_data_dir()?;
    let result = measure(path, copies, &dir).await;
    if std::env::var("WHARF_BENCH_KEEP").is_err() {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        println!("kept {}", dir.display());
    }
    result
}

async fn measure(path: &Path, copies: usize, dir: &Path) -> anyhow::Result<()> {
    let maildir = dir.join("maildir");
    let started = Instant::now();
    let (files, bytes) = write_maildir(path, copies, &dir.join("read"), &maildir).await?;
    println!(
        "wrote {files} messages ({:.1} MB, {copies} copies) as files into {} in {:.1} s",
        bytes as f64 / 1_048_576.0,
        maildir.display(),
        started.elapsed().as_secs_f64()
    );

    // Ingest, as `bench ingest` does: the Maildir into a fresh store.
    let (env, account, admin) = fresh_store(dir).await?;
    let store = env.store.clone();
    let started = Instant::now();
    let report = wharf_mailbox::import::import_paths(&env, account, vec![maildir.clone()]).await?;
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    println!(
        "read {} messages ({} new, {} identical copies, {} unparsed), {:.1} s",
        report.read, report.added, report.existing, report.unparsed, secs
    );
    println!(
        "ingest: {} messages, {:.0} msg/s, {:.1} MB/s, peak RSS {} MB",
        report.read,
        report.read as f64 / secs,
        report.bytes as f64 / 1_048_576.0 / secs,
        peak_rss_mb()
    );

    // The index, rebuilt from the store (the word segmenter's dictionary loaded first,
    // as `serve` does before its indexer starts).
    wharf_search::analyzer::warm_up();
    let index = Arc::new(SearchIndex::open(&dir.join("search"), HEAP_BYTES)?);
    let started = Instant::now();
    let written = index.rebuild(&store).await?;
    let index_secs = started.elapsed().as_secs_f64().max(1e-9);
    let documents = index.status().documents;
    let index_rate = written as f64 / index_secs;
    println!(
        "index: {written} documents written ({documents} in the index) in {index_secs:.1} s, {index_rate:.0} msg/s, peak RSS {} MB",
        peak_rss_mb()
    );

    // The real server on a loopback port, with this index.
    let policy = SessionPolicy {
        idle_seconds: 36_000,
        absolute_seconds: 86_400,
    };
    let session = store
        .create_session(admin, "127.0.0.1", "bench", policy)
        .await?;
    let state = wharf_web::AppState::new(store.clone(), policy, false, env.clone())
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .with_search(index.clone());
    let app = wharf_web::router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    let mut client = Client::connect(addr, format!("wharf_session={}", session.token)).await?;
    let timed = query_all(&mut client).await;
    server.abort();
    let all = timed?;
    println!("peak RSS {} MB", peak_rss_mb());

    // notmuch over the same files.
    match notmuch_new(dir, &maildir, files).await? {
        Some(line) => println!("{line}"),
        None => println!(
            "notmuch new: not measured, no `notmuch` on PATH (Debian: apt-get install notmuch)"
        ),
    }

    store.close().await;
    println!(
        "search: {documents} messages, index {index_rate:.0} msg/s, p50 {:.1} ms, p99 {:.1} ms",
        ms(percentile(&all, 50)),
        ms(percentile(&all, 99))
    );
    Ok(())
}

/// Reads every message under `path` (through an import into a scratch store in
/// `scratch`, so every format `bench ingest` reads is read here too, identical files
/// once) and writes `copies` copies of each into `maildir/cur`. Gives (files, bytes).
async fn write_maildir(
    path: &Path,
    copies: usize,
    scratch: &Path,
    maildir: &Path,
) -> anyhow::Result<(usize, u64)> {
    std::fs::create_dir_all(scratch)?;
    let (env, account, _) = fresh_store(scratch).await?;
    println!("reading {}", path.display());
    let report =
        wharf_mailbox::import::import_paths(&env, account, vec![path.to_path_buf()]).await?;
    println!(
        "read {} messages ({} distinct, {} identical copies left out, {} unparsed), {} non-mail files skipped",
        report.read,
        report.added,
        report.existing,
        report.unparsed,
        report.skipped.len()
    );
    let hashes: Vec<String> = env
        .store
        .account_messages(account)
        .await?
        .into_iter()
        .map(|m| m.blob_hash)
        .collect();
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub))?;
    }
    let (mut files, mut bytes) = (0usize, 0u64);
    for (chunk_no, chunk) in hashes.chunks(BATCH).enumerate() {
        let mut originals = Vec::with_capacity(chunk.len());
        for hash in chunk {
            originals.push(env.read_blob(hash).await?);
        }
        let first = chunk_no * BATCH;
        let cur = maildir.join("cur");
        let (f, b) = tokio::task::spawn_blocking(move || -> std::io::Result<(usize, u64)> {
            let (mut f, mut b) = (0usize, 0u64);
            for k in 0..copies {
                for (i, raw) in originals.iter().enumerate() {
                    let n = first + i;
                    let name = cur.join(format!("bench-{k:03}-{n:07}:2,S"));
                    let copy;
                    let data: &[u8] = if k == 0 {
                        raw
                    } else {
                        copy =
                            with_message_id(raw, &format!("<wharf-bench-{k}-{n}@bench.invalid>"));
                        &copy
                    };
                    std::fs::write(&name, data)?;
                    f += 1;
                    b += data.len() as u64;
                }
            }
            Ok((f, b))
        })
        .await??;
        files += f;
        bytes += b;
    }
    env.store.close().await;
    std::fs::remove_dir_all(scratch)?;
    Ok((files, bytes))
}

/// `raw` with its Message-ID header field(s) replaced by `Message-ID: id` (the field
/// name as it was spelled), or, without one, that field added at the top (after an
/// mbox `From ` line). Every other byte is kept.
fn with_message_id(raw: &[u8], id: &str) -> Vec<u8> {
    const NAME: &[u8] = b"message-id:";
    let mut out = Vec::with_capacity(raw.len() + id.len() + 16);
    let line_end = |from: usize| {
        raw[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(raw.len(), |p| from + p + 1)
    };
    let eol_of = |line: &[u8]| -> &'static [u8] {
        if line.ends_with(b"\r\n") {
            b"\r\n"
        } else {
            b"\n"
        }
    };
    let (mut kept, mut at, mut replaced) = (0usize, 0usize, false);
    while at < raw.len() {
        let end = line_end(at);
        let line = &raw[at..end];
        if line == b"\n" || line == b"\r\n" {
            break; // the end of the header
        }
        if line.len() >= NAME.len() && line[..NAME.len()].eq_ignore_ascii_case(NAME) {
            // The field goes on over its continuation lines.
            let mut field_end = end;
            while matches!(raw.get(field_end), Some(b' ' | b'\t')) {
                field_end = line_end(field_end);
            }
            out.extend_from_slice(&raw[kept..at]);
            out.extend_from_slice(&line[..NAME.len()]);
            out.push(b' ');
            out.extend_from_slice(id.as_bytes());
            out.extend_from_slice(eol_of(line));
            kept = field_end;
            at = field_end;
            replaced = true;
            continue;
        }
        at = end;
    }
    if !replaced {
        let top = if raw.starts_with(b"From ") {
            line_end(0)
        } else {
            0
        };
        let eol = eol_of(&raw[..line_end(0)]);
        out.extend_from_slice(&raw[..top]);
        out.extend_from_slice(b"Message-ID: ");
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(eol);
        kept = top;
    }
    out.extend_from_slice(&raw[kept..]);
    out
}

/// A keep-alive HTTP/1.1 client for GET requests with a session cookie.
struct Client {
    stream: TcpStream,
    buf: Vec<u8>,
    host: String,
    cookie: String,
}

impl Client {
    async fn connect(addr: SocketAddr, cookie: String) -> anyhow::Result<Client> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Client {
            stream,
            buf: Vec::with_capacity(1 << 16),
            host: addr.to_string(),
            cookie,
        })
    }

    /// Reads more of the response; the server closing the connection is an error.
    async fn fill(&mut self) -> anyhow::Result<()> {
        let n = self.stream.read_buf(&mut self.buf).await?;
        anyhow::ensure!(n > 0, "the server closed the connection");
        Ok(())
    }

    /// `GET target`: (status, body), the body read by its Content-Length.
    async fn get(&mut self, target: &str) -> anyhow::Result<(u16, Vec<u8>)> {
        let request = format!(
            "GET {target} HTTP/1.1\r\nHost: {}\r\nCookie: {}\r\nAccept: application/json\r\nConnection: keep-alive\r\n\r\n",
            self.host, self.cookie
        );
        self.stream.write_all(request.as_bytes()).await?;
        let head_end = loop {
            if let Some(p) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            self.fill().await?;
        };
        let head = String::from_utf8_lossy(&self.buf[..head_end]).into_owned();
        self.buf.drain(..head_end);
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| anyhow::anyhow!("no status line in {head:?}"))?;
        let length: usize = lines
            .filter_map(|l| l.split_once(':'))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
            .ok_or_else(|| anyhow::anyhow!("no Content-Length in {head:?}"))?;
        while self.buf.len() < length {
            self.fill().await?;
        }
        let body: Vec<u8> = self.buf.drain(..length).collect();
        Ok((status, body))
    }
}

/// Runs every probe once to warm up, then `ROUNDS` times round-robin; prints a line per
/// query and per type. Gives every timing.
async fn query_all(client: &mut Client) -> anyhow::Result<Vec<Duration>> {
    let targets: Vec<String> = PROBES.iter().map(target).collect();
    let mut hits = vec![0u64; PROBES.len()];
    for (i, t) in targets.iter().enumerate() {
        hits[i] = call(client, t).await?.1;
    }
    let mut times = vec![Vec::with_capacity(ROUNDS); PROBES.len()];
    for _ in 0..ROUNDS {
        for (i, t) in targets.iter().enumerate() {
            let (took, found) = call(client, t).await?;
            times[i].push(took);
            hits[i] = found;
        }
    }
    println!(
        "queries: {} queries over HTTP on loopback (keep-alive), 1 warm-up + {ROUNDS} runs each, round-robin",
        PROBES.len()
    );
    let mut all = Vec::new();
    for kind in KINDS {
        let mut of_kind = Vec::new();
        let mut kind_hits = 0;
        for (i, p) in PROBES.iter().enumerate().filter(|(_, p)| p.kind == *kind) {
            let extra: String = p.extra.iter().map(|(k, v)| format!(" {k}={v}")).collect();
            println!(
                "    {}{extra}: p50 {:.1} ms, p99 {:.1} ms, hits {}",
                p.q,
                ms(percentile(&times[i], 50)),
                ms(percentile(&times[i], 99)),
                hits[i]
            );
            of_kind.extend_from_slice(&times[i]);
            kind_hits += hits[i];
        }
        println!(
            "  {kind}: p50 {:.1} ms, p99 {:.1} ms, hits {kind_hits}",
            ms(percentile(&of_kind, 50)),
            ms(percentile(&of_kind, 99))
        );
        all.extend_from_slice(&of_kind);
    }
    Ok(all)
}

/// One request: (time to the last byte of the body, mail matches).
async fn call(client: &mut Client, target: &str) -> anyhow::Result<(Duration, u64)> {
    let started = Instant::now();
    let (status, body) = client.get(target).await?;
    let took = started.elapsed();
    anyhow::ensure!(
        status == 200,
        "{target}: status {status}: {}",
        String::from_utf8_lossy(&body)
    );
    let total = section_total(&body, "mail")
        .ok_or_else(|| anyhow::anyhow!("{target}: no mail.total in the answer"))?;
    Ok((took, total))
}

fn target(p: &Probe) -> String {
    let mut t = format!("/api/v1/search?q={}", percent_encode(p.q));
    for (k, v) in p.extra {
        t.push('&');
        t.push_str(&percent_encode(k));
        t.push('=');
        t.push_str(&percent_encode(v));
    }
    t
}

/// Percent-encodes everything but the unreserved characters (RFC 3986), as UTF-8.
fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// The number under `{"<section>": {"total": N}}` in a JSON answer, found by a small
/// scan that skips strings and tracks nesting (the crate has no JSON parser).
fn section_total(body: &[u8], section: &str) -> Option<u64> {
    let (mut depth, mut inside, mut i) = (0usize, false, 0usize);
    while i < body.len() {
        match body[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                let key = body.get(start..i)?;
                let mut j = i + 1;
                while body.get(j).is_some_and(u8::is_ascii_whitespace) {
                    j += 1;
                }
                if body.get(j) == Some(&b':') {
                    if depth == 1 {
                        inside = key == section.as_bytes();
                    } else if inside && depth == 2 && key == b"total" {
                        let digits: String = body[j + 1..]
                            .iter()
                            .skip_while(|b| b.is_ascii_whitespace())
                            .take_while(|b| b.is_ascii_digit())
                            .map(|&b| char::from(b))
                            .collect();
                        return digits.parse().ok();
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Times `notmuch new` over `maildir` with a config of its own (no hooks, no tags).
/// `None` without notmuch; the files are written before, outside the timing.
async fn notmuch_new(dir: &Path, maildir: &Path, files: usize) -> anyhow::Result<Option<String>> {
    let version = match tokio::process::Command::new("notmuch")
        .arg("--version")
        .output()
        .await
    {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        _ => return Ok(None),
    };
    let hooks: PathBuf = dir.join("notmuch-hooks");
    std::fs::create_dir_all(&hooks)?;
    let config = dir.join("notmuch-config");
    std::fs::write(
        &config,
        format!(
            "[database]\npath={}\nhook_dir={}\n\n[user]\nname=Wharf bench\nprimary_email=bench@bench.invalid\n\n[new]\ntags=\nignore=\n\n[search]\nexclude_tags=\n\n[maildir]\nsynchronize_flags=true\n",
            maildir.display(),
            hooks.display()
        ),
    )?;
    let config_arg = format!("--config={}", config.display());
    println!("running {version}: notmuch {config_arg} new");
    let started = Instant::now();
    let out = tokio::process::Command::new("notmuch")
        .arg(&config_arg)
        .arg("new")
        .output()
        .await?;
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    anyhow::ensure!(
        out.status.success(),
        "notmuch new failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    let said = said
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let count = tokio::process::Command::new("notmuch")
        .arg(&config_arg)
        .args(["count", "--output=messages", "*"])
        .output()
        .await?;
    let counted = String::from_utf8_lossy(&count.stdout).trim().to_string();
    Ok(Some(format!(
        "notmuch new: {files} messages, {:.0} msg/s ({secs:.1} s; it said \"{said}\"; notmuch count: {counted} messages)",
        files as f64 / secs
    )))
}

/// Nearest-rank percentile of `times` (unsorted); zero when empty.
fn percentile(times: &[Duration], p: usize) -> Duration {
    if times.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = times.to_vec();
    sorted.sort();
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn message_id_is_replaced_and_nothing_else() {
        let raw = b"From: a@b.example\r\nMessage-Id:\r\n  <old@x.example>\r\nSubject: hi\r\n\r\nMessage-ID: <body@x>\r\n";
        let out = with_message_id(raw, "<new@bench.invalid>");
        assert_eq!(
            out,
            b"From: a@b.example\r\nMessage-Id: <new@bench.invalid>\r\nSubject: hi\r\n\r\nMessage-ID: <body@x>\r\n"
        );
    }

    #[test]
    fn message_id_is_added_when_missing() {
        let out = with_message_id(b"Subject: hi\n\nbody\n", "<n@b.invalid>");
        assert_eq!(out, b"Message-ID: <n@b.invalid>\nSubject: hi\n\nbody\n");
        let out = with_message_id(b"From x@y Mon\nSubject: hi\n\nbody\n", "<n@b.invalid>");
        assert_eq!(
            out,
            b"From x@y Mon\nMessage-ID: <n@b.invalid>\nSubject: hi\n\nbody\n"
        );
    }

    #[test]
    fn totals_are_read_from_the_right_section() {
        let body = br#"{"customers":{"items":[],"searched":true,"total":7},"mail":{"items":[{"subject":"\"total\": 9","total":5}],"searched":true,"total":42}}"#;
        assert_eq!(section_total(body, "mail"), Some(42));
        assert_eq!(section_total(body, "customers"), Some(7));
        assert_eq!(percent_encode("a b\"中"), "a%20b%22%E4%B8%AD");
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&times, 50), Duration::from_millis(50));
        assert_eq!(percentile(&times, 99), Duration::from_millis(99));
        assert_eq!(percentile(&times[..30], 99), Duration::from_millis(30));
    }
}
