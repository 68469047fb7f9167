//! Transfer requests (LINK-6): a salesperson blocked by a colleague's customer asks for
//! it with what she typed; the owner and a manager over her see it, approve (the owners
//! change, audited) or decline (the requester reads the answer); forged, repeated and
//! foreign requests are refused.

use super::*;
use wharf_store::customers::TransferProbe;

fn probe(email: &str) -> TransferProbe {
    TransferProbe {
        emails: email.into(),
        ..Default::default()
    }
}

async fn setup(store: &Store) -> (Actor, Actor, Actor, Actor, i64) {
    let a = admin(store).await;
    let dept = store
        .create_department(
            ctx(&a),
            DepartmentInput {
                name: "Sales 1".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let li = staff(store, &a, "li", "salesperson", dept).await;
    let wang = staff(store, &a, "wang", "salesperson", dept).await;
    let boss = staff(store, &a, "boss", "department_manager", dept).await;
    let acme = store
        .create_customer(
            ctx(&li),
            CustomerInput {
                name: "Acme Outdoor GmbH".into(),
                email: "ann@acme-outdoor.de".into(),
                ..Default::default()
            },
            &[li.user_id],
        )
        .await
        .unwrap();
    (a, li, wang, boss, acme)
}

#[tokio::test]
async fn an_approved_request_moves_the_customer_to_the_requester() {
    for store in testing::backends().await {
        let (_a, li, wang, boss, acme) = setup(&store).await;
        let id = store
            .request_transfer(
                ctx(&wang),
                &probe("ANN@acme-outdoor.de"),
                "He wrote to me first",
            )
            .await
            .unwrap();
        // The owner and her manager see it; the requester sees hers without the name.
        let for_li = store.transfer_requests_to_decide(&li, None).await.unwrap();
        assert_eq!(for_li.iter().map(|r| r.id).collect::<Vec<_>>(), vec![id]);
        assert_eq!(for_li[0].customer_name, "Acme Outdoor GmbH");
        assert_eq!(for_li[0].reason, "He wrote to me first");
        let on_page = store
            .transfer_requests_to_decide(&boss, Some(acme))
            .await
            .unwrap();
        assert_eq!(on_page.len(), 1);
        assert!(
            store
                .transfer_requests_to_decide(&wang, None)
                .await
                .unwrap()
                .is_empty()
        );
        let mine = store.my_transfer_requests(&wang).await.unwrap();
        assert_eq!(
            (mine[0].state.as_str(), mine[0].customer_name.as_str()),
            ("pending", "")
        );

        store
            .decide_transfer_request(ctx(&boss), id, true, "")
            .await
            .unwrap();
        let d = store.get_customer(&wang, acme).await.unwrap();
        assert_eq!(
            d.customer.owners.iter().map(|o| o.0).collect::<Vec<_>>(),
            vec![wang.user_id]
        );
        assert!(
            store.get_customer(&li, acme).await.is_err(),
            "no longer hers"
        );
        let mine = store.my_transfer_requests(&wang).await.unwrap();
        assert_eq!(mine[0].state, "approved");
        assert_eq!(mine[0].customer_name, "Acme Outdoor GmbH");
        let audited = testing::fetch_text(
            &store,
            "SELECT action FROM audit_log WHERE action LIKE 'customer.transfer%' ORDER BY id",
        )
        .await;
        assert!(audited.contains("customer.transfer"), "{audited}");
        // Decided once only.
        let again = store
            .decide_transfer_request(ctx(&boss), id, false, "no")
            .await;
        assert!(again.is_err());
    }
}

#[tokio::test]
async fn a_declined_request_tells_the_requester_why() {
    for store in testing::backends().await {
        let (_a, li, wang, _boss, acme) = setup(&store).await;
        let id = store
            .request_transfer(ctx(&wang), &probe("ann@acme-outdoor.de"), "please")
            .await
            .unwrap();
        let no_reason = store
            .decide_transfer_request(ctx(&li), id, false, " ")
            .await;
        assert_eq!(code(no_reason.unwrap_err()), "required");
        store
            .decide_transfer_request(ctx(&li), id, false, "I quoted them last week")
            .await
            .unwrap();
        let mine = store.my_transfer_requests(&wang).await.unwrap();
        assert_eq!(mine[0].state, "declined");
        assert_eq!(mine[0].answer, "I quoted them last week");
        assert_eq!(mine[0].decided_by, "Staff li");
        let d = store.get_customer(&li, acme).await.unwrap();
        assert_eq!(d.customer.owners[0].0, li.user_id, "still hers");
    }
}

#[tokio::test]
async fn forged_repeated_and_foreign_requests_are_refused() {
    for store in testing::backends().await {
        let (a, li, wang, _boss, _acme) = setup(&store).await;
        // Keys nobody else holds: nothing to ask for (a made-up address, her own customer).
        let forged = store
            .request_transfer(ctx(&wang), &probe("nobody@nowhere.example"), "x")
            .await;
        assert_eq!(code(forged.unwrap_err()), "transfer_nothing_to_request");
        let own = store
            .request_transfer(ctx(&li), &probe("ann@acme-outdoor.de"), "x")
            .await;
        assert_eq!(code(own.unwrap_err()), "transfer_nothing_to_request");
        let empty = store
            .request_transfer(ctx(&wang), &probe("ann@acme-outdoor.de"), "")
            .await;
        assert_eq!(code(empty.unwrap_err()), "required");
        let id = store
            .request_transfer(ctx(&wang), &probe("ann@acme-outdoor.de"), "x")
            .await
            .unwrap();
        let twice = store
            .request_transfer(ctx(&wang), &probe("ann@acme-outdoor.de"), "y")
            .await;
        assert_eq!(code(twice.unwrap_err()), "transfer_already_requested");
        // Nobody decides her own request, nor one about a customer out of reach.
        let zhao = testing::staff(&store, &a, "zhao", "salesperson", None).await;
        for actor in [&wang, &zhao] {
            let r = store
                .decide_transfer_request(ctx(actor), id, true, "")
                .await;
            assert_eq!(code(r.unwrap_err()), "not_found");
        }
        assert!(
            store
                .transfer_requests_to_decide(&zhao, None)
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn a_colleagues_customer_is_found_by_its_name_too() {
    for store in testing::backends().await {
        let (_a, li, wang, _boss, acme) = setup(&store).await;
        let by_name = TransferProbe {
            name: "ACME outdoor gmbh".into(),
            ..Default::default()
        };
        let found = store.transfer_target(&wang, &by_name).await.unwrap();
        assert_eq!(found.map(|t| t.customer_id), Some(acme));
        assert!(
            store
                .transfer_target(&li, &by_name)
                .await
                .unwrap()
                .is_none(),
            "hers"
        );
    }
}
