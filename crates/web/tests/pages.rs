//! HTTP tests through the router: the first start, sign-in, CSRF, languages, the 403 and
//! 404 pages, and JSON errors with stable codes.

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

#[tokio::test]
async fn first_start_login_csrf_and_languages() {
    for store in testing::backends().await {
        let app = router(
            AppState::new(store.clone(), POLICY, false, mail_env(&store))
                .await
                .unwrap(),
        );
        // Everything leads to the first-start page, and nothing can sign in yet.
        let (s, _, _) = send(&app, get("/", "", "en")).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, _, body) = send(&app, get("/setup", "", "en")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains("Welcome to Wharf"));
        let (_, _, body) = send(
            &app,
            form("/setup", "password=abc&confirm_password=abc", ""),
        )
        .await;
        assert!(body.contains("At least 8 characters."), "{body}");
        let (_, _, body) = send(
            &app,
            form(
                "/setup",
                "password=abcdefgh1&confirm_password=abcdefgh2",
                "",
            ),
        )
        .await;
        assert!(body.contains("The two passwords differ."));
        let (s, cookies, _) = send(
            &app,
            form(
                "/setup",
                "password=admin-pass-1&confirm_password=admin-pass-1",
                "",
            ),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(cookies[0].starts_with("wharf_session=") && cookies[0].contains("HttpOnly"));

        // Wrong password, then right.
        let (s, _, body) = send(
            &app,
            form("/login", "username=admin&password=nope-nope", ""),
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert!(
            body.contains("用户名或密码错误") || body.contains("Wrong username or password"),
            "{body}"
        );
        let (s, cookies, _) = send(
            &app,
            form("/login", "username=admin&password=admin-pass-1", ""),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let cookie = cookies[0].split(';').next().unwrap().to_string();

        // Both languages, from the browser's preference.
        let (_, _, zh) = send(&app, get("/system/departments", &cookie, "zh-CN")).await;
        assert!(zh.contains("部门"), "{zh}");
        let (_, _, en) = send(&app, get("/system/departments", &cookie, "en-US")).await;
        assert!(en.contains("Departments"));

        // A state change without the CSRF token is refused; with it, it goes through.
        let (s, _, _) = send(&app, form("/system/departments", "name=Export", &cookie)).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let token = csrf_of(&en);
        let (s, _, _) = send(
            &app,
            form(
                "/system/departments",
                &format!("_csrf={token}&name=Export"),
                &cookie,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // A foreign Origin is refused even with the token.
        let mut req = form(
            "/system/departments",
            &format!("_csrf={token}&name=Evil"),
            &cookie,
        );
        req.headers_mut()
            .insert(header::ORIGIN, "http://evil.example".parse().unwrap());
        req.headers_mut()
            .insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(send(&app, req).await.0, StatusCode::FORBIDDEN);

        // Friendly 404 page and JSON errors with stable codes.
        let (s, _, body) = send(&app, get("/no/such/page", &cookie, "en")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(body.contains("This page does not exist"));
        let (s, _, body) = send(
            &app,
            Request::get("/api/v1/me").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert!(body.contains("\"code\":\"unauthorized\""));
        let (s, _, body) = send(
            &app,
            Request::get("/api/v1/me")
                .header(header::AUTHORIZATION, "Bearer wharf_bad")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
        let (s, _, body) = send(&app, get("/api/openapi.json", "", "en")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains("/api/v1/departments"));

        // An API token works without CSRF, and malformed JSON is a 400 with a code.
        let admin = store
            .load_actor(store.find_login("admin").await.unwrap().unwrap().id)
            .await
            .unwrap()
            .unwrap();
        let (_, secret) = store
            .create_token(
                wharf_store::Ctx {
                    actor: &admin,
                    ip: "",
                },
                "test",
            )
            .await
            .unwrap();
        let api = |body: &str| {
            Request::post("/api/v1/departments")
                .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap()
        };
        let (s, _, body) = send(&app, api("{\"name\": \"Team B\"}")).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        let (s, _, body) = send(&app, api("{not json")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(body.contains("bad_request"));
        let (s, _, body) = send(&app, api("{\"name\": \"\"}")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("\"field\":\"name\""), "{body}");

        // The same operations as the pages, through the API.
        let call = |method: &str, uri: &str, body: &str| {
            Request::builder()
                .method(method)
                .uri(uri)
                .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap()
        };
        let (s, _, body) = send(
            &app,
            call(
                "POST",
                "/api/v1/roles",
                r#"{"name_en": "Trainee", "permissions": ["customers"], "scope": "own"}"#,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        let role: serde_json::Value = serde_json::from_str(&body).unwrap();
        let (s, _, body) = send(
            &app,
            call(
                "POST",
                "/api/v1/roles",
                r#"{"name_en": "Odd", "scope": "galaxy"}"#,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("\"field\":\"scope\""), "{body}");
        let staff = format!(
            r#"{{"username": "amy", "name": "Amy", "role_id": {}, "password": "amy-pass-123"}}"#,
            role["id"]
        );
        let (s, _, body) = send(&app, call("POST", "/api/v1/staff", &staff)).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        let (s, _, body) = send(&app, call("POST", "/api/v1/staff", &staff)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("duplicate_username"), "{body}");
        let (s, _, body) = send(
            &app,
            call("DELETE", &format!("/api/v1/roles/{}", role["id"]), ""),
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(body.contains("role_in_use"), "{body}");
        let (s, _, body) = send(
            &app,
            call(
                "PUT",
                "/api/v1/settings",
                r#"{"revisit_after_sale_days": 45}"#,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert!(
            body.contains("\"revisit_after_sale_days\":\"45\""),
            "{body}"
        );
        let (s, _, body) = send(&app, call("GET", "/api/v1/dict/country", "")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(body.contains("\"name_zh\":\"德国\""));
    }
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
    wharf_mailbox::Env {
        store: store.clone(),
        blobs: wharf_store::blobs::Blobs::in_data_dir(&std::env::temp_dir().join(format!(
            "wharf-web-test-{}",
            &wharf_store::secret::random_token()[..10]
        ))),
        vault: wharf_store::vault::Vault::from_hex(&wharf_store::secret::random_token()).unwrap(),
    }
}

/// A mail the SMTP server refused for good: the Outbox lists it with the reason, the
/// message offers "Correct and send again", and that form comes back filled —
/// recipients, subject, text and the attachment — so nothing is written twice.
#[tokio::test]
async fn a_refused_delivery_can_be_corrected_and_sent_again() {
    for store in testing::backends().await {
        let env = mail_env(&store);
        let admin = store
            .complete_setup("first-admin-pass", "127.0.0.1")
            .await
            .unwrap();
        let app = router(
            AppState::new(store.clone(), POLICY, false, env.clone())
                .await
                .unwrap(),
        );
        let actor = store.load_actor(admin).await.unwrap().unwrap();
        let account = store
            .create_account(
                wharf_store::Ctx {
                    actor: &actor,
                    ip: "127.0.0.1",
                },
                &env.vault,
                wharf_core::mail::account::AccountInput {
                    address: "sales@wharf.test".into(),
                    kind: "public".into(),
                    in_protocol: "none".into(),
                    out_host: "127.0.0.1".into(),
                    out_port: 25,
                    out_security: "none".into(),
                    max_attachment_mb: 25,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let raw = "From: sales@wharf.test\r\nTo: Tom <tom@buyer.example>\r\nSubject: Price list\r\n\
                   Message-ID: <pl1@wharf.test>\r\nMIME-Version: 1.0\r\n\
                   Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nPlease find our prices.\r\n\
                   --b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=prices.pdf\r\n\r\n%PDF-1.4\r\n--b--\r\n";
        let (message, outgoing) = wharf_mailbox::send::queue(
            &env,
            account,
            Some(admin),
            "sales@wharf.test",
            &["tom@buyer.example".to_string()],
            raw.as_bytes().to_vec(),
        )
        .await
        .unwrap();
        store
            .record_send_attempt(
                outgoing,
                "failed",
                "550 5.1.1 <tom@buyer.example>: user unknown",
                0,
            )
            .await
            .unwrap();
        let session = store
            .create_session(admin, "127.0.0.1", "test", POLICY)
            .await
            .unwrap();
        let cookie = format!("wharf_session={}", session.token);
        let (s, _, outbox) = send(&app, get("/mail?view=outbox", &cookie, "en")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            outbox.contains("Price list") && outbox.contains("user unknown"),
            "{outbox}"
        );
        let (_, _, open) = send(
            &app,
            get(&format!("/mail?view=outbox&m={message}"), &cookie, "en"),
        )
        .await;
        assert!(
            open.contains(&format!("/mail/compose?again={message}")),
            "{open}"
        );
        let (s, _, again) = send(
            &app,
            get(&format!("/mail/compose?again={message}"), &cookie, "en"),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(again.contains("Correct and send again"));
        assert!(
            again.contains("value=\"&quot;Tom&quot; &lt;tom@buyer.example&gt;\""),
            "recipients, with their names"
        );
        assert!(again.contains("value=\"Price list\""), "subject");
        assert!(again.contains("Please find our prices."), "text");
        assert!(again.contains("prices.pdf"), "the attachment is offered");
        // Received mail cannot be "sent again".
        let inbound = env
            .ingestor()
            .ingest_raw(
                vec![(
                    b"From: tom@buyer.example\r\nTo: sales@wharf.test\r\nSubject: Hi\r\n\r\nx\r\n"
                        .to_vec(),
                    wharf_mailbox::ingest::Origin {
                        account_id: account,
                        own_addresses: vec!["sales@wharf.test".into()],
                        folder_role: "inbox".into(),
                        ..Default::default()
                    },
                )],
                None,
            )
            .await
            .unwrap()[0]
            .id();
        let (s, _, _) = send(
            &app,
            get(&format!("/mail/compose?again={inbound}"), &cookie, "en"),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    }
}

/// Customers follow the data scope in pages and the API alike: a salesperson sees her
/// own and the pool, not a colleague's; the 21st claim of a day is refused with the
/// reason in the caller's language.
#[tokio::test]
async fn customers_follow_the_scope_in_pages_and_api() {
    for store in testing::backends().await {
        let admin = store
            .complete_setup("first-admin-pass", "127.0.0.1")
            .await
            .unwrap();
        let a = store.load_actor(admin).await.unwrap().unwrap();
        let ctx = wharf_store::Ctx {
            actor: &a,
            ip: "127.0.0.1",
        };
        let role = store
            .list_roles(&a)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.code.as_deref() == Some("salesperson"))
            .unwrap()
            .id;
        let mut sessions = Vec::new();
        let mut ids = Vec::new();
        for name in ["li", "wang"] {
            let id = store
                .create_staff(
                    ctx,
                    wharf_core::org::StaffInput {
                        username: name.into(),
                        name: format!("Staff {name}"),
                        role_id: Some(role),
                        status: "active".into(),
                        password: Some("welcome-123".into()),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            store
                .cli_reset_password(name, "chosen-pass-1")
                .await
                .unwrap();
            let s = store
                .create_session(id, "127.0.0.1", "test", POLICY)
                .await
                .unwrap();
            sessions.push((format!("wharf_session={}", s.token), s.csrf_token));
            ids.push(id);
        }
        let app = router(
            AppState::new(store.clone(), POLICY, false, mail_env(&store))
                .await
                .unwrap(),
        );
        let named = |n: &str| wharf_core::customers::CustomerInput {
            name: n.into(),
            ..Default::default()
        };
        let lis = store
            .create_customer(ctx, named("Acme Valves Ltd"), &[ids[0]])
            .await
            .unwrap();
        store
            .create_customer(ctx, named("Pool Lead One"), &[])
            .await
            .unwrap();
        let (wang, wang_csrf) = &sessions[1];
        let (s, _, list) = send(&app, get("/customers", wang, "en")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            list.contains("Pool Lead One") && !list.contains("Acme Valves"),
            "{list}"
        );
        let (s, _, _) = send(&app, get(&format!("/customers/{lis}"), wang, "en")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // Nor her documents.
        let li = store.load_actor(ids[0]).await.unwrap().unwrap();
        let doc = store
            .add_document(
                wharf_store::Ctx {
                    actor: &li,
                    ip: "127.0.0.1",
                },
                lis,
                "contract.pdf",
                "application/pdf",
                "c0ffee",
                4,
                Some(b"%PDF"),
            )
            .await
            .unwrap();
        let (s, _, _) = send(&app, get(&format!("/documents/{doc}"), wang, "en")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _, body) = send(
            &app,
            get(&format!("/documents/{doc}"), &sessions[0].0, "en"),
        )
        .await;
        assert_eq!((s, body.as_str()), (StatusCode::OK, "%PDF"));
        let (s, _, api) = send(&app, get("/api/v1/customers", wang, "en")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(api.contains("Pool Lead One") && !api.contains("Acme Valves"));
        let (s, _, _) = send(&app, get(&format!("/api/v1/customers/{lis}"), wang, "en")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // Export needs the permission the salesperson role lacks (CUST-6) …
        let (s, _, _) = send(&app, get("/customers/export?format=csv", wang, "en")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        testing::execute_sql(
            &store,
            "UPDATE roles SET permissions = permissions || ',export' WHERE code = 'salesperson'",
        )
        .await;
        // … and, granted, holds the same scope, in CSV and in xlsx.
        let (s, _, csv) = send(&app, get("/customers/export?format=csv", wang, "en")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            csv.contains("Pool Lead One") && !csv.contains("Acme Valves"),
            "{csv}"
        );
        let res = app
            .clone()
            .oneshot(get(
                "/api/v1/customers/export?format=xlsx&quick=pool",
                wang,
                "en",
            ))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
            .await
            .unwrap();
        let rows = wharf_sheets::read_table("c.xlsx", &bytes).unwrap();
        assert_eq!(rows.len(), 2, "header and one customer");
        assert_eq!(rows[0][0], "Name");
        assert_eq!(rows[1][0], "Pool Lead One");
        // The duplicate check still names the owner, and nothing more.
        let (_, _, dup) = send(
            &app,
            get(
                "/api/v1/customers/duplicates?name=acme%20valves%20ltd",
                wang,
                "en",
            ),
        )
        .await;
        assert!(
            dup.contains("Staff li") && dup.contains("\"visible\":false"),
            "{dup}"
        );
        assert!(
            !dup.contains("Acme Valves Ltd"),
            "another's customer is shown by its owner, not its name: {dup}"
        );
        // Twenty claims a day, then a clear refusal.
        let mut pool = Vec::new();
        for n in 0..21 {
            pool.push(
                store
                    .create_customer(ctx, named(&format!("Lead {n:02}")), &[])
                    .await
                    .unwrap(),
            );
        }
        let claim = |id: i64| {
            Request::post(format!("/api/v1/customers/{id}/claim"))
                .header(header::COOKIE, wang.as_str())
                .header("x-csrf-token", wang_csrf.as_str())
                .header(header::ACCEPT_LANGUAGE, "zh-CN")
                .body(Body::empty())
                .unwrap()
        };
        wharf_store::testing::clear_of_midnight(&wharf_core::zone::Zone::default()).await;
        for id in &pool[..20] {
            let (s, _, body) = send(&app, claim(*id)).await;
            assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
        }
        let (s, _, body) = send(&app, claim(pool[20])).await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(
            body.contains("claim_quota") && body.contains("你今天已占有 20 个客户"),
            "{body}"
        );
        // Custom fields through the API: defined by an administrator only, set by key
        // or label, kept when an update leaves them out.
        let json = |method: Method, uri: &str, body: &str| {
            Request::builder()
                .method(method)
                .uri(uri)
                .header(header::COOKIE, wang.as_str())
                .header("x-csrf-token", wang_csrf.as_str())
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT_LANGUAGE, "en")
                .body(Body::from(body.to_string()))
                .unwrap()
        };
        let (s, _, _) = send(
            &app,
            json(
                Method::POST,
                "/api/v1/customer-fields",
                r#"{"label":"Tier","kind":"text"}"#,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let tier = store
            .create_custom_field(
                ctx,
                wharf_core::custom_field::CustomFieldInput {
                    label: "Tier".into(),
                    kind: "choice".into(),
                    choices: "Gold\nSilver".into(),
                    required: false,
                },
            )
            .await
            .unwrap();
        let (s, _, listed) = send(&app, get("/api/v1/customer-fields", wang, "en")).await;
        assert!(s.is_success() && listed.contains("\"Tier\""), "{listed}");
        let (s, _, body) = send(
            &app,
            json(
                Method::POST,
                "/api/v1/customers",
                r#"{"name":"Api Tier Co","custom_fields":{"tier":"bronze"}}"#,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.contains(&format!("cf{tier}")), "{body}");
        let (s, _, body) = send(
            &app,
            json(
                Method::POST,
                "/api/v1/customers",
                r#"{"name":"Api Tier Co","custom_fields":{"tier":"gold"}}"#,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        let id: i64 = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
            .as_i64()
            .unwrap();
        let (s, _, _) = send(
            &app,
            json(
                Method::PUT,
                &format!("/api/v1/customers/{id}"),
                r#"{"name":"Api Tier Co","city":"Ningbo"}"#,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (_, _, shown) = send(&app, get(&format!("/api/v1/customers/{id}"), wang, "en")).await;
        assert!(
            shown.contains(&format!("\"custom_fields\":{{\"cf{tier}\":\"Gold\"}}"))
                && shown.contains("Ningbo"),
            "{shown}"
        );
        // A revisit date out of any calendar is refused, not stored.
        let (s, _, _) = send(
            &app,
            json(
                Method::PUT,
                &format!("/api/v1/customers/{id}"),
                r#"{"name":"Api Tier Co","next_revisit_at":1000000000000000}"#,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        // Naming one field changes only that one; "" clears it.
        let region = store
            .create_custom_field(
                ctx,
                wharf_core::custom_field::CustomFieldInput {
                    label: "Region".into(),
                    kind: "text".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        for (body, expected) in [
            (
                r#"{"name":"Api Tier Co","custom_fields":{"Region":"EU"}}"#,
                format!("{{\"cf{tier}\":\"Gold\",\"cf{region}\":\"EU\"}}"),
            ),
            (
                r#"{"name":"Api Tier Co","custom_fields":{"tier":""}}"#,
                format!("{{\"cf{region}\":\"EU\"}}"),
            ),
        ] {
            let (s, _, _) = send(
                &app,
                json(Method::PUT, &format!("/api/v1/customers/{id}"), body),
            )
            .await;
            assert_eq!(s, StatusCode::NO_CONTENT);
            let (_, _, shown) =
                send(&app, get(&format!("/api/v1/customers/{id}"), wang, "en")).await;
            assert!(
                shown.contains(&format!("\"custom_fields\":{expected}")),
                "{shown}"
            );
        }
        // An import the server stopped in the middle ("running", no task here) says so
        // and runs again; all of it lands once.
        let wang_actor = store.load_actor(ids[1]).await.unwrap().unwrap();
        let import = store
            .create_import(
                &wang_actor,
                "leads.csv",
                b"Company,City\nRestart Co,Ningbo\n",
                1,
            )
            .await
            .unwrap();
        store
            .save_import_settings(
                &wang_actor,
                import,
                &["name".to_string(), "city".to_string()],
                "me",
                "reserve",
                false,
            )
            .await
            .unwrap();
        store.set_import_state(import, "running", "").await.unwrap();
        let uri = format!("/customers/import/{import}");
        let (_, _, page) = send(&app, get(&uri, wang, "en")).await;
        assert!(page.contains("id=\"interrupted\""), "{page}");
        let (s, _, _) = send(
            &app,
            form(&format!("{uri}/run"), &format!("_csrf={wang_csrf}"), wang),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let mut state = String::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while std::time::Instant::now() < deadline {
            state = store.import_state(&wang_actor, import).await.unwrap().0;
            if state == "done" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(state, "done");
        let (_, _, list) = send(&app, get("/api/v1/customers?q=restart", wang, "en")).await;
        assert!(list.contains("\"total\":1"), "{list}");
        // Contacts: only those of customers the salesperson may see, on the page and in
        // the API.
        for (customer, name) in [(lis, "Hidden Harry"), (pool[0], "Pool Paula")] {
            store
                .add_contact(
                    ctx,
                    customer,
                    wharf_core::customers::ContactInput {
                        name: name.into(),
                        // Domains of their own: a shared one would be a duplicate (LINK-6).
                        emails: format!(
                            "{}@{}.contacts.example",
                            name.replace(' ', "."),
                            name.to_lowercase().replace(' ', "-")
                        ),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
        }
        let (s, _, page) = send(&app, get("/contacts?q=contacts.example", wang, "en")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains("Pool Paula") && !page.contains("Hidden Harry"),
            "{page}"
        );
        let (_, _, api) = send(&app, get("/api/v1/contacts?q=CONTACTS", wang, "en")).await;
        assert!(
            api.contains("Pool Paula") && api.contains("\"total\":1"),
            "{api}"
        );
        let li = &sessions[0].0;
        let (_, _, api) = send(&app, get("/api/v1/contacts?q=harry", li, "en")).await;
        assert!(api.contains("Acme Valves Ltd"), "{api}");
        // A customer's mail, through the same rule.
        let uri = format!("/api/v1/customers/{lis}/mail");
        let (s, _, body) = send(&app, get(&uri, li, "en")).await;
        assert!(s.is_success() && body.contains("\"mail\":[]"), "{body}");
        let (s, _, _) = send(&app, get(&uri, wang, "en")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
}

/// The quick entry from a mail (LINK-2, LINK-6) for two salespeople sharing a mailbox:
/// a buyer who is already Li's customer shows Wang only whose it is, and Wang cannot
/// make a second copy; Li adds the address to a contact (and a new contact) and the
/// mail is then the customer's.
#[tokio::test]
async fn quick_entry_cases_and_anti_collision() {
    for store in testing::backends().await {
        let env = mail_env(&store);
        let admin = testing::admin(&store).await;
        let ctx = testing::ctx(&admin);
        let users = signed_in_salespeople(&store, &admin, &["li", "wang"]).await;
        let account = store
            .create_account(
                ctx,
                &env.vault,
                wharf_core::mail::account::AccountInput {
                    address: "sales@wharf.test".into(),
                    kind: "public".into(),
                    in_protocol: "none".into(),
                    out_host: "127.0.0.1".into(),
                    out_port: 25,
                    out_security: "none".into(),
                    max_attachment_mb: 25,
                    member_ids: users.iter().map(|u| u.0).collect(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let origin = wharf_mailbox::ingest::Origin {
            account_id: account,
            own_addresses: vec!["sales@wharf.test".into()],
            folder_role: "inbox".into(),
            source: "test".into(),
            ..Default::default()
        };
        let raw = "From: Ann Lee <ann@lee-imports.example>\r\nTo: sales@wharf.test\r\nSubject: Samples\r\nMessage-ID: <s1@lee>\r\n\r\nPlease send samples.\r\n\r\nAnn Lee\r\nLee Imports Pty\r\nTel: +61 2 5550 1234\r\n";
        let message = env
            .ingestor()
            .ingest_raw(vec![(raw.as_bytes().to_vec(), origin)], None)
            .await
            .unwrap()[0]
            .id();
        let app = router(
            AppState::new(store.clone(), POLICY, false, env.clone())
                .await
                .unwrap(),
        );
        let li_actor = store.load_actor(users[0].0).await.unwrap().unwrap();
        let li_ctx = wharf_store::Ctx {
            actor: &li_actor,
            ip: "127.0.0.1",
        };
        // Li's customer has the buyer's company domain, through another contact.
        let lee = store
            .create_customer(
                li_ctx,
                wharf_core::customers::CustomerInput {
                    name: "Lee Imports Pty".into(),
                    ..Default::default()
                },
                &[li_actor.user_id],
            )
            .await
            .unwrap();
        let bob = store
            .add_contact(
                li_ctx,
                lee,
                wharf_core::customers::ContactInput {
                    name: "Bob Lee".into(),
                    emails: "bob@lee-imports.example".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let (li, wang) = (&users[0], &users[1]);
        let uri = format!("/mail/m/{message}/customer");
        // Wang: prefilled from the signature, and told whose customer it is, by name
        // of the owner only; creating a second copy is refused.
        let (s, _, page) = send(&app, get(&uri, &wang.1, "en")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains("value=\"Lee Imports Pty\"")
                && page.contains("value=\"+61 2 5550 1234\"")
        );
        assert!(
            page.contains("a customer of Staff li") && page.contains("id=\"blocked\""),
            "{page}"
        );
        assert!(
            !page.contains("/customers/"),
            "no link to Li's customer: {page}"
        );
        let (s, _, _) = send(
            &app,
            form(
                &uri,
                &format!("_csrf={}&case=new&name=Lee+Imports+Australia&email=ann%40lee-imports.example&contact_name=Ann+Lee&stage=reserve", wang.2),
                &wang.1,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let wang_actor = store.load_actor(wang.0).await.unwrap().unwrap();
        assert_eq!(
            store
                .list_customers(
                    &wang_actor,
                    &wharf_store::customers::CustomerQuery {
                        per_page: 10,
                        ..Default::default()
                    }
                )
                .await
                .unwrap()
                .total,
            0
        );
        // Nor can Wang put the address on Li's contact.
        let (s, _, _) = send(
            &app,
            form(
                &uri,
                &format!(
                    "_csrf={}&case=address&contact_id={bob}&email=ann%40lee-imports.example",
                    wang.2
                ),
                &wang.1,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // Li: the customer is offered; the address goes onto Bob, then Ann is a contact.
        let (_, _, page) = send(&app, get(&uri, &li.1, "en")).await;
        assert!(
            page.contains(&format!("id=\"target-{lee}\""))
                && page.contains(&format!("add-address-{bob}"))
        );
        let (s, _, _) = send(
            &app,
            form(
                &uri,
                &format!(
                    "_csrf={}&case=address&contact_id={bob}&email=ann%40lee-imports.example",
                    li.2
                ),
                &li.1,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let bob_now = store.get_contact(&li_actor, bob).await.unwrap();
        assert_eq!(
            bob_now.emails,
            "bob@lee-imports.example, ann@lee-imports.example"
        );
        let (s, _, _) = send(
            &app,
            form(&uri, &format!("_csrf={}&case=contact&customer_id={lee}&contact_name=Ann+Lee&email=ann%40lee-imports.example", li.2), &li.1),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let d = store.get_customer(&li_actor, lee).await.unwrap();
        assert!(d.contacts.iter().any(|k| k.name == "Ann Lee"));
        let mail = store.customer_mail(&li_actor, lee, 10).await.unwrap();
        assert_eq!(mail.iter().map(|m| m.id).collect::<Vec<_>>(), vec![message]);
    }
}

/// Search through the page and the API (FIND-1): Chinese and English words, filters from
/// the form, highlighted snippets, a clear message for a bad query, and a salesperson
/// never seeing a colleague's mail or customers, on both databases.
#[tokio::test]
async fn search_pages_and_api_stay_in_scope() {
    for store in testing::backends().await {
        let env = mail_env(&store);
        let admin = testing::admin(&store).await;
        let ctx = testing::ctx(&admin);
        let mut users = Vec::new();
        for (name, (id, cookie, _)) in ["li", "wang"]
            .into_iter()
            .zip(signed_in_salespeople(&store, &admin, &["li", "wang"]).await)
        {
            let address = format!("{name}@wharf.test");
            let account = store
                .create_account(ctx, &env.vault, testing::local_account(&address, Some(id)))
                .await
                .unwrap();
            users.push((id, cookie, account));
        }
        let ingest = |account: i64, to: &str, raw: String| {
            let env = env.clone();
            let to = to.to_string();
            async move {
                env.ingestor()
                    .ingest_raw(
                        vec![(
                            raw.into_bytes(),
                            wharf_mailbox::ingest::Origin {
                                account_id: account,
                                own_addresses: vec![to],
                                folder_role: "inbox".into(),
                                source: "test".into(),
                                ..Default::default()
                            },
                        )],
                        None,
                    )
                    .await
                    .unwrap()[0]
                    .id()
            }
        };
        let (li, wang) = (&users[0], &users[1]);
        let lis = ingest(li.2, "li@wharf.test", "From: Omar <omar@gulf.example>\r\nTo: li@wharf.test\r\nSubject: Valve quotation\r\nMessage-ID: <v1@gulf>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease quote 200 ball valves. 我们需要球阀报价，<script>alert(1)</script>\r\n".into()).await;
        let wangs = ingest(wang.2, "wang@wharf.test", "From: Omar <omar@gulf.example>\r\nTo: wang@wharf.test\r\nSubject: Valve quotation too\r\nMessage-ID: <v2@gulf>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBall valves again, 球阀报价\r\n".into()).await;
        let wang_actor = store.load_actor(wang.0).await.unwrap().unwrap();
        store
            .create_customer(
                wharf_store::Ctx {
                    actor: &wang_actor,
                    ip: "127.0.0.1",
                },
                wharf_core::customers::CustomerInput {
                    name: "Gulf Valves 海湾阀门".into(),
                    ..Default::default()
                },
                &[wang.0],
            )
            .await
            .unwrap();
        let state = AppState::new(store.clone(), POLICY, false, env.clone())
            .await
            .unwrap();
        // Before the index is first built, a search says so.
        let search = state.search.clone();
        let app = router(state);
        let (s, _, page) = send(&app, get("/search?q=valves", &li.1, "zh-CN")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("id=\"search-building\"") && page.contains("搜索索引仍在建立中"));
        search.catch_up(&store).await.unwrap();
        let (_, _, page) = send(&app, get("/search?q=valves", &li.1, "en")).await;
        assert!(!page.contains("id=\"search-building\""));

        // Every page carries the search box.
        let (_, _, home) = send(&app, get("/", &li.1, "en")).await;
        assert!(home.contains("id=\"global-search\""));

        // Li finds her mail by Chinese and English words, marked; not Wang's, nor his
        // customer; the mail's own markup stays text.
        let (s, _, page) = send(
            &app,
            get("/search?q=%E7%90%83%E9%98%80+valves", &li.1, "zh-CN"),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains(&format!("id=\"mail-hit-{lis}\"")), "{page}");
        assert!(!page.contains(&format!("id=\"mail-hit-{wangs}\"")));
        assert!(
            page.contains("<mark>球阀</mark>") && page.contains("<mark>valves</mark>"),
            "{page}"
        );
        assert!(page.contains("&lt;script&gt;") && !page.contains("<script>alert"));
        assert!(!page.contains("海湾阀门"));
        let (_, _, page) = send(&app, get("/search?q=%E6%B5%B7%E6%B9%BE", &li.1, "en")).await;
        assert!(page.contains("id=\"customer-total\">0<"), "{page}");
        let (_, _, page) = send(&app, get("/search?q=%E6%B5%B7%E6%B9%BE", &wang.1, "en")).await;
        assert!(page.contains("<mark>海湾</mark>"), "{page}");

        // The form's filters narrow the same way as typed ones.
        let (_, _, page) = send(
            &app,
            get("/search?q=&from=omar%40gulf.example&in=mail", &li.1, "en"),
        )
        .await;
        assert!(page.contains(&format!("id=\"mail-hit-{lis}\"")), "{page}");
        assert!(!page.contains("id=\"customer-results\""));
        let (_, _, page) = send(&app, get("/search?q=valves&has=1", &li.1, "en")).await;
        assert!(page.contains("id=\"mail-total\">0<"), "{page}");

        // A bad date is explained in the user's language, never a 500.
        let (s, _, page) = send(&app, get("/search?q=after%3A2026-13-01", &li.1, "zh-CN")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("“2026-13-01”不是日期"), "{page}");

        // The API: the same search as JSON; errors as 422 with the reason.
        let api = |uri: &str, cookie: &str| get(uri, cookie, "en");
        let (s, _, body) = send(&app, api("/api/v1/search?q=valves", &li.1)).await;
        assert_eq!(s, StatusCode::OK);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        let ids: Vec<i64> = json["mail"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![lis]);
        assert_eq!(json["mail"]["total"], 1);
        assert_eq!(json["complete"], true, "a built index says so");
        assert_eq!(
            json["mail"]["items"][0]["href"],
            format!("/mail?view=inbox&m={lis}")
        );
        // The header box's suggestions: the last word as typed so far.
        let (_, _, body) = send(&app, api("/api/v1/search?q=val&prefix=1", &li.1)).await;
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["mail"]["total"], 1, "{json}");
        let (_, _, body) = send(&app, api("/api/v1/search?q=val", &li.1)).await;
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["mail"]["total"], 0, "whole words without prefix=1");

        // Tags: the form's tag field and tag: in the box; an unknown tag is named.
        let li_actor = store.load_actor(li.0).await.unwrap().unwrap();
        let hot = store
            .tag_message(
                wharf_store::Ctx {
                    actor: &li_actor,
                    ip: "127.0.0.1",
                },
                lis,
                "hot",
            )
            .await
            .unwrap();
        search.catch_up(&store).await.unwrap();
        let (_, _, page) = send(&app, get(&format!("/search?tag={}", hot.id), &li.1, "en")).await;
        assert!(page.contains(&format!("id=\"mail-hit-{lis}\"")), "{page}");
        assert!(page.contains(&format!("<option value=\"{}\" selected>", hot.id)));
        // The API also takes the tag's name.
        let (_, _, body) = send(&app, api("/api/v1/search?tag=HOT", &li.1)).await;
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["mail"]["total"], 1, "{json}");
        let (_, _, page) = send(&app, get("/search?q=tag%3Anope", &li.1, "zh-CN")).await;
        assert!(page.contains("没有名为“nope”的标签"), "{page}");
        let (s, _, body) = send(&app, api("/api/v1/search?q=valves", &wang.1)).await;
        assert_eq!(s, StatusCode::OK);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["mail"]["items"][0]["id"], wangs);
        assert_eq!(
            json["customers"]["items"][0]["name"],
            "Gulf Valves 海湾阀门"
        );
        let (s, _, body) = send(&app, api("/api/v1/search?q=owner%3Anobody", &li.1)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("search_unknown_owner") && body.contains("nobody"),
            "{body}"
        );
        let (s, _, _) = send(&app, api("/api/v1/search", &li.1)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
