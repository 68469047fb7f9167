//! The mail client's server side: the reading pane alone (`/mail?m=…&fragment=1`, which
//! the page's script swaps in) with the same scope as the page, and the body frame's one
//! script (its size reporter, allowed by hash) and folded quotes.

// Test helpers may panic: a failed step is a failed test.
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

struct Answer {
    status: StatusCode,
    csp: String,
    body: String,
}

async fn get(app: &axum::Router, uri: &str, cookie: &str) -> Answer {
    let req = Request::get(uri)
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let csp = res
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = axum::body::to_bytes(res.into_body(), 4 << 20)
        .await
        .unwrap();
    Answer {
        status,
        csp,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn mail_env(store: &wharf_store::Store) -> wharf_mailbox::Env {
    wharf_mailbox::testing::scratch_env(store.clone())
}

/// Salespeople li and wang, signed in, each with an account holding one mail: a reply
/// in plain text quoting the mail before it. (user id, cookie, message id)
async fn two_salespeople(
    store: &wharf_store::Store,
    env: &wharf_mailbox::Env,
) -> Vec<(i64, String, i64)> {
    let admin = testing::admin(store).await;
    let mut out = Vec::new();
    for name in ["li", "wang"] {
        let id = testing::staff(store, &admin, name, "salesperson", None)
            .await
            .user_id;
        store
            .cli_reset_password(name, "chosen-pass-1")
            .await
            .unwrap();
        let address = format!("{name}@wharf.test");
        let account = store
            .create_account(
                testing::ctx(&admin),
                &env.vault,
                testing::local_account(&address, Some(id)),
            )
            .await
            .unwrap();
        let raw = format!(
            "From: Hans <hans@vogel.example>\r\nTo: {address}\r\nSubject: Re: RFQ for {name}\r\nMessage-ID: <r-{name}@vogel>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nWe accept 12.40 USD.\r\n\r\nOn Mon, 30 Nov 2026, {name} <{address}> wrote:\r\n> Our price is 12.80 USD.\r\n"
        );
        let message = env
            .ingestor()
            .ingest_raw(
                vec![(
                    raw.into_bytes(),
                    wharf_mailbox::ingest::Origin {
                        account_id: account,
                        own_addresses: vec![address.clone()],
                        folder_role: "inbox".into(),
                        source: "test".into(),
                        ..Default::default()
                    },
                )],
                None,
            )
            .await
            .unwrap()[0]
            .id();
        let s = store
            .create_session(id, "127.0.0.1", "test", POLICY)
            .await
            .unwrap();
        out.push((id, format!("wharf_session={}", s.token), message));
    }
    out
}

#[tokio::test]
async fn the_pane_alone_is_the_pages_pane_in_the_same_scope() {
    for store in testing::backends().await {
        let env = mail_env(&store);
        let users = two_salespeople(&store, &env).await;
        let app = router(
            AppState::new(store.clone(), POLICY, false, env.clone())
                .await
                .unwrap(),
        );
        let (li, wang) = (&users[0], &users[1]);
        let uri = format!("/mail?view=inbox&m={}&fragment=1", li.2);
        let pane = get(&app, &uri, &li.1).await;
        assert_eq!(pane.status, StatusCode::OK, "{}", pane.body);
        assert!(
            pane.body.contains("id=\"msg-head\"") && pane.body.contains("Re: RFQ for li"),
            "{}",
            pane.body
        );
        // Only the pane: no frame, no list, no second copy of the page's scripts.
        assert!(!pane.body.contains("<html") && !pane.body.contains("id=\"mail-list\""));
        assert!(!pane.body.contains("<script"));
        // Its links lead back into the same list.
        assert!(
            pane.body
                .contains("href=\"&#x2f;mail?view=inbox\" class=\"pane-back\""),
            "{}",
            pane.body
        );
        // Opening it read it, as the page does.
        let li_actor = store.load_actor(li.0).await.unwrap().unwrap();
        assert!(
            store
                .get_message(&li_actor, li.2)
                .await
                .unwrap()
                .summary
                .seen
        );
        // The same URL without `fragment` is the whole page with the same pane in it.
        let page = get(&app, &format!("/mail?view=inbox&m={}", li.2), &li.1).await;
        assert!(page.body.contains("<html") && page.body.contains("id=\"msg-head\""));
        // Another salesperson's mail is not found, as on the page.
        let theirs = get(
            &app,
            &format!("/mail?view=inbox&m={}&fragment=1", wang.2),
            &li.1,
        )
        .await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.body);
        assert!(!theirs.body.contains("RFQ for wang"));
        // A fragment without a message is a bad request, not a crash.
        let none = get(&app, "/mail?view=inbox&fragment=1", &li.1).await;
        assert_eq!(none.status, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn the_body_frame_runs_only_its_size_reporter_and_folds_quotes() {
    let store = testing::sqlite().await;
    let env = mail_env(&store);
    let users = two_salespeople(&store, &env).await;
    let app = router(
        AppState::new(store.clone(), POLICY, false, env.clone())
            .await
            .unwrap(),
    );
    let li = &users[0];
    let frame = get(&app, &format!("/mail/m/{}/body", li.2), &li.1).await;
    assert_eq!(frame.status, StatusCode::OK);
    // One script, allowed by its hash in both policies (header and meta); nothing else.
    let hash = frame
        .csp
        .split("script-src '")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .unwrap()
        .to_string();
    assert!(
        hash.starts_with("sha256-") && hash.len() > 40,
        "{}",
        frame.csp
    );
    assert!(frame.csp.contains("sandbox allow-scripts allow-popups"));
    assert!(
        frame.csp.contains(&format!("script-src '{hash}';")),
        "{}",
        frame.csp
    );
    assert!(frame.body.contains(&format!("script-src '{hash}'")));
    assert_eq!(frame.body.matches("<script>").count(), 1);
    assert!(frame.body.contains("wharfFrameHeight"));
    // The reply shows; the quote is folded behind a translated toggle.
    assert!(frame.body.contains("We accept 12.40 USD."));
    let details = frame
        .body
        .find("<details><summary>Show quoted text</summary>")
        .unwrap();
    assert!(frame.body[details..].contains("Our price is 12.80 USD."));
    assert!(!frame.body[..details].contains("Our price is"));
}
