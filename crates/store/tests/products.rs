//! The product catalog on SQLite and PostgreSQL: a product keeps its price tiers exact,
//! models are unique whatever their case, bad input writes nothing, only holders of
//! `products` change the catalog (audited) while everyone reads it, the list's filters,
//! the picker's tier price, an import writes all products or none, and a product type in
//! use is not deleted silently.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::DomainError;
use wharf_core::dict::{DictItemInput, DictKind};
use wharf_core::money::{Currency, Decimal};
use wharf_core::products::{ProductInput, TierInput};
use wharf_store::products::ProductFilter;
use wharf_store::testing::{admin, ctx, staff};
use wharf_store::{StoreError, testing};

fn tier(c: &str, q: &str, p: &str) -> TierInput {
    TierInput {
        currency: c.into(),
        min_qty: q.into(),
        unit_price: p.into(),
    }
}

fn valve(model: &str) -> ProductInput {
    ProductInput {
        name_en: "Ball valve".into(),
        name_zh: "球阀".into(),
        model: model.into(),
        unit: "pcs".into(),
        active: true,
        tiers: vec![
            tier("USD", "1", "12.50"),
            tier("USD", "100", "11.00"),
            tier("EUR", "1", "11.5"),
        ],
        ..Default::default()
    }
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn invalid(r: Result<i64, StoreError>) -> Vec<(String, &'static str)> {
    match r {
        Err(StoreError::Domain(DomainError::Invalid(e))) => {
            e.0.into_iter()
                .map(|f| (f.field.to_string(), f.code))
                .collect()
        }
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn a_product_keeps_its_tiers_exact() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        let id = store
            .create_product(ctx(&admin), &valve("BV-200"))
            .await
            .unwrap();
        let p = store.get_product(&admin, id).await.unwrap();
        assert_eq!(p.name(true), "球阀");
        let shown: Vec<String> = p
            .tiers
            .iter()
            .map(|t| format!("{} {} {}", t.currency, t.min_qty, t.unit_price))
            .collect();
        assert_eq!(shown, ["EUR 1 11.5", "USD 1 12.5", "USD 100 11"]);
    }
}

#[tokio::test]
async fn models_are_unique_whatever_their_case() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        store
            .create_product(ctx(&admin), &valve("BV-200"))
            .await
            .unwrap();
        assert_eq!(
            invalid(store.create_product(ctx(&admin), &valve("bv-200")).await),
            [("model".to_string(), "product_model_exists")]
        );
        // Products without a model do not clash.
        store.create_product(ctx(&admin), &valve("")).await.unwrap();
        store.create_product(ctx(&admin), &valve("")).await.unwrap();
        assert_eq!(testing::count_rows(&store, "products").await, 3);
    }
}

#[tokio::test]
async fn bad_input_writes_nothing() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        let mut negative = valve("A");
        negative.tiers[0].unit_price = "-1".into();
        assert_eq!(
            invalid(store.create_product(ctx(&admin), &negative).await),
            [("tier0_unit_price".to_string(), "money_negative")]
        );
        let mut unknown = valve("A");
        unknown.tiers[1].currency = "XYZ".into();
        assert_eq!(
            invalid(store.create_product(ctx(&admin), &unknown).await),
            [("tier1_currency".to_string(), "unknown_currency")]
        );
        let mut overlap = valve("A");
        overlap.tiers.push(tier("USD", "100", "10"));
        assert_eq!(
            invalid(store.create_product(ctx(&admin), &overlap).await),
            [("tier3_min_qty".to_string(), "tier_overlap")]
        );
        let mut absurd = valve("A");
        absurd.tiers[0].unit_price = "10000000000000".into();
        absurd.moq = "-3".into();
        assert_eq!(
            invalid(store.create_product(ctx(&admin), &absurd).await),
            [
                ("moq".to_string(), "money_negative"),
                ("tier0_unit_price".to_string(), "money_too_large")
            ]
        );
        let mut wrong_type = valve("A");
        wrong_type.type_id = Some(999_999);
        assert_eq!(
            invalid(store.create_product(ctx(&admin), &wrong_type).await),
            [("type_id".to_string(), "invalid_choice")]
        );
        assert_eq!(testing::count_rows(&store, "products").await, 0);
        assert_eq!(testing::count_rows(&store, "product_prices").await, 0);
    }
}

