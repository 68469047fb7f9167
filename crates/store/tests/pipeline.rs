//! The sales path on SQLite and PostgreSQL: the seeded pipeline, promote / demote with
//! seed 003's rules (logged, demote into reserve releases), flags, per-stage field and
//! move rights as role settings, and nothing half-written when a move is refused.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::customers::CustomerInput;
use wharf_core::pipeline::{EditRight, StageRights, StageRole};
use wharf_core::{Actor, DomainError};
use wharf_store::testing::{admin, ctx};
use wharf_store::{Store, StoreError, testing};

fn code(e: StoreError) -> String {
    match e {
        StoreError::Domain(DomainError::Invalid(f)) => f.0[0].code.to_string(),
        StoreError::Domain(DomainError::Refused { code, .. }) => code.to_string(),
        StoreError::Domain(d) => d.code().to_string(),
        other => panic!("{other:?}"),
    }
}

async fn customer_in(store: &Store, by: &Actor, name: &str, stage: &str) -> i64 {
    store
        .create_customer(
            ctx(by),
            CustomerInput {
                name: name.into(),
                stage: stage.into(),
                ..Default::default()
            },
            &[by.user_id],
        )
        .await
        .unwrap()
}

async fn role_id(store: &Store, a: &Actor, code: &str) -> i64 {
    store
        .list_roles(a)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code.as_deref() == Some(code))
        .unwrap()
        .id
}

#[tokio::test]
async fn the_default_pipeline_has_seed_003s_five_stages() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let pipelines = store.pipelines(&a).await.unwrap();
        assert_eq!(pipelines.len(), 1);
        assert!(pipelines[0].is_default);
        let keys: Vec<&str> = pipelines[0].stages.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            ["reserve", "target", "prospect", "opportunity", "won"]
        );
        assert_eq!(pipelines[0].stages[4].probability, 100);
        assert_eq!(pipelines[0].stages[1].label_zh, "目标客户");
        customer_in(&store, &a, "Counted Co", "target").await;
        let counted = store.pipelines_with_counts(&a).await.unwrap();
        assert_eq!(counted[0].stages[1].customers, 1);
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        assert!(store.pipelines_with_counts(&li).await.is_err());
    }
}

#[tokio::test]
async fn a_target_goes_straight_to_won_and_the_move_is_logged() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let id = customer_in(&store, &li, "Acme Valves", "target").await;
        store
            .change_stage(ctx(&li), id, "won", "signed the PI")
            .await
            .unwrap();
        let s = store.customer_stage(&li, id).await.unwrap();
        assert_eq!(s.stage.key, "won");
        assert_eq!(s.flag, "tracking");
        let log = store.customer_stage_log(&li, id).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(
            (log[0].from.as_str(), log[0].to.as_str()),
            ("target", "won")
        );
        assert_eq!(log[0].reason, "signed the PI");
        assert_eq!(log[0].user, "Staff li");
    }
}

#[tokio::test]
async fn demoting_to_reserve_shares_the_customer() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let id = customer_in(&store, &li, "Bolt GmbH", "prospect").await;
        let effect = store
            .change_stage(ctx(&li), id, "reserve", "")
            .await
            .unwrap();
        assert!(effect.release);
        let c = store.get_customer(&li, id).await.unwrap().customer;
        assert_eq!(c.sharing, "shared");
        assert!(c.owners.is_empty());
        assert_eq!(c.stage, "reserve");
        let owners = store.customer_owner_log(&li, id).await.unwrap();
        assert_eq!(owners[0].action, "release");
    }
}

