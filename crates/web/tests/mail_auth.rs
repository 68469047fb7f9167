//! The mail view's authentication line through the router, in English and Chinese: a
//! DKIM-signed mail from its own server reads "DKIM pass (example-trading.com) · SPF
//! pass · DMARC pass"; a mail with a forged `Authentication-Results: pass` header
//! warns that its From domain fails DMARC; an S/MIME mail names its signer; the JSON
//! API's message view carries the same; another salesperson gets 404.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use mail_auth::common::crypto::Ed25519Key;
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::DkimSigner;
use tower::ServiceExt;
use wharf_mailbox::auth::{DnsTable, Verifier};
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::testing;
use wharf_web::{AppState, router};

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

async fn get(app: &axum::Router, uri: &str, cookie: &str, lang: &str) -> (StatusCode, String) {
    let req = Request::get(uri)
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT_LANGUAGE, lang)
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn mail_env(store: &wharf_store::Store) -> wharf_mailbox::Env {
    wharf_mailbox::testing::scratch_env(store.clone())
}

fn now_rfc2822() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc2822)
        .unwrap()
}

fn signed_offer(key_der: &[u8]) -> Vec<u8> {
    let inner = format!(
        "From: Anna <anna@example-trading.com>\r\nTo: li@wharf.test\r\nSubject: Offer\r\nDate: {}\r\n\
Message-ID: <offer-1@example-trading.com>\r\n\r\n500 pcs at 3.20 USD\r\n",
        now_rfc2822()
    );
    let sig = DkimSigner::from_key(Ed25519Key::from_pkcs8_der(key_der).unwrap())
        .domain("example-trading.com")
        .selector("sel1")
        .headers(["From", "To", "Subject", "Date"])
        .sign(inner.as_bytes())
        .unwrap();
    format!(
        "Return-Path: <anna@example-trading.com>\r\n\
Received: from mail.example-trading.com (out.example-trading.com [192.0.2.10])\r\n\tby mx.wharf.test (Postfix); {}\r\n{}{inner}",
        now_rfc2822(),
        sig.to_header()
    )
    .into_bytes()
}

fn forged() -> Vec<u8> {
    format!(
        "Authentication-Results: mx.wharf.test; dkim=pass; spf=pass; dmarc=pass\r\n\
Return-Path: <ceo@forger.example>\r\n\
Received: from mail.forger.example (unknown [203.0.113.66])\r\n\tby mx.wharf.test (Postfix); {}\r\n\
From: CEO <ceo@forger.example>\r\nTo: li@wharf.test\r\nSubject: Urgent payment\r\nDate: {}\r\n\r\nPay today.\r\n",
        now_rfc2822(),
        now_rfc2822()
    )
    .into_bytes()
}

