//! NUL, ESC and bidi overrides in names through the HTTP surface, on both databases:
//! a form with a control character anywhere is a 422 with a translated sentence, an
//! API call a 422 with the stable code `control_chars` — never a 500.

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

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

struct Signed {
    app: axum::Router,
    cookie: String,
    csrf: String,
    token: String,
}

async fn signed_in_admin(store: &wharf_store::Store) -> Signed {
    let admin = testing::admin(store).await;
    let session = store
        .create_session(admin.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    let (_, token) = store
        .create_token(testing::ctx(&admin), "test")
        .await
        .unwrap();
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    Signed {
        app: router(
            AppState::new(store.clone(), POLICY, false, env)
                .await
                .unwrap(),
        ),
        cookie: format!("wharf_session={}", session.token),
        csrf: session.csrf_token,
        token,
    }
}

fn form(s: &Signed, uri: &str, body: &str, lang: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &s.cookie)
        .header(header::ACCEPT_LANGUAGE, lang)
        .body(Body::from(format!("_csrf={}&{body}", s.csrf)))
        .unwrap()
}

fn api(s: &Signed, uri: &str, json: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::AUTHORIZATION, format!("Bearer {}", s.token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json.to_string()))
        .unwrap()
}

#[tokio::test]
async fn forms_refuse_control_characters_with_a_sentence() {
    for store in testing::backends().await {
        let s = signed_in_admin(&store).await;
        for (uri, body) in [
            ("/system/departments", "name=Sales%00Team"),
            ("/system/departments", "name=Sales%1B%5B2J"),
            ("/customers", "name=ACME%00Ltd"),
            ("/profile/tokens", "name=laptop%00"),
        ] {
            let (status, page) = send(&s.app, form(&s, uri, body, "en")).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{uri} {body}: {page}"
            );
            assert!(page.contains("control characters"), "{uri} {body}: {page}");
            let (status, page) = send(&s.app, form(&s, uri, body, "zh-CN")).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri} {body}");
            assert!(page.contains("控制字符"), "{uri} {body}: {page}");
        }
        // A bidi override in a name (not a control character to the form) is refused
        // by the name's own rule, on the form with the field marked.
        let (status, page) = send(
            &s.app,
            form(&s, "/system/departments", "name=evil%E2%80%AEgpj.exe", "en"),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        assert!(page.contains("id=\"err-name\""), "{page}");
        assert!(
            store
                .list_departments(&testing::admin(&store).await)
                .await
                .unwrap()
                .iter()
                .all(|d| !d.name.contains('\u{202E}'))
        );
    }
}

#[tokio::test]
async fn the_api_refuses_control_characters_with_a_stable_code() {
    for store in testing::backends().await {
        let s = signed_in_admin(&store).await;
        for (uri, json) in [
            ("/api/v1/departments", r#"{"name": "Sales\u0000Team"}"#),
            ("/api/v1/departments", r#"{"name": "Sales\u202eTeam"}"#),
            ("/api/v1/customers", r#"{"name": "ACME\u0000Ltd"}"#),
            ("/api/v1/customers", r#"{"name": "ACME\u001bLtd"}"#),
            (
                "/api/v1/roles",
                r#"{"name_en": "Trainee\u0000", "permissions": ["customers"], "scope": "own"}"#,
            ),
        ] {
            let (status, body) = send(&s.app, api(&s, uri, json)).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{uri} {json}: {body}"
            );
            assert!(
                body.contains("\"code\":\"control_chars\""),
                "{uri} {json}: {body}"
            );
        }
    }
}
