//! Several customer pipelines on SQLite and PostgreSQL (PIPE-1): a second sales method
//! with its own stages, stages added, reordered and deleted (customers moved to a stage
//! the admin picks, each move logged), a pipeline deleted only when empty, a customer
//! moved between pipelines; and the per-stage hold quota (PIPE-8) on claim and promote.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::customers::CustomerInput;
use wharf_core::pipeline::{StageRights, StageRole};
use wharf_core::{Actor, DomainError};
use wharf_store::pipeline::{PipelineEdit, StageEdit};
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

fn count(e: StoreError) -> i64 {
    match e {
        StoreError::Domain(DomainError::Refused { count, .. }) => count,
        other => panic!("{other:?}"),
    }
}

fn stage(en: &str, zh: &str, probability: i64) -> StageEdit {
    StageEdit {
        label_en: en.into(),
        label_zh: zh.into(),
        probability,
        rotting_days: Some(10),
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

/// A second pipeline "Distributors" with target-like "Listed" and won-like "Signed".
async fn distributors(store: &Store, a: &Actor) -> (i64, String, String) {
    let p = store
        .create_pipeline(
            ctx(a),
            PipelineEdit {
                name_en: "Distributors".into(),
                name_zh: "经销商".into(),
            },
        )
        .await
        .unwrap();
    let signed = store
        .add_stage(ctx(a), p, "won", stage("Signed", "已签约", 100))
        .await
        .unwrap();
    let listed = store
        .add_stage(ctx(a), p, "target", stage("Listed", "已列入", 20))
        .await
        .unwrap();
    let all = store.pipelines(a).await.unwrap();
    let mine = all.iter().find(|x| x.id == p).unwrap();
    let key = |id: i64| mine.stages.iter().find(|s| s.id == id).unwrap().key.clone();
    (p, key(listed), key(signed))
}

#[tokio::test]
async fn an_admin_adds_a_second_pipeline_with_its_own_stages() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let (p, listed, signed) = distributors(&store, &a).await;
        let all = store.pipelines(&a).await.unwrap();
        assert_eq!(all.len(), 2);
        assert!(all[0].is_default);
        let second = &all[1];
        assert_eq!(second.id, p);
        assert_eq!(second.name_zh, "经销商");
        // Added won first, then target: target goes before won (the roles' order).
        let keys: Vec<&str> = second.stages.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, [listed.as_str(), signed.as_str()]);
        assert_eq!(second.stages[0].label_zh, "已列入");
        assert_eq!(second.stages[0].probability, 20);
        assert_eq!(second.stages[1].rotting_days, Some(10));
        // A customer in it, by its stage; the rules move it within it only.
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let id = customer_in(&store, &li, "Dist One", &listed).await;
        let s = store.customer_stage(&li, id).await.unwrap();
        assert_eq!(s.pipeline_id, p);
        assert_eq!(s.stages.len(), 2);
        let other = store.change_stage(ctx(&li), id, "won", "").await;
        assert_eq!(code(other.unwrap_err()), "stage_other_pipeline");
        store.change_stage(ctx(&li), id, &signed, "").await.unwrap();
        assert_eq!(
            store.customer_stage(&li, id).await.unwrap().flag,
            "tracking"
        );
        // Editing it keeps its stage valid (the registry takes the pipeline's keys).
        let input = store
            .get_customer(&li, id)
            .await
            .unwrap()
            .customer
            .to_input();
        store.update_customer(ctx(&li), id, input).await.unwrap();
        // A stage key no pipeline has is refused, nothing written.
        let before = testing::count_rows(&store, "customers").await;
        let bad = store
            .create_customer(
                ctx(&li),
                CustomerInput {
                    name: "Nowhere".into(),
                    stage: "heaven".into(),
                    ..Default::default()
                },
                &[li.user_id],
            )
            .await;
        assert_eq!(code(bad.unwrap_err()), "invalid_choice");
        assert_eq!(testing::count_rows(&store, "customers").await, before);
        // Nobody but an admin sets pipelines up.
        let denied = store
            .create_pipeline(
                ctx(&li),
                PipelineEdit {
                    name_en: "Mine".into(),
                    name_zh: "我的".into(),
                },
            )
            .await;
        assert!(denied.is_err());
        assert!(
            store
                .add_stage(ctx(&li), p, "target", stage("X", "X", 0))
                .await
                .is_err()
        );
    }
}

