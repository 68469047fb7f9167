//! What the customer pages and API let a salesperson learn of and do to a colleague's
//! customers: the duplicate check names only the owner of a whole-value match (never an
//! id, never for a prefix) and answers 429 with a stable code when hammered; a new
//! customer owned only by a colleague is refused on the page and in the API; a save
//! blocked by a colleague's customer offers "request transfer", which the owner sees
//! on her home page and approves.

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
    id: i64,
    cookie: String,
    csrf: String,
}

/// The app, and two signed-in salespeople: Li, who owns "Confidential Pumps GmbH",
/// and Wang.
async fn setup(store: &Store) -> (axum::Router, User, User) {
    let admin = testing::admin(store).await;
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    let app = router(
        AppState::new(store.clone(), POLICY, false, env)
            .await
            .unwrap(),
    );
    let mut users = Vec::new();
    for name in ["li", "wang"] {
        let id = testing::staff(store, &admin, name, "salesperson", None)
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
    store
        .create_customer(
            testing::ctx(&li_actor),
            wharf_core::customers::CustomerInput {
                name: "Confidential Pumps GmbH".into(),
                ..Default::default()
            },
            &[users[0].id],
        )
        .await
        .unwrap();
    let wang = users.pop().unwrap();
    let li = users.pop().unwrap();
    (app, li, wang)
}

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20)
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

#[tokio::test]
async fn the_duplicate_check_names_only_the_owner_of_a_whole_match() {
    for store in testing::backends().await {
        let (app, _li, wang) = setup(&store).await;
        for path in [
            "/api/v1/customers/duplicates?name=conf",
            "/api/v1/customers/duplicates?name=Confidential+Pumps",
            "/customers/duplicates?name=confidential",
        ] {
            let (status, body) = call(&app, get(path, &wang, "en")).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            let items = v.get("items").unwrap_or(&v).as_array().unwrap().clone();
            assert!(items.is_empty(), "{path}: {body}");
        }
        let (_, api) = call(
            &app,
            get(
                "/api/v1/customers/duplicates?name=confidential+pumps+gmbh",
                &wang,
                "en",
            ),
        )
        .await;
        let v: serde_json::Value = serde_json::from_str(&api).unwrap();
        let hit = &v["items"][0];
        assert_eq!(hit["owners"], "Staff li", "{api}");
        assert!(hit.get("id").is_none(), "{api}");
        assert_eq!(hit["name"], "");
        let (_, page) = call(
            &app,
            get(
                "/customers/duplicates?name=CONFIDENTIAL+PUMPS+GMBH",
                &wang,
                "en",
            ),
        )
        .await;
        let v: serde_json::Value = serde_json::from_str(&page).unwrap();
        assert!(v[0]["id"].is_null() && v[0]["href"].is_null(), "{page}");
        assert!(
            v[0]["text"].as_str().unwrap().contains("Staff li"),
            "{page}"
        );
    }
}

#[tokio::test]
async fn a_hammered_duplicate_check_answers_429_with_a_stable_code() {
    for store in testing::backends().await {
        let (app, li, wang) = setup(&store).await;
        let t = wharf_store::now();
        if t % 60 > 45 {
            std::thread::sleep(std::time::Duration::from_secs((61 - t % 60) as u64));
        }
        for _ in 0..60 {
            let (status, _) = call(
                &app,
                get("/api/v1/customers/duplicates?name=probe", &wang, "en"),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
        }
        let res = app
            .clone()
            .oneshot(get("/api/v1/customers/duplicates?name=probe", &wang, "en"))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: i64 = res.headers()[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&wait), "Retry-After {wait}");
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["error"]["code"], "rate_limited");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("Too many requests"),
            "{body}"
        );
        // The page route shares the count, and says it in the user's language.
        let (status, body) = call(
            &app,
            get("/customers/duplicates?name=probe", &wang, "zh-CN"),
        )
        .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert!(body.contains("请求过于频繁"), "{body}");
        // Li is not held up by Wang.
        let (status, _) = call(&app, get("/customers/duplicates?name=probe", &li, "en")).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn a_salesperson_cannot_create_a_customer_owned_only_by_a_colleague() {
    for store in testing::backends().await {
        let (app, li, wang) = setup(&store).await;
        let req = Request::post("/api/v1/customers")
            .header(header::COOKIE, &wang.cookie)
            .header("x-csrf-token", &wang.csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(format!(
                "{{\"name\": \"Planted On Li\", \"owner_ids\": [{}]}}",
                li.id
            )))
            .unwrap();
        let (status, body) = call(&app, req).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains("owner_out_of_scope"), "{body}");

        let req = Request::post("/customers")
            .header(header::COOKIE, &wang.cookie)
            .header(header::ACCEPT_LANGUAGE, "en")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "_csrf={}&name=Planted+On+Li+Page&owner={}",
                wang.csrf, li.id
            )))
            .unwrap();
        let (status, body) = call(&app, req).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("only a manager may create customers"),
            "{body}"
        );

        // Nothing was created: Li's list has only her own customer.
        let (_, list) = call(&app, get("/api/v1/customers", &li, "en")).await;
        assert!(!list.contains("Planted On Li"), "{list}");
        // Her own, for herself, still works.
        let req = Request::post("/api/v1/customers")
            .header(header::COOKIE, &wang.cookie)
            .header("x-csrf-token", &wang.csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{\"name\": \"Wang's Own Ltd\"}"))
            .unwrap();
        assert_eq!(call(&app, req).await.0, StatusCode::CREATED);
    }
}

