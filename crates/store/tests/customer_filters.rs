//! The customer list's owner and department filters and the query builder's Owner and
//! Department fields (issue 17), on SQLite and PostgreSQL: only people and departments
//! within the actor's scope are offered, and forged ids outside it filter to nothing.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::customers::CustomerInput;
use wharf_core::customers::query::Condition;
use wharf_core::org::DepartmentInput;
use wharf_store::customers::{CustomerQuery, Quick};
use wharf_store::testing::{admin, ctx};
use wharf_store::{Store, testing};

fn named(name: &str) -> CustomerInput {
    CustomerInput {
        name: name.into(),
        ..Default::default()
    }
}

async fn names(store: &Store, actor: &wharf_core::Actor, q: CustomerQuery) -> Vec<String> {
    let mut v: Vec<String> = store
        .list_customers(
            actor,
            &CustomerQuery {
                quick: Quick::All,
                per_page: 100,
                ..q
            },
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.name.clone())
        .collect();
    v.sort();
    v
}

fn condition(field: &str, op: &str, value: &str) -> Condition {
    Condition {
        field: field.into(),
        op: op.into(),
        value: value.into(),
        or: false,
    }
    .validate(&[])
    .unwrap()
}

#[tokio::test]
async fn owner_and_department_filters_stay_within_the_scope() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let department = |name: &str| DepartmentInput {
            name: name.into(),
            ..Default::default()
        };
        let sales = store
            .create_department(ctx(&a), department("Sales"))
            .await
            .unwrap();
        let export = store
            .create_department(ctx(&a), department("Export"))
            .await
            .unwrap();
        let li = testing::staff(&store, &a, "li", "salesperson", Some(sales)).await;
        let wang = testing::staff(&store, &a, "wang", "salesperson", Some(sales)).await;
        let zhao = testing::staff(&store, &a, "zhao", "salesperson", Some(export)).await;
        let boss = testing::staff(&store, &a, "boss", "department_manager", Some(sales)).await;
        for (who, name) in [
            (&li, "Acme Valves"),
            (&wang, "Bolt GmbH"),
            (&zhao, "Zeta Far Away"),
        ] {
            store
                .create_customer(ctx(who), named(name), &[who.user_id])
                .await
                .unwrap();
        }

        // Offered: the people and departments the manager's scope reaches.
        let owners: Vec<i64> = store
            .owners_in_scope(&boss)
            .await
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert!(owners.contains(&li.user_id) && owners.contains(&wang.user_id));
        assert!(
            !owners.contains(&zhao.user_id),
            "Export is outside her scope"
        );
        let departments: Vec<i64> = store
            .departments_in_scope(&boss)
            .await
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(departments, vec![sales]);
        let hers = store.owners_in_scope(&li).await.unwrap();
        assert_eq!(hers.len(), 1, "a salesperson only reaches herself");
        assert!(store.departments_in_scope(&li).await.unwrap().is_empty());

        let by_owner = |owner| CustomerQuery {
            owner: Some(owner),
            ..Default::default()
        };
        assert_eq!(
            names(&store, &boss, by_owner(wang.user_id)).await,
            vec!["Bolt GmbH"]
        );
        assert!(
            names(&store, &boss, by_owner(zhao.user_id))
                .await
                .is_empty(),
            "a forged owner outside her scope"
        );
        assert!(names(&store, &li, by_owner(wang.user_id)).await.is_empty());
        let by_department = |department| CustomerQuery {
            department: Some(department),
            ..Default::default()
        };
        assert_eq!(
            names(&store, &boss, by_department(sales)).await,
            vec!["Acme Valves", "Bolt GmbH"]
        );
        assert!(names(&store, &boss, by_department(export)).await.is_empty());
        // The general manager reaches everyone.
        assert_eq!(
            names(&store, &a, by_department(export)).await,
            vec!["Zeta Far Away"]
        );

        // The builder's Owner and Department fields compare by name.
        let built = |c: Condition| CustomerQuery {
            conditions: vec![c],
            ..Default::default()
        };
        assert_eq!(
            names(
                &store,
                &boss,
                built(condition("owner", "equals", "STAFF WANG"))
            )
            .await,
            vec!["Bolt GmbH"]
        );
        assert_eq!(
            names(
                &store,
                &a,
                built(condition("department", "contains", "xpo"))
            )
            .await,
            vec!["Zeta Far Away"]
        );
        assert_eq!(
            names(&store, &a, built(condition("department", "ne", "Sales"))).await,
            vec!["Zeta Far Away"]
        );
        assert!(
            names(
                &store,
                &boss,
                built(condition("owner", "equals", "staff zhao"))
            )
            .await
            .is_empty(),
            "the builder never reaches past the scope"
        );
    }
}
