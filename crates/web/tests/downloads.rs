//! Attachments download as their decoded bytes with the declared type and charset, and
//! the reading pane shows what the parser unpacked (TNEF files and body) — issue 15.
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

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../mail/tests/fixtures")
            .join(name),
    )
    .unwrap()
}

async fn fetch(app: &axum::Router, uri: &str, cookie: &str) -> (StatusCode, String, Vec<u8>) {
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
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    (status, ct, body.to_vec())
}

#[tokio::test]
async fn attachments_download_as_their_decoded_bytes() {
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
        let files = [
            "latin1-and-rtf-attachments.eml",
            "no-blank-line-after-headers.eml",
            "outlook-winmail-tnef.eml",
        ];
        let ingested = env
            .ingestor()
            .ingest_raw(
                files
                    .iter()
                    .map(|f| {
                        (
                            fixture(f),
                            wharf_mailbox::ingest::Origin {
                                account_id: account,
                                own_addresses: vec!["sales@example.test".into()],
                                folder_role: "inbox".into(),
                                ..Default::default()
                            },
                        )
                    })
                    .collect(),
                None,
            )
            .await
            .unwrap();
        let session = store
            .create_session(admin, "127.0.0.1", "test", POLICY)
            .await
            .unwrap();
        let cookie = format!("wharf_session={}", session.token);
        for (file, item) in files.iter().zip(&ingested) {
            let id = item.id();
            let expected = wharf_mail::parse(&fixture(file)).unwrap().attachments;
            let detail = store.get_message(&actor, id).await.unwrap();
            assert_eq!(detail.attachments.len(), expected.len(), "{file}");
            for (row, want) in detail.attachments.iter().zip(&expected) {
                let (s, ct, bytes) = fetch(
                    &app,
                    &format!("/mail/m/{id}/attachments/{}", row.id),
                    &cookie,
                )
                .await;
                assert_eq!(s, StatusCode::OK);
                assert_eq!(
                    bytes, want.bytes,
                    "{file}: {} downloads as sent",
                    row.filename
                );
                assert_eq!(ct, want.content_type, "{file}: {}", row.filename);
            }
        }
        // The ISO-8859-1 text stays ISO-8859-1, served with its charset.
        let latin = &ingested[0];
        let detail = store.get_message(&actor, latin.id()).await.unwrap();
        let txt = &detail.attachments[0];
        let (_, ct, bytes) = fetch(
            &app,
            &format!("/mail/m/{}/attachments/{}", latin.id(), txt.id),
            &cookie,
        )
        .await;
        assert_eq!(ct, "text/plain; charset=iso-8859-1");
        assert!(bytes.contains(&0xfc) && std::str::from_utf8(&bytes).is_err());
        // A part without the blank line after its headers: all 3,750 bytes.
        let pdf = &store
            .get_message(&actor, ingested[1].id())
            .await
            .unwrap()
            .attachments[0];
        assert_eq!(pdf.size, 3_750);
        // TNEF: the files inside winmail.dat are listed by name, the RTF body shown.
        let tnef = ingested[2].id();
        let (s, _, page) = fetch(&app, &format!("/mail?m={tnef}"), &cookie).await;
        assert_eq!(s, StatusCode::OK);
        let page = String::from_utf8(page).unwrap();
        for name in ["winmail.dat", "Angebot 2026.pdf", "Preisliste März.xlsx"] {
            assert!(page.contains(name), "{name} offered");
        }
        assert!(page.contains("Dear customer,"), "the RTF body is shown");
    }
}
