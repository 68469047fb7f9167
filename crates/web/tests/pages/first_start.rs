//! First start, sign-in, CSRF and the two languages.

use super::*;

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
