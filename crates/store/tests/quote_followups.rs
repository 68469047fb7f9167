//! Quotes' follow-ups on SQLite and PostgreSQL: the daily sweep expires approved and
//! sent quotes past their validity (in the company's calendar, once, audited), a quote
//! never points at another customer's opportunity, and the admin who alone has
//! company-wide scope approves her own quote above the threshold (audited as a
//! self-approval) — until someone else has that scope.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::customers::CustomerInput;
use wharf_core::deals::OpportunityInput;
use wharf_core::money::Decimal;
use wharf_core::quotes::{
    Incoterm, LineInput, LineKind, ProductSnapshot, QuoteHeader, QuoteRate, QuoteStatus,
};
use wharf_core::zone::Day;
use wharf_core::{Actor, DomainError};
use wharf_store::deals::OpportunityEdit;
use wharf_store::quotes::{QuoteDraft, QuoteSettings};
use wharf_store::testing::{admin, ctx, staff};
use wharf_store::{Store, StoreError, testing};

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn item(discount: &str) -> LineInput {
    LineInput {
        kind: LineKind::Item,
        item: ProductSnapshot {
            name: "Ball valve".into(),
            unit: "pcs".into(),
            ..ProductSnapshot::default()
        },
        quantity: d("10"),
        unit_price: d("12.50"),
        discount: d(discount),
    }
}

fn draft(customer_id: i64, today: Day, valid_days: i64, discount: &str) -> QuoteDraft {
    QuoteDraft {
        header: QuoteHeader {
            customer_id,
            contact_id: None,
            opportunity_id: None,
            currency: "USD".into(),
            incoterm: Some(Incoterm::Fob),
            port_loading: "Ningbo".into(),
            port_destination: String::new(),
            payment_terms: "T/T".into(),
            valid_until: today.plus_days(valid_days),
            notes: String::new(),
        },
        lines: vec![item(discount)],
        rate: QuoteRate {
            base: "CNY".into(),
            rate: d("7.1"),
            on: today,
        },
        today,
    }
}

fn code(e: StoreError) -> String {
    match e {
        StoreError::Domain(DomainError::Invalid(f)) => format!("{}:{}", f.0[0].field, f.0[0].code),
        StoreError::Domain(d) => d.code().to_string(),
        other => format!("{other}"),
    }
}

async fn customer(store: &Store, by: &Actor, name: &str) -> i64 {
    store
        .create_customer(
            ctx(by),
            CustomerInput {
                name: name.into(),
                ..Default::default()
            },
            &[by.user_id],
        )
        .await
        .unwrap()
}

async fn status(store: &Store, actor: &Actor, quote: i64) -> String {
    store
        .quote(actor, quote, None)
        .await
        .unwrap()
        .summary
        .status
}

#[tokio::test]
async fn the_sweep_expires_quotes_past_their_validity_once() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = staff(&store, &a, "li", "salesperson", None).await;
        let c = customer(&store, &li, "Hamburg Pumps").await;
        let today = store.company_today(wharf_store::now()).await.unwrap();
        let start = today.plus_days(-40);
        // Sent, valid until 10 days ago; approved, valid until yesterday; sent, valid
        // until today; a draft long past its day.
        let mut ids = Vec::new();
        for (days, send) in [(30, true), (39, false), (40, true), (1, false)] {
            let q = store
                .create_quote(ctx(&li), draft(c, start, days, "0"))
                .await
                .unwrap()
                .quote_id;
            if days != 1 {
                store.submit_quote(ctx(&li), q).await.unwrap();
            }
            if send {
                store.mark_quote_sent(ctx(&li), q, None).await.unwrap();
            }
            ids.push(q);
        }
        assert_eq!(store.expire_quotes(today, 100).await.unwrap(), 2);
        let after: Vec<String> = {
            let mut v = Vec::new();
            for q in &ids {
                v.push(status(&store, &li, *q).await);
            }
            v
        };
        assert_eq!(after, ["expired", "expired", "sent", "draft"]);
        assert_eq!(
            store.expire_quotes(today, 100).await.unwrap(),
            0,
            "a second run repeats nothing"
        );
        assert_eq!(
            testing::fetch_text(
                &store,
                "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE action = 'quote.expire' AND username = 'quote_expiry'"
            )
            .await,
            "2"
        );
        // The next day the one valid until today goes too.
        assert_eq!(
            store.expire_quotes(today.plus_days(1), 100).await.unwrap(),
            1
        );
        assert_eq!(status(&store, &li, ids[2]).await, "expired");
        // An expired quote is closed: it cannot be sent.
        assert_eq!(
            code(
                store
                    .mark_quote_sent(ctx(&li), ids[0], None)
                    .await
                    .unwrap_err()
            ),
            "quote_closed"
        );
    }
}

