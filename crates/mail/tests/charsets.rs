//! Real messages in Chinese and Japanese charsets from `../shared/testdata` decode to
//! readable text (SPEC MAIL-1); skipped with a note when the data is absent.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

fn file(rel: &str) -> Option<Vec<u8>> {
    let dir = std::env::var("WHARF_TESTDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata")
        });
    match std::fs::read(dir.join(rel)) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("skipped: {rel} not found (set WHARF_TESTDATA)");
            None
        }
    }
}

fn cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c))
}

#[test]
fn chinese_and_japanese_messages_decode() {
    // (file, a piece of its decoded subject or text)
    for (rel, expected) in [
        // Raw 8-bit Big5 headers and HTML.
        (
            "kopano-core-inetmapi/inetmapi/tests/mails/big5.eml",
            "養樂多線上訂購",
        ),
        // Declared GB2312, needs GBK / GB18030 ("讀" is outside GB2312).
        (
            "kopano-core-inetmapi/inetmapi/tests/mails/gb2312_18030.eml",
            "讀取",
        ),
        // The nonstandard label X-GBK.
        ("webklex-php-imap/tests/messages/gbk_charset.eml", "Hi"),
        (
            "mikel-mail/spec/fixtures/emails/multi_charset/japanese_iso_2022.eml",
            "",
        ),
    ] {
        let Some(raw) = file(rel) else { return };
        let p = wharf_mail::parse(&raw).unwrap();
        let all = format!("{} {}", p.subject, p.text);
        println!("{rel}: subject {:?}", p.subject);
        assert!(
            !all.contains('\u{FFFD}'),
            "{rel}: no replacement characters in {all:?}"
        );
        assert!(all.contains(expected), "{rel}: {expected:?} in {all:?}");
        if expected.is_empty() {
            assert!(cjk(&all), "{rel}: Japanese text decoded: {all:?}");
        }
    }
}
