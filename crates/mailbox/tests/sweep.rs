//! The blob sweep (issue 14), on SQLite and PostgreSQL: an orphan blob (file or row) a
//! day old goes; a referenced one, a young one, and an old one stored again stay; kept
//! uploads older than 30 days are forgotten and their blobs swept.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use wharf_core::customers::CustomerInput;
use wharf_mailbox::Env;
use wharf_mailbox::sweep::sweep;
use wharf_store::now;
use wharf_store::testing::{backends, ctx, execute_sql};

fn file_of(root: &Path, hash: &str) -> PathBuf {
    root.join(&hash[..2]).join(&hash[2..4]).join(hash)
}

fn age(path: &Path, days: u64) {
    let f = std::fs::File::options().append(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(days * 86_400 + 60))
        .unwrap();
}

fn big(tag: u8) -> Vec<u8> {
    vec![tag; 200 * 1024]
}

#[tokio::test]
async fn the_sweep_takes_orphans_only() {
    for store in backends().await {
        let root = std::env::temp_dir().join(format!(
            "wharf-sweep-{}",
            &wharf_store::secret::random_token()[..12]
        ));
        let env = Env {
            blobs: wharf_store::blobs::Blobs::in_data_dir(&root),
            ..common::env_for(&store)
        };
        let blobs = root.join("blobs");
        let admin = common::admin(&store).await;
        // An orphan file a day old (as a refused upload left them), and a young one.
        let (old_orphan, _, _) = env.put_blob(big(1)).await.unwrap();
        age(&file_of(&blobs, &old_orphan), 2);
        let (young_orphan, _, _) = env.put_blob(big(2)).await.unwrap();
        // A customer's document, its file and row a day old.
        let customer = store
            .create_customer(
                ctx(&admin),
                CustomerInput {
                    name: "Sweep Test Co".into(),
                    ..Default::default()
                },
                &[admin.user_id],
            )
            .await
            .unwrap();
        let (doc, size, _) = env.put_blob(big(3)).await.unwrap();
        store
            .add_document(
                ctx(&admin),
                customer,
                "a.pdf",
                "application/pdf",
                &doc,
                size,
                None,
            )
            .await
            .unwrap();
        age(&file_of(&blobs, &doc), 2);
        // A kept upload of yesterday, and one of 31 days ago (file and small row).
        let kept = env
            .keep_upload(&admin, "k.bin", "application/octet-stream", big(4))
            .await
            .unwrap();
        age(&file_of(&blobs, &kept.blob_hash), 2);
        let stale = env
            .keep_upload(&admin, "s.bin", "application/octet-stream", big(5))
            .await
            .unwrap();
        age(&file_of(&blobs, &stale.blob_hash), 40);
        let small = env
            .keep_upload(&admin, "t.txt", "text/plain", b"tiny".to_vec())
            .await
            .unwrap();
        let month = now() - 31 * 86_400;
        execute_sql(
            &store,
            &format!(
                "UPDATE mail_uploads SET created_at = {month} WHERE id IN ({}, {})",
                stale.id, small.id
            ),
        )
        .await;
        let day = now() - 2 * 86_400;
        execute_sql(&store, &format!("UPDATE blobs SET created_at = {day}")).await;
        // An old orphan that is stored again now counts as new.
        let (again, _, _) = env.put_blob(big(6)).await.unwrap();
        age(&file_of(&blobs, &again), 2);
        env.put_blob(big(6)).await.unwrap();

        let report = sweep(&env, now()).await.unwrap();
        assert_eq!(report.uploads, 2, "{report:?}");
        // The stale uploads' rows (big and small) went with them.
        assert_eq!(report.rows, 2, "{report:?}");
        assert_eq!(report.files, 2, "{report:?}");
        assert!(!file_of(&blobs, &old_orphan).exists());
        assert!(!file_of(&blobs, &stale.blob_hash).exists());
        for kept in [&young_orphan, &doc, &kept.blob_hash, &again] {
            assert!(file_of(&blobs, kept).exists(), "{kept}");
        }
        assert_eq!(env.read_blob(&doc).await.unwrap(), big(3));
        assert_eq!(store.uploads(&admin, &[kept.id]).await.unwrap().len(), 1);
        assert!(store.uploads(&admin, &[stale.id]).await.is_err());
        assert!(store.inline_blob(&small.blob_hash).await.unwrap().is_none());
        // Nothing left to take.
        assert_eq!(sweep(&env, now()).await.unwrap(), Default::default());
        let _ = std::fs::remove_dir_all(root);
    }
}
