//! Ingestion rules without a mail server, on SQLite and PostgreSQL: conversations from
//! the headers (and the subject), bounces tied to the message they report on, and a
//! message the parser cannot read stored raw and flagged without stopping the rest.
#![allow(clippy::unwrap_used)]

mod common;

use wharf_mailbox::ingest::Origin;
use wharf_store::Ctx;
use wharf_store::testing::backends;

async fn setup(store: &wharf_store::Store) -> (wharf_mailbox::Env, i64) {
    let env = common::env_for(store);
    let actor = common::admin(store).await;
    let account = store
        .create_account(
            Ctx {
                actor: &actor,
                ip: "127.0.0.1",
            },
            &env.vault,
            wharf_core::mail::account::AccountInput {
                address: "sales@wharf.test".into(),
                kind: "public".into(),
                in_protocol: "none".into(),
                out_host: "127.0.0.1".into(),
                out_port: 25,
                out_security: "none".into(),
                max_attachment_mb: 25,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    (env, account)
}

fn origin(account: i64, role: &str) -> Origin {
    Origin {
        account_id: account,
        own_addresses: vec!["sales@wharf.test".into()],
        folder_role: role.into(),
        source: "test".into(),
        ..Default::default()
    }
}

async fn ingest(env: &wharf_mailbox::Env, account: i64, raw: &str) -> i64 {
    env.ingestor()
        .ingest_raw(vec![(raw.as_bytes().to_vec(), origin(account, ""))], None)
        .await
        .unwrap()[0]
        .id()
}

#[tokio::test]
async fn threads_bounces_and_unparseable_mail() {
    for store in backends().await {
        let (env, account) = setup(&store).await;
        // A conversation: the reply arrives before the message it answers. Dates are
        // fixed: a subject joins a conversation only within 60 days of its last mail.
        let reply = ingest(&env, account, "From: buyer@example.com\r\nTo: sales@wharf.test\r\nSubject: Re: Price of valves\r\nDate: Sun, 22 Nov 2026 12:00:00 +0800\r\nMessage-ID: <b@x>\r\nIn-Reply-To: <a@x>\r\nReferences: <a@x>\r\n\r\nOK\r\n").await;
        let first = ingest(&env, account, "From: sales@wharf.test\r\nTo: buyer@example.com\r\nSubject: Price of valves\r\nDate: Sun, 22 Nov 2026 10:00:00 +0800\r\nMessage-ID: <a@x>\r\n\r\nOur price\r\n").await;
        let third = ingest(&env, account, "From: buyer@example.com\r\nTo: sales@wharf.test\r\nSubject: RE: price of valves\r\nMessage-ID: <c@x>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0800\r\n\r\nno headers, subject only\r\n").await;
        let other = ingest(&env, account, "From: someone@example.org\r\nTo: sales@wharf.test\r\nSubject: Price of valves\r\nMessage-ID: <d@x>\r\n\r\nA new question with the same subject\r\n").await;
        let msgs = store.account_messages(account).await.unwrap();
        let thread = |id: i64| msgs.iter().find(|m| m.id == id).unwrap().thread_id;
        assert_eq!(
            thread(reply),
            thread(first),
            "parent found through the reply's references"
        );
        assert_eq!(
            thread(third),
            thread(first),
            "a Re: subject joins the recent conversation"
        );
        assert_ne!(
            thread(other),
            thread(first),
            "the same subject without Re: starts a new one"
        );
        let out = msgs.iter().find(|m| m.id == first).unwrap();
        assert_eq!(
            (out.direction.as_str(), out.folder_role.as_str()),
            ("out", "sent")
        );

        // A bounce of the sent message is recognised and tied to it.
        let bounce = ingest(&env, account, "From: MAILER-DAEMON@mx.example.com\r\nTo: sales@wharf.test\r\nSubject: Undelivered Mail Returned to Sender\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n--R\r\nContent-Type: text/plain\r\n\r\nfailed\r\n\
--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\nFinal-Recipient: rfc822; buyer@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n\
--R\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <a@x>\r\nSubject: Price of valves\r\n\r\n--R--\r\n").await;
        let msgs = store.account_messages(account).await.unwrap();
        let b = msgs.iter().find(|m| m.id == bounce).unwrap();
        assert!(b.is_bounce);
        assert_eq!(b.bounce_of, Some(first));

        // Junk without headers is kept as it came, flagged, and the batch goes on.
        let junk = b"\x00\x01 this is not a mail message at all \xff\xfe".to_vec();
        let good = b"From: a@example.com\r\nSubject: fine\r\n\r\nbody\r\n".to_vec();
        let ids = env
            .ingestor()
            .ingest_raw(
                vec![
                    (junk.clone(), origin(account, "inbox")),
                    (good, origin(account, "inbox")),
                ],
                None,
            )
            .await
            .unwrap();
        let msgs = store.account_messages(account).await.unwrap();
        let j = msgs.iter().find(|m| m.id == ids[0].id()).unwrap();
        assert!(!j.parse_ok);
        assert!(!j.parse_error.is_empty());
        assert_eq!(env.read_blob(&j.blob_hash).await.unwrap(), junk);
        assert!(msgs.iter().find(|m| m.id == ids[1].id()).unwrap().parse_ok);

        // A big message (over the in-database limit) lives in the blob files, intact.
        let mut big =
            b"From: a@example.com\r\nSubject: big\r\nContent-Type: text/plain\r\n\r\n".to_vec();
        while big.len() < 31 * 1024 * 1024 {
            big.extend_from_slice(
                b"0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstu\r\n",
            );
        }
        let id = env
            .ingestor()
            .ingest_raw(vec![(big.clone(), origin(account, "inbox"))], None)
            .await
            .unwrap()[0]
            .id();
        let m = store
            .account_messages(account)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.id == id)
            .unwrap();
        assert!(store.inline_blob(&m.blob_hash).await.unwrap().is_none());
        assert_eq!(env.read_blob(&m.blob_hash).await.unwrap(), big);
    }
}

/// Pending (MAIL-3): inbound mail waits, oldest first, until a reply is stored — sent
/// from Wharf, or found in the synced Sent folder, even when the Sent folder syncs first.
#[tokio::test]
async fn replies_take_mail_off_pending() {
    use wharf_store::mail::view::{MailQuery, MailView};
    for store in backends().await {
        let (env, account) = setup(&store).await;
        let actor = store
            .load_actor(store.find_login("admin").await.unwrap().unwrap().id)
            .await
            .unwrap()
            .unwrap();
        let pending = |store: wharf_store::Store, actor: wharf_core::Actor| async move {
            let q = MailQuery {
                view: MailView::Pending,
                account_id: None,
                after: None,
                limit: 50,
                text: None,
                party: None,
            };
            store
                .list_mail(&actor, &q)
                .await
                .unwrap()
                .0
                .into_iter()
                .map(|m| m.subject)
                .collect::<Vec<_>>()
        };
        ingest(&env, account, "From: a@buyer.com\r\nTo: sales@wharf.test\r\nSubject: Old inquiry\r\nMessage-ID: <q1@x>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nPrice?\r\n").await;
        ingest(&env, account, "From: b@buyer.com\r\nTo: sales@wharf.test\r\nSubject: New inquiry\r\nMessage-ID: <q2@x>\r\nDate: Mon, 16 Nov 2026 10:00:00 +0000\r\n\r\nPrice?\r\n").await;
        assert_eq!(
            pending(store.clone(), actor.clone()).await,
            vec!["Old inquiry", "New inquiry"],
            "oldest first"
        );
        // A reply sent from Wharf.
        wharf_mailbox::send::queue(
            &env,
            account,
            None,
            "sales@wharf.test",
            &["a@buyer.com".to_string()],
            b"From: sales@wharf.test\r\nTo: a@buyer.com\r\nSubject: Re: Old inquiry\r\nIn-Reply-To: <q1@x>\r\nMessage-ID: <r1@wharf>\r\n\r\n12 USD\r\n".to_vec(),
        )
        .await
        .unwrap();
        assert_eq!(
            pending(store.clone(), actor.clone()).await,
            vec!["New inquiry"]
        );
        // The Sent folder synced before the inquiry it answers.
        env.ingestor()
            .ingest_raw(
                vec![(
                    b"From: sales@wharf.test\r\nTo: c@buyer.com\r\nSubject: Re: Third\r\nReferences: <q3@x>\r\nMessage-ID: <r3@wharf>\r\n\r\nyes\r\n".to_vec(),
                    origin(account, "sent"),
                )],
                None,
            )
            .await
            .unwrap();
        ingest(&env, account, "From: c@buyer.com\r\nTo: sales@wharf.test\r\nSubject: Third\r\nMessage-ID: <q3@x>\r\n\r\nhello\r\n").await;
        assert_eq!(
            pending(store.clone(), actor.clone()).await,
            vec!["New inquiry"]
        );
        // Dismissed without a reply.
        let id = store
            .account_messages(account)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.subject == "New inquiry")
            .unwrap()
            .id;
        store
            .set_pending_dismissed(
                Ctx {
                    actor: &actor,
                    ip: "127.0.0.1",
                },
                id,
                true,
            )
            .await
            .unwrap();
        assert!(pending(store.clone(), actor.clone()).await.is_empty());
        assert_eq!(store.mail_counts(&actor).await.unwrap().1, 0);
    }
}

