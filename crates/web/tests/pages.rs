//! HTTP tests through the router: the first start, sign-in, CSRF, languages, the 403 and
//! 404 pages, JSON errors with stable codes, opportunities — a module per journey under `pages/`,
//! sharing the request helpers below.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use tower::ServiceExt;
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::testing;
use wharf_web::{AppState, router};

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, Vec<String>, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let cookies = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, cookies, String::from_utf8_lossy(&body).into_owned())
}

fn form(uri: &str, body: &str, cookie: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn get(uri: &str, cookie: &str, lang: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT_LANGUAGE, lang)
        .body(Body::empty())
        .unwrap()
}

fn csrf_of(html: &str) -> String {
    let i = html
        .find("name=\"_csrf\" value=\"")
        .expect("page has a CSRF field")
        + 20;
    html[i..i + 64].to_string()
}

/// A throwaway blob folder and secret key for the mail pages.
/// Salespeople with these usernames, each with a password of their own
/// (`chosen-pass-1`) and signed in: (user id, session cookie, CSRF token).
async fn signed_in_salespeople(
    store: &wharf_store::Store,
    admin: &wharf_core::Actor,
    usernames: &[&str],
) -> Vec<(i64, String, String)> {
    let mut users = Vec::new();
    for name in usernames {
        let id = testing::staff(store, admin, name, "salesperson", None)
            .await
            .user_id;
        store
            .cli_reset_password(name, "chosen-pass-1")
            .await
            .unwrap();
        let s = store
            .create_session(id, "127.0.0.1", "test", POLICY)
            .await
            .unwrap();
        users.push((id, format!("wharf_session={}", s.token), s.csrf_token));
    }
    users
}

fn mail_env(store: &wharf_store::Store) -> wharf_mailbox::Env {
    wharf_mailbox::testing::scratch_env(store.clone())
}

#[path = "pages/customer_scope.rs"]
mod customer_scope;
#[path = "pages/deals.rs"]
mod deals;
#[path = "pages/exchange_rates.rs"]
mod exchange_rates;
#[path = "pages/first_start.rs"]
mod first_start;
#[path = "pages/products.rs"]
mod products;
#[path = "pages/quick_entry.rs"]
mod quick_entry;
#[path = "pages/refused_delivery.rs"]
mod refused_delivery;
#[path = "pages/search.rs"]
mod search;
