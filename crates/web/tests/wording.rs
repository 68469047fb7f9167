//! Wording a user met (issue 17): a new hire has no role until one is chosen, audit
//! actions read as words, lists are joined per language, and the site has an icon.

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

struct World {
    app: axum::Router,
    cookie: String,
    csrf: String,
}

async fn world() -> World {
    let store = testing::sqlite().await;
    let admin = testing::admin(&store).await;
    let session = store
        .create_session(admin.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    World {
        app: router(
            AppState::new(store.clone(), POLICY, false, env)
                .await
                .unwrap(),
        ),
        cookie: format!("wharf_session={}", session.token),
        csrf: session.csrf_token,
    }
}

async fn call(w: &World, req: Request<Body>) -> (StatusCode, String, String) {
    let res = w.app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = axum::body::to_bytes(res.into_body(), 1 << 22)
        .await
        .unwrap();
    (
        status,
        content_type,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

fn get(w: &World, uri: &str, lang: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::COOKIE, &w.cookie)
        .header(header::ACCEPT_LANGUAGE, lang)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn a_new_hire_has_no_role_until_one_is_chosen() {
    let w = world().await;
    let (_, _, form) = call(&w, get(&w, "/system/staff/new", "en")).await;
    let select = &form[form.find("id=\"f-role_id\"").unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    assert!(
        select.contains("<option value=\"\" selected>— choose a role —</option>"),
        "{select}"
    );
    let (status, _, page) = call(
        &w,
        Request::post("/system/staff")
            .header(header::COOKIE, &w.cookie)
            .header(header::ACCEPT_LANGUAGE, "zh-CN")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "_csrf={}&username=zhao&name=Zhao&role_id=&status=active&password=welcome-12345",
                w.csrf
            )))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("id=\"err-role_id\""), "{page}");
}

#[tokio::test]
async fn audit_actions_and_lists_read_in_the_users_language() {
    let w = world().await;
    // Creating a customer leaves an audit entry.
    let (status, _, _) = call(
        &w,
        Request::post("/customers")
            .header(header::COOKIE, &w.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "_csrf={}&name=Acme+Valves&stage=reserve",
                w.csrf
            )))
            .unwrap(),
    )
    .await;
    assert!(status.is_redirection(), "{status}");
    let (_, _, en) = call(&w, get(&w, "/system/audit", "en")).await;
    assert!(en.contains("Customer created"), "{en}");
    assert!(!en.contains(">customer.create<"), "{en}");
    let (_, _, zh) = call(&w, get(&w, "/system/audit", "zh-CN")).await;
    assert!(zh.contains("新建客户"), "{zh}");
    let (_, _, roles) = call(&w, get(&w, "/system/roles", "en")).await;
    assert!(!roles.contains('、'), "{roles}");
    let (_, _, roles) = call(&w, get(&w, "/system/roles", "zh-CN")).await;
    assert!(roles.contains('、'), "{roles}");
}

#[tokio::test]
async fn the_site_has_an_icon() {
    let w = world().await;
    let (status, content_type, body) = call(
        &w,
        Request::get("/favicon.ico").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "image/svg+xml");
    assert!(body.starts_with("<svg"));
    let (_, _, home) = call(&w, get(&w, "/", "en")).await;
    assert!(home.contains("rel=\"icon\""), "{home}");
}

/// After a save the page says so in the user's language; an unknown `saved` code says
/// nothing. The built-in administrator is named in the reader's language.
#[tokio::test]
async fn saves_are_confirmed_and_the_admin_is_named_per_language() {
    let w = world().await;
    let (_, _, zh) = call(&w, get(&w, "/system/settings?saved=settings", "zh-CN")).await;
    assert!(zh.contains("id=\"saved-notice\">设置已保存。<"), "{zh}");
    let (_, _, en) = call(&w, get(&w, "/system/settings?saved=settings", "en")).await;
    assert!(en.contains("The settings were saved."), "{en}");
    let (_, _, none) = call(&w, get(&w, "/system/settings?saved=bogus", "en")).await;
    assert!(!none.contains("id=\"saved-notice\""), "{none}");
    let (_, _, en) = call(&w, get(&w, "/system/staff", "en")).await;
    assert!(
        en.contains(">Administrator<") && !en.contains("系统管理员"),
        "{en}"
    );
    let (_, _, zh) = call(&w, get(&w, "/system/staff", "zh-CN")).await;
    assert!(
        zh.contains(">系统管理员<") && !zh.contains("Administrator<"),
        "{zh}"
    );
    // A save redirects to the confirmation: settings, and a password (which ends the
    // session, so last).
    let post = |uri: &str, body: String| {
        Request::post(uri)
            .header(header::COOKIE, &w.cookie)
            .header(header::ACCEPT_LANGUAGE, "en")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("_csrf={}&{body}", w.csrf)))
            .unwrap()
    };
    let location = |res: &axum::response::Response| {
        res.headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let res = w
        .app
        .clone()
        .oneshot(post(
            "/system/settings",
            "company_name=Ningbo+Export+Co".into(),
        ))
        .await
        .unwrap();
    assert_eq!(location(&res), "/system/settings?saved=settings");
    let res = w
        .app
        .clone()
        .oneshot(post(
            "/profile/password",
            "current_password=first-password&new_password=a-new-pass-123&confirm_password=a-new-pass-123".into(),
        ))
        .await
        .unwrap();
    assert_eq!(location(&res), "/profile?saved=password");
}