#[tokio::test]
async fn bad_pipeline_input_is_refused() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let empty = store
            .create_pipeline(ctx(&a), PipelineEdit::default())
            .await;
        assert_eq!(code(empty.unwrap_err()), "required");
        let (p, _, _) = distributors(&store, &a).await;
        let role = store
            .add_stage(ctx(&a), p, "archive", stage("A", "A", 0))
            .await;
        assert_eq!(code(role.unwrap_err()), "invalid_choice");
        let prob = store
            .add_stage(ctx(&a), p, "target", stage("A", "A", 101))
            .await;
        assert_eq!(code(prob.unwrap_err()), "out_of_range");
        let missing = store
            .add_stage(ctx(&a), 9999, "target", stage("A", "A", 1))
            .await;
        assert_eq!(code(missing.unwrap_err()), "not_found");
        // Opportunity pipelines are the deals' own.
        let deals = store.opportunity_pipelines(&a).await.unwrap()[0].id;
        let deal_stage = store
            .add_stage(ctx(&a), deals, "target", stage("A", "A", 1))
            .await;
        assert_eq!(code(deal_stage.unwrap_err()), "not_found");
        assert_eq!(
            store.pipelines(&a).await.unwrap()[1].stages.len(),
            2,
            "nothing half-written"
        );
    }
}

/// The second pipeline's stage keys, in order.
async fn keys(store: &Store, a: &Actor) -> Vec<String> {
    store.pipelines(a).await.unwrap()[1]
        .stages
        .iter()
        .map(|s| s.key.clone())
        .collect()
}

#[tokio::test]
async fn stages_reorder_within_the_roles_order() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let (p, listed, _) = distributors(&store, &a).await;
        let second = store
            .add_stage(ctx(&a), p, "target", stage("Called", "已致电", 30))
            .await
            .unwrap();
        let before = keys(&store, &a).await;
        assert_eq!(before[0], listed);
        store.reorder_stage(ctx(&a), second, true).await.unwrap();
        let after = keys(&store, &a).await;
        assert_eq!(after[1], listed, "Called moved above Listed");
        // The won stage may not go above a target one, nor the first further up.
        let won = store.pipelines(&a).await.unwrap()[1].stages[2].id;
        let r = store.reorder_stage(ctx(&a), won, true).await;
        assert_eq!(code(r.unwrap_err()), "stage_role_order");
        let r = store.reorder_stage(ctx(&a), second, true).await;
        assert_eq!(code(r.unwrap_err()), "stage_at_end");
        assert_eq!(keys(&store, &a).await, after);
    }
}

