//! What an account's server refused of the moves, deletions and folders made in Wharf
//! is shown in the mailbox's sidebar beside the folders, in the reader's language (not
//! only on the account's page).

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, header};
use tower::ServiceExt;
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::testing;
use wharf_web::{AppState, router};

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

#[tokio::test]
async fn refusals_show_in_the_sidebar_next_to_the_folder() {
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
    let folder = store
        .create_folder(testing::ctx(&admin), account, "Orders")
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
    let page = |lang: &'static str| {
        let app = app.clone();
        let cookie = format!("wharf_session={}", session.token);
        async move {
            let res = app
                .oneshot(
                    Request::get("/mail")
                        .header(header::COOKIE, cookie)
                        .header(header::ACCEPT_LANGUAGE, lang)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            let body = axum::body::to_bytes(res.into_body(), 1 << 22)
                .await
                .unwrap();
            String::from_utf8_lossy(&body).into_owned()
        }
    };
    let quiet = page("en").await;
    assert!(
        !quiet.contains("side-note"),
        "no note while nothing was refused"
    );

    store
        .set_folder_mirror_note(folder, "folder_refused")
        .await
        .unwrap();
    store
        .set_account_mirror_note(account, "expunge_refused")
        .await
        .unwrap();
    let en = page("en").await;
    assert!(en.contains(&format!("id=\"folder-note-{folder}\"")));
    assert!(
        en.contains("The mail server refused the folder “Orders”"),
        "{en}"
    );
    assert!(en.contains("sales@wharf.test: The mail server refused to delete a message"));
    let zh = page("zh-CN").await;
    assert!(zh.contains("邮件服务器拒绝删除一封您已彻底删除的邮件"));
    assert!(!zh.contains("mail.mirror."), "no raw keys");
}
