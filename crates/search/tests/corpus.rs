//! The real-world corpus in `../shared/testdata` (torture tests, Chinese charsets,
//! bounces, the SpamAssassin corpus) indexed whole: every stored message becomes one
//! document, known messages are found by Chinese and English words, and odd queries
//! answer without error. Skipped with a note when the data is absent.
#![allow(clippy::unwrap_used)]

use wharf_core::search_query::SearchQuery;
use wharf_search::{SearchIndex, SearchOptions};

#[tokio::test]
async fn the_whole_corpus_is_indexed_and_found() {
    let Some(dir) = wharf_store::testing::testdata_dir() else {
        return;
    };
    let store = wharf_store::testing::sqlite().await;
    let blobs = std::env::temp_dir().join(format!(
        "wharf-search-corpus-{}",
        &wharf_store::secret::random_token()[..10]
    ));
    let env = wharf_mailbox::Env {
        store: store.clone(),
        blobs: wharf_store::blobs::Blobs::in_data_dir(&blobs),
        vault: wharf_store::vault::Vault::from_hex(&wharf_store::secret::random_token()).unwrap(),
    };
    let actor = wharf_store::testing::admin(&store).await;
    let account = store
        .create_account(
            wharf_store::testing::ctx(&actor),
            &env.vault,
            wharf_store::testing::local_account("corpus@example.test", None),
        )
        .await
        .unwrap();
    wharf_mailbox::import::import_paths(&env, account, vec![dir])
        .await
        .unwrap();
    let stored = store.account_messages(account).await.unwrap().len();

    let index = SearchIndex::in_memory().unwrap();
    index.catch_up(&store).await.unwrap();
    assert_eq!(
        index.status().documents as usize,
        stored,
        "one document per message"
    );

    let find = |q: &str| {
        let index = &index;
        let store = &store;
        let actor = &actor;
        let q = q.to_string();
        async move {
            index
                .search(
                    store,
                    actor,
                    &SearchQuery::parse(&q).unwrap(),
                    &SearchOptions {
                        limit: 50,
                        ..SearchOptions::default()
                    },
                )
                .await
                .unwrap()
        }
    };
    // A GB2312 spam of 2002: its subject and a phrase of its body.
    for q in ["打造MBA", "素质培养", "subject:MBA 培养"] {
        let r = find(q).await;
        assert!(
            r.mail
                .items
                .iter()
                .any(|m| m.hit.subject.trim() == "打造MBA"),
            "{q}: {:?}",
            r.mail
                .items
                .iter()
                .map(|m| &m.hit.subject)
                .collect::<Vec<_>>()
        );
    }
    let r = find("\"Chinese market\"").await;
    assert!(
        r.mail
            .items
            .iter()
            .any(|m| m.hit.subject == "[ILUG] enter Chinese market")
    );
    let r = find("from:unido@chinatop.net").await;
    assert!(r.mail.total == 0 || r.mail.items.iter().all(|m| !m.hit.subject.is_empty()));
    // Odd input answers, without error.
    for q in [
        "!!!",
        "\"",
        "-",
        "\"\"",
        "🙂 emoji",
        "date:1999",
        "has:attachment",
        "a",
        &"x".repeat(500),
        "subject:\"\"",
        "中",
        "-the",
    ] {
        let r = index
            .search(
                &store,
                &actor,
                &SearchQuery::parse(q).unwrap(),
                &SearchOptions::default(),
            )
            .await;
        assert!(r.is_ok(), "{q}: {:?}", r.err());
    }
    std::fs::remove_dir_all(&blobs).ok();
}
