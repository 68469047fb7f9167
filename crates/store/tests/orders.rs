//! Orders on SQLite and PostgreSQL: yearly numbers, an order from a quote copies its lines
//! and amounts exactly and marks it accepted, a second order from it is refused, the first
//! order promotes its customer to won (logged) and ends its opportunity as won, delivery
//! plans the revisit in the company's zone, a finished order is not changed, bad input
//! writes nothing, and a salesperson neither sees nor changes a colleague's order while
//! the manager over them does.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::customers::CustomerInput;
use wharf_core::deals::OpportunityInput;
use wharf_core::money::Decimal;
use wharf_core::orders::{
    DocKind, DocState, FollowState, OrderHeader, OrderLine, OrderStatus, PaymentInput, PaymentKind,
    ShippingInput,
};
use wharf_core::org::DepartmentInput;
use wharf_core::quotes::{
    Incoterm, LineInput, LineKind, ProductSnapshot, QuoteHeader, QuoteRate, QuoteStatus,
};
use wharf_core::zone::{Day, Zone};
use wharf_core::{Actor, DomainError};
use wharf_store::deals::OpportunityEdit;
use wharf_store::orders::{OrderDraft, OrderQuery, OrderRate, Progress, StatusChange};
use wharf_store::quotes::QuoteDraft;
use wharf_store::testing::{admin, count_rows, ctx, staff};
use wharf_store::{Store, StoreError, testing};

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn today() -> Day {
    Zone::utc().today(wharf_store::now())
}

fn code(e: StoreError) -> String {
    match e {
        StoreError::Domain(DomainError::Invalid(f)) => format!("{}:{}", f.0[0].field, f.0[0].code),
        StoreError::Domain(d) => d.code().to_string(),
        other => format!("{other}"),
    }
}

fn line(name: &str, quantity: &str, price: &str) -> OrderLine {
    OrderLine {
        item: ProductSnapshot {
            name: name.into(),
            unit: "pcs".into(),
            ..ProductSnapshot::default()
        },
        quantity: d(quantity),
        unit_price: d(price),
        discount: Decimal::ZERO,
    }
}

