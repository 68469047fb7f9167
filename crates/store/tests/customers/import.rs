//! The import's writer: every row's customer, owners, log, contacts and keys, or nothing.

use super::*;

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
