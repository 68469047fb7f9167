//! Customers on SQLite and PostgreSQL: who sees what (own, collaborative, pool, a
//! manager's department), duplicates refused and found across owners, claiming within
//! the daily quota, release and transfer with the owner log, the field history, contacts.
//! `customers/access.rs`: who new customers may be given to, claims at once, and what the
//! duplicate check tells of others' customers.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use wharf_core::customers::{ContactInput, CustomerInput};
use wharf_core::org::DepartmentInput;
use wharf_core::{Actor, DomainError};
use wharf_store::customers::{CustomerQuery, DuplicateProbe, Quick};
use wharf_store::testing::{admin, ctx};
use wharf_store::{Store, StoreError, testing};

async fn staff(store: &Store, admin: &Actor, username: &str, role: &str, dept: i64) -> Actor {
    testing::staff(store, admin, username, role, Some(dept)).await
}

fn named(name: &str) -> CustomerInput {
    CustomerInput {
        name: name.into(),
        ..Default::default()
    }
}

fn names(page: &wharf_store::Page<wharf_store::customers::Customer>) -> Vec<String> {
    let mut v: Vec<String> = page.items.iter().map(|c| c.name.clone()).collect();
    v.sort();
    v
}

fn query(quick: Quick) -> CustomerQuery {
    CustomerQuery {
        quick,
        per_page: 100,
        ..Default::default()
    }
}

fn code(e: StoreError) -> String {
    match e {
        StoreError::Domain(DomainError::Invalid(f)) => f.0[0].code.to_string(),
        StoreError::Domain(DomainError::Refused { code, .. }) => code.to_string(),
        StoreError::Domain(d) => d.code().to_string(),
        other => panic!("{other:?}"),
    }
}

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

