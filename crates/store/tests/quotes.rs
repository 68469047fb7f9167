//! Quotes on SQLite and PostgreSQL: numbers per year, a draft saved in place, a discount
//! above the threshold waits for a manager (never the owner), an approved version is
//! kept and editing makes v2, bad input writes nothing, and a salesperson neither sees
//! nor changes a colleague's quote while the manager over them does.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::customers::CustomerInput;
use wharf_core::money::Decimal;
use wharf_core::org::DepartmentInput;
use wharf_core::quotes::{
    Incoterm, LineInput, LineKind, ProductSnapshot, QuoteHeader, QuoteRate, QuoteStatus,
};
use wharf_core::zone::Day;
use wharf_core::{Actor, DomainError};
use wharf_store::quotes::{QuoteDraft, QuoteQuery, QuoteSettings};
use wharf_store::testing::{admin, ctx, staff};
use wharf_store::{Store, StoreError, testing};

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn today() -> Day {
    Day::new(2026, 12, 7).unwrap()
}

fn item(name: &str, quantity: &str, price: &str, discount: &str) -> LineInput {
    LineInput {
        kind: LineKind::Item,
        item: ProductSnapshot {
            name: name.into(),
            unit: "pcs".into(),
            ..ProductSnapshot::default()
        },
        quantity: d(quantity),
        unit_price: d(price),
        discount: d(discount),
    }
}

fn draft(customer_id: i64, lines: Vec<LineInput>) -> QuoteDraft {
    QuoteDraft {
        header: QuoteHeader {
            customer_id,
            contact_id: None,
            opportunity_id: None,
            currency: "USD".into(),
            incoterm: Some(Incoterm::Fob),
            port_loading: "Ningbo".into(),
            port_destination: "Hamburg".into(),
            payment_terms: "T/T 30% deposit".into(),
            valid_until: today().plus_days(30),
            notes: String::new(),
        },
        lines,
        rate: QuoteRate {
            base: "CNY".into(),
            rate: d("7.1234"),
            on: today(),
        },
        today: today(),
    }
}

fn code(e: StoreError) -> String {
    match e {
        StoreError::Domain(DomainError::Invalid(f)) => format!("{}:{}", f.0[0].field, f.0[0].code),
        StoreError::Domain(d) => d.code().to_string(),
        other => format!("{other}"),
    }
}

struct World {
    admin: Actor,
    li: Actor,
    wang: Actor,
    manager: Actor,
    li_customer: i64,
}

async fn world(store: &Store) -> World {
    let admin = admin(store).await;
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
    let li = staff(store, &admin, "li", "salesperson", Some(dept)).await;
    let wang = staff(store, &admin, "wang", "salesperson", Some(dept)).await;
    let manager = staff(store, &admin, "boss", "department_manager", Some(dept)).await;
    let li_customer = store
        .create_customer(
            ctx(&li),
            CustomerInput {
                name: "Li Pumps #1 GmbH".into(),
                ..Default::default()
            },
            &[li.user_id],
        )
        .await
        .unwrap();
    World {
        admin,
        li,
        wang,
        manager,
        li_customer,
    }
}

