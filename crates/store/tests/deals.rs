//! Opportunities on SQLite and PostgreSQL: a selling one promotes its customer (logged,
//! in its transaction), a paused customer pauses them, moves follow the opportunity
//! pipeline, the customer's rule decides who sees and changes them, the board keeps
//! totals per currency and marks rotting ones, and the workbench counts them.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::customers::CustomerInput;
use wharf_core::deals::{LineInput, OpportunityInput};
use wharf_core::{Actor, DomainError};
use wharf_store::deals::{BoardQuery, OpportunityEdit, OpportunityQuery, View};
use wharf_store::testing::{admin, ctx};
use wharf_store::{Store, StoreError, testing};

fn code(e: StoreError) -> String {
    match e {
        StoreError::Domain(DomainError::Invalid(f)) => format!("{}:{}", f.0[0].field, f.0[0].code),
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

fn edit(title: &str, amount: &str, currency: &str) -> OpportunityEdit {
    OpportunityEdit {
        input: OpportunityInput {
            title: title.into(),
            amount: amount.into(),
            currency: currency.into(),
            status: "selling".into(),
            ..OpportunityInput::default()
        },
        ..OpportunityEdit::default()
    }
}

#[tokio::test]
async fn a_selling_opportunity_promotes_its_customer_and_is_logged() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let c = customer_in(&store, &li, "Hamburg Pumps", "prospect").await;
        let mut e = edit("500 pumps", "", "eur");
        e.input.lines = vec![LineInput {
            name: "Pump P-20".into(),
            quantity: "500".into(),
            unit: "pcs".into(),
            unit_price: "12.345".into(),
            ..LineInput::default()
        }];
        let id = store.create_opportunity(ctx(&li), c, e).await.unwrap();
        let o = store.opportunity(&li, id).await.unwrap();
        assert_eq!(o.amount.normalize().to_string(), "6172.5");
        assert_eq!(o.currency, "EUR");
        assert_eq!(o.lines.len(), 1);
        assert_eq!(o.probability, 10, "the first stage's");
        assert_eq!(o.stage_en, "Qualified");
        assert!(o.may_change);
        let stage = store.customer_stage(&li, c).await.unwrap();
        assert_eq!(stage.stage.key, "opportunity");
        let log = store.customer_stage_log(&li, c).await.unwrap();
        assert!(
            log.iter()
                .any(|l| l.kind == "stage" && l.from == "prospect" && l.to == "opportunity")
        );
        assert!(log.iter().all(|l| l.kind == "stage" || l.kind == "flag"));
        let own = store.opportunity_log(&li, id).await.unwrap();
        assert_eq!(
            (own[0].kind.as_str(), own[0].to.as_str()),
            ("opportunity", "selling")
        );
    }
}

#[tokio::test]
async fn bad_input_writes_nothing() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let c = customer_in(&store, &li, "Bad Input Ltd", "target").await;
        for (amount, currency, want) in [
            ("-5", "USD", "amount:money_negative"),
            ("2000000000000", "USD", "amount:money_too_large"),
            ("100", "XYZ", "currency:unknown_currency"),
            ("ten", "USD", "amount:money_invalid"),
            ("10.5", "JPY", "amount:money_no_decimals"),
        ] {
            let e = store
                .create_opportunity(ctx(&li), c, edit("X", amount, currency))
                .await;
            assert_eq!(code(e.unwrap_err()), want);
        }
        let mut e = edit("Z", "", "USD");
        e.input.lines = vec![LineInput {
            product_id: Some(999_999),
            name: "Ghost".into(),
            quantity: "1".into(),
            unit_price: "1".into(),
            ..LineInput::default()
        }];
        assert_eq!(
            code(store.create_opportunity(ctx(&li), c, e).await.unwrap_err()),
            "line_product:invalid_choice",
            "a product the catalog does not have"
        );
        let mut e = edit("Y", "10", "USD");
        e.stage_id = Some(1);
        assert_eq!(
            code(store.create_opportunity(ctx(&li), c, e).await.unwrap_err()),
            "stage_id:invalid_choice",
            "a customer stage is not an opportunity stage"
        );
        assert_eq!(testing::count_rows(&store, "opportunities").await, 0);
        assert_eq!(
            store.customer_stage(&li, c).await.unwrap().stage.key,
            "target"
        );
    }
}