#[tokio::test]
async fn duplicates_history_and_contacts() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let dept = store
            .create_department(
                ctx(&a),
                DepartmentInput {
                    name: "Sales".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let li = staff(&store, &a, "li", "salesperson", dept).await;
        let wang = staff(&store, &a, "wang", "salesperson", dept).await;
        let acme = store
            .create_customer(
                ctx(&li),
                CustomerInput {
                    name: "ACME Co., Ltd.".into(),
                    keywords: "valves".into(),
                    website: "https://www.acme-valves.com/en".into(),
                    phones: "+86 574 8765 4321".into(),
                    ..Default::default()
                },
                &[li.user_id],
            )
            .await
            .unwrap();
        store
            .add_contact(
                ctx(&li),
                acme,
                ContactInput {
                    name: "Tom Baker".into(),
                    emails: "Tom@Acme-Valves.com".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        // The same name written differently is refused.
        assert_eq!(
            code(
                store
                    .create_customer(ctx(&wang), named("Acme Co Ltd"), &[wang.user_id])
                    .await
                    .unwrap_err()
            ),
            "duplicate_customer"
        );
        // While typing, wang sees that li owns it, but not the record itself.
        for probe in [
            DuplicateProbe {
                name: "acme co ltd".into(),
                ..Default::default()
            },
            DuplicateProbe {
                phones: "0574-87654321".into(),
                ..Default::default()
            },
            DuplicateProbe {
                emails: "tom@acme-valves.com".into(),
                ..Default::default()
            },
            DuplicateProbe {
                website: "acme-valves.com".into(),
                ..Default::default()
            },
            DuplicateProbe {
                keywords: "Valves".into(),
                ..Default::default()
            },
        ] {
            let hits = store.find_duplicates(&wang, &probe).await.unwrap();
            assert_eq!(hits.len(), 1, "{probe:?}");
            assert_eq!(hits[0].id, None, "no id of someone else's customer");
            assert_eq!(hits[0].owners, "Staff li");
            assert!(!hits[0].visible);
        }
        let none = store
            .find_duplicates(
                &li,
                &DuplicateProbe {
                    name: "ACME Co., Ltd.".into(),
                    exclude: Some(acme),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(none.is_empty(), "not a duplicate of itself");

        // The field history.
        let mut edit = CustomerInput {
            name: "ACME Co., Ltd.".into(),
            keywords: "valves".into(),
            website: "https://www.acme-valves.com/en".into(),
            phones: "+86 574 8765 4321".into(),
            ..Default::default()
        };
        edit.stage = "target".into();
        edit.city = "Ningbo".into();
        store.update_customer(ctx(&li), acme, edit).await.unwrap();
        let history = store.customer_history(&li, acme).await.unwrap();
        let mut fields: Vec<(String, String, String)> = history
            .iter()
            .map(|h| (h.field.clone(), h.old_value.clone(), h.new_value.clone()))
            .collect();
        fields.sort();
        assert_eq!(
            fields,
            vec![
                ("city".into(), "".into(), "Ningbo".into()),
                ("stage".into(), "reserve".into(), "target".into())
            ]
        );
        assert_eq!(history[0].user, "Staff li");

        // Contacts: one primary at a time; wang cannot add to li's customer.
        let second = store
            .add_contact(
                ctx(&li),
                acme,
                ContactInput {
                    name: "Ann Lee".into(),
                    is_primary: true,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let d = store.get_customer(&li, acme).await.unwrap();
        assert_eq!(d.contacts.len(), 2);
        assert!(d.contacts[0].is_primary && d.contacts[0].id == second);
        assert!(!d.contacts[1].is_primary);
        assert_eq!(
            code(
                store
                    .add_contact(
                        ctx(&wang),
                        acme,
                        ContactInput {
                            name: "X".into(),
                            ..Default::default()
                        }
                    )
                    .await
                    .unwrap_err()
            ),
            "not_found"
        );
        // Deleting takes everything attached with it.
        store.delete_customer(ctx(&li), acme).await.unwrap();
        assert!(
            store
                .find_duplicates(
                    &wang,
                    &DuplicateProbe {
                        emails: "tom@acme-valves.com".into(),
                        ..Default::default()
                    }
                )
                .await
                .unwrap()
                .is_empty()
        );
    }
}

/// An import writes customers, owners, the owner log, contacts (the first primary) and
/// duplicate keys for every row, and joins contacts to an existing customer; a batch
/// that fails leaves nothing.
#[tokio::test]
async fn imports_all_or_nothing() {
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;
    use wharf_store::customers::import::ImportGroup;
    for store in testing::backends().await {
        let a = admin(&store).await;
        let existing = store
            .create_customer(ctx(&a), named("Old Friend Ltd"), &[a.user_id])
            .await
            .unwrap();
        let contact = |n: &str, mail: &str| ContactInput {
            name: n.into(),
            emails: mail.into(),
            ..Default::default()
        };
        let mut groups: Vec<ImportGroup> = (0..450)
            .map(|n| ImportGroup {
                customer: CustomerInput {
                    name: format!("Lead {n:03}"),
                    website: format!("lead{n}.example"),
                    ..Default::default()
                },
                contacts: vec![
                    contact(&format!("A{n}"), &format!("a{n}@lead{n}.example")),
                    contact(&format!("B{n}"), &format!("b{n}@lead{n}.example")),
                ],
                existing: None,
            })
            .collect();
        groups.push(ImportGroup {
            customer: named("Old Friend Ltd"),
            contacts: vec![contact("New Person", "new@oldfriend.example")],
            existing: Some(existing),
        });
        let id = store.create_import(&a, "leads.csv", b"x", 0).await.unwrap();
        let progress = Arc::new(AtomicUsize::new(0));
        let report = store
            .run_import(
                ctx(&a),
                id,
                &groups,
                &[a.user_id],
                "target",
                progress.clone(),
            )
            .await
            .unwrap();
        assert_eq!(
            (report.customers, report.contacts, report.joined_existing),
            (450, 901, 1)
        );
        assert_eq!(progress.load(std::sync::atomic::Ordering::Relaxed), 451);
        let hits = store
            .find_duplicates(
                &a,
                &DuplicateProbe {
                    emails: "b449@lead449.example".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(hits[0].name, "Lead 449");
        let found = hits[0].id.unwrap();
        let d = store.get_customer(&a, found).await.unwrap();
        assert_eq!(d.customer.stage, "target");
        assert_eq!(d.customer.owners[0].0, a.user_id);
        assert_eq!(d.contacts.len(), 2);
        assert!(d.contacts.iter().any(|k| k.name == "A449" && k.is_primary));
        assert_eq!(
            store.customer_owner_log(&a, found).await.unwrap()[0].action,
            "import"
        );
        let old = store.get_customer(&a, existing).await.unwrap();
        assert_eq!(old.contacts.len(), 1);
        assert!(!old.contacts[0].is_primary || old.contacts.len() == 1);
        let found = store
            .list_customers(
                &a,
                &CustomerQuery {
                    text: Some("lead 12".into()),
                    per_page: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(found.total, 10, "Lead 120 to Lead 129");
        // A name taken meanwhile fails the whole batch: nothing of it is written.
        let before = store
            .list_customers(&a, &query(Quick::All))
            .await
            .unwrap()
            .total;
        let clash = vec![
            ImportGroup {
                customer: named("Brand New Co"),
                contacts: vec![],
                existing: None,
            },
            ImportGroup {
                customer: named("Lead 001"),
                contacts: vec![],
                existing: None,
            },
        ];
        let id = store.create_import(&a, "again.csv", b"x", 0).await.unwrap();
        assert!(
            store
                .run_import(
                    ctx(&a),
                    id,
                    &clash,
                    &[a.user_id],
                    "reserve",
                    Arc::new(AtomicUsize::new(0))
                )
                .await
                .is_err()
        );
        assert_eq!(
            store
                .list_customers(&a, &query(Quick::All))
                .await
                .unwrap()
                .total,
            before
        );
    }
}

/// The query builder: the nine operators over text, number, date, base-data and contact
/// fields, with AND binding before OR.
#[tokio::test]
async fn query_builder_conditions() {
    use wharf_core::customers::query::Condition;
    for store in testing::backends().await {
        let a = admin(&store).await;
        let germany = store
            .list_dict(&a, wharf_core::dict::DictKind::Country)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.code == "DE")
            .unwrap()
            .id;
        for (name, city, rating, country) in [
            ("Hamburg Pumps", "Hamburg", 5, Some(germany)),
            ("Lyon Flanges", "Lyon", 3, None),
            ("No City Co", "", 0, None),
        ] {
            let id = store
                .create_customer(
                    ctx(&a),
                    CustomerInput {
                        name: name.into(),
                        city: city.into(),
                        rating,
                        country_id: country,
                        next_revisit_at: (rating == 3).then_some(1_796_083_200 - 8 * 3600),
                        ..Default::default()
                    },
                    &[a.user_id],
                )
                .await
                .unwrap();
            if rating == 3 {
                store
                    .add_contact(
                        ctx(&a),
                        id,
                        ContactInput {
                            name: "Marie".into(),
                            emails: "marie@lyon.example".into(),
                            ..Default::default()
                        },
                    )
                    .await
                    .unwrap();
            }
        }
        let find = |conds: Vec<(&str, &str, &str, bool)>| {
            let (store, a) = (store.clone(), a.clone());
            let q = CustomerQuery {
                conditions: conds
                    .into_iter()
                    .map(|(f, o, v, or)| Condition {
                        field: f.into(),
                        op: o.into(),
                        value: v.into(),
                        or,
                    })
                    .collect(),
                time_zone: wharf_core::zone::Zone::default(),
                per_page: 50,
                ..Default::default()
            };
            async move { names(&store.list_customers(&a, &q).await.unwrap()) }
        };
        assert_eq!(
            find(vec![("city", "contains", "AMB", false)]).await,
            vec!["Hamburg Pumps"]
        );
        assert_eq!(
            find(vec![("city", "equals", "lyon", false)]).await,
            vec!["Lyon Flanges"]
        );
        assert_eq!(
            find(vec![("city", "empty", "", false)]).await,
            vec!["No City Co"]
        );
        assert_eq!(
            find(vec![("city", "not_contains", "a", false)]).await,
            vec!["Lyon Flanges", "No City Co"]
        );
        assert_eq!(
            find(vec![("rating", "ge", "3", false)]).await,
            vec!["Hamburg Pumps", "Lyon Flanges"]
        );
        assert_eq!(
            find(vec![("rating", "lt", "3", false)]).await,
            vec!["No City Co"]
        );
        assert_eq!(
            find(vec![("rating", "ne", "5", false)]).await,
            vec!["Lyon Flanges", "No City Co"]
        );
        assert_eq!(
            find(vec![("next_revisit_at", "equals", "2026-12-01", false)]).await,
            vec!["Lyon Flanges"]
        );
        assert_eq!(
            find(vec![("next_revisit_at", "le", "2026-11-30", false)]).await,
            Vec::<String>::new()
        );
        assert_eq!(
            find(vec![("country_id", "equals", "germany", false)]).await,
            vec!["Hamburg Pumps"]
        );
        assert_eq!(
            find(vec![("country_id", "contains", "德", false)]).await,
            vec!["Hamburg Pumps"]
        );
        assert_eq!(
            find(vec![("country_id", "not_empty", "", false)]).await,
            vec!["Hamburg Pumps"]
        );
        assert_eq!(
            find(vec![("contact_emails", "contains", "@lyon.", false)]).await,
            vec!["Lyon Flanges"]
        );
        assert_eq!(
            find(vec![("contact_name", "empty", "", false)]).await,
            vec!["Hamburg Pumps", "No City Co"]
        );
        // rating ≥ 3 AND city contains "ham" OR city is empty.
        assert_eq!(
            find(vec![
                ("rating", "ge", "3", false),
                ("city", "contains", "ham", false),
                ("city", "empty", "", true)
            ])
            .await,
            vec!["Hamburg Pumps", "No City Co"]
        );
        // A value with LIKE's own characters is taken literally.
        assert!(
            find(vec![("name", "contains", "%", false)])
                .await
                .is_empty()
        );
    }
}

#[tokio::test]
async fn custom_fields_values_queries_and_history() {
    use wharf_core::custom_field::CustomFieldInput;
    use wharf_core::customers::query::Condition;
    for store in testing::backends().await {
        let a = admin(&store).await;
        let dept = store
            .create_department(
                ctx(&a),
                DepartmentInput {
                    name: "Sales".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let sam = staff(&store, &a, "sam", "salesperson", dept).await;
        let field = |label: &str, kind: &str, choices: &str, required: bool| CustomFieldInput {
            label: label.into(),
            kind: kind.into(),
            choices: choices.into(),
            required,
        };
        // Only an administrator defines fields; a label is used once.
        assert!(
            store
                .create_custom_field(ctx(&sam), field("Level", "text", "", false))
                .await
                .is_err()
        );
        let level = store
            .create_custom_field(ctx(&a), field("Level", "choice", "Gold\nSilver", false))
            .await
            .unwrap();
        let volume = store
            .create_custom_field(ctx(&a), field("Yearly volume", "number", "", false))
            .await
            .unwrap();
        let audit_day = store
            .create_custom_field(ctx(&a), field("Factory audit", "date", "", false))
            .await
            .unwrap();
        assert!(
            store
                .create_custom_field(ctx(&a), field("level", "text", "", false))
                .await
                .is_err()
        );
        let with = |name: &str, values: Vec<(i64, &str)>| CustomerInput {
            name: name.into(),
            custom: values
                .into_iter()
                .map(|(f, v)| (f, v.to_string()))
                .collect(),
            ..Default::default()
        };
        let gold = store
            .create_customer(
                ctx(&sam),
                with(
                    "Gold Pumps",
                    vec![
                        (level, "gold"),
                        (volume, "1,200,000"),
                        (audit_day, "2026/3/1"),
                    ],
                ),
                &[sam.user_id],
            )
            .await
            .unwrap();
        store
            .create_customer(
                ctx(&sam),
                with("Silver Valves", vec![(level, "Silver"), (volume, "90000")]),
                &[sam.user_id],
            )
            .await
            .unwrap();
        store
            .create_customer(ctx(&sam), with("Plain Co", vec![]), &[sam.user_id])
            .await
            .unwrap();
        // Values are checked against their kind, with the field named in the error.
        let bad = store
            .create_customer(
                ctx(&sam),
                with("Bad Co", vec![(level, "Bronze"), (volume, "lots")]),
                &[sam.user_id],
            )
            .await
            .unwrap_err();
        let StoreError::Domain(DomainError::Invalid(e)) = bad else {
            panic!("not a field error")
        };
        assert_eq!(e.get(&format!("cf{level}")), Some("invalid_choice"));
        assert_eq!(e.get(&format!("cf{volume}")), Some("not_a_number"));
        let d = store.get_customer(&sam, gold).await.unwrap();
        assert_eq!(
            d.customer.custom,
            vec![
                (level, "Gold".to_string()),
                (volume, "1200000".to_string()),
                (audit_day, "2026-03-01".to_string())
            ]
        );
        // The query builder over custom fields: choice, number, date, empty.
        let find = |field: i64, op: &str, value: &str| {
            let (store, sam) = (store.clone(), sam.clone());
            let q = CustomerQuery {
                // Values as Condition::validate leaves them (numbers and days normal).
                conditions: vec![Condition {
                    field: format!("cf{field}"),
                    op: op.into(),
                    value: value.into(),
                    or: false,
                }],
                per_page: 50,
                ..Default::default()
            };
            async move { names(&store.list_customers(&sam, &q).await.unwrap()) }
        };
        assert_eq!(find(level, "equals", "gold").await, vec!["Gold Pumps"]);
        assert_eq!(
            find(level, "ne", "gold").await,
            vec!["Plain Co", "Silver Valves"]
        );
        assert_eq!(find(level, "empty", "").await, vec!["Plain Co"]);
        assert_eq!(find(volume, "ge", "100000").await, vec!["Gold Pumps"]);
        assert_eq!(find(volume, "lt", "100000").await, vec!["Silver Valves"]);
        assert_eq!(
            find(audit_day, "le", "2026-03-01").await,
            vec!["Gold Pumps"]
        );
        assert_eq!(find(audit_day, "not_empty", "").await, vec!["Gold Pumps"]);
        assert_eq!(find(level, "contains", "ILV").await, vec!["Silver Valves"]);
        // The list carries the values for its columns.
        let listed = store
            .list_customers(&sam, &query(Quick::All))
            .await
            .unwrap();
        let silver = listed
            .items
            .iter()
            .find(|c| c.name == "Silver Valves")
            .unwrap();
        assert_eq!(
            silver.custom,
            vec![(level, "Silver".into()), (volume, "90000".into())]
        );
        // A change goes into the history under the field's key.
        let mut input = d.customer.to_input();
        input.custom = vec![(level, "Silver".into()), (volume, "1200000".into())];
        store.update_customer(ctx(&sam), gold, input).await.unwrap();
        let history = store.customer_history(&sam, gold).await.unwrap();
        let changed: Vec<(String, String, String)> = history
            .iter()
            .map(|h| (h.field.clone(), h.old_value.clone(), h.new_value.clone()))
            .collect();
        assert!(changed.contains(&(format!("cf{level}"), "Gold".into(), "Silver".into())));
        assert!(changed.contains(&(format!("cf{audit_day}"), "2026-03-01".into(), String::new())));
        // A required field added later binds new customers, not edits of older ones …
        let region = store
            .create_custom_field(ctx(&a), field("Sales region", "text", "", true))
            .await
            .unwrap();
        let missing = store
            .create_customer(ctx(&sam), with("New Co", vec![]), &[sam.user_id])
            .await
            .unwrap_err();
        assert_eq!(code(missing), "required");
        let plain = store
            .list_customers(&sam, &query(Quick::All))
            .await
            .unwrap()
            .items
            .into_iter()
            .find(|c| c.name == "Plain Co")
            .unwrap();
        let mut edit = plain.to_input();
        edit.city = "Ningbo".into();
        store
            .update_customer(ctx(&sam), plain.id, edit)
            .await
            .unwrap();
        // … an option in use cannot be removed, nor a kind with values changed.
        assert!(
            store
                .update_custom_field(ctx(&a), level, field("Level", "choice", "Gold", false), 1)
                .await
                .is_err()
        );
        assert!(
            store
                .update_custom_field(
                    ctx(&a),
                    volume,
                    field("Yearly volume", "text", "", false),
                    2
                )
                .await
                .is_err()
        );
        store
            .update_custom_field(
                ctx(&a),
                level,
                field("Tier", "choice", "Gold\nSilver\nBronze", false),
                9,
            )
            .await
            .unwrap();
        // Deleting a field deletes its values.
        store.delete_custom_field(ctx(&a), level).await.unwrap();
        store.delete_custom_field(ctx(&a), region).await.unwrap();
        let d = store.get_customer(&sam, gold).await.unwrap();
        assert_eq!(d.customer.custom, vec![(volume, "1200000".to_string())]);
        assert_eq!(store.custom_fields(&sam).await.unwrap().len(), 2);
        // A base-data item a customer uses cannot be deleted.
        let germany = store
            .list_dict(&a, wharf_core::dict::DictKind::Country)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.code == "DE")
            .unwrap()
            .id;
        let mut input = d.customer.to_input();
        input.country_id = Some(germany);
        store.update_customer(ctx(&sam), gold, input).await.unwrap();
        assert!(
            store
                .delete_dict_item(ctx(&a), wharf_core::dict::DictKind::Country, germany)
                .await
                .is_err()
        );
    }
}

#[tokio::test]
async fn a_customer_and_its_first_contact_together_or_not_at_all() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let bad = store
            .create_customer_with_contact(
                ctx(&a),
                named("Half Made Ltd"),
                &[a.user_id],
                ContactInput {
                    name: "Ann".into(),
                    emails: "not-an-address".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(code(bad), "invalid_email");
        assert_eq!(
            store
                .list_customers(&a, &query(Quick::All))
                .await
                .unwrap()
                .total,
            0
        );
        let id = store
            .create_customer_with_contact(
                ctx(&a),
                named("Whole Ltd"),
                &[a.user_id],
                ContactInput {
                    name: "Ann".into(),
                    emails: "ann@whole.example".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let d = store.get_customer(&a, id).await.unwrap();
        assert_eq!(d.contacts.len(), 1);
        assert!(d.contacts[0].is_primary);
        let hits = store
            .find_duplicates(
                &a,
                &DuplicateProbe {
                    emails: "ANN@whole.example".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(hits[0].id, Some(id));
    }
}

#[path = "customers/access.rs"]
mod access;
#[path = "customers/duplicate_block.rs"]
mod duplicate_block;
