//! The fixtures in `tests/fixtures/` (written by `scripts/mail-fixtures.py`): every part
//! a mail client shows, with its name, type and decoded bytes (by sha256), and the
//! subject, sender and body text as a reader sees them (issue 15).
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Default)]
struct Expected {
    attachments: Vec<(String, String, bool, String)>,
    checks: Vec<(String, String)>,
}

fn expectations() -> BTreeMap<String, Expected> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let tsv = std::fs::read_to_string(dir.join("expected.tsv")).unwrap();
    let mut out: BTreeMap<String, Expected> = BTreeMap::new();
    for line in tsv.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let e = out.entry(cols[1].to_string()).or_default();
        if cols[0] == "A" {
            e.attachments.push((
                cols[2].to_string(),
                cols[3].to_string(),
                cols[4] == "1",
                cols[5].to_string(),
            ));
        } else {
            e.checks.push((cols[0].to_string(), cols[2].to_string()));
        }
    }
    out
}

#[test]
fn every_fixture_reads_as_a_mail_client_shows_it() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let all = expectations();
    assert!(all.len() >= 12, "{} fixtures", all.len());
    let mut failures = Vec::new();
    for (file, e) in &all {
        let raw = std::fs::read(dir.join(file)).unwrap();
        let p = wharf_mail::parse(&raw).unwrap();
        let got: Vec<(String, String, bool, String)> = p
            .attachments
            .iter()
            .map(|a| {
                assert_eq!(a.hash, wharf_mail::sha256_hex(&a.bytes));
                (
                    a.filename.clone(),
                    a.content_type.clone(),
                    a.inline,
                    wharf_mail::sha256_hex(&a.bytes),
                )
            })
            .collect();
        if got != e.attachments {
            failures.push(format!(
                "{file}: attachments\n  got      {:?}\n  expected {:?}",
                got.iter()
                    .map(|g| (&g.0, &g.1, g.2, &g.3[..8]))
                    .collect::<Vec<_>>(),
                e.attachments
                    .iter()
                    .map(|g| (&g.0, &g.1, g.2, &g.3[..8]))
                    .collect::<Vec<_>>()
            ));
        }
        for (kind, value) in &e.checks {
            let html = p.html.clone().unwrap_or_default();
            let from = p.from.as_ref().map(|f| f.name.clone()).unwrap_or_default();
            let ok = match kind.as_str() {
                "T" => p.text.contains(value.as_str()),
                "N" => !p.text.contains(value.as_str()),
                "H" => html.contains(value.as_str()),
                "S" => &p.subject == value,
                "F" => &from == value,
                other => panic!("unknown check {other}"),
            };
            if !ok {
                failures.push(format!(
                    "{file}: {kind} {value:?} (subject {:?}, from {from:?}, text {:?}, html {html:?})",
                    p.subject, p.text
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