fn post(path: &str, u: &User, lang: &str, body: &str) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, &u.cookie)
        .header(header::ACCEPT_LANGUAGE, lang)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={}&{body}", u.csrf)))
        .unwrap()
}

#[tokio::test]
async fn a_blocked_save_offers_a_transfer_request_the_owner_approves() {
    for store in testing::backends().await {
        let (app, li, wang) = setup(&store).await;
        let (status, page) = call(
            &app,
            post(
                "/customers",
                &wang,
                "en",
                "name=Confidential+Pumps+GmbH&owner=me",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains(r#"id="transfer-offer""#), "{page}");
        assert!(
            page.contains("This buyer is a customer of Staff li"),
            "{page}"
        );
        // A request for what nobody else holds is refused in words.
        let (status, page) = call(
            &app,
            post(
                "/customers/transfer-requests",
                &wang,
                "zh-CN",
                "name=Nobody+Has+This&reason=x",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(page.contains("没有与这些信息相符的同事客户"), "{page}");
        let (status, _) = call(
            &app,
            post(
                "/customers/transfer-requests",
                &wang,
                "en",
                "name=Confidential+Pumps+GmbH&reason=He+wrote+to+me",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, mine) = call(
            &app,
            get("/customers/transfer-requests?sent=1", &wang, "en"),
        )
        .await;
        assert!(
            mine.contains(r#"id="request-sent""#) && mine.contains("Waiting"),
            "{mine}"
        );
        assert!(
            !mine.contains("Confidential Pumps"),
            "not named before it is hers"
        );
        // Li sees it on her home page, with the count, and approves.
        let (_, home) = call(&app, get("/", &li, "en")).await;
        assert!(home.contains(r#"id="transfer-request-count">1<"#), "{home}");
        assert!(home.contains("He wrote to me"), "{home}");
        let id: i64 = home
            .split("/customers/transfer-requests/")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap()
            .parse()
            .unwrap();
        let (status, _) = call(
            &app,
            post(
                &format!("/customers/transfer-requests/{id}/approve"),
                &wang,
                "en",
                "",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "not hers to approve");
        let (status, _) = call(
            &app,
            post(
                &format!("/customers/transfer-requests/{id}/approve"),
                &li,
                "en",
                "back=/",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, list) = call(&app, get("/api/v1/customers", &wang, "en")).await;
        assert!(list.contains("Confidential Pumps GmbH"), "{list}");
        let (_, list) = call(&app, get("/api/v1/customers", &li, "en")).await;
        assert!(!list.contains("Confidential Pumps GmbH"), "{list}");
    }
}

/// An import row that runs into a colleague's customer is an error row of the preview,
/// naming the owner, while the other rows stay importable; the check of 3,000 rows is
/// a few batched statements, not some per row.
#[tokio::test]
async fn an_import_row_of_a_colleagues_customer_is_a_preview_error_checked_in_one_batch() {
    for store in testing::backends().await {
        let (app, li, wang) = setup(&store).await;
        let li_actor = store.load_actor(li.id).await.unwrap().unwrap();
        store
            .create_customer(
                testing::ctx(&li_actor),
                wharf_core::customers::CustomerInput {
                    name: "Acme Outdoor GmbH".into(),
                    email: "ann@acme-outdoor.de".into(),
                    ..Default::default()
                },
                &[li.id],
            )
            .await
            .unwrap();
        let rows = 3000;
        let mut file = String::from("Company,E-mail\n");
        for k in 0..rows {
            if k == 1500 {
                file.push_str("Acme Again Ltd,ANN@acme-outdoor.de\n");
            } else {
                file.push_str(&format!("Buyer {k} Ltd,buyer{k}@firm{k}.example\n"));
            }
        }
        let wang_actor = store.load_actor(wang.id).await.unwrap().unwrap();
        let import = store
            .create_import(&wang_actor, "leads.csv", file.as_bytes(), rows)
            .await
            .unwrap();
        store
            .save_import_settings(
                &wang_actor,
                import,
                &["name".to_string(), "email".to_string()],
                "me",
                "reserve",
                false,
            )
            .await
            .unwrap();
        let before = testing::taken_lookup_statements();
        let (status, page) = call(
            &app,
            get(&format!("/customers/import/{import}"), &wang, "en"),
        )
        .await;
        let statements = testing::taken_lookup_statements() - before;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("This e-mail belongs to a customer of Staff li"),
            "{page}"
        );
        assert!(
            page.contains("fix_1501_email"),
            "the row's e-mail to correct: {page}"
        );
        assert!(
            page.contains("2999"),
            "the other rows are new customers: {page}"
        );
        assert!(statements > 0, "the lookup ran");
        assert!(
            statements <= 3 * (2 * rows).div_ceil(300) + 4,
            "{statements} statements for {rows} rows"
        );
        // An unknown base-data value: a salesperson is not sent to a page she cannot open.
        let file = "Company,Country\nFar Away Ltd,Atlantis\n";
        let import = store
            .create_import(&wang_actor, "far.csv", file.as_bytes(), 1)
            .await
            .unwrap();
        store
            .save_import_settings(
                &wang_actor,
                import,
                &["name".to_string(), "country".to_string()],
                "me",
                "reserve",
                false,
            )
            .await
            .unwrap();
        let (_, page) = call(
            &app,
            get(&format!("/customers/import/{import}"), &wang, "en"),
        )
        .await;
        assert!(page.contains("ask your administrator"), "{page}");
        assert!(!page.contains("System → Data dictionary"), "{page}");
        assert!(
            page.contains("1 row has errors"),
            "a plural in English: {page}"
        );
    }
}
