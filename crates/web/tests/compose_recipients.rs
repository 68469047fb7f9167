//! The compose form reads To / Cc as address lists: a quoted name with a comma is one
//! recipient, and a bad entry is refused with a sentence that names it, in the user's
//! language, with everything typed kept.

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

fn multipart(fields: &[(&str, &str)]) -> String {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--b\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str("--b--\r\n");
    body
}

#[tokio::test]
async fn a_bad_recipient_is_named_and_a_quoted_comma_is_not_one() {
    let store = testing::sqlite().await;
    let admin = testing::admin(&store).await;
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    let account = store
        .create_account(
            testing::ctx(&admin),
            &env.vault,
            testing::local_account("sales@wharf.test", None),
        )
        .await
        .unwrap();
    let session = store
        .create_session(admin.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    let app = router(
        AppState::new(store.clone(), POLICY, false, env)
            .await
            .unwrap(),
    );
    let send = |to: &str, lang: &str| {
        Request::post("/mail/compose")
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b")
            .header(header::COOKIE, format!("wharf_session={}", session.token))
            .header(header::ACCEPT_LANGUAGE, lang)
            .body(Body::from(multipart(&[
                ("_csrf", &session.csrf_token),
                ("account_id", &account.to_string()),
                ("to", to),
                ("subject", "Quote"),
                ("body", "Hello"),
            ])))
            .unwrap()
    };
    let page = |res: axum::response::Response| async move {
        let status = res.status();
        let body = axum::body::to_bytes(res.into_body(), 1 << 22)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    };

    let typed = r#""Wang, Li" <li@example.com>, not-an-address"#;
    let (status, html) = page(app.clone().oneshot(send(typed, "en")).await.unwrap()).await;
    assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        html.contains("“not-an-address” is not an e-mail address"),
        "{html}"
    );
    assert!(
        html.contains("&quot;Wang, Li&quot;"),
        "what was typed is kept"
    );
    let (_, html) = page(app.clone().oneshot(send(typed, "zh-CN")).await.unwrap()).await;
    assert!(
        html.contains("“not-an-address”不是有效的邮箱地址"),
        "{html}"
    );

    // Without the bad entry it is queued, to the one recipient with her name.
    let (status, _) = page(
        app.clone()
            .oneshot(send(r#""Wang, Li" <li@example.com>"#, "en"))
            .await
            .unwrap(),
    )
    .await;
    assert!(status.is_redirection(), "{status}");
    let outbox = store.account_messages(account).await.unwrap();
    assert_eq!(outbox.len(), 1);
    let sent = store.get_message(&admin, outbox[0].id).await.unwrap();
    let to: Vec<wharf_mail::Mailbox> = serde_json::from_str(&sent.summary.to_addrs).unwrap();
    assert_eq!(to.len(), 1);
    assert_eq!(
        (to[0].name.as_str(), to[0].address.as_str()),
        ("Wang, Li", "li@example.com")
    );
}
