//! Exporting a customer's mail or a search's (ACC-7): mbox (mboxrd) or a zip of `.eml`
//! files with the original bytes, holding only the mail the exporter may read, and
//! audited.
#![allow(clippy::unwrap_used)]

use std::io::Read;

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

fn mail(n: &str, to: &str) -> Vec<u8> {
    format!("From: Buyer <buyer@acme-export.example>\r\nTo: {to}\r\nSubject: order {n}\r\nMessage-ID: <{n}@acme>\r\n\r\nHello,\r\nFrom now on we order monthly.\r\n>From the desk of {n}\r\n").into_bytes()
}

#[tokio::test]
async fn a_salespersons_export_holds_only_her_mail_with_the_original_bytes() {
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
        let mut inboxes = Vec::new();
        for (user, address) in [(li, "li@example.test"), (wang, "wang@example.test")] {
            let account = store
                .create_account(
                    wharf_store::Ctx {
                        actor: &admin,
                        ip: "127.0.0.1",
                    },
                    &env.vault,
                    wharf_core::mail::account::AccountInput {
                        address: address.into(),
                        kind: "personal".into(),
                        owner_id: Some(user),
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
            inboxes.push((account, address));
        }
        let origin = |(account, address): (i64, &str)| wharf_mailbox::ingest::Origin {
            account_id: account,
            own_addresses: vec![address.to_string()],
            folder_role: "inbox".into(),
            ..Default::default()
        };
        let (li_mail, wang_mail) = (
            mail("li-1", "li@example.test"),
            mail("wang-1", "wang@example.test"),
        );
        env.ingestor()
            .ingest_raw(
                vec![
                    (li_mail.clone(), origin(inboxes[0])),
                    (wang_mail.clone(), origin(inboxes[1])),
                ],
                None,
            )
            .await
            .unwrap();
        // A pool customer both may see, with the buyer as contact.
        let customer = store
            .create_customer_with_contact(
                testing::ctx(&admin),
                wharf_core::customers::CustomerInput {
                    name: "Acme Export".into(),
                    ..Default::default()
                },
                &[],
                wharf_core::customers::ContactInput {
                    name: "Buyer".into(),
                    emails: "buyer@acme-export.example".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let search = std::sync::Arc::new(wharf_search::SearchIndex::in_memory().unwrap());
        search.catch_up(&store).await.unwrap();
        let app = router(
            AppState::new(store.clone(), POLICY, false, env.clone())
                .await
                .unwrap()
                .with_search(search),
        );
        let mut cookies = Vec::new();
        for (user, name) in [(li, "li"), (wang, "wang")] {
            store
                .cli_reset_password(name, "chosen-pass-1")
                .await
                .unwrap();
            let s = store
                .create_session(user, "127.0.0.1", "test", POLICY)
                .await
                .unwrap();
            cookies.push(format!("wharf_session={}", s.token));
        }
        let uri = format!("/customers/{customer}/mail/export");
        // Exporting needs the export permission, which salespeople lack until granted.
        let (s, _, _) = fetch(&app, &uri, &cookies[1]).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        testing::execute_sql(
            &store,
            "UPDATE roles SET permissions = permissions || ',export' WHERE code = 'salesperson'",
        )
        .await;
        // Wang's mbox: his message only, From_ lines escaped, the rest byte for byte.
        let (s, ct, body) = fetch(&app, &format!("{uri}?format=mbox"), &cookies[1]).await;
        assert_eq!((s, ct.as_str()), (StatusCode::OK, "application/mbox"));
        let text = String::from_utf8(body).unwrap();
        assert_eq!(
            text.matches("\nFrom MAILER-DAEMON ").count()
                + usize::from(text.starts_with("From MAILER-DAEMON ")),
            1
        );
        assert!(
            text.contains("order wang-1") && !text.contains("order li-1"),
            "{text}"
        );
        let unescaped = text
            .split_once('\n')
            .unwrap()
            .1
            .replace("\r\n>From now", "\r\nFrom now")
            .replace("\r\n>>From the", "\r\n>From the");
        assert_eq!(
            unescaped.as_bytes(),
            [wang_mail.as_slice(), b"\n"].concat().as_slice()
        );
        // Li's zip: her message, exact bytes.
        let (s, ct, body) = fetch(&app, &format!("{uri}?format=zip"), &cookies[0]).await;
        assert_eq!((s, ct.as_str()), (StatusCode::OK, "application/zip"));
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body)).unwrap();
        assert_eq!(zip.len(), 1);
        let mut bytes = Vec::new();
        zip.by_index(0).unwrap().read_to_end(&mut bytes).unwrap();
        assert_eq!(bytes, li_mail);
        // A search's mail: Wang's search for "order" holds his message only.
        let (s, ct, body) = fetch(&app, "/search/export?q=order&format=mbox", &cookies[1]).await;
        assert_eq!((s, ct.as_str()), (StatusCode::OK, "application/mbox"));
        let text = String::from_utf8(body).unwrap();
        assert!(
            text.contains("order wang-1") && !text.contains("order li-1"),
            "{text}"
        );
        let (s, _, page) = fetch(&app, "/search?q=order", &cookies[1]).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            String::from_utf8(page)
                .unwrap()
                .contains("id=\"search-export-zip\"")
        );
        let (s, _, body) = fetch(&app, "/search/export?format=zip", &cookies[1]).await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(
            String::from_utf8(body)
                .unwrap()
                .contains("Search for something first")
        );
        // The three exports are in the audit log.
        let audit = store
            .search_audit(
                &admin,
                &wharf_store::audit::AuditFilter {
                    action: "mail.export".into(),
                    page: 1,
                    per_page: 50,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            audit
                .items
                .iter()
                .filter(|r| r.action == "mail.export")
                .count(),
            3
        );
    }
}
