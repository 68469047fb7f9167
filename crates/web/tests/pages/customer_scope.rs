//! Customers follow the data scope in pages and the API alike.

use super::*;

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
        // In the user's language: English headers and values for an English reader.
        let header = csv
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap_or("");
        assert!(
            header.contains("Name") && header.contains("Owners"),
            "{header}"
        );
        assert!(
            !csv.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{csv}"
        );
        let (_, _, zh) = send(&app, get("/customers/export?format=csv", wang, "zh-CN")).await;
        assert!(zh.contains("负责人") && zh.contains("公海"), "{zh}");
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
