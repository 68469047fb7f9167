//! Wharf's own DKIM / SPF / DMARC check at arrival, on SQLite and PostgreSQL, against a
//! DNS table (no query leaves the machine): a message signed with a key made for the
//! test passes, the same with a changed body fails DKIM, a forged
//! `Authentication-Results: pass` is not believed, DMARC `p=reject` fails, imported old
//! mail is "not checked", and a DNS that does not answer gives `temperror`.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use mail_auth::common::crypto::Ed25519Key;
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::DkimSigner;
use wharf_mailbox::auth::{DnsTable, Verifier};
use wharf_mailbox::auth_job::drain;
use wharf_mailbox::ingest::Origin;
use wharf_store::Ctx;
use wharf_store::mail::authentication::AuthResults;
use wharf_store::testing::backends;

/// A DKIM key made for the test (PKCS #8), and its public half as DNS publishes it.
struct Key {
    der: Vec<u8>,
    public_b64: String,
}

fn new_key() -> Key {
    let der = Ed25519Key::generate_pkcs8().unwrap();
    let public = Ed25519Key::from_pkcs8_der(&der).unwrap().public_key();
    let public_b64 = base64::engine::general_purpose::STANDARD.encode(public);
    Key { der, public_b64 }
}

fn table(key: &Key) -> DnsTable {
    let t = DnsTable::fixed();
    assert!(t.add_txt(
        "sel1._domainkey.example-trading.com",
        &format!("v=DKIM1; k=ed25519; p={}", key.public_b64)
    ));
    assert!(t.add_txt("example-trading.com", "v=spf1 ip4:192.0.2.10 -all"));
    assert!(t.add_txt("_dmarc.example-trading.com", "v=DMARC1; p=reject"));
    assert!(t.add_txt("forger.example", "v=spf1 ip4:198.51.100.1 -all"));
    assert!(t.add_txt("_dmarc.forger.example", "v=DMARC1; p=reject"));
    t
}

fn date(days_ago: i64) -> String {
    let t = time::OffsetDateTime::now_utc() - time::Duration::days(days_ago);
    t.format(&time::format_description::well_known::Rfc2822)
        .unwrap()
}

/// An offer from example-trading.com, received from its own server, DKIM-signed.
fn signed_offer(key: &Key, body: &str, days_ago: i64) -> Vec<u8> {
    let inner = format!(
        "From: Anna <anna@example-trading.com>\r\nTo: sales@wharf.test\r\nSubject: Offer\r\n\
Date: {}\r\nMessage-ID: <offer-{}@example-trading.com>\r\n\r\n{body}",
        date(days_ago),
        wharf_store::secret::random_token()
    );
    let sig = DkimSigner::from_key(Ed25519Key::from_pkcs8_der(&key.der).unwrap())
        .domain("example-trading.com")
        .selector("sel1")
        .headers(["From", "To", "Subject", "Date", "Message-ID"])
        .sign(inner.as_bytes())
        .unwrap();
    format!(
        "Return-Path: <anna@example-trading.com>\r\n\
Received: from mail.example-trading.com (out.example-trading.com [192.0.2.10])\r\n\
\tby mx.wharf.test (Postfix) with ESMTPS id 4Q1; {}\r\n{}{inner}",
        date(days_ago),
        sig.to_header()
    )
    .into_bytes()
}

/// A mail claiming to be from forger.example, sent from an address its SPF does not
/// list, with an `Authentication-Results` header that says all passed.
fn forged() -> Vec<u8> {
    format!(
        "Authentication-Results: mx.wharf.test; dkim=pass header.d=forger.example; spf=pass smtp.mailfrom=forger.example; dmarc=pass\r\n\
Return-Path: <ceo@forger.example>\r\n\
Received: from mail.forger.example (unknown [203.0.113.66])\r\n\tby mx.wharf.test (Postfix) with ESMTP id 9Z; {}\r\n\
From: CEO <ceo@forger.example>\r\nTo: sales@wharf.test\r\nSubject: Urgent payment\r\nDate: {}\r\n\
Message-ID: <forged-{}@forger.example>\r\n\r\nPay the invoice today.\r\n",
        date(0),
        date(0),
        wharf_store::secret::random_token()
    )
    .into_bytes()
}

