//! The real-world corpus in `../shared/testdata` (torture tests, Chinese charsets,
//! bounces, mbox files, the SpamAssassin corpus): every message is imported, stored
//! byte-identical, counted once however often it is imported, and comes back
//! byte-identical through the Maildir export; and every attachment's decoded bytes are
//! those of an independent decoder, Python's `email` package (`scripts/mime-parts.py`).
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;

use wharf_mail::sources::{self, Found};

#[tokio::test]
async fn every_corpus_message_is_stored_byte_identical() {
    let Some(dir) = wharf_store::testing::testdata_dir() else {
        return;
    };
    let store = wharf_store::testing::sqlite().await;
    let env = common::env_for(&store);
    let actor = common::admin(&store).await;
    let account = store
        .create_account(
            wharf_store::Ctx {
                actor: &actor,
                ip: "127.0.0.1",
            },
            &env.vault,
            wharf_core::mail::account::AccountInput {
                address: "corpus@example.test".into(),
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

    let report = wharf_mailbox::import::import_paths(&env, account, vec![dir.clone()])
        .await
        .unwrap();
    println!(
        "corpus: {} messages read ({} distinct, {} identical copies, {} stored unparsed), {} non-mail files skipped",
        report.read,
        report.added,
        report.existing,
        report.unparsed,
        report.skipped.len()
    );
    assert!(report.read > 7_000, "the corpus has over 7,000 messages");
    for (origin, reason) in &report.skipped {
        assert!(
            reason.starts_with("not a mail message")
                || origin.ends_with(".csv")
                || origin.ends_with(".md"),
            "{origin}: {reason}"
        );
    }

    // Every message found in the files is stored under its hash, byte for byte.
    let stored: HashSet<String> = store
        .account_messages(account)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.blob_hash)
        .collect();
    let mut source_hashes = HashSet::new();
    let mut checked = 0;
    let mut found_items = Vec::new();
    sources::walk(std::slice::from_ref(&dir), &mut |found| {
        if let Found::Message(item) = found {
            found_items.push(item);
        }
        true
    });
    attachments_match_python(&found_items);
    for item in found_items {
        let hash = wharf_mail::sha256_hex(&item.bytes);
        assert!(stored.contains(&hash), "{} stored", item.origin);
        assert_eq!(
            env.read_blob(&hash).await.unwrap(),
            item.bytes,
            "{} byte-identical",
            item.origin
        );
        source_hashes.insert(hash);
        checked += 1;
    }
    assert_eq!(checked, report.read);
    assert_eq!(source_hashes.len(), report.added);

    // Importing again adds nothing.
    let again = wharf_mailbox::import::import_paths(&env, account, vec![dir])
        .await
        .unwrap();
    assert_eq!((again.read, again.added), (report.read, 0));

    // And the export gives back the same bytes.
    let out = std::env::temp_dir().join(format!(
        "wharf-export-{}",
        &wharf_store::secret::random_token()[..10]
    ));
    let exported = wharf_mailbox::export::export_maildir(&env, account, &out)
        .await
        .unwrap();
    assert_eq!(exported.messages, report.added);
    let mut export_hashes = HashSet::new();
    sources::walk(std::slice::from_ref(&out), &mut |found| {
        if let Found::Message(item) = found {
            export_hashes.insert(wharf_mail::sha256_hex(&item.bytes));
        }
        true
    });
    assert_eq!(export_hashes, source_hashes, "the export is the originals");
    std::fs::remove_dir_all(out).unwrap();
    println!("corpus: {checked} messages checked byte-identical in the store and the export");
}

/// Every attachment Wharf takes from a MIME part has the decoded bytes Python's `email`
/// package gives for some leaf part of the same message. Not compared, by principle:
/// files Wharf unpacks that Python does not (uuencode / yEnc / BinHex inside a text
/// body, the contents of TNEF), and attached messages (`message/*`), which Python hands
/// back parsed rather than as bytes; messages whose MIME structure is broken (a
/// boundary missing), which parsers may legitimately split differently; and messages
/// with base64 Python cannot undo (it returns the encoded text). Skipped with a note when python3 is absent.
fn attachments_match_python(items: &[sources::Item]) {
    use std::io::Write;
    let script =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/mime-parts.py");
    let framed = std::env::temp_dir().join(format!(
        "wharf-corpus-parts-{}",
        &wharf_store::secret::random_token()[..10]
    ));
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&framed).unwrap());
        for item in items {
            f.write_all(&(item.bytes.len() as u64).to_le_bytes())
                .unwrap();
            f.write_all(&item.bytes).unwrap();
        }
    }
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&framed)
        .output();
    std::fs::remove_file(&framed).unwrap();
    let out = match out {
        Ok(o) if o.status.success() => o,
        Ok(o) => panic!(
            "{}: {}",
            script.display(),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => {
            println!(
                "corpus: attachments not compared with Python's email package: python3 not runnable ({e})"
            );
            return;
        }
    };
    let python: Vec<HashSet<String>> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let hashes = l.split_once('\t').map(|(_, h)| h).unwrap_or("");
            hashes
                .split(',')
                .filter(|h| !h.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect();
    assert_eq!(python.len(), items.len(), "Python read every message");
    let (mut compared, mut broken, mut mismatches) = (0, 0, Vec::new());
    for (item, theirs) in items.iter().zip(&python) {
        if theirs.contains("structure") || theirs.contains("undecodable") {
            broken += 1;
            continue;
        }
        let Ok(parsed) = wharf_mail::parse(&item.bytes) else {
            continue;
        };
        for a in parsed
            .attachments
            .iter()
            .filter(|a| !a.unpacked && !a.content_type.starts_with("message/"))
        {
            compared += 1;
            if !theirs.contains(&a.hash) {
                mismatches.push(format!(
                    "{}: {:?} ({}, {} bytes)",
                    item.origin,
                    a.filename,
                    a.content_type,
                    a.bytes.len()
                ));
            }
        }
    }
    println!(
        "corpus: {compared} attachments compared with Python's email package ({broken} messages with a broken MIME structure or base64 Python cannot decode not compared)"
    );
    assert!(
        mismatches.is_empty(),
        "{} attachments decode differently from Python's email package:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
