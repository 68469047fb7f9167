//! The mail account form's provider notes: what a user must do before a provider's
//! password works (Gmail's app passwords, NetEase's and QQ's authorization codes), and
//! that Outlook.com accepts no password at all — in both languages.

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

/// The new-account form as the signed-in admin sees it in `lang`.
async fn new_account_form(lang: &str) -> String {
    let store = testing::sqlite().await;
    let admin = testing::admin(&store).await;
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    let session = store
        .create_session(admin.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    let app = router(AppState::new(store, POLICY, false, env).await.unwrap());
    let res = app
        .oneshot(
            Request::get("/mail/accounts/new")
                .header(header::COOKIE, format!("wharf_session={}", session.token))
                .header(header::ACCEPT_LANGUAGE, lang)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    String::from_utf8(body.to_vec()).unwrap()
}

fn note<'a>(html: &'a str, code: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"preset-note-{code}\""))
        .unwrap_or_else(|| panic!("no note for {code}"));
    let end = html[start..].find("</p>").unwrap() + start;
    &html[start..end]
}

#[tokio::test]
async fn outlook_says_passwords_do_not_work_and_what_to_do() {
    let en = new_account_form("en").await;
    let outlook = note(&en, "outlook");
    assert!(outlook.contains("no longer accept passwords"), "{outlook}");
    assert!(outlook.contains("forward the mailbox"), "{outlook}");
    let zh = new_account_form("zh-CN").await;
    let outlook = note(&zh, "outlook");
    assert!(outlook.contains("不再接受"), "{outlook}");
    assert!(outlook.contains("转发"), "{outlook}");
}

#[tokio::test]
async fn gmail_needs_an_app_password_and_netease_an_authorization_code() {
    let en = new_account_form("en").await;
    assert!(note(&en, "gmail").contains("app password"));
    for code in ["163", "126", "yeah"] {
        assert!(note(&en, code).contains("authorization code"), "{code}");
    }
    let zh = new_account_form("zh-CN").await;
    assert!(note(&zh, "gmail").contains("应用专用密码"));
    for code in ["163", "126", "yeah"] {
        assert!(note(&zh, code).contains("授权码"), "{code}");
    }
    assert!(zh.contains("imap.yeah.net"), "yeah.net has its preset");
}
