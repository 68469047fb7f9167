//! Who sees what: own, collaborative and pool customers, a manager's department, claiming within the quota, release and transfer with the owner log.

use super::*;

#[tokio::test]
async fn ownership_visibility_and_the_pool() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let sales = store
            .create_department(
                ctx(&a),
                DepartmentInput {
                    name: "Sales 1".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let other = store
            .create_department(
                ctx(&a),
                DepartmentInput {
                    name: "Sales 2".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let li = staff(&store, &a, "li", "salesperson", sales).await;
        let wang = staff(&store, &a, "wang", "salesperson", sales).await;
        let zhao = staff(&store, &a, "zhao", "salesperson", other).await;
        let boss = staff(&store, &a, "boss", "department_manager", sales).await;

        let lis = store
            .create_customer(ctx(&li), named("Acme Valves Ltd"), &[li.user_id])
            .await
            .unwrap();
        store
            .create_customer(ctx(&wang), named("Bolt GmbH"), &[wang.user_id])
            .await
            .unwrap();
        let team = store
            .create_customer(ctx(&li), named("Crane SA"), &[li.user_id, wang.user_id])
            .await
            .unwrap();
        let pool = store
            .create_customer(ctx(&li), named("Delta Pool Co"), &[])
            .await
            .unwrap();
        store
            .create_customer(ctx(&zhao), named("Zeta Far Away"), &[zhao.user_id])
            .await
            .unwrap();

        // A salesperson: her own, the shared ones, the pool; not a colleague's.
        let seen = store.list_customers(&li, &query(Quick::All)).await.unwrap();
        assert_eq!(
            names(&seen),
            vec!["Acme Valves Ltd", "Crane SA", "Delta Pool Co"]
        );
        assert_eq!(
            names(
                &store
                    .list_customers(&li, &query(Quick::Mine))
                    .await
                    .unwrap()
            ),
            vec!["Acme Valves Ltd"]
        );
        assert_eq!(
            names(
                &store
                    .list_customers(&wang, &query(Quick::Collaborative))
                    .await
                    .unwrap()
            ),
            vec!["Crane SA"]
        );
        assert_eq!(
            names(
                &store
                    .list_customers(&zhao, &query(Quick::Pool))
                    .await
                    .unwrap()
            ),
            vec!["Delta Pool Co"]
        );
        assert_eq!(
            code(store.get_customer(&wang, lis).await.unwrap_err()),
            "not_found"
        );
        // Seeing the pool is not editing it.
        assert_eq!(
            code(
                store
                    .update_customer(ctx(&li), pool, named("Delta Pool Co"))
                    .await
                    .unwrap_err()
            ),
            "forbidden"
        );
        // A manager sees her department, not the other one.
        assert_eq!(
            names(
                &store
                    .list_customers(&boss, &query(Quick::All))
                    .await
                    .unwrap()
            ),
            vec!["Acme Valves Ltd", "Bolt GmbH", "Crane SA", "Delta Pool Co"]
        );
        assert_eq!(
            store
                .list_customers(&a, &query(Quick::All))
                .await
                .unwrap()
                .total,
            5
        );
        // Owners must be active users.
        assert_eq!(
            code(
                store
                    .create_customer(ctx(&li), named("Eta"), &[9999])
                    .await
                    .unwrap_err()
            ),
            "invalid_choice"
        );
        // Claim from the pool; release back; transfer by the manager; all logged.
        store.claim_customer(ctx(&zhao), pool).await.unwrap();
        assert_eq!(
            code(store.claim_customer(ctx(&li), pool).await.unwrap_err()),
            "not_found",
            "taken: no longer hers to see"
        );
        assert_eq!(
            names(
                &store
                    .list_customers(&zhao, &query(Quick::Mine))
                    .await
                    .unwrap()
            ),
            vec!["Delta Pool Co", "Zeta Far Away"]
        );
        store.release_customer(ctx(&zhao), pool).await.unwrap();
        assert_eq!(
            code(store.release_customer(ctx(&wang), lis).await.unwrap_err()),
            "not_found"
        );
        store
            .transfer_customer(ctx(&boss), team, &[wang.user_id])
            .await
            .unwrap();
        assert_eq!(
            code(store.get_customer(&li, team).await.unwrap_err()),
            "not_found"
        );
        let log = store.customer_owner_log(&boss, team).await.unwrap();
        assert_eq!(log[0].action, "transfer");
        assert_eq!(log[0].before, "Staff li, Staff wang");
        assert_eq!(log[0].after, "Staff wang");
        assert_eq!(log[0].user, "Staff boss");

        // The daily quota: 20 claims a day for a salesperson, the 21st refused.
        let mut pool_ids = Vec::new();
        for n in 0..21 {
            pool_ids.push(
                store
                    .create_customer(ctx(&a), named(&format!("Pool lead {n:02}")), &[])
                    .await
                    .unwrap(),
            );
        }
        testing::clear_of_midnight(&wharf_core::zone::Zone::default()).await;
        for id in &pool_ids[..20] {
            store.claim_customer(ctx(&wang), *id).await.unwrap();
        }
        let refused = store
            .claim_customer(ctx(&wang), pool_ids[20])
            .await
            .unwrap_err();
        assert!(
            matches!(
                refused,
                StoreError::Domain(DomainError::Refused {
                    code: "claim_quota",
                    count: 20
                })
            ),
            "{refused:?}"
        );
    }
}
