//! Wharf's own DKIM / SPF / DMARC check of a message (issue 15), with `mail-auth`: DKIM
//! over the original bytes, SPF for the connecting IP and HELO of the receiving hop
//! (`wharf_mail::received`) and the `Return-Path` sender, DMARC from the From domain's
//! policy with both. The message's own `Authentication-Results` headers are never read.
//! DNS is the system resolver with a short timeout (a failure or a timeout is
//! `temperror`, never an error of the caller), or, in tests, a [`DnsTable`] of TXT
//! records that answers "no such name" for everything else.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;
use mail_auth::dkim::DkimError;
use mail_auth::dmarc::verify::DmarcParameters;
use mail_auth::dmarc::{Dmarc, Policy};
use mail_auth::hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts,
};
use mail_auth::hickory_resolver::proto::op::ResponseCode;
use mail_auth::spf::Spf;
use mail_auth::spf::verify::SpfParameters;
use mail_auth::{
    AuthenticatedMessage, DkimOutput, DkimResult, DmarcResult, DnsError, MessageAuthenticator,
    Parameters, ResolverCache, SpfResult, Txt,
};
use wharf_mail::received::{envelope_sender, receiving_hop};
use wharf_store::mail::authentication::AuthResults;

/// How long one DNS query may take, and the whole check of one message.
pub const DNS_TIMEOUT: Duration = Duration::from_secs(4);
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(15);

/// TXT records by name: a fixed table (tests), or a bounded cache in front of the
/// resolver (production).
pub struct DnsTable {
    records: Mutex<HashMap<Box<str>, Entry>>,
    /// Names not in the table do not exist (no resolver is asked).
    authoritative: bool,
}

/// A record and, for a cached answer, until when it holds.
type Entry = (Txt, Option<Instant>);

const CACHE_MAX: usize = 10_000;

impl DnsTable {
    /// A table that is the whole DNS: every other name answers NXDOMAIN.
    pub fn fixed() -> DnsTable {
        DnsTable {
            records: Mutex::new(HashMap::new()),
            authoritative: true,
        }
    }

    fn cache() -> DnsTable {
        DnsTable {
            records: Mutex::new(HashMap::new()),
            authoritative: false,
        }
    }

    /// Adds a TXT record as it would be published (`v=DKIM1; …`, `v=spf1 …`,
    /// `v=DMARC1; …`) under `name`; false if it does not parse as any of them.
    pub fn add_txt(&self, name: &str, value: &str) -> bool {
        let bytes = value.as_bytes();
        let txt: Txt = if value.starts_with("v=spf1") {
            match Spf::parse(bytes) {
                Ok(r) => r.into(),
                Err(_) => return false,
            }
        } else if value.starts_with("v=DMARC1") {
            match Dmarc::parse(bytes) {
                Ok(r) => r.into(),
                Err(_) => return false,
            }
        } else {
            match DomainKey::parse(bytes) {
                Ok(r) => r.into(),
                Err(_) => return false,
            }
        };
        if let Ok(mut map) = self.records.lock() {
            map.insert(fqdn(name).into_boxed_str(), (txt, None));
        }
        true
    }
}

fn fqdn(name: &str) -> String {
    let mut n = name.to_ascii_lowercase();
    if !n.ends_with('.') {
        n.push('.');
    }
    n
}

impl ResolverCache<Box<str>, Txt> for DnsTable {
    fn get<Q>(&self, name: &Q) -> Option<Txt>
    where
        Box<str>: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        // mail-auth asks by fully qualified, lower-case name, as the table keeps them.
        let map = self.records.lock().ok()?;
        match map.get(name) {
            Some((txt, until)) if until.is_none_or(|u| u > Instant::now()) => Some(txt.clone()),
            _ if self.authoritative => Some(Txt::Error(mail_auth::Error::Dns(
                DnsError::RecordNotFound(ResponseCode::NXDomain),
            ))),
            _ => None,
        }
    }

    fn remove<Q>(&self, name: &Q) -> Option<Txt>
    where
        Box<str>: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.records.lock().ok()?.remove(name).map(|(t, _)| t)
    }

    fn insert(&self, key: Box<str>, value: Txt, valid_until: Instant) {
        if self.authoritative {
            return;
        }
        if let Ok(mut map) = self.records.lock() {
            if map.len() >= CACHE_MAX {
                map.clear();
            }
            map.insert(key, (value, Some(valid_until)));
        }
    }
}

/// Checks messages. Cheap to share (`Arc`).
pub struct Verifier {
    authenticator: Option<MessageAuthenticator>,
    table: DnsTable,
    timeout: Duration,
    /// Why there is no resolver (then every result is `temperror`).
    no_dns: String,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("resolver", &self.authenticator.is_some())
            .field("fixed_table", &self.table.authoritative)
            .finish()
    }
}

