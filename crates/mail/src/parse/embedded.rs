//! Files carried inside a text body rather than as MIME parts: uuencoded blocks
//! (`begin 644 name` … `end`, old Outlook Express and many Chinese mail clients), yEnc
//! (`=ybegin` … `=yend`, CRC-checked) and BinHex 4.0. Each becomes an attachment with
//! its name, and its block leaves the shown text.

/// A file found in a text body.
#[derive(Debug, Clone)]
pub(crate) struct Embedded {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Takes the encoded files out of `text`: what is left to show, and the files. yEnc is
/// 8-bit, so it is decoded from `raw`, the text part's bytes before charset decoding.
pub(crate) fn extract(text: &str, raw: &[u8]) -> (String, Vec<Embedded>) {
    let mut cuts: Vec<(usize, usize, Embedded)> = Vec::new();
    let bytes = text.as_bytes();
    if text.contains("begin ") {
        for block in uuencoding::scan(bytes).into_iter().flatten() {
            if block.is_truncated {
                continue;
            }
            cuts.push((
                block.begin_offset,
                block.end_offset,
                Embedded {
                    name: block.metadata.filename.clone(),
                    bytes: block.data,
                },
            ));
        }
    }
    if text.contains("=ybegin ") {
        let files = yenc_blocks(raw);
        let spans = yenc_spans(bytes);
        for ((_, _, file), (start, end)) in files.into_iter().zip(spans) {
            cuts.push((start, end, file));
        }
    }
    if text.contains("(This file must be converted with BinHex") {
        cuts.extend(binhex_blocks(bytes));
    }
    if cuts.is_empty() {
        return (text.to_string(), Vec::new());
    }
    cuts.sort_by_key(|c| c.0);
    let mut shown = String::new();
    let mut files = Vec::new();
    let mut last = 0;
    for (start, end, file) in cuts {
        if start < last
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        shown.push_str(&text[last..start]);
        last = end;
        files.push(file);
    }
    shown.push_str(&text[last..]);
    (shown, files)
}

/// Line starts and ends (end includes the line break).
fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    bytes.split_inclusive(|c| *c == b'\n').map(move |l| {
        let start = at;
        at += l.len();
        (start, at)
    })
}

fn yenc_blocks(bytes: &[u8]) -> Vec<(usize, usize, Embedded)> {
    let mut out = Vec::new();
    let mut begin = None;
    for (start, end) in lines(bytes) {
        let line = &bytes[start..end];
        if line.starts_with(b"=ybegin ") {
            begin = Some(start);
        } else if line.starts_with(b"=yend")
            && let Some(b) = begin.take()
            && let Ok(part) = yencoding::decode(&bytes[b..end])
            && part.part.is_none()
        {
            out.push((
                b,
                end,
                Embedded {
                    name: part.metadata.filename.clone(),
                    bytes: part.data,
                },
            ));
        }
    }
    out
}

/// The `=ybegin` … `=yend` line spans of the shown text.
fn yenc_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut begin = None;
    for (start, end) in lines(bytes) {
        let line = &bytes[start..end];
        if line.starts_with(b"=ybegin ") {
            begin = Some(start);
        } else if line.starts_with(b"=yend")
            && let Some(b) = begin.take()
        {
            out.push((b, end));
        }
    }
    out
}

fn binhex_blocks(bytes: &[u8]) -> Vec<(usize, usize, Embedded)> {
    let mut out = Vec::new();
    let marker = b"(This file must be converted with BinHex";
    let mut from = 0;
    while let Some(p) = bytes
        .get(from..)
        .and_then(|s| s.windows(marker.len()).position(|w| w == marker))
    {
        let start = from + p;
        from = start + marker.len();
        let Some(open) = bytes[from..]
            .iter()
            .position(|c| *c == b':')
            .map(|o| from + o)
        else {
            break;
        };
        let Some(close) = bytes[open + 1..]
            .iter()
            .position(|c| *c == b':')
            .map(|o| open + 1 + o)
        else {
            break;
        };
        if let Some(file) = super::binhex::decode(&bytes[open + 1..close]) {
            let end = bytes[close..]
                .iter()
                .position(|c| *c == b'\n')
                .map_or(bytes.len(), |n| close + n + 1);
            out.push((
                start,
                end,
                Embedded {
                    name: file.name,
                    bytes: file.data,
                },
            ));
            from = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_leave_the_text() {
        let text = "Hello,\r\nbegin 644 hello.txt\r\n%2&5L;&\\ \r\n`\r\nend\r\nBye\r\n";
        let (shown, files) = extract(text, text.as_bytes());
        assert_eq!(shown, "Hello,\r\nBye\r\n");
        assert_eq!(files[0].name, "hello.txt");
        assert_eq!(files[0].bytes, b"Hello");

        let y = yencoding::encode(b"\x00\x01binary=\r\n", "data.bin", 128);
        let mut raw = b"See file:\n".to_vec();
        raw.extend_from_slice(&y);
        raw.extend_from_slice(b"\nthanks\n");
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (shown, files) = extract(&text, &raw);
        assert_eq!(files[0].bytes, b"\x00\x01binary=\r\n");
        assert_eq!(files[0].name, "data.bin");
        assert!(!shown.contains("=ybegin"), "{shown}");

        let hqx = super::super::binhex::encode("note.txt", b"Mac text");
        let text = format!(
            "Hi\n(This file must be converted with BinHex 4.0)\n:{}:\nend of mail\n",
            String::from_utf8(hqx).unwrap()
        );
        let (shown, files) = extract(&text, text.as_bytes());
        assert_eq!(files[0].name, "note.txt");
        assert_eq!(files[0].bytes, b"Mac text");
        assert_eq!(shown, "Hi\nend of mail\n");
    }
}
