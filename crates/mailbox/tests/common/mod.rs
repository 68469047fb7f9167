//! Shared test setup: the real mail servers started by `scripts/test` (Dovecot and
//! Postfix on loopback), a fresh mailbox per test, and a store with an admin.
#![allow(dead_code, clippy::unwrap_used)]

use wharf_core::Actor;
use wharf_core::mail::account::AccountInput;
use wharf_mailbox::Env;
use wharf_store::{Ctx, Store};

/// Ports of the loopback mail stack, from the environment `scripts/test` sets.
#[derive(Debug, Clone)]
pub struct MailServers {
    pub host: String,
    pub imap: u16,
    pub imaps: u16,
    pub pop3: u16,
    pub pop3s: u16,
    pub smtp: u16,
    pub submission: u16,
    pub smtps: u16,
    pub domain: String,
    pub ca: String,
}

fn port(name: &str) -> Option<u16> {
    std::env::var(name).ok()?.parse().ok()
}

/// The mail stack, or None (with a note) when it is not running; under CI=true its
/// absence is a failure.
pub fn servers() -> Option<MailServers> {
    let found = (|| {
        Some(MailServers {
            host: std::env::var("WHARF_TEST_MAIL_HOST").ok()?,
            imap: port("WHARF_TEST_IMAP_PORT")?,
            imaps: port("WHARF_TEST_IMAPS_PORT")?,
            pop3: port("WHARF_TEST_POP3_PORT")?,
            pop3s: port("WHARF_TEST_POP3S_PORT")?,
            smtp: port("WHARF_TEST_SMTP_PORT")?,
            submission: port("WHARF_TEST_SUBMISSION_PORT")?,
            smtps: port("WHARF_TEST_SMTPS_PORT")?,
            domain: std::env::var("WHARF_TEST_MAIL_DOMAIN")
                .unwrap_or_else(|_| "example.test".into()),
            ca: std::env::var("WHARF_TEST_MAIL_CA").unwrap_or_default(),
        })
    })();
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but the mail servers are not running (run the tests through scripts/test)"
        );
        eprintln!(
            "skipped: no mail servers (WHARF_TEST_IMAP_PORT unset); run through scripts/test"
        );
    }
    found
}

/// A user name no other test uses (Dovecot accepts any user with password `testpass`).
pub fn fresh_user(prefix: &str) -> String {
    format!("{prefix}-{}", &wharf_store::secret::random_token()[..10])
}

pub const PASSWORD: &str = "testpass";

pub fn env_for(store: &Store) -> Env {
    wharf_mailbox::testing::scratch_env(store.clone())
}

pub async fn admin(store: &Store) -> Actor {
    let id = store
        .complete_setup("Admin-Passw0rd-Long", "127.0.0.1")
        .await
        .unwrap();
    store.load_actor(id).await.unwrap().unwrap()
}

/// An IMAP (or POP3) account of `user` on the test servers, plain login on loopback.
pub async fn account(env: &Env, actor: &Actor, s: &MailServers, user: &str, protocol: &str) -> i64 {
    let input = AccountInput {
        address: format!("{user}@{}", s.domain),
        kind: "public".into(),
        in_protocol: protocol.into(),
        in_host: s.host.clone(),
        in_port: i64::from(if protocol == "pop3" { s.pop3 } else { s.imap }),
        in_security: "none".into(),
        in_username: user.into(),
        in_password: PASSWORD.into(),
        out_host: s.host.clone(),
        out_port: i64::from(s.submission),
        out_security: "starttls".into(),
        out_username: user.into(),
        accept_invalid_certs: true,
        leave_on_server: true,
        sync_enabled: true,
        max_attachment_mb: 25,
        ..Default::default()
    };
    env.store
        .create_account(
            Ctx {
                actor,
                ip: "127.0.0.1",
            },
            &env.vault,
            input,
        )
        .await
        .unwrap()
}

/// A small distinct message.
pub fn message(n: usize, to: &str) -> Vec<u8> {
    format!(
        "From: Buyer {n} <buyer{n}@example.com>\r\nTo: {to}\r\nSubject: Inquiry {n}\r\n\
Message-ID: <inq-{n}-{}@example.com>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0800\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nPlease quote item {n}.\r\n",
        &wharf_store::secret::random_token()[..8]
    )
    .into_bytes()
}

/// Puts messages straight into a user's INBOX with IMAP APPEND.
pub async fn append(s: &MailServers, user: &str, messages: &[Vec<u8>]) {
    let endpoint = wharf_mail::net::Endpoint {
        host: s.host.clone(),
        port: s.imap,
        security: wharf_mail::net::Security::None,
        accept_invalid_certs: true,
    };
    let mut conn = wharf_mail::imap::login(&endpoint, user, PASSWORD)
        .await
        .unwrap();
    for m in messages {
        conn.append("INBOX", "", m).await.unwrap();
    }
    conn.logout().await;
}