impl Verifier {
    /// The system resolver (`/etc/resolv.conf`), one try of [`DNS_TIMEOUT`] per query.
    pub fn system() -> Verifier {
        let made = mail_auth::hickory_resolver::system_conf::read_system_conf()
            .map_err(|e| e.to_string())
            .and_then(|(config, mut opts)| {
                opts.timeout = DNS_TIMEOUT;
                opts.attempts = 1;
                MessageAuthenticator::new(config, opts).map_err(|e| e.to_string())
            });
        match made {
            Ok(a) => Verifier {
                authenticator: Some(a),
                table: DnsTable::cache(),
                timeout: CHECK_TIMEOUT,
                no_dns: String::new(),
            },
            Err(e) => {
                tracing::warn!("no DNS resolver for mail authentication: {e}");
                Verifier {
                    authenticator: None,
                    table: DnsTable::cache(),
                    timeout: CHECK_TIMEOUT,
                    no_dns: format!("no DNS resolver: {e}"),
                }
            }
        }
    }

    /// Answers from `table` alone (tests): no query leaves the process.
    pub fn with_table(table: DnsTable) -> Verifier {
        Verifier {
            // Never asked: the table answers every TXT name. Other record types (the
            // `a` / `mx` mechanisms) go to a port nothing listens on.
            authenticator: unreachable_resolver(SocketAddr::from(([127, 0, 0, 1], 9)), 1),
            table,
            timeout: CHECK_TIMEOUT,
            no_dns: String::new(),
        }
    }

    /// A resolver that asks `server` (tests: one that never answers), with the check
    /// timeout `timeout`.
    pub fn with_server(server: SocketAddr, timeout: Duration) -> Verifier {
        Verifier {
            authenticator: unreachable_resolver(server, 1),
            table: DnsTable::cache(),
            timeout,
            no_dns: String::new(),
        }
    }

    /// The results for one message's original bytes; never fails (DNS trouble is
    /// `temperror`).
    pub async fn check(&self, raw: &[u8]) -> AuthResults {
        let hop = receiving_hop(raw);
        let mut out = AuthResults {
            state: "done".into(),
            hop: hop.as_ref().map(|h| h.describe()).unwrap_or_default(),
            ..AuthResults::default()
        };
        let Some(auth) = &self.authenticator else {
            return temperror(out, &self.no_dns);
        };
        let Some(message) = AuthenticatedMessage::parse(raw) else {
            out.dkim = "permerror".into();
            out.spf = "none".into();
            out.dmarc = "none".into();
            out.reason = "unparsable headers".into();
            return out;
        };
        out.from_domain = message
            .from
            .first()
            .and_then(|f| f.rsplit_once('@'))
            .map(|(_, d)| d.to_ascii_lowercase())
            .unwrap_or_default();
        let work = async {
            let dkim = auth
                .verify_dkim(Parameters::new(&message).with_txt_cache(&self.table))
                .await;
            let sender = envelope_sender(raw);
            let spf = match &hop {
                Some(h) => Some(
                    auth.verify_spf(
                        Parameters::new(SpfParameters::verify(h.ip, &h.helo, &h.by, &sender))
                            .with_txt_cache(&self.table),
                    )
                    .await,
                ),
                None => None,
            };
            let spf_domain = match (&spf, sender.rsplit_once('@')) {
                (Some(o), _) => o.domain().to_string(),
                (None, Some((_, d))) => d.to_string(),
                (None, None) => String::new(),
            };
            let none_spf = mail_auth::SpfOutput::new(spf_domain.clone());
            let spf_ref = spf.as_ref().unwrap_or(&none_spf);
            let dmarc = auth
                .verify_dmarc(
                    Parameters::new(DmarcParameters::new(&message, &dkim, &spf_domain, spf_ref))
                        .with_txt_cache(&self.table),
                )
                .await;
            (dkim, spf, spf_domain, dmarc)
        };
        let Ok((dkim, spf, spf_domain, dmarc)) = tokio::time::timeout(self.timeout, work).await
        else {
            return temperror(out, "DNS did not answer in time");
        };
        let mut reasons = Vec::new();
        match best_dkim(&dkim, &out.from_domain) {
            Some(d) => {
                out.dkim = dkim_word(d.result()).into();
                if let Some(sig) = d.signature() {
                    out.dkim_domain = sig.d.to_ascii_lowercase();
                    out.dkim_selector = sig.s.clone();
                }
                if let Some(e) = dkim_error(d.result()) {
                    reasons.push(format!("DKIM: {e}"));
                }
            }
            None => out.dkim = "none".into(),
        }
        match &spf {
            Some(s) => {
                out.spf = spf_word(s.result()).into();
                out.spf_domain = spf_domain;
                if !matches!(s.result(), SpfResult::Pass | SpfResult::None) {
                    reasons.push(format!("SPF: {} for {}", out.spf, s.domain()));
                }
            }
            None => {
                out.spf = "none".into();
                reasons.push("SPF: no Received hop with an IP".into());
            }
        }
        let result = dmarc.result();
        out.dmarc = dmarc_word(&result).into();
        out.dmarc_policy = match (dmarc.dmarc_record(), dmarc.policy()) {
            (None, _) => String::new(),
            (Some(_), Policy::Reject) => "reject".into(),
            (Some(_), Policy::Quarantine) => "quarantine".into(),
            (Some(_), Policy::None | Policy::Unspecified) => "none".into(),
        };
        if let DmarcResult::Fail(e) | DmarcResult::TempError(e) | DmarcResult::PermError(e) =
            &result
        {
            reasons.push(format!("DMARC: {e}"));
        }
        out.reason = reasons.join("; ");
        out.reason.truncate(
            (0..=out.reason.len().min(300))
                .rev()
                .find(|&i| out.reason.is_char_boundary(i))
                .unwrap_or(0),
        );
        out
    }
}

