//! Benchmarks into a fresh temporary data directory (SQLite + blob files, durable writes
//! as in production):
//! - `wharf bench ingest PATH` imports PATH; last line
//!   `ingest: N messages, X msg/s, Y MB/s, peak RSS Z MB`.
//! - `wharf bench sync --port P --user U` runs a first IMAP sync of that mailbox; last
//!   line `sync: N messages, X msg/s, Y MB/s, peak RSS Z MB`.
//! - `wharf bench mailbox` times the mail pages over a big folder (`bench_mailbox`).

use std::path::Path;
use std::time::Instant;

use wharf_core::mail::account::AccountInput;
use wharf_mailbox::Env;
use wharf_store::blobs::Blobs;
use wharf_store::vault::Vault;
use wharf_store::{Ctx, Store};

pub(crate) fn temp_data_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "wharf-bench-{}",
        &wharf_store::secret::random_token()[..12]
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

pub async fn ingest(path: &Path) -> anyhow::Result<()> {
    if !path.exists() {
        anyhow::bail!("{} does not exist", path.display());
    }
    let dir = temp_data_dir()?;
    let result = run(path, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

pub async fn sync(host: &str, port: u16, security: &str, user: &str) -> anyhow::Result<()> {
    let password = std::env::var("WHARF_BENCH_PASSWORD")
        .map_err(|_| anyhow::anyhow!("set WHARF_BENCH_PASSWORD to the mailbox password"))?;
    let dir = temp_data_dir()?;
    let result = run_sync(host, port, security, user, &password, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A fresh store with an admin and one receive-less account; also the admin's id.
pub(crate) async fn fresh_store(dir: &Path) -> anyhow::Result<(Env, i64, i64)> {
    let (env, account, admin) = fresh_with(
        dir,
        AccountInput {
            address: "bench@example.test".into(),
            kind: "public".into(),
            in_protocol: "none".into(),
            out_host: "127.0.0.1".into(),
            out_port: 25,
            out_security: "none".into(),
            max_attachment_mb: 25,
            ..Default::default()
        },
    )
    .await?;
    Ok((env, account, admin))
}

/// A fresh store with an admin and one account.
async fn fresh(dir: &Path, input: AccountInput) -> anyhow::Result<(Env, i64)> {
    let (env, account, _) = fresh_with(dir, input).await?;
    Ok((env, account))
}

async fn fresh_with(dir: &Path, input: AccountInput) -> anyhow::Result<(Env, i64, i64)> {
    let store = Store::connect(&format!("sqlite://{}", dir.join("wharf.db").display())).await?;
    store.migrate().await?;
    let admin = store
        .complete_setup(&wharf_store::secret::random_token()[..20], "127.0.0.1")
        .await?;
    let actor = store
        .load_actor(admin)
        .await?
        .ok_or_else(|| anyhow::anyhow!("admin missing"))?;
    let vault = Vault::load_or_create(&dir.join("secret.key"))?;
    let account = store
        .create_account(
            Ctx {
                actor: &actor,
                ip: "127.0.0.1",
            },
            &vault,
            input,
        )
        .await?;
    Ok((
        Env {
            store,
            blobs: Blobs::in_data_dir(dir),
            vault,
        },
        account,
        admin,
    ))
}

async fn run_sync(
    host: &str,
    port: u16,
    security: &str,
    user: &str,
    password: &str,
    dir: &Path,
) -> anyhow::Result<()> {
    let (env, account) = fresh(
        dir,
        AccountInput {
            address: format!("{user}@bench.invalid"),
            kind: "public".into(),
            in_protocol: "imap".into(),
            in_host: host.into(),
            in_port: i64::from(port),
            in_security: security.into(),
            in_username: user.into(),
            in_password: password.into(),
            out_host: host.into(),
            out_port: 25,
            out_security: "none".into(),
            accept_invalid_certs: true,
            sync_enabled: true,
            max_attachment_mb: 25,
            ..Default::default()
        },
    )
    .await?;
    let started = Instant::now();
    let outcome = wharf_mailbox::sync::sync_account(&env, account, &Default::default()).await?;
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    let bytes: i64 = env
        .store
        .account_messages(account)
        .await?
        .iter()
        .map(|m| m.size)
        .sum();
    env.store.close().await;
    println!(
        "sync: {} messages, {:.0} msg/s, {:.1} MB/s, peak RSS {} MB ({:.2} s)",
        outcome.fetched,
        outcome.fetched as f64 / secs,
        bytes as f64 / 1_048_576.0 / secs,
        peak_rss_mb(),
        secs
    );
    Ok(())
}

async fn run(path: &Path, dir: &Path) -> anyhow::Result<()> {
    let (env, account) = fresh(
        dir,
        AccountInput {
            address: "bench@example.test".into(),
            kind: "public".into(),
            in_protocol: "none".into(),
            out_host: "127.0.0.1".into(),
            out_port: 25,
            out_security: "none".into(),
            max_attachment_mb: 25,
            ..Default::default()
        },
    )
    .await?;
    let store = env.store.clone();
    println!("ingesting {} into {}", path.display(), dir.display());
    let started = Instant::now();
    let report =
        wharf_mailbox::import::import_paths(&env, account, vec![path.to_path_buf()]).await?;
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    store.close().await;
    println!(
        "read {} messages ({} new, {} identical copies, {} unparsed), {} non-mail files skipped, {:.2} s",
        report.read,
        report.added,
        report.existing,
        report.unparsed,
        report.skipped.len(),
        secs
    );
    println!(
        "ingest: {} messages, {:.0} msg/s, {:.1} MB/s, peak RSS {} MB",
        report.read,
        report.read as f64 / secs,
        report.bytes as f64 / 1_048_576.0 / secs,
        peak_rss_mb()
    );
    Ok(())
}

/// VmHWM from /proc/self/status, in MB (0 where /proc is not there).
pub(crate) fn peak_rss_mb() -> u64 {
    status_mb("VmHWM:")
}

/// The resident memory now, in MB (0 where /proc is absent).
pub(crate) fn current_rss_mb() -> u64 {
    status_mb("VmRSS:")
}

fn status_mb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| kb / 1024)
        .unwrap_or(0)
}