async fn setup(store: &wharf_store::Store) -> (wharf_mailbox::Env, wharf_core::Actor, i64) {
    let env = common::env_for(store);
    let actor = common::admin(store).await;
    let account = store
        .create_account(
            Ctx {
                actor: &actor,
                ip: "127.0.0.1",
            },
            &env.vault,
            wharf_store::testing::local_account("sales@wharf.test", None),
        )
        .await
        .unwrap();
    (env, actor, account)
}

async fn ingest(env: &wharf_mailbox::Env, account: i64, raw: Vec<u8>, source: &str) -> i64 {
    let origin = Origin {
        account_id: account,
        own_addresses: vec!["sales@wharf.test".into()],
        folder_role: "inbox".into(),
        source: source.into(),
        ..Default::default()
    };
    env.ingestor()
        .ingest_raw(vec![(raw, origin)], None)
        .await
        .unwrap()[0]
        .id()
}

async fn results(env: &wharf_mailbox::Env, actor: &wharf_core::Actor, id: i64) -> AuthResults {
    env.store
        .message_auth(actor, id)
        .await
        .unwrap()
        .expect("results")
}

#[tokio::test]
async fn dkim_spf_dmarc_computed_by_wharf() {
    let key = new_key();
    let verifier = Arc::new(Verifier::with_table(table(&key)));
    for store in backends().await {
        let (env, actor, account) = setup(&store).await;
        let good = ingest(
            &env,
            account,
            signed_offer(&key, "500 pcs at 3.20 USD\r\n", 0),
            "imap",
        )
        .await;
        let mut changed = signed_offer(&key, "500 pcs at 3.20 USD\r\n", 0);
        let at = changed.windows(4).position(|w| w == b"3.20").unwrap();
        changed[at..at + 4].copy_from_slice(b"2.10");
        let changed = ingest(&env, account, changed, "imap").await;
        let forged = ingest(&env, account, forged(), "imap").await;

        // Stored at once, checked after: the job is queued.
        assert_eq!(results(&env, &actor, good).await.state, "pending");
        let job = store.claim_job("test", &["auth"], 60).await.unwrap();
        assert!(job.is_some(), "ingest queues the auth job");
        drain(&env, &verifier).await.unwrap();

        let r = results(&env, &actor, good).await;
        assert_eq!(r.state, "done");
        assert_eq!(
            (
                r.dkim.as_str(),
                r.dkim_domain.as_str(),
                r.dkim_selector.as_str()
            ),
            ("pass", "example-trading.com", "sel1"),
            "{}",
            r.reason
        );
        assert_eq!(
            (r.spf.as_str(), r.spf_domain.as_str()),
            ("pass", "example-trading.com")
        );
        assert_eq!(
            (r.dmarc.as_str(), r.dmarc_policy.as_str()),
            ("pass", "reject")
        );
        assert_eq!(r.from_domain, "example-trading.com");
        assert_eq!(
            r.hop,
            "mail.example-trading.com [192.0.2.10] → mx.wharf.test (Received #1)"
        );
        assert!(r.computed_at.is_some());

        // The body changed after signing: DKIM fails (SPF still passes, and aligns).
        let r = results(&env, &actor, changed).await;
        assert_eq!(r.dkim, "fail", "{}", r.reason);
        assert!(r.reason.contains("DKIM"), "{}", r.reason);
        assert_eq!(r.spf, "pass");

        // The forged Authentication-Results header is not believed.
        let r = results(&env, &actor, forged).await;
        assert_eq!(r.dkim, "none");
        assert_eq!(r.spf, "fail");
        assert_eq!(
            (r.dmarc.as_str(), r.dmarc_policy.as_str()),
            ("fail", "reject")
        );
        assert_eq!(r.from_domain, "forger.example");
    }
}