fn draft(customer_id: i64, seller: &Actor, follower: &Actor, lines: Vec<OrderLine>) -> OrderDraft {
    OrderDraft {
        header: OrderHeader {
            customer_id,
            quote_id: None,
            opportunity_id: None,
            currency: "USD".into(),
            seller_id: seller.user_id,
            follower_id: follower.user_id,
            ordered_on: today(),
            payment_terms: String::new(),
            shipping: ShippingInput::default(),
            notes: String::new(),
        },
        lines,
        payments: vec![PaymentInput {
            kind: PaymentKind::Deposit,
            amount: d("100"),
            due_on: Some(today().plus_days(7)),
            received_on: None,
        }],
        rate: OrderRate {
            base: "CNY".into(),
            rate: d("7.1"),
            on: today(),
        },
        today: today(),
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
                name: "Li Pumps GmbH".into(),
                stage: "prospect".into(),
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

fn quote_item(name: &str, quantity: &str, price: &str, discount: &str) -> LineInput {
    LineInput {
        kind: LineKind::Item,
        item: ProductSnapshot {
            name: name.into(),
            model: "BV-2".into(),
            unit: "pcs".into(),
            ..ProductSnapshot::default()
        },
        quantity: d(quantity),
        unit_price: d(price),
        discount: d(discount),
    }
}

#[tokio::test]
async fn an_order_from_a_quote_copies_it_once_and_wins_the_customer() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let opportunity = store
            .create_opportunity(
                ctx(&w.li),
                w.li_customer,
                OpportunityEdit {
                    input: OpportunityInput {
                        title: "Valves 2027".into(),
                        amount: "1000".into(),
                        currency: "USD".into(),
                        status: "selling".into(),
                        ..OpportunityInput::default()
                    },
                    ..OpportunityEdit::default()
                },
            )
            .await
            .unwrap();
        let quote = store
            .create_quote(
                ctx(&w.li),
                QuoteDraft {
                    header: QuoteHeader {
                        customer_id: w.li_customer,
                        contact_id: None,
                        opportunity_id: Some(opportunity),
                        currency: "EUR".into(),
                        incoterm: Some(Incoterm::Fob),
                        port_loading: "Ningbo".into(),
                        port_destination: "Hamburg".into(),
                        payment_terms: "T/T 30% deposit".into(),
                        valid_until: today().plus_days(30),
                        notes: String::new(),
                    },
                    lines: vec![
                        LineInput::group("Valves"),
                        quote_item("Ball valve", "100", "12.50", "5"),
                        quote_item("Gate valve", "3", "0.335", "0"),
                    ],
                    rate: QuoteRate {
                        base: "CNY".into(),
                        rate: d("7.7777"),
                        on: today().plus_days(-1),
                    },
                    today: today(),
                },
            )
            .await
            .unwrap()
            .quote_id;
        // A draft quote is not ordered.
        let early = store
            .order_from_quote(ctx(&w.li), quote, draft(0, &w.li, &w.li, Vec::new()))
            .await;
        assert_eq!(code(early.unwrap_err()), "order_quote_not_sent");
        assert_eq!(
            store.submit_quote(ctx(&w.li), quote).await.unwrap(),
            QuoteStatus::Approved
        );
        store
            .mark_quote_sent(ctx(&w.li), quote, None)
            .await
            .unwrap();

        let first = store
            .create_order(
                ctx(&w.li),
                draft(
                    w.li_customer,
                    &w.li,
                    &w.li,
                    vec![line("Sample", "1", "150")],
                ),
            )
            .await
            .unwrap();
        let mut from = draft(0, &w.li, &w.wang, Vec::new());
        from.payments = Vec::new();
        let order = store
            .order_from_quote(ctx(&w.li), quote, from)
            .await
            .unwrap();
        let o = store.order(&w.li, order).await.unwrap();
        let year = today().year();
        assert_eq!(
            store.order(&w.li, first).await.unwrap().summary.number,
            format!("O{year}-0001")
        );
        assert_eq!(o.summary.number, format!("O{year}-0002"));
        let q = store.quote(&w.li, quote, None).await.unwrap();
        assert_eq!(q.summary.status, "accepted");
        assert_eq!(o.summary.currency, "EUR");
        assert_eq!((o.rate, o.rate_base.as_str()), (d("7.7777"), "CNY"));
        assert_eq!(o.rate_on, today().plus_days(-1).iso());
        assert_eq!(o.summary.total, q.summary.total);
        assert_eq!(o.port_destination, "Hamburg");
        assert_eq!(o.payment_terms, "T/T 30% deposit");
        let priced: Vec<_> = q.lines.iter().filter(|l| !l.is_group()).collect();
        assert_eq!(o.lines.len(), priced.len());
        for (a, b) in o.lines.iter().zip(priced) {
            assert_eq!(
                (
                    &a.name,
                    &a.model,
                    a.quantity,
                    a.unit_price,
                    a.discount,
                    a.amount
                ),
                (
                    &b.name,
                    &b.model,
                    b.quantity,
                    b.unit_price,
                    b.discount,
                    b.amount
                )
            );
        }
        assert_eq!(o.summary.opportunity_id, Some(opportunity));
        let opp = store.opportunity(&w.li, opportunity).await.unwrap();
        assert_eq!(
            (opp.status.as_str(), opp.outcome.as_deref()),
            ("ended", Some("won"))
        );

        // A second order from the same quote is refused, and writes nothing.
        let orders = count_rows(&store, "orders").await;
        let again = store
            .order_from_quote(ctx(&w.li), quote, draft(0, &w.li, &w.li, Vec::new()))
            .await;
        assert_eq!(code(again.unwrap_err()), "order_quote_already_ordered");
        assert_eq!(count_rows(&store, "orders").await, orders);

        // The first order made the customer won, logged once as a stage move.
        let stage = store.customer_stage(&w.li, w.li_customer).await.unwrap();
        assert_eq!(stage.stage.key, "won");
        let log = store
            .customer_stage_log(&w.li, w.li_customer)
            .await
            .unwrap();
        let moves: Vec<_> = log
            .iter()
            .filter(|e| e.kind == "stage" && e.to == "won")
            .collect();
        assert_eq!(moves.len(), 1, "{log:?}");
        assert_eq!(moves[0].reason, "order");
        let _ = &w.admin;
    }
}

