//! Contact records on SQLite and PostgreSQL: a record keeps its customer's
//! `last_contacted_at` / `next_revisit_at` in step, bad input writes nothing, a
//! salesperson neither sees nor changes a colleague's records while a manager over them
//! does, the lists' Mine / Team switch, the workbench counts, and reminders marked once.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::customers::CustomerInput;
use wharf_core::org::DepartmentInput;
use wharf_core::records::{RecordInput, Windows};
use wharf_core::zone::Zone;
use wharf_core::{Actor, DomainError};
use wharf_store::records::{RecordQuery, WorkbenchScope};
use wharf_store::testing::{admin, ctx, staff};
use wharf_store::{Store, StoreError, testing};

struct World {
    zone: Zone,
    li: Actor,
    wang: Actor,
    manager: Actor,
    li_customer: i64,
    shared: i64,
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
    let named = |name: &str| CustomerInput {
        name: name.into(),
        ..Default::default()
    };
    let li_customer = store
        .create_customer(ctx(&li), named("Li Pumps GmbH"), &[li.user_id])
        .await
        .unwrap();
    let shared = store
        .create_customer(ctx(&admin), named("Pool Valves Ltd"), &[])
        .await
        .unwrap();
    let zone = store.company_time_zone(&admin).await.unwrap();
    clear_of_midnight(&zone).await;
    World {
        zone,
        li,
        wang,
        manager,
        li_customer,
        shared,
    }
}

/// The tests write a record "a minute ago" and then count "today" in the company's zone:
/// within two minutes of its midnight they wait until the new day is two minutes old, so
/// the record and the count fall on the same day.
async fn clear_of_midnight(zone: &Zone) {
    let now = wharf_store::now();
    let today_start = zone.day_start(zone.today(now));
    let tomorrow_start = zone.day_start(zone.today(now).next());
    let wait_until = if now - today_start < 120 {
        today_start + 120
    } else if tomorrow_start - now < 120 {
        tomorrow_start + 120
    } else {
        return;
    };
    let secs = u64::try_from(wait_until - now).unwrap_or(0);
    tokio::time::sleep(std::time::Duration::from_secs(secs)).await;
}

fn call(content: &str) -> RecordInput {
    RecordInput {
        kind: "call".into(),
        contact_id: None,
        content: content.into(),
        progress_id: None,
        happened_at: wharf_store::now() - 60,
        next_revisit: None,
        remind_at: None,
    }
}

fn code(e: StoreError) -> String {
    match e {
        StoreError::Domain(DomainError::Invalid(f)) => f.0[0].code.to_string(),
        StoreError::Domain(d) => d.code().to_string(),
        other => format!("{other}"),
    }
}

#[tokio::test]
async fn a_record_moves_the_customer_and_the_workbench() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let today = w.zone.today(wharf_store::now());
        let tomorrow = today.next();
        store
            .add_contact_record(
                ctx(&w.li),
                w.li_customer,
                RecordInput {
                    next_revisit: Some(tomorrow),
                    ..call("Wants a quote for 200 pumps")
                },
            )
            .await
            .unwrap();
        let d = store.get_customer(&w.li, w.li_customer).await.unwrap();
        assert_eq!(
            d.customer.next_revisit_at,
            Some(w.zone.day_start(tomorrow)),
            "the revisit day is the customer's"
        );
        let windows = Windows::at(&w.zone, wharf_store::now());
        let counts = store
            .workbench_counts(&w.li, WorkbenchScope::Mine, &windows, &[])
            .await
            .unwrap();
        let reserve = counts.iter().find(|c| c.stage == "reserve").unwrap();
        assert_eq!(
            (
                reserve.revisit_tomorrow,
                reserve.contacted_today,
                reserve.revisit_today
            ),
            (1, 1, 0)
        );
        // The reserve customer is "contacted" now (seed 003's flag), logged as a change.
        assert_eq!(
            testing::fetch_text(
                &store,
                &format!(
                    "SELECT stage_flag FROM customers WHERE id = {}",
                    w.li_customer
                )
            )
            .await,
            "contacted"
        );
        // Rotting: not contacted since the cutoff. Contacted a minute ago, it is not
        // rotting at a cutoff of an hour ago, and is at one of now + 1 s.
        for (cutoff, rotting) in [(wharf_store::now() - 3600, 0), (wharf_store::now() + 1, 1)] {
            let counts = store
                .workbench_counts(
                    &w.li,
                    WorkbenchScope::Mine,
                    &windows,
                    &[("reserve".into(), cutoff)],
                )
                .await
                .unwrap();
            assert_eq!(
                counts
                    .iter()
                    .find(|c| c.stage == "reserve")
                    .unwrap()
                    .rotting,
                rotting
            );
        }
        // Wang owns nothing; the manager's team view counts Li's customer.
        let wang = store
            .workbench_counts(&w.wang, WorkbenchScope::Team, &windows, &[])
            .await
            .unwrap();
        assert!(wang.is_empty(), "{wang:?}");
        let team = store
            .workbench_counts(
                &w.manager,
                WorkbenchScope::Person(w.li.user_id),
                &windows,
                &[],
            )
            .await
            .unwrap();
        assert_eq!(team.iter().map(|c| c.contacted_today).sum::<i64>(), 1);
    }
}

