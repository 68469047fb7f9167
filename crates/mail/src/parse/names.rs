//! Attachment file names read from the raw header bytes as mail clients read them:
//! RFC 2231 parameters (continuations, charsets), RFC 2047 encoded-words even inside
//! quotes (the whitespace between adjacent ones dropped), a value folded onto the next
//! line after `filename=` (Exchange), and raw 8-bit names in the detected charset.

use mail_parser::MessagePart;

use super::charset::{self, Declared};
use super::headers::HeaderCharset;

/// The file name a part gives itself: Content-Disposition `filename`, else
/// Content-Type `name`.
pub(crate) fn filename(part: &MessagePart, raw: &[u8], charset: &HeaderCharset) -> Option<String> {
    for (header, param) in [
        ("Content-Disposition", "filename"),
        ("Content-Type", "name"),
    ] {
        let Some(value) = raw_header(part, raw, header) else {
            continue;
        };
        if let Some(name) = parameter(value, param, charset) {
            let name = name.trim().to_string();
            if !name.is_empty() {
                return Some(name);
            }
        }
    }
    None
}

/// The raw bytes of a part's header value.
pub(crate) fn raw_header<'a>(part: &MessagePart, raw: &'a [u8], name: &str) -> Option<&'a [u8]> {
    let h = part
        .headers
        .iter()
        .find(|h| h.name.as_str().eq_ignore_ascii_case(name))?;
    raw.get(h.offset_start() as usize..h.offset_end() as usize)
}

/// Unfolds a header value: line breaks go, the whitespace after them stays.
fn unfold(value: &[u8]) -> Vec<u8> {
    value
        .iter()
        .copied()
        .filter(|c| *c != b'\r' && *c != b'\n')
        .collect()
}

