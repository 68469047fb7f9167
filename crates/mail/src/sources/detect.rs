//! Telling mail from other files: files that are clearly not mail by their magic bytes
//! (images, PDF, Office, TNEF, executables, archives) and a header check lenient enough
//! that a file which is mostly a message (a UTF-8 byte order mark before it, a broken
//! header line) is kept, with its defect named.

/// What the start of a file says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A message; `defect` names what is wrong with it, if anything.
    Message { defect: Option<String> },
    /// Not mail, with the reason shown to the user.
    NotMail(String),
}

/// The UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Kinds of file recognised by their first bytes, never mail.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"II*\0", "a TIFF image"),
    (b"MM\0*", "a TIFF image"),
    (b"%PDF-", "a PDF document"),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an Office document (or Outlook .msg)",
    ),
    (b"PK\x03\x04", "a zip archive"),
    (b"\x78\x9F\x3E\x22", "a TNEF file (winmail.dat) on its own"),
    (b"MZ", "a Windows program"),
    (b"\x7FELF", "a program"),
    (b"\xCF\xFA\xED\xFE", "a program"),
    (b"\xCA\xFE\xBA\xBE", "a program"),
    (b"\x1F\x8B", "a gzip file (unpack it first)"),
    (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive (unpack it first)"),
    (b"Rar!\x1A\x07", "a RAR archive (unpack it first)"),
    (b"{\\rtf", "an RTF document"),
    (b"!BDN", "an Outlook .pst (import the .pst file itself)"),
    (b"RIFF", "a media file"),
    (b"ID3", "an MP3 file"),
    (b"\0\0\0", "a binary file"),
];

/// The reason a skipped file gets: "not a mail message" and what it is.
pub fn not_mail(what: &str) -> String {
    format!("not a mail message: {what}")
}

/// Names a file by its magic bytes when it is clearly not mail.
pub fn magic(head: &[u8]) -> Option<&'static str> {
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return Some("a video or image file");
    }
    MAGIC
        .iter()
        .find(|(m, _)| head.starts_with(m))
        .map(|(_, what)| *what)
}

/// Header names at least one of which every message has.
const KNOWN: &[&str] = &[
    "from",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "received",
    "return-path",
    "mime-version",
    "content-type",
    "delivered-to",
    "sender",
    "reply-to",
    "x-mozilla-status",
];

/// Looks at the start of a file (up to 64 KiB is enough) and decides.
pub fn classify(head: &[u8]) -> Kind {
    match header_check(head) {
        Some(defect) => Kind::Message { defect },
        None => Kind::NotMail(not_mail(magic(head).unwrap_or("no mail header"))),
    }
}

/// `Some(defect)` when the start is mostly a message header.
fn header_check(head: &[u8]) -> Option<Option<String>> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"%PDF-") {
        return None;
    }
    let mut defects = Vec::new();
    let mut rest = head;
    if let Some(after) = rest.strip_prefix(BOM) {
        defects.push("it starts with a UTF-8 byte order mark".to_string());
        rest = after;
    }
    // Old Mac files end their lines with CR alone.
    let eol = if !rest.contains(&b'\n') && rest.contains(&b'\r') {
        defects.push("its lines end with CR alone".to_string());
        b'\r'
    } else {
        b'\n'
    };
    if rest.starts_with(b"From ") {
        // An mbox From_ line before a single message.
        rest = match rest.iter().position(|&b| b == eol) {
            Some(p) => &rest[p + 1..],
            None => b"",
        };
    }
    let mut valid = 0usize;
    let mut known = false;
    let mut malformed = Vec::new();
    let mut run = 0;
    for (n, line) in rest.split(|&b| b == eol).enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break; // end of the header block
        }
        if n > 0 && (line[0] == b' ' || line[0] == b'\t') {
            run = 0;
            continue;
        }
        match header_name(line) {
            Some(name) => {
                valid += 1;
                run = 0;
                known |= KNOWN
                    .iter()
                    .any(|k| name.eq_ignore_ascii_case(k.as_bytes()));
            }
            None => {
                if line.contains(&0) {
                    return None;
                }
                malformed.push(n + 1);
                run += 1;
                if run >= 3 {
                    // The body began without an empty line.
                    malformed.truncate(malformed.len() - 3);
                    defects.push("no empty line between its header and body".into());
                    break;
                }
            }
        }
    }
    if !known || valid <= malformed.len() {
        return None;
    }
    if let Some(first) = malformed.first() {
        let lines = malformed
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        defects.push(if malformed.len() == 1 {
            format!("malformed header line {first}")
        } else {
            format!("malformed header lines {lines}")
        });
    }
    Some((!defects.is_empty()).then(|| defects.join("; ")))
}

/// The name of a `Name: value` header line.
fn header_name(line: &[u8]) -> Option<&[u8]> {
    let colon = line.iter().take(200).position(|&b| b == b':')?;
    // Obsolete syntax allows white space before the colon (`From  : …`).
    let name = line[..colon].trim_ascii_end();
    (!name.is_empty() && name.iter().all(|&b| (33..=126).contains(&b))).then_some(name)
}

/// Header-shaped start with at least one of the headers every message has one of.
pub fn looks_like_message(bytes: &[u8]) -> bool {
    matches!(
        classify(&bytes[..bytes.len().min(64 * 1024)]),
        Kind::Message { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_messages_and_their_defects() {
        assert!(looks_like_message(b"From: a@x\r\nSubject: hi\r\n\r\nbody"));
        assert!(looks_like_message(
            b"From a@x Mon Jan  1 2024\nReceived: by x\n\tcontinued\nTo: b@x\n\nbody"
        ));
        assert!(!looks_like_message(b"name,email\nbob,b@x\n"));
        assert!(!looks_like_message(b"# README\n\nsome text"));
        assert!(!looks_like_message(b"X-Custom: only\n\nbody"));
        assert_eq!(
            classify(b"\xEF\xBB\xBFFrom: a@x\r\nSubject: hi\r\n\r\nbody"),
            Kind::Message {
                defect: Some("it starts with a UTF-8 byte order mark".into())
            }
        );
        assert_eq!(
            classify(b"Received: from x\nby localhost with SMTP; Mon, 1 Jan 2024\nFrom: a@x\nSubject: s\n\nb"),
            Kind::Message {
                defect: Some("malformed header line 2".into())
            }
        );
        assert_eq!(
            classify(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Kind::NotMail("not a mail message: a PNG image".into())
        );
        assert_eq!(
            classify(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj"),
            Kind::NotMail("not a mail message: a PDF document".into())
        );
    }
}
