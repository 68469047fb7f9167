//! Contact records and the workbench through the router, on both databases: a record
//! added from the customer's page shows in its trail and moves the workbench, whose
//! counts link to the customer list filtered to exactly those customers; bad input is
//! refused in the user's language with nothing written; a salesperson reaches neither a
//! colleague's customer nor their records (page or API), a manager's Team view does.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use wharf_core::org::DepartmentInput;
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::{Store, testing};
use wharf_web::{AppState, router};

#[path = "records/orders.rs"]
mod orders;
#[path = "records/quotes.rs"]
mod quotes;
#[path = "records/quotes_api.rs"]
mod quotes_api;

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

struct User {
    id: i64,
    cookie: String,
    csrf: String,
}

struct World {
    app: axum::Router,
    li: User,
    wang: User,
    boss: User,
    customer: i64,
}

async fn setup(store: &Store) -> World {
    let admin = testing::admin(store).await;
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    let app = router(
        AppState::new(store.clone(), POLICY, false, env)
            .await
            .unwrap(),
    );
    let dept = store
        .create_department(
            testing::ctx(&admin),
            DepartmentInput {
                name: "Export".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut users = Vec::new();
    for (name, role) in [
        ("li", "salesperson"),
        ("wang", "salesperson"),
        ("boss", "department_manager"),
    ] {
        let id = testing::staff(store, &admin, name, role, Some(dept))
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
        users.push(User {
            id,
            cookie: format!("wharf_session={}", s.token),
            csrf: s.csrf_token,
        });
    }
    let li_actor = store.load_actor(users[0].id).await.unwrap().unwrap();
    let customer = store
        .create_customer(
            testing::ctx(&li_actor),
            wharf_core::customers::CustomerInput {
                name: "Hamburg Pumps GmbH".into(),
                ..Default::default()
            },
            &[users[0].id],
        )
        .await
        .unwrap();
    let boss = users.pop().unwrap();
    let wang = users.pop().unwrap();
    let li = users.pop().unwrap();
    World {
        app,
        li,
        wang,
        boss,
        customer,
    }
}

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 4 << 20)
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

fn post_form(path: &str, u: &User, lang: &str, pairs: &[(&str, &str)]) -> Request<Body> {
    let mut all = vec![("_csrf", u.csrf.as_str())];
    all.extend_from_slice(pairs);
    Request::post(path)
        .header(header::COOKIE, &u.cookie)
        .header(header::ACCEPT_LANGUAGE, lang)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
        .unwrap()
}

fn post_json(path: &str, u: &User, body: serde_json::Value) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, &u.cookie)
        .header("x-csrf-token", &u.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// A form's fields, then the message expected in Chinese and in English.
type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);

async fn today(store: &Store) -> wharf_core::zone::Day {
    let admin = testing::admin(store).await;
    let zone = store.company_time_zone(&admin).await.unwrap();
    testing::clear_of_midnight(&zone).await;
    zone.today(wharf_store::now())
}