#[tokio::test]
async fn delivery_plans_the_revisit_in_the_company_zone_and_closing_freezes() {
    for store in testing::backends().await {
        let w = world(&store).await;
        // Kiritimati is UTC+14: its day is often not UTC's.
        store
            .update_settings(
                ctx(&w.admin),
                &[
                    ("time_zone".into(), "Pacific/Kiritimati".into()),
                    ("revisit_after_sale_days".into(), "10".into()),
                ],
            )
            .await
            .unwrap();
        let zone = Zone::named("Pacific/Kiritimati").unwrap();
        testing::clear_of_midnight(&zone).await;
        let mut input = draft(w.li_customer, &w.li, &w.li, vec![line("Pump", "2", "500")]);
        input.today = zone.today(wharf_store::now());
        input.header.ordered_on = input.today;
        let order = store.create_order(ctx(&w.li), input.clone()).await.unwrap();
        let step = |to| StatusChange {
            to,
            note: String::new(),
            delivered_on: None,
        };
        assert_eq!(
            store
                .set_order_status(ctx(&w.li), order, step(OrderStatus::Shipped))
                .await
                .unwrap(),
            None
        );
        let back = store
            .set_order_status(ctx(&w.li), order, step(OrderStatus::InProduction))
            .await;
        assert_eq!(code(back.unwrap_err()), "order_status_backwards");
        let due = store
            .set_order_status(ctx(&w.li), order, step(OrderStatus::Delivered))
            .await
            .unwrap();
        let expected = zone.today(wharf_store::now()).plus_days(10);
        assert_eq!(due, Some(expected));
        let o = store.order(&w.li, order).await.unwrap();
        assert_eq!(
            o.revisit.as_ref().map(|r| r.due_on.clone()),
            Some(expected.iso())
        );
        assert_eq!(o.revisit.as_ref().map(|r| r.user_id), Some(w.li.user_id));
        let revisits = store
            .customer_order_revisits(&w.li, w.li_customer)
            .await
            .unwrap();
        assert_eq!(revisits.len(), 1);
        assert!(
            o.events
                .iter()
                .any(|e| e.kind == "status" && e.to_value == "delivered")
        );

        // An explicit delivery day on a second order counts from that day.
        let second = store.create_order(ctx(&w.li), input.clone()).await.unwrap();
        let day = zone.today(wharf_store::now()).plus_days(-3);
        let due = store
            .set_order_status(
                ctx(&w.li),
                second,
                StatusChange {
                    to: OrderStatus::Delivered,
                    note: "signed by the warehouse".into(),
                    delivered_on: Some(day),
                },
            )
            .await
            .unwrap();
        assert_eq!(due, Some(day.plus_days(10)));

        // Closed: nothing changes any more.
        store
            .set_order_status(ctx(&w.li), order, step(OrderStatus::Closed))
            .await
            .unwrap();
        let edit = store.save_order(ctx(&w.li), order, input.clone()).await;
        assert_eq!(code(edit.unwrap_err()), "order_finished");
        let doc = store
            .set_order_document(ctx(&w.li), order, DocKind::PackingList, DocState::Sent)
            .await;
        assert_eq!(code(doc.unwrap_err()), "order_finished");
        let follow = store
            .set_order_follow(ctx(&w.li), order, FollowState::Paused)
            .await;
        assert_eq!(code(follow.unwrap_err()), "order_finished");
    }
}