#[tokio::test]
async fn a_quote_is_numbered_approved_and_versioned() {
    for store in testing::backends().await {
        let w = world(&store).await;
        store
            .update_quote_settings(
                ctx(&w.admin),
                &QuoteSettings {
                    discount_threshold: Some(d("10")),
                    letterhead_email: "sales@example.com".into(),
                },
            )
            .await
            .unwrap();
        let lines = vec![
            LineInput::group("Valves"),
            item("Ball valve", "100", "12.50", "5"),
            item("Gate valve", "3", "0.335", "0"),
        ];
        let first = store
            .create_quote(ctx(&w.li), draft(w.li_customer, lines.clone()))
            .await
            .unwrap();
        let second = store
            .create_quote(ctx(&w.li), draft(w.li_customer, lines))
            .await
            .unwrap();
        let q = store.quote(&w.li, first.quote_id, None).await.unwrap();
        assert_eq!(q.summary.number, "Q2026-0001");
        assert_eq!(
            store
                .quote(&w.li, second.quote_id, None)
                .await
                .unwrap()
                .summary
                .number,
            "Q2026-0002"
        );
        assert_eq!(q.summary.total, d("1188.51"));
        assert_eq!(q.shown.rate, d("7.1234"));
        assert_eq!(q.lines.len(), 3);
        assert!(q.lines[0].is_group());
        assert_eq!(q.lines[1].discount, d("5"));

        // A draft is saved in place; a 12 % discount then needs the manager.
        let edited = vec![item("Ball valve", "100", "12.50", "12")];
        let saved = store
            .save_quote(ctx(&w.li), first.quote_id, draft(w.li_customer, edited))
            .await
            .unwrap();
        assert_eq!(saved.version, 1);
        assert_eq!(
            store
                .submit_quote(ctx(&w.li), first.quote_id)
                .await
                .unwrap(),
            QuoteStatus::AwaitingApproval
        );
        let waiting = store
            .save_quote(
                ctx(&w.li),
                first.quote_id,
                draft(w.li_customer, vec![item("x", "1", "1", "0")]),
            )
            .await;
        assert_eq!(code(waiting.unwrap_err()), "quote_awaiting_approval");
        // Nobody approves their own quote; the owner's manager sees it in the queue.
        assert!(store.quote_approval_queue(&w.li).await.unwrap().is_empty());
        assert_eq!(
            code(
                store
                    .decide_quote(ctx(&w.li), first.quote_id, true, "")
                    .await
                    .unwrap_err()
            ),
            "forbidden"
        );
        let queue = store.quote_approval_queue(&w.manager).await.unwrap();
        assert_eq!(
            queue.iter().map(|q| q.id).collect::<Vec<_>>(),
            vec![first.quote_id]
        );
        assert_eq!(
            code(
                store
                    .decide_quote(ctx(&w.manager), first.quote_id, false, " ")
                    .await
                    .unwrap_err()
            ),
            "reason:required"
        );
        assert_eq!(
            store
                .decide_quote(ctx(&w.manager), first.quote_id, false, "Too deep")
                .await
                .unwrap(),
            QuoteStatus::Draft
        );
        assert_eq!(
            store
                .quote(&w.li, first.quote_id, None)
                .await
                .unwrap()
                .shown
                .decline_reason,
            "Too deep"
        );
        store
            .submit_quote(ctx(&w.li), first.quote_id)
            .await
            .unwrap();
        assert_eq!(
            store
                .decide_quote(ctx(&w.manager), first.quote_id, true, "")
                .await
                .unwrap(),
            QuoteStatus::Approved
        );
        assert!(
            store
                .quote_approval_queue(&w.manager)
                .await
                .unwrap()
                .is_empty()
        );

        // An approved version is kept; editing makes v2, a draft.
        let v2 = store
            .save_quote(
                ctx(&w.li),
                first.quote_id,
                draft(w.li_customer, vec![item("Ball valve", "200", "12.00", "0")]),
            )
            .await
            .unwrap();
        assert_eq!(v2.version, 2);
        let q = store.quote(&w.li, first.quote_id, None).await.unwrap();
        assert_eq!((q.summary.version, q.summary.status.as_str()), (2, "draft"));
        assert_eq!(q.versions.len(), 2);
        let v1 = store.quote(&w.li, first.quote_id, Some(1)).await.unwrap();
        assert_eq!(
            (v1.shown.status.as_str(), v1.shown.total),
            ("approved", d("1100.00"))
        );
        assert_eq!(
            code(
                store
                    .mark_quote_sent(ctx(&w.li), first.quote_id, None)
                    .await
                    .unwrap_err()
            ),
            "quote_not_approved"
        );
        assert_eq!(
            store
                .submit_quote(ctx(&w.li), first.quote_id)
                .await
                .unwrap(),
            QuoteStatus::Approved
        );
        assert_eq!(
            store
                .mark_quote_sent(ctx(&w.li), first.quote_id, None)
                .await
                .unwrap(),
            QuoteStatus::Sent
        );
        let audited = testing::fetch_text(
            &store,
            "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE action IN ('quote.approve', 'quote.decline', 'quote.sent')",
        )
        .await;
        assert_eq!(audited, "3");
    }
}

#[tokio::test]
async fn bad_input_and_other_peoples_quotes() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let bad = draft(w.li_customer, vec![item("Valve", "-1", "10", "0")]);
        assert_eq!(
            code(store.create_quote(ctx(&w.li), bad).await.unwrap_err()),
            "line1_quantity:not_positive"
        );
        let mut no_rate = draft(w.li_customer, vec![item("Valve", "1", "10", "0")]);
        no_rate.rate.rate = Decimal::ZERO;
        assert_eq!(
            code(store.create_quote(ctx(&w.li), no_rate).await.unwrap_err()),
            "currency:quote_no_rate"
        );
        // Wang cannot quote Li's customer, nor see or change Li's quote.
        let theirs = store
            .create_quote(
                ctx(&w.wang),
                draft(w.li_customer, vec![item("V", "1", "1", "0")]),
            )
            .await;
        assert!(theirs.is_err());
        assert_eq!(testing::count_rows(&store, "quotes").await, 0);
        assert_eq!(testing::count_rows(&store, "quote_lines").await, 0);
        let q = store
            .create_quote(
                ctx(&w.li),
                draft(w.li_customer, vec![item("V", "1", "1", "0")]),
            )
            .await
            .unwrap();
        assert!(store.quote(&w.wang, q.quote_id, None).await.is_err());
        assert!(store.submit_quote(ctx(&w.wang), q.quote_id).await.is_err());
        let wang_list = store
            .list_quotes(
                &w.wang,
                &QuoteQuery {
                    team: true,
                    ..QuoteQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(wang_list.total, 0);
        let team = store
            .list_quotes(
                &w.manager,
                &QuoteQuery {
                    team: true,
                    ..QuoteQuery::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(team.total, 1);
        let mine = store
            .list_quotes(&w.manager, &QuoteQuery::default())
            .await
            .unwrap();
        assert_eq!(mine.total, 0);
        assert_eq!(
            store
                .customer_quotes(&w.li, w.li_customer, 10)
                .await
                .unwrap()
                .len(),
            1
        );
    }
}
