//! Finding every message in real-shaped import files (`tests/fixtures/`): the mbox
//! dialects (mboxcl2 with From lines in bodies, mboxrd quoting, Thunderbird `From - `,
//! Eudora `From ???@???`), files that are mostly a message (a BOM, a broken header line)
//! kept with their defect, files that are not mail skipped with a reason, zip archives
//! read entry by entry with zip bombs refused.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};

use wharf_mail::sources::{self, Found, Item};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn collect(paths: &[PathBuf]) -> (Vec<Item>, Vec<(String, String)>) {
    let (mut items, mut skipped) = (Vec::new(), Vec::new());
    sources::walk(paths, &mut |f| {
        match f {
            Found::Message(i) => items.push(i),
            Found::Skipped { origin, reason } => skipped.push((origin, reason)),
            Found::Progress { .. } => {}
        }
        true
    });
    (items, skipped)
}

/// The expected messages of a fixture, `expected/<name>/1.eml` …
fn expected(name: &str) -> Vec<Vec<u8>> {
    let dir = fixture("expected").join(name);
    let mut out = Vec::new();
    for n in 1.. {
        match std::fs::read(dir.join(format!("{n}.eml"))) {
            Ok(b) => out.push(b),
            Err(_) => break,
        }
    }
    out
}

fn check_mbox(file: &str, name: &str, count: usize) {
    let (items, skipped) = collect(&[fixture(file)]);
    assert!(skipped.is_empty(), "{skipped:?}");
    let want = expected(name);
    assert_eq!(want.len(), count);
    assert_eq!(items.len(), count, "{file}: messages found");
    for (n, (item, want)) in items.iter().zip(&want).enumerate() {
        assert!(item.origin.ends_with(&format!("{file}#{}", n + 1)));
        assert_eq!(
            String::from_utf8_lossy(&item.bytes),
            String::from_utf8_lossy(want),
            "{file} message {}",
            n + 1
        );
        assert_eq!(item.bytes, *want);
        assert_eq!(item.defect, None);
    }
}

#[test]
fn mboxcl2_by_content_length_with_from_lines_in_bodies() {
    check_mbox("mboxcl2.mbox", "mboxcl2", 5);
}

#[test]
fn mboxrd_quoting_is_undone() {
    check_mbox("mboxrd.mbox", "mboxrd", 3);
}

#[test]
fn thunderbird_from_dash_separators_without_empty_lines() {
    check_mbox("thunderbird", "thunderbird", 3);
}

#[test]
fn eudora_separators() {
    check_mbox("eudora.mbx", "eudora", 3);
}

