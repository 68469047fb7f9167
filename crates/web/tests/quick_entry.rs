//! The quick entry from a mail prefills from the signature, not the greeting or the
//! body, marks guesses "not sure", and never offers a trade platform itself as the
//! customer when its notification is in a layout Wharf does not know (issue 17).
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::testing;
use wharf_web::{AppState, router};

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

async fn page(app: &axum::Router, uri: &str, cookie: &str) -> (StatusCode, String) {
    let res = app
        .clone()
        .oneshot(
            Request::get(uri)
                .header(header::COOKIE, cookie)
                .header(header::ACCEPT_LANGUAGE, "en")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

const BUYER: &str = "From: carlos@mendes.com.br\r\nTo: sales@example.test\r\nSubject: Inquiry camping chairs\r\nMessage-ID: <q1@mendes>\r\n\r\nDear Sales Team,\r\n\r\nWe found your company on Alibaba and are interested in your camping chairs. Please send us your catalogue.\r\n\r\nBest regards,\r\nCarlos Mendes\r\nImport Manager\r\nMendes Importadora Ltda.\r\n1000 Av. Paulista, Sao Paulo, Brazil\r\nPhone: +55 11 3333 4444\r\nMobile: +55 11 98888 7777\r\n";

const NOTICE: &str = "From: Alibaba.com <notice@service.alibaba.com>\r\nTo: sales@example.test\r\nSubject: You have a new message\r\nMessage-ID: <q2@alibaba>\r\n\r\nA buyer sent you a message. Log in to reply.\r\n\r\nBest regards,\r\nAlibaba.com Service Team\r\nAlibaba Group Holding Limited\r\nTel: +86 571 8502 2088\r\n";

#[tokio::test]
async fn quick_entry_reads_the_signature_and_skips_unknown_platform_notices() {
    for store in testing::backends().await {
        let env = wharf_mailbox::testing::scratch_env(store.clone());
        let admin = store
            .complete_setup("first-admin-pass", "127.0.0.1")
            .await
            .unwrap();
        let app = router(
            AppState::new(store.clone(), POLICY, false, env.clone())
                .await
                .unwrap(),
        );
        let actor = store.load_actor(admin).await.unwrap().unwrap();
        let account = store
            .create_account(
                wharf_store::Ctx {
                    actor: &actor,
                    ip: "127.0.0.1",
                },
                &env.vault,
                wharf_core::mail::account::AccountInput {
                    address: "sales@example.test".into(),
                    kind: "public".into(),
                    in_protocol: "none".into(),
                    out_host: "127.0.0.1".into(),
                    out_port: 25,
                    out_security: "none".into(),
                    max_attachment_mb: 25,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let origin = || wharf_mailbox::ingest::Origin {
            account_id: account,
            own_addresses: vec!["sales@example.test".into()],
            folder_role: "inbox".into(),
            ..Default::default()
        };
        let ids: Vec<i64> = env
            .ingestor()
            .ingest_raw(
                vec![
                    (BUYER.as_bytes().to_vec(), origin()),
                    (NOTICE.as_bytes().to_vec(), origin()),
                ],
                None,
            )
            .await
            .unwrap()
            .iter()
            .map(|i| i.id())
            .collect();
        let session = store
            .create_session(admin, "127.0.0.1", "test", POLICY)
            .await
            .unwrap();
        let cookie = format!("wharf_session={}", session.token);

        let (s, html) = page(&app, &format!("/mail/m/{}/customer", ids[0]), &cookie).await;
        assert_eq!(s, StatusCode::OK);
        for value in [
            "Mendes Importadora Ltda.",
            "Carlos Mendes",
            "Import Manager",
            "+55 11 3333 4444",
            "+55 11 98888 7777",
        ] {
            assert!(
                html.contains(&format!("value=\"{value}\"")),
                "{value}: {html}"
            );
        }
        assert!(!html.contains("value=\"Dear") && !html.contains("value=\"We found"));
        assert!(
            html.contains("selected>Brazil<"),
            "country from the address"
        );
        // The address has no label: prefilled but marked.
        assert!(html.contains("id=\"unsure-address\"") && !html.contains("id=\"unsure-company\""));

        let (s, html) = page(&app, &format!("/mail/m/{}/customer", ids[1]), &cookie).await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("id=\"unknown-platform\""), "{html}");
        assert!(
            !html.contains("value=\"Alibaba") && !html.contains("value=\"notice@"),
            "the platform is not offered as the customer"
        );
    }
}
