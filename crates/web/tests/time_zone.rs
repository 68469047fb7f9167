//! The company's time zone on the pages: chosen on the settings page (an unknown zone
//! is explained in both languages), and used by every page that reads or shows a day —
//! the audit log's date filter, the customer list's "created" column, the search's date
//! filter. New York, so that UTC's and Shanghai's days both disagree with the zone's.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use wharf_core::zone::{Day, Zone};
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

async fn session(store: &Store, id: i64) -> User {
    let s = store
        .create_session(id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    User {
        cookie: format!("wharf_session={}", s.token),
        csrf: s.csrf_token,
    }
}

fn mail_env(store: &Store) -> wharf_mailbox::Env {
    wharf_mailbox::testing::scratch_env(store.clone())
}

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 21)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn get(path: &str, u: &User, lang: &str) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, &u.cookie)
        .header(header::ACCEPT_LANGUAGE, lang)
        .body(Body::empty())
        .unwrap()
}

fn post(path: &str, u: &User, lang: &str, body: &str) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, &u.cookie)
        .header(header::ACCEPT_LANGUAGE, lang)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={}&{body}", u.csrf)))
        .unwrap()
}

/// The settings form as it stands, with `time_zone` replaced.
async fn save_zone(
    app: &axum::Router,
    admin: &User,
    lang: &str,
    zone: &str,
) -> (StatusCode, String) {
    let (_, form) = call(app, get("/system/settings", admin, lang)).await;
    let mut pairs: Vec<(String, String)> = Vec::new();
    for key in wharf_core::settings::KEYS {
        let value = if key == "time_zone" {
            zone.to_string()
        } else {
            field_value(&form, key)
        };
        pairs.push((key.to_string(), value));
    }
    let body = serde_urlencoded::to_string(&pairs).unwrap();
    call(app, post("/system/settings", admin, lang, &body)).await
}

/// The value of the form field `name` in a page (inputs and textareas; selects give
/// their selected option).
fn field_value(page: &str, name: &str) -> String {
    let id = format!("id=\"f-{name}\"");
    let Some(at) = page.find(&id) else {
        panic!("no field {name}")
    };
    let rest = &page[at..];
    let tag_end = rest.find('>').unwrap();
    if let Some(v) = rest[..tag_end].find("value=\"") {
        let v = &rest[v + 7..];
        return html_unescape(&v[..v.find('"').unwrap()]);
    }
    if page[..at].ends_with("<textarea ") {
        let body = &rest[tag_end + 1..];
        return html_unescape(&body[..body.find("</textarea>").unwrap()]);
    }
    let options = &rest[..rest.find("</select>").unwrap()];
    let selected = options.find("selected").unwrap();
    let open = options[..selected].rfind("value=\"").unwrap();
    let v = &options[open + 7..];
    html_unescape(&v[..v.find('"').unwrap()])
}