#[test]
fn mostly_messages_are_kept_and_other_files_skipped_with_reasons() {
    let (items, skipped) = collect(&[fixture("files")]);
    let names: Vec<&str> = items.iter().map(|i| i.origin.as_str()).collect();
    assert_eq!(items.len(), 2, "{names:?} {skipped:?}");
    let bom = items
        .iter()
        .find(|i| i.origin.ends_with("bom.eml"))
        .unwrap();
    assert_eq!(bom.bytes, std::fs::read(fixture("files/bom.eml")).unwrap());
    assert_eq!(
        bom.defect.as_deref(),
        Some("it starts with a UTF-8 byte order mark")
    );
    let broken = items
        .iter()
        .find(|i| i.origin.ends_with("broken-header.eml"))
        .unwrap();
    assert_eq!(
        broken.bytes,
        std::fs::read(fixture("files/broken-header.eml")).unwrap()
    );
    assert_eq!(
        broken.defect.as_deref(),
        Some("malformed header lines 2, 6")
    );
    let mut skipped = skipped;
    skipped.sort();
    assert_eq!(skipped.len(), 2);
    assert!(skipped[0].0.ends_with("catalogue.pdf"));
    assert_eq!(skipped[0].1, "not a mail message: a PDF document");
    assert!(skipped[1].0.ends_with("logo.png"));
    assert_eq!(skipped[1].1, "not a mail message: a PNG image");
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wharf-src-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn zip_of(path: &Path, entries: &[(&str, &[u8])], method: zip::CompressionMethod) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        .large_file(true);
    for (name, bytes) in entries {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn zip_with_an_mbox_inside_and_a_zip_without_mail() {
    let dir = temp("zips");
    let mbox = std::fs::read(fixture("mboxcl2.mbox")).unwrap();
    zip_of(
        &dir.join("takeout.zip"),
        &[
            ("Takeout/Mail/All mail.mbox", &mbox),
            ("Takeout/readme.html", b"<html>"),
        ],
        zip::CompressionMethod::Deflated,
    );
    zip_of(
        &dir.join("photos.zip"),
        &[("a.png", b"\x89PNG\r\n\x1a\n\0\0"), ("b.txt", b"hello")],
        zip::CompressionMethod::Deflated,
    );
    let (items, skipped) = collect(std::slice::from_ref(&dir));
    assert_eq!(items.len(), 5);
    for (item, want) in items.iter().zip(expected("mboxcl2")) {
        assert_eq!(item.bytes, want);
    }
    assert!(
        items[0]
            .origin
            .ends_with("takeout.zip!Takeout/Mail/All mail.mbox#1")
    );
    let mut skipped = skipped;
    skipped.sort();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].0.ends_with("photos.zip"));
    assert_eq!(
        skipped[0].1,
        "not a mail message: a zip archive holding no mail (2 files)"
    );
    assert!(skipped[1].0.ends_with("takeout.zip!Takeout/readme.html"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn zip_bomb_is_refused_by_its_sizes() {
    let dir = temp("bomb");
    let zeros = vec![0u8; 120 * 1024 * 1024];
    zip_of(
        &dir.join("bomb.zip"),
        &[
            ("1.eml", b"From: a@x\nSubject: s\n\nb\n"),
            ("big.eml", &zeros),
        ],
        zip::CompressionMethod::Deflated,
    );
    drop(zeros);
    let (items, skipped) = collect(std::slice::from_ref(&dir));
    assert_eq!(items.len(), 1);
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0].0.ends_with("bomb.zip!big.eml"));
    assert!(skipped[0].1.contains("zip bomb"), "{}", skipped[0].1);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_large_mbox_streams_with_progress() {
    // Over MAX_MESSAGE_BYTES in total (so it cannot be one read), with no mbox name.
    let dir = temp("stream");
    let path = dir.join("Inbox");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let body = "x".repeat(1000) + "\n";
    let per = 100;
    let n = (sources::MAX_MESSAGE_BYTES as usize / (per * body.len())) + 10;
    for i in 0..n {
        write!(
            f,
            "From a@x Mon Jan  1 00:00:00 2024\nFrom: a@x\nSubject: {i}\n\n{}\n",
            body.repeat(per)
        )
        .unwrap();
    }
    drop(f);
    let (mut count, mut last, mut reports) = (0, (0, 0), 0);
    sources::walk(std::slice::from_ref(&path), &mut |found| {
        match found {
            Found::Message(item) => {
                assert!(item.bytes.starts_with(b"From: a@x\nSubject: "));
                count += 1;
            }
            Found::Skipped { origin, reason } => panic!("{origin}: {reason}"),
            Found::Progress { read, total } => {
                reports += 1;
                last = (read, total);
            }
        }
        true
    });
    let len = std::fs::metadata(&path).unwrap().len();
    assert_eq!(count, n);
    assert!(reports > 10);
    assert_eq!(last, (len, len));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_bounce_quoting_its_original_stays_one_message_and_cr_files_are_kept() {
    let dir = temp("single");
    let bounce = b"From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\nFrom: MAILER-DAEMON@x\nSubject: Undelivered\nContent-Type: multipart/report; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nfailed\n--b--\nFrom double-bounce@x  Thu Jul  2 12:05:05 2020\nReceived: from y\nSubject: original\n\nhi\n";
    std::fs::write(dir.join("bounce.eml"), bounce).unwrap();
    let mac = b"From: a@x\rSubject: old Mac\r\rbody\r";
    std::fs::write(dir.join("mac.eml"), mac).unwrap();
    let (items, skipped) = collect(std::slice::from_ref(&dir));
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].bytes, bounce);
    assert_eq!(items[1].bytes, mac);
    assert_eq!(
        items[1].defect.as_deref(),
        Some("its lines end with CR alone")
    );
    std::fs::remove_dir_all(dir).unwrap();
}
