//! The sales path through the router: a salesperson promotes, demotes and flags her own
//! customer on the page and in the API (translated refusals), cannot read or move a
//! colleague's, and the customer list filters a stage by flag.

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

/// The app, Li (who owns the target customer whose id is returned) and Wang.
async fn setup(store: &Store) -> (axum::Router, User, User, i64) {
    let admin = testing::admin(store).await;
    let env = wharf_mailbox::testing::scratch_env(store.clone());
    let app = router(
        AppState::new(store.clone(), POLICY, false, env)
            .await
            .unwrap(),
    );
    let mut users = Vec::new();
    let mut ids = Vec::new();
    for name in ["li", "wang"] {
        let id = testing::staff(store, &admin, name, "salesperson", None)
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
        ids.push(id);
        users.push(User {
            cookie: format!("wharf_session={}", s.token),
            csrf: s.csrf_token,
        });
    }
    let li_actor = store.load_actor(ids[0]).await.unwrap().unwrap();
    let customer = store
        .create_customer(
            testing::ctx(&li_actor),
            wharf_core::customers::CustomerInput {
                name: "Ningbo Valves Co".into(),
                stage: "target".into(),
                ..Default::default()
            },
            &[ids[0]],
        )
        .await
        .unwrap();
    let wang = users.pop().unwrap();
    let li = users.pop().unwrap();
    (app, li, wang, customer)
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

fn api_post(path: &str, u: &User, lang: &str, json: &str) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, &u.cookie)
        .header("x-csrf-token", &u.csrf)
        .header(header::ACCEPT_LANGUAGE, lang)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json.to_string()))
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
async fn a_colleague_cannot_read_move_or_flag_the_customer() {
    for store in testing::backends().await {
        let (app, li, wang, id) = setup(&store).await;
        let stage = format!("/api/v1/customers/{id}/stage");
        assert_eq!(
            call(&app, get(&stage, &wang, "en")).await.0,
            StatusCode::NOT_FOUND
        );
        let moved = api_post(&stage, &wang, "en", r#"{"stage": "won"}"#);
        assert_eq!(call(&app, moved).await.0, StatusCode::NOT_FOUND);
        let flag = api_post(
            &format!("/api/v1/customers/{id}/flag"),
            &wang,
            "en",
            r#"{"flag": "contacted"}"#,
        );
        assert_eq!(call(&app, flag).await.0, StatusCode::NOT_FOUND);
        let page = form_post(&format!("/customers/{id}/stage"), &wang, "en", "stage=won");
        assert_eq!(call(&app, page).await.0, StatusCode::NOT_FOUND);
        let (_, body) = call(&app, get(&stage, &li, "en")).await;
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["stage"], "target", "{body}");
        assert_eq!(v["log"].as_array().unwrap().len(), 0, "{body}");
    }
}