#[tokio::test]
async fn bad_input_writes_nothing() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let yesterday = w.zone.today(wharf_store::now()).plus_days(-1);
        let cases = [
            (
                RecordInput {
                    next_revisit: Some(yesterday),
                    ..call("x")
                },
                "revisit_in_past",
            ),
            (call("   "), "required"),
            (
                RecordInput {
                    kind: "telegram".into(),
                    ..call("x")
                },
                "invalid_choice",
            ),
            (
                RecordInput {
                    contact_id: Some(999_999),
                    ..call("x")
                },
                "invalid_choice",
            ),
            (
                RecordInput {
                    progress_id: Some(999_999),
                    ..call("x")
                },
                "invalid_choice",
            ),
        ];
        for (input, expected) in cases {
            let e = store
                .add_contact_record(ctx(&w.li), w.li_customer, input)
                .await
                .unwrap_err();
            assert_eq!(code(e), expected);
        }
        assert_eq!(testing::count_rows(&store, "contact_records").await, 0);
        let d = store.get_customer(&w.li, w.li_customer).await.unwrap();
        assert_eq!(d.customer.next_revisit_at, None);
    }
}

#[tokio::test]
async fn colleagues_records_stay_theirs() {
    for store in testing::backends().await {
        let w = world(&store).await;
        // Wang cannot see Li's customer, so cannot write on it either.
        let e = store
            .add_contact_record(ctx(&w.wang), w.li_customer, call("peek"))
            .await
            .unwrap_err();
        assert_eq!(code(e), "not_found");
        let li_record = store
            .add_contact_record(ctx(&w.li), w.li_customer, call("mine"))
            .await
            .unwrap();
        assert_eq!(
            code(store.contact_record(&w.wang, li_record).await.unwrap_err()),
            "not_found"
        );
        // On a shared customer both write; each changes only their own record.
        let on_pool = store
            .add_contact_record(ctx(&w.li), w.shared, call("pool call"))
            .await
            .unwrap();
        store
            .add_contact_record(ctx(&w.wang), w.shared, call("wang's call"))
            .await
            .unwrap();
        let seen = store.contact_record(&w.wang, on_pool).await.unwrap();
        assert!(!seen.may_change);
        assert_eq!(
            code(
                store
                    .update_contact_record(ctx(&w.wang), on_pool, call("rewritten"))
                    .await
                    .unwrap_err()
            ),
            "forbidden"
        );
        assert_eq!(
            code(
                store
                    .delete_contact_record(ctx(&w.wang), on_pool)
                    .await
                    .unwrap_err()
            ),
            "forbidden"
        );
        // The manager over Li may change Li's record.
        store
            .update_contact_record(ctx(&w.manager), on_pool, call("corrected by the manager"))
            .await
            .unwrap();
        assert_eq!(
            store.contact_record(&w.li, on_pool).await.unwrap().content,
            "corrected by the manager"
        );
        // Mine / Team.
        let list = |actor: &Actor, team: bool| {
            let store = store.clone();
            let actor = actor.clone();
            async move {
                let mut v: Vec<String> = store
                    .list_contact_records(
                        &actor,
                        &RecordQuery {
                            team,
                            per_page: 50,
                            ..Default::default()
                        },
                    )
                    .await
                    .unwrap()
                    .items
                    .into_iter()
                    .map(|r| r.content)
                    .collect();
                v.sort();
                v
            }
        };
        assert_eq!(
            list(&w.wang, true).await,
            vec!["wang's call"],
            "a salesperson's team is herself"
        );
        assert_eq!(
            list(&w.li, false).await,
            vec!["corrected by the manager", "mine"]
        );
        assert_eq!(list(&w.manager, false).await, Vec::<String>::new());
        assert_eq!(list(&w.manager, true).await.len(), 3);
        // Search by words, and deleting keeps the customer's summary in step.
        let found = store
            .list_contact_records(
                &w.li,
                &RecordQuery {
                    text: Some("MANAGER".into()),
                    per_page: 50,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(found.total, 1);
        store
            .delete_contact_record(ctx(&w.li), li_record)
            .await
            .unwrap();
        let d = store.get_customer(&w.li, w.li_customer).await.unwrap();
        assert_eq!(testing::fetch_text(&store, &format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM customers WHERE id = {} AND last_contacted_at IS NULL", d.customer.id
        )).await, "1");
    }
}

#[tokio::test]
async fn a_reminder_is_marked_once() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let at = wharf_store::now() + 5;
        let id = store
            .add_contact_record(
                ctx(&w.li),
                w.li_customer,
                RecordInput {
                    remind_at: Some(at),
                    ..call("call back")
                },
            )
            .await
            .unwrap();
        assert!(store.due_reminders(at - 1, 10).await.unwrap().is_empty());
        assert_eq!(store.due_reminders(at, 10).await.unwrap(), vec![(id, at)]);
        assert!(store.mark_reminded(id, at, at).await.unwrap());
        assert!(!store.mark_reminded(id, at, at).await.unwrap(), "only once");
        assert!(store.due_reminders(at + 100, 10).await.unwrap().is_empty());
        let fired = store.fired_reminders(&w.li, at).await.unwrap();
        assert_eq!(fired.len(), 1);
        assert!(store.fired_reminders(&w.wang, 0).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn an_import_lands_whole_or_not_at_all() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let tomorrow = w.zone.today(wharf_store::now()).next();
        let rows = vec![
            (w.li_customer, call("one")),
            (
                w.li_customer,
                RecordInput {
                    next_revisit: Some(tomorrow),
                    ..call("two")
                },
            ),
            (w.shared, call("three")),
        ];
        // A customer Wang cannot see: nothing of the batch is written.
        let e = store
            .import_contact_records(ctx(&w.wang), rows.clone())
            .await
            .unwrap_err();
        assert_eq!(code(e), "not_found");
        // One bad row refuses the batch.
        let mut bad = rows.clone();
        bad.push((w.li_customer, call("")));
        let e = store
            .import_contact_records(ctx(&w.li), bad)
            .await
            .unwrap_err();
        assert_eq!(code(e), "required");
        assert_eq!(testing::count_rows(&store, "contact_records").await, 0);
        assert_eq!(
            store
                .import_contact_records(ctx(&w.li), rows)
                .await
                .unwrap(),
            3
        );
        let d = store.get_customer(&w.li, w.li_customer).await.unwrap();
        assert_eq!(d.customer.next_revisit_at, Some(w.zone.day_start(tomorrow)));
        assert_eq!(
            store
                .customer_records(&w.li, w.li_customer, 10)
                .await
                .unwrap()
                .len(),
            2
        );
    }
}

