//! The product catalog through the router: a product made on the form with its price
//! tiers shows on its page and in the picker; bad prices are refused in the user's
//! language with nothing written; a salesperson views but cannot change; pictures must
//! be pictures; an xlsx import checks every row, writes all or none, and refuses a huge
//! file by its row limit.

use super::exchange_rates::signed_in_admin;
use super::*;

async fn app(store: &wharf_store::Store) -> axum::Router {
    router(
        AppState::new(store.clone(), POLICY, false, mail_env(store))
            .await
            .unwrap(),
    )
}

fn form_in(uri: &str, body: &str, cookie: &str, lang: &str) -> Request<Body> {
    let mut req = form(uri, body, cookie);
    req.headers_mut()
        .insert(header::ACCEPT_LANGUAGE, lang.parse().unwrap());
    req
}

/// A multipart upload of one file under `field`, the CSRF token first.
fn upload(
    uri: &str,
    cookie: &str,
    csrf: &str,
    field: &str,
    name: &str,
    bytes: &[u8],
    lang: &str,
) -> Request<Body> {
    let boundary = "wharfboundary7";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT_LANGUAGE, lang)
        .body(Body::from(body))
        .unwrap()
}

const VALVE: &str = "name_zh=%E7%90%83%E9%98%80&name_en=Ball+valve&model=BV-200&unit=pcs&hs_code=8481.80&moq=100&lead_time_days=30&active=1\
&tier0_currency=USD&tier0_min_qty=1&tier0_unit_price=12.50\
&tier1_currency=USD&tier1_min_qty=100&tier1_unit_price=11.00\
&tier2_currency=EUR&tier2_min_qty=1&tier2_unit_price=11.5";

