//! The mail commands of the CLI: import, export, re-parse, one sync, the account list. They open
//! the database and blob store directly, so they work with the server stopped.

use std::path::{Path, PathBuf};

use wharf_mailbox::Env;
use wharf_store::Store;
use wharf_store::blobs::Blobs;
use wharf_store::vault::Vault;

use crate::config::Config;

/// The mailbox environment of this installation: its blob store and its secret key.
pub fn env(store: &Store, config: &Config) -> anyhow::Result<Env> {
    let vault = match &config.secret_key {
        Some(k) => Vault::from_hex(k)?,
        None => Vault::load_or_create(&config.data_dir.join("secret.key"))?,
    };
    Ok(Env {
        store: store.clone(),
        blobs: Blobs::in_data_dir(&config.data_dir),
        vault,
    })
}

async fn require_account(env: &Env, account: i64) -> anyhow::Result<()> {
    if env.store.account_addresses(account).await?.is_empty() {
        anyhow::bail!("no mail account with id {account} (see `wharf accounts`)");
    }
    Ok(())
}

pub async fn import(env: &Env, account: i64, paths: Vec<PathBuf>) -> anyhow::Result<()> {
    require_account(env, account).await?;
    for p in &paths {
        if !p.exists() {
            anyhow::bail!("{} does not exist", p.display());
        }
    }
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let report = wharf_mailbox::import::import_paths_with(env, account, paths, |p| {
        let line = format!(
            "import: {} of {} read ({}%), {} messages found",
            megabytes(p.read),
            megabytes(p.total),
            (p.read * 100).checked_div(p.total).unwrap_or(100),
            p.messages
        );
        // On a terminal the line is rewritten in place; in a log, one line each.
        if tty {
            eprint!("\r{line}   ");
        } else {
            eprintln!("{line}");
        }
    })
    .await?;
    if tty {
        eprintln!();
    }
    for (origin, defect) in &report.defects {
        eprintln!("kept with a defect {origin}: {defect}");
    }
    for (origin, reason) in &report.skipped {
        eprintln!("skipped {origin}: {reason}");
    }
    println!(
        "import: {} messages read, {} added, {} already stored, {} stored unparsed, {} kept with a defect, {} put together from message/partial pieces, {} skipped",
        report.read,
        report.added,
        report.existing,
        report.unparsed,
        report.defects.len(),
        report.reassembled,
        report.skipped.len()
    );
    Ok(())
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

pub async fn export(env: &Env, account: i64, out: &Path, mbox: bool) -> anyhow::Result<()> {
    require_account(env, account).await?;
    let report = if mbox {
        wharf_mailbox::export::export_mbox(env, account, out).await?
    } else {
        wharf_mailbox::export::export_maildir(env, account, out).await?
    };
    println!(
        "export: {} messages, {} bytes, to {}",
        report.messages,
        report.bytes,
        out.display()
    );
    Ok(())
}

pub async fn reparse(env: &Env, account: Option<i64>, batch: i64) -> anyhow::Result<()> {
    if let Some(account) = account {
        require_account(env, account).await?;
    }
    let report = wharf_mailbox::reparse::reparse(env, account, batch, |checked, changed| {
        eprintln!("reparse: {checked} messages checked, {changed} changed");
    })
    .await?;
    for (id, why) in &report.unreadable {
        eprintln!("message {id}: original bytes unreadable: {why}");
    }
    println!(
        "reparse: {} messages checked, {} changed, {} unreadable",
        report.checked,
        report.changed,
        report.unreadable.len()
    );
    Ok(())
}

pub async fn sync(env: &Env, account: i64) -> anyhow::Result<()> {
    require_account(env, account).await?;
    let outcome = wharf_mailbox::sync::sync_account(env, account, &Default::default()).await?;
    println!("sync: {} new messages", outcome.fetched);
    Ok(())
}

pub async fn accounts(store: &Store) -> anyhow::Result<()> {
    for (id, address, protocol, state, error) in store.account_overview().await? {
        println!("{id}\t{address}\t{protocol}\t{state}\t{error}");
    }
    Ok(())
}
