//! The company's time zone in the store: migration 0017 turns the old UTC offset into
//! a zone, and "today" of the daily claim quota and the days of date conditions are
//! the zone's.

use wharf_core::DomainError;
use wharf_core::customer::CustomerInput;
use wharf_core::customer_query::Condition;
use wharf_core::zone::{Day, Zone};
use wharf_store::customers::CustomerQuery;
use wharf_store::testing::{admin, ctx};
use wharf_store::{Store, StoreError, testing};

/// Runs migration 0017 again on a migrated store whose settings hold `offset` (or no
/// offset row), and returns the zone it leaves and how many old rows remain.
async fn migrate_offset(store: &Store, offset: Option<&str>) -> (String, String) {
    testing::execute_sql(
        store,
        "DELETE FROM settings WHERE key IN ('time_zone', 'utc_offset_minutes')",
    )
    .await;
    testing::execute_sql(
        store,
        "DELETE FROM schema_migrations WHERE name = '0017_time_zone'",
    )
    .await;
    if let Some(offset) = offset {
        testing::execute_sql(
            store,
            &format!("INSERT INTO settings (key, value, updated_at) VALUES ('utc_offset_minutes', '{offset}', 0)"),
        )
        .await;
    }
    assert_eq!(
        store.migrate().await.expect("migrate"),
        vec!["0017_time_zone"]
    );
    let a = admin(store).await;
    let zone = store
        .company_settings(&a)
        .await
        .expect("settings")
        .time_zone;
    let left = testing::fetch_text(
        store,
        "SELECT CAST(COUNT(*) AS TEXT) FROM settings WHERE key = 'utc_offset_minutes'",
    )
    .await;
    (zone.name().to_string(), left)
}

#[tokio::test]
async fn migration_0017_names_the_zone_of_the_stored_offset() {
    for store in testing::backends().await {
        for (offset, zone) in [
            (Some("480"), "Asia/Shanghai"),
            (Some("-300"), "Etc/GMT+5"),
            (Some("60"), "Etc/GMT-1"),
            (Some("0"), "UTC"),
            // India's half hour has no fixed IANA zone: UTC, and the log says so.
            (Some("330"), "UTC"),
            (Some("not a number"), "UTC"),
            // Never set: the old default, 480, which is Shanghai's.
            (None, "Asia/Shanghai"),
        ] {
            assert_eq!(
                migrate_offset(&store, offset).await,
                (zone.to_string(), "0".to_string()),
                "{offset:?} on {:?}",
                store.backend()
            );
        }
    }
}

fn zone(name: &str) -> Zone {
    Zone::named(name).expect("a zone")
}

async fn set_zone(store: &Store, a: &wharf_core::Actor, name: &str) {
    store
        .update_settings(ctx(a), &[("time_zone".into(), name.into())])
        .await
        .expect("set the zone");
}

#[tokio::test]
async fn an_unknown_zone_is_refused_and_a_known_one_is_read_back() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let err = store
            .update_settings(ctx(&a), &[("time_zone".into(), "Mars/Olympus".into())])
            .await
            .unwrap_err();
        let StoreError::Domain(DomainError::Invalid(fields)) = err else {
            panic!("{err:?}")
        };
        assert_eq!(fields.get("time_zone"), Some("unknown_time_zone"));
        assert_eq!(
            store.company_settings(&a).await.unwrap().time_zone.name(),
            "Asia/Shanghai"
        );
        assert_eq!(
            store.company_time_zone(&a).await.unwrap().name(),
            "Asia/Shanghai"
        );
        set_zone(&store, &a, "europe/berlin").await;
        assert_eq!(
            store.company_time_zone(&a).await.unwrap().name(),
            "Europe/Berlin"
        );
    }
}

/// Claims logged just before the company's midnight are yesterday's; those just after
/// are today's and count against the quota.
#[tokio::test]
async fn the_claim_quota_counts_the_zones_today() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let new_york = zone("America/New_York");
        set_zone(&store, &a, "America/New_York").await;
        testing::execute_sql(
            &store,
            "UPDATE roles SET daily_claim_quota = 2 WHERE code = 'salesperson'",
        )
        .await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let mut pool = Vec::new();
        for n in 0..3 {
            let input = CustomerInput {
                name: format!("Pool lead {n}"),
                ..Default::default()
            };
            pool.push(store.create_customer(ctx(&a), input, &[]).await.unwrap());
        }
        testing::clear_of_midnight(&new_york).await;
        let midnight = new_york.day_start(new_york.today(wharf_store::now()));
        let log = |at: i64| {
            format!(
                "INSERT INTO customer_owner_log (customer_id, at, user_id, action) VALUES ({}, {at}, {}, 'claim')",
                pool[2], li.user_id
            )
        };
        testing::execute_sql(&store, &log(midnight - 1)).await;
        testing::execute_sql(&store, &log(midnight - 1)).await;
        store
            .claim_customer(ctx(&li), pool[0])
            .await
            .expect("yesterday's claims do not count");
        testing::execute_sql(&store, &log(midnight)).await;
        let refused = store.claim_customer(ctx(&li), pool[1]).await.unwrap_err();
        assert!(
            matches!(
                refused,
                StoreError::Domain(DomainError::Refused {
                    code: "claim_quota",
                    count: 2
                })
            ),
            "{refused:?}"
        );
    }
}

/// "Created on 2026-03-08" in New York is the 23 hours from 05:00 UTC that day: a
/// customer created at 04:59 UTC was created on the 7th there.
#[tokio::test]
async fn date_conditions_take_their_days_from_the_zone() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let new_york = zone("America/New_York");
        let (start, end) = new_york.day_range(Day::parse_iso("2026-03-08").unwrap());
        for (name, at) in [
            ("Before", start - 1),
            ("First", start),
            ("Last", end - 1),
            ("After", end),
        ] {
            let input = CustomerInput {
                name: name.into(),
                ..Default::default()
            };
            let id = store
                .create_customer(ctx(&a), input, &[a.user_id])
                .await
                .unwrap();
            testing::execute_sql(
                &store,
                &format!("UPDATE customers SET created_at = {at} WHERE id = {id}"),
            )
            .await;
        }
        let created = |op: &str| {
            let q = CustomerQuery {
                conditions: vec![Condition {
                    field: "created_at".into(),
                    op: op.into(),
                    value: "2026-03-08".into(),
                    or: false,
                }],
                time_zone: new_york.clone(),
                per_page: 50,
                ..Default::default()
            };
            let (store, a) = (store.clone(), a.clone());
            async move {
                let mut names: Vec<String> = store
                    .list_customers(&a, &q)
                    .await
                    .unwrap()
                    .items
                    .into_iter()
                    .map(|c| c.name)
                    .collect();
                names.sort();
                names
            }
        };
        assert_eq!(created("equals").await, ["First", "Last"]);
        assert_eq!(created("lt").await, ["Before"]);
        assert_eq!(created("le").await, ["Before", "First", "Last"]);
        assert_eq!(created("ge").await, ["After", "First", "Last"]);
    }
}
