//! The mail commands of the binary on a stopped server: `wharf import` (twice: nothing
//! added the second time), `wharf reparse`, `wharf export` (the original bytes back),
//! `wharf accounts`, and clear errors for an unknown account or a missing path.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use wharf_store::testing;
use wharf_store::vault::Vault;

fn wharf(data: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wharf"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("WHARF_LOG", "warn")
        .env_remove("WHARF_DATABASE_URL")
        .env_remove("WHARF_CONFIG")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[tokio::test]
async fn import_export_and_errors() {
    let dir = std::env::temp_dir().join(format!(
        "wharf-cli-{}",
        &wharf_store::secret::random_token()[..10]
    ));
    let data = dir.join("data");
    let files = dir.join("files");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::create_dir_all(&files).unwrap();
    let store = testing::sqlite_in(&data).await;
    let actor = testing::admin(&store).await;
    let vault = Vault::load_or_create(&data.join("secret.key")).unwrap();
    let account = store
        .create_account(
            testing::ctx(&actor),
            &vault,
            testing::local_account("li@wharf.test", None),
        )
        .await
        .unwrap();
    store.close().await;

    let one =
        b"From: buyer@example.com\r\nTo: li@wharf.test\r\nSubject: RFQ\r\n\r\nPrice?\r\n".to_vec();
    let two = b"From: li@wharf.test\r\nTo: buyer@example.com\r\nSubject: Re: RFQ\r\n\r\n12 USD\r\n"
        .to_vec();
    std::fs::write(files.join("one.eml"), &one).unwrap();
    std::fs::write(
        files.join("archive.mbox"),
        b"From x Mon Jan  1 00:00:00 2024\nSubject: in mbox 1\n\nbody\n\nFrom y Mon Jan  1 00:00:00 2024\nSubject: in mbox 2\n\nbody\n\n",
    )
    .unwrap();
    std::fs::write(files.join("two.eml"), &two).unwrap();
    std::fs::write(files.join("notes.txt"), b"shopping list").unwrap();
    let id = account.to_string();

    let (ok, out, err) = wharf(
        &data,
        &["import", "--account", &id, files.to_str().unwrap()],
    );
    assert!(ok, "{err}");
    assert!(out.contains("4 messages read, 4 added"), "{out}");
    assert!(err.contains("notes.txt: not a mail message"), "{err}");
    let (_, again, _) = wharf(
        &data,
        &["import", "--account", &id, files.to_str().unwrap()],
    );
    assert!(
        again.contains("4 messages read, 0 added, 4 already stored"),
        "{again}"
    );
    // Re-parsing what is stored: everything read, nothing to change, safe to repeat.
    for _ in 0..2 {
        let (ok, out, err) = wharf(&data, &["reparse", "--account", &id, "--batch", "3"]);
        assert!(ok, "{err}");
        assert!(
            out.contains("reparse: 4 messages checked, 0 changed, 0 unreadable"),
            "{out}"
        );
    }
    let (ok, _, err) = wharf(&data, &["reparse", "--account", "999"]);
    assert!(!ok && err.contains("no mail account with id 999"), "{err}");

    let out_dir = dir.join("export");
    let (ok, out, err) = wharf(
        &data,
        &[
            "export",
            "--account",
            &id,
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("export: 4 messages"), "{out}");
    // The sent reply went to .Sent (direction from the account's address), bytes intact.
    let sent: Vec<_> = std::fs::read_dir(out_dir.join(".Sent/cur"))
        .unwrap()
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        std::fs::read(sent[0].as_ref().unwrap().path()).unwrap(),
        two
    );
    let inbox: Vec<Vec<u8>> = std::fs::read_dir(out_dir.join("cur"))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(inbox.len(), 3);
    assert!(inbox.contains(&one));

    let mbox = dir.join("all.mbox");
    let (ok, _, err) = wharf(
        &data,
        &[
            "export",
            "--account",
            &id,
            "--out",
            mbox.to_str().unwrap(),
            "--format",
            "mbox",
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(
        String::from_utf8_lossy(&std::fs::read(&mbox).unwrap())
            .matches("\nFrom ")
            .count()
            + 1,
        4
    );

    // An Outlook .pst goes through readpst; a damaged one (or no readpst) is a clear skip.
    let pst = dir.join("old.pst");
    std::fs::write(&pst, b"!BDN not really a pst").unwrap();
    let (ok, out, err) = wharf(&data, &["import", "--account", &id, pst.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("0 messages read"), "{out}");
    assert!(err.contains("old.pst") && err.contains("readpst"), "{err}");

    let (ok, list, _) = wharf(&data, &["accounts"]);
    assert!(ok && list.contains("li@wharf.test"), "{list}");
    let (ok, _, err) = wharf(
        &data,
        &["import", "--account", "999", files.to_str().unwrap()],
    );
    assert!(!ok && err.contains("no mail account with id 999"), "{err}");
    let (ok, _, err) = wharf(&data, &["import", "--account", &id, "/no/such/path"]);
    assert!(!ok && err.contains("does not exist"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}
