//! The tracking screen through the router on both databases: Next keeps the list's
//! filter and skips customers the user cannot see, ends cleanly at the end of the list,
//! a colleague's customer id is refused, a record added from the screen stays on it, a
//! refused record is shown again with its error, and the sales kit's pages and API keep
//! one's own scripts to oneself.

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

struct User {
    cookie: String,
    csrf: String,
}

/// The app, Li and Wang (salespeople) and the customers in name order: Li owns the
/// reserve ones A, C, E and the target one D; Wang owns the reserve one B.
async fn setup(store: &Store) -> (axum::Router, User, User, Vec<i64>) {
    let admin = testing::admin(store).await;
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    let app = router(
        AppState::new(store.clone(), POLICY, false, env)
            .await
            .unwrap(),
    );
    let mut users = Vec::new();
    let mut actors = Vec::new();
    for name in ["li", "wang"] {
        let actor = testing::staff(store, &admin, name, "salesperson", None).await;
        store
            .cli_reset_password(name, "chosen-pass-1")
            .await
            .unwrap();
        let s = store
            .create_session(actor.user_id, "127.0.0.1", "test", POLICY)
            .await
            .unwrap();
        users.push(User {
            cookie: format!("wharf_session={}", s.token),
            csrf: s.csrf_token,
        });
        actors.push(actor);
    }
    let mut ids = Vec::new();
    for (name, stage, owner) in [
        ("Alpha Pumps", "reserve", 0),
        ("Bravo Steel", "reserve", 1),
        ("Charlie Valves", "reserve", 0),
        ("Delta Motors", "target", 0),
        ("Echo Fittings", "reserve", 0),
    ] {
        let a = &actors[owner];
        ids.push(
            store
                .create_customer(
                    testing::ctx(a),
                    wharf_core::customers::CustomerInput {
                        name: name.into(),
                        stage: stage.into(),
                        ..Default::default()
                    },
                    &[a.user_id],
                )
                .await
                .unwrap(),
        );
    }
    let wang = users.pop().unwrap();
    let li = users.pop().unwrap();
    (app, li, wang, ids)
}

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, String, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = axum::body::to_bytes(res.into_body(), 1 << 22)
        .await
        .unwrap();
    (
        status,
        String::from_utf8_lossy(&body).into_owned(),
        location,
    )
}

fn get(path: &str, u: &User, lang: &str) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, &u.cookie)
        .header(header::ACCEPT_LANGUAGE, lang)
        .body(Body::empty())
        .unwrap()
}

fn form_post(path: &str, u: &User, form: &str) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, &u.cookie)
        .header(header::ACCEPT_LANGUAGE, "en")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={}&{form}", u.csrf)))
        .unwrap()
}

