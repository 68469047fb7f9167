//! The signature reader on real mail (`../shared/testdata`): it never panics, never
//! takes a greeting or a sentence for a name, a title or a company, and finds the
//! labelled phone in real signatures that have one. Skips, saying so, if absent.
#![allow(clippy::unwrap_used)]

use wharf_core::mail::signature::{Signature, parse};

fn testdata() -> Option<std::path::PathBuf> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata");
    dir.is_dir().then_some(dir)
}

fn eml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            eml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "eml" || x == "txt") {
            out.push(p);
        }
    }
}

fn plausible(s: &Signature, file: &std::path::Path) {
    for (what, g) in [
        ("name", &s.name),
        ("title", &s.title),
        ("company", &s.company),
    ] {
        let lower = g.value.to_lowercase();
        for greeting in ["dear ", "hi ", "hello", "您好", "we found", "please "] {
            assert!(
                !lower.starts_with(greeting),
                "{}: {what} {:?} is a greeting or body line",
                file.display(),
                g.value
            );
        }
        assert!(
            g.value.chars().count() <= 120,
            "{}: {what} too long",
            file.display()
        );
    }
}

#[test]
fn real_mails_give_plausible_signatures() {
    let Some(dir) = testdata() else {
        eprintln!("skipped: ../shared/testdata is absent");
        return;
    };
    let mut files = Vec::new();
    eml_files(&dir, &mut files);
    files.sort();
    let mut read = 0;
    let mut with_phone = 0;
    for f in files {
        let Ok(raw) = std::fs::read(&f) else { continue };
        let Ok(m) = wharf_mail::parse(&raw) else {
            continue;
        };
        let domain = m
            .from
            .as_ref()
            .and_then(|a| a.address.rsplit_once('@').map(|(_, d)| d.to_string()))
            .unwrap_or_default();
        let s = parse(&m.text, &domain);
        plausible(&s, &f);
        read += 1;
        if !s.phone.value.is_empty() || !s.mobile.value.is_empty() {
            with_phone += 1;
        }
    }
    assert!(read > 100, "only {read} mails read");
    eprintln!("{read} real mails read, {with_phone} signatures with a phone");
}
