//! Custom fields: values, queries and their history.

use super::*;

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