#[tokio::test]
async fn spf_softfail_and_neutral_against_the_table() {
    let t = DnsTable::fixed();
    assert!(t.add_txt("soft.example", "v=spf1 ip4:192.0.2.0/24 ~all"));
    assert!(t.add_txt("open.example", "v=spf1 ?all"));
    assert!(!t.add_txt("broken.example", "not a record"));
    let v = Verifier::with_table(t);
    let mail = |domain: &str, ip: &str| {
        format!(
            "Return-Path: <a@{domain}>\r\nReceived: from mx.{domain} (mx.{domain} [{ip}]) by mx.wharf.test; x\r\n\
From: a@{domain}\r\nSubject: s\r\n\r\nhi\r\n"
        )
        .into_bytes()
    };
    assert_eq!(
        v.check(&mail("soft.example", "192.0.2.77")).await.spf,
        "pass"
    );
    assert_eq!(
        v.check(&mail("soft.example", "203.0.113.5")).await.spf,
        "softfail"
    );
    assert_eq!(
        v.check(&mail("open.example", "203.0.113.5")).await.spf,
        "neutral"
    );
    // No record at all: none, and DMARC none (no policy).
    let r = v.check(&mail("nowhere.example", "203.0.113.5")).await;
    assert_eq!(
        (r.spf.as_str(), r.dmarc.as_str(), r.dkim.as_str()),
        ("none", "none", "none")
    );
    // No Received header: SPF cannot be checked, and the view says why.
    let r = v
        .check(b"From: a@soft.example\r\nSubject: s\r\n\r\nhi\r\n")
        .await;
    assert_eq!(r.spf, "none");
    assert_eq!(r.hop, "");
    assert!(r.reason.contains("no Received hop"), "{}", r.reason);
}

#[tokio::test]
async fn old_imported_mail_is_not_checked() {
    let key = new_key();
    let verifier = Arc::new(Verifier::with_table(table(&key)));
    for store in backends().await {
        let (env, actor, account) = setup(&store).await;
        let old = ingest(
            &env,
            account,
            signed_offer(&key, "2019 price list\r\n", 400),
            "import:old.mbox",
        )
        .await;
        let recent = ingest(
            &env,
            account,
            signed_offer(&key, "this week\r\n", 2),
            "import:new.mbox",
        )
        .await;
        drain(&env, &verifier).await.unwrap();
        let r = results(&env, &actor, old).await;
        assert_eq!((r.state.as_str(), r.dkim.as_str()), ("old", ""));
        assert_eq!(results(&env, &actor, recent).await.dkim, "pass");
    }
}

#[tokio::test]
async fn a_dns_that_does_not_answer_gives_temperror_quickly() {
    // A UDP socket that reads nothing: every query times out.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let v = Verifier::with_server(silent.local_addr().unwrap(), Duration::from_secs(8));
    let key = new_key();
    let started = Instant::now();
    let r = v.check(&signed_offer(&key, "hello\r\n", 0)).await;
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.dkim, "temperror", "{}", r.reason);
    assert_eq!(r.spf, "temperror", "{}", r.reason);
    assert_eq!(r.dmarc, "temperror", "{}", r.reason);
    // The overall bound holds too.
    let v = Verifier::with_server(silent.local_addr().unwrap(), Duration::from_millis(300));
    let started = Instant::now();
    let r = v.check(&signed_offer(&key, "hello\r\n", 0)).await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        (r.dkim.as_str(), r.spf.as_str(), r.dmarc.as_str()),
        ("temperror", "temperror", "temperror")
    );
    assert!(r.reason.contains("in time"), "{}", r.reason);
}

#[tokio::test]
async fn mail_we_sent_is_not_checked() {
    for store in backends().await {
        let (env, actor, account) = setup(&store).await;
        let raw =
            b"From: sales@wharf.test\r\nTo: b@x.example\r\nSubject: ours\r\n\r\nhi\r\n".to_vec();
        let id = ingest(&env, account, raw, "sent").await;
        assert_eq!(env.store.message_auth(&actor, id).await.unwrap(), None);
    }
}