#[tokio::test]
async fn pausing_the_customer_pauses_its_opportunities() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let c = customer_in(&store, &li, "Pause Co", "opportunity").await;
        let selling = store
            .create_opportunity(ctx(&li), c, edit("A", "10", "USD"))
            .await
            .unwrap();
        let mut ended = edit("B", "10", "USD");
        ended.input.status = "ended".into();
        ended.input.outcome = "won".into();
        let ended = store.create_opportunity(ctx(&li), c, ended).await.unwrap();
        store
            .set_stage_flag(ctx(&li), c, "paused", "")
            .await
            .unwrap();
        assert_eq!(
            store.opportunity(&li, selling).await.unwrap().status,
            "paused"
        );
        assert_eq!(store.opportunity(&li, ended).await.unwrap().status, "ended");
    }
}

#[tokio::test]
async fn a_colleague_neither_sees_nor_moves_it() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let wang = testing::staff(&store, &a, "wang", "salesperson", None).await;
        let c = customer_in(&store, &li, "Private Co", "opportunity").await;
        let id = store
            .create_opportunity(ctx(&li), c, edit("Li's", "10", "USD"))
            .await
            .unwrap();
        assert_eq!(
            code(store.opportunity(&wang, id).await.unwrap_err()),
            "not_found"
        );
        let stages = store.opportunity_pipelines(&a).await.unwrap()[0]
            .stages
            .clone();
        assert_eq!(
            code(
                store
                    .move_opportunity(ctx(&wang), id, stages[2].id)
                    .await
                    .unwrap_err()
            ),
            "not_found"
        );
        for view in [View::Mine, View::Team] {
            let q = OpportunityQuery {
                view,
                ..OpportunityQuery::default()
            };
            assert_eq!(store.list_opportunities(&wang, &q).await.unwrap().total, 0);
        }
        let board = store
            .opportunity_board(
                &wang,
                &BoardQuery {
                    filter: OpportunityQuery {
                        view: View::Team,
                        ..Default::default()
                    },
                    now: wharf_store::now(),
                },
            )
            .await
            .unwrap();
        assert!(board.columns.iter().all(|c| c.count == 0));
        // A company-wide manager sees and moves it; the probability follows the stage.
        store
            .move_opportunity(ctx(&a), id, stages[2].id)
            .await
            .unwrap();
        let o = store.opportunity(&li, id).await.unwrap();
        assert_eq!((o.stage_id, o.probability), (stages[2].id, 50));
    }
}

#[tokio::test]
async fn the_board_totals_per_currency_and_marks_rotting() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let c = customer_in(&store, &li, "Board Co", "opportunity").await;
        for (amount, currency) in [("100", "USD"), ("50.5", "USD"), ("200", "EUR")] {
            store
                .create_opportunity(ctx(&li), c, edit("o", amount, currency))
                .await
                .unwrap();
        }
        let q = BoardQuery {
            filter: OpportunityQuery::default(),
            now: wharf_store::now(),
        };
        let board = store.opportunity_board(&li, &q).await.unwrap();
        let first = &board.columns[0];
        assert_eq!(first.count, 3);
        let totals: Vec<(String, String)> = first
            .totals
            .iter()
            .map(|t| (t.currency.clone(), t.amount.normalize().to_string()))
            .collect();
        assert_eq!(
            totals,
            [
                ("EUR".to_string(), "200".to_string()),
                ("USD".into(), "150.5".into())
            ]
        );
        assert_eq!(first.rotting, 0);
        // Fifteen days on, the first stage (14 rotting days) rots.
        let later = BoardQuery {
            now: wharf_store::now() + 15 * 86_400,
            ..q
        };
        let board = store.opportunity_board(&li, &later).await.unwrap();
        assert_eq!(board.columns[0].rotting, 3);
        assert!(board.columns[0].cards.iter().all(|c| c.rotting));
        let counts = store
            .opportunity_counts(
                &li,
                View::Mine,
                wharf_store::now() + 15 * 86_400,
                ("2000-01-01", "2000-01-02"),
            )
            .await
            .unwrap();
        assert_eq!(counts.rotting, 3);
    }
}