#[tokio::test]
async fn a_move_the_rules_forbid_is_refused() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let id = customer_in(&store, &li, "Crane SA", "target").await;
        let same = store.change_stage(ctx(&li), id, "target", "").await;
        assert_eq!(code(same.unwrap_err()), "stage_unchanged");
        let unknown = store.change_stage(ctx(&li), id, "heaven", "").await;
        assert_eq!(code(unknown.unwrap_err()), "invalid_choice");
        let long = store
            .change_stage(ctx(&li), id, "won", &"x".repeat(501))
            .await;
        assert_eq!(code(long.unwrap_err()), "too_long");
        assert!(store.customer_stage_log(&li, id).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn no_one_moves_a_colleagues_customer() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let wang = testing::staff(&store, &a, "wang", "salesperson", None).await;
        let id = customer_in(&store, &li, "Delta Co", "target").await;
        assert!(store.change_stage(ctx(&wang), id, "won", "").await.is_err());
        assert!(
            store
                .set_stage_flag(ctx(&wang), id, "contacted", "")
                .await
                .is_err()
        );
        assert_eq!(
            store.customer_stage(&li, id).await.unwrap().stage.key,
            "target"
        );
    }
}

#[tokio::test]
async fn flags_belong_to_their_stage_and_are_logged() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let id = customer_in(&store, &li, "Echo Ltd", "reserve").await;
        assert_eq!(
            store.customer_stage(&li, id).await.unwrap().flag,
            "not_contacted"
        );
        let wrong = store.set_stage_flag(ctx(&li), id, "paused", "").await;
        assert_eq!(code(wrong.unwrap_err()), "invalid_choice");
        store
            .set_stage_flag(ctx(&li), id, "contacted", "called")
            .await
            .unwrap();
        assert_eq!(
            store.customer_stage(&li, id).await.unwrap().flag,
            "contacted"
        );
        let log = store.customer_stage_log(&li, id).await.unwrap();
        assert_eq!(log[0].kind, "flag");
        assert_eq!(log[0].to, "contacted");
    }
}

#[tokio::test]
async fn a_salesperson_edits_only_the_seeds_fields_of_the_stage() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let id = customer_in(&store, &li, "Fox Trading", "prospect").await;
        let mut input = store
            .get_customer(&li, id)
            .await
            .unwrap()
            .customer
            .to_input();
        input.name = "Fox Trading Renamed".into();
        let locked = store.update_customer(ctx(&li), id, input.clone()).await;
        assert_eq!(code(locked.unwrap_err()), "stage_field_locked");
        assert_eq!(
            store.get_customer(&li, id).await.unwrap().customer.name,
            "Fox Trading"
        );
        // The work itself (tags, revisit, the stage) stays open.
        input.name = "Fox Trading".into();
        input.tags = "fair 2026".into();
        store.update_customer(ctx(&li), id, input).await.unwrap();
        // A manager's role edits everything.
        let mut input = store
            .get_customer(&a, id)
            .await
            .unwrap()
            .customer
            .to_input();
        input.name = "Fox Trading Co".into();
        store.update_customer(ctx(&a), id, input).await.unwrap();
    }
}

#[tokio::test]
async fn a_stage_changed_on_the_form_is_a_move_under_the_same_rules() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let id = customer_in(&store, &li, "Golf Parts", "target").await;
        let salesperson = role_id(&store, &a, "salesperson").await;
        let mut rights = StageRights::preset(Some("salesperson"), StageRole::Target);
        rights.may_promote = false;
        store
            .set_role_stage_rights(ctx(&a), salesperson, StageRole::Target, &rights)
            .await
            .unwrap();
        let mut input = store
            .get_customer(&li, id)
            .await
            .unwrap()
            .customer
            .to_input();
        input.stage = "prospect".into();
        let refused = store.update_customer(ctx(&li), id, input.clone()).await;
        assert_eq!(code(refused.unwrap_err()), "stage_promote_denied");
        assert_eq!(
            store.customer_stage(&li, id).await.unwrap().stage.key,
            "target"
        );
        // Demoting is still allowed, and logged like any move.
        input.stage = "reserve".into();
        store.update_customer(ctx(&li), id, input).await.unwrap();
        let log = store.customer_stage_log(&a, id).await.unwrap();
        assert_eq!(log[0].to, "reserve");
        assert_eq!(
            store.get_customer(&a, id).await.unwrap().customer.sharing,
            "shared"
        );
    }
}

