//! HTTP tests through the router for the web shell's hardening (issue 14): redirect
//! targets, the API's JSON rejections, password hashing off the async workers, live
//! streams that end with their session, the response headers, and sign-in limits.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
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
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(app: &axum::Router, req: Request<Body>) -> Answer {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 4 << 20)
        .await
        .unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn mail_env(store: &wharf_store::Store) -> wharf_mailbox::Env {
    wharf_mailbox::testing::scratch_env(store.clone())
}

/// The router, after the first start (the admin's password set).
async fn app_for(store: &wharf_store::Store, secure: bool) -> axum::Router {
    testing::admin(store).await;
    router(
        AppState::new(store.clone(), POLICY, secure, mail_env(store))
            .await
            .unwrap(),
    )
}

/// A salesperson `name` (password `chosen-pass-1`), signed in: (actor, cookie, CSRF).
async fn salesperson(
    store: &wharf_store::Store,
    name: &str,
) -> (wharf_core::Actor, String, String) {
    let admin = testing::admin(store).await;
    let actor = testing::staff(store, &admin, name, "salesperson", None).await;
    store
        .cli_reset_password(name, "chosen-pass-1")
        .await
        .unwrap();
    let s = store
        .create_session(actor.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    (actor, format!("wharf_session={}", s.token), s.csrf_token)
}

fn post_form(uri: &str, body: &str, cookie: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn get(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::empty())
        .unwrap()
}

// ---- redirect targets ------------------------------------------------------------------

#[tokio::test]
async fn a_line_break_in_back_is_refused_before_the_columns_are_saved() {
    for store in testing::backends().await {
        let app = app_for(&store, false).await;
        let (actor, cookie, csrf) = salesperson(&store, "lena").await;
        let a = send(
            &app,
            post_form(
                "/customers/columns",
                &format!("_csrf={csrf}&cols=name&back=%2Fcustomers%0D%0ASet-Cookie%3A%20x%3D1"),
                &cookie,
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
        assert!(
            a.body.contains("The request could not be understood."),
            "{}",
            a.body
        );
        assert_eq!(store.pref(&actor, "customer_columns").await.unwrap(), None);
        // A same-site path still works.
        let a = send(
            &app,
            post_form(
                "/customers/columns",
                &format!("_csrf={csrf}&cols=name&back=%2Fcustomers%3Fq%3Da"),
                &cookie,
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        assert_eq!(a.headers[header::LOCATION], "/customers?q=a");
    }
}

#[tokio::test]
async fn a_line_break_in_a_mail_back_is_refused_before_the_flag_is_set() {
    for store in testing::backends().await {
        let app = app_for(&store, false).await;
        let (_, cookie, csrf) = salesperson(&store, "mona").await;
        // The message need not exist: the target is refused before anything is looked up.
        let a = send(
            &app,
            post_form(
                "/mail/m/999999/flag",
                &format!("_csrf={csrf}&value=1&back=%2Fmail%3Fview%3Dinbox%0A"),
                &cookie,
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
        for back in [
            "%2F%2Fevil.example%2F",
            "%2F%5Cevil.example",
            "https%3A%2F%2Fevil.example%2F",
        ] {
            let a = send(
                &app,
                post_form(
                    "/mail/m/999999/flag",
                    &format!("_csrf={csrf}&value=1&back={back}"),
                    &cookie,
                ),
            )
            .await;
            assert_eq!(a.status, StatusCode::BAD_REQUEST, "{back}: {}", a.body);
        }
    }
}

#[tokio::test]
async fn a_saved_query_with_a_line_break_is_refused_and_not_saved() {
    for store in testing::backends().await {
        let app = app_for(&store, false).await;
        let (actor, cookie, csrf) = salesperson(&store, "nina").await;
        let a = send(
            &app,
            post_form(
                "/customers/queries",
                &format!("_csrf={csrf}&query_name=Mine&query=q%3Da%0D%0AX%3A%20y"),
                &cookie,
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
        assert!(store.saved_queries(&actor).await.unwrap().is_empty());
    }
}

// ---- API rejections ------------------------------------------------------------------

fn json_code(a: &Answer) -> String {
    assert!(
        a.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "not JSON: {:?} {}",
        a.headers.get(header::CONTENT_TYPE),
        a.body
    );
    let v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        a.body
    );
    v["error"]["code"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn every_api_rejection_is_json_with_a_stable_code() {
    let store = testing::sqlite().await;
    let app = app_for(&store, false).await;
    let admin = testing::admin(&store).await;
    let (_, token) = store.create_token(testing::ctx(&admin), "t").await.unwrap();
    let call = |method: &str, uri: &str, ct: Option<&str>, body: &str| {
        let mut r = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        if let Some(ct) = ct {
            r = r.header(header::CONTENT_TYPE, ct);
        }
        r.body(Body::from(body.to_string())).unwrap()
    };
    let cases = [
        (
            call("GET", "/api/v1/departments/abc", None, ""),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            call("GET", "/api/v1/departments/99999999999999999999", None, ""),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            call(
                "PUT",
                "/api/v1/departments/1",
                Some("application/json"),
                "{not json",
            ),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            call("PATCH", "/api/v1/departments/1", None, ""),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            call("GET", "/api/v1/search?limit=abc", None, ""),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ];
    for (req, status, code) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let a = send(&app, req).await;
        assert_eq!(a.status, status, "{what}: {}", a.body);
        assert_eq!(json_code(&a), code, "{what}");
    }
}

#[tokio::test]
async fn a_page_path_that_does_not_parse_keeps_its_translated_page() {
    let store = testing::sqlite().await;
    let app = app_for(&store, false).await;
    let (_, cookie, _) = salesperson(&store, "olga").await;
    let a = send(&app, get("/customers/abc", &cookie)).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(
        a.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        a.body.contains("The request could not be understood."),
        "{}",
        a.body
    );
}

// ---- password hashing ---------------------------------------------------------------

/// On a single-threaded runtime, a ticker next to a sign-in keeps ticking: argon2 runs
/// on the blocking pool. Inline, the longest gap between ticks is a whole verification.
#[tokio::test(flavor = "current_thread")]
async fn sign_in_does_not_stall_the_async_workers() {
    let store = testing::sqlite().await;
    let app = app_for(&store, false).await;
    salesperson(&store, "pia").await;
    let one = Instant::now();
    let hash = wharf_core::password::hash("chosen-pass-1").unwrap();
    assert!(wharf_core::password::verify("chosen-pass-1", &hash));
    let verify_time = one.elapsed() / 2;
    let done = std::sync::atomic::AtomicBool::new(false);
    let login = async {
        for _ in 0..3 {
            let a = send(
                &app,
                post_form("/login", "username=pia&password=chosen-pass-1", ""),
            )
            .await;
            assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
    };
    let ticker = async {
        let mut last = Instant::now();
        let mut longest = Duration::ZERO;
        while !done.load(std::sync::atomic::Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(1)).await;
            longest = longest.max(last.elapsed());
            last = Instant::now();
        }
        longest
    };
    let ((), longest) = tokio::join!(login, ticker);
    assert!(
        longest < verify_time / 2,
        "the runtime stalled {longest:?} (one verification takes {verify_time:?})"
    );
}

// ---- live events ----------------------------------------------------------------------

/// Reads the stream until it ends or `within` passes; whether it ended.
async fn ends_within(body: Body, within: Duration) -> bool {
    let mut body = body;
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => return false,
            Ok(None) => return true,
            Ok(Some(Err(_))) => return true,
            Ok(Some(Ok(_))) => {}
        }
    }
}

#[tokio::test]
async fn the_live_stream_ends_at_logout() {
    for store in testing::backends().await {
        let app = app_for(&store, false).await;
        let (_, cookie, csrf) = salesperson(&store, "quin").await;
        let res = app
            .clone()
            .oneshot(get("/mail/events", &cookie))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let mut body = res.into_body();
        // The first counts arrive, and the stream stays open while signed in.
        let first = tokio::time::timeout(Duration::from_secs(5), body.frame()).await;
        assert!(matches!(first, Ok(Some(Ok(_)))));
        let a = send(
            &app,
            post_form("/logout", &format!("_csrf={csrf}"), &cookie),
        )
        .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        assert!(
            ends_within(body, Duration::from_secs(5)).await,
            "the stream outlived the logout"
        );
    }
}

#[tokio::test]
async fn the_live_stream_ends_when_an_admin_resets_the_password() {
    let store = testing::sqlite().await;
    let app = app_for(&store, false).await;
    let (_, cookie, _) = salesperson(&store, "rosa").await;
    let res = app
        .clone()
        .oneshot(get("/mail/events", &cookie))
        .await
        .unwrap();
    let mut body = res.into_body();
    let first = tokio::time::timeout(Duration::from_secs(5), body.frame()).await;
    assert!(matches!(first, Ok(Some(Ok(_)))));
    // Still open after a while signed in.
    let body = {
        let mut b = body;
        let r = tokio::time::timeout(Duration::from_secs(4), b.frame()).await;
        assert!(!matches!(r, Ok(None)), "ended while signed in");
        b
    };
    store
        .cli_reset_password("rosa", "another-pass-2")
        .await
        .unwrap();
    assert!(
        ends_within(body, Duration::from_secs(5)).await,
        "the stream outlived the reset"
    );
}

// ---- headers, compression, scripts in files -------------------------------------------

#[tokio::test]
async fn pages_carry_a_strict_csp_and_the_hardening_headers() {
    let store = testing::sqlite().await;
    let app = app_for(&store, true).await;
    let (_, cookie, _) = salesperson(&store, "sara").await;
    for path in ["/", "/customers", "/mail", "/login", "/nope"] {
        let a = send(&app, get(path, &cookie)).await;
        let h = |n: header::HeaderName| {
            a.headers
                .get(&n)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let csp = h(header::CONTENT_SECURITY_POLICY);
        for part in [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h(header::X_FRAME_OPTIONS), "DENY", "{path}");
        assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{path}");
        assert_eq!(h(header::REFERRER_POLICY), "same-origin", "{path}");
        assert!(
            h(header::STRICT_TRANSPORT_SECURITY).starts_with("max-age="),
            "{path}"
        );
    }
    // No HSTS over plain HTTP.
    let plain = app_for(&store, false).await;
    let a = send(&plain, get("/login", "")).await;
    assert!(a.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
}

/// What a strict CSP would refuse: inline scripts, event-handler attributes and inline
/// styles. None is left on the main pages.
fn assert_no_inline_code(path: &str, html: &str) {
    let lower = html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(i) = rest.find("<script") {
        let tag_end = rest[i..].find('>').unwrap() + i;
        assert!(
            rest[i..tag_end].contains(" src="),
            "{path}: inline script at {}",
            &rest[i..(i + 200).min(rest.len())]
        );
        rest = &rest[tag_end..];
    }
    assert!(!lower.contains("<style"), "{path}: a <style> block");
    for attr in [
        " style=\"",
        " onclick=",
        " onsubmit=",
        " onchange=",
        " onload=",
        " oninput=",
        "javascript:",
    ] {
        assert!(
            !lower.contains(attr),
            "{path}: {attr} in {}",
            &lower[lower.find(attr).unwrap().saturating_sub(200)..]
        );
    }
}

#[tokio::test]
async fn the_main_pages_have_no_inline_script_or_style() {
    let store = testing::sqlite().await;
    let app = app_for(&store, false).await;
    let admin = testing::admin(&store).await;
    let s = store
        .create_session(admin.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    let cookie = format!("wharf_session={}", s.token);
    let id = store
        .create_customer(
            testing::ctx(&admin),
            wharf_core::customers::CustomerInput {
                name: "Acme Valves".into(),
                ..Default::default()
            },
            &[admin.user_id],
        )
        .await
        .unwrap();
    for path in [
        "/".to_string(),
        "/customers".into(),
        format!("/customers/{id}"),
        "/customers/new".into(),
        "/customers/print".into(),
        "/mail".into(),
        "/mail/compose".into(),
        "/mail/accounts/new".into(),
        "/profile".into(),
        "/search?q=acme".into(),
        "/system/departments/new".into(),
    ] {
        let a = send(&app, get(&path, &cookie)).await;
        assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.body);
        assert_no_inline_code(&path, &a.body);
    }
    let a = send(&app, get("/login", "")).await;
    assert_no_inline_code("/login", &a.body);
}

#[tokio::test]
async fn scripts_and_styles_are_served_compressed_with_cache_busting_urls() {
    let store = testing::sqlite().await;
    let app = app_for(&store, false).await;
    let a = send(&app, get("/login", "")).await;
    let i = a
        .body
        .find("/assets/app.js?v=")
        .expect("app.js by a versioned URL");
    let url = a.body[i..].split('"').next().unwrap().to_string();
    assert!(a.body.contains("/assets/app.css?v="), "{}", a.body);
    for (enc, expect) in [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")] {
        let res = app
            .clone()
            .oneshot(
                Request::get(&url)
                    .header(header::ACCEPT_ENCODING, enc)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_ENCODING], expect, "{enc}");
        assert!(
            res.headers()[header::CACHE_CONTROL]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
    }
    // Pages too.
    let res = app
        .clone()
        .oneshot(
            Request::get("/login")
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
}

#[tokio::test]
async fn the_mail_frame_may_be_framed_by_wharf_only_and_runs_nothing() {
    let store = testing::sqlite().await;
    let app = app_for(&store, false).await;
    let (_, cookie, _) = salesperson(&store, "tina").await;
    // A message the caller cannot read is not found, with the strict frame policy.
    let a = send(&app, get("/mail/m/123456/body", &cookie)).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    // The reading pane's frame is a route of its own (a srcdoc frame would inherit the
    // page's CSP and lose the mail's styles and pictures).
    let a = send(&app, get("/mail", &cookie)).await;
    assert!(!a.body.contains("srcdoc"));
}

// ---- server-side confirmation ---------------------------------------------------------

#[tokio::test]
async fn a_release_without_confirmation_asks_first_and_changes_nothing() {
    for store in testing::backends().await {
        let app = app_for(&store, false).await;
        let (actor, cookie, csrf) = salesperson(&store, "uma").await;
        let id = store
            .create_customer(
                testing::ctx(&actor),
                wharf_core::customers::CustomerInput {
                    name: "Bolt GmbH".into(),
                    ..Default::default()
                },
                &[actor.user_id],
            )
            .await
            .unwrap();
        let a = send(
            &app,
            post_form(
                &format!("/customers/{id}/release"),
                &format!("_csrf={csrf}"),
                &cookie,
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(
            a.body.contains("Release this customer to the public pool?"),
            "{}",
            a.body
        );
        assert!(a.body.contains("name=\"confirmed\" value=\"1\""));
        assert!(
            a.body.contains(&format!(
                "action=\"&#x2f;customers&#x2f;{id}&#x2f;release\""
            )),
            "{}",
            a.body
        );
        let owners = store
            .get_customer(&actor, id)
            .await
            .unwrap()
            .customer
            .owners;
        assert_eq!(owners.len(), 1, "still hers");
        let a = send(
            &app,
            post_form(
                &format!("/customers/{id}/release"),
                &format!("_csrf={csrf}&confirmed=1"),
                &cookie,
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let owners = store
            .get_customer(&actor, id)
            .await
            .unwrap()
            .customer
            .owners;
        assert!(owners.is_empty(), "in the pool");
    }
}

#[tokio::test]
async fn a_bulk_delete_without_confirmation_asks_first() {
    let store = testing::sqlite().await;
    let app = app_for(&store, false).await;
    let admin = testing::admin(&store).await;
    let s = store
        .create_session(admin.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    let cookie = format!("wharf_session={}", s.token);
    let id = store
        .create_customer(
            testing::ctx(&admin),
            wharf_core::customers::CustomerInput {
                name: "Crane SA".into(),
                ..Default::default()
            },
            &[admin.user_id],
        )
        .await
        .unwrap();
    let body = format!("_csrf={}&action=delete&ids={id}", s.csrf_token);
    let a = send(&app, post_form("/customers/bulk", &body, &cookie)).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("Delete the ticked customers"), "{}", a.body);
    assert!(a.body.contains(&format!("name=\"ids\" value=\"{id}\"")));
    assert!(store.get_customer(&admin, id).await.is_ok(), "not deleted");
}

// ---- sign-in limits and origins -------------------------------------------------------

fn login_from(
    peer: &str,
    forwarded_for: Option<&str>,
    user: &str,
    password: &str,
) -> Request<Body> {
    let mut r = post_form(
        "/login",
        &format!("username={user}&password={password}"),
        "",
    );
    if let Some(f) = forwarded_for {
        r.headers_mut()
            .insert("x-forwarded-for", f.parse().unwrap());
    }
    let addr: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
    r.extensions_mut().insert(axum::extract::ConnectInfo(addr));
    r
}

#[tokio::test]
async fn behind_a_trusted_proxy_one_client_cannot_lock_out_another() {
    for store in testing::backends().await {
        testing::admin(&store).await;
        let proxies = wharf_web::client_ip::TrustedProxies::parse(&["127.0.0.1".into()]).unwrap();
        let app = router(
            AppState::new(store.clone(), POLICY, false, mail_env(&store))
                .await
                .unwrap()
                .with_trusted_proxies(proxies),
        );
        // An attacker behind the proxy fails five times for admin.
        for _ in 0..5 {
            let a = send(
                &app,
                login_from(
                    "127.0.0.1",
                    Some("6.6.6.6, 203.0.113.5"),
                    "admin",
                    "guess-guess",
                ),
            )
            .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        }
        let a = send(
            &app,
            login_from("127.0.0.1", Some("203.0.113.5"), "admin", "first-password"),
        )
        .await;
        assert_eq!(
            a.status,
            StatusCode::TOO_MANY_REQUESTS,
            "that client is locked"
        );
        // The admin at another desk, through the same proxy, signs in (after the short
        // per-name delay at most).
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let a = send(
            &app,
            login_from(
                "127.0.0.1",
                Some("198.51.100.20"),
                "admin",
                "first-password",
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        // Headers from a peer that is not a trusted proxy prove nothing.
        for _ in 0..5 {
            send(
                &app,
                login_from("192.0.2.9", Some("198.51.100.20"), "lucy", "guess-guess"),
            )
            .await;
        }
        let a = send(
            &app,
            login_from("192.0.2.9", Some("198.51.100.99"), "lucy", "guess-guess"),
        )
        .await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    }
}

#[tokio::test]
async fn sign_in_and_setup_refuse_a_null_origin() {
    let store = testing::sqlite().await;
    let fresh = app_for_setup(&store).await;
    let mut r = post_form(
        "/setup",
        "password=admin-pass-1&confirm_password=admin-pass-1",
        "",
    );
    r.headers_mut()
        .insert(header::ORIGIN, "null".parse().unwrap());
    r.headers_mut()
        .insert(header::HOST, "wharf.example".parse().unwrap());
    let a = send(&fresh, r).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    assert!(store.needs_setup().await.unwrap(), "not set up");
    let app = app_for(&store, false).await;
    let mut r = post_form("/login", "username=admin&password=first-password", "");
    r.headers_mut()
        .insert(header::ORIGIN, "null".parse().unwrap());
    let a = send(&app, r).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    assert!(a.headers.get(header::SET_COOKIE).is_none());
}

async fn app_for_setup(store: &wharf_store::Store) -> axum::Router {
    router(
        AppState::new(store.clone(), POLICY, false, mail_env(store))
            .await
            .unwrap(),
    )
}
