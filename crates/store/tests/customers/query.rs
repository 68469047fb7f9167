//! The query builder over every kind of field, AND before OR.

use super::*;

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
        // > : strictly more (a number), and after the day (a date).
        assert_eq!(
            find(vec![("rating", "gt", "3", false)]).await,
            vec!["Hamburg Pumps"]
        );
        assert_eq!(
            find(vec![("next_revisit_at", "gt", "2026-11-30", false)]).await,
            vec!["Lyon Flanges"]
        );
        assert_eq!(
            find(vec![("next_revisit_at", "gt", "2026-12-01", false)]).await,
            Vec::<String>::new()
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
