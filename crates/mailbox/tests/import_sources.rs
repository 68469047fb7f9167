//! History import of files that are mostly a message and of message/partial pieces, on
//! both databases: the files are stored as they came and flagged with their defect on
//! the message page's data, the BOM file still reads as its header says, and the three
//! pieces (found out of order) are stored as they came plus once put together; a second
//! import adds nothing.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../mail/tests/fixtures")
}

async fn run(store: wharf_store::Store) {
    let env = common::env_for(&store);
    let actor = common::admin(&store).await;
    let account = store
        .create_account(
            wharf_store::testing::ctx(&actor),
            &env.vault,
            wharf_store::testing::local_account("buyer@example.com", None),
        )
        .await
        .unwrap();
    let paths = vec![fixtures().join("files"), fixtures().join("partial")];
    let report = wharf_mailbox::import::import_paths(&env, account, paths.clone())
        .await
        .unwrap();
    assert_eq!((report.read, report.added, report.reassembled), (6, 6, 1));
    assert_eq!(report.defects.len(), 2);
    assert_eq!(report.skipped.len(), 2);

    let stored = store.account_messages(account).await.unwrap();
    let by_subject = |s: &str| stored.iter().find(|m| m.subject == s).unwrap().id;
    let bom = store
        .get_message(&actor, by_subject("Starts with a BOM"))
        .await
        .unwrap();
    assert_eq!(bom.defect, "it starts with a UTF-8 byte order mark");
    assert_eq!(bom.summary.from_addr, "sender1@example.org");
    assert!(bom.parse_error.is_empty());
    let broken = stored
        .iter()
        .find(|m| m.message_id == "broken@example.org")
        .unwrap();
    let broken = store.get_message(&actor, broken.id).await.unwrap();
    assert_eq!(broken.defect, "malformed header lines 2, 6");
    let whole = store
        .get_message(&actor, by_subject("The catalogue, in three pieces"))
        .await
        .unwrap();
    assert!(whole.defect.is_empty());
    assert_eq!(
        env.read_blob(&whole.blob_hash).await.unwrap(),
        std::fs::read(fixtures().join("expected/partial/whole.eml")).unwrap()
    );
    assert!(whole.body_text.contains("Line 030 of the catalogue."));
    for n in 1..=3 {
        by_subject(&format!("The catalogue (part {n} of 3)"));
    }

    let again = wharf_mailbox::import::import_paths(&env, account, paths)
        .await
        .unwrap();
    assert_eq!((again.read, again.added, again.existing), (6, 0, 6));
}

#[tokio::test]
async fn defects_flagged_and_partial_pieces_put_together() {
    run(wharf_store::testing::sqlite().await).await;
    if let Some(pg) = wharf_store::testing::postgres().await {
        run(pg).await;
    }
}