#[tokio::test]
async fn bad_input_writes_nothing() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let before = count_rows(&store, "orders").await;
        let cases: Vec<(OrderDraft, &str)> = vec![
            (
                draft(w.li_customer, &w.li, &w.li, vec![line("Pump", "-1", "5")]),
                "line1_quantity:not_positive",
            ),
            (
                draft(
                    w.li_customer,
                    &w.li,
                    &w.li,
                    vec![line("Pump", "1000000000000", "5")],
                ),
                "line1_quantity:too_large",
            ),
            (
                {
                    let mut x = draft(w.li_customer, &w.li, &w.li, vec![line("Pump", "1", "5")]);
                    x.header.currency = "XYZ".into();
                    x
                },
                "currency:unknown_currency",
            ),
            (
                // Payments above the total (100 deposit, 5 total).
                draft(w.li_customer, &w.li, &w.li, vec![line("Pump", "1", "5")]),
                "payments:payments_above_total",
            ),
            (
                {
                    let mut x = draft(w.li_customer, &w.li, &w.li, vec![line("Pump", "1", "500")]);
                    x.header.follower_id = 999_999;
                    x
                },
                "follower_id:invalid_choice",
            ),
        ];
        for (input, want) in cases {
            let e = store.create_order(ctx(&w.li), input).await.unwrap_err();
            assert_eq!(code(e), want);
        }
        // A customer Wang does not see: it does not exist for him.
        let hidden = store
            .create_order(
                ctx(&w.wang),
                draft(
                    w.li_customer,
                    &w.wang,
                    &w.wang,
                    vec![line("Pump", "1", "500")],
                ),
            )
            .await;
        assert_eq!(code(hidden.unwrap_err()), "not_found");
        assert_eq!(count_rows(&store, "orders").await, before);
        assert_eq!(count_rows(&store, "order_lines").await, 0);
    }
}

#[tokio::test]
async fn a_colleague_neither_sees_nor_changes_and_the_manager_does() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let order = store
            .create_order(
                ctx(&w.li),
                draft(w.li_customer, &w.li, &w.li, vec![line("Pump", "2", "500")]),
            )
            .await
            .unwrap();
        assert_eq!(
            code(store.order(&w.wang, order).await.unwrap_err()),
            "not_found"
        );
        let change = store
            .set_order_status(
                ctx(&w.wang),
                order,
                StatusChange {
                    to: OrderStatus::Shipped,
                    note: String::new(),
                    delivered_on: None,
                },
            )
            .await;
        assert_eq!(code(change.unwrap_err()), "not_found");
        let note = store.add_order_note(ctx(&w.wang), order, "hi").await;
        assert_eq!(code(note.unwrap_err()), "not_found");
        for progress in [Progress::InProgress, Progress::Open, Progress::All] {
            for team in [false, true] {
                let q = OrderQuery {
                    team,
                    progress,
                    ..OrderQuery::default()
                };
                assert_eq!(store.list_orders(&w.wang, &q).await.unwrap().total, 0);
            }
        }
        assert_eq!(store.orders_to_follow(&w.wang).await.unwrap().open, 0);

        // Li follows it; the manager over Li sees it in the team and may change it.
        let counts = store.orders_to_follow(&w.li).await.unwrap();
        assert_eq!((counts.in_progress, counts.open), (1, 1));
        let mine = OrderQuery::default();
        assert_eq!(store.list_orders(&w.li, &mine).await.unwrap().total, 1);
        let team = OrderQuery {
            team: true,
            ..OrderQuery::default()
        };
        assert_eq!(store.list_orders(&w.manager, &mine).await.unwrap().total, 0);
        assert_eq!(store.list_orders(&w.manager, &team).await.unwrap().total, 1);
        assert!(store.order(&w.manager, order).await.unwrap().may_change);
        store
            .add_order_note(ctx(&w.manager), order, "Called the forwarder")
            .await
            .unwrap();
        // Paused: out of "in progress", still in "all open".
        store
            .set_order_follow(ctx(&w.li), order, FollowState::Paused)
            .await
            .unwrap();
        let counts = store.orders_to_follow(&w.li).await.unwrap();
        assert_eq!((counts.in_progress, counts.open), (0, 1));
        let by_number = OrderQuery {
            progress: Progress::All,
            text: store.order(&w.li, order).await.unwrap().summary.number,
            ..OrderQuery::default()
        };
        assert_eq!(store.list_orders(&w.li, &by_number).await.unwrap().total, 1);
        let by_name = OrderQuery {
            progress: Progress::All,
            text: "pumps".into(),
            ..OrderQuery::default()
        };
        assert_eq!(store.list_orders(&w.li, &by_name).await.unwrap().total, 1);
    }
}