#[tokio::test]
async fn a_product_from_the_form_shows_with_its_tiers_and_in_the_picker() {
    for store in testing::backends().await {
        let (cookie, csrf) = signed_in_admin(&store).await;
        let app = app(&store).await;
        let (status, _, _) = send(
            &app,
            form("/products", &format!("_csrf={csrf}&{VALVE}"), &cookie),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let id: i64 = testing::fetch_text(&store, "SELECT CAST(MAX(id) AS TEXT) FROM products")
            .await
            .parse()
            .unwrap();
        let (status, _, page) = send(&app, get(&format!("/products/{id}"), &cookie, "en")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("Ball valve") && page.contains("11.00 USD") && page.contains("11.50 EUR"),
            "{page}"
        );
        let (_, _, list) = send(&app, get("/products?q=valve", &cookie, "zh-CN")).await;
        assert!(
            list.contains("球阀") && list.contains("共 1 个产品"),
            "{list}"
        );
        let (status, _, json) = send(
            &app,
            get("/products/pick?q=BV&currency=USD&qty=150", &cookie, "zh-CN"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            json.contains(r#""name":"球阀""#)
                && json.contains(r#""unit_price":"11""#)
                && json.contains(r#""price_text":"11.00 USD""#),
            "{json}"
        );
        let (_, _, json) = send(&app, get("/products/pick?q=BV&currency=JPY", &cookie, "en")).await;
        assert!(
            json.contains(r#""unit_price":null"#) && json.contains(r#""currencies":["EUR","USD"]"#),
            "{json}"
        );
        // The picker's callers ask for JSON, errors included.
        let mut bad = get("/products/pick?currency=XYZ", &cookie, "en");
        bad.headers_mut()
            .insert(header::ACCEPT, "application/json".parse().unwrap());
        let (status, _, json) = send(&app, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            json.contains("unknown_currency") && json.contains("Unknown currency"),
            "{json}"
        );
        // The API refuses bad prices with the field and a sentence.
        let bad = Request::post("/api/v1/products")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &cookie)
            .header("x-csrf-token", &csrf)
            .header(header::ACCEPT_LANGUAGE, "en")
            .body(Body::from(
                r#"{"name_en":"X","tiers":[{"currency":"XYZ","min_qty":"1","unit_price":"-1"}]}"#,
            ))
            .unwrap();
        let (status, _, json) = send(&app, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            json.contains("tier0_currency") && json.contains("unknown_currency"),
            "{json}"
        );
        assert_eq!(testing::count_rows(&store, "products").await, 1);
        let (status, _, json) =
            send(&app, get(&format!("/api/v1/products/{id}"), &cookie, "en")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(json.contains(r#""unit_price":"12.5""#), "{json}");
    }
}

#[tokio::test]
async fn bad_prices_are_refused_in_the_users_language_and_nothing_is_written() {
    for store in testing::backends().await {
        let (cookie, csrf) = signed_in_admin(&store).await;
        let app = app(&store).await;
        for (lang, change, want) in [
            (
                "zh-CN",
                ("tier0_unit_price=12.50", "tier0_unit_price=-5"),
                "不能为负数",
            ),
            (
                "en",
                ("tier0_unit_price=12.50", "tier0_unit_price=-5"),
                "This cannot be negative.",
            ),
            (
                "en",
                ("tier2_currency=EUR", "tier2_currency=XYZ"),
                "Unknown currency.",
            ),
            (
                "en",
                ("tier1_min_qty=100", "tier1_min_qty=1"),
                "This currency already has a tier from this quantity.",
            ),
            (
                "zh-CN",
                ("tier1_min_qty=100", "tier1_min_qty=1"),
                "该币种已有从此数量起的阶梯价",
            ),
            (
                "en",
                ("tier0_unit_price=12.50", "tier0_unit_price=99999999999999"),
                "This is too large",
            ),
            (
                "en",
                ("hs_code=8481.80", "hs_code=84A1"),
                "An HS code has 6 to 10 digits",
            ),
        ] {
            let body = format!("_csrf={csrf}&{}", VALVE.replace(change.0, change.1));
            let (status, _, page) = send(&app, form_in("/products", &body, &cookie, lang)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{change:?}");
            assert!(page.contains(want), "{lang} {change:?}: {page}");
        }
        assert_eq!(testing::count_rows(&store, "products").await, 0);
    }
}

#[tokio::test]
async fn a_salesperson_views_the_catalog_but_cannot_change_it() {
    for store in testing::backends().await {
        let (cookie, csrf) = signed_in_admin(&store).await;
        let admin = testing::admin(&store).await;
        let (_, li, li_csrf) = signed_in_salespeople(&store, &admin, &["li"])
            .await
            .remove(0);
        let app = app(&store).await;
        send(
            &app,
            form("/products", &format!("_csrf={csrf}&{VALVE}"), &cookie),
        )
        .await;
        let id = testing::fetch_text(&store, "SELECT CAST(MAX(id) AS TEXT) FROM products").await;
        for uri in [
            "/products".to_string(),
            format!("/products/{id}"),
            "/products/pick?q=BV".into(),
            "/api/v1/products".into(),
        ] {
            let (status, _, body) = send(&app, get(&uri, &li, "en")).await;
            assert_eq!(status, StatusCode::OK, "{uri}");
            assert!(
                !body.contains("id=\"edit\"") && !body.contains("id=\"new-product\""),
                "{uri}"
            );
        }
        for uri in [
            "/products/new".to_string(),
            format!("/products/{id}/edit"),
            "/products/import".into(),
            "/products/export".into(),
        ] {
            let (status, _, _) = send(&app, get(&uri, &li, "en")).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
        }
        let changed = VALVE.replace("BV-200", "HACKED");
        for uri in [
            "/products".to_string(),
            format!("/products/{id}"),
            format!("/products/{id}/archive"),
        ] {
            let (status, _, _) =
                send(&app, form(&uri, &format!("_csrf={li_csrf}&{changed}"), &li)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
        }
        assert_eq!(
            testing::fetch_text(&store, "SELECT model FROM products").await,
            "BV-200"
        );
    }
}

#[tokio::test]
async fn a_picture_must_be_a_picture_and_is_shown_as_one() {
    for store in testing::backends().await {
        let (cookie, csrf) = signed_in_admin(&store).await;
        let app = app(&store).await;
        send(
            &app,
            form("/products", &format!("_csrf={csrf}&{VALVE}"), &cookie),
        )
        .await;
        let id = testing::fetch_text(&store, "SELECT CAST(MAX(id) AS TEXT) FROM products").await;
        let uri = format!("/products/{id}/files?kind=picture");
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        let (status, _, page) = send(
            &app,
            upload(&uri, &cookie, &csrf, "files", "x.png", svg, "en"),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("This is not a picture"), "{page}");
        assert_eq!(testing::count_rows(&store, "product_files").await, 0);
        let png =
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
        let (status, _, _) = send(
            &app,
            upload(&uri, &cookie, &csrf, "files", "valve.png", png, "en"),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let file =
            testing::fetch_text(&store, "SELECT CAST(MAX(id) AS TEXT) FROM product_files").await;
        let res = app
            .clone()
            .oneshot(get(&format!("/products/files/{file}"), &cookie, "en"))
            .await
            .unwrap();
        assert_eq!(res.headers()[header::CONTENT_TYPE], "image/png");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    }
}

fn sheet(rows: &[Vec<&str>]) -> Vec<u8> {
    let header: Vec<String> = ["型号", "英文名称", "中文名称", "单位", "价格"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect();
    wharf_sheets::to_xlsx("Products", &header, &rows).unwrap()
}

#[tokio::test]
async fn an_import_checks_every_row_and_writes_all_or_none() {
    for store in testing::backends().await {
        let (cookie, csrf) = signed_in_admin(&store).await;
        let app = app(&store).await;
        let bad = sheet(&[
            vec!["A-1", "Valve", "阀门", "pcs", "USD 1=10"],
            vec!["A-2", "Pump", "泵", "pcs", "USD 1=-3"],
            vec!["A-1", "Again", "", "pcs", ""],
        ]);
        let (status, _, page) = send(
            &app,
            upload(
                "/products/import",
                &cookie,
                &csrf,
                "file",
                "p.xlsx",
                &bad,
                "en",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.contains("This cannot be negative.")
                && page.contains("This model is on an earlier row"),
            "{page}"
        );
        assert!(page.contains("Nothing was imported"), "{page}");
        // Nothing waits to be run after a refused check.
        let (status, _, _) = send(
            &app,
            form("/products/import/run", &format!("_csrf={csrf}"), &cookie),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(testing::count_rows(&store, "products").await, 0);
        let good = sheet(&[
            vec!["A-1", "Valve", "阀门", "pcs", "USD 1=10, 100=9; EUR 1=9.5"],
            vec!["A-2", "Pump", "泵", "set", "CNY 1=680"],
        ]);
        let (status, _, page) = send(
            &app,
            upload(
                "/products/import",
                &cookie,
                &csrf,
                "file",
                "p.xlsx",
                &good,
                "zh-CN",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("导入 2 个产品"), "{page}");
        let (status, _, _) = send(
            &app,
            form("/products/import/run", &format!("_csrf={csrf}"), &cookie),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(testing::count_rows(&store, "products").await, 2);
        assert_eq!(testing::count_rows(&store, "product_prices").await, 4);
        // The export imports again: its header is the import's.
        let res = app
            .clone()
            .oneshot(get("/products/export", &cookie, "en"))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 22)
            .await
            .unwrap();
        let table = wharf_sheets::read_table("products.xlsx", &bytes).unwrap();
        assert_eq!(table.len(), 3);
        assert!(
            table
                .iter()
                .any(|r| r.contains(&"EUR 1=9.5; USD 1=10, 100=9".to_string())),
            "{table:?}"
        );
    }
}

#[tokio::test]
async fn a_huge_file_is_refused_by_its_row_limit() {
    for store in testing::backends().await {
        let (cookie, csrf) = signed_in_admin(&store).await;
        let app = app(&store).await;
        let rows: Vec<Vec<String>> = (0..10_001)
            .map(|i| vec![format!("M-{i}"), "x".into()])
            .collect();
        let header = vec!["model".to_string(), "name_en".to_string()];
        let huge = wharf_sheets::to_xlsx("P", &header, &rows).unwrap();
        let (status, _, page) = send(
            &app,
            upload(
                "/products/import",
                &cookie,
                &csrf,
                "file",
                "huge.xlsx",
                &huge,
                "en",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("read-error"), "{page}");
        assert_eq!(testing::count_rows(&store, "products").await, 0);
    }
}
