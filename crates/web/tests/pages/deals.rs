//! Opportunities through the router: the owner creates one with lines in the form, moves
//! it and reads the board's totals per currency and the named missing rates; a colleague
//! reaches it in no page, API call, export or board; bad input is refused in the
//! caller's language with nothing written.

use super::*;

struct World {
    app: axum::Router,
    store: wharf_store::Store,
    li: (i64, String, String),
    wang: (i64, String, String),
    customer: i64,
}

async fn world(store: wharf_store::Store) -> World {
    let admin = testing::admin(&store).await;
    let mut people = signed_in_salespeople(&store, &admin, &["li", "wang"]).await;
    let wang = people.pop().unwrap();
    let li = people.pop().unwrap();
    let li_actor = store.load_actor(li.0).await.unwrap().unwrap();
    let customer = store
        .create_customer(
            testing::ctx(&li_actor),
            wharf_core::customers::CustomerInput {
                name: "Hamburg Pumps GmbH".into(),
                stage: "prospect".into(),
                ..Default::default()
            },
            &[li.0],
        )
        .await
        .unwrap();
    let app = router(
        AppState::new(store.clone(), POLICY, false, mail_env(&store))
            .await
            .unwrap(),
    );
    World {
        app,
        store,
        li,
        wang,
        customer,
    }
}

fn api(method: Method, uri: &str, who: &(i64, String, String), json: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, &who.1)
        .header("x-csrf-token", &who.2)
        .header(header::ACCEPT_LANGUAGE, "en")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json.to_string()))
        .unwrap()
}

