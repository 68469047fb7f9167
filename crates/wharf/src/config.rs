//! The one configuration struct: defaults that work on a fresh machine, overridden by an
//! optional TOML file, then by `WHARF_*` environment variables and command-line flags
//! (clap merges those two). Unknown keys in the file are refused.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Where the SQLite database and stored files live. Default `./wharf-data`.
    pub data_dir: Option<PathBuf>,
    /// Address to listen on. Default `127.0.0.1:8080`.
    pub listen: Option<String>,
    /// `postgres://…` to use PostgreSQL instead of the embedded SQLite.
    pub database_url: Option<String>,
    /// Minutes a session may sit unused. Default 720 (12 hours).
    pub session_idle_minutes: Option<i64>,
    /// Hours a session may live at most. Default 168 (7 days).
    pub session_max_hours: Option<i64>,
    /// Mark cookies `Secure` (set when Wharf is served over HTTPS). Default false.
    pub secure_cookies: Option<bool>,
    /// 64 hex characters: the key that seals mail account passwords. Default: the key in
    /// `DATA_DIR/secret.key`, created on first start. All app nodes must share it.
    pub secret_key: Option<String>,
    /// Run the mailbox worker (sync and sending) in `serve`. Default true.
    pub mail_worker: Option<bool>,
    /// Seconds between polls of a mail server without IDLE. Default 120.
    pub mail_poll_seconds: Option<i64>,
    /// Reverse proxies in front of Wharf, as addresses or CIDRs (`["127.0.0.1",
    /// "10.0.0.0/8"]`). For connections from them the client's address (audit log, sign-in
    /// limits) is read from `Forwarded` / `X-Forwarded-For`. Default none: the
    /// connection's own address.
    pub trusted_proxies: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub listen: String,
    pub database_url: String,
    pub session_idle_minutes: i64,
    pub session_max_hours: i64,
    pub secure_cookies: bool,
    pub secret_key: Option<String>,
    pub mail_worker: bool,
    pub mail_poll_seconds: i64,
    pub trusted_proxies: Vec<String>,
}

pub fn load_file(path: Option<&Path>) -> anyhow::Result<FileConfig> {
    match path {
        None => Ok(FileConfig::default()),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("cannot read config file {}: {e}", p.display()))?;
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("config file {}: {e}", p.display()))
        }
    }
}

impl Config {
    /// Flags / environment win over the file, the file over the defaults.
    pub fn resolve(
        file: FileConfig,
        data_dir: Option<PathBuf>,
        listen: Option<String>,
        database_url: Option<String>,
    ) -> Config {
        let data_dir = data_dir
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("wharf-data"));
        let database_url = database_url
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("wharf.db").display()));
        Config {
            listen: listen
                .or(file.listen)
                .unwrap_or_else(|| "127.0.0.1:8080".into()),
            database_url,
            data_dir,
            session_idle_minutes: file.session_idle_minutes.unwrap_or(720).max(1),
            session_max_hours: file.session_max_hours.unwrap_or(168).max(1),
            secure_cookies: file.secure_cookies.unwrap_or(false),
            secret_key: std::env::var("WHARF_SECRET_KEY").ok().or(file.secret_key),
            mail_worker: file.mail_worker.unwrap_or(true),
            mail_poll_seconds: file.mail_poll_seconds.unwrap_or(120).max(10),
            trusted_proxies: file.trusted_proxies.unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_precedence() {
        let c = Config::resolve(FileConfig::default(), None, None, None);
        assert_eq!(c.listen, "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite://wharf-data/wharf.db");
        let file: FileConfig =
            toml::from_str("listen = \"0.0.0.0:9000\"\ndata_dir = \"/srv/wharf\"").unwrap();
        let c = Config::resolve(file, None, Some("127.0.0.1:1".into()), None);
        assert_eq!(c.listen, "127.0.0.1:1");
        assert_eq!(c.database_url, "sqlite:///srv/wharf/wharf.db");
        assert!(
            toml::from_str::<FileConfig>("lisen = 1").is_err(),
            "unknown keys are refused"
        );
        let file: FileConfig =
            toml::from_str("trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]").unwrap();
        let c = Config::resolve(file, None, None, None);
        assert_eq!(c.trusted_proxies, ["127.0.0.1", "10.0.0.0/8"]);
        assert!(
            Config::resolve(FileConfig::default(), None, None, None)
                .trusted_proxies
                .is_empty()
        );
    }
}
