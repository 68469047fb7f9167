//! Conversations from the headers (and the subject), bounces tied to the message they
//! report on, and a message the parser cannot read stored raw and flagged.

use wharf_store::testing::backends;

use crate::setup::*;

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