fn unreachable_resolver(server: SocketAddr, attempts: usize) -> Option<MessageAuthenticator> {
    let mut ns = NameServerConfig::udp(server.ip());
    ns.connections = vec![{
        let mut c = ConnectionConfig::udp();
        c.port = server.port();
        c
    }];
    let mut opts = ResolverOpts::default();
    opts.timeout = Duration::from_millis(500);
    opts.attempts = attempts;
    MessageAuthenticator::new(ResolverConfig::from_name_servers(vec![ns]), opts).ok()
}

fn temperror(mut out: AuthResults, why: &str) -> AuthResults {
    out.dkim = "temperror".into();
    out.spf = "temperror".into();
    out.dmarc = "temperror".into();
    out.reason = why.to_string();
    out
}

/// The signature that speaks for the message: a pass aligned with From first, then
/// any pass, then the first result.
fn best_dkim<'a, 'x>(all: &'a [DkimOutput<'x>], from_domain: &str) -> Option<&'a DkimOutput<'x>> {
    let aligned = |d: &DkimOutput<'_>| {
        d.signature().is_some_and(|s| {
            let sd = s.d.to_ascii_lowercase();
            from_domain == sd || from_domain.ends_with(&format!(".{sd}"))
        })
    };
    all.iter()
        .find(|d| *d.result() == DkimResult::Pass && aligned(d))
        .or_else(|| all.iter().find(|d| *d.result() == DkimResult::Pass))
        .or_else(|| all.first())
}

/// The RFC 8601 word; a body that no longer matches its signed hash is `fail` (RFC 6376
/// §6.1.3: PERMFAIL), where mail-auth says `neutral`.
fn dkim_word(r: &DkimResult) -> &'static str {
    match r {
        DkimResult::Pass => "pass",
        DkimResult::Neutral(mail_auth::Error::Dkim(DkimError::FailedBodyHashMatch)) => "fail",
        DkimResult::Neutral(_) => "neutral",
        DkimResult::Fail(_) => "fail",
        DkimResult::PermError(_) => "permerror",
        DkimResult::TempError(_) => "temperror",
        DkimResult::None => "none",
    }
}

fn dkim_error(r: &DkimResult) -> Option<&mail_auth::Error> {
    match r {
        DkimResult::Neutral(e)
        | DkimResult::Fail(e)
        | DkimResult::PermError(e)
        | DkimResult::TempError(e) => Some(e),
        DkimResult::Pass | DkimResult::None => None,
    }
}

fn spf_word(r: SpfResult) -> &'static str {
    match r {
        SpfResult::Pass => "pass",
        SpfResult::Fail => "fail",
        SpfResult::SoftFail => "softfail",
        SpfResult::Neutral => "neutral",
        SpfResult::TempError => "temperror",
        SpfResult::PermError => "permerror",
        SpfResult::None => "none",
    }
}

fn dmarc_word(r: &DmarcResult) -> &'static str {
    match r {
        DmarcResult::Pass => "pass",
        DmarcResult::Fail(_) => "fail",
        DmarcResult::TempError(_) => "temperror",
        DmarcResult::PermError(_) => "permerror",
        DmarcResult::None => "none",
    }
}
