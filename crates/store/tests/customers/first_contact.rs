//! A customer and its first contact are saved together or not at all.

use super::*;

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
