//! Tries every route of the route table with every preset role (and with no session) on
//! both databases, and checks the answer against the policy: a route the role may not
//! use answers 403, one it may use never answers 403 or 500.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use tower::ServiceExt;
use wharf_core::org::{DepartmentInput, StaffInput};
use wharf_core::permission::PRESET_ROLES;
use wharf_core::policy::{Access, Decision, allows};
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::{Ctx, Store, testing};
use wharf_web::{AppState, route_table, router};

const POLICY: SessionPolicy = SessionPolicy {
    idle_seconds: 3600,
    absolute_seconds: 7200,
};

struct Caller {
    label: String,
    actor: Option<wharf_core::Actor>,
    cookie: String,
    csrf: String,
}

async fn callers(store: &Store) -> Vec<Caller> {
    store
        .complete_setup("admin-password", "127.0.0.1")
        .await
        .unwrap();
    let admin_id = store.find_login("admin").await.unwrap().unwrap().id;
    let admin = store.load_actor(admin_id).await.unwrap().unwrap();
    let ctx = Ctx {
        actor: &admin,
        ip: "127.0.0.1",
    };
    let dept = store
        .create_department(
            ctx,
            DepartmentInput {
                name: "Sales".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let roles = store.list_roles(&admin).await.unwrap();
    let mut out = vec![Caller {
        label: "anonymous".into(),
        actor: None,
        cookie: String::new(),
        csrf: String::new(),
    }];
    for preset in PRESET_ROLES.iter() {
        let role = roles
            .iter()
            .find(|r| r.code.as_deref() == Some(preset.code))
            .unwrap();
        let username = format!("u_{}", preset.code);
        let input = StaffInput {
            username: username.clone(),
            name: username.clone(),
            role_id: Some(role.id),
            department_id: Some(dept),
            status: "active".into(),
            password: Some("initial-pass".into()),
            ..Default::default()
        };
        let id = store.create_staff(ctx, input).await.unwrap();
        // Clear "must change password" so the guard answers on permissions alone.
        store
            .cli_reset_password(&username, "chosen-pass-1")
            .await
            .unwrap();
        let session = store
            .create_session(id, "127.0.0.1", "test", POLICY)
            .await
            .unwrap();
        out.push(Caller {
            label: preset.code.into(),
            actor: store.load_actor(id).await.unwrap(),
            cookie: format!("wharf_session={}", session.token),
            csrf: session.csrf_token,
        });
    }
    out
}

fn concrete(path: &str) -> String {
    path.replace("{id}", "1")
        .replace("{code}", "en")
        .replace("{kind}", "position")
        .replace("{stage}", "target")
}

#[tokio::test]
async fn every_route_with_every_role() {
    for store in testing::backends().await {
        let callers = callers(&store).await;
        let state = AppState::new(store.clone(), POLICY, false, mail_env(&store))
            .await
            .unwrap();
        let app = router(state);
        let mut routes = route_table();
        // Signing out ends the caller's session: try it last.
        routes.sort_by_key(|r| r.path == "/logout");
        let mut checked = 0;
        for caller in &callers {
            for route in &routes {
                let path = concrete(route.path);
                let mut req = Request::builder().method(route.method.clone()).uri(&path);
                if !caller.cookie.is_empty() {
                    req = req.header(header::COOKIE, &caller.cookie);
                }
                let body = if route.method == Method::GET {
                    Body::empty()
                } else if path.starts_with("/api/") {
                    req = req
                        .header(header::CONTENT_TYPE, "application/json")
                        .header("x-csrf-token", &caller.csrf);
                    Body::from("{\"name\": \"From the permission test\"}")
                } else {
                    req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                    Body::from(format!("_csrf={}", caller.csrf))
                };
                let res = app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
                let status = res.status();
                let decision = allows(caller.actor.as_ref(), route.access);
                let what = format!("{} {} {} -> {}", caller.label, route.method, path, status);
                assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{what}");
                match decision {
                    Decision::Forbid => assert_eq!(status, StatusCode::FORBIDDEN, "{what}"),
                    Decision::SignInFirst => assert!(
                        status == StatusCode::SEE_OTHER || status == StatusCode::UNAUTHORIZED,
                        "{what}"
                    ),
                    Decision::Allow => assert_ne!(status, StatusCode::FORBIDDEN, "{what}"),
                }
                checked += 1;
            }
        }
        assert!(checked > 200, "checked {checked}");
        // The admin-only routes really are refused to a salesperson.
        let sales = callers.iter().find(|c| c.label == "salesperson").unwrap();
        assert!(
            route_table()
                .iter()
                .any(|r| matches!(r.access, Access::Needs(_))
                    && allows(sales.actor.as_ref(), r.access) == Decision::Forbid)
        );
    }
}

/// A throwaway blob folder and secret key for the mail pages.
fn mail_env(store: &wharf_store::Store) -> wharf_mailbox::Env {
    wharf_mailbox::testing::scratch_env(store.clone())
}

/// A salesperson sees her own mail accounts and no one else's, through the pages and
/// the API alike; the general manager sees every account.
#[tokio::test]
async fn mail_accounts_follow_the_data_scope() {
    for store in testing::backends().await {
        let callers = callers(&store).await;
        let env = mail_env(&store);
        let state = AppState::new(store.clone(), POLICY, false, env.clone())
            .await
            .unwrap();
        let app = router(state);
        let find = |code: &str| callers.iter().find(|c| c.label == code).unwrap();
        let (gm, sales) = (find("general_manager"), find("salesperson"));
        let admin_id = store.find_login("admin").await.unwrap().unwrap().id;
        let admin = store.load_actor(admin_id).await.unwrap().unwrap();
        let account = |address: &str, owner: i64| wharf_core::mail::account::AccountInput {
            address: address.into(),
            kind: "personal".into(),
            owner_id: Some(owner),
            in_protocol: "imap".into(),
            in_host: "127.0.0.1".into(),
            in_port: 1,
            in_security: "none".into(),
            in_password: "secret-password".into(),
            out_host: "127.0.0.1".into(),
            out_port: 1,
            out_security: "none".into(),
            sync_enabled: false,
            max_attachment_mb: 25,
            ..Default::default()
        };
        let ctx = Ctx {
            actor: &admin,
            ip: "127.0.0.1",
        };
        let hers = store
            .create_account(
                ctx,
                &env.vault,
                account("lucy@wharf.test", sales.actor.as_ref().unwrap().user_id),
            )
            .await
            .unwrap();
        let theirs = store
            .create_account(ctx, &env.vault, account("boss@wharf.test", admin_id))
            .await
            .unwrap();
        let get = |path: String, caller: &Caller| {
            let app = app.clone();
            let cookie = caller.cookie.clone();
            async move {
                let req = Request::builder()
                    .uri(&path)
                    .header(header::COOKIE, cookie)
                    .body(Body::empty())
                    .unwrap();
                let res = app.oneshot(req).await.unwrap();
                let status = res.status();
                let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
                    .await
                    .unwrap();
                (status, String::from_utf8_lossy(&bytes).to_string())
            }
        };
        let (status, list) = get("/api/v1/mail/accounts".into(), sales).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            list.contains("lucy@wharf.test") && !list.contains("boss@wharf.test"),
            "{list}"
        );
        assert!(
            !list.contains("secret-password") && !list.contains("v1:"),
            "no passwords in the API"
        );
        assert_eq!(
            get(format!("/api/v1/mail/accounts/{theirs}"), sales)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(format!("/mail/accounts/{theirs}"), sales).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(format!("/mail/accounts/{hers}"), sales).await.0,
            StatusCode::OK
        );
        let (_, page) = get("/mail/accounts".into(), sales).await;
        assert!(page.contains("lucy@wharf.test") && !page.contains("boss@wharf.test"));
        let (_, all) = get("/api/v1/mail/accounts".into(), gm).await;
        assert!(all.contains("lucy@wharf.test") && all.contains("boss@wharf.test"));

        // Mail in those accounts follows the same scope, in lists, pages and downloads.
        let mail = |account: i64, subject: &str| {
            let env = env.clone();
            let bytes = format!("From: buyer@example.com\r\nSubject: {subject}\r\n\r\nhello\r\n")
                .into_bytes();
            async move {
                let origin = wharf_mailbox::ingest::Origin {
                    account_id: account,
                    folder_role: "inbox".into(),
                    ..Default::default()
                };
                env.ingestor()
                    .ingest_raw(vec![(bytes, origin)], None)
                    .await
                    .unwrap()[0]
                    .id()
            }
        };
        let her_mail = mail(hers, "For Lucy").await;
        let boss_mail = mail(theirs, "For the boss only").await;
        let (_, list) = get("/mail?view=inbox".into(), sales).await;
        assert!(
            list.contains("For Lucy") && !list.contains("For the boss only"),
            "her list"
        );
        assert_eq!(
            get(format!("/mail?view=inbox&m={her_mail}"), sales).await.0,
            StatusCode::OK
        );
        for path in [
            format!("/mail?view=inbox&m={boss_mail}"),
            format!("/mail/m/{boss_mail}/eml"),
            format!("/mail/m/{boss_mail}/source"),
        ] {
            assert_eq!(
                get(path.clone(), sales).await.0,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let (_, boss_view) = get(format!("/mail?view=inbox&m={boss_mail}"), gm).await;
        assert!(
            boss_view.contains("For the boss only"),
            "the general manager reads it"
        );
        handover_comments_and_follow_up(&app, sales, gm, boss_mail, her_mail).await;
    }
}

async fn send_req(
    app: &axum::Router,
    method: Method,
    path: &str,
    caller: &Caller,
    body: String,
) -> (StatusCode, String) {
    let mut req = Request::builder()
        .method(method.clone())
        .uri(path)
        .header(header::COOKIE, &caller.cookie);
    let body = if method == Method::POST {
        req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        Body::from(format!("_csrf={}&{body}", caller.csrf))
    } else {
        Body::empty()
    };
    let res = app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).to_string())
}

/// Hand-over (MAIL-8): the manager hands the boss's mail to Lucy with a note; now she
/// can read it, sees it under "Handed to me", and comments on it; then follow-up tracking.
async fn handover_comments_and_follow_up(
    app: &axum::Router,
    sales: &Caller,
    gm: &Caller,
    boss_mail: i64,
    her_mail: i64,
) {
    let lucy_id = sales.actor.as_ref().unwrap().user_id;
    let post = |path: String, caller: &Caller, body: String| {
        let app = app.clone();
        let caller = Caller {
            label: caller.label.clone(),
            actor: caller.actor.clone(),
            cookie: caller.cookie.clone(),
            csrf: caller.csrf.clone(),
        };
        async move { send_req(&app, Method::POST, &path, &caller, body).await.0 }
    };
    let get = |path: String, caller: &Caller| {
        let app = app.clone();
        let caller = Caller {
            label: caller.label.clone(),
            actor: caller.actor.clone(),
            cookie: caller.cookie.clone(),
            csrf: caller.csrf.clone(),
        };
        async move { send_req(&app, Method::GET, &path, &caller, String::new()).await }
    };
    assert_eq!(
        post(
            format!("/mail/m/{boss_mail}/handover"),
            sales,
            format!("to_user={lucy_id}&note=x")
        )
        .await,
        StatusCode::NOT_FOUND,
        "she cannot hand over what she cannot read"
    );
    assert_eq!(
        post(
            format!("/mail/m/{boss_mail}/handover"),
            gm,
            format!("to_user={lucy_id}&note=Please+answer+him")
        )
        .await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        get(format!("/mail?view=inbox&m={boss_mail}"), sales)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        get(format!("/mail/m/{boss_mail}/eml"), sales).await.0,
        StatusCode::OK
    );
    let (_, handed) = get("/mail?view=handed".into(), sales).await;
    assert!(
        handed.contains("For the boss only"),
        "listed under Handed to me"
    );
    assert_eq!(
        post(
            format!("/mail/m/{boss_mail}/comment"),
            sales,
            "comment=Answered+by+phone".into()
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let (_, history) = get(format!("/mail?view=inbox&m={boss_mail}"), gm).await;
    assert!(
        history.contains("Please answer him") && history.contains("Answered by phone"),
        "both see the history"
    );
    handed_mail_is_read_only(app, sales, gm, boss_mail).await;
    // Follow-up tracking: a date in the past is due now and listed, then cleared.
    assert_eq!(
        post(
            format!("/mail/m/{her_mail}/follow-up"),
            sales,
            "follow_up_at=2026-01-05&follow_up_note=Send+samples".into()
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let (_, follow) = get("/mail?view=followup".into(), sales).await;
    assert!(
        follow.contains("For Lucy") && follow.contains("id=\"count-followup\">1<"),
        "due follow-up listed"
    );
    assert_eq!(
        post(
            format!("/mail/m/{her_mail}/follow-up"),
            sales,
            "clear=1".into()
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let (_, follow) = get("/mail?view=followup".into(), sales).await;
    assert!(!follow.contains("For Lucy"), "cleared");

    // Deleting (MAIL-7): Trash and back for her; for good only with the permission,
    // only from Trash, and then it is gone.
    assert_eq!(
        post(format!("/mail/m/{her_mail}/trash"), sales, "value=1".into()).await,
        StatusCode::SEE_OTHER
    );
    let (_, trash) = get("/mail?view=trash".into(), sales).await;
    assert!(trash.contains("For Lucy"));
    assert_eq!(
        post(format!("/mail/m/{her_mail}/purge"), sales, String::new()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(format!("/mail/m/{her_mail}/trash"), sales, "value=0".into()).await,
        StatusCode::SEE_OTHER
    );
    let (_, inbox) = get("/mail?view=inbox".into(), sales).await;
    assert!(inbox.contains("For Lucy"), "restored");
    assert_eq!(
        post(
            format!("/mail/m/{boss_mail}/purge"),
            gm,
            "confirmed=1".into()
        )
        .await,
        StatusCode::CONFLICT,
        "not in Trash"
    );
    assert_eq!(
        post(format!("/mail/m/{boss_mail}/trash"), gm, "value=1".into()).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post(
            format!("/mail/m/{boss_mail}/purge"),
            gm,
            "confirmed=1".into()
        )
        .await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        get(format!("/mail?view=inbox&m={boss_mail}"), gm).await.0,
        StatusCode::NOT_FOUND,
        "gone"
    );
    let (_, audit) = get("/system/audit".into(), gm).await;
    assert!(
        audit.contains("mail.delete_permanently") || audit.contains("For the boss only"),
        "in the audit log"
    );
}

/// A hand-over gives its receiver read + comment + reply, nothing else: every other
/// action on the owner's mail is refused (403) and changes nothing, and she cannot hand
/// it on, so nobody else gets to read it through her.
async fn handed_mail_is_read_only(app: &axum::Router, lucy: &Caller, gm: &Caller, mail: i64) {
    let service_id = app_user_id(app, gm, "u_service").await;
    for (action, body) in [
        ("seen", "value=0".to_string()),
        ("flag", "value=1".into()),
        ("dismiss", "value=1".into()),
        ("trash", "value=1".into()),
        ("tag", "name=Hijacked".into()),
        ("untag", "tag_id=1".into()),
        ("type", "value=".into()),
        ("move", "folder=home".into()),
        ("copy", "folder=1".into()),
        (
            "follow-up",
            "follow_up_at=2026-01-05&follow_up_note=x".into(),
        ),
        ("handover", format!("to_user={service_id}&note=Over+to+you")),
    ] {
        let (status, _) = send_req(
            app,
            Method::POST,
            &format!("/mail/m/{mail}/{action}"),
            lucy,
            body,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{action} on a handed mail");
    }
    let (_, owner_view) = send_req(
        app,
        Method::GET,
        &format!("/mail?view=inbox&m={mail}"),
        gm,
        String::new(),
    )
    .await;
    assert!(
        owner_view.contains("For the boss only")
            && !owner_view.contains("Hijacked")
            && !owner_view.contains("Over to you"),
        "still in the owner's inbox, untagged, not handed on"
    );
    // The boss's account is not the general manager's own: she sees it in the team view.
    let (_, inbox) = send_req(
        app,
        Method::GET,
        "/mail?view=inbox&scope=team",
        gm,
        String::new(),
    )
    .await;
    assert!(inbox.contains("For the boss only"), "not trashed");
}

/// The id of a user by username, as the general manager sees the staff list.
async fn app_user_id(app: &axum::Router, gm: &Caller, username: &str) -> i64 {
    let (status, body) = send_req(app, Method::GET, "/api/v1/staff", gm, String::new()).await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let items = v
        .get("items")
        .and_then(|i| i.as_array())
        .cloned()
        .or_else(|| v.as_array().cloned())
        .unwrap();
    items
        .iter()
        .find(|u| u["username"] == username)
        .and_then(|u| u["id"].as_i64())
        .unwrap()
}

/// Exports need the `export` permission (CUST-6), for every role, through the list's
/// download, the API and the bulk "export ticked rows"; each one allowed is audited
/// with who, which query and how many rows.
#[tokio::test]
async fn exports_need_the_export_permission_for_every_role() {
    for store in testing::backends().await {
        let callers = callers(&store).await;
        let state = AppState::new(store.clone(), POLICY, false, mail_env(&store))
            .await
            .unwrap();
        let app = router(state);
        let admin_id = store.find_login("admin").await.unwrap().unwrap().id;
        let admin = store.load_actor(admin_id).await.unwrap().unwrap();
        let ctx = Ctx {
            actor: &admin,
            ip: "127.0.0.1",
        };
        let id = store
            .create_customer(
                ctx,
                wharf_core::customers::CustomerInput {
                    name: "Export Test Trading".into(),
                    ..Default::default()
                },
                &[admin_id],
            )
            .await
            .unwrap();
        for caller in callers.iter().filter(|c| c.actor.is_some()) {
            let actor = caller.actor.as_ref().unwrap();
            let may = actor.has(wharf_core::Permission::Export)
                && actor.has(wharf_core::Permission::Customers);
            for (method, path, body) in [
                (Method::GET, "/customers/export?format=csv", String::new()),
                (
                    Method::GET,
                    "/api/v1/customers/export?format=xlsx",
                    String::new(),
                ),
                (
                    Method::POST,
                    "/customers/bulk",
                    format!("action=export_csv&ids={id}"),
                ),
            ] {
                let (status, text) = send_req(&app, method.clone(), path, caller, body).await;
                let what = format!("{} {method} {path} -> {status}", caller.label);
                if may {
                    assert_eq!(status, StatusCode::OK, "{what}");
                    if path.contains("csv") && caller.label == "general_manager" {
                        assert!(text.contains("Export Test Trading"), "{what}: {text}");
                    }
                } else {
                    assert_eq!(status, StatusCode::FORBIDDEN, "{what}");
                }
            }
        }
        // Three exports each by the general manager and the department manager (who
        // sees no row of the admin's), none by anyone else.
        let audit = store
            .search_audit(
                &admin,
                &wharf_store::audit::AuditFilter {
                    action: "customer.export".into(),
                    per_page: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(audit.total, 6, "{:?}", audit.items);
        let gm = audit
            .items
            .iter()
            .filter(|e| e.username == "u_general_manager")
            .count();
        assert_eq!(gm, 3);
        assert!(
            audit
                .items
                .iter()
                .any(|e| e.summary == "1 rows" && e.details.contains("ticked"))
        );
    }
}
