//! Orders through the router, on both databases (sharing the records tests' world): an
//! order typed from the customer page shows its number, lines, total and payments; bad
//! input is refused in the user's language with what was typed kept and nothing written;
//! an approved quote becomes an order once (its lines and currency taken, the quote page
//! links it, a second order refused); statuses move forward only and delivery plans the
//! after-sales revisit; the order is on the customer's trail and in the API; a colleague
//! reaches none of it.

use axum::http::StatusCode;
use wharf_store::testing;

use super::{call, get, post_form, post_json, setup};

fn typed_order<'a>(customer: &'a str, li: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("customer", customer),
        ("currency", "CNY"),
        ("seller_id", li),
        ("follower_id", li),
        ("port_loading", "Ningbo"),
        ("deposit", "375"),
        ("balance", "875"),
        ("line_name", "Ball valve DN50"),
        ("line_model", "BV-50"),
        ("line_quantity", "100"),
        ("line_unit", "pcs"),
        ("line_price", "12.50"),
        ("line_discount", ""),
        // A blank row the page offered: skipped.
        ("line_name", ""),
        ("line_model", ""),
        ("line_quantity", ""),
        ("line_unit", ""),
        ("line_price", ""),
        ("line_discount", ""),
    ]
}

#[tokio::test]
async fn an_order_typed_or_made_from_a_quote_followed_to_delivery() {
    for store in testing::backends().await {
        let w = setup(&store).await;
        let customer = w.customer.to_string();
        let li_id = w.li.id.to_string();

        let (status, form) = call(
            &w.app,
            get(&format!("/orders/new?customer={customer}"), &w.li, "en"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{form}");
        assert!(form.contains("id=\"order-form\"") && form.contains("Hamburg Pumps GmbH"));

        // Bad input: a quantity that is not a number, in Chinese; nothing is written.
        let mut bad = typed_order(&customer, &li_id);
        bad[9] = ("line_quantity", "a hundred");
        let (status, page) = call(&w.app, post_form("/orders", &w.li, "zh-CN", &bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        assert!(page.contains("Ball valve DN50"), "what was typed is kept");
        assert!(page.contains("第 1 行") || page.contains("行"), "{page}");
        assert!(!page.contains("invalid_"), "no error codes: {page}");
        assert_eq!(testing::count_rows(&store, "orders").await, 0);

        // A deposit of zero names the deposit; a colleague as the seller is refused (the
        // sale would count as hers), as the follower she may be (same department).
        let mut zero = typed_order(&customer, &li_id);
        zero[5] = ("deposit", "0");
        let (status, page) = call(&w.app, post_form("/orders", &w.li, "en", &zero)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.contains("Deposit: ") && !page.contains("order.field"),
            "{page}"
        );
        let wang_id = w.wang.id.to_string();
        let mut theirs = typed_order(&customer, &li_id);
        theirs[2] = ("seller_id", &wang_id);
        let (status, page) = call(&w.app, post_form("/orders", &w.li, "en", &theirs)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        assert!(page.contains("Seller: "), "{page}");
        assert_eq!(testing::count_rows(&store, "orders").await, 0);
        // An absurd page is no error.
        let (status, _) = call(&w.app, get("/orders?page=9223372036854775807", &w.li, "en")).await;
        assert_eq!(status, StatusCode::OK);

        let (status, _) = call(
            &w.app,
            post_form("/orders", &w.li, "en", &typed_order(&customer, &li_id)),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let id = testing::fetch_text(&store, "SELECT CAST(MAX(id) AS TEXT) FROM orders").await;
        let (status, page) = call(&w.app, get(&format!("/orders/{id}"), &w.li, "en")).await;
        assert_eq!(status, StatusCode::OK);
        for expected in [
            "Ball valve DN50",
            "BV-50",
            "1,250.00 CNY",
            "375.00 CNY",
            "875.00 CNY",
            "Ningbo",
            "Confirmed",
        ] {
            assert!(
                page.contains(expected),
                "{expected} on the order page: {page}"
            );
        }
        let seq = testing::fetch_text(
            &store,
            &format!(
                "SELECT CAST(number_year * 100000 + number_seq AS TEXT) FROM orders WHERE id = {id}"
            ),
        )
        .await
        .parse::<i64>()
        .unwrap();
        let number = format!("O{}-{:04}", seq / 100000, seq % 100000);
        assert!(page.contains("id=\"order-number\">O"), "{page}");
        assert!(page.contains(&number));

        // A colleague reaches neither the page, the list nor the API.
        let (status, _) = call(&w.app, get(&format!("/orders/{id}"), &w.wang, "en")).await;
        assert!(
            matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{status}"
        );
        let (_, list) = call(&w.app, get("/orders?view=team&progress=all", &w.wang, "en")).await;
        assert!(!list.contains(&number), "{list}");
        let (_, api) = call(&w.app, get("/api/v1/orders?progress=all", &w.wang, "en")).await;
        assert!(!api.contains(&number), "{api}");
        let (status, _) = call(
            &w.app,
            post_form(
                &format!("/orders/{id}/status"),
                &w.wang,
                "en",
                &[("to", "in_production")],
            ),
        )
        .await;
        assert!(
            matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{status}"
        );
        // The manager's Team view sees it; Li's own list too.
        let (_, list) = call(&w.app, get("/orders?view=team", &w.boss, "en")).await;
        assert!(list.contains(&number), "{list}");
        let (_, api) = call(&w.app, get("/api/v1/orders", &w.li, "en")).await;
        assert!(api.contains(&number) && api.contains("\"1250"), "{api}");

        // A change: shipping and the deposit received; the currency stays.
        let (status, form) = call(&w.app, get(&format!("/orders/{id}/edit"), &w.li, "en")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("Ball valve DN50") && form.contains("id=\"f-bl_number\""));
        let received = super::today(&store).await.iso();
        let mut changed = typed_order(&customer, &li_id);
        changed.extend([
            ("carrier", "COSCO"),
            ("bl_number", "COSU1234567"),
            ("containers", "CSNU7654321"),
            ("deposit_received", received.as_str()),
        ]);
        let (status, _) = call(
            &w.app,
            post_form(&format!("/orders/{id}"), &w.wang, "en", &changed),
        )
        .await;
        assert!(
            matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{status}"
        );
        let (status, body) = call(
            &w.app,
            post_form(&format!("/orders/{id}"), &w.li, "en", &changed),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let (_, page) = call(&w.app, get(&format!("/orders/{id}"), &w.li, "en")).await;
        assert!(
            page.contains("COSU1234567")
                && page.contains("CSNU7654321")
                && page.contains(&received),
            "{page}"
        );
        assert!(page.contains("1,250.00 CNY"));

        // Forward only: on to production, back to confirmed refused, then delivered.
        let (status, _) = call(
            &w.app,
            post_form(
                &format!("/orders/{id}/status"),
                &w.li,
                "en",
                &[("to", "in_production"), ("note", "Factory started")],
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, refused) = call(
            &w.app,
            post_form(
                &format!("/orders/{id}/status"),
                &w.li,
                "zh-CN",
                &[("to", "confirmed")],
            ),
        )
        .await;
        assert!(status.is_client_error(), "{status}: {refused}");
        assert!(!refused.contains("order_"), "no error codes: {refused}");
        let today = super::today(&store).await.iso();
        for to in ["shipped", "delivered"] {
            let (status, body) = call(
                &w.app,
                post_form(
                    &format!("/orders/{id}/status"),
                    &w.li,
                    "en",
                    &[("to", to), ("delivered_on", &today)],
                ),
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{to}: {body}");
        }
        let (_, page) = call(&w.app, get(&format!("/orders/{id}"), &w.li, "en")).await;
        assert!(page.contains("id=\"order-revisit\""), "{page}");
        assert!(
            page.contains("Factory started"),
            "the move's note is logged"
        );
        assert_eq!(testing::count_rows(&store, "order_revisits").await, 1);

        // The order is on the customer's trail, and the customer is won.
        let (_, customer_page) = call(
            &w.app,
            get(&format!("/customers/{customer}?tl=order"), &w.li, "en"),
        )
        .await;
        assert!(customer_page.contains(&number), "{customer_page}");
        assert!(customer_page.contains("id=\"new-order\""));

        // An approved quote becomes an order once.
        let valid = super::today(&store).await.plus_days(30).iso();
        let quote_form: Vec<(&str, &str)> = vec![
            ("currency", "CNY"),
            ("incoterm", "FOB"),
            ("valid_until", &valid),
            ("line_kind", "item"),
            ("line_name", "Gate valve"),
            ("line_model", "GV-80"),
            ("line_quantity", "20"),
            ("line_unit", "pcs"),
            ("line_unit_price", "40"),
            ("line_discount", ""),
        ];
        let (status, body) = call(
            &w.app,
            post_form(
                &format!("/customers/{customer}/quotes"),
                &w.li,
                "en",
                &quote_form,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let quote = testing::fetch_text(&store, "SELECT CAST(MAX(id) AS TEXT) FROM quotes").await;
        let (_, page) = call(&w.app, get(&format!("/quotes/{quote}"), &w.li, "en")).await;
        assert!(!page.contains("id=\"make-order\""), "not from a draft");
        let (status, _) = call(
            &w.app,
            post_form(&format!("/quotes/{quote}/submit"), &w.li, "en", &[]),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let state = testing::fetch_text(
            &store,
            &format!("SELECT status FROM quote_versions WHERE quote_id = {quote}"),
        )
        .await;
        if state == "awaiting_approval" {
            let (status, _) = call(
                &w.app,
                post_form(
                    &format!("/quotes/{quote}/decide"),
                    &w.boss,
                    "en",
                    &[("approve", "1")],
                ),
            )
            .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
        }
        let (_, page) = call(&w.app, get(&format!("/quotes/{quote}"), &w.li, "en")).await;
        assert!(page.contains("id=\"make-order\""), "{page}");
        let (status, form) = call(
            &w.app,
            get(&format!("/orders/new?quote={quote}"), &w.li, "en"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            form.contains("Gate valve") && form.contains("GV-80"),
            "{form}"
        );
        let from_quote: Vec<(&str, &str)> = vec![
            ("customer", &customer),
            ("quote", &quote),
            ("currency", "CNY"),
            ("seller_id", &li_id),
            ("follower_id", &li_id),
        ];
        let (status, body) = call(&w.app, post_form("/orders", &w.li, "en", &from_quote)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let second = testing::fetch_text(&store, "SELECT CAST(MAX(id) AS TEXT) FROM orders").await;
        let (_, page) = call(&w.app, get(&format!("/orders/{second}"), &w.li, "en")).await;
        assert!(
            page.contains("Gate valve") && page.contains("800.00 CNY"),
            "{page}"
        );
        let (_, page) = call(&w.app, get(&format!("/quotes/{quote}"), &w.li, "en")).await;
        assert!(page.contains("id=\"quote-order\"") && !page.contains("id=\"make-order\""));
        // Its confirmation as PDF in both languages, read back with pdftotext.
        let (status, en) =
            super::quotes::pdf(&w.app, &format!("/orders/{second}/pdf?lang=en"), &w.li).await;
        assert_eq!(status, StatusCode::OK, "{en}");
        for expected in [
            "ORDER CONFIRMATION",
            "Hamburg Pumps GmbH",
            "Gate valve",
            "800.00",
            "EIGHT HUNDRED",
        ] {
            assert!(en.contains(expected), "{expected} in the English PDF: {en}");
        }
        let (status, zh) =
            super::quotes::pdf(&w.app, &format!("/orders/{second}/pdf?lang=zh-CN"), &w.li).await;
        assert_eq!(status, StatusCode::OK, "{zh}");
        for expected in ["订单确认书", "Gate valve", "800.00", "捌佰"] {
            assert!(zh.contains(expected), "{expected} in the Chinese PDF: {zh}");
        }
        let (status, _) = call(
            &w.app,
            get(&format!("/orders/{second}/pdf?lang=en"), &w.wang, "en"),
        )
        .await;
        assert!(
            matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
            "{status}"
        );

        let (status, again) = call(&w.app, post_form("/orders", &w.li, "en", &from_quote)).await;
        assert!(status.is_client_error(), "{status}");
        assert!(!again.contains("order_quote"), "no error codes: {again}");
        assert_eq!(testing::count_rows(&store, "orders").await, 2);

        // The JSON API checks as the form does: exact amounts from JSON numbers or
        // strings, a refusal with its fields, then a change keeping the currency.
        let body = serde_json::json!({
            "customer_id": w.customer,
            "currency": "CNY",
            "seller_id": w.li.id,
            "follower_id": w.li.id,
            "deposit": {"amount": 20},
            "lines": [{"name": "Strainer", "quantity": 3, "unit": "pcs", "unit_price": "19.90"}],
        });
        let (status, created) =
            call(&w.app, post_json("/api/v1/orders", &w.li, body.clone())).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let api_id: serde_json::Value = serde_json::from_str(&created).unwrap();
        let api_id = api_id["id"].as_i64().unwrap();
        let (_, one) = call(
            &w.app,
            get(&format!("/api/v1/orders/{api_id}"), &w.li, "en"),
        )
        .await;
        assert!(one.contains("\"59.7") && one.contains("Strainer"), "{one}");
        let mut bad = body.clone();
        bad["lines"][0]["quantity"] = serde_json::json!(-1);
        let (status, refused) = call(&w.app, post_json("/api/v1/orders", &w.li, bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(refused.contains("line1_quantity"), "{refused}");
        let mut changed = body.clone();
        changed["lines"][0]["quantity"] = serde_json::json!(4);
        changed["bl_number"] = serde_json::json!("MSKU0000001");
        let put = axum::http::Request::put(format!("/api/v1/orders/{api_id}"))
            .header(axum::http::header::COOKIE, &w.li.cookie)
            .header("x-csrf-token", &w.li.csrf)
            .header(axum::http::header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(changed.to_string()))
            .unwrap();
        let (status, body) = call(&w.app, put).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, one) = call(
            &w.app,
            get(&format!("/api/v1/orders/{api_id}"), &w.li, "en"),
        )
        .await;
        assert!(
            one.contains("\"79.6") && one.contains("MSKU0000001"),
            "{one}"
        );
        let (status, _) = call(
            &w.app,
            post_json("/api/v1/orders", &w.wang, body_for(&w, w.wang.id)),
        )
        .await;
        assert!(
            status.is_client_error(),
            "a colleague orders on a customer she cannot see: {status}"
        );
        assert_eq!(testing::count_rows(&store, "orders").await, 3);

        // A customer in the shared pool is seen by all but ordered by its claimer only:
        // an order would make it won for nobody.
        let wang = store.load_actor(w.wang.id).await.unwrap().unwrap();
        let pooled = store
            .create_customer(
                testing::ctx(&wang),
                wharf_core::customers::CustomerInput {
                    name: "Pool Fittings Ltd".into(),
                    ..Default::default()
                },
                &[wang.user_id],
            )
            .await
            .unwrap();
        store
            .release_customer(testing::ctx(&wang), pooled)
            .await
            .unwrap();
        let pooled = pooled.to_string();
        let (status, _) = call(&w.app, get(&format!("/customers/{pooled}"), &w.li, "en")).await;
        assert_eq!(status, StatusCode::OK, "the pool is visible");
        let (status, _) = call(
            &w.app,
            post_form("/orders", &w.li, "en", &typed_order(&pooled, &li_id)),
        )
        .await;
        assert!(status.is_client_error(), "{status}");
        assert_eq!(testing::count_rows(&store, "orders").await, 3);
    }
}

fn body_for(w: &super::World, person: i64) -> serde_json::Value {
    serde_json::json!({
        "customer_id": w.customer,
        "currency": "CNY",
        "seller_id": person,
        "follower_id": person,
        "lines": [{"name": "Strainer", "quantity": 1, "unit_price": 1}],
    })
}