#[tokio::test]
async fn the_owner_promotes_in_the_api_and_reads_the_log() {
    for store in testing::backends().await {
        let (app, li, _wang, id) = setup(&store).await;
        let stage = format!("/api/v1/customers/{id}/stage");
        let (status, body) = call(
            &app,
            api_post(
                &stage,
                &li,
                "en",
                r#"{"stage": "opportunity", "reason": "quoted"}"#,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["move"], "promote");
        assert_eq!(v["flag"], "tracking");
        let (_, body) = call(&app, get(&stage, &li, "en")).await;
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["stage"], "opportunity");
        assert_eq!(v["probability"], 60);
        assert_eq!(v["log"][0]["reason"], "quoted");
        let (_, pipelines) = call(&app, get("/api/v1/pipelines", &li, "en")).await;
        assert!(pipelines.contains("\"目标客户\""), "{pipelines}");
        // An unknown key in the body is a bad request, not a silent default.
        let bad = api_post(&stage, &li, "en", r#"{"stage": "won", "owner": 3}"#);
        assert_eq!(call(&app, bad).await.0, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn a_refused_move_is_explained_in_the_users_language() {
    for store in testing::backends().await {
        let (app, li, _wang, id) = setup(&store).await;
        let stage = format!("/api/v1/customers/{id}/stage");
        let (status, body) =
            call(&app, api_post(&stage, &li, "en", r#"{"stage": "target"}"#)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body.contains("stage_unchanged"), "{body}");
        assert!(body.contains("in that stage already"), "{body}");
        let page = form_post(
            &format!("/customers/{id}/stage"),
            &li,
            "zh-CN",
            "stage=target",
        );
        let (_, body) = call(&app, page).await;
        assert!(body.contains("客户已在该阶段"), "{body}");
        // A flag of another stage's pair.
        let flag = form_post(&format!("/customers/{id}/flag"), &li, "en", "flag=paused");
        assert_eq!(call(&app, flag).await.0, StatusCode::UNPROCESSABLE_ENTITY);
        // Editing a field the stage locks (the name of a target customer).
        let edit = Request::builder()
            .method("PUT")
            .uri(format!("/api/v1/customers/{id}"))
            .header(header::COOKIE, &li.cookie)
            .header("x-csrf-token", &li.csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"name": "Renamed Co"}"#))
            .unwrap();
        let (status, body) = call(&app, edit).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body.contains(r#"{"code":"stage_field_locked","field":"name""#),
            "{body}"
        );
    }
}

#[tokio::test]
async fn the_page_moves_and_flags_and_the_list_filters_by_flag() {
    for store in testing::backends().await {
        let (app, li, _wang, id) = setup(&store).await;
        let (_, page) = call(&app, get(&format!("/customers/{id}"), &li, "zh-CN")).await;
        assert!(page.contains(r#"id="stage-bar""#), "{page}");
        assert!(page.contains("上转"), "{page}");
        let flag = form_post(
            &format!("/customers/{id}/flag"),
            &li,
            "en",
            "flag=contacted",
        );
        assert_eq!(call(&app, flag).await.0, StatusCode::SEE_OTHER);
        let (_, list) = call(
            &app,
            get("/customers?stage=target&flag=contacted", &li, "en"),
        )
        .await;
        assert!(list.contains("Ningbo Valves Co"), "{list}");
        assert!(
            list.contains(r#"id="flag-tab-contacted" class="on""#),
            "{list}"
        );
        let (_, list) = call(
            &app,
            get("/customers?stage=target&flag=not_contacted", &li, "en"),
        )
        .await;
        assert!(!list.contains("Ningbo Valves Co"), "{list}");
        let moved = form_post(
            &format!("/customers/{id}/stage"),
            &li,
            "en",
            "stage=reserve&reason=wrong+number",
        );
        // Demoted into reserve: shared now, still in her sight (the pool).
        assert_eq!(call(&app, moved).await.0, StatusCode::SEE_OTHER);
        let (_, page) = call(&app, get(&format!("/customers/{id}"), &li, "en")).await;
        assert!(page.contains("wrong number"), "{page}");
        assert!(page.contains(r#"id="claim""#), "{page}");
    }
}

#[tokio::test]
async fn the_stage_lists_count_mine_and_shared_and_link_to_the_list() {
    for store in testing::backends().await {
        let (app, li, wang, _id) = setup(&store).await;
        let (status, page) = call(&app, get("/sales/stages", &li, "en")).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains(r#"id="stage-row-target""#), "{page}");
        // Li's one target customer, with its flag; Wang has none.
        assert!(page.contains("Not contacted 1"), "{page}");
        let (_, theirs) = call(&app, get("/sales/stages", &wang, "zh-CN")).await;
        assert!(theirs.contains("未联系 0"), "{theirs}");
        assert!(!theirs.contains("未联系 1"), "{theirs}");
    }
}

#[tokio::test]
async fn a_renamed_stage_reads_the_same_everywhere() {
    for store in testing::backends().await {
        let (app, li, _wang, id) = setup(&store).await;
        let admin = testing::admin(&store).await;
        let target = store.pipelines(&admin).await.unwrap()[0].stages[1].id;
        store
            .update_stage(
                testing::ctx(&admin),
                target,
                wharf_store::pipeline::StageEdit {
                    label_en: "First call".into(),
                    label_zh: "首次联系".into(),
                    probability: 10,
                    rotting_days: None,
                },
            )
            .await
            .unwrap();
        let (_, list) = call(&app, get("/customers?stage=target", &li, "en")).await;
        assert!(
            list.contains(r#"<option value="target" selected>First call</option>"#),
            "{list}"
        );
        let (_, page) = call(&app, get(&format!("/customers/{id}"), &li, "zh-CN")).await;
        assert!(
            page.contains(r#"<span id="stage-now">首次联系</span>"#),
            "{page}"
        );
        let (_, edit) = call(&app, get(&format!("/customers/{id}/edit"), &li, "en")).await;
        assert!(edit.contains("First call"), "{edit}");
    }
}

#[tokio::test]
async fn the_stage_bar_offers_only_the_moves_the_role_may_make() {
    use wharf_core::pipeline::{StageRights, StageRole};
    for store in testing::backends().await {
        let (app, li, _wang, id) = setup(&store).await;
        let admin = testing::admin(&store).await;
        let salesperson = store
            .list_roles(&admin)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.code.as_deref() == Some("salesperson"))
            .unwrap()
            .id;
        let rights = StageRights {
            may_promote: false,
            ..StageRights::preset(Some("salesperson"), StageRole::Target)
        };
        store
            .set_role_stage_rights(
                testing::ctx(&admin),
                salesperson,
                StageRole::Target,
                &rights,
            )
            .await
            .unwrap();
        let (_, page) = call(&app, get(&format!("/customers/{id}"), &li, "en")).await;
        assert!(page.contains(r#"<option value="reserve">"#), "{page}");
        assert!(!page.contains(r#"<option value="won">"#), "{page}");
        // The bar still shows every stage.
        assert!(page.contains("<span>Won</span>"), "{page}");
    }
}
