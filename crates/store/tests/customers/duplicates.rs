//! Duplicates refused and found across owners, the field history, contacts.

use super::*;

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

        // The field history. (Renaming a reserve customer is not a salesperson's by
        // seed 003's table; this company opens it.)
        open_reserve_edits(&store, &a).await;
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

/// Lets the salesperson role edit every field of a reserve customer.
async fn open_reserve_edits(store: &Store, a: &Actor) {
    use wharf_core::pipeline::{EditRight, StageRights, StageRole};
    let role = store
        .list_roles(a)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code.as_deref() == Some("salesperson"))
        .unwrap()
        .id;
    let rights = StageRights {
        edit: EditRight::All,
        ..StageRights::preset(Some("salesperson"), StageRole::Reserve)
    };
    store
        .set_role_stage_rights(ctx(a), role, StageRole::Reserve, &rights)
        .await
        .unwrap();
}