#[tokio::test]
async fn a_quote_points_only_at_its_customers_opportunity() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = staff(&store, &a, "li", "salesperson", None).await;
        let mine = customer(&store, &li, "Hamburg Pumps").await;
        let other = customer(&store, &li, "Lyon Valves").await;
        let opportunity = store
            .create_opportunity(
                ctx(&li),
                other,
                OpportunityEdit {
                    input: OpportunityInput {
                        title: "200 valves".into(),
                        amount: "1000".into(),
                        currency: "EUR".into(),
                        status: "selling".into(),
                        ..OpportunityInput::default()
                    },
                    ..OpportunityEdit::default()
                },
            )
            .await
            .unwrap();
        let today = store.company_today(wharf_store::now()).await.unwrap();
        let mut wrong = draft(mine, today, 30, "0");
        wrong.header.opportunity_id = Some(opportunity);
        assert_eq!(
            code(
                store
                    .create_quote(ctx(&li), wrong.clone())
                    .await
                    .unwrap_err()
            ),
            "opportunity_id:quote_opportunity_other_customer"
        );
        wrong.header.opportunity_id = Some(opportunity + 1000);
        assert_eq!(
            code(store.create_quote(ctx(&li), wrong).await.unwrap_err()),
            "opportunity_id:quote_opportunity_other_customer",
            "one that does not exist"
        );
        assert_eq!(testing::count_rows(&store, "quotes").await, 0);
        // Its own customer's: fine; and saving it onto another's is refused.
        let mut right = draft(other, today, 30, "0");
        right.header.opportunity_id = Some(opportunity);
        let q = store.create_quote(ctx(&li), right.clone()).await.unwrap();
        let on_page = store.quote(&li, q.quote_id, None).await.unwrap();
        assert_eq!(on_page.shown.opportunity_id, Some(opportunity));
        let second = store
            .create_opportunity(
                ctx(&li),
                mine,
                OpportunityEdit {
                    input: OpportunityInput {
                        title: "pumps".into(),
                        amount: "5".into(),
                        currency: "USD".into(),
                        status: "selling".into(),
                        ..OpportunityInput::default()
                    },
                    ..OpportunityEdit::default()
                },
            )
            .await
            .unwrap();
        right.header.opportunity_id = Some(second);
        assert_eq!(
            code(
                store
                    .save_quote(ctx(&li), q.quote_id, right)
                    .await
                    .unwrap_err()
            ),
            "opportunity_id:quote_opportunity_other_customer"
        );
        let kept = store.quote(&li, q.quote_id, None).await.unwrap();
        assert_eq!(kept.shown.opportunity_id, Some(opportunity));
    }
}

#[tokio::test]
async fn the_only_company_wide_admin_approves_her_own_quote() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        store
            .update_quote_settings(
                ctx(&a),
                &QuoteSettings {
                    discount_threshold: Some(d("10")),
                    letterhead_email: String::new(),
                },
            )
            .await
            .unwrap();
        let c = customer(&store, &a, "Admin's Customer").await;
        let today = store.company_today(wharf_store::now()).await.unwrap();
        let q = store
            .create_quote(ctx(&a), draft(c, today, 30, "25"))
            .await
            .unwrap()
            .quote_id;
        assert_eq!(
            store.submit_quote(ctx(&a), q).await.unwrap(),
            QuoteStatus::AwaitingApproval
        );
        let shown = store.quote(&a, q, None).await.unwrap();
        assert!(!shown.may_approve && shown.approve_alone);
        // Declining her own is not offered (she edits it instead).
        assert_eq!(
            code(
                store
                    .decide_quote(ctx(&a), q, false, "no")
                    .await
                    .unwrap_err()
            ),
            "forbidden"
        );
        assert_eq!(
            store.decide_quote(ctx(&a), q, true, "").await.unwrap(),
            QuoteStatus::Approved
        );
        assert_eq!(
            testing::fetch_text(
                &store,
                "SELECT action FROM audit_log WHERE action LIKE 'quote.%approve%' ORDER BY id DESC LIMIT 1"
            )
            .await,
            "quote.self_approve"
        );
        // Once a general manager exists, he approves: hers waits for him.
        let gm = staff(&store, &a, "gm", "general_manager", None).await;
        let again = store
            .create_quote(ctx(&a), draft(c, today, 30, "30"))
            .await
            .unwrap()
            .quote_id;
        store.submit_quote(ctx(&a), again).await.unwrap();
        assert!(!store.quote(&a, again, None).await.unwrap().approve_alone);
        assert_eq!(
            code(
                store
                    .decide_quote(ctx(&a), again, true, "")
                    .await
                    .unwrap_err()
            ),
            "forbidden"
        );
        assert_eq!(status(&store, &a, again).await, "awaiting_approval");
        assert_eq!(
            store.decide_quote(ctx(&gm), again, true, "").await.unwrap(),
            QuoteStatus::Approved
        );
    }
}