#[tokio::test]
async fn rights_are_role_settings_with_the_seed_as_default() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let salesperson = role_id(&store, &a, "salesperson").await;
        let rights = store.role_stage_rights(&a, salesperson).await.unwrap();
        assert_eq!(rights.len(), 5);
        assert_eq!(
            rights[2].1.edit,
            EditRight::Fields(vec![]),
            "prospect: 不修改"
        );
        let open = StageRights {
            edit: EditRight::All,
            may_claim: false,
            may_promote: true,
            may_demote: true,
            hold_quota: Some(40),
        };
        store
            .set_role_stage_rights(ctx(&a), salesperson, StageRole::Prospect, &open)
            .await
            .unwrap();
        let rights = store.role_stage_rights(&a, salesperson).await.unwrap();
        assert_eq!(rights[2].1, open);
        let bad = StageRights {
            edit: EditRight::Fields(vec!["password".into()]),
            ..open
        };
        let refused = store
            .set_role_stage_rights(ctx(&a), salesperson, StageRole::Prospect, &bad)
            .await;
        assert_eq!(code(refused.unwrap_err()), "invalid_choice");
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        assert!(store.role_stage_rights(&li, salesperson).await.is_err());
    }
}

#[tokio::test]
async fn a_claim_needs_the_stages_claim_right() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let pool = store
            .create_customer(
                ctx(&li),
                CustomerInput {
                    name: "Hotel Pool".into(),
                    stage: "prospect".into(),
                    ..Default::default()
                },
                &[],
            )
            .await
            .unwrap();
        let salesperson = role_id(&store, &a, "salesperson").await;
        let mut rights = StageRights::preset(Some("salesperson"), StageRole::Prospect);
        rights.may_claim = false;
        store
            .set_role_stage_rights(ctx(&a), salesperson, StageRole::Prospect, &rights)
            .await
            .unwrap();
        let refused = store.claim_customer(ctx(&li), pool).await;
        assert_eq!(code(refused.unwrap_err()), "stage_claim_denied");
        assert_eq!(
            store
                .get_customer(&li, pool)
                .await
                .unwrap()
                .customer
                .sharing,
            "shared"
        );
    }
}

#[tokio::test]
async fn reserve_filters_find_customers_like_the_teams_winners() {
    use wharf_store::customers::{CustomerQuery, Quick};
    use wharf_store::pipeline::{LikeWinners, PathFilter};
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let wang = testing::staff(&store, &a, "wang", "salesperson", None).await;
        let city = |name: &str, city: &str, stage: &str| CustomerInput {
            name: name.into(),
            city: city.into(),
            stage: stage.into(),
            ..Default::default()
        };
        for (c, by) in [
            (city("Won In Ningbo", "Ningbo", "won"), &li),
            (city("Chance In Porto", "Porto", "opportunity"), &li),
            (city("Wangs Win In Lyon", "Lyon", "won"), &wang),
            (city("Prospect In Oslo", "Oslo", "prospect"), &li),
        ] {
            store
                .create_customer(ctx(by), c, &[by.user_id])
                .await
                .unwrap();
        }
        for c in [
            city("Reserve Ningbo", "ningbo", "reserve"),
            city("Reserve Porto", "Porto", "reserve"),
            city("Reserve Lyon", "Lyon", "reserve"),
            city("Reserve Oslo", "Oslo", "reserve"),
        ] {
            store.create_customer(ctx(&li), c, &[]).await.unwrap();
        }
        let q = CustomerQuery {
            quick: Quick::Pool,
            stage: Some("reserve".into()),
            path: PathFilter {
                like_winners: Some(LikeWinners::City),
                ..Default::default()
            },
            per_page: 100,
            ..Default::default()
        };
        let mut names: Vec<String> = store
            .list_customers(&li, &q)
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|c| c.name.clone())
            .collect();
        names.sort();
        // Li's team is Li (own scope): Wang's win in Lyon is not hers; Oslo is no win.
        assert_eq!(names, ["Reserve Ningbo", "Reserve Porto"]);
        let everyone = store.list_customers(&a, &q).await.unwrap();
        assert_eq!(everyone.total, 3, "the admin's team is the company");
    }
}

