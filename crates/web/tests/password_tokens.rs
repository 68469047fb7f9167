//! A password change or reset ends the user's other sessions and their API tokens
//! (SPEC AUTH-4, AUTH-5): one's own change keeps the tokens only when asked to, an
//! admin's reset (page, API or `wharf admin reset-password`) never does, and no token
//! works while its user must choose a new password.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::{Store, testing};
use wharf_web::{AppState, router};

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

async fn app(store: &Store) -> axum::Router {
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    router(
        AppState::new(store.clone(), POLICY, false, env)
            .await
            .unwrap(),
    )
}

/// A salesperson with the password `chosen-pass-1`, two signed-in browsers (cookie,
/// CSRF token) and one API token.
struct Lucy {
    id: i64,
    browsers: Vec<(String, String)>,
    token: String,
}

async fn lucy(store: &Store, admin: &wharf_core::Actor, name: &str) -> Lucy {
    let id = testing::staff(store, admin, name, "salesperson", None)
        .await
        .user_id;
    store
        .cli_reset_password(name, "chosen-pass-1")
        .await
        .unwrap();
    let mut browsers = Vec::new();
    for _ in 0..2 {
        let s = store
            .create_session(id, "127.0.0.1", "test", POLICY)
            .await
            .unwrap();
        browsers.push((format!("wharf_session={}", s.token), s.csrf_token));
    }
    let actor = store.load_actor(id).await.unwrap().unwrap();
    let (_, token) = store
        .create_token(testing::ctx(&actor), "script")
        .await
        .unwrap();
    Lucy {
        id,
        browsers,
        token,
    }
}

async fn status(app: &axum::Router, req: Request<Body>) -> StatusCode {
    app.clone().oneshot(req).await.unwrap().status()
}

/// `GET /api/v1/me` with the token.
async fn token_works(app: &axum::Router, token: &str) -> bool {
    let req = Request::get("/api/v1/me")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    match status(app, req).await {
        StatusCode::OK => true,
        StatusCode::UNAUTHORIZED => false,
        other => panic!("unexpected {other}"),
    }
}

/// Is this browser still signed in (`/profile` answers rather than sending to sign-in)?
async fn signed_in(app: &axum::Router, cookie: &str) -> bool {
    let req = Request::get("/profile")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    status(app, req).await == StatusCode::OK
}

async fn change_own(app: &axum::Router, l: &Lucy, keep: bool) -> StatusCode {
    let (cookie, csrf) = &l.browsers[0];
    let keep = if keep { "&keep_tokens=1" } else { "" };
    let req = Request::post("/profile/password")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(format!(
            "_csrf={csrf}&current_password=chosen-pass-1&new_password=another-pass-2&confirm_password=another-pass-2{keep}"
        )))
        .unwrap();
    status(app, req).await
}

#[tokio::test]
async fn changing_ones_password_revokes_tokens_and_ends_other_sessions() {
    for store in testing::backends().await {
        let admin = testing::admin(&store).await;
        let app = app(&store).await;
        let l = lucy(&store, &admin, "lucy").await;
        assert!(token_works(&app, &l.token).await);
        assert!(signed_in(&app, &l.browsers[1].0).await);
        assert_eq!(change_own(&app, &l, false).await, StatusCode::SEE_OTHER);
        assert!(!token_works(&app, &l.token).await, "token revoked");
        assert!(
            !signed_in(&app, &l.browsers[1].0).await,
            "other browser out"
        );
        let actor = store.load_actor(l.id).await.unwrap().unwrap();
        let tokens = store.list_tokens(&actor).await.unwrap();
        assert!(
            tokens.iter().all(|t| t.revoked_at.is_some()),
            "shown as revoked"
        );
    }
}

#[tokio::test]
async fn keep_my_api_tokens_keeps_them() {
    for store in testing::backends().await {
        let admin = testing::admin(&store).await;
        let app = app(&store).await;
        let l = lucy(&store, &admin, "lucy").await;
        assert_eq!(change_own(&app, &l, true).await, StatusCode::SEE_OTHER);
        assert!(token_works(&app, &l.token).await, "kept on request");
        assert!(
            !signed_in(&app, &l.browsers[1].0).await,
            "other browser out"
        );
    }
}

#[tokio::test]
async fn the_profile_offers_keep_tokens_unticked_in_both_languages() {
    for store in testing::backends().await {
        let admin = testing::admin(&store).await;
        let app = app(&store).await;
        let l = lucy(&store, &admin, "lucy").await;
        for (lang, text) in [("en", "Keep my API tokens"), ("zh-CN", "保留我的 API 令牌")] {
            let actor = store.load_actor(l.id).await.unwrap().unwrap();
            store.set_locale(testing::ctx(&actor), lang).await.unwrap();
            let req = Request::get("/profile")
                .header(header::COOKIE, &l.browsers[0].0)
                .body(Body::empty())
                .unwrap();
            let res = app.clone().oneshot(req).await.unwrap();
            let body = axum::body::to_bytes(res.into_body(), 1 << 20)
                .await
                .unwrap();
            let html = String::from_utf8_lossy(&body);
            assert!(html.contains(text), "{lang}");
            let i = html.find("name=\"keep_tokens\"").unwrap();
            let tag_end = i + html[i..].find('>').unwrap();
            assert!(!html[i..tag_end].contains("checked"), "unticked by default");
        }
    }
}

#[tokio::test]
async fn an_admin_reset_revokes_tokens_on_the_page_the_api_and_the_command_line() {
    for store in testing::backends().await {
        let admin = testing::admin(&store).await;
        let app = app(&store).await;
        let s = store
            .create_session(admin.user_id, "127.0.0.1", "test", POLICY)
            .await
            .unwrap();
        let admin_cookie = format!("wharf_session={}", s.token);

        // The API reset.
        let a = lucy(&store, &admin, "lucy_api").await;
        let req = Request::post(format!("/api/v1/staff/{}/password", a.id))
            .header(header::COOKIE, &admin_cookie)
            .header("x-csrf-token", &s.csrf_token)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{\"password\": \"reset-pass-77\"}"))
            .unwrap();
        assert_eq!(status(&app, req).await, StatusCode::NO_CONTENT);
        assert!(!token_works(&app, &a.token).await, "API reset");
        assert!(!signed_in(&app, &a.browsers[0].0).await);

        // The page's reset (the staff form with a new password).
        let b = lucy(&store, &admin, "lucy_page").await;
        store
            .admin_reset_password(testing::ctx(&admin), b.id, "reset-pass-78")
            .await
            .unwrap();
        assert!(!token_works(&app, &b.token).await, "page reset");

        // `wharf admin reset-password`.
        let c = lucy(&store, &admin, "lucy_cli").await;
        store
            .cli_reset_password("lucy_cli", "reset-pass-79")
            .await
            .unwrap();
        assert!(!token_works(&app, &c.token).await, "command-line reset");
    }
}

#[tokio::test]
async fn no_token_works_while_its_user_must_change_the_password() {
    for store in testing::backends().await {
        let admin = testing::admin(&store).await;
        let app = app(&store).await;
        let l = lucy(&store, &admin, "lucy").await;
        assert!(token_works(&app, &l.token).await);
        testing::execute_sql(
            &store,
            &format!(
                "UPDATE users SET must_change_password = 1 WHERE id = {}",
                l.id
            ),
        )
        .await;
        assert!(!token_works(&app, &l.token).await);
    }
}
