//! Store tests: each runs on SQLite and, under scripts/test, on PostgreSQL too.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::dict::{DictItemInput, DictKind};
use wharf_core::org::{DepartmentInput, RoleInput, StaffInput};
use wharf_core::{Actor, DataScope, DomainError, Permission};
use wharf_store::audit::AuditFilter;
use wharf_store::auth::sessions::SessionPolicy;
use wharf_store::testing::{admin, ctx};
use wharf_store::{Backend, Store, StoreError, testing};

async fn role_id(store: &Store, actor: &Actor, code: &str) -> i64 {
    store
        .list_roles(actor)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code.as_deref() == Some(code))
        .unwrap()
        .id
}

fn staff(username: &str, role_id: i64, department_id: Option<i64>) -> StaffInput {
    StaffInput {
        username: username.into(),
        name: format!("Staff {username}"),
        role_id: Some(role_id),
        department_id,
        status: "active".into(),
        password: Some("welcome-123".into()),
        ..Default::default()
    }
}

fn refused(err: StoreError) -> (&'static str, i64) {
    match err {
        StoreError::Domain(DomainError::Refused { code, count }) => (code, count),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn field_code(err: StoreError, field: &str) -> &'static str {
    match err {
        StoreError::Domain(DomainError::Invalid(e)) => e
            .get(field)
            .unwrap_or_else(|| panic!("no error on {field}: {e:?}")),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[tokio::test]
async fn first_start_needs_the_admin_password_once() {
    for store in testing::backends().await {
        assert!(store.needs_setup().await.unwrap());
        let login = store.find_login("admin").await.unwrap().unwrap();
        assert!(login.password_hash.is_none(), "no default password");
        assert_eq!(
            field_code(
                store.complete_setup("short", "::1").await.unwrap_err(),
                "password"
            ),
            "password_too_short"
        );
        store
            .complete_setup("a-good-password", "::1")
            .await
            .unwrap();
        assert!(!store.needs_setup().await.unwrap());
        let again = store
            .complete_setup("another-password", "::1")
            .await
            .unwrap_err();
        assert_eq!(refused(again).0, "setup_already_done");
        let login = store.find_login("ADMIN").await.unwrap().unwrap();
        assert!(wharf_core::password::verify(
            "a-good-password",
            &login.password_hash.unwrap()
        ));
    }
}

#[tokio::test]
async fn seeded_base_data() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let roles = store.list_roles(&a).await.unwrap();
        let codes: Vec<_> = roles.iter().filter_map(|r| r.code.clone()).collect();
        assert_eq!(
            codes,
            [
                "general_manager",
                "department_manager",
                "operator",
                "salesperson",
                "service"
            ]
        );
        let countries = store.list_dict(&a, DictKind::Country).await.unwrap();
        assert!(
            countries.len() > 200,
            "countries preloaded: {}",
            countries.len()
        );
        let de = countries.iter().find(|c| c.code == "DE").unwrap();
        assert_eq!(
            (de.name_en.as_str(), de.name_zh.as_str()),
            ("Germany", "德国")
        );
        assert_eq!(countries[0].code, "CN", "China sorts first");
        assert!(a.has(Permission::SystemAdmin));
        assert_eq!(a.scope, DataScope::All);
    }
}

#[tokio::test]
async fn staff_departments_and_their_refusals() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let sales = store
            .create_department(
                ctx(&a),
                DepartmentInput {
                    name: "外贸一部".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let team = store
            .create_department(
                ctx(&a),
                DepartmentInput {
                    name: "Team A".into(),
                    parent_id: Some(sales),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        // A department cannot move below its own child.
        let cycle = store
            .update_department(
                ctx(&a),
                sales,
                DepartmentInput {
                    name: "外贸一部".into(),
                    parent_id: Some(team),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(field_code(cycle, "parent_id"), "department_cycle");

        let sp = role_id(&store, &a, "salesperson").await;
        let li = store
            .create_staff(ctx(&a), staff("li.lei", sp, Some(team)))
            .await
            .unwrap();
        let dup = store
            .create_staff(ctx(&a), staff("Li.Lei", sp, None))
            .await
            .unwrap_err();
        assert_eq!(field_code(dup, "username"), "duplicate_username");

        assert_eq!(
            refused(store.delete_department(ctx(&a), team).await.unwrap_err()),
            ("department_has_staff", 1)
        );
        assert_eq!(
            refused(store.delete_department(ctx(&a), sales).await.unwrap_err()),
            ("department_has_children", 1)
        );
        assert_eq!(
            refused(store.delete_role(ctx(&a), sp).await.unwrap_err()),
            ("role_in_use", 1)
        );

        // The salesperson may not administer anything.
        let li_actor = store.load_actor(li).await.unwrap().unwrap();
        assert_eq!(li_actor.department_tree, [team]);
        let denied = store
            .create_department(
                ctx(&li_actor),
                DepartmentInput {
                    name: "Mine".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(denied, StoreError::Domain(DomainError::Denied)));
        assert!(
            store
                .list_staff(&li_actor, &Default::default())
                .await
                .is_err()
        );
        assert!(store.get_staff(&li_actor, a.user_id).await.is_err());
        assert_eq!(
            store.get_staff(&li_actor, li).await.unwrap().username,
            "li.lei"
        );

        // A department manager of the parent sees the whole subtree.
        let dm = role_id(&store, &a, "department_manager").await;
        let boss = store
            .create_staff(ctx(&a), staff("boss", dm, Some(sales)))
            .await
            .unwrap();
        let boss = store.load_actor(boss).await.unwrap().unwrap();
        assert!(boss.can_see_owned(li, Some(team)));

        // Someone who has left cannot sign in any more.
        let mut left = staff("li.lei", sp, Some(team));
        left.status = "left".into();
        store.update_staff(ctx(&a), li, left).await.unwrap();
        assert!(store.load_actor(li).await.unwrap().is_none());
        assert!(!store.find_login("li.lei").await.unwrap().unwrap().active);
    }
}

#[tokio::test]
async fn builtin_admin_cannot_lose_its_powers() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let gm = role_id(&store, &a, "general_manager").await;
        let role = store.get_role(&a, gm).await.unwrap();
        let stripped = RoleInput {
            name_zh: role.name_zh.clone(),
            name_en: role.name_en.clone(),
            description: String::new(),
            permissions: vec![Permission::Reports],
            scope: DataScope::Own,
            daily_claim_quota: 20,
        };
        store.update_role(ctx(&a), gm, stripped).await.unwrap();
        let a = store.load_actor(a.user_id).await.unwrap().unwrap();
        assert!(a.has(Permission::SystemAdmin));
        assert_eq!(a.scope, DataScope::All);
        let mut me = staff("admin", role_id(&store, &a, "salesperson").await, None);
        me.status = "left".into();
        store.update_staff(ctx(&a), a.user_id, me).await.unwrap();
        let a = store
            .load_actor(a.user_id)
            .await
            .unwrap()
            .expect("admin still active");
        assert!(a.has(Permission::SystemAdmin));
    }
}

#[tokio::test]
async fn dictionary_items_in_use_are_kept() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let positions = store.list_dict(&a, DictKind::Position).await.unwrap();
        let pos = positions[3].id;
        let mut s = staff("wang", role_id(&store, &a, "salesperson").await, None);
        s.position_id = Some(pos);
        store.create_staff(ctx(&a), s).await.unwrap();
        assert_eq!(
            refused(
                store
                    .delete_dict_item(ctx(&a), DictKind::Position, pos)
                    .await
                    .unwrap_err()
            ),
            ("item_in_use", 1)
        );

        let id = store
            .create_dict_item(
                ctx(&a),
                DictKind::CustomerSource,
                DictItemInput {
                    name_zh: "广交会".into(),
                    name_en: "Canton Fair".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let dup = store
            .create_dict_item(
                ctx(&a),
                DictKind::CustomerSource,
                DictItemInput {
                    name_en: "canton fair".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(field_code(dup, "name_en"), "duplicate_name");
        store
            .delete_dict_item(ctx(&a), DictKind::CustomerSource, id)
            .await
            .unwrap();
        assert!(
            store
                .get_dict_item(&a, DictKind::CustomerSource, id)
                .await
                .is_err()
        );
    }
}

#[tokio::test]
async fn settings_announcements_and_the_audit_log() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let s = store
            .update_settings(
                ctx(&a),
                &[
                    ("company_name".into(), "宁波远洋".into()),
                    ("work_start".into(), "08:30".into()),
                ],
            )
            .await
            .unwrap();
        assert_eq!(s.company_name, "宁波远洋");
        assert_eq!(
            store.company_settings(&a).await.unwrap().work_start,
            "08:30"
        );
        let bad = store
            .update_settings(ctx(&a), &[("work_end".into(), "7pm".into())])
            .await
            .unwrap_err();
        assert_eq!(field_code(bad, "work_end"), "invalid_time");

        let id = store
            .create_announcement(
                ctx(&a),
                wharf_store::system::announcements::AnnouncementInput {
                    title: "国庆放假通知".into(),
                    body: "10月1日至7日".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let sp = role_id(&store, &a, "salesperson").await;
        let li = store
            .create_staff(ctx(&a), staff("li", sp, None))
            .await
            .unwrap();
        let li = store.load_actor(li).await.unwrap().unwrap();
        let seen = store.list_announcements(&li, false).await.unwrap();
        assert_eq!(seen[0].id, id);
        assert!(store.delete_announcement(ctx(&li), id).await.is_err());
        assert!(
            store
                .search_audit(&li, &AuditFilter::default())
                .await
                .is_err()
        );

        let page = store
            .search_audit(
                &a,
                &AuditFilter {
                    q: "远洋".into(),
                    per_page: 50,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.items[0].action, "settings.update");
        let creates = store
            .search_audit(
                &a,
                &AuditFilter {
                    action: "staff.".into(),
                    per_page: 50,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(creates.total, 1);
        assert_eq!(creates.items[0].username, "admin");
        assert_eq!(creates.items[0].ip, "127.0.0.1");
    }
}

#[tokio::test]
async fn sessions_tokens_and_login_limits() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let policy = SessionPolicy {
            idle_seconds: 3600,
            absolute_seconds: 7200,
        };
        let s = store
            .create_session(a.user_id, "127.0.0.1", "test", policy)
            .await
            .unwrap();
        let live = store
            .touch_session(&s.token, policy)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(live.user_id, a.user_id);
        assert_eq!(live.csrf_token, s.csrf_token);
        store.delete_session(&s.token).await.unwrap();
        assert!(
            store
                .touch_session(&s.token, policy)
                .await
                .unwrap()
                .is_none()
        );
        let expired = store
            .create_session(
                a.user_id,
                "",
                "",
                SessionPolicy {
                    idle_seconds: -1,
                    absolute_seconds: 10,
                },
            )
            .await
            .unwrap();
        assert!(
            store
                .touch_session(&expired.token, policy)
                .await
                .unwrap()
                .is_none()
        );

        let (tid, secret) = store.create_token(ctx(&a), "CI script").await.unwrap();
        assert_eq!(
            store.user_for_token(&secret).await.unwrap(),
            Some(a.user_id)
        );
        assert_eq!(store.user_for_token("wharf_nonsense").await.unwrap(), None);
        store.revoke_token(ctx(&a), tid).await.unwrap();
        assert_eq!(store.user_for_token(&secret).await.unwrap(), None);

        for _ in 0..wharf_store::auth::login_guard::MAX_FAILURES_PER_USER {
            assert!(
                store
                    .login_locked_for("admin", "10.0.0.1")
                    .await
                    .unwrap()
                    .is_none()
            );
            store
                .record_login("admin", "10.0.0.1", None, false)
                .await
                .unwrap();
        }
        // That address is locked for this name; another is only slowed down.
        let wait = store
            .login_locked_for("Admin", "10.0.0.1")
            .await
            .unwrap()
            .expect("locked");
        assert!(wait > 60 && wait <= wharf_store::auth::login_guard::WINDOW_SECONDS);
        let elsewhere = store
            .login_locked_for("Admin", "10.0.0.2")
            .await
            .unwrap()
            .unwrap_or(0);
        assert!(elsewhere <= 1, "{elsewhere}");
        store
            .cli_reset_password("admin", "brand-new-pass")
            .await
            .unwrap();
        assert!(
            store
                .login_locked_for("admin", "10.0.0.1")
                .await
                .unwrap()
                .is_none(),
            "CLI reset unlocks"
        );
    }
}

/// Both backends must end at the same schema: the same tables with the same columns.
#[tokio::test]
async fn both_backends_have_the_same_schema() {
    let sqlite = testing::sqlite().await;
    let Some(pg) = testing::postgres().await else {
        return;
    };
    assert_eq!(sqlite.backend(), Backend::Sqlite);
    assert_eq!(pg.backend(), Backend::Postgres);
    let a = sqlite.schema_columns().await.unwrap();
    let b = pg.schema_columns().await.unwrap();
    assert!(a.len() > 50);
    assert_eq!(a, b);
}

/// Jobs are leased: a held job is not handed out twice, an expired lease is taken over,
/// and finishing reschedules or removes the job (CONVENTIONS §9).
#[tokio::test]
async fn jobs_are_leased_once() {
    for store in testing::backends().await {
        assert!(store.enqueue_job("sync", "7", "", 0).await.unwrap());
        assert!(
            !store.enqueue_job("sync", "7", "", 0).await.unwrap(),
            "one job per key"
        );
        let a = store
            .claim_job("node-a", &["sync"], 60)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (a.kind.as_str(), a.unique_key.as_str(), a.attempts),
            ("sync", "7", 1)
        );
        assert!(
            store
                .claim_job("node-b", &["sync"], 60)
                .await
                .unwrap()
                .is_none(),
            "held by a"
        );
        assert!(
            store
                .claim_job("node-b", &["send"], 60)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            !store.renew_job(a.id, "node-b", 60).await.unwrap(),
            "only the holder renews"
        );
        assert!(store.renew_job(a.id, "node-a", -1).await.unwrap());
        // a's lease ran out (a died): b takes the job over.
        let b = store
            .claim_job("node-b", &["sync"], 60)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((b.id, b.attempts), (a.id, 2));
        store.finish_job(a.id, "node-a", Some(0), "").await.unwrap();
        assert!(
            store
                .claim_job("node-c", &["sync"], 60)
                .await
                .unwrap()
                .is_none(),
            "a's finish does nothing"
        );
        store.finish_job(b.id, "node-b", Some(0), "").await.unwrap();
        let c = store
            .claim_job("node-c", &["sync"], 60)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(c.attempts, 1, "a clean finish resets the attempts");
        store.finish_job(c.id, "node-c", None, "").await.unwrap();
        assert!(
            store
                .claim_job("node-c", &["sync"], 60)
                .await
                .unwrap()
                .is_none(),
            "removed"
        );
        // "Run now" makes a future job due.
        store
            .enqueue_job("sync", "8", "", i64::MAX / 2)
            .await
            .unwrap();
        assert!(store.claim_job("n", &["sync"], 60).await.unwrap().is_none());
        store.run_job_now("sync", "8").await.unwrap();
        assert!(store.claim_job("n", &["sync"], 60).await.unwrap().is_some());
    }
}
