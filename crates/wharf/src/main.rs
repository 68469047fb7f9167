//! The `wharf` binary: reads configuration, migrates, and serves; plus admin commands.
//! Thin on purpose: everything it does lives in the library crates.

mod bench;
mod bench_customers;
mod bench_deals;
mod bench_mailbox;
mod bench_mailbox_parts;
mod bench_mbox;
mod bench_orders;
mod bench_pdf;
mod bench_sales;
mod bench_search;
mod config;
mod mailcli;
mod searchcli;

use std::io::Read;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use wharf_store::Store;
use wharf_store::auth::sessions::SessionPolicy;

use crate::config::{Config, load_file};

#[derive(Parser)]
#[command(
    name = "wharf",
    version,
    about = "Wharf: the email-centric CRM for export companies"
)]
struct Cli {
    /// A TOML configuration file (keys: data_dir, listen, database_url, session_idle_minutes,
    /// session_max_hours, secure_cookies).
    #[arg(long, global = true, env = "WHARF_CONFIG")]
    config: Option<PathBuf>,
    /// Directory for the embedded database and stored files [default: ./wharf-data]
    #[arg(long, global = true, env = "WHARF_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Use this database instead of the embedded SQLite (postgres://user:pass@host/db)
    #[arg(long, global = true, env = "WHARF_DATABASE_URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrates the database first).
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080]
        #[arg(long, env = "WHARF_LISTEN")]
        listen: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Administration commands.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Import history (.eml, zip of .eml, mbox, Maildir, .pst, or folders of them) into an
    /// account. Importing the same files again adds nothing.
    Import {
        /// The account's id (see `wharf accounts`).
        #[arg(long)]
        account: i64,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Export an account's messages with their original bytes.
    Export {
        #[arg(long)]
        account: i64,
        /// A folder for a Maildir (default), or a file with --format mbox.
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "maildir")]
        format: ExportFormat,
    },
    /// Parse stored messages again from their original bytes, so mail stored by an
    /// older version gets today's reading of names, charsets and attachments. Safe to
    /// run again: a message read the same is left alone.
    Reparse {
        /// Only this account's messages (see `wharf accounts`); default all.
        #[arg(long)]
        account: Option<i64>,
        /// Messages per batch.
        #[arg(long, default_value_t = 200)]
        batch: i64,
    },
    /// Sync one account once from its server (the running server does this by itself).
    Sync {
        #[arg(long)]
        account: i64,
    },
    /// List the mail accounts with their ids and sync state.
    Accounts,
    /// The search index (FIND-1).
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
    /// Benchmarks that print figures.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Maildir,
    Mbox,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Import PATH (a Maildir, an mbox file, or a folder searched for messages) into a
    /// fresh temporary data directory and print the throughput.
    Ingest { path: PathBuf },
    /// Write an mbox of about MB megabytes into a temporary folder and ingest it as
    /// `ingest` does (the peak RSS shows the mbox is streamed).
    Mbox {
        #[arg(long, default_value_t = 300)]
        mb: u64,
    },
    /// First sync of an IMAP mailbox into a fresh temporary data directory; prints the
    /// throughput. The password is read from WHARF_BENCH_PASSWORD.
    Sync {
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        #[arg(long)]
        port: u16,
        /// tls, starttls or none
        #[arg(long, default_value = "none")]
        security: String,
        #[arg(long)]
        user: String,
    },
    /// Fill a fresh temporary store with N messages in one Inbox and time the mail
    /// pages (first, middle and last page, Pending, a message open) and a walk over
    /// every page.
    Mailbox {
        #[arg(long, default_value_t = 100_000)]
        messages: usize,
    },
    /// Seed a fresh temporary store with N customers (2.5 contacts each), time the
    /// customer list over HTTP and an N-row xlsx import through the import pages.
    Customers {
        #[arg(long, default_value_t = 100_000)]
        customers: usize,
    },
    /// Seed a fresh temporary store with N customers and M contact records and time the
    /// workbench page, its team counts in the API, the records list and (with
    /// `--opportunities`) the opportunity board over HTTP.
    Sales {
        #[arg(long, default_value_t = 100_000)]
        customers: usize,
        #[arg(long, default_value_t = 300_000)]
        records: usize,
        #[arg(long, default_value_t = 20_000)]
        opportunities: usize,
        #[arg(long, default_value_t = 10_000)]
        orders: usize,
    },
    /// Render a 40-line bilingual quote PDF N times and print its render time (target
    /// under 300 ms; a release build is what counts).
    Pdf {
        #[arg(long, default_value_t = 30)]
        renders: usize,
    },
    /// Ingest PATH K times over (copies with new Message-IDs) into a fresh temporary data
    /// directory, time the search index's rebuild and queries of `/api/v1/search` over
    /// HTTP, and `notmuch new` over the same files when notmuch is installed.
    Search {
        path: PathBuf,
        #[arg(long, default_value_t = 1)]
        copies: usize,
    },
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Rebuild the search index from the database. With a server running on this data
    /// directory (or other app nodes), they are asked to rebuild theirs.
    Rebuild,
    /// Where the index and the change log stand.
    Status,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Set a new password for USER (reads it from standard input, or generates one).
    ResetPassword {
        user: String,
        /// Read the new password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WHARF_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let file = load_file(cli.config.as_deref())?;
    let listen = match &cli.command {
        Command::Serve { listen } => listen.clone(),
        _ => None,
    };
    let config = Config::resolve(file, cli.data_dir, listen, cli.database_url);
    if let Command::Bench { command } = &cli.command {
        return match command {
            BenchCommand::Ingest { path } => bench::ingest(path).await,
            BenchCommand::Mbox { mb } => bench_mbox::run(*mb).await,
            BenchCommand::Sync {
                host,
                port,
                security,
                user,
            } => bench::sync(host, *port, security, user).await,
            BenchCommand::Mailbox { messages } => bench_mailbox::run(*messages).await,
            BenchCommand::Customers { customers } => bench_customers::run(*customers).await,
            BenchCommand::Sales {
                customers,
                records,
                opportunities,
                orders,
            } => bench_sales::run(*customers, *records, *opportunities, *orders).await,
            BenchCommand::Search { path, copies } => bench_search::run(path, *copies).await,
            BenchCommand::Pdf { renders } => bench_pdf::run(*renders),
        };
    }
    if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create data directory {}: {e}",
                config.data_dir.display()
            )
        })?;
    }
    let store = Store::connect(&config.database_url).await?;
    let applied = store.migrate().await?;
    match cli.command {
        Command::Migrate => {
            println!("{} migration(s) applied", applied.len());
        }
        Command::Admin {
            command:
                AdminCommand::ResetPassword {
                    user,
                    password_stdin,
                },
        } => {
            let password = if password_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                s.trim_end_matches(['\r', '\n']).to_string()
            } else {
                wharf_store::secret::random_token()[..16].to_string()
            };
            store
                .cli_reset_password(&user, &password)
                .await
                .map_err(|e| match e {
                    wharf_store::StoreError::Domain(wharf_core::DomainError::NotFound) => {
                        anyhow::anyhow!("no user named {user}")
                    }
                    wharf_store::StoreError::Domain(d) => anyhow::anyhow!("password refused: {d}"),
                    other => other.into(),
                })?;
            if password_stdin {
                println!("password of {user} changed");
            } else {
                println!("new password of {user}: {password}");
            }
        }
        Command::Serve { .. } => serve(store, &config).await?,
        Command::Import { account, paths } => {
            mailcli::import(&mailcli::env(&store, &config)?, account, paths).await?
        }
        Command::Export {
            account,
            out,
            format,
        } => {
            let env = mailcli::env(&store, &config)?;
            mailcli::export(&env, account, &out, matches!(format, ExportFormat::Mbox)).await?
        }
        Command::Reparse { account, batch } => {
            mailcli::reparse(&mailcli::env(&store, &config)?, account, batch).await?
        }
        Command::Sync { account } => {
            mailcli::sync(&mailcli::env(&store, &config)?, account).await?
        }
        Command::Accounts => mailcli::accounts(&store).await?,
        Command::Search { command } => match command {
            SearchCommand::Rebuild => searchcli::rebuild(&store, &config).await?,
            SearchCommand::Status => searchcli::status(&store, &config).await?,
        },
        Command::Bench { .. } => {}
    }
    Ok(())
}

