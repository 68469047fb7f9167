//! Attachment previews and "download all" (issue 17): PDFs and images by their bytes
//! are served inline in a sandbox with `nosniff`; a hostile SVG or HTML attachment,
//! whatever it claims, is never inline; the zip holds the exact bytes under unique,
//! safe names; a salesperson gets neither a colleague's attachment nor their zip.
#![allow(clippy::unwrap_used)]

use std::io::Read;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use base64::Engine;
use tower::ServiceExt;
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::testing;
use wharf_web::{AppState, router};

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

async fn fetch(app: &axum::Router, uri: &str, cookie: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
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
    let (status, headers) = (res.status(), res.headers().clone());
    let body = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    (status, headers, body.to_vec())
}

fn part(name: &str, declared: &str, bytes: &[u8]) -> String {
    format!(
        "--b\r\nContent-Type: {declared}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
const SVG: &[u8] =
    b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)</script></svg>";
const HTML: &[u8] = b"<html><script>fetch('/api/v1/customers')</script></html>";

fn header_of(h: &HeaderMap, name: header::HeaderName) -> String {
    h.get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn previews_are_sandboxed_and_the_zip_holds_the_exact_bytes() {
    for store in testing::backends().await {
        let env = wharf_mailbox::testing::scratch_env(store.clone());
        let admin_id = store
            .complete_setup("first-admin-pass", "127.0.0.1")
            .await
            .unwrap();
        let admin = store.load_actor(admin_id).await.unwrap().unwrap();
        let li = testing::staff(&store, &admin, "li", "salesperson", None)
            .await
            .user_id;
        let wang = testing::staff(&store, &admin, "wang", "salesperson", None)
            .await
            .user_id;
        let account = store
            .create_account(
                wharf_store::Ctx {
                    actor: &admin,
                    ip: "127.0.0.1",
                },
                &env.vault,
                wharf_core::mail::account::AccountInput {
                    address: "li@example.test".into(),
                    kind: "personal".into(),
                    owner_id: Some(li),
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
        let raw = format!(
            "From: buyer@acme.example\r\nTo: li@example.test\r\nSubject: files\r\nMessage-ID: <pv1@acme>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n{}{}{}{}{}--b--\r\n",
            part("offer.pdf", "application/pdf", PDF),
            part("photo.png", "image/png", PNG),
            part("logo.svg", "image/svg+xml", SVG),
            // HTML pretending to be a PDF, under the same name as the first.
            part("offer.pdf", "application/pdf", HTML),
            part("../../evil.html", "text/html", HTML),
        );
        let id = env
            .ingestor()
            .ingest_raw(
                vec![(
                    raw.into_bytes(),
                    wharf_mailbox::ingest::Origin {
                        account_id: account,
                        own_addresses: vec!["li@example.test".into()],
                        folder_role: "inbox".into(),
                        ..Default::default()
                    },
                )],
                None,
            )
            .await
            .unwrap()[0]
            .id();
        let app = router(
            AppState::new(store.clone(), POLICY, false, env.clone())
                .await
                .unwrap(),
        );
        // Their own passwords, so the pages do not send them to the profile first.
        for name in ["li", "wang"] {
            store
                .cli_reset_password(name, "chosen-pass-1")
                .await
                .unwrap();
        }
        let cookie = |user: i64| {
            let store = store.clone();
            async move {
                let s = store
                    .create_session(user, "127.0.0.1", "test", POLICY)
                    .await
                    .unwrap();
                format!("wharf_session={}", s.token)
            }
        };
        let (li_cookie, wang_cookie) = (cookie(li).await, cookie(wang).await);
        let li_actor = store.load_actor(li).await.unwrap().unwrap();
        let atts = store.get_message(&li_actor, id).await.unwrap().attachments;
        assert_eq!(atts.len(), 5);
        let preview = |aid: i64| format!("/mail/m/{id}/attachments/{aid}/preview");
        for (a, kind) in [(&atts[0], "application/pdf"), (&atts[1], "image/png")] {
            let (s, h, body) = fetch(&app, &preview(a.id), &li_cookie).await;
            assert_eq!(
                s,
                StatusCode::OK,
                "{} {:?} {:?}",
                a.filename,
                h,
                &body[..body.len().min(20)]
            );
            assert_eq!(header_of(&h, header::CONTENT_TYPE), kind);
            assert!(header_of(&h, header::CONTENT_DISPOSITION).starts_with("inline"));
            assert!(header_of(&h, header::CONTENT_SECURITY_POLICY).contains("sandbox"));
            assert_eq!(header_of(&h, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
            assert_eq!(body, if kind == "application/pdf" { PDF } else { PNG });
        }
        // SVG, HTML and HTML claiming to be a PDF: never inline, back to the download.
        for a in &atts[2..] {
            let (s, h, _) = fetch(&app, &preview(a.id), &li_cookie).await;
            assert_eq!(s, StatusCode::SEE_OTHER, "{}", a.filename);
            assert_eq!(
                header_of(&h, header::LOCATION),
                format!("/mail/m/{id}/attachments/{}", a.id)
            );
            let (_, h, _) = fetch(&app, &header_of(&h, header::LOCATION), &li_cookie).await;
            assert!(header_of(&h, header::CONTENT_DISPOSITION).starts_with("attachment"));
        }
        // The zip: exact bytes, unique and safe names.
        let zip_uri = format!("/mail/m/{id}/attachments.zip");
        let (s, h, body) = fetch(&app, &zip_uri, &li_cookie).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(header_of(&h, header::CONTENT_TYPE), "application/zip");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body)).unwrap();
        let mut entries = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            entries.push((f.name().unwrap().to_string(), bytes));
        }
        let want: Vec<(String, Vec<u8>)> = [
            ("offer.pdf", PDF),
            ("photo.png", PNG),
            ("logo.svg", SVG),
            ("offer (2).pdf", HTML),
            ("evil.html", HTML),
        ]
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
        assert_eq!(entries, want);
        // Wang: neither a preview, a download nor the zip of Li's mail.
        for uri in [
            preview(atts[0].id),
            format!("/mail/m/{id}/attachments/{}", atts[0].id),
            zip_uri,
        ] {
            let (s, _, body) = fetch(&app, &uri, &wang_cookie).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
            assert!(!body.windows(5).any(|w| w == b"%PDF-"), "{uri}");
        }
    }
}
