//! The duplicate block (LINK-6): a colleague's customer's e-mail, company domain, phone
//! or website refuses create, edit, a new contact and an import, naming the owner but
//! not the customer to a salesperson; an admin is told which customer; one's own
//! customer and free-mail domains do not block. An import adding contacts to an
//! existing customer matches them by e-mail first.

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use wharf_core::DomainError;
use wharf_core::customers::{ContactInput, CustomerInput};
use wharf_store::customers::import::ImportGroup;
use wharf_store::testing::{admin, ctx};
use wharf_store::{StoreError, testing};

fn taken(e: StoreError) -> (&'static str, String, Option<(i64, String)>) {
    match e {
        StoreError::Domain(DomainError::Taken {
            matched,
            owners,
            customer,
        }) => (matched, owners, customer),
        other => panic!("not a duplicate block: {other:?}"),
    }
}

fn with(name: &str, email: &str, phones: &str, website: &str) -> CustomerInput {
    CustomerInput {
        name: name.into(),
        email: email.into(),
        phones: phones.into(),
        website: website.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_colleagues_customer_blocks_the_save_without_leaking_it() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let wang = testing::staff(&store, &a, "wang", "salesperson", None).await;
        let acme = store
            .create_customer(
                ctx(&li),
                with(
                    "Acme Outdoor GmbH",
                    "",
                    "+49 40 1234567",
                    "https://acme-outdoor.de",
                ),
                &[li.user_id],
            )
            .await
            .unwrap();
        store
            .add_contact(
                ctx(&li),
                acme,
                ContactInput {
                    name: "Ann".into(),
                    emails: "ann@acme-outdoor.de".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        // Wang: by e-mail, company domain, phone and website, through every path.
        for (input, matched) in [
            (with("ACME Outdoor", "ANN@acme-outdoor.de", "", ""), "email"),
            (
                with("ACME Outdoor", "bob@acme-outdoor.de", "", ""),
                "domain",
            ),
            (with("ACME Outdoor", "", "0049 40 1234567", ""), "phone"),
            (
                with("ACME Outdoor", "", "", "www.acme-outdoor.de/en"),
                "website",
            ),
        ] {
            let (m, owners, customer) = taken(
                store
                    .create_customer(ctx(&wang), input, &[wang.user_id])
                    .await
                    .unwrap_err(),
            );
            assert_eq!(m, matched);
            assert!(owners.contains("li"), "{owners}");
            assert_eq!(customer, None, "the salesperson is not told which customer");
        }
        let own = store
            .create_customer(
                ctx(&wang),
                with("Wang Buyer", "x@gmail.com", "", ""),
                &[wang.user_id],
            )
            .await
            .unwrap();
        // Free mail does not block: Li's contact at gmail would not either.
        store
            .create_customer(
                ctx(&wang),
                with("Other Buyer", "y@gmail.com", "", ""),
                &[wang.user_id],
            )
            .await
            .unwrap();
        let (m, ..) = taken(
            store
                .update_customer(
                    ctx(&wang),
                    own,
                    with("Wang Buyer", "", "", "acme-outdoor.de"),
                )
                .await
                .unwrap_err(),
        );
        assert_eq!(m, "website");
        let (m, ..) = taken(
            store
                .add_contact(
                    ctx(&wang),
                    own,
                    ContactInput {
                        name: "Ann".into(),
                        emails: "ann@acme-outdoor.de".into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap_err(),
        );
        assert_eq!(m, "email");
        let import = store
            .create_import(&wang, "leads.csv", b"x", 0)
            .await
            .unwrap();
        let groups = vec![ImportGroup {
            customer: with("Acme Outdoor Imports", "sales@acme-outdoor.de", "", ""),
            contacts: Vec::new(),
            existing: None,
        }];
        taken(
            store
                .run_import(
                    ctx(&wang),
                    import,
                    &groups,
                    &[wang.user_id],
                    "target",
                    Arc::new(AtomicUsize::new(0)),
                )
                .await
                .unwrap_err(),
        );
        // Li's own second record only warns (the duplicate box), and she may save it.
        store
            .create_customer(
                ctx(&li),
                with("Acme Outdoor Branch", "cara@acme-outdoor.de", "", ""),
                &[li.user_id],
            )
            .await
            .unwrap();
        // The admin is told which customer it is.
        let (_, _, customer) = taken(
            store
                .create_customer(
                    ctx(&a),
                    with("Acme Again", "ann@acme-outdoor.de", "", ""),
                    &[],
                )
                .await
                .unwrap_err(),
        );
        assert_eq!(customer, Some((acme, "Acme Outdoor GmbH".to_string())));
    }
}

#[tokio::test]
async fn an_import_adding_contacts_matches_them_by_email() {
    for store in testing::backends().await {
        let a = admin(&store).await;
        let li = testing::staff(&store, &a, "li", "salesperson", None).await;
        let acme = store
            .create_customer(
                ctx(&li),
                with("Acme Outdoor GmbH", "", "", ""),
                &[li.user_id],
            )
            .await
            .unwrap();
        store
            .add_contact(
                ctx(&li),
                acme,
                ContactInput {
                    name: "Ann".into(),
                    emails: "ann@acme-outdoor.de".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let contact = |name: &str, email: &str| ContactInput {
            name: name.into(),
            emails: email.into(),
            ..Default::default()
        };
        let import = store
            .create_import(&li, "contacts.csv", b"x", 0)
            .await
            .unwrap();
        let groups = vec![ImportGroup {
            customer: with("Acme Outdoor GmbH", "", "", ""),
            contacts: vec![
                contact("Ann Again", "ANN@Acme-Outdoor.de"),
                contact("Dora", "dora@acme-outdoor.de"),
                contact("Dora twice", "Dora@acme-outdoor.de"),
            ],
            existing: Some(acme),
        }];
        let report = store
            .run_import(
                ctx(&li),
                import,
                &groups,
                &[li.user_id],
                "target",
                Arc::new(AtomicUsize::new(0)),
            )
            .await
            .unwrap();
        assert_eq!((report.contacts, report.matched_contacts), (1, 2));
        let d = store.get_customer(&li, acme).await.unwrap();
        let mut names: Vec<&str> = d.contacts.iter().map(|k| k.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["Ann", "Dora"]);
    }
}
