//! The customer registry's promise, end to end: every standard field has its label in
//! both catalogs, is saved through the API and read back, shows in the form and on the
//! customer's page, is offered as a list column, a query-builder field and an import
//! target, and heads its export column — each where its entry says so. A new field is
//! one registry entry (plus its column and labels), and this test covers it unchanged.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;
use wharf_core::customers::CUSTOMER_FIELDS;
use wharf_core::dict::{DictItemInput, DictKind};
use wharf_core::fields::{FieldDef, Kind};
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::testing;
use wharf_web::i18n::{Locale, has_key};
use wharf_web::{AppState, router};

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn get(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::COOKIE, cookie)
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::empty())
        .unwrap()
}

/// A valid value of the field's kind, as JSON, and how the page shows it.
fn sample(f: &FieldDef, item: i64) -> (Value, Option<String>) {
    match f.kind {
        Kind::Choice { codes, .. } => (json!(codes[codes.len() - 1]), None),
        // The default pipeline's last stage (the stages are data).
        Kind::Stage => (json!("won"), None),
        Kind::DictRef(_) => (json!(item), Some(format!("Item of {}", f.key))),
        Kind::Rating { max } => (json!(max), Some("★".repeat(max as usize))),
        Kind::Number { max, .. } => (json!(max), Some(max.to_string())),
        // 2026-12-01 00:00 in the company's time zone (UTC+8).
        Kind::Date => (json!(1_796_054_400), Some("2026-12-01".into())),
        Kind::Flag => (json!(true), None),
        Kind::Url => (json!("https://www.example.com"), None),
        Kind::EmailList => (json!("sales@example.com"), None),
        Kind::PhoneList => (json!("+86 138 0013 8000"), None),
        Kind::Text | Kind::LongText | Kind::TextList => {
            let text = format!("Sample {}", f.key);
            (json!(text), Some(text))
        }
    }
}

#[test]
fn every_field_has_its_labels_in_both_catalogs() {
    for f in CUSTOMER_FIELDS.fields {
        let import_label = f.import.and_then(|i| i.label);
        for key in std::iter::once(f.label).chain(import_label) {
            for locale in [Locale::En, Locale::ZhCn] {
                assert!(has_key(locale, key), "{key} in {}", locale.code());
            }
        }
    }
}

#[tokio::test]
async fn every_field_goes_through_api_form_page_list_import_and_export() {
    for store in testing::backends().await {
        let admin = testing::admin(&store).await;
        let env = wharf_mailbox::testing::scratch_env(store.clone());
        let app = router(
            AppState::new(store.clone(), POLICY, false, env)
                .await
                .unwrap(),
        );
        let s = store
            .create_session(admin.user_id, "127.0.0.1", "test", POLICY)
            .await
            .unwrap();
        let cookie = format!("wharf_session={}", s.token);
        // A value for every field, base data included.
        let mut body = serde_json::Map::new();
        let mut shown = Vec::new();
        for f in CUSTOMER_FIELDS.fields {
            let item = match f.kind {
                Kind::DictRef(code) => {
                    let kind = DictKind::from_code(code).unwrap();
                    let input = DictItemInput {
                        code: "ZZ".into(),
                        name_zh: format!("Item of {}", f.key),
                        name_en: format!("Item of {}", f.key),
                        sort_order: 0,
                    };
                    store
                        .create_dict_item(testing::ctx(&admin), kind, input)
                        .await
                        .unwrap()
                }
                _ => 0,
            };
            let (value, text) = sample(f, item);
            body.insert(f.key.to_string(), value);
            shown.push((f, text));
        }
        let req = Request::post("/api/v1/customers")
            .header(header::COOKIE, &cookie)
            .header("x-csrf-token", &s.csrf_token)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(Value::Object(body.clone()).to_string()))
            .unwrap();
        let (status, created) = call(&app, req).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = serde_json::from_str::<Value>(&created).unwrap()["id"]
            .as_i64()
            .unwrap();
        // The API gives every value back as it was sent.
        let (_, read) = call(&app, get(&format!("/api/v1/customers/{id}"), &cookie)).await;
        let read: Value = serde_json::from_str(&read).unwrap();
        for (key, sent) in &body {
            assert_eq!(&read["customer"][key], sent, "{key} in {read}");
        }
        // An unknown field is refused, as before the registry.
        let req = Request::post("/api/v1/customers")
            .header(header::COOKIE, &cookie)
            .header("x-csrf-token", &s.csrf_token)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"name": "X", "no_such_field": "1"}"#))
            .unwrap();
        assert_eq!(call(&app, req).await.0, StatusCode::BAD_REQUEST);
        // The form has an input for each form field; the page shows each page field.
        let (_, edit) = call(&app, get(&format!("/customers/{id}/edit"), &cookie)).await;
        let (_, page) = call(&app, get(&format!("/customers/{id}"), &cookie)).await;
        for (f, text) in &shown {
            if f.in_form {
                assert!(
                    edit.contains(&format!("name=\"{}\"", f.key)),
                    "{} in the form",
                    f.key
                );
            }
            if let (true, Some(text)) = (f.on_page, text) {
                assert!(
                    page.contains(text.as_str()),
                    "{} on the page: {text}",
                    f.key
                );
            }
        }
        // The list offers each column and each query-builder field.
        let (_, list) = call(&app, get("/customers", &cookie)).await;
        for f in CUSTOMER_FIELDS.fields {
            if let Some(code) = f.column_code().filter(|_| f.column.is_some()) {
                let always = f
                    .column
                    .is_some_and(|c| c.visibility == wharf_core::fields::Visibility::Always);
                assert!(
                    always || list.contains(&format!("value=\"{code}\"")),
                    "column {code}"
                );
            }
            if f.query.is_some() {
                assert!(
                    list.contains(&format!("value=\"{}\"", f.key)),
                    "query {}",
                    f.key
                );
            }
        }
        // The export has a column headed by each exported field's label.
        let (status, csv) = call(&app, get("/customers/export?format=csv", &cookie)).await;
        assert_eq!(status, StatusCode::OK);
        let header = csv.lines().next().unwrap_or_default();
        for f in CUSTOMER_FIELDS.exported() {
            let label = wharf_web::i18n::t(Locale::En, f.label);
            assert!(header.contains(&label), "{label} in {header}");
        }
        // Each imported field is a target of the import's mapping.
        let targets: Vec<&str> = wharf_core::customers::import::targets().collect();
        for f in CUSTOMER_FIELDS.imported() {
            assert!(
                targets.contains(&f.import_target_name().unwrap()),
                "{}",
                f.key
            );
        }
    }
}