#[tokio::test]
async fn the_mail_view_shows_wharfs_own_authentication_results() {
    let der = Ed25519Key::generate_pkcs8().unwrap();
    let public = Ed25519Key::from_pkcs8_der(&der).unwrap().public_key();
    let table = DnsTable::fixed();
    assert!(table.add_txt(
        "sel1._domainkey.example-trading.com",
        &format!(
            "v=DKIM1; k=ed25519; p={}",
            base64::engine::general_purpose::STANDARD.encode(public)
        )
    ));
    assert!(table.add_txt("example-trading.com", "v=spf1 ip4:192.0.2.10 -all"));
    assert!(table.add_txt("_dmarc.example-trading.com", "v=DMARC1; p=quarantine"));
    assert!(table.add_txt("forger.example", "v=spf1 ip4:198.51.100.1 -all"));
    assert!(table.add_txt("_dmarc.forger.example", "v=DMARC1; p=reject"));
    let verifier = Arc::new(Verifier::with_table(table));
    let smime = std::fs::read(format!(
        "{}/../mail/tests/fixtures/signed/smime-detached.eml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();

    for store in testing::backends().await {
        let env = mail_env(&store);
        let admin = testing::admin(&store).await;
        let mut people = Vec::new();
        for name in ["li", "wang"] {
            let id = testing::staff(&store, &admin, name, "salesperson", None)
                .await
                .user_id;
            // A password of their own, so no page sends them to change it first.
            store
                .cli_reset_password(name, "chosen-pass-1")
                .await
                .unwrap();
            let s = store
                .create_session(id, "127.0.0.1", "test", POLICY)
                .await
                .unwrap();
            people.push((id, format!("wharf_session={}", s.token)));
        }
        let (li, wang) = (&people[0], &people[1]);
        let account = store
            .create_account(
                testing::ctx(&admin),
                &env.vault,
                testing::local_account("li@wharf.test", Some(li.0)),
            )
            .await
            .unwrap();
        let mut ids = Vec::new();
        for raw in [signed_offer(&der), forged(), smime.clone()] {
            let origin = wharf_mailbox::ingest::Origin {
                account_id: account,
                own_addresses: vec!["li@wharf.test".into()],
                folder_role: "inbox".into(),
                source: "imap".into(),
                ..Default::default()
            };
            ids.push(
                env.ingestor()
                    .ingest_raw(vec![(raw, origin)], None)
                    .await
                    .unwrap()[0]
                    .id(),
            );
        }
        let (good, forged, signed) = (ids[0], ids[1], ids[2]);
        let app = router(
            AppState::new(store.clone(), POLICY, false, env.clone())
                .await
                .unwrap(),
        );

        // Before the job ran: "being checked".
        let (s, page) = get(&app, &format!("/mail?view=inbox&m={good}"), &li.1, "en").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("<strong>Authentication</strong>"), "{page}");
        assert!(page.contains(">being checked…</span>"), "{page}");
        assert!(
            !page.contains("Authentication: being"),
            "the title is said once"
        );

        wharf_mailbox::auth_job::drain(&env, &verifier)
            .await
            .unwrap();

        let (_, page) = get(&app, &format!("/mail?view=inbox&m={good}"), &li.1, "en").await;
        assert!(
            page.contains("<span class=\"auth-pass\" id=\"auth-dkim\">DKIM pass (example-trading.com)</span> · <span class=\"auth-pass\" id=\"auth-spf\">SPF pass</span> · <span class=\"auth-pass\" id=\"auth-dmarc\">DMARC pass</span>"),
            "{page}"
        );
        assert!(page.contains(
            "SPF checked for the hop mail.example-trading.com [192.0.2.10] → mx.wharf.test (Received #1)"
        ));
        assert!(!page.contains("auth-warning"));
        assert!(!page.contains("id=\"signature\""), "not signed");
        let (_, page) = get(&app, &format!("/mail?view=inbox&m={good}"), &li.1, "zh-CN").await;
        assert!(page.contains("DKIM 通过 (example-trading.com)"), "{page}");
        assert!(page.contains("SPF 通过") && page.contains("DMARC 通过"));

        // The forged header is not believed: DMARC fails, with a warning.
        let (_, page) = get(&app, &format!("/mail?view=inbox&m={forged}"), &li.1, "en").await;
        assert!(
            page.contains("<span class=\"auth-fail\" id=\"auth-spf\">SPF fail</span>"),
            "{page}"
        );
        assert!(page.contains("<span class=\"auth-fail\" id=\"auth-dmarc\">DMARC fail</span>"));
        assert!(page.contains("id=\"auth-dkim\">DKIM none</span>"));
        assert!(page.contains(
            "Warning: this mail claims to come from forger.example but fails that domain&#x27;s DMARC check (its policy: reject). The sender may be forged."
        ), "{page}");
        let (_, page) = get(
            &app,
            &format!("/mail?view=inbox&m={forged}"),
            &li.1,
            "zh-CN",
        )
        .await;
        assert!(page.contains(
            "警告：此邮件声称来自 forger.example，但未通过该域名的 DMARC 验证（其策略：reject），发件人可能是伪造的。"
        ), "{page}");

        // S/MIME: signed, by whom, verified.
        let (_, page) = get(&app, &format!("/mail?view=inbox&m={signed}"), &li.1, "en").await;
        assert!(page.contains("Signed (S&#x2f;MIME) by "), "{page}");
        assert!(page.contains("CN=Anna Export"));
        assert!(
            page.contains("&lt;anna@example-trading.com&gt; — signature valid"),
            "{page}"
        );
        let (_, page) = get(
            &app,
            &format!("/mail?view=inbox&m={signed}"),
            &li.1,
            "zh-CN",
        )
        .await;
        assert!(page.contains("已签名（S&#x2f;MIME），签名者："), "{page}");
        assert!(page.contains("签名有效"));

        // The JSON API's message view carries the same.
        let (s, body) = get(&app, &format!("/api/v1/mail/messages/{good}"), &li.1, "en").await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        let auth = &json["authentication"];
        assert_eq!(auth["dkim"]["result"], "pass");
        assert_eq!(auth["dkim"]["domain"], "example-trading.com");
        assert_eq!(auth["dkim"]["selector"], "sel1");
        assert_eq!(auth["spf"]["result"], "pass");
        assert_eq!(auth["dmarc"]["result"], "pass");
        assert_eq!(auth["dmarc"]["policy"], "quarantine");
        assert_eq!(
            auth["line"],
            "DKIM pass (example-trading.com) · SPF pass · DMARC pass"
        );
        assert_eq!(json["message"]["summary"]["id"], good);
        assert!(json["signature"].is_null());
        let (_, body) = get(
            &app,
            &format!("/api/v1/mail/messages/{forged}"),
            &li.1,
            "zh-CN",
        )
        .await;
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["authentication"]["dmarc"]["result"], "fail");
        assert_eq!(
            json["authentication"]["line"],
            "DKIM 无 · SPF 未通过 · DMARC 未通过"
        );
        assert_eq!(
            json["authentication"]["warnings"].as_array().unwrap().len(),
            1
        );
        let (_, body) = get(
            &app,
            &format!("/api/v1/mail/messages/{signed}"),
            &li.1,
            "en",
        )
        .await;
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["signature"]["kind"], "smime");
        assert_eq!(json["signature"]["email"], "anna@example-trading.com");
        assert_eq!(json["signature"]["verification"], "valid");

        // Another salesperson sees none of it.
        let (s, _) = get(
            &app,
            &format!("/api/v1/mail/messages/{good}"),
            &wang.1,
            "en",
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
}