/// Filing and labels (MAIL-2, MAIL-5, MAIL-7): folders of one's own with move and copy,
/// tags, mail types, the Outbox of undelivered mail, and finding deleted mail.
#[tokio::test]
async fn folders_tags_types_outbox_and_deleted_mail() {
    use wharf_store::mail::filing::MoveTarget;
    use wharf_store::mail::view::{MailQuery, MailView};
    for store in backends().await {
        let (env, account) = setup(&store).await;
        let actor = store
            .load_actor(store.find_login("admin").await.unwrap().unwrap().id)
            .await
            .unwrap()
            .unwrap();
        let ctx = Ctx {
            actor: &actor,
            ip: "127.0.0.1",
        };
        let list = |view: MailView, text: Option<&str>| {
            let (store, actor) = (store.clone(), actor.clone());
            let q = MailQuery {
                view,
                account_id: None,
                after: None,
                limit: 50,
                text: text.map(str::to_string),
                party: None,
            };
            async move {
                store
                    .list_mail(&actor, &q)
                    .await
                    .unwrap()
                    .0
                    .into_iter()
                    .map(|m| m.subject)
                    .collect::<Vec<_>>()
            }
        };
        let inbox = || MailView::Folder("inbox".into());
        let a = ingest(&env, account, "From: a@acme.com\r\nTo: sales@wharf.test\r\nSubject: ACME order\r\nMessage-ID: <o1@acme>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nPO 7\r\n").await;
        let b = ingest(&env, account, "From: b@bolt.com\r\nTo: sales@wharf.test\r\nSubject: Bolt invoice\r\nMessage-ID: <i1@bolt>\r\nDate: Tue, 3 Nov 2026 10:00:00 +0000\r\n\r\nINV 9\r\n").await;

        // A folder of one's own: a move takes the mail out of Inbox (not off Pending),
        // a copy leaves it where it is; names are unique per account.
        let acme = store.create_folder(ctx, account, "ACME").await.unwrap();
        let dup = store.create_folder(ctx, account, "acme").await.unwrap_err();
        assert!(format!("{dup:?}").contains("duplicate_name"), "{dup:?}");
        let empty = store.create_folder(ctx, account, "  ").await.unwrap_err();
        assert!(format!("{empty:?}").contains("required"));
        let archive = store.create_folder(ctx, account, "2026").await.unwrap();
        store
            .move_message(ctx, a, MoveTarget::Folder(acme))
            .await
            .unwrap();
        store.copy_message(ctx, b, archive).await.unwrap();
        assert_eq!(list(inbox(), None).await, vec!["Bolt invoice"]);
        assert_eq!(
            list(MailView::UserFolder(acme), None).await,
            vec!["ACME order"]
        );
        assert_eq!(
            list(MailView::UserFolder(archive), None).await,
            vec!["Bolt invoice"]
        );
        assert_eq!(
            list(MailView::Pending, None).await.len(),
            2,
            "filed mail is still pending"
        );
        // Moving on from a folder, then back home.
        store
            .move_message(ctx, a, MoveTarget::Folder(archive))
            .await
            .unwrap();
        assert!(list(MailView::UserFolder(acme), None).await.is_empty());
        store.move_message(ctx, a, MoveTarget::Home).await.unwrap();
        assert_eq!(list(inbox(), None).await.len(), 2);
        // Deleting a folder deletes no mail.
        store
            .move_message(ctx, a, MoveTarget::Folder(acme))
            .await
            .unwrap();
        store.rename_folder(ctx, acme, "ACME Ltd").await.unwrap();
        store.delete_folder(ctx, acme).await.unwrap();
        assert_eq!(list(inbox(), None).await.len(), 2, "back in Inbox");
        assert!(
            store
                .user_folders(&actor)
                .await
                .unwrap()
                .iter()
                .all(|f| f.id != acme)
        );

        // Tags (created on first use, matched without case) and the mail type.
        let urgent = store.tag_message(ctx, a, "Urgent").await.unwrap();
        let again = store.tag_message(ctx, b, "urgent").await.unwrap();
        assert_eq!(urgent, again);
        assert_eq!(list(MailView::Tag(urgent.id), None).await.len(), 2);
        store.untag_message(ctx, b, urgent.id).await.unwrap();
        assert_eq!(
            list(MailView::Tag(urgent.id), None).await,
            vec!["ACME order"]
        );
        let types = store
            .list_dict(&actor, wharf_core::dict::DictKind::MailType)
            .await
            .unwrap();
        let invoice = types.iter().find(|t| t.code == "invoice").unwrap().id;
        store.set_mail_type(ctx, b, Some(invoice)).await.unwrap();
        assert_eq!(
            list(MailView::MailType(invoice), None).await,
            vec!["Bolt invoice"]
        );
        let country = store
            .list_dict(&actor, wharf_core::dict::DictKind::Country)
            .await
            .unwrap()[0]
            .id;
        assert!(
            store.set_mail_type(ctx, b, Some(country)).await.is_err(),
            "only mail types"
        );

        // The Outbox: queued and failed mail, with the reason; delivered mail leaves it.
        let (_, outgoing) = wharf_mailbox::send::queue(
            &env,
            account,
            None,
            "sales@wharf.test",
            &["x@acme.com".to_string()],
            b"From: sales@wharf.test\r\nTo: x@acme.com\r\nSubject: Quote 12\r\nMessage-ID: <q12@wharf>\r\n\r\n12 USD\r\n".to_vec(),
        )
        .await
        .unwrap();
        assert_eq!(list(MailView::Outbox, None).await, vec!["Quote 12"]);
        store
            .record_send_attempt(outgoing, "failed", "550 5.1.1 no such user", 0)
            .await
            .unwrap();
        assert_eq!(list(MailView::Outbox, None).await, vec!["Quote 12"]);
        store
            .record_send_attempt(outgoing, "sent", "", 0)
            .await
            .unwrap();
        assert!(list(MailView::Outbox, None).await.is_empty());

        // Deleted mail is found again by subject, sender or Message-ID, with who deleted it.
        store.set_trashed(ctx, a, true).await.unwrap();
        store.set_trashed(ctx, b, true).await.unwrap();
        assert_eq!(
            list(MailView::Trash, Some("acme")).await,
            vec!["ACME order"]
        );
        assert_eq!(
            list(MailView::Trash, Some("I1@BOLT")).await,
            vec!["Bolt invoice"]
        );
        assert!(list(MailView::Trash, Some("100%_")).await.is_empty());
        let q = MailQuery {
            view: MailView::Trash,
            account_id: None,
            after: None,
            limit: 50,
            text: None,
            party: None,
        };
        let trashed = store.list_mail(&actor, &q).await.unwrap().0;
        assert!(
            trashed
                .iter()
                .all(|m| m.deleted_at.is_some() && m.deleted_by_name.is_some())
        );

        // A salesperson who cannot use the account can neither see nor file its mail.
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
        let li = store.load_actor(li).await.unwrap().unwrap();
        let li_ctx = Ctx {
            actor: &li,
            ip: "127.0.0.1",
        };
        let folder = store.create_folder(ctx, account, "Kept").await.unwrap();
        let not_found = |e: wharf_store::StoreError| {
            assert!(
                matches!(
                    e,
                    wharf_store::StoreError::Domain(wharf_core::DomainError::NotFound)
                ),
                "{e:?}"
            )
        };
        not_found(
            store
                .create_folder(li_ctx, account, "Mine")
                .await
                .unwrap_err(),
        );
        not_found(
            store
                .move_message(li_ctx, b, MoveTarget::Folder(folder))
                .await
                .unwrap_err(),
        );
        not_found(store.copy_message(li_ctx, b, folder).await.unwrap_err());
        not_found(store.tag_message(li_ctx, b, "x").await.unwrap_err());
        not_found(store.set_mail_type(li_ctx, b, None).await.unwrap_err());
        not_found(
            store
                .rename_folder(li_ctx, folder, "Taken")
                .await
                .unwrap_err(),
        );
        not_found(store.delete_folder(li_ctx, folder).await.unwrap_err());
        assert!(store.user_folders(&li).await.unwrap().is_empty());
        let q = MailQuery {
            view: MailView::UserFolder(folder),
            account_id: None,
            after: None,
            limit: 50,
            text: None,
            party: None,
        };
        assert!(store.list_mail(&li, &q).await.unwrap().0.is_empty());
    }
}

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
