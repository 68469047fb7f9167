//! The tracking screen's store side on SQLite and PostgreSQL: sales scripts (personal
//! ones seen by their writer only, reference ones by everyone and changed only with
//! `sales_kit`, searched in Chinese and English), competitors and their customer links,
//! and Next / Previous through a customer list by keyset (the list's filter, order and
//! the actor's scope kept; the end of the list is `None`).

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::DomainError;
use wharf_core::customers::CustomerInput;
use wharf_core::org::DepartmentInput;
use wharf_core::sales_kit::{CompetitorInput, ScriptInput};
use wharf_store::customers::{CustomerQuery, Quick};
use wharf_store::testing::{admin, ctx, staff};
use wharf_store::{StoreError, testing};

fn script(title: &str, body: &str, reference: bool) -> ScriptInput {
    ScriptInput {
        title: title.into(),
        body: body.into(),
        category: "开场".into(),
        reference,
    }
}

fn denied<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(
        matches!(r, Err(StoreError::Domain(DomainError::Denied))),
        "{r:?}"
    );
}

#[tokio::test]
async fn scripts_are_personal_or_reference_and_searchable() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        let li = staff(&store, &admin, "li", "salesperson", None).await;
        let wang = staff(&store, &admin, "wang", "salesperson", None).await;
        let boss = staff(&store, &admin, "boss", "department_manager", None).await;
        let own = store
            .create_script(
                ctx(&li),
                &script("Price objection", "太贵了？我们的阀门寿命长", false),
            )
            .await
            .unwrap();
        // A salesperson may not write a reference script; a manager may.
        denied(
            store
                .create_script(ctx(&li), &script("Opening", "Hello", true))
                .await,
        );
        let reference = store
            .create_script(
                ctx(&boss),
                &script("开场白", "您好，我是宁波的 Wharf 阀门", true),
            )
            .await
            .unwrap();
        let titles = |v: Vec<wharf_store::sales_kit::Script>| {
            v.into_iter().map(|s| s.title).collect::<Vec<_>>()
        };
        assert_eq!(
            titles(store.list_scripts(&li, "").await.unwrap()),
            ["开场白", "Price objection"]
        );
        assert_eq!(
            titles(store.list_scripts(&wang, "").await.unwrap()),
            ["开场白"]
        );
        // Chinese words inside the body, English words in any case.
        assert_eq!(
            titles(store.list_scripts(&li, "寿命").await.unwrap()),
            ["Price objection"]
        );
        assert_eq!(
            titles(store.list_scripts(&li, "WHARF 宁波").await.unwrap()),
            ["开场白"]
        );
        assert!(store.list_scripts(&li, "100%").await.unwrap().is_empty());
        // Someone else's own script is not found; a reference one is read-only.
        assert!(matches!(
            store.get_script(&wang, own).await,
            Err(StoreError::Domain(DomainError::NotFound))
        ));
        assert!(!store.get_script(&li, reference).await.unwrap().may_change);
        denied(store.delete_script(ctx(&li), reference).await);
        denied(
            store
                .update_script(ctx(&li), reference, &script("x", "y", true))
                .await,
        );
        // Bad input writes nothing.
        let before = testing::count_rows(&store, "sales_scripts").await;
        assert!(
            store
                .create_script(ctx(&li), &script("", "", false))
                .await
                .is_err()
        );
        assert_eq!(testing::count_rows(&store, "sales_scripts").await, before);
        store.delete_script(ctx(&li), own).await.unwrap();
        assert!(testing::count_rows(&store, "audit_log").await > 0);
        assert_eq!(
            titles(store.list_scripts(&li, "").await.unwrap()),
            ["开场白"]
        );
    }
}

