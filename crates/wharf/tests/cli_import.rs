//! `wharf import` over the mail crate's real-shaped fixtures (mbox dialects, files that
//! are mostly a message, files that are not mail, message/partial pieces): every message
//! stored once, defects and skips listed with their reasons, progress shown, the pieces
//! put together; then `wharf export` as Maildir gives back exactly the original
//! messages, and the exported mbox imported again splits into the same messages (nothing
//! added).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use wharf_store::testing;
use wharf_store::vault::Vault;

fn wharf(data: &Path, args: &[&str]) -> (bool, String, String) {
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

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../mail/tests/fixtures")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[tokio::test]
async fn fixtures_import_once_and_export_byte_identical() {
    let dir = std::env::temp_dir().join(format!(
        "wharf-cli-import-{}",
        &wharf_store::secret::random_token()[..10]
    ));
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let store = testing::sqlite_in(&data).await;
    let actor = testing::admin(&store).await;
    let vault = Vault::load_or_create(&data.join("secret.key")).unwrap();
    let account = store
        .create_account(
            testing::ctx(&actor),
            &vault,
            testing::local_account("buyer@example.com", None),
        )
        .await
        .unwrap();
    store.close().await;
    let id = account.to_string();
    let fx = fixtures();
    let inputs: Vec<String> = [
        "mboxcl2.mbox",
        "mboxrd.mbox",
        "thunderbird",
        "eudora.mbx",
        "files",
        "partial",
    ]
    .iter()
    .map(|f| fx.join(f).display().to_string())
    .collect();
    let mut args = vec!["import", "--account", &id];
    args.extend(inputs.iter().map(String::as_str));

    let (ok, out, err) = wharf(&data, &args);
    assert!(ok, "{err}");
    // 5 + 3 + 3 + 3 mbox messages, 2 files kept, 3 pieces and the whole they make.
    assert!(
        out.contains(
            "20 messages read, 20 added, 0 already stored, 0 stored unparsed, 2 kept with a defect, 1 put together from message/partial pieces, 2 skipped"
        ),
        "{out}"
    );
    assert!(err.contains("messages found"), "progress: {err}");
    assert!(
        err.contains("logo.png: not a mail message: a PNG image"),
        "{err}"
    );
    assert!(
        err.contains("catalogue.pdf: not a mail message: a PDF document"),
        "{err}"
    );
    assert!(
        err.contains("bom.eml: it starts with a UTF-8 byte order mark"),
        "{err}"
    );
    assert!(
        err.contains("broken-header.eml: malformed header lines 2, 6"),
        "{err}"
    );

    let (ok, again, err) = wharf(&data, &args);
    assert!(ok, "{err}");
    assert!(
        again.contains("20 messages read, 0 added, 20 already stored"),
        "{again}"
    );

    // The Maildir export is exactly the original messages.
    let mut want = BTreeSet::new();
    let mut expected_files = Vec::new();
    files_under(&fx.join("expected"), &mut expected_files);
    files_under(&fx.join("partial"), &mut expected_files);
    expected_files.push(fx.join("files/bom.eml"));
    expected_files.push(fx.join("files/broken-header.eml"));
    for f in &expected_files {
        want.insert(std::fs::read(f).unwrap());
    }
    assert_eq!(want.len(), 20);
    let maildir = dir.join("export");
    let (ok, out, err) = wharf(
        &data,
        &[
            "export",
            "--account",
            &id,
            "--out",
            maildir.to_str().unwrap(),
        ],
    );
    assert!(ok && out.contains("export: 20 messages"), "{out} {err}");
    let mut exported = Vec::new();
    files_under(&maildir, &mut exported);
    let got: BTreeSet<Vec<u8>> = exported.iter().map(|f| std::fs::read(f).unwrap()).collect();
    assert_eq!(exported.len(), 20);
    assert!(got == want, "the Maildir export is the original messages");

    // The mbox export splits into the same messages: importing it adds nothing (the
    // pieces in it are put together once more: 21 read).
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
    let (ok, back, err) = wharf(&data, &["import", "--account", &id, mbox.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        back.contains("21 messages read, 0 added, 21 already stored"),
        "{back}\n{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