fn created_id(body: &str) -> i64 {
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    v["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_owner_creates_moves_and_reads_the_board_per_currency() {
    for store in testing::backends().await {
        let w = world(store).await;
        let c = w.customer;
        let body = format!(
            "_csrf={}&title=500+pumps&status=selling&currency=USD&amount=&line_name=Pump+P-20&line_quantity=500&line_unit=pcs&line_unit_price=12.345\
             &line_name=&line_quantity=&line_unit=&line_unit_price=",
            w.li.2
        );
        let (status, headers, _) = send(
            &w.app,
            form(&format!("/customers/{c}/opportunities"), &body, &w.li.1),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{headers:?}");
        let (status, body) = {
            let (s, _, b) = send(
                &w.app,
                api(
                    Method::POST,
                    "/api/v1/opportunities",
                    &w.li,
                    &format!(r#"{{"customer_id": {c}, "title": "Valves", "amount": "200", "currency": "EUR"}}"#),
                ),
            )
            .await;
            (s, b)
        };
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let eur = created_id(&body);
        let (_, _, list) = send(&w.app, get("/opportunities", &w.li.1, "en")).await;
        assert!(
            list.contains("500 pumps") && list.contains("6,172.50 USD"),
            "{list}"
        );
        let (_, _, board) = send(&w.app, get("/opportunities/board", &w.li.1, "en")).await;
        assert!(
            board.contains("6,172.50 USD") && board.contains("200.00 EUR"),
            "totals per currency"
        );
        assert!(
            board.contains("No exchange rate for EUR"),
            "a missing rate is named"
        );
        assert!(board.contains("No exchange rate for USD"));
        // With a dated rate for USD the value converts it; EUR is still named.
        let admin = testing::admin(&w.store).await;
        let zone = w.store.company_time_zone(&admin).await.unwrap();
        let today = zone.today(wharf_store::now());
        w.store
            .create_rate(
                testing::ctx(&admin),
                &wharf_core::money::RateInput {
                    currency: "USD".into(),
                    day: today.plus_days(-3).iso(),
                    per_unit: "7.1".into(),
                    note: String::new(),
                },
                today,
            )
            .await
            .unwrap();
        let (_, _, board) = send(&w.app, get("/opportunities/board", &w.li.1, "en")).await;
        // 6,172.50 USD × 7.1 = 43,824.75 CNY; weighted at 10 %: 4,382.48 (half away).
        assert!(
            board.contains("43,824.75 CNY") && board.contains("4,382.48 CNY"),
            "{board}"
        );
        assert!(
            board.contains("No exchange rate for EUR")
                && !board.contains("No exchange rate for USD")
        );
        // The customer became an opportunity customer (seed 003).
        let li = w.store.load_actor(w.li.0).await.unwrap().unwrap();
        assert_eq!(
            w.store.customer_stage(&li, c).await.unwrap().stage.key,
            "opportunity"
        );
        // Move the EUR one to the next stage, as the board's drag does (JSON).
        let next = w.store.opportunity_pipelines(&li).await.unwrap()[0].stages[1].id;
        let mut req = form(
            &format!("/opportunities/{eur}/stage"),
            &format!("_csrf={}&stage_id={next}", w.li.2),
            &w.li.1,
        );
        req.headers_mut()
            .insert(header::ACCEPT, "application/json".parse().unwrap());
        let (status, _, _) = send(&w.app, req).await;
        assert_eq!(status, StatusCode::OK);
        let o = w.store.opportunity(&li, eur).await.unwrap();
        assert_eq!((o.stage_id, o.probability), (next, 30));
        let (_, _, page) = send(
            &w.app,
            get(&format!("/opportunities/{eur}"), &w.li.1, "zh-CN"),
        )
        .await;
        assert!(
            page.contains("需求确认") && page.contains("从 初步接洽 移到 需求确认"),
            "{page}"
        );
        let (_, _, bench) = send(&w.app, get("/sales", &w.li.1, "en")).await;
        assert!(
            bench.contains("id=\"deals-rotting\"") && bench.contains("revisit=today"),
            "the workbench links its opportunity counts"
        );
        let (_, _, trail) = send(
            &w.app,
            get(&format!("/customers/{c}?tl=opportunity"), &w.li.1, "en"),
        )
        .await;
        assert!(trail.contains("trail-opportunity") && trail.contains("Valves"));
    }
}

#[tokio::test]
async fn a_colleague_reaches_it_nowhere() {
    for store in testing::backends().await {
        let w = world(store).await;
        let (_, _, body) = send(
            &w.app,
            api(
                Method::POST,
                "/api/v1/opportunities",
                &w.li,
                &format!(r#"{{"customer_id": {}, "title": "Secret deal", "amount": 5, "currency": "USD"}}"#, w.customer),
            ),
        )
        .await;
        let id = created_id(&body);
        for uri in [
            format!("/opportunities/{id}"),
            format!("/opportunities/{id}/edit"),
            format!("/api/v1/opportunities/{id}"),
        ] {
            let (status, _, _) = send(&w.app, get(&uri, &w.wang.1, "en")).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        }
        for uri in [
            "/opportunities?view=team",
            "/opportunities/board?view=team",
            "/api/v1/opportunities?view=team",
            "/api/v1/opportunities/board?view=team",
            "/opportunities/export?view=team&format=csv",
        ] {
            let (status, _, body) = send(&w.app, get(uri, &w.wang.1, "en")).await;
            assert!(!body.contains("Secret deal"), "{uri} {status}");
        }
        let stage = format!("_csrf={}&stage_id=1", w.wang.2);
        let (status, _, _) = send(
            &w.app,
            form(&format!("/opportunities/{id}/stage"), &stage, &w.wang.1),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, _) = send(
            &w.app,
            api(
                Method::PUT,
                &format!("/api/v1/opportunities/{id}"),
                &w.wang,
                r#"{"title": "Mine now", "amount": "1", "currency": "USD"}"#,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, _) = send(
            &w.app,
            api(
                Method::POST,
                "/api/v1/opportunities",
                &w.wang,
                &format!(
                    r#"{{"customer_id": {}, "title": "x", "amount": "1", "currency": "USD"}}"#,
                    w.customer
                ),
            ),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "no opportunity on a colleague's customer"
        );
    }
}

#[tokio::test]
async fn bad_input_is_refused_in_the_callers_language() {
    for store in testing::backends().await {
        let w = world(store).await;
        let c = w.customer;
        let body = format!(
            "_csrf={}&title=Bad&status=selling&currency=USD&line_name=Pump&line_quantity=-5&line_unit=pcs&line_unit_price=1",
            w.li.2
        );
        let mut req = form(&format!("/customers/{c}/opportunities"), &body, &w.li.1);
        req.headers_mut()
            .insert(header::ACCEPT_LANGUAGE, "zh-CN".parse().unwrap());
        let (status, _, page) = send(&w.app, req).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("id=\"err-lines\"") && page.contains("数量: 不能为负数"),
            "{page}"
        );
        assert!(page.contains("value=\"-5\""), "what was typed is kept");
        let (status, _, body) = send(
            &w.app,
            api(
                Method::POST,
                "/api/v1/opportunities",
                &w.li,
                &format!(
                    r#"{{"customer_id": {c}, "title": "X", "amount": "1", "currency": "XYZ"}}"#
                ),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("Unknown currency"), "{body}");
        assert_eq!(testing::count_rows(&w.store, "opportunities").await, 0);
        let (status, _, _) = send(&w.app, get("/opportunities?status=won", &w.li.1, "en")).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "an unknown filter is a message, not an error page"
        );
    }
}