#[tokio::test]
async fn a_record_from_the_customer_page_reaches_the_trail_and_the_workbench() {
    for store in testing::backends().await {
        let w = setup(&store).await;
        let tomorrow = today(&store).await.next().iso();
        let (status, _) = call(
            &w.app,
            post_form(
                &format!("/customers/{}/records", w.customer),
                &w.li,
                "en",
                &[
                    ("kind", "call"),
                    ("content", "Wants 200 pumps, FOB Ningbo"),
                    (
                        "happened_at",
                        &wharf_core::records::local_datetime(
                            &store
                                .company_time_zone(&testing::admin(&store).await)
                                .await
                                .unwrap(),
                            wharf_store::now() - 120,
                        ),
                    ),
                    ("next_revisit", &tomorrow),
                ],
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, page) = call(
            &w.app,
            get(&format!("/customers/{}", w.customer), &w.li, "en"),
        )
        .await;
        assert!(
            page.contains("Wants 200 pumps, FOB Ningbo"),
            "the trail shows it"
        );
        assert!(page.contains(&format!("Next revisit: {tomorrow}")));
        let (_, only_mail) = call(
            &w.app,
            get(&format!("/customers/{}?tl=mail", w.customer), &w.li, "en"),
        )
        .await;
        assert!(
            !only_mail.contains("Wants 200 pumps"),
            "the mail filter leaves records out"
        );

        let (_, bench) = call(&w.app, get("/sales", &w.li, "en")).await;
        let link = format!(
            "/customers?stage=reserve&revisit=tomorrow&owner={}",
            w.li.id
        );
        // As the template escapes an attribute.
        let shown = link.replace('&', "&amp;").replace('/', "&#x2f;");
        assert!(bench.contains(&shown), "{bench}");
        assert!(bench.contains(r#"id="reserve-revisit_tomorrow"#));
        assert!(bench.contains(r#"class="count hot" id="reserve-revisit_tomorrow""#));
        let (_, list) = call(&w.app, get(&link, &w.li, "en")).await;
        assert!(
            list.contains("Hamburg Pumps GmbH"),
            "the link lists the customer"
        );
        let (_, none) = call(
            &w.app,
            get("/customers?stage=reserve&revisit=today", &w.li, "en"),
        )
        .await;
        assert!(!none.contains("Hamburg Pumps GmbH"));
        let (_, contacted) = call(&w.app, get("/customers?contacted=today", &w.li, "en")).await;
        assert!(contacted.contains("Hamburg Pumps GmbH"));

        // The manager's team view counts Li's customer; Wang's own bench is empty.
        let (_, team) = call(&w.app, get("/api/v1/workbench?view=team", &w.boss, "en")).await;
        let v: serde_json::Value = serde_json::from_str(&team).unwrap();
        assert_eq!(v["stages"][0]["stage"], "reserve");
        assert_eq!(v["stages"][0]["contacted_today"], 1, "{team}");
        let (_, wang) = call(&w.app, get("/api/v1/workbench?view=team", &w.wang, "en")).await;
        let v: serde_json::Value = serde_json::from_str(&wang).unwrap();
        assert_eq!(v["stages"][0]["contacted_today"], 0, "{wang}");
    }
}

#[tokio::test]
async fn bad_input_is_refused_in_the_users_language_with_nothing_written() {
    for store in testing::backends().await {
        let w = setup(&store).await;
        let yesterday = today(&store).await.plus_days(-1).iso();
        let path = format!("/customers/{}/records", w.customer);
        let cases: [Case; 4] = [
            (
                &[
                    ("kind", "call"),
                    ("content", "x"),
                    ("happened_at", "2026-01-01T10:00"),
                    ("next_revisit", &yesterday),
                ],
                "下次回访日期不能早于今天。",
                "The next revisit cannot be before today.",
            ),
            (
                &[
                    ("kind", "call"),
                    ("content", "  "),
                    ("happened_at", "2026-01-01T10:00"),
                ],
                "必填",
                "Required.",
            ),
            (
                &[
                    ("kind", "call"),
                    ("content", "x"),
                    ("happened_at", "yesterday-ish"),
                ],
                "2026-11-23",
                "Use a date like 2026-11-23.",
            ),
            (
                &[
                    ("kind", "fax"),
                    ("content", "x"),
                    ("happened_at", "2026-01-01T10:00"),
                ],
                "选项",
                "Not a valid choice.",
            ),
        ];
        for (pairs, zh, en) in cases {
            let (status, body) = call(&w.app, post_form(&path, &w.li, "en", pairs)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{pairs:?}");
            assert!(body.contains(en), "{pairs:?}: {body}");
            assert!(
                body.contains(">x</textarea>") || pairs[1].1.trim().is_empty(),
                "kept what was typed: {pairs:?}"
            );
            let (_, body) = call(&w.app, post_form(&path, &w.li, "zh-CN", pairs)).await;
            assert!(body.contains(zh), "{pairs:?}: {body}");
        }
        let huge = "長".repeat(10_001);
        let (status, body) = call(
            &w.app,
            post_json(
                &format!("/api/v1/customers/{}/records", w.customer),
                &w.li,
                serde_json::json!({"kind": "call", "content": huge}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("too_long"), "{body}");
        assert_eq!(testing::count_rows(&store, "contact_records").await, 0);
    }
}

#[tokio::test]
async fn a_salesperson_reaches_no_colleagues_records() {
    for store in testing::backends().await {
        let w = setup(&store).await;
        let (status, body) = call(
            &w.app,
            post_json(
                &format!("/api/v1/customers/{}/records", w.customer),
                &w.li,
                serde_json::json!({"kind": "visit", "content": "Factory visit, confidential price"}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
            .as_i64()
            .unwrap();
        for path in [
            format!("/records/{id}"),
            format!("/api/v1/records/{id}"),
            format!("/api/v1/customers/{}/records", w.customer),
            format!("/customers/{}", w.customer),
        ] {
            let (status, body) = call(&w.app, get(&path, &w.wang, "en")).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert!(!body.contains("confidential price"), "{path}");
        }
        for (path, pairs) in [
            (
                format!("/records/{id}"),
                vec![
                    ("kind", "call"),
                    ("content", "mine now"),
                    ("happened_at", "2026-01-01T10:00"),
                ],
            ),
            (format!("/records/{id}/delete"), vec![]),
            (
                format!("/customers/{}/records", w.customer),
                vec![
                    ("kind", "call"),
                    ("content", "x"),
                    ("happened_at", "2026-01-01T10:00"),
                ],
            ),
        ] {
            let (status, _) = call(&w.app, post_form(&path, &w.wang, "en", &pairs)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        for (view, wang_sees, boss_sees) in [("", false, false), ("team", false, true)] {
            let path = format!("/records?view={view}");
            let (_, body) = call(&w.app, get(&path, &w.wang, "en")).await;
            assert_eq!(
                body.contains("confidential price"),
                wang_sees,
                "wang {path}"
            );
            let (_, body) = call(&w.app, get(&path, &w.boss, "en")).await;
            assert_eq!(
                body.contains("confidential price"),
                boss_sees,
                "boss {path}"
            );
        }
        // The manager over Li may correct the record; the words search finds it.
        let (status, _) = call(
            &w.app,
            post_form(
                &format!("/records/{id}"),
                &w.boss,
                "en",
                &[
                    ("kind", "visit"),
                    ("content", "Factory visit, price withheld"),
                    ("happened_at", "2026-01-01T10:00"),
                ],
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, found) = call(&w.app, get("/api/v1/records?q=withheld", &w.li, "en")).await;
        let v: serde_json::Value = serde_json::from_str(&found).unwrap();
        assert_eq!(v["total"], 1, "{found}");
        assert_eq!(v["records"][0]["author_name"], "Staff li");
        let (status, _) = call(&w.app, get("/records?from=not-a-day", &w.li, "en")).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "a bad filter is a message on the page"
        );
    }
}

#[tokio::test]
async fn an_opportunitys_revisit_day_is_listed_on_its_owners_home_page() {
    for store in testing::backends().await {
        let w = setup(&store).await;
        let li = store.load_actor(w.li.id).await.unwrap().unwrap();
        let day = today(&store).await;
        let mut ids = Vec::new();
        for (title, revisit) in [
            ("Due today", day),
            ("Overdue", day),
            ("Next week", day.plus_days(7)),
        ] {
            ids.push(
                store
                    .create_opportunity(
                        testing::ctx(&li),
                        w.customer,
                        wharf_store::deals::OpportunityEdit {
                            input: wharf_core::deals::OpportunityInput {
                                title: title.into(),
                                amount: "100".into(),
                                currency: "USD".into(),
                                status: "selling".into(),
                                next_revisit: Some(revisit),
                                ..wharf_core::deals::OpportunityInput::default()
                            },
                            ..wharf_store::deals::OpportunityEdit::default()
                        },
                    )
                    .await
                    .unwrap(),
            );
        }
        // A revisit day cannot be typed in the past: this one passed meanwhile.
        testing::execute_sql(
            &store,
            &format!(
                "UPDATE opportunities SET next_revisit = '{}' WHERE id = {}",
                day.plus_days(-2).iso(),
                ids[1]
            ),
        )
        .await;
        let (status, home) = call(&w.app, get("/", &w.li, "en")).await;
        assert_eq!(status, StatusCode::OK);
        let list = home
            .split("id=\"due-revisits\"")
            .nth(1)
            .unwrap_or_default()
            .split("</ul>")
            .next()
            .unwrap_or_default()
            .to_owned();
        assert!(
            list.contains(&format!("opportunities&#x2f;{}\"", ids[0]))
                && list.contains("Hamburg Pumps GmbH · Due today")
                && list.contains("Hamburg Pumps GmbH · Overdue"),
            "{home}"
        );
        assert!(!list.contains("Next week"), "not due yet");
        let overdue = list.find("· Overdue").unwrap();
        assert!(overdue < list.find("· Due today").unwrap(), "overdue first");
        assert!(home.contains("Customers and opportunities to revisit"));
        let (_, zh) = call(&w.app, get("/", &w.li, "zh-CN")).await;
        assert!(zh.contains("要回访的客户和商机") && zh.contains("商机</span>"));
        // A colleague's home lists none of Li's.
        let (_, theirs) = call(&w.app, get("/", &w.wang, "en")).await;
        assert!(!theirs.contains("Due today"), "{theirs}");
    }
}
