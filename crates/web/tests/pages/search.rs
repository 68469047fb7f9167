//! Search through the page and the API, in scope.

use super::*;

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
