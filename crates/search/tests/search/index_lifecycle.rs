//! The index on disk: it catches up after a restart and rebuilds when asked; a first build
//! cut short goes on, a failed one adds nothing twice; a change-log number of a transaction
//! still in flight is not lost (PostgreSQL).

use wharf_core::customers::CustomerInput;
use wharf_search::SearchIndex;
use wharf_store::testing::{backends, ctx};

use crate::world::*;

#[tokio::test]
async fn an_index_on_disk_catches_up_after_a_restart_and_rebuilds_when_asked() {
    for store in backends().await {
        let w = world(&store).await;
        let dir = std::env::temp_dir().join(format!(
            "wharf-search-index-{}",
            &wharf_store::secret::random_token()[..12]
        ));
        let first = mail(
            &w,
            w.li_account,
            text_mail(
                "a@b.example",
                "li@wharf.test",
                "Valve order",
                "ball valves",
                "Mon, 2 Nov 2026 10:00:00 +0800",
            ),
        )
        .await;
        let index = SearchIndex::open(&dir, 30_000_000).unwrap();
        index.catch_up(&store).await.unwrap();
        assert_eq!(index.status().documents, 1);
        // A second opener (another process, the CLI) is told the index is busy.
        assert!(matches!(
            SearchIndex::open(&dir, 30_000_000),
            Err(wharf_search::Error::Busy)
        ));
        drop(index);

        // Mail arrives while no server runs; the next start catches up.
        let second = mail(
            &w,
            w.li_account,
            text_mail(
                "a@b.example",
                "li@wharf.test",
                "Valve order 2",
                "gate valves",
                "Tue, 3 Nov 2026 10:00:00 +0800",
            ),
        )
        .await;
        let index = SearchIndex::open(&dir, 30_000_000).unwrap();
        assert_eq!(index.status().documents, 1);
        index.catch_up(&store).await.unwrap();
        assert_eq!(
            mail_ids(&index, &store, &w.li, "valves").await,
            vec![first, second]
        );

        // A damaged index is started afresh and filled again.
        drop(index);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().unwrap() == "meta.json" {
                std::fs::write(&path, b"{ not json").unwrap();
            }
        }
        let index = SearchIndex::open(&dir, 30_000_000).unwrap();
        index.catch_up(&store).await.unwrap();
        assert_eq!(
            mail_ids(&index, &store, &w.li, "valves").await,
            vec![first, second]
        );

        // A second app node on the same database keeps its own index from the same log.
        let other_node = SearchIndex::in_memory().unwrap();
        other_node.catch_up(&store).await.unwrap();
        assert_eq!(
            mail_ids(&other_node, &store, &w.li, "valves").await,
            vec![first, second]
        );
        let third = mail(
            &w,
            w.li_account,
            text_mail(
                "a@b.example",
                "li@wharf.test",
                "Valve order 3",
                "check valves",
                "Wed, 4 Nov 2026 10:00:00 +0800",
            ),
        )
        .await;
        for node in [&index, &other_node] {
            node.catch_up(&store).await.unwrap();
            assert_eq!(
                mail_ids(node, &store, &w.li, "valves").await,
                vec![first, second, third]
            );
        }

        // `wharf search rebuild` with a server running asks every node to rebuild.
        let generation = store.request_search_rebuild().await.unwrap();
        for node in [&index, &other_node] {
            node.catch_up(&store).await.unwrap();
            assert_eq!(node.status().generation, generation);
            assert_eq!(node.status().documents, 3);
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// A first build commits as it goes: cut short (the process gone mid-way), the next
/// start goes on from where it stopped, every document once, and changes made in the
/// meantime to documents it had already written are applied.
#[tokio::test]
async fn a_first_build_cut_short_goes_on_where_it_stopped() {
    const MESSAGES: usize = 3_000;
    for store in backends().await {
        let w = world(&store).await;
        let dir = std::env::temp_dir().join(format!(
            "wharf-search-build-{}",
            &wharf_store::secret::random_token()[..12]
        ));
        let raws = (0..MESSAGES)
            .map(|n| {
                text_mail(
                    "buyer@b.example",
                    "li@wharf.test",
                    &format!("Order {n}"),
                    &format!("item{n} sprocket"),
                    "Mon, 2 Nov 2026 10:00:00 +0800",
                )
            })
            .collect();
        let ids = mail_many(&w, w.li_account, raws).await;

        // One commit a page (a thousand documents); the build is dropped after the first.
        let index = SearchIndex::open(&dir, 30_000_000)
            .unwrap()
            .with_build_commit_every(1);
        assert!(index.is_building(), "an index never built is incomplete");
        let cut = tokio::select! {
            r = index.catch_up(&store) => panic!("the build ended before it was cut: {r:?}"),
            n = async {
                loop {
                    let n = index.status().documents;
                    if n > 0 {
                        break n;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                }
            } => n,
        };
        assert!((cut as usize) < MESSAGES, "{cut} documents at the cut");
        let found = find(&index, &store, &w.li, "sprocket").await;
        assert_eq!(found.mail.total as u64, cut, "what is built is found");
        assert!(!found.complete, "and said to be incomplete");
        drop(index);

        // Meanwhile the first message (already in the index) goes to Trash.
        store.set_trashed(ctx(&w.li), ids[0], true).await.unwrap();

        // The next start: the writer of the dropped build may still be finishing a step.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        let index = loop {
            match SearchIndex::open(&dir, 30_000_000) {
                Ok(index) => break index,
                Err(wharf_search::Error::Busy) if std::time::Instant::now() < deadline => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                Err(e) => panic!("{e}"),
            }
        };
        let resumed = index.status();
        assert!(resumed.building && resumed.documents >= cut);
        let written = index.catch_up(&store).await.unwrap();
        assert!(
            written < MESSAGES,
            "went on from {} documents, wrote {written}",
            resumed.documents
        );
        assert!(!index.is_building());
        assert_eq!(index.status().documents as usize, MESSAGES);
        // The next step applies the log again from where it stood when the build began.
        index.catch_up(&store).await.unwrap();
        assert_eq!(index.status().documents as usize, MESSAGES);
        let found = find(&index, &store, &w.li, "sprocket").await;
        assert!(found.complete);
        assert_eq!(
            found.mail.total,
            MESSAGES - 1,
            "the trashed one is left out"
        );
        assert!(mail_ids(&index, &store, &w.li, "item0").await.is_empty());
        assert_eq!(
            mail_ids(&index, &store, &w.li, &format!("item{}", MESSAGES - 1)).await,
            vec![ids[MESSAGES - 1]]
        );
        drop(index);
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// A build that fails mid-way (a row the store cannot read) leaves nothing behind: the
/// next try, once the row is mended, has every document once. SQLite only: its loose
/// column types let the test store a date that is not a number.
#[tokio::test]
async fn a_failed_build_adds_nothing_twice() {
    const MESSAGES: usize = 2_500;
    let store = wharf_store::testing::sqlite().await;
    let w = world(&store).await;
    let raws = (0..MESSAGES)
        .map(|n| {
            text_mail(
                "buyer@b.example",
                "li@wharf.test",
                &format!("Part {n}"),
                "flange gasket",
                "Mon, 2 Nov 2026 10:00:00 +0800",
            )
        })
        .collect();
    let ids = mail_many(&w, w.li_account, raws).await;
    // The second page of the build (a thousand messages a page) cannot be read.
    let broken = ids[1_500];
    wharf_store::testing::execute_sql(
        &store,
        &format!("UPDATE messages SET received_at = 'not a number' WHERE id = {broken}"),
    )
    .await;
    let index = SearchIndex::in_memory().unwrap();
    assert!(index.catch_up(&store).await.is_err(), "the build fails");
    wharf_store::testing::execute_sql(
        &store,
        &format!("UPDATE messages SET received_at = 1762048800 WHERE id = {broken}"),
    )
    .await;
    index.catch_up(&store).await.unwrap();
    assert_eq!(index.status().documents as usize, MESSAGES);
    assert_eq!(
        find(&index, &store, &w.li, "gasket").await.mail.total,
        MESSAGES
    );
}

/// PostgreSQL: a change-log number taken by a transaction still running when a later one
/// commits is waited for, then applied when it commits; a rolled-back one stops holding
/// the index's position back.
#[tokio::test]
async fn a_transaction_in_flight_is_not_lost() {
    use wharf_store::testing::customer_in_open_transaction;
    for store in backends().await {
        if store.backend() != wharf_store::Backend::Postgres {
            continue;
        }
        let w = world(&store).await;
        let index = SearchIndex::in_memory().unwrap();
        index.catch_up(&store).await.unwrap();
        let names = |q: &'static str| {
            let (index, store, admin) = (&index, &store, &w.admin);
            async move { customer_names(index, store, admin, q).await }
        };

        let slow = customer_in_open_transaction(&store, "Slowpoke Trading").await;
        store
            .create_customer(
                ctx(&w.admin),
                CustomerInput {
                    name: "Quick Trading".into(),
                    ..Default::default()
                },
                &[],
            )
            .await
            .unwrap();
        index.catch_up(&store).await.unwrap();
        assert_eq!(names("trading").await, vec!["Quick Trading"]);
        let held = index.status().applied;
        assert!(
            held < store.search_log_head().await.unwrap(),
            "waiting for the open one"
        );
        slow.commit().await;
        index.catch_up(&store).await.unwrap();
        assert_eq!(
            names("trading").await,
            vec!["Quick Trading", "Slowpoke Trading"]
        );
        assert_eq!(
            index.status().applied,
            store.search_log_head().await.unwrap()
        );

        let never = customer_in_open_transaction(&store, "Never Ltd").await;
        store
            .create_customer(
                ctx(&w.admin),
                CustomerInput {
                    name: "After Ltd".into(),
                    ..Default::default()
                },
                &[],
            )
            .await
            .unwrap();
        index.catch_up(&store).await.unwrap();
        assert!(index.status().applied < store.search_log_head().await.unwrap());
        never.rollback().await;
        index.catch_up(&store).await.unwrap();
        assert_eq!(
            index.status().applied,
            store.search_log_head().await.unwrap()
        );
        assert_eq!(names("ltd").await, vec!["After Ltd"]);
    }
}
