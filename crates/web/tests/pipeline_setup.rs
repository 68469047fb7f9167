//! Setting pipelines up through the router (PIPE-1, PIPE-8): the admin adds a second
//! pipeline and its stages on System → Pipelines, deletes a stage only with a target
//! (a translated refusal otherwise), sets a hold quota; a salesperson may do none of it,
//! moves her own customer into the other pipeline, and is refused beyond the quota in
//! her language.

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
    cookie: String,
    csrf: String,
}

async fn session(store: &Store, id: i64) -> User {
    let s = store
        .create_session(id, "127.0.0.1", "test", POLICY)
        .await
        .unwrap();
    User {
        cookie: format!("wharf_session={}", s.token),
        csrf: s.csrf_token,
    }
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

fn form_post(path: &str, u: &User, lang: &str, form: &str) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, &u.cookie)
        .header(header::ACCEPT_LANGUAGE, lang)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={}&{form}", u.csrf)))
        .unwrap()
}

#[tokio::test]
async fn the_admin_sets_up_a_second_pipeline_and_a_salesperson_uses_it() {
    for store in testing::backends().await {
        let admin = testing::admin(&store).await;
        let env = wharf_mailbox::testing::scratch_env(store.clone());
        let app = router(
            AppState::new(store.clone(), POLICY, false, env)
                .await
                .unwrap(),
        );
        let li_actor = testing::staff(&store, &admin, "li", "salesperson", None).await;
        // A password of her own (a new account must first choose one).
        store
            .cli_reset_password("li", "chosen-pass-1")
            .await
            .unwrap();
        let a = session(&store, admin.user_id).await;
        let li = session(&store, li_actor.user_id).await;

        // A salesperson may not set pipelines up.
        let (status, _) = call(
            &app,
            form_post("/system/pipelines", &li, "en", "name_en=Mine&name_zh=我的"),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(store.pipelines(&admin).await.unwrap().len(), 1);

        let (status, _) = call(
            &app,
            form_post(
                "/system/pipelines",
                &a,
                "en",
                "name_en=Distributors&name_zh=%E7%BB%8F%E9%94%80%E5%95%86",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let p = store.pipelines(&admin).await.unwrap()[1].id;
        let add = format!("/system/pipelines/{p}/stages");
        let (status, _) = call(
            &app,
            form_post(
                &add,
                &a,
                "en",
                "role=target&label_en=Listed&label_zh=%E5%B7%B2%E5%88%97%E5%85%A5&probability=20&rotting_days=9",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        // Bad input: an unknown role, a probability that is not a number.
        let (status, body) = call(
            &app,
            form_post(&add, &a, "en", "role=heaven&label_en=X&label_zh=X"),
        )
        .await;
        assert!(status.is_client_error(), "{status}");
        assert!(!body.contains("invalid_choice"), "{body}");
        let (status, _) = call(
            &app,
            form_post(
                &add,
                &a,
                "en",
                "role=target&label_en=X&label_zh=X&probability=lots",
            ),
        )
        .await;
        assert!(status.is_client_error(), "{status}");
        let stages = store.pipelines(&admin).await.unwrap()[1].stages.clone();
        assert_eq!(stages.len(), 1);
        let listed = stages[0].clone();

        for lang in ["en", "zh-CN"] {
            let (status, body) = call(&app, get("/system/pipelines", &a, lang)).await;
            assert_eq!(status, StatusCode::OK);
            assert!(body.contains(&format!("id=\"pipeline-{p}\"")), "{body}");
            assert!(body.contains("id=\"new-pipeline\""), "{body}");
            assert!(!body.contains("pipeline.setup."), "raw key in {lang}");
        }
        let (_, zh) = call(&app, get("/system/pipelines", &a, "zh-CN")).await;
        assert!(zh.contains("经销商") && zh.contains("添加阶段"), "{zh}");

        // Li's customer, on her page, may move into the other pipeline.
        let id = store
            .create_customer(
                testing::ctx(&li_actor),
                wharf_core::customers::CustomerInput {
                    name: "Ningbo Dist".into(),
                    stage: "target".into(),
                    ..Default::default()
                },
                &[li_actor.user_id],
            )
            .await
            .unwrap();
        let (_, page) = call(&app, get(&format!("/customers/{id}"), &li, "en")).await;
        assert!(page.contains("id=\"pipeline-form\""), "{page}");
        assert!(page.contains("Distributors · Listed"), "{page}");
        let (status, _) = call(
            &app,
            form_post(
                &format!("/customers/{id}/pipeline"),
                &li,
                "en",
                &format!("stage={}", listed.key),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(
            store
                .customer_stage(&li_actor, id)
                .await
                .unwrap()
                .pipeline_id,
            p
        );

        // Its stage goes only with a target: refused in the admin's language first.
        let del = format!("/system/pipelines/stages/{}/delete", listed.id);
        let (status, body) = call(&app, form_post(&del, &a, "zh-CN", "target=")).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(body.contains("此阶段有 1 个客户"), "{body}");
        let (status, _) = call(&app, form_post(&del, &a, "en", "target=1")).await;
        assert_eq!(status, StatusCode::CONFLICT, "a stage of another pipeline");
        let (status, _) = call(
            &app,
            form_post(&format!("/system/pipelines/{p}/delete"), &a, "en", ""),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "a pipeline with a customer");
        assert_eq!(store.pipelines(&admin).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn a_hold_quota_set_on_the_roles_page_refuses_in_her_language() {
    for store in testing::backends().await {
        let admin = testing::admin(&store).await;
        let env = wharf_mailbox::testing::scratch_env(store.clone());
        let app = router(
            AppState::new(store.clone(), POLICY, false, env)
                .await
                .unwrap(),
        );
        let li_actor = testing::staff(&store, &admin, "li", "salesperson", None).await;
        // A password of her own (a new account must first choose one).
        store
            .cli_reset_password("li", "chosen-pass-1")
            .await
            .unwrap();
        let a = session(&store, admin.user_id).await;
        let li = session(&store, li_actor.user_id).await;
        let role = store
            .list_roles(&admin)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.code.as_deref() == Some("salesperson"))
            .unwrap()
            .id;
        let path = format!("/system/roles/{role}/stages/prospect");
        let (status, body) =
            call(&app, get(&format!("/system/roles/{role}/stages"), &a, "en")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("id=\"quota-prospect\""), "{body}");
        let (status, _) = call(
            &app,
            form_post(
                &path,
                &a,
                "en",
                "edit_mode=none&may_claim=1&may_promote=1&may_demote=1&hold_quota=-3",
            ),
        )
        .await;
        assert!(status.is_client_error(), "{status}");
        let (status, _) = call(
            &app,
            form_post(
                &path,
                &a,
                "en",
                "edit_mode=none&may_claim=1&may_promote=1&may_demote=1&hold_quota=0",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let id = store
            .create_customer(
                testing::ctx(&li_actor),
                wharf_core::customers::CustomerInput {
                    name: "Quota Co".into(),
                    stage: "target".into(),
                    ..Default::default()
                },
                &[li_actor.user_id],
            )
            .await
            .unwrap();
        let (status, body) = call(
            &app,
            form_post(
                &format!("/customers/{id}/stage"),
                &li,
                "zh-CN",
                "stage=prospect",
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(body.contains("最多占有 0 个客户"), "{body}");
        assert_eq!(
            store.customer_stage(&li_actor, id).await.unwrap().stage.key,
            "target"
        );
    }
}
