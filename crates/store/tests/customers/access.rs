//! Who new customers may be given to (page, API and import share the store's rule),
//! two claims at once against the daily quota, and what the duplicate check tells of a
//! customer the caller may not see (whole values only, no id, rate-limited).

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use wharf_core::DomainError;
use wharf_core::customer::CustomerInput;
use wharf_core::org::DepartmentInput;
use wharf_store::customer_imports::ImportGroup;
use wharf_store::customers::DuplicateProbe;
use wharf_store::testing::{admin, ctx};
use wharf_store::{Store, StoreError, testing};

use super::{code, named, staff};

async fn department(store: &Store, a: &wharf_core::Actor, name: &str) -> i64 {
    store
        .create_department(
            ctx(a),
            DepartmentInput {
                name: name.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn a_salesperson_cannot_create_customers_owned_only_by_others() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let sales = department(&store, &a, "Sales 1").await;
        let other = department(&store, &a, "Sales 2").await;
        let li = staff(&store, &a, "li", "salesperson", sales).await;
        let wang = staff(&store, &a, "wang", "salesperson", sales).await;
        let zhao = staff(&store, &a, "zhao", "salesperson", other).await;
        let boss = staff(&store, &a, "boss", "department_manager", sales).await;

        let refused = store
            .create_customer(ctx(&li), named("For Wang Ltd"), &[wang.user_id])
            .await
            .unwrap_err();
        assert_eq!(code(refused), "owner_out_of_scope");
        // Hers, hers with a colleague, or the pool: fine.
        for (name, owners) in [
            ("Mine Ltd", vec![li.user_id]),
            ("Ours Ltd", vec![li.user_id, wang.user_id]),
            ("Pool Ltd", vec![]),
        ] {
            store
                .create_customer(ctx(&li), named(name), &owners)
                .await
                .unwrap();
        }
        // A manager may give new customers to people in her department, not beyond.
        store
            .create_customer(ctx(&boss), named("For Li Ltd"), &[li.user_id])
            .await
            .unwrap();
        assert_eq!(
            code(
                store
                    .create_customer(ctx(&boss), named("For Zhao Ltd"), &[zhao.user_id])
                    .await
                    .unwrap_err()
            ),
            "owner_out_of_scope"
        );
        // The same rule for an import, which writes nothing.
        let import = store
            .create_import(&li, "leads.csv", b"x", 0)
            .await
            .unwrap();
        let groups = vec![ImportGroup {
            customer: CustomerInput {
                name: "Imported For Wang".into(),
                ..Default::default()
            },
            contacts: Vec::new(),
            existing: None,
        }];
        let refused = store
            .run_import(
                ctx(&li),
                import,
                &groups,
                &[wang.user_id],
                "target",
                Arc::new(AtomicUsize::new(0)),
            )
            .await
            .unwrap_err();
        assert_eq!(code(refused), "owner_out_of_scope");
        let hits = store
            .find_duplicates(
                &a,
                &DuplicateProbe {
                    name: "Imported For Wang".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(hits.is_empty(), "nothing imported");
    }
}

/// Two claims by one user at the same moment, with one claim left in the day's quota:
/// exactly one succeeds. Several rounds, so that a race shows up.
#[tokio::test]
async fn parallel_claims_cannot_both_pass_the_daily_quota() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let sales = department(&store, &a, "Sales").await;
        testing::execute_sql(
            &store,
            "UPDATE roles SET daily_claim_quota = 1 WHERE code = 'salesperson'",
        )
        .await;
        testing::clear_of_midnight(&wharf_core::zone::Zone::default()).await;
        for round in 0..5 {
            let li = staff(&store, &a, &format!("li{round}"), "salesperson", sales).await;
            let mut ids = Vec::new();
            for n in 0..2 {
                ids.push(
                    store
                        .create_customer(ctx(&a), named(&format!("Pool {round} {n}")), &[])
                        .await
                        .unwrap(),
                );
            }
            let (x, y) = tokio::join!(
                store.claim_customer(ctx(&li), ids[0]),
                store.claim_customer(ctx(&li), ids[1]),
            );
            let results = [x, y];
            let won = results.iter().filter(|r| r.is_ok()).count();
            assert_eq!(won, 1, "round {round}: {results:?}");
            assert!(
                results.iter().any(|r| matches!(
                    r,
                    Err(StoreError::Domain(DomainError::Refused {
                        code: "claim_quota",
                        count: 1
                    }))
                )),
                "round {round}: {results:?}"
            );
        }
    }
}

#[tokio::test]
async fn the_duplicate_check_tells_only_whole_matches_of_others_customers() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let sales = department(&store, &a, "Sales").await;
        let li = staff(&store, &a, "li", "salesperson", sales).await;
        let wang = staff(&store, &a, "wang", "salesperson", sales).await;
        store
            .create_customer(
                ctx(&li),
                CustomerInput {
                    name: "Confidential Pumps GmbH".into(),
                    keywords: "pumps, seals".into(),
                    ..Default::default()
                },
                &[li.user_id],
            )
            .await
            .unwrap();
        let probe = |name: &str, keywords: &str| DuplicateProbe {
            name: name.into(),
            keywords: keywords.into(),
            ..Default::default()
        };
        // Prefixes and parts of li's customer tell wang nothing.
        for (name, keywords) in [
            ("conf", ""),
            ("Confidential", ""),
            ("Confidential Pumps", ""),
            ("", "pump"),
            ("", "seal"),
            ("", "Confidential"),
        ] {
            let hits = store
                .find_duplicates(&wang, &probe(name, keywords))
                .await
                .unwrap();
            assert!(hits.is_empty(), "{name:?} {keywords:?}: {hits:?}");
        }
        // The whole name (in any spelling of its normal form) or a whole keyword: only
        // whose customer it is.
        for (name, keywords, matched) in [
            ("confidential pumps gmbh", "", "name"),
            ("CONFIDENTIAL-PUMPS GmbH.", "", "name"),
            ("", "Seals", "keyword"),
        ] {
            let hits = store
                .find_duplicates(&wang, &probe(name, keywords))
                .await
                .unwrap();
            assert_eq!(hits.len(), 1, "{name:?} {keywords:?}");
            let h = &hits[0];
            assert_eq!(
                (
                    h.id,
                    h.name.as_str(),
                    h.owners.as_str(),
                    h.visible,
                    h.matched
                ),
                (None, "", "Staff li", false, matched)
            );
            let json = serde_json::to_string(h).unwrap();
            assert!(!json.contains("\"id\""), "{json}");
        }
        // Li herself still gets her own customer by prefix, with its id.
        let own = store
            .find_duplicates(&li, &probe("confidential", ""))
            .await
            .unwrap();
        assert!(own[0].id.is_some() && own[0].name == "Confidential Pumps GmbH");
    }
}

#[tokio::test]
async fn the_duplicate_check_is_rate_limited_per_user() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let sales = department(&store, &a, "Sales").await;
        let li = staff(&store, &a, "li", "salesperson", sales).await;
        let wang = staff(&store, &a, "wang", "salesperson", sales).await;
        let probe = DuplicateProbe {
            name: "anything".into(),
            ..Default::default()
        };
        // Start at the beginning of a minute, so the 60 fall into one window.
        let t = wharf_store::now();
        if t % 60 > 50 {
            std::thread::sleep(std::time::Duration::from_secs((61 - t % 60) as u64));
        }
        for _ in 0..60 {
            store.find_duplicates(&wang, &probe).await.unwrap();
        }
        let refused = store.find_duplicates(&wang, &probe).await.unwrap_err();
        match refused {
            StoreError::Domain(DomainError::TooMany { code, retry_after }) => {
                assert_eq!(code, "rate_limited");
                assert!((1..=60).contains(&retry_after), "{retry_after}");
            }
            other => panic!("{other:?}"),
        }
        // Another user is not held up by wang's count.
        store.find_duplicates(&li, &probe).await.unwrap();
    }
}