#[tokio::test]
async fn competitors_are_the_managers_and_linked_by_the_owner() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        let li = staff(&store, &admin, "li", "salesperson", None).await;
        let wang = staff(&store, &admin, "wang", "salesperson", None).await;
        let boss = staff(&store, &admin, "boss", "department_manager", None).await;
        let input = CompetitorInput {
            name: "宁波阀门厂".into(),
            website: "nbvalve.cn".into(),
            products: "球阀 ball valves".into(),
            strengths: "价格低".into(),
            ..Default::default()
        };
        denied(store.create_competitor(ctx(&li), &input).await);
        let k = store.create_competitor(ctx(&boss), &input).await.unwrap();
        // The same name again, whatever its case, is refused.
        assert!(store.create_competitor(ctx(&boss), &input).await.is_err());
        assert_eq!(store.list_competitors(&li, "BALL").await.unwrap().len(), 1);
        assert!(
            store
                .list_competitors(&li, "gate")
                .await
                .unwrap()
                .is_empty()
        );
        let customer = store
            .create_customer(
                ctx(&li),
                CustomerInput {
                    name: "Li Pumps".into(),
                    ..Default::default()
                },
                &[li.user_id],
            )
            .await
            .unwrap();
        // Wang does not see Li's customer: no link, no list.
        assert!(
            store
                .link_competitor(ctx(&wang), customer, k, true)
                .await
                .is_err()
        );
        assert!(store.customer_competitors(&wang, customer).await.is_err());
        store
            .link_competitor(ctx(&li), customer, k, true)
            .await
            .unwrap();
        store
            .link_competitor(ctx(&li), customer, k, true)
            .await
            .unwrap();
        let linked = store.customer_competitors(&li, customer).await.unwrap();
        assert_eq!(linked.len(), 1);
        assert_eq!(linked[0].customers, 1);
        assert!(
            store
                .link_competitor(ctx(&li), customer, 9999, true)
                .await
                .is_err()
        );
        store.delete_competitor(ctx(&boss), k).await.unwrap();
        assert!(
            store
                .customer_competitors(&li, customer)
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn next_and_previous_walk_the_list_by_keyset() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        let dept = store
            .create_department(
                ctx(&admin),
                DepartmentInput {
                    name: "Export".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let li = staff(&store, &admin, "li", "salesperson", Some(dept)).await;
        let wang = staff(&store, &admin, "wang", "salesperson", Some(dept)).await;
        let boss = staff(&store, &admin, "boss", "department_manager", Some(dept)).await;
        // Names sort A, B, C …; every third is Wang's, two are Bravos.
        let names = [
            "Alpha",
            "Bravo",
            "Charlie Bravo",
            "Delta",
            "Echo",
            "Foxtrot",
            "Golf",
        ];
        let mut ids = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let owner = if i % 3 == 1 { &wang } else { &li };
            let id = store
                .create_customer(
                    ctx(owner),
                    CustomerInput {
                        name: (*n).into(),
                        ..Default::default()
                    },
                    &[owner.user_id],
                )
                .await
                .unwrap();
            ids.push(id);
        }
        let query = |desc: bool| CustomerQuery {
            quick: Quick::All,
            sort: "name".into(),
            descending: desc,
            page: 1,
            per_page: 50,
            ..Default::default()
        };
        let walk = |actor: wharf_core::Actor, desc: bool, forward: bool, from: i64| {
            let store = store.clone();
            async move {
                let (mut out, mut at) = (vec![from], from);
                while let Some(n) = store
                    .neighbour_customer(&actor, &query(desc), at, forward)
                    .await
                    .unwrap()
                {
                    out.push(n);
                    at = n;
                    assert!(out.len() < 20, "a loop");
                }
                out
            }
        };
        // The manager sees all seven in the list's order; Next skips what Li cannot see.
        let list: Vec<i64> = store
            .list_customers(&boss, &query(false))
            .await
            .unwrap()
            .items
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(list.len(), 7);
        assert_eq!(walk(boss.clone(), false, true, list[0]).await, list);
        let mut back = walk(boss.clone(), false, false, list[6]).await;
        back.reverse();
        assert_eq!(back, list);
        let desc: Vec<i64> = list.iter().rev().copied().collect();
        assert_eq!(walk(boss.clone(), true, true, desc[0]).await, desc);
        let mine: Vec<i64> = list
            .iter()
            .copied()
            .filter(|id| ids.iter().position(|x| x == id).unwrap() % 3 != 1)
            .collect();
        assert_eq!(walk(li.clone(), false, true, mine[0]).await, mine);
        // A filter is kept: only the Bravos.
        let bravo = CustomerQuery {
            text: Some("bravo".into()),
            ..query(false)
        };
        let first = store.list_customers(&boss, &bravo).await.unwrap().items[0].id;
        let second = store
            .neighbour_customer(&boss, &bravo, first, true)
            .await
            .unwrap()
            .unwrap();
        assert_ne!(first, second);
        assert_eq!(
            store
                .neighbour_customer(&boss, &bravo, second, true)
                .await
                .unwrap(),
            None
        );
        // Sorted by next revisit, which none has (NULL keys): the id order, both ways.
        let revisit = CustomerQuery {
            sort: "next_revisit_at".into(),
            ..query(false)
        };
        let by_revisit: Vec<i64> = store
            .list_customers(&boss, &revisit)
            .await
            .unwrap()
            .items
            .iter()
            .map(|c| c.id)
            .collect();
        let mut at = by_revisit[0];
        let mut walked = vec![at];
        while let Some(n) = store
            .neighbour_customer(&boss, &revisit, at, true)
            .await
            .unwrap()
        {
            walked.push(n);
            at = n;
        }
        assert_eq!(walked, by_revisit);
        assert_eq!(
            store
                .neighbour_customer(&boss, &revisit, by_revisit[3], false)
                .await
                .unwrap(),
            Some(by_revisit[2])
        );
    }
}
