//! The quotes' JSON API through the router, on both databases (sharing the records
//! tests' world): a quote created with numbers as JSON numbers and strings (taken from
//! their exact text), read back, refused with the editor's field names, changed in place
//! as a draft, submitted above the threshold, decided by the manager, changed again as
//! v2; a colleague reaches none of it.

use axum::http::StatusCode;
use wharf_store::testing;

use super::{call, get, post_json, setup};

fn put_json(
    path: &str,
    u: &super::User,
    body: &serde_json::Value,
) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::put(path)
        .header(axum::http::header::COOKIE, &u.cookie)
        .header("x-csrf-token", &u.csrf)
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn the_json_api_creates_changes_submits_and_decides_as_the_pages_do() {
    for store in testing::backends().await {
        let w = setup(&store).await;
        let valid = super::today(&store).await.plus_days(30).iso();
        let admin = testing::admin(&store).await;
        store
            .update_quote_settings(
                testing::ctx(&admin),
                &wharf_store::quotes::QuoteSettings {
                    discount_threshold: Some("3".parse().unwrap()),
                    letterhead_email: String::new(),
                },
            )
            .await
            .unwrap();
        // Numbers as JSON numbers or strings, taken from their exact text.
        let body = serde_json::json!({
            "customer_id": w.customer,
            "currency": "CNY",
            "incoterm": "FOB",
            "port_loading": "Ningbo",
            "payment_terms": "T/T 30% deposit",
            "valid_until": valid,
            "notes": "By the API",
            "lines": [
                {"kind": "item", "name": "Ball valve", "model": "BV-50", "quantity": 100,
                 "unit": "pcs", "unit_price": 12.5, "discount": "5"},
                {"kind": "group", "name": "Valves"},
                {"name": "球阀 DN80", "quantity": "1,000", "unit": "pcs", "unit_price": 0.335},
                // An all-blank line, as the editor's blank rows: skipped.
                {"kind": "item", "name": "", "quantity": null},
            ],
        });
        let (status, created) =
            call(&w.app, post_json("/api/v1/quotes", &w.li, body.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let created: serde_json::Value = serde_json::from_str(&created).unwrap();
        assert_eq!(created["version"], 1);
        let id = created["id"].as_i64().unwrap();
        let (status, one) = call(&w.app, get(&format!("/api/v1/quotes/{id}"), &w.li, "en")).await;
        assert_eq!(status, StatusCode::OK, "{one}");
        let v: serde_json::Value = serde_json::from_str(&one).unwrap();
        assert_eq!(v["quote"]["total"]["amount"], "1522.50", "{one}");
        assert_eq!(v["quote"]["status"], "draft");
        assert_eq!(v["lines"].as_array().unwrap().len(), 3, "{one}");
        assert_eq!(
            v["lines"][0]["amount"], "1187.50",
            "12.5 × 100 less 5 %: {one}"
        );
        assert_eq!(v["lines"][1]["kind"], "group");
        assert_eq!(v["versions"][0]["notes"], "By the API");
        let (_, page) = call(&w.app, get(&format!("/quotes/{id}"), &w.li, "en")).await;
        assert!(
            page.contains("1,187.50") && page.contains("1,522.50 CNY"),
            "{page}"
        );

        // Refused with the fields the editor's checks name, nothing written.
        let mut bad = body.clone();
        bad["lines"][0]["quantity"] = serde_json::json!(-1);
        bad["currency"] = serde_json::json!("XYZ");
        let (status, refused) = call(&w.app, post_json("/api/v1/quotes", &w.li, bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(
            refused.contains("line1_quantity") && refused.contains("\"currency\""),
            "{refused}"
        );
        let mut control = body.clone();
        control["lines"][0]["name"] = serde_json::json!("Ball\u{1b}valve");
        let (status, refused) = call(&w.app, post_json("/api/v1/quotes", &w.li, control)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(refused.contains("control_chars"), "{refused}");
        let mut nobody = body.clone();
        nobody["customer_id"] = serde_json::json!("x");
        let (status, refused) = call(&w.app, post_json("/api/v1/quotes", &w.li, nobody)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(refused.contains("customer_id"), "{refused}");
        assert_eq!(testing::count_rows(&store, "quotes").await, 1);

        // A draft changes in place.
        let mut changed = body.clone();
        changed["lines"][0]["quantity"] = serde_json::json!(200);
        let (status, saved) = call(
            &w.app,
            put_json(&format!("/api/v1/quotes/{id}"), &w.li, &changed),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert!(saved.contains("\"version\":1"), "{saved}");
        let (_, one) = call(&w.app, get(&format!("/api/v1/quotes/{id}"), &w.li, "en")).await;
        assert!(one.contains("\"amount\":\"2710.00\""), "{one}");
        // Its customer stays.
        let mut moved = changed.clone();
        moved["customer_id"] = serde_json::json!(w.customer + 1000);
        let (status, refused) = call(
            &w.app,
            put_json(&format!("/api/v1/quotes/{id}"), &w.li, &moved),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");

        // Submitted above the threshold: it waits for the manager, whom only she decides.
        let (status, submitted) = call(
            &w.app,
            post_json(
                &format!("/api/v1/quotes/{id}/submit"),
                &w.li,
                serde_json::json!({}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{submitted}");
        assert!(submitted.contains("awaiting_approval"), "{submitted}");
        let (status, _) = call(
            &w.app,
            put_json(&format!("/api/v1/quotes/{id}"), &w.li, &changed),
        )
        .await;
        assert!(
            status.is_client_error(),
            "not edited under the manager: {status}"
        );
        let approve = serde_json::json!({"approve": true});
        let (status, _) = call(
            &w.app,
            post_json(
                &format!("/api/v1/quotes/{id}/decide"),
                &w.li,
                approve.clone(),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, refused) = call(
            &w.app,
            post_json(
                &format!("/api/v1/quotes/{id}/decide"),
                &w.boss,
                serde_json::json!({"approve": false, "reason": ""}),
            ),
        )
        .await;
        assert!(
            status.is_client_error(),
            "a decline needs its reason: {status} {refused}"
        );
        let (status, decided) = call(
            &w.app,
            post_json(&format!("/api/v1/quotes/{id}/decide"), &w.boss, approve),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{decided}");
        assert!(decided.contains("\"approved\""), "{decided}");

        // An approved quote changed becomes v2; v1 stays.
        let (status, saved) = call(
            &w.app,
            put_json(&format!("/api/v1/quotes/{id}"), &w.li, &body),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert!(saved.contains("\"version\":2"), "{saved}");
        let (_, one) = call(&w.app, get(&format!("/api/v1/quotes/{id}"), &w.li, "en")).await;
        let v: serde_json::Value = serde_json::from_str(&one).unwrap();
        assert_eq!(v["versions"].as_array().unwrap().len(), 2, "{one}");
        assert_eq!(v["quote"]["status"], "draft", "{one}");
        assert_eq!(v["quote"]["total"]["amount"], "1522.50", "{one}");

        // A colleague: neither creates for Li's customer (not even learning what her
        // body lacks), nor reads, changes or submits Li's quote.
        for sent in [body.clone(), serde_json::json!({"customer_id": w.customer})] {
            let (status, answer) = call(&w.app, post_json("/api/v1/quotes", &w.wang, sent)).await;
            assert!(
                matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "{status} {answer}"
            );
        }
        let (status, _) = call(&w.app, get(&format!("/api/v1/quotes/{id}"), &w.wang, "en")).await;
        assert!(
            matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{status}"
        );
        let (status, _) = call(
            &w.app,
            put_json(&format!("/api/v1/quotes/{id}"), &w.wang, &body),
        )
        .await;
        assert!(
            matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{status}"
        );
        let (status, _) = call(
            &w.app,
            post_json(
                &format!("/api/v1/quotes/{id}/submit"),
                &w.wang,
                serde_json::json!({}),
            ),
        )
        .await;
        assert!(
            matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{status}"
        );
        assert_eq!(testing::count_rows(&store, "quotes").await, 1);
    }
}