#[tokio::test]
async fn everyone_reads_the_catalog_only_holders_of_products_change_it() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        let li = staff(&store, &admin, "li", "salesperson", None).await;
        assert!(!li.has(wharf_core::Permission::Products));
        assert!(matches!(
            store.create_product(ctx(&li), &valve("A")).await,
            Err(StoreError::Domain(DomainError::Denied))
        ));
        let id = store
            .create_product(ctx(&admin), &valve("A"))
            .await
            .unwrap();
        assert_eq!(store.get_product(&li, id).await.unwrap().model, "A");
        assert!(matches!(
            store.update_product(ctx(&li), id, &valve("B")).await,
            Err(StoreError::Domain(DomainError::Denied))
        ));
        assert!(matches!(
            store.set_product_active(ctx(&li), id, false).await,
            Err(StoreError::Domain(DomainError::Denied))
        ));
        store
            .update_product(ctx(&admin), id, &valve("B"))
            .await
            .unwrap();
        store
            .set_product_active(ctx(&admin), id, false)
            .await
            .unwrap();
        for action in ["product.create", "product.update", "product.archive"] {
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
async fn the_list_filters_by_words_currency_and_status() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        let valve_id = store
            .create_product(ctx(&admin), &valve("BV-200"))
            .await
            .unwrap();
        let mut pump = valve("PUMP-9");
        pump.name_en = "Water pump".into();
        pump.name_zh = "水泵".into();
        pump.tiers = vec![tier("JPY", "1", "1500")];
        let pump_id = store.create_product(ctx(&admin), &pump).await.unwrap();
        let mut old = valve("OLD-1");
        old.active = false;
        store.create_product(ctx(&admin), &old).await.unwrap();
        let find = |q: &str, currency: Option<&str>, active: Option<bool>| {
            let store = store.clone();
            let admin = admin.clone();
            let filter = ProductFilter {
                q: q.into(),
                currency: currency.map(|c| Currency::from_code(c).unwrap()),
                active,
                page: 1,
                per_page: 50,
                ..Default::default()
            };
            async move {
                let page = store.list_products(&admin, &filter).await.unwrap();
                page.items
                    .iter()
                    .map(|p| p.model.clone())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(find("", None, Some(true)).await, ["PUMP-9", "BV-200"]);
        assert_eq!(find("水泵", None, None).await, ["PUMP-9"]);
        assert_eq!(find("bv-2", None, None).await, ["BV-200"]);
        assert_eq!(find("ball valve", None, Some(true)).await, ["BV-200"]);
        assert_eq!(find("", Some("JPY"), None).await, ["PUMP-9"]);
        assert_eq!(find("", None, Some(false)).await, ["OLD-1"]);
        assert_eq!(find("100%_", None, None).await, Vec::<String>::new());
        let _ = (valve_id, pump_id);
    }
}

#[tokio::test]
async fn the_picker_gives_the_tier_price_of_the_quantity() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        let li = staff(&store, &admin, "li", "salesperson", None).await;
        store
            .create_product(ctx(&admin), &valve("BV-200"))
            .await
            .unwrap();
        let mut archived = valve("BV-OLD");
        archived.active = false;
        store.create_product(ctx(&admin), &archived).await.unwrap();
        let usd = Some(Currency::usd());
        let picks = store
            .pick_products(&li, "valve", usd, dec("150"))
            .await
            .unwrap();
        assert_eq!(picks.len(), 1, "archived products are not offered");
        let tier = picks[0].tier.unwrap();
        assert_eq!(
            (tier.min_qty.to_string(), tier.unit_price.to_string()),
            ("100".into(), "11".into())
        );
        let few = store.pick_products(&li, "BV", usd, dec("5")).await.unwrap();
        assert_eq!(few[0].tier.unwrap().unit_price.to_string(), "12.5");
        let jpy = Some(Currency::from_code("JPY").unwrap());
        let none = store.pick_products(&li, "", jpy, dec("5")).await.unwrap();
        assert!(none[0].tier.is_none());
        assert_eq!(
            none[0].currencies,
            [Currency::from_code("EUR").unwrap(), Currency::usd()]
        );
    }
}

#[tokio::test]
async fn an_import_writes_every_product_or_none() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        store
            .create_product(ctx(&admin), &valve("TAKEN"))
            .await
            .unwrap();
        let entries: Vec<_> = ["N-1", "N-2", "TAKEN"]
            .iter()
            .map(|m| valve(m).validate().unwrap())
            .collect();
        let err = store.import_products(ctx(&admin), "p.xlsx", &entries).await;
        assert!(
            matches!(err, Err(StoreError::Domain(DomainError::Invalid(_)))),
            "{err:?}"
        );
        assert_eq!(testing::count_rows(&store, "products").await, 1);
        let ids = store
            .import_products(ctx(&admin), "p.xlsx", &entries[..2])
            .await
            .unwrap();
        assert_eq!(ids.len(), 2);
        assert_eq!(testing::count_rows(&store, "products").await, 3);
        assert_eq!(
            store
                .taken_models(&["n-1".into(), "zzz".into()])
                .await
                .unwrap(),
            ["n-1"]
        );
    }
}

#[tokio::test]
async fn a_product_type_in_use_is_not_deleted() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        let t = store
            .create_dict_item(
                ctx(&admin),
                DictKind::ProductType,
                DictItemInput {
                    name_zh: "阀门".into(),
                    name_en: "Valves".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let mut p = valve("A");
        p.type_id = Some(t);
        store.create_product(ctx(&admin), &p).await.unwrap();
        assert_eq!(
            store
                .dict_item_usage(DictKind::ProductType, t)
                .await
                .unwrap(),
            1
        );
        assert!(
            store
                .delete_dict_item(ctx(&admin), DictKind::ProductType, t)
                .await
                .is_err()
        );
    }
}
