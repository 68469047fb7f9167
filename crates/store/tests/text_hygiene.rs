//! Names with NUL, ESC or bidi overrides are refused by every store operation that
//! takes one (`control_chars`, a field error the user reads), on both databases —
//! never a database error (PostgreSQL's text cannot hold NUL at all).
#![allow(clippy::unwrap_used)]

use wharf_core::custom_field::CustomFieldInput;
use wharf_core::customers::{ContactInput, CustomerInput};
use wharf_core::dict::{DictItemInput, DictKind};
use wharf_core::org::{DepartmentInput, RoleInput, StaffInput};
use wharf_core::{DataScope, DomainError};
use wharf_store::testing::{self, admin, ctx, local_account};
use wharf_store::{StoreError, vault::Vault};

const BAD: [&str; 3] = ["Bad\0Name", "Bad\u{1b}[2JName", "Bad\u{202E}emaN"];

/// The error is a field error `control_chars` on `field`, not a database failure.
fn refused<T: std::fmt::Debug>(what: &str, bad: &str, result: Result<T, StoreError>, field: &str) {
    match result {
        Err(StoreError::Domain(DomainError::Invalid(e))) => {
            assert_eq!(e.get(field), Some("control_chars"), "{what} {bad:?}: {e:?}")
        }
        other => panic!("{what} {bad:?}: expected control_chars on {field}, got {other:?}"),
    }
}

#[tokio::test]
async fn control_characters_in_names_are_field_errors() {
    for store in testing::backends().await {
        let admin = admin(&store).await;
        let c = ctx(&admin);
        let vault = Vault::from_hex(&wharf_store::secret::random_token()).unwrap();
        let customer = store
            .create_customer(
                c,
                CustomerInput {
                    name: "Clean Co".into(),
                    ..Default::default()
                },
                &[admin.user_id],
            )
            .await
            .unwrap();
        let account = store
            .create_account(c, &vault, local_account("box@example.test", None))
            .await
            .unwrap();
        for bad in BAD {
            let name = || bad.to_string();
            refused(
                "department",
                bad,
                store
                    .create_department(
                        c,
                        DepartmentInput {
                            name: name(),
                            ..Default::default()
                        },
                    )
                    .await,
                "name",
            );
            refused(
                "staff",
                bad,
                store
                    .create_staff(
                        c,
                        StaffInput {
                            username: format!("u{}", &wharf_store::secret::random_token()[..8]),
                            name: name(),
                            status: "active".into(),
                            ..Default::default()
                        },
                    )
                    .await,
                "name",
            );
            refused(
                "role",
                bad,
                store
                    .create_role(
                        c,
                        RoleInput {
                            name_zh: name(),
                            name_en: "Role".into(),
                            description: String::new(),
                            permissions: Vec::new(),
                            scope: DataScope::Own,
                            daily_claim_quota: 0,
                        },
                    )
                    .await,
                "name_zh",
            );
            refused(
                "base data",
                bad,
                store
                    .create_dict_item(
                        c,
                        DictKind::Industry,
                        DictItemInput {
                            name_en: name(),
                            ..Default::default()
                        },
                    )
                    .await,
                "name_en",
            );
            refused(
                "customer",
                bad,
                store
                    .create_customer(
                        c,
                        CustomerInput {
                            name: name(),
                            ..Default::default()
                        },
                        &[admin.user_id],
                    )
                    .await,
                "name",
            );
            // Tags are a list (one per line allowed): NUL and ESC are refused there too.
            if !bad.contains('\u{202E}') {
                refused(
                    "customer tags",
                    bad,
                    store
                        .create_customer(
                            c,
                            CustomerInput {
                                name: "Tagged".into(),
                                tags: format!("vip\n{bad}"),
                                ..Default::default()
                            },
                            &[admin.user_id],
                        )
                        .await,
                    "tags",
                );
            }
            refused(
                "contact",
                bad,
                store
                    .add_contact(
                        c,
                        customer,
                        ContactInput {
                            name: name(),
                            ..Default::default()
                        },
                    )
                    .await,
                "name",
            );
            refused(
                "custom field",
                bad,
                store
                    .create_custom_field(
                        c,
                        CustomFieldInput {
                            label: name(),
                            kind: "text".into(),
                            ..Default::default()
                        },
                    )
                    .await,
                "label",
            );
            refused(
                "group",
                bad,
                store.add_to_group(c, customer, bad).await,
                "group",
            );
            refused(
                "saved query",
                bad,
                store.save_query(&admin, bad, "q=").await,
                "query_name",
            );
            refused(
                "import template",
                bad,
                store
                    .save_import_template(&admin, bad, &Default::default())
                    .await,
                "template_name",
            );
            refused(
                "mail folder",
                bad,
                store.create_folder(c, account, bad).await,
                "name",
            );
            refused(
                "import upload",
                bad,
                store
                    .create_import(&admin, &format!("{bad}.csv"), b"name\nACME\n", 1)
                    .await,
                "file",
            );
            refused("API token", bad, store.create_token(c, bad).await, "name");
            refused(
                "document",
                bad,
                store
                    .add_document(
                        c,
                        customer,
                        &format!("{bad}.pdf"),
                        "application/pdf",
                        &"0".repeat(64),
                        4,
                        Some(b"%PDF"),
                    )
                    .await,
                "file",
            );
        }
    }
}
