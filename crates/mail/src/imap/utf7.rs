//! Folder names in IMAP's modified UTF-7 (RFC 3501 §5.1.3), both ways: `&XfJT0ZAB-` is
//! 已发送. Hand-written rather than the `utf7-imap` crate: that crate's decoder unwraps
//! the base64 of whatever name a server sends (a malformed name would crash sync), and
//! it brings a second base64 and regex for some forty lines.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/// A folder name as people read it. Names that are not valid modified UTF-7 come back
/// as they are.
pub fn decode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('-') else {
            return name.to_string();
        };
        let encoded = &after[..end];
        if encoded.is_empty() {
            out.push('&');
        } else {
            match decode_run(encoded) {
                Some(text) => out.push_str(&text),
                None => return name.to_string(),
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A name as the server wants it: printable ASCII as it is (`&` as `&-`), every other
/// run as modified base64 of its UTF-16BE between `&` and `-`.
pub fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut run: Vec<u16> = Vec::new();
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush_run(&mut out, &mut run);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut units = [0u16; 2];
            run.extend_from_slice(c.encode_utf16(&mut units));
        }
    }
    flush_run(&mut out, &mut run);
    out
}

fn flush_run(out: &mut String, run: &mut Vec<u16>) {
    if run.is_empty() {
        return;
    }
    let bytes: Vec<u8> = run.iter().flat_map(|u| u.to_be_bytes()).collect();
    out.push('&');
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        // 1 byte → 2 characters, 2 → 3, 3 → 4; no padding.
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out.push('-');
    run.clear();
}

/// Modified base64 (`,` for `/`, no padding) of UTF-16BE.
fn decode_run(encoded: &str) -> Option<String> {
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut bytes = Vec::new();
    for c in encoded.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            bytes.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    let units: Vec<u16> = bytes
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_servers_send() {
        assert_eq!(decode("&XfJT0ZAB-"), "已发送");
        assert_eq!(decode("INBOX"), "INBOX");
        assert_eq!(decode("R&AOk-sum&AOk-"), "Résumé");
        assert_eq!(decode("Tom &- Jerry"), "Tom & Jerry");
        assert_eq!(decode("bad&"), "bad&");
        assert_eq!(decode("bad&!!-"), "bad&!!-");
    }

    #[test]
    fn encodes_as_rfc_3501_shows() {
        // RFC 3501's own example: "~peter/mail/台北/日本語".
        assert_eq!(
            encode("~peter/mail/台北/日本語"),
            "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
        );
        assert_eq!(encode("已发送"), "&XfJT0ZAB-");
        assert_eq!(encode("Tom & Jerry"), "Tom &- Jerry");
        assert_eq!(encode("Résumé"), "R&AOk-sum&AOk-");
        assert_eq!(encode("INBOX"), "INBOX");
    }

    #[test]
    fn round_trips() {
        for name in [
            "客户",
            "客户 A&B 2026",
            "Отправленные",
            "emoji 📦 box",
            "Šiukšliadėžė",
            "tab\there",
            "a&-b",
            "",
        ] {
            let encoded = encode(name);
            assert!(encoded.is_ascii(), "{encoded}");
            assert_eq!(decode(&encoded), name, "{name} → {encoded}");
        }
    }
}
