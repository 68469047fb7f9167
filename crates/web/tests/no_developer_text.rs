//! Every route, given bad path, query, form and JSON values, answers in the user's
//! language: no framework or library text ("Cannot parse", "Failed to deserialize",
//! "Other(…)") reaches a page or an API answer.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Method, Request, header};
use tower::ServiceExt;
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::testing;
use wharf_web::{AppState, route_table, router};

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

/// What framework and library messages look like; none may reach a user.
const DEVELOPER_TEXT: &[&str] = &[
    "Cannot parse",
    "Invalid URL",
    "Failed to deserialize",
    "Failed to parse",
    "Failed to buffer",
    "missing field",
    "unknown variant",
    "invalid type",
    "invalid digit",
    "Other(",
    "Error(",
    "Expected request with",
    "Wrong number of path arguments",
    "Query string",
    "Form requests must",
];

/// Bad values for the query and form parameters the pages read.
const BAD_QUERY: &str = "page=abc&per_page=-x&id=abc&m=abc&after=abc:x&account=%FF&limit=abc&offset=abc&customer_id=abc&day=2026-13-45&from=abc&to=abc&sort=%00&view=nope&format=x&q=%";

fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map(|c| open + c + 1)
            .unwrap_or(rest.len());
        out.push_str("abc");
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn no_route_answers_bad_values_with_developer_text() {
    let store = testing::sqlite().await;
    let admin = testing::admin(&store).await;
    let session = store
        .create_session(admin.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    let app = router(
        AppState::new(store.clone(), POLICY, false, env)
            .await
            .unwrap(),
    );
    let cookie = format!("wharf_session={}", session.token);
    let mut failures = Vec::new();
    let mut tried = 0;
    for route in route_table() {
        if route.path == "/logout" || route.path.ends_with("/events") {
            continue;
        }
        let path = concrete(route.path);
        let bodies: Vec<(&str, String)> = if route.method == Method::GET {
            vec![("", String::new())]
        } else {
            vec![
                (
                    "application/x-www-form-urlencoded",
                    format!("_csrf={}&{BAD_QUERY}", session.csrf_token),
                ),
                ("application/json", "{\"id\": \"abc\", \"name\": 5".into()),
                ("application/json", "[1,2]".into()),
                ("text/plain", "hello".into()),
                ("multipart/form-data; boundary=b", "--b\r\nbroken".into()),
            ]
        };
        for (content_type, body) in bodies {
            for accept in ["text/html", "application/json"] {
                for lang in ["en", "zh-CN"] {
                    let mut req = Request::builder()
                        .method(route.method.clone())
                        .uri(format!("{path}?{BAD_QUERY}"))
                        .header(header::COOKIE, &cookie)
                        .header("x-csrf-token", &session.csrf_token)
                        .header(header::ACCEPT, accept)
                        .header(header::ACCEPT_LANGUAGE, lang);
                    if !content_type.is_empty() {
                        req = req.header(header::CONTENT_TYPE, content_type);
                    }
                    let res = app
                        .clone()
                        .oneshot(req.body(Body::from(body.clone())).unwrap())
                        .await
                        .unwrap();
                    let status = res.status();
                    let bytes = axum::body::to_bytes(res.into_body(), 64 << 20)
                        .await
                        .unwrap();
                    let text = String::from_utf8_lossy(&bytes);
                    tried += 1;
                    if status.is_server_error() {
                        failures.push(format!("{} {path} {content_type}: {status}", route.method));
                    }
                    if let Some(bad) = DEVELOPER_TEXT.iter().find(|d| text.contains(*d)) {
                        failures.push(format!(
                            "{} {path} [{content_type}] {accept} {lang}: {status} shows “{bad}”: {}",
                            route.method,
                            text.chars().take(300).collect::<String>()
                        ));
                    }
                }
            }
        }
    }
    assert!(tried > 200, "only {tried} requests");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// "Test settings" against a closed port and a plain-text server on the TLS port: each
/// step says in the user's language what to try, no library words, and the typed
/// passwords are back in the form.
#[tokio::test]
async fn a_failed_settings_test_says_what_to_try_and_keeps_the_passwords() {
    let store = testing::sqlite().await;
    let admin = testing::admin(&store).await;
    let session = store
        .create_session(admin.user_id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    let app = router(
        AppState::new(store.clone(), POLICY, false, env)
            .await
            .unwrap(),
    );
    // A port nobody listens on, and a "server" that greets in plain text where TLS is
    // expected.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let plain = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let plain_port = plain.local_addr().unwrap().port();
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        while let Ok((mut s, _)) = plain.accept().await {
            let _ = s.write_all(b"* OK plain IMAP here\r\n").await;
        }
    });
    for (lang, hint_refused, hint_tls) in [
        (
            "en",
            "refused the connection on this port",
            "expects another security setting",
        ),
        (
            "zh-CN",
            "服务器拒绝了该端口的连接",
            "可能需要另一种加密方式",
        ),
    ] {
        let body = format!(
            "_csrf={}&address=li%40wharf.test&kind=public&in_protocol=imap&in_host=127.0.0.1&in_port={plain_port}&in_security=tls&in_username=li&in_password=Secret-In-1&out_host=127.0.0.1&out_port={closed}&out_security=none&out_username=li&out_password=Secret-Out-2&max_attachment_mb=25",
            session.csrf_token
        );
        let res = app
            .clone()
            .oneshot(
                Request::post("/mail/accounts/test")
                    .header(header::COOKIE, format!("wharf_session={}", session.token))
                    .header(header::ACCEPT_LANGUAGE, lang)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
            .unwrap();
        let page = String::from_utf8_lossy(
            &axum::body::to_bytes(res.into_body(), 1 << 22)
                .await
                .unwrap(),
        )
        .into_owned();
        assert!(page.contains(hint_refused), "{lang}: {page}");
        assert!(page.contains(hint_tls), "{lang}: {page}");
        assert!(
            page.contains("value=\"Secret-In-1\"") && page.contains("value=\"Secret-Out-2\""),
            "passwords kept: {page}"
        );
        if let Some(bad) = DEVELOPER_TEXT
            .iter()
            .chain(&["os error", "InvalidContentType", "corrupt message"])
            .find(|d| page.contains(*d))
        {
            panic!("{lang}: shows “{bad}”: {page}");
        }
    }
}
