//! Undoing a part's Content-Transfer-Encoding, and nothing else: the bytes an attachment
//! downloads as. Lenient like mail clients (and Python's `email`): characters outside
//! the base64 alphabet are skipped, a quoted-printable `=` not followed by two hex
//! digits is kept as it is.

use mail_parser::MessagePart;

/// The transfer encodings a part can declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transfer {
    Identity,
    Base64,
    QuotedPrintable,
    Uuencode,
}

/// The part's declared Content-Transfer-Encoding.
pub(crate) fn declared(part: &MessagePart) -> Transfer {
    let value = part
        .headers
        .iter()
        .find(|h| {
            h.name
                .as_str()
                .eq_ignore_ascii_case("Content-Transfer-Encoding")
        })
        .and_then(|h| h.value.as_text())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match value.as_str() {
        "base64" => Transfer::Base64,
        "quoted-printable" => Transfer::QuotedPrintable,
        "x-uuencode" | "uuencode" | "x-uue" | "uue" => Transfer::Uuencode,
        _ => Transfer::Identity,
    }
}

/// The part's body as it stands in the message, still transfer-encoded. A part of a
/// multipart that runs to the end of the message (its closing delimiter missing) loses
/// its last line break, which belongs to that delimiter (RFC 2046 5.1.1), as in Python's
/// `email`.
pub(crate) fn encoded_body<'a>(part: &MessagePart, raw: &'a [u8]) -> &'a [u8] {
    let start = part.offset_body as usize;
    let end = (part.offset_end as usize).min(raw.len());
    let body = raw.get(start..end).unwrap_or(&[]);
    if part.offset_header > 0 && end == raw.len() {
        return body
            .strip_suffix(b"\r\n")
            .or_else(|| body.strip_suffix(b"\n"))
            .unwrap_or(body);
    }
    body
}

/// The part's bytes with its transfer encoding undone.
pub(crate) fn decoded_body(part: &MessagePart, raw: &[u8]) -> Vec<u8> {
    let body = encoded_body(part, raw);
    match declared(part) {
        Transfer::Base64 => base64(body),
        Transfer::QuotedPrintable => quoted_printable(body),
        Transfer::Uuencode => uuencoding::decode(body)
            .map(|b| b.data)
            .unwrap_or_else(|_| body.to_vec()),
        Transfer::Identity => body.to_vec(),
    }
}

fn sextet(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

/// Base64, skipping whatever is not in the alphabet (line breaks, junk) and stopping at
/// the padding: text after it (a list footer appended to the part) is not data.
pub(crate) fn base64(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in input {
        if c == b'=' {
            break;
        }
        let Some(v) = sextet(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Quoted-printable (RFC 2045 6.7): `=XX` escapes, `=` line ends joined, trailing
/// blanks of a line dropped; line breaks are kept as they are in the message.
pub(crate) fn quoted_printable(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    for line in input.split_inclusive(|&c| c == b'\n') {
        let (content, eol): (&[u8], &[u8]) = if let Some(c) = line.strip_suffix(b"\r\n") {
            (c, b"\r\n")
        } else if let Some(c) = line.strip_suffix(b"\n") {
            (c, b"\n")
        } else {
            (line, b"")
        };
        let mut end = content.len();
        while end > 0 && matches!(content[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        let content = &content[..end];
        let (content, soft) = match content.strip_suffix(b"=") {
            Some(c) => (c, true),
            None => (content, false),
        };
        let mut i = 0;
        while i < content.len() {
            let c = content[i];
            if c == b'='
                && let (Some(h), Some(l)) = (
                    content.get(i + 1).copied().and_then(hex),
                    content.get(i + 2).copied().and_then(hex),
                )
            {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
            out.push(c);
            i += 1;
        }
        if !soft {
            out.extend_from_slice(eol);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_decoders() {
        assert_eq!(base64(b"SGVs\r\nbG8=\r\n"), b"Hello");
        assert_eq!(base64(b"SGVsbG8"), b"Hello");
        assert_eq!(base64(b"SGk=\r\n\r\n-----\r\nA list footer\r\n"), b"Hi");
        assert_eq!(
            quoted_printable(b"Gr=FC=DFe =\r\naus=3d K=F6ln  \r\n= x =ZZ"),
            b"Gr\xfc\xdfe aus= K\xf6ln\r\n= x =ZZ"
        );
    }
}