async fn serve(store: Store, config: &Config) -> anyhow::Result<()> {
    let policy = SessionPolicy {
        idle_seconds: config.session_idle_minutes * 60,
        absolute_seconds: config.session_max_hours * 3600,
    };
    let env = mailcli::env(&store, config)?;
    // Passwords sealed before they were bound to their account: re-seal them now.
    match store.reseal_legacy_secrets(&env.vault).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("re-sealed {n} stored mail password(s) bound to their account"),
        Err(e) => tracing::warn!("stored mail passwords not re-sealed: {e}"),
    }
    let state = wharf_web::AppState::new(store.clone(), policy, config.secure_cookies, env.clone())
        .await
        .map_err(|e| anyhow::anyhow!("start-up failed: {e:?}"))?
        .with_inquiry_layouts(&config.data_dir.join("inquiry-layouts"))
        .with_trusted_proxies(
            wharf_web::client_ip::TrustedProxies::parse(&config.trusted_proxies)
                .map_err(|e| anyhow::anyhow!("config: {e}"))?,
        );
    let stop = std::sync::Arc::new(tokio::sync::Notify::new());
    // This node's search index, kept current from the database's change log.
    let search = std::sync::Arc::new(searchcli::open(config)?);
    tokio::spawn(wharf_search::run_indexer(
        search.clone(),
        store.clone(),
        stop.clone(),
    ));
    // The job runner: every feature's kinds in one registry (the mailbox's only on
    // nodes that run the mail worker), one claim loop, shared with the web's "start now".
    let mut kinds = wharf_web::job_kinds();
    let mut concurrency = 4;
    if config.mail_worker {
        let worker = wharf_mailbox::worker::WorkerConfig {
            poll_seconds: config.mail_poll_seconds,
            ..Default::default()
        };
        concurrency += worker.concurrency;
        if let Err(e) = wharf_mailbox::worker::schedule_syncs(&env).await {
            tracing::warn!("cannot schedule mailbox syncs: {e}");
        }
        kinds.extend(wharf_mailbox::worker::kinds(&env, &worker));
    }
    let registry = wharf_jobs::Registry::new()
        .with(kinds)
        .map_err(|e| anyhow::anyhow!("job kinds: {e}"))?;
    let jobs = wharf_jobs::Runner::new(store.clone(), registry, concurrency);
    tokio::spawn(jobs.clone().run(stop.clone()));
    let app = wharf_web::router(state.with_search(search).with_jobs(jobs));
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
    tracing::info!("Wharf listening on http://{}", config.listen);
    println!("Wharf is running at http://{}", config.listen);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    stop.notify_waiters();
    store.close().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM from a service manager. Work in flight is safe either way: a sync
/// or send interrupted here resumes from its last commit on the next start.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