#[tokio::test]
async fn deleting_a_stage_moves_its_customers_where_the_admin_says() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let extra = store
            .add_stage(ctx(&a), 1, "target", stage("Qualified", "已筛选", 15))
            .await
            .unwrap();
        let key = store.pipelines(&a).await.unwrap()[0]
            .stages
            .iter()
            .find(|s| s.id == extra)
            .unwrap()
            .key
            .clone();
        let one = customer_in(&store, &li, "Del One", &key).await;
        let two = customer_in(&store, &li, "Del Two", &key).await;
        // Without a target, or with another pipeline's, nothing happens.
        let none = store.delete_stage(ctx(&a), extra, None).await;
        let e = none.unwrap_err();
        assert_eq!(count(e), 2);
        let (p, listed, _) = distributors(&store, &a).await;
        let listed_id = store.pipelines(&a).await.unwrap()[1]
            .stages
            .iter()
            .find(|s| s.key == listed)
            .unwrap()
            .id;
        let other = store.delete_stage(ctx(&a), extra, Some(listed_id)).await;
        assert_eq!(code(other.unwrap_err()), "stage_other_pipeline");
        let itself = store.delete_stage(ctx(&a), extra, Some(extra)).await;
        assert_eq!(code(itself.unwrap_err()), "invalid_choice");
        assert_eq!(store.customer_stage(&li, one).await.unwrap().stage.key, key);
        // The seeded five stay.
        let target = store.pipelines(&a).await.unwrap()[0].stages[1].id;
        let builtin = store.delete_stage(ctx(&a), target, None).await;
        assert_eq!(code(builtin.unwrap_err()), "stage_builtin");
        // Into prospect: both move, each logged, with the stage's first flag.
        let prospect = store.pipelines(&a).await.unwrap()[0]
            .stages
            .iter()
            .find(|s| s.key == "prospect")
            .unwrap()
            .id;
        assert_eq!(
            store
                .delete_stage(ctx(&a), extra, Some(prospect))
                .await
                .unwrap(),
            2
        );
        for id in [one, two] {
            let s = store.customer_stage(&li, id).await.unwrap();
            assert_eq!(
                (s.stage.key.as_str(), s.flag.as_str()),
                ("prospect", "tracking")
            );
            let log = store.customer_stage_log(&li, id).await.unwrap();
            assert_eq!(
                (log[0].from.as_str(), log[0].to.as_str()),
                (key.as_str(), "prospect")
            );
            assert_eq!(log[0].reason, "stage_deleted");
        }
        assert_eq!(store.pipelines(&a).await.unwrap()[0].stages.len(), 5);
        // An empty pipeline goes; one with customers or the default stays.
        let dist = customer_in(&store, &li, "Dist Two", &listed).await;
        let busy = store.delete_pipeline(ctx(&a), p).await;
        assert_eq!(code(busy.unwrap_err()), "pipeline_has_customers");
        let default = store.delete_pipeline(ctx(&a), 1).await;
        assert_eq!(code(default.unwrap_err()), "pipeline_default");
        store
            .change_pipeline(ctx(&li), dist, "target")
            .await
            .unwrap();
        let log = store.customer_stage_log(&li, dist).await.unwrap();
        assert_eq!(
            (log[0].to.as_str(), log[0].reason.as_str()),
            ("target", "pipeline")
        );
        assert_eq!(
            store.customer_stage(&li, dist).await.unwrap().pipeline_id,
            1
        );
        let same = store.change_pipeline(ctx(&li), dist, "won").await;
        assert_eq!(code(same.unwrap_err()), "pipeline_unchanged");
        store.delete_pipeline(ctx(&a), p).await.unwrap();
        assert_eq!(store.pipelines(&a).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn the_hold_quota_stops_claims_and_promotes_counting_what_is_held() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let salesperson = store
            .list_roles(&a)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.code.as_deref() == Some("salesperson"))
            .unwrap()
            .id;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        // Two prospects held before the quota is set: they count.
        customer_in(&store, &li, "Held One", "prospect").await;
        customer_in(&store, &li, "Held Two", "prospect").await;
        let rights = StageRights {
            hold_quota: Some(2),
            ..StageRights::preset(Some("salesperson"), StageRole::Prospect)
        };
        store
            .set_role_stage_rights(ctx(&a), salesperson, StageRole::Prospect, &rights)
            .await
            .unwrap();
        let t = customer_in(&store, &li, "Promote Me", "target").await;
        let up = store.change_stage(ctx(&li), t, "prospect", "").await;
        let e = up.unwrap_err();
        assert!(
            matches!(
                &e,
                StoreError::Domain(DomainError::Refused {
                    code: "stage_hold_quota",
                    count: 2
                })
            ),
            "{e:?}"
        );
        assert!(store.customer_stage_log(&li, t).await.unwrap().is_empty());
        // A shared prospect cannot be claimed either.
        let pool = store
            .create_customer(
                ctx(&a),
                CustomerInput {
                    name: "Pool Prospect".into(),
                    stage: "prospect".into(),
                    ..Default::default()
                },
                &[],
            )
            .await
            .unwrap();
        let claim = store.claim_customer(ctx(&li), pool).await;
        assert_eq!(code(claim.unwrap_err()), "stage_hold_quota");
        // Other stages are not limited; a colleague is not limited by li's customers.
        store
            .change_stage(ctx(&li), t, "opportunity", "")
            .await
            .unwrap();
        let wang = testing::staff(&store, &a, "wang", "salesperson", None).await;
        store.claim_customer(ctx(&wang), pool).await.unwrap();
        // Bad input: a negative quota.
        let bad = StageRights {
            hold_quota: Some(-1),
            ..rights
        };
        let r = store
            .set_role_stage_rights(ctx(&a), salesperson, StageRole::Prospect, &bad)
            .await;
        assert_eq!(code(r.unwrap_err()), "out_of_range");
    }
}
