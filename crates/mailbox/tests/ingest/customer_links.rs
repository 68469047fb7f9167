//! Mail and customers (LINK-1, LINK-4, LINK-6, MAIL-4): links through contacts' addresses
//! and company domains, the list by sender, and another salesperson's customer.

use wharf_store::Ctx;
use wharf_store::testing::backends;

use crate::setup::*;

/// Mail and customers (LINK-1, LINK-4, LINK-6, MAIL-4): mail links to a customer through
/// its contacts' addresses, retroactively, and by company domain but never by a
/// free-mail one; the mail list filters by sender; another salesperson's customer shows
/// only whose it is.
#[tokio::test]
async fn mail_links_to_customers() {
    use wharf_core::customer::{ContactInput, CustomerInput};
    use wharf_core::mail::link::Party;
    use wharf_store::mail::view::{MailQuery, MailView};
    for store in backends().await {
        let (env, account) = setup(&store).await;
        let admin_id = store.find_login("admin").await.unwrap().unwrap().id;
        let actor = store.load_actor(admin_id).await.unwrap().unwrap();
        let ctx = Ctx {
            actor: &actor,
            ip: "127.0.0.1",
        };
        let mail = |from: &str, to: &str, subject: &str| {
            format!(
                "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{}@t>\r\n\r\nHello\r\n",
                subject.replace(' ', ".")
            )
        };
        let inbox = |raw: String| {
            let env = env.clone();
            async move {
                env.ingestor()
                    .ingest_raw(vec![(raw.into_bytes(), origin(account, "inbox"))], None)
                    .await
                    .unwrap()[0]
                    .id()
            }
        };
        // Mail arrives before anyone is a customer.
        let from_tom = inbox(mail("Tom <Tom@Acme.de>", "sales@wharf.test", "tom asks")).await;
        let from_anna = inbox(mail("anna@acme.de", "sales@wharf.test", "anna asks")).await;
        let from_gmail = inbox(mail("bob@gmail.com", "sales@wharf.test", "bob asks")).await;
        let from_jane = inbox(mail(
            "jane@newbuyer.example",
            "sales@wharf.test",
            "jane asks",
        ))
        .await;
        let from_colleague =
            inbox(mail("wang@wharf.test", "sales@wharf.test", "internal note")).await;
        let to_tom = env
            .ingestor()
            .ingest_raw(
                vec![(
                    mail("sales@wharf.test", "Tom <tom@acme.de>", "our offer").into_bytes(),
                    origin(account, "sent"),
                )],
                None,
            )
            .await
            .unwrap()[0]
            .id();
        let acme = store
            .create_customer(
                ctx,
                CustomerInput {
                    name: "Acme GmbH".into(),
                    website: "https://www.acme.de".into(),
                    ..Default::default()
                },
                &[actor.user_id],
            )
            .await
            .unwrap();
        store
            .add_contact(
                ctx,
                acme,
                ContactInput {
                    name: "Tom".into(),
                    emails: "tom@acme.de".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        // A customer whose contact writes from a free-mail address.
        let freelancer = store
            .create_customer(
                ctx,
                CustomerInput {
                    name: "Solo Trader".into(),
                    ..Default::default()
                },
                &[],
            )
            .await
            .unwrap();
        store
            .add_contact(
                ctx,
                freelancer,
                ContactInput {
                    name: "Carl".into(),
                    emails: "carl@gmail.com".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        // A display name that is someone's address links nothing.
        let spoof = inbox(mail(
            "\"tom@acme.de\" <mallory@evil.example>",
            "sales@wharf.test",
            "spoofed",
        ))
        .await;
        let newsletter = inbox(
            "From: news@valve-digest.example\r\nTo: sales@wharf.test\r\nSubject: Weekly digest\r\nList-Unsubscribe: <mailto:u@valve-digest.example>\r\nMessage-ID: <digest@t>\r\n\r\nNews\r\n"
        .to_string())
        .await;
        let alibaba = inbox(
            "From: notice@service.alibaba.com\r\nTo: sales@wharf.test\r\nSubject: New inquiry from Ann\r\nAuto-Submitted: auto-generated\r\nMessage-ID: <inq@t>\r\n\r\nBuyer Name: Ann Lee\r\nEmail: ann@lee-imports.example\r\n"
        .to_string())
        .await;
        let ids = |v: Vec<wharf_store::mail::view::MessageSummary>| {
            let mut ids: Vec<i64> = v.into_iter().map(|m| m.id).collect();
            ids.sort();
            ids
        };
        // The customer's mail: its contact both ways, and its domain (anna).
        let mut expected = vec![from_tom, from_anna, to_tom];
        expected.sort();
        assert_eq!(
            ids(store.customer_mail(&actor, acme, 50).await.unwrap()),
            expected
        );
        let files = store.customer_files(&actor, acme, 50).await.unwrap();
        assert!(files.is_empty());
        // gmail.com is never a company domain.
        assert!(
            store
                .customer_mail(&actor, freelancer, 50)
                .await
                .unwrap()
                .is_empty()
        );
        // The list by sender.
        let by = |party: Party| {
            let (store, actor) = (store.clone(), actor.clone());
            async move {
                let q = MailQuery {
                    view: MailView::Folder("inbox".into()),
                    account_id: None,
                    after: None,
                    limit: 50,
                    text: None,
                    party: Some(party),
                };
                ids(store.list_mail(&actor, &q).await.unwrap().0)
            }
        };
        assert_eq!(by(Party::Contact).await, vec![from_tom]);
        assert_eq!(by(Party::Customer).await, vec![from_anna]);
        assert_eq!(by(Party::Internal).await, vec![from_colleague]);
        let mut strangers = vec![from_gmail, from_jane, newsletter, alibaba, spoof];
        strangers.sort();
        assert_eq!(by(Party::Stranger).await, strangers);
        // Pending: people waiting for an answer, and inquiries; not colleagues nor
        // machines, unless the settings say so.
        let pending = || {
            let (store, actor) = (store.clone(), actor.clone());
            async move {
                let q = MailQuery {
                    view: MailView::Pending,
                    account_id: None,
                    after: None,
                    limit: 50,
                    text: None,
                    party: None,
                };
                let listed = ids(store.list_mail(&actor, &q).await.unwrap().0);
                let counted = store.mail_counts(&actor).await.unwrap().1;
                assert_eq!(listed.len() as i64, counted, "the count matches the list");
                listed
            }
        };
        let mut waiting = vec![from_tom, from_anna, from_gmail, from_jane, alibaba, spoof];
        waiting.sort();
        assert_eq!(pending().await, waiting);
        store
            .update_settings(
                ctx,
                &[
                    ("pending_internal".to_string(), "1".to_string()),
                    ("pending_notifications".to_string(), "1".to_string()),
                ],
            )
            .await
            .unwrap();
        let mut all = [waiting.clone(), vec![from_colleague, newsletter]].concat();
        all.sort();
        assert_eq!(pending().await, all);
        assert_eq!(
            store.message_party(&actor, from_anna).await.unwrap(),
            Some(Party::Customer)
        );
        assert_eq!(store.message_party(&actor, to_tom).await.unwrap(), None);
        // Retroactively: jane becomes a contact, her earlier mail is the customer's.
        let buyer = store
            .create_customer(
                ctx,
                CustomerInput {
                    name: "New Buyer Ltd".into(),
                    ..Default::default()
                },
                &[actor.user_id],
            )
            .await
            .unwrap();
        store
            .add_contact(
                ctx,
                buyer,
                ContactInput {
                    name: "Jane".into(),
                    emails: "JANE@newbuyer.example".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            ids(store.customer_mail(&actor, buyer, 50).await.unwrap()),
            vec![from_jane]
        );
        let mut strangers = vec![from_gmail, newsletter, alibaba, spoof];
        strangers.sort();
        assert_eq!(by(Party::Stranger).await, strangers);
        // A colleague of a known buyer: the customer by its domain, as a suggestion.
        let by_domain = store.sender_matches(&actor, from_anna).await.unwrap();
        assert_eq!(by_domain.len(), 1);
        assert_eq!(
            (by_domain[0].name.as_str(), by_domain[0].via.as_str()),
            ("Acme GmbH", "domain")
        );
        // Domain matching can be turned off.
        store
            .update_settings(
                ctx,
                &[("match_company_domains".to_string(), "0".to_string())],
            )
            .await
            .unwrap();
        let mut expected = vec![from_tom, to_tom];
        expected.sort();
        assert_eq!(
            ids(store.customer_mail(&actor, acme, 50).await.unwrap()),
            expected
        );
        let mut strangers = vec![from_gmail, from_anna, newsletter, alibaba, spoof];
        strangers.sort();
        assert_eq!(by(Party::Stranger).await, strangers);
        // The side panel: the admin sees the customer and its contact …
        let seen = store.sender_matches(&actor, from_tom).await.unwrap();
        assert_eq!(seen.len(), 1);
        assert!(seen[0].visible && seen[0].name == "Acme GmbH");
        assert_eq!(seen[0].contact.as_deref(), Some("Tom"));
        // … a salesperson who may read the account but does not own Acme sees only
        // whose customer it is, and cannot open its mail history.
        let role = store
            .list_roles(&actor)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.code.as_deref() == Some("salesperson"))
            .unwrap()
            .id;
        let li = store
            .create_staff(
                ctx,
                wharf_core::org::StaffInput {
                    username: "li".into(),
                    name: "Li".into(),
                    role_id: Some(role),
                    status: "active".into(),
                    password: Some("welcome-123".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        store
            .update_account(
                ctx,
                &env.vault,
                account,
                wharf_core::mail::account::AccountInput {
                    address: "sales@wharf.test".into(),
                    kind: "public".into(),
                    in_protocol: "none".into(),
                    out_host: "127.0.0.1".into(),
                    out_port: 25,
                    out_security: "none".into(),
                    max_attachment_mb: 25,
                    member_ids: vec![li],
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let li = store.load_actor(li).await.unwrap().unwrap();
        let hidden = store.sender_matches(&li, from_tom).await.unwrap();
        assert_eq!(hidden.len(), 1);
        assert!(!hidden[0].visible && hidden[0].name.is_empty() && hidden[0].contact.is_none());
        assert!(!hidden[0].owners.is_empty());
        assert!(store.customer_mail(&li, acme, 50).await.is_err());
        // Following Acme (LINK-5): its unread mail is counted and marked for those who
        // may see it, and for nobody else.
        let mut input = store
            .get_customer(&actor, acme)
            .await
            .unwrap()
            .customer
            .to_input();
        input.follow = true;
        store.update_customer(ctx, acme, input).await.unwrap();
        assert_eq!(
            store
                .followed_among(&actor, &[from_tom, from_gmail, from_anna])
                .await
                .unwrap(),
            vec![from_tom]
        );
        let (n, latest) = store.followed_unread(&actor, &[account]).await.unwrap();
        assert_eq!((n, latest.map(|l| l.1)), (1, Some("Acme GmbH".to_string())));
        assert!(
            store
                .followed_among(&li, &[from_tom])
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.followed_unread(&li, &[account]).await.unwrap().0, 0);
    }
}
