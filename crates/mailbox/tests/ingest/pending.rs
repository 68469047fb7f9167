//! Pending (MAIL-3): inbound mail waits until a reply is stored, sent or synced.

use wharf_store::Ctx;
use wharf_store::testing::backends;

use crate::setup::*;

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