/// The Next link's href on a tracking page, if any.
fn next_of(html: &str) -> Option<String> {
    let at = html.find(r#"id="track-next""#)?;
    let start = html[..at].rfind("href=\"")? + 6;
    let end = start + html[start..].find('"')?;
    Some(
        html[start..end]
            .replace("&#x2f;", "/")
            .replace("&#x3d;", "=")
            .replace("&amp;", "&"),
    )
}

#[tokio::test]
async fn next_keeps_the_filter_and_skips_what_one_cannot_see() {
    for store in testing::backends().await {
        let (app, li, wang, ids) = setup(&store).await;
        let start = format!("/track?stage=reserve&sort=name&id={}", ids[0]);
        let (status, html, _) = call(&app, get(&start, &li, "en")).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("Alpha Pumps") && html.contains(r#"id="keys""#));
        // Alpha → Charlie (Bravo is Wang's) → Echo (Delta is not in reserve) → the end.
        let mut seen = vec!["Alpha Pumps".to_string()];
        let mut page = html;
        while let Some(next) = next_of(&page) {
            assert!(
                next.contains("stage=reserve") && next.contains("sort=name"),
                "{next}"
            );
            let (status, html, _) = call(&app, get(&next, &li, "en")).await;
            assert_eq!(status, StatusCode::OK);
            let name = [
                "Bravo Steel",
                "Charlie Valves",
                "Delta Motors",
                "Echo Fittings",
            ]
            .into_iter()
            .find(|n| html.contains(&format!(">{n}<")))
            .unwrap()
            .to_string();
            seen.push(name);
            page = html;
            assert!(seen.len() < 10, "a loop");
        }
        assert_eq!(seen, ["Alpha Pumps", "Charlie Valves", "Echo Fittings"]);
        assert!(page.contains(r#"id="track-end""#));
        // In Chinese too, without a raw key.
        let (_, zh, _) = call(&app, get(&start, &li, "zh-CN")).await;
        assert!(zh.contains("下一个") && !zh.contains("track."));
        // A colleague's customer in the URL is refused.
        let theirs = format!("/track?stage=reserve&id={}", ids[1]);
        let (status, _, _) = call(&app, get(&theirs, &li, "en")).await;
        assert!(
            matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{status}"
        );
        // A forged id is a bad request, not a 500.
        let (status, _, _) = call(&app, get("/track?id=abc", &li, "en")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        // Without an id: the list's first customer; Wang's list is his one customer.
        let (_, first, _) = call(&app, get("/track?stage=reserve&sort=name", &wang, "en")).await;
        assert!(first.contains("Bravo Steel") && next_of(&first).is_none());
    }
}

#[tokio::test]
async fn a_record_added_on_the_screen_stays_there() {
    for store in testing::backends().await {
        let (app, li, _wang, ids) = setup(&store).await;
        let list = "stage%3Dreserve%26sort%3Dname";
        let path = format!("/track/{}/records", ids[0]);
        let ok = form_post(
            &path,
            &li,
            &format!(
                "list={list}&kind=call&content=Asked+for+a+price&happened_at=2026-12-01T10%3A00"
            ),
        );
        let (status, _, location) = call(&app, ok).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(
            location.starts_with("/track?stage=reserve&sort=name&id="),
            "{location}"
        );
        let (_, html, _) = call(&app, get(&location, &li, "en")).await;
        assert!(html.contains("Asked for a price"));
        // A refused one comes back on the screen with its error and what was typed.
        let bad = form_post(
            &path,
            &li,
            &format!("list={list}&kind=call&content=Typed+text&happened_at=not-a-time"),
        );
        let (status, html, _) = call(&app, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains(r#"id="record-error""#) && html.contains("Typed text"));
        assert!(html.contains(r#"id="track-bar""#));
    }
}

#[tokio::test]
async fn own_scripts_stay_ones_own_in_pages_and_api() {
    for store in testing::backends().await {
        let (app, li, wang, ids) = setup(&store).await;
        let made = form_post(
            "/sales/scripts",
            &li,
            "title=%E5%BC%80%E5%9C%BA%E7%99%BD&category=opening&body=Hello+from+Ningbo",
        );
        assert_eq!(call(&app, made).await.0, StatusCode::SEE_OTHER);
        let (_, mine, _) = call(&app, get("/sales/scripts", &li, "en")).await;
        assert!(mine.contains("开场白"));
        let (_, theirs, _) = call(&app, get("/api/v1/scripts", &wang, "en")).await;
        assert!(!theirs.contains("开场白"), "{theirs}");
        // On the tracking screen, searched.
        let screen = format!("/track?stage=reserve&id={}&sq=ningbo", ids[0]);
        let (_, html, _) = call(&app, get(&screen, &li, "en")).await;
        assert!(html.contains("开场白"));
        // A salesperson may not write a reference script nor add a competitor.
        let reference = form_post("/sales/scripts", &li, "title=x&body=y&reference=1");
        assert_eq!(call(&app, reference).await.0, StatusCode::FORBIDDEN);
        let competitor = form_post("/sales/competitors", &li, "name=NB+Valve");
        assert_eq!(call(&app, competitor).await.0, StatusCode::FORBIDDEN);
        // Bad input: a translated error on the form, nothing written.
        let empty = form_post("/sales/scripts", &li, "title=&body=");
        let (status, html, _) = call(&app, empty).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains(r#"id="err-title""#));
    }
}