fn html_unescape(s: &str) -> String {
    s.replace("&#x2F;", "/")
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn new_york() -> Zone {
    Zone::named("America/New_York").unwrap()
}

/// 2026-03-08, the day New York's clocks go forward: 23 hours from 05:00 UTC.
fn change_day() -> (i64, i64) {
    new_york().day_range(Day::parse_iso("2026-03-08").unwrap())
}

async fn app_with_admin(store: &Store) -> (axum::Router, User, AppState) {
    let admin = testing::admin(store).await;
    let state = AppState::new(store.clone(), POLICY, false, mail_env(store))
        .await
        .unwrap();
    (
        router(state.clone()),
        session(store, admin.user_id).await,
        state,
    )
}

#[tokio::test]
async fn the_zone_is_chosen_on_the_settings_page() {
    for store in testing::backends().await {
        let (app, admin, _) = app_with_admin(&store).await;
        let (s, form) = call(&app, get("/system/settings", &admin, "en")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(field_value(&form, "time_zone"), "Asia/Shanghai");
        // Common zones are offered; any other IANA name may be typed.
        let offered = &form[form
            .find("id=\"f-time_zone-list\"")
            .expect("a list of zones")..];
        let offered = html_unescape(&offered[..offered.find("</datalist>").unwrap()]);
        assert!(
            offered.contains("<option value=\"America/New_York\">"),
            "{offered}"
        );
        let (s, _) = save_zone(&app, &admin, "en", "asia/kathmandu").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, form) = call(&app, get("/system/settings", &admin, "en")).await;
        assert_eq!(field_value(&form, "time_zone"), "Asia/Kathmandu");

        for (lang, message) in [("en", "is not a time zone"), ("zh-CN", "不是时区")] {
            let (s, page) = save_zone(&app, &admin, lang, "Mars/Olympus").await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
            assert!(page.contains("id=\"err-time_zone\""), "{page}");
            assert!(page.contains(message), "{lang}: {page}");
            assert_eq!(
                field_value(&page, "time_zone"),
                "Mars/Olympus",
                "kept for correcting"
            );
        }
        let a = testing::admin(&store).await;
        assert_eq!(
            store.company_settings(&a).await.unwrap().time_zone.name(),
            "Asia/Kathmandu"
        );
    }
}

#[tokio::test]
async fn the_audit_log_filters_by_the_zones_days() {
    for store in testing::backends().await {
        let (app, admin, _) = app_with_admin(&store).await;
        let (s, _) = save_zone(&app, &admin, "en", "America/New_York").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (start, end) = change_day();
        for (summary, at) in [
            ("zone-before", start - 1),
            ("zone-first", start),
            ("zone-last", end - 1),
            ("zone-after", end),
        ] {
            testing::execute_sql(
                &store,
                &format!("INSERT INTO audit_log (at, username, action, summary) VALUES ({at}, 'admin', 'test.zone', '{summary}')"),
            )
            .await;
        }
        let (s, page) = call(
            &app,
            get(
                "/system/audit?action=test.zone&from=2026-03-08&to=2026-03-08",
                &admin,
                "en",
            ),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains("zone-first") && page.contains("zone-last"),
            "{page}"
        );
        assert!(
            !page.contains("zone-before") && !page.contains("zone-after"),
            "{page}"
        );
        // Times are New York's: the day's first second, and its last (in EDT).
        assert!(page.contains("2026-03-08 00:00"), "{page}");
        assert!(page.contains("2026-03-08 23:59"), "{page}");
        let (s, page) = call(&app, get("/system/audit?from=2026-02-30", &admin, "en")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        assert!(page.contains("Use a date like 2026-11-23."), "{page}");
    }
}

#[tokio::test]
async fn the_customer_list_shows_created_in_the_zone() {
    for store in testing::backends().await {
        let (app, admin, _) = app_with_admin(&store).await;
        save_zone(&app, &admin, "en", "America/New_York").await;
        let a = testing::admin(&store).await;
        let (start, _) = change_day();
        let id = store
            .create_customer(
                testing::ctx(&a),
                wharf_core::customers::CustomerInput {
                    name: "Night Owl Trading".into(),
                    ..Default::default()
                },
                &[a.user_id],
            )
            .await
            .unwrap();
        // 04:59:59 UTC: still the 7th in New York (and already the 8th in UTC).
        testing::execute_sql(
            &store,
            &format!(
                "UPDATE customers SET created_at = {} WHERE id = {id}",
                start - 1
            ),
        )
        .await;
        store
            .set_pref(&a, "customer_columns", "created")
            .await
            .unwrap();
        let (s, page) = call(&app, get("/customers", &admin, "en")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("Night Owl Trading"), "{page}");
        assert!(page.contains("2026-03-07 23:59"), "{page}");
        assert!(!page.contains("2026-03-08 04:59") && !page.contains("2026-03-08 12:59"));
    }
}

#[tokio::test]
async fn the_search_date_filter_takes_the_zones_days() {
    for store in testing::backends().await {
        let (app, admin, state) = app_with_admin(&store).await;
        save_zone(&app, &admin, "en", "America/New_York").await;
        let a = testing::admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        store
            .cli_reset_password("li", "chosen-pass-1")
            .await
            .unwrap();
        let li_user = session(&store, li.user_id).await;
        let env = mail_env(&store);
        let account = store
            .create_account(
                testing::ctx(&a),
                &env.vault,
                testing::local_account("li@wharf.test", Some(li.user_id)),
            )
            .await
            .unwrap();
        let (start, end) = change_day();
        let mut ids = Vec::new();
        for (n, at) in [start - 1, start, end - 1, end].into_iter().enumerate() {
            let raw = format!(
                "From: Omar <omar@gulf.example>\r\nTo: li@wharf.test\r\nSubject: Valve order {n}\r\nMessage-ID: <zone{n}@gulf>\r\n\r\nBall valves.\r\n"
            );
            let id = env
                .ingestor()
                .ingest_raw(
                    vec![(
                        raw.into_bytes(),
                        wharf_mailbox::ingest::Origin {
                            account_id: account,
                            own_addresses: vec!["li@wharf.test".into()],
                            folder_role: "inbox".into(),
                            source: "test".into(),
                            ..Default::default()
                        },
                    )],
                    None,
                )
                .await
                .unwrap()[0]
                .id();
            testing::execute_sql(
                &store,
                &format!("UPDATE messages SET received_at = {at} WHERE id = {id}"),
            )
            .await;
            ids.push(id);
        }
        state.search.catch_up(&store).await.unwrap();
        for path in [
            "/search?q=valves&in=mail&after=2026-03-08&before=2026-03-08",
            "/search?q=valves+date%3A2026-03-08",
        ] {
            let (s, page) = call(&app, get(path, &li_user, "en")).await;
            assert_eq!(s, StatusCode::OK);
            let hit = |i: usize| page.contains(&format!("id=\"mail-hit-{}\"", ids[i]));
            assert!(!hit(0) && hit(1) && hit(2) && !hit(3), "{path}: {page}");
            assert!(page.contains("2026-03-08 00:00"), "{page}");
        }
    }
}
