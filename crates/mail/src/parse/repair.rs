//! A part whose headers are not followed by a blank line (the body starts right after
//! the last header) is read as mail clients and Python's `email` read it: the first
//! line that is neither a header nor a continuation starts the body — unless the header
//! before it ends with `;` (its parameters go on unindented, as some servers write
//! them). The parser works on a repaired copy; the original bytes are never changed.

/// Whether `line` (without its line break) can be part of a header block: a field
/// name and a colon, a continuation, or an mbox `From ` line.
fn header_like(line: &[u8]) -> bool {
    if line.starts_with(b" ") || line.starts_with(b"\t") || line.starts_with(b"From ") {
        return true;
    }
    match line.iter().position(|c| *c == b':') {
        Some(colon) => line[..colon].iter().all(|c| (33..=126).contains(c)),
        None => false,
    }
}

/// The boundaries the message declares (`boundary=` parameters anywhere in it).
fn boundaries(raw: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let needle = b"boundary=";
    let lower: Vec<u8> = raw.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(p) = lower
        .get(from..)
        .and_then(|s| s.windows(needle.len()).position(|w| w == needle))
    {
        let mut i = from + p + needle.len();
        from = i;
        let quoted = raw.get(i) == Some(&b'"');
        if quoted {
            i += 1;
        }
        let start = i;
        while i < raw.len() {
            let c = raw[i];
            if (quoted && c == b'"')
                || (!quoted && (c == b';' || c.is_ascii_whitespace()))
                || c == b'\r'
                || c == b'\n'
            {
                break;
            }
            i += 1;
        }
        let b = raw[start..i].to_vec();
        if !b.is_empty() && !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

/// A copy of `raw` with a blank line put where a part's headers end without one, or
/// `None` when every part has its blank line.
pub(crate) fn missing_blank_lines(raw: &[u8]) -> Option<Vec<u8>> {
    let bounds = boundaries(raw);
    if bounds.is_empty() {
        return None;
    }
    let is_boundary = |line: &[u8]| {
        line.strip_prefix(b"--").is_some_and(|rest| {
            let rest = rest.trim_ascii_end();
            bounds.iter().any(|b| rest == b.as_slice())
        })
    };
    // (offset, what to insert there)
    let mut inserts: Vec<(usize, &'static [u8])> = Vec::new();
    let mut in_headers = false;
    let mut previous: &[u8] = b"";
    let mut offset = 0;
    for line in raw.split_inclusive(|c| *c == b'\n') {
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        if is_boundary(content) {
            in_headers = true;
        } else if in_headers {
            if content.is_empty() {
                in_headers = false;
            } else if !header_like(content) {
                if previous.trim_ascii_end().ends_with(b";") {
                    // `Content-Type: multipart/alternative;` then `boundary="…"` at the
                    // start of the next line: a parameter list going on, not a body.
                    inserts.push((offset, b" "));
                } else {
                    let blank: &'static [u8] = if line.ends_with(b"\r\n") {
                        b"\r\n"
                    } else {
                        b"\n"
                    };
                    inserts.push((offset, blank));
                    in_headers = false;
                }
            }
        }
        previous = content;
        offset += line.len();
    }
    if inserts.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(raw.len() + inserts.len() * 2);
    let mut last = 0;
    for (at, insert) in inserts {
        out.extend_from_slice(&raw[last..at]);
        out.extend_from_slice(insert);
        last = at;
    }
    out.extend_from_slice(&raw[last..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_line_goes_where_the_headers_stop() {
        let raw = b"Content-Type: multipart/mixed; boundary=\"xx\"\r\n\r\n--xx\r\nContent-Type: text/plain\r\nhello\r\n--xx--\r\n";
        let fixed = missing_blank_lines(raw).unwrap();
        assert_eq!(
            fixed,
            b"Content-Type: multipart/mixed; boundary=\"xx\"\r\n\r\n--xx\r\nContent-Type: text/plain\r\n\r\nhello\r\n--xx--\r\n"
        );
        assert!(missing_blank_lines(&fixed).is_none());
        let raw = b"Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: multipart/alternative;\nboundary=\"i\"\n\n--i\n";
        assert_eq!(
            missing_blank_lines(raw).unwrap(),
            b"Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: multipart/alternative;\n boundary=\"i\"\n\n--i\n"
        );
    }
}
