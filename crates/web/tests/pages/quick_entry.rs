//! The quick entry from a mail for two salespeople sharing a mailbox.

use super::*;

/// The quick entry from a mail (LINK-2, LINK-6) for two salespeople sharing a mailbox:
/// a buyer who is already Li's customer shows Wang only whose it is, and Wang cannot
/// make a second copy but may request a transfer; Li, whose customer it is, is not
/// blocked ("already yours") and adds the address to a contact (and a new contact) and the
/// mail is then the customer's.
#[tokio::test]
async fn quick_entry_cases_and_anti_collision() {
    for store in testing::backends().await {
        let env = mail_env(&store);
        let admin = testing::admin(&store).await;
        let ctx = testing::ctx(&admin);
        let users = signed_in_salespeople(&store, &admin, &["li", "wang"]).await;
        let account = store
            .create_account(
                ctx,
                &env.vault,
                wharf_core::mail::account::AccountInput {
                    address: "sales@wharf.test".into(),
                    kind: "public".into(),
                    in_protocol: "none".into(),
                    out_host: "127.0.0.1".into(),
                    out_port: 25,
                    out_security: "none".into(),
                    max_attachment_mb: 25,
                    member_ids: users.iter().map(|u| u.0).collect(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let origin = wharf_mailbox::ingest::Origin {
            account_id: account,
            own_addresses: vec!["sales@wharf.test".into()],
            folder_role: "inbox".into(),
            source: "test".into(),
            ..Default::default()
        };
        let raw = "From: Ann Lee <ann@lee-imports.example>\r\nTo: sales@wharf.test\r\nSubject: Samples\r\nMessage-ID: <s1@lee>\r\n\r\nPlease send samples.\r\n\r\nAnn Lee\r\nLee Imports Pty\r\nTel: +61 2 5550 1234\r\n";
        let message = env
            .ingestor()
            .ingest_raw(vec![(raw.as_bytes().to_vec(), origin)], None)
            .await
            .unwrap()[0]
            .id();
        let app = router(
            AppState::new(store.clone(), POLICY, false, env.clone())
                .await
                .unwrap(),
        );
        let li_actor = store.load_actor(users[0].0).await.unwrap().unwrap();
        let li_ctx = wharf_store::Ctx {
            actor: &li_actor,
            ip: "127.0.0.1",
        };
        // Li's customer has the buyer's company domain, through another contact.
        let lee = store
            .create_customer(
                li_ctx,
                wharf_core::customers::CustomerInput {
                    name: "Lee Imports Pty".into(),
                    ..Default::default()
                },
                &[li_actor.user_id],
            )
            .await
            .unwrap();
        let bob = store
            .add_contact(
                li_ctx,
                lee,
                wharf_core::customers::ContactInput {
                    name: "Bob Lee".into(),
                    emails: "bob@lee-imports.example".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let (li, wang) = (&users[0], &users[1]);
        let uri = format!("/mail/m/{message}/customer");
        // Wang: prefilled from the signature, and told whose customer it is, by name
        // of the owner only; creating a second copy is refused.
        let (s, _, page) = send(&app, get(&uri, &wang.1, "en")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains("value=\"Lee Imports Pty\"")
                && page.contains("value=\"+61 2 5550 1234\"")
        );
        assert!(
            page.contains("a customer of Staff li") && page.contains("id=\"blocked\""),
            "{page}"
        );
        assert!(
            !page.contains(&format!("/customers/{lee}")),
            "no link to Li's customer: {page}"
        );
        // …but Wang may ask Li for it (LINK-6).
        assert!(page.contains("id=\"transfer-offer\""), "{page}");
        let (s, _, _) = send(
            &app,
            form(
                &uri,
                &format!("_csrf={}&case=new&name=Lee+Imports+Australia&email=ann%40lee-imports.example&contact_name=Ann+Lee&stage=reserve", wang.2),
                &wang.1,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let wang_actor = store.load_actor(wang.0).await.unwrap().unwrap();
        assert_eq!(
            store
                .list_customers(
                    &wang_actor,
                    &wharf_store::customers::CustomerQuery {
                        per_page: 10,
                        ..Default::default()
                    }
                )
                .await
                .unwrap()
                .total,
            0
        );
        // Nor can Wang put the address on Li's contact.
        let (s, _, _) = send(
            &app,
            form(
                &uri,
                &format!(
                    "_csrf={}&case=address&contact_id={bob}&email=ann%40lee-imports.example",
                    wang.2
                ),
                &wang.1,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // Li: the customer is offered; the address goes onto Bob, then Ann is a contact.
        let (_, _, page) = send(&app, get(&uri, &li.1, "en")).await;
        assert!(
            page.contains(&format!("id=\"target-{lee}\""))
                && page.contains(&format!("add-address-{bob}"))
        );
        // Her own customer is no block: "already yours", and Save stays enabled.
        assert!(page.contains(&format!("id=\"yours-{lee}\"")), "{page}");
        assert!(!page.contains("id=\"blocked\""), "{page}");
        assert!(!page.contains("id=\"transfer-offer\""), "{page}");
        let (s, _, _) = send(
            &app,
            form(
                &uri,
                &format!(
                    "_csrf={}&case=address&contact_id={bob}&email=ann%40lee-imports.example",
                    li.2
                ),
                &li.1,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let bob_now = store.get_contact(&li_actor, bob).await.unwrap();
        assert_eq!(
            bob_now.emails,
            "bob@lee-imports.example, ann@lee-imports.example"
        );
        let (s, _, _) = send(
            &app,
            form(&uri, &format!("_csrf={}&case=contact&customer_id={lee}&contact_name=Ann+Lee&email=ann%40lee-imports.example", li.2), &li.1),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let d = store.get_customer(&li_actor, lee).await.unwrap();
        assert!(d.contacts.iter().any(|k| k.name == "Ann Lee"));
        let mail = store.customer_mail(&li_actor, lee, 10).await.unwrap();
        assert_eq!(mail.iter().map(|m| m.id).collect::<Vec<_>>(), vec![message]);
    }
}
