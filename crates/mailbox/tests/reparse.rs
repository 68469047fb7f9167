//! `wharf reparse` (issue 15): mail stored with an older parser's reading (a Latin-1
//! subject read as GBK, a TNEF winmail.dat left opaque) gets today's reading from its
//! original bytes; a second run changes nothing; the original bytes are untouched.
#![allow(clippy::unwrap_used)]

mod common;

use wharf_store::mail::messages::NewAttachment;
use wharf_store::mail::reparse::Reparsed;
use wharf_store::testing;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../mail/tests/fixtures")
            .join(name),
    )
    .unwrap()
}

#[tokio::test]
async fn stored_messages_get_the_new_reading() {
    for store in testing::backends().await {
        let env = common::env_for(&store);
        let actor = common::admin(&store).await;
        let account = store
            .create_account(
                testing::ctx(&actor),
                &env.vault,
                testing::local_account("sales@example.test", None),
            )
            .await
            .unwrap();
        let files = ["raw-latin1-headers.eml", "outlook-winmail-tnef.eml"];
        let ingested = env
            .ingestor()
            .ingest_raw(
                files
                    .iter()
                    .map(|f| {
                        (
                            fixture(f),
                            wharf_mailbox::ingest::Origin {
                                account_id: account,
                                own_addresses: vec!["sales@example.test".into()],
                                folder_role: "inbox".into(),
                                ..Default::default()
                            },
                        )
                    })
                    .collect(),
                None,
            )
            .await
            .unwrap();
        let (latin, tnef) = (ingested[0].id(), ingested[1].id());
        // What the old parser stored.
        let dat = NewAttachment {
            hash: "0".repeat(64),
            size: 4,
            inline_data: Some(b"TNEF".to_vec()),
            filename: "winmail.dat".into(),
            content_type: "application/ms-tnef".into(),
            ..Default::default()
        };
        for (id, subject, attachments) in [
            (latin, "Fr鰏che und Gr黣e", vec![]),
            (tnef, "Angebot", vec![dat]),
        ] {
            let old = Reparsed {
                subject: subject.into(),
                to_json: "[]".into(),
                cc_json: "[]".into(),
                attachments,
                ..Default::default()
            };
            assert!(store.apply_reparse(id, &old).await.unwrap());
        }

        let report = wharf_mailbox::reparse::reparse(&env, Some(account), 1, |_, _| {})
            .await
            .unwrap();
        assert_eq!((report.checked, report.changed), (2, 2));
        let m = store.get_message(&actor, latin).await.unwrap();
        assert_eq!(m.summary.subject, "Frösche und Grüße");
        let m = store.get_message(&actor, tnef).await.unwrap();
        let names: Vec<&str> = m.attachments.iter().map(|a| a.filename.as_str()).collect();
        assert_eq!(
            names,
            [
                "winmail.dat",
                "body.rtf",
                "Angebot 2026.pdf",
                "Preisliste März.xlsx"
            ]
        );
        assert!(m.body_text.contains("Dear customer,"), "{}", m.body_text);
        // The attachments' bytes are readable, and the original is what was imported.
        for a in &m.attachments {
            assert_eq!(
                wharf_mail::sha256_hex(&env.read_blob(&a.blob_hash).await.unwrap()),
                a.blob_hash
            );
        }
        assert_eq!(
            env.read_blob(&m.blob_hash).await.unwrap(),
            fixture("outlook-winmail-tnef.eml")
        );

        // Idempotent.
        let again = wharf_mailbox::reparse::reparse(&env, None, 50, |_, _| {})
            .await
            .unwrap();
        assert_eq!((again.checked, again.changed), (2, 0));
        let ids: Vec<i64> = store
            .get_message(&actor, tnef)
            .await
            .unwrap()
            .attachments
            .iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(ids, m.attachments.iter().map(|a| a.id).collect::<Vec<_>>());
    }
}
