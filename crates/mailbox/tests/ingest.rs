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
            wharf_core::mail::AccountInput {
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
        // A conversation: the reply arrives before the message it answers.
        let reply = ingest(&env, account, "From: buyer@example.com\r\nTo: sales@wharf.test\r\nSubject: Re: Price of valves\r\nMessage-ID: <b@x>\r\nIn-Reply-To: <a@x>\r\nReferences: <a@x>\r\n\r\nOK\r\n").await;
        let first = ingest(&env, account, "From: sales@wharf.test\r\nTo: buyer@example.com\r\nSubject: Price of valves\r\nMessage-ID: <a@x>\r\n\r\nOur price\r\n").await;
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
    use wharf_store::mailbox_view::{MailQuery, MailView};
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