#[tokio::test]
async fn the_list_filters_by_flag() {
    use wharf_core::pipeline::Flag;
    use wharf_store::customers::CustomerQuery;
    use wharf_store::pipeline::PathFilter;
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let called = customer_in(&store, &li, "Called Co", "target").await;
        customer_in(&store, &li, "Waiting Co", "target").await;
        store
            .set_stage_flag(ctx(&li), called, "contacted", "")
            .await
            .unwrap();
        let q = |flag| CustomerQuery {
            stage: Some("target".into()),
            path: PathFilter {
                flag: Some(flag),
                ..Default::default()
            },
            per_page: 100,
            ..Default::default()
        };
        let contacted = store
            .list_customers(&li, &q(Flag::Contacted))
            .await
            .unwrap();
        assert_eq!(contacted.items[0].name, "Called Co");
        assert_eq!(contacted.total, 1);
        let not = store
            .list_customers(&li, &q(Flag::NotContacted))
            .await
            .unwrap();
        assert_eq!(not.items[0].name, "Waiting Co");
        let flags = store.stage_flags(&li, &[called]).await.unwrap();
        assert_eq!(flags[&called], "contacted");
    }
}

#[tokio::test]
async fn an_admin_edits_a_stages_labels_probability_and_rotting_days() {
    use wharf_store::pipeline::StageEdit;
    for store in testing::backends().await {
        let a = admin(&store).await;
        let target = store.pipelines(&a).await.unwrap()[0].stages[1].id;
        let edit = StageEdit {
            label_en: "First call".into(),
            label_zh: "首次联系".into(),
            probability: 15,
            rotting_days: Some(10),
        };
        store
            .update_stage(ctx(&a), target, edit.clone())
            .await
            .unwrap();
        let s = store.pipelines(&a).await.unwrap()[0].stages[1].clone();
        assert_eq!(
            (s.label_en.as_str(), s.probability, s.rotting_days),
            ("First call", 15, Some(10))
        );
        let absurd = StageEdit {
            probability: 150,
            ..edit.clone()
        };
        let e = store
            .update_stage(ctx(&a), target, absurd)
            .await
            .unwrap_err();
        assert_eq!(code(e), "out_of_range");
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        assert!(store.update_stage(ctx(&li), target, edit).await.is_err());
    }
}

#[tokio::test]
async fn stage_counts_split_mine_and_shared() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let wang = testing::staff(&store, &a, "wang", "salesperson", None).await;
        customer_in(&store, &li, "Mine One", "target").await;
        customer_in(&store, &wang, "Not Mine", "target").await;
        store
            .create_customer(
                ctx(&li),
                CustomerInput {
                    name: "Together Co".into(),
                    stage: "target".into(),
                    ..Default::default()
                },
                &[li.user_id, wang.user_id],
            )
            .await
            .unwrap();
        store
            .create_customer(
                ctx(&li),
                CustomerInput {
                    name: "Pool Co".into(),
                    stage: "target".into(),
                    ..Default::default()
                },
                &[],
            )
            .await
            .unwrap();
        let counts = store.stage_counts(&li).await.unwrap();
        let target = counts.iter().find(|c| c.stage == "target").unwrap();
        assert_eq!((target.mine, target.shared), (2, 1), "{counts:?}");
        assert_eq!(target.flag, "not_contacted");
    }
}

#[tokio::test]
async fn a_contact_marks_reserve_and_target_contacted_only() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let target = customer_in(&store, &li, "Target Co", "target").await;
        let won = customer_in(&store, &li, "Won Co", "won").await;
        assert!(store.note_contacted(ctx(&li), target).await.unwrap());
        assert!(
            !store.note_contacted(ctx(&li), target).await.unwrap(),
            "once"
        );
        assert!(!store.note_contacted(ctx(&li), won).await.unwrap());
        assert_eq!(
            store.customer_stage(&li, target).await.unwrap().flag,
            "contacted"
        );
        assert_eq!(
            store.customer_stage(&li, won).await.unwrap().flag,
            "tracking"
        );
        assert_eq!(
            store.customer_stage_log(&li, target).await.unwrap().len(),
            1
        );
    }
}