/// Splits `type/sub; a=b; c="d; e"` into its parameters (name lower-cased, value bytes
/// with quotes and escapes undone, and whether it was quoted).
fn parameters(value: &[u8]) -> Vec<(String, Vec<u8>)> {
    let value = unfold(value);
    let mut out = Vec::new();
    let mut i = match value.iter().position(|c| *c == b';') {
        Some(p) => p + 1,
        None => return out,
    };
    while i < value.len() {
        while i < value.len() && (value[i].is_ascii_whitespace() || value[i] == b';') {
            i += 1;
        }
        let start = i;
        while i < value.len() && value[i] != b'=' && value[i] != b';' {
            i += 1;
        }
        let name = String::from_utf8_lossy(&value[start..i])
            .trim()
            .to_ascii_lowercase();
        if i >= value.len() || value[i] == b';' {
            continue;
        }
        i += 1; // '='
        while i < value.len() && value[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut v = Vec::new();
        if value.get(i) == Some(&b'"') {
            i += 1;
            while i < value.len() && value[i] != b'"' {
                if value[i] == b'\\' && i + 1 < value.len() {
                    i += 1;
                }
                v.push(value[i]);
                i += 1;
            }
            i += 1;
            // Anything after the closing quote up to ';' is junk.
            while i < value.len() && value[i] != b';' {
                i += 1;
            }
        } else {
            let s = i;
            while i < value.len() && value[i] != b';' {
                i += 1;
            }
            v = value[s..i].trim_ascii().to_vec();
        }
        if !name.is_empty() {
            out.push((name, v));
        }
    }
    out
}

/// One parameter's value, with RFC 2231 and RFC 2047 decoded.
pub(crate) fn parameter(value: &[u8], name: &str, charset: &HeaderCharset) -> Option<String> {
    let params = parameters(value);
    // RFC 2231: name*=charset'lang'%XX, or name*0*=..., name*1=...
    let mut pieces: Vec<(u32, bool, &[u8])> = Vec::new();
    for (n, v) in &params {
        let Some(rest) = n.strip_prefix(name).and_then(|r| r.strip_prefix('*')) else {
            continue;
        };
        if rest.is_empty() {
            pieces.push((0, true, v));
        } else {
            let (num, encoded) = match rest.strip_suffix('*') {
                Some(num) => (num, true),
                None => (rest, false),
            };
            if let Ok(num) = num.parse::<u32>() {
                pieces.push((num, encoded, v));
            }
        }
    }
    if !pieces.is_empty() {
        pieces.sort_by_key(|p| p.0);
        let mut label = None;
        let mut bytes = Vec::new();
        for (i, (_, encoded, v)) in pieces.iter().enumerate() {
            let mut v: &[u8] = v;
            if *encoded && i == 0 {
                let mut parts = v.splitn(3, |c| *c == b'\'');
                if let (Some(cs), Some(_lang), Some(text)) =
                    (parts.next(), parts.next(), parts.next())
                {
                    label = Some(String::from_utf8_lossy(cs).to_string());
                    v = text;
                }
            }
            if *encoded {
                bytes.extend(percent_decode(v));
            } else {
                bytes.extend_from_slice(v);
            }
        }
        let declared = label.as_deref().and_then(Declared::from_label);
        let text = match declared {
            Some(d) => d
                .encoding
                .decode_without_bom_handling(&bytes)
                .0
                .into_owned(),
            None => text_of(&bytes, charset),
        };
        return Some(encoded_words(&text));
    }
    let (_, v) = params.iter().find(|(n, _)| n == name)?;
    Some(encoded_words(&text_of(v, charset)))
}

fn text_of(bytes: &[u8], charset: &HeaderCharset) -> String {
    charset
        .decode(bytes)
        .unwrap_or_else(|| String::from_utf8_lossy(bytes).into_owned())
}

fn percent_decode(v: &[u8]) -> Vec<u8> {
    percent_like(v, b'%')
}

/// `<mark>XX` hex escapes decoded, anything else kept.
fn percent_like(v: &[u8], mark: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        if v[i] == mark
            && let Some(pair) = v.get(i + 1..i + 3)
            && let Ok(s) = std::str::from_utf8(pair)
            && let Ok(b) = u8::from_str_radix(s, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(v[i]);
        i += 1;
    }
    out
}

/// Decodes RFC 2047 encoded-words anywhere in `s`; whitespace between two adjacent
/// encoded-words is dropped (RFC 2047 6.2), other text is kept.
pub(crate) fn encoded_words(s: &str) -> String {
    if !s.contains("=?") {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    let mut pending_space = String::new();
    let mut after_word = false;
    while !rest.is_empty() {
        if let Some((decoded, len)) = rest.starts_with("=?").then(|| one_word(rest)).flatten() {
            if !after_word {
                out.push_str(&pending_space);
            }
            pending_space.clear();
            out.push_str(&decoded);
            rest = &rest[len..];
            after_word = true;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            pending_space.push(c);
        } else {
            out.push_str(&pending_space);
            pending_space.clear();
            out.push(c);
            after_word = false;
        }
        rest = &rest[c.len_utf8()..];
    }
    out.push_str(&pending_space);
    out
}

/// `=?charset?B|Q?text?=` at the start of `s`: the text and the length used.
fn one_word(s: &str) -> Option<(String, usize)> {
    let body = s.get(2..)?;
    let q1 = body.find('?')?;
    let cs = &body[..q1];
    let after = &body[q1 + 1..];
    let mut chars = after.chars();
    let kind = chars.next()?.to_ascii_uppercase();
    if chars.next()? != '?' {
        return None;
    }
    let text_start = q1 + 3;
    let text_len = body.get(text_start..)?.find("?=")?;
    let text = &body[text_start..text_start + text_len];
    if text.contains(char::is_whitespace) && kind == 'B' {
        return None;
    }
    let bytes = match kind {
        'B' => super::transfer::base64(text.as_bytes()),
        'Q' => {
            let spaced = text.replace('_', " ");
            percent_like(spaced.as_bytes(), b'=')
        }
        _ => return None,
    };
    // RFC 2231 language suffix: charset*lang.
    let label = cs.split('*').next().unwrap_or(cs);
    let text = match Declared::from_label(label) {
        Some(d) => d
            .encoding
            .decode_without_bom_handling(&bytes)
            .0
            .into_owned(),
        None => charset::decode(&bytes, None, b""),
    };
    Some((text, 2 + text_start + text_len + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> HeaderCharset<'static> {
        HeaderCharset {
            declared: None,
            evidence: b"",
        }
    }

    #[test]
    fn names_as_mail_clients_read_them() {
        let cs = none();
        // Folding whitespace between encoded-words inside quotes.
        let v = b"attachment; filename=\"=?UTF-8?Q?Solidarno=C5=9B?=\r\n       =?UTF-8?Q?=C4=87.pdf?=\"";
        assert_eq!(parameter(v, "filename", &cs).unwrap(), "Solidarność.pdf");
        // Exchange: the value folded onto the next line after `filename=`.
        let v = b"attachment; filename=\r\n\t\"=?utf-8?B?5oql5Lu35Y2VLnhsc3g=?=\"";
        assert_eq!(parameter(v, "filename", &cs).unwrap(), "报价单.xlsx");
        // RFC 2231 continuations with a charset.
        let v = b"attachment; filename*0*=iso-8859-1''Fr%F6; filename*1=sche.txt";
        assert_eq!(parameter(v, "filename", &cs).unwrap(), "Frösche.txt");
        // Raw 8-bit Latin-1.
        let v = b"attachment; filename=\"Gr\xfc\xdfe aus K\xf6ln.txt\"";
        assert_eq!(parameter(v, "filename", &cs).unwrap(), "Grüße aus Köln.txt");
        // Text around a word is kept.
        assert_eq!(encoded_words("a =?utf-8?q?b_c?= d"), "a b c d");
    }
}
