//! Dated exchange rates on SQLite and PostgreSQL: the rate of a day is the latest on or
//! before it, a missing one is `NoRate` naming the currency and day, the base currency
//! is 1, one rate per currency and day, only holders of `exchange_rates` change them
//! (audited), and a change of base currency leaves old rates unused.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::DomainError;
use wharf_core::money::{Currency, RateInput};
use wharf_core::zone::Day;
use wharf_store::money::RateFilter;
use wharf_store::testing::{admin, ctx, staff};
use wharf_store::{Store, StoreError, testing};

fn day(iso: &str) -> Day {
    Day::parse_iso(iso).unwrap()
}

fn usd() -> Currency {
    Currency::usd()
}

fn input(currency: &str, d: &str, per_unit: &str) -> RateInput {
    RateInput {
        currency: currency.into(),
        day: d.into(),
        per_unit: per_unit.into(),
        note: String::new(),
    }
}

async fn add(store: &Store, currency: &str, d: &str, per_unit: &str) -> i64 {
    let admin = admin(store).await;
    store
        .create_rate(
            ctx(&admin),
            &input(currency, d, per_unit),
            day("2026-12-07"),
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn the_rate_of_a_day_is_the_latest_on_or_before_it() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        add(&store, "USD", "2026-11-01", "7.10").await;
        add(&store, "USD", "2026-11-15", "7.1234").await;
        add(&store, "USD", "2026-12-01", "7.20").await;
        let on = |d: &'static str| {
            let store = store.clone();
            let admin = admin.clone();
            async move { store.rate_on(&admin, day(d), usd()).await.unwrap() }
        };
        let r = on("2026-11-20").await;
        assert_eq!(r.per_unit.to_string(), "7.1234");
        assert_eq!(r.day.iso(), "2026-11-15");
        assert_eq!(r.base, Currency::cny());
        assert_eq!(on("2026-11-15").await.day.iso(), "2026-11-15");
        assert_eq!(on("2027-03-01").await.per_unit.to_string(), "7.2");
    }
}

#[tokio::test]
async fn a_missing_rate_names_the_currency_and_the_day() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        add(&store, "USD", "2026-11-15", "7.1").await;
        let err = store
            .rate_on(&admin, day("2026-11-14"), usd())
            .await
            .unwrap_err();
        let StoreError::Domain(DomainError::NoRate(missing)) = err else {
            panic!("expected NoRate, got {err:?}")
        };
        assert_eq!(missing.currency, usd());
        assert_eq!(missing.day.iso(), "2026-11-14");
        let eur = Currency::from_code("EUR").unwrap();
        assert!(matches!(
            store.rate_on(&admin, day("2026-12-01"), eur).await,
            Err(StoreError::Domain(DomainError::NoRate(_)))
        ));
    }
}

#[tokio::test]
async fn the_base_currency_is_one() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        let r = store
            .rate_on(&admin, day("2026-12-01"), Currency::cny())
            .await
            .unwrap();
        assert_eq!(r.per_unit.to_string(), "1");
    }
}

#[tokio::test]
async fn the_table_of_a_day_holds_each_currencys_latest_rate() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        add(&store, "USD", "2026-11-01", "7.1").await;
        add(&store, "USD", "2026-11-20", "7.3").await;
        add(&store, "EUR", "2026-11-05", "7.8").await;
        add(&store, "JPY", "2026-12-05", "0.048").await;
        let table = store.rate_table(&admin, day("2026-12-01")).await.unwrap();
        assert_eq!(table.get(usd()).unwrap().per_unit.to_string(), "7.3");
        let eur = Currency::from_code("EUR").unwrap();
        assert_eq!(table.get(eur).unwrap().day.iso(), "2026-11-05");
        let jpy = Currency::from_code("JPY").unwrap();
        assert_eq!(table.get(jpy).unwrap_err().currency, jpy);
        assert_eq!(
            table.get(Currency::cny()).unwrap().per_unit.to_string(),
            "1"
        );
    }
}

#[tokio::test]
async fn one_rate_per_currency_and_day() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        add(&store, "USD", "2026-11-01", "7.1").await;
        let err = store
            .create_rate(
                ctx(&admin),
                &input("USD", "2026-11-01", "7.2"),
                day("2026-12-07"),
            )
            .await
            .unwrap_err();
        let StoreError::Domain(DomainError::Invalid(e)) = err else {
            panic!("{err:?}")
        };
        assert_eq!(e.get("day"), Some("rate_exists"));
        assert_eq!(testing::count_rows(&store, "exchange_rates").await, 1);
    }
}

#[tokio::test]
async fn bad_input_writes_nothing() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        for (c, d, r) in [
            ("XYZ", "2026-11-01", "7"),
            ("USD", "2026-13-01", "7"),
            ("USD", "2026-11-01", "-7"),
            ("USD", "2026-11-01", "0"),
            ("USD", "2026-11-01", "abc"),
            ("CNY", "2026-11-01", "1"),
        ] {
            let result = store
                .create_rate(ctx(&admin), &input(c, d, r), day("2026-12-07"))
                .await;
            assert!(
                matches!(result, Err(StoreError::Domain(DomainError::Invalid(_)))),
                "{c} {d} {r}: {result:?}"
            );
        }
        assert_eq!(testing::count_rows(&store, "exchange_rates").await, 0);
    }
}

#[tokio::test]
async fn only_holders_of_the_permission_change_rates_and_every_change_is_audited() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        let li = staff(&store, &admin, "li", "salesperson", None).await;
        let denied = store
            .create_rate(
                ctx(&li),
                &input("USD", "2026-11-01", "7"),
                day("2026-12-07"),
            )
            .await;
        assert!(matches!(
            denied,
            Err(StoreError::Domain(DomainError::Denied))
        ));
        let id = add(&store, "USD", "2026-11-01", "7").await;
        assert!(matches!(
            store.delete_rate(ctx(&li), id).await,
            Err(StoreError::Domain(DomainError::Denied))
        ));
        // Everyone signed in may read them.
        assert_eq!(
            store
                .rate_on(&li, day("2026-11-02"), usd())
                .await
                .unwrap()
                .per_unit
                .to_string(),
            "7"
        );
        store
            .update_rate(
                ctx(&admin),
                id,
                &input("USD", "2026-11-01", "7.05"),
                day("2026-12-07"),
            )
            .await
            .unwrap();
        assert_eq!(store.get_rate(&admin, id).await.unwrap().per_unit, "7.05");
        store.delete_rate(ctx(&admin), id).await.unwrap();
        for action in [
            "exchange_rate.create",
            "exchange_rate.update",
            "exchange_rate.delete",
        ] {
            let n = testing::fetch_text(
                &store,
                &format!("SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE action = '{action}'"),
            )
            .await;
            assert_eq!(n, "1", "{action}");
        }
    }
}

#[tokio::test]
async fn a_new_base_currency_leaves_old_rates_unused() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        add(&store, "USD", "2026-11-01", "7.1").await;
        store
            .update_settings(ctx(&admin), &[("base_currency".into(), "EUR".into())])
            .await
            .unwrap();
        assert!(matches!(
            store.rate_on(&admin, day("2026-12-01"), usd()).await,
            Err(StoreError::Domain(DomainError::NoRate(_)))
        ));
        let list = store
            .list_rates(
                &admin,
                &RateFilter {
                    page: 1,
                    per_page: 50,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(list.total, 0);
    }
}