#[tokio::test]
async fn the_team_workbench_counts_the_scope_only() {
    for store in testing::backends().await {
        let w = world(&store).await;
        let admin = admin(&store).await;
        let other = store
            .create_department(
                ctx(&admin),
                DepartmentInput {
                    name: "Domestic".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let zhao = staff(&store, &admin, "zhao", "salesperson", Some(other)).await;
        let zhao_customer = store
            .create_customer(
                ctx(&zhao),
                CustomerInput {
                    name: "Zhao Trading".into(),
                    ..Default::default()
                },
                &[zhao.user_id],
            )
            .await
            .unwrap();
        for (actor, customer) in [
            (&w.li, w.li_customer),
            (&zhao, zhao_customer),
            (&w.li, w.shared),
        ] {
            store
                .add_contact_record(ctx(actor), customer, call("called"))
                .await
                .unwrap();
        }
        let windows = Windows::at(&w.zone, wharf_store::now());
        let contacted = |actor: Actor, scope: WorkbenchScope| {
            let store = store.clone();
            async move {
                store
                    .workbench_counts(&actor, scope, &windows, &[])
                    .await
                    .unwrap()
                    .iter()
                    .map(|c| c.contacted_today)
                    .sum::<i64>()
            }
        };
        // The pool's customer is nobody's; the manager's team is her department.
        assert_eq!(contacted(w.manager.clone(), WorkbenchScope::Team).await, 1);
        assert_eq!(contacted(admin.clone(), WorkbenchScope::Team).await, 2);
        assert_eq!(
            contacted(w.manager.clone(), WorkbenchScope::Person(zhao.user_id)).await,
            0,
            "a person outside the scope counts nothing"
        );
        assert_eq!(
            contacted(admin.clone(), WorkbenchScope::Person(zhao.user_id)).await,
            1
        );
        assert_eq!(contacted(zhao.clone(), WorkbenchScope::Mine).await, 1);
    }
}
