//! TNEF (`winmail.dat`, `application/ms-tnef`), Outlook's wrapper for a message's
//! attachments and rich body. The one TNEF crate (`tnef` 0.1, last released 2019) reads
//! attachments only, not the body, so this is a small reader of the published format
//! (MS-OXTNEF): the attribute stream, and the MAPI property lists in it for long file
//! names and the plain, HTML or compressed-RTF body.

/// What a TNEF stream holds that a reader wants.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tnef {
    pub attachments: Vec<TnefFile>,
    pub text: Option<String>,
    pub html: Option<String>,
    /// The decompressed RTF body.
    pub rtf: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct TnefFile {
    pub name: String,
    pub mime: Option<String>,
    pub content_id: Option<String>,
    pub bytes: Vec<u8>,
}

const SIGNATURE: u32 = 0x223E_9F78;
const ATT_BODY: u32 = 0x0002_800C;
const ATT_ATTACH_REND_DATA: u32 = 0x0006_9002;
const ATT_ATTACH_TITLE: u32 = 0x0001_8010;
const ATT_ATTACH_DATA: u32 = 0x0006_800F;
const ATT_ATTACHMENT: u32 = 0x0006_9005;
const ATT_MSG_PROPS: u32 = 0x0006_9003;
const ATT_OEM_CODEPAGE: u32 = 0x0006_9007;

const PR_BODY: u16 = 0x1000;
const PR_RTF_COMPRESSED: u16 = 0x1009;
const PR_BODY_HTML: u16 = 0x1013;
const PR_ATTACH_DATA: u16 = 0x3701;
const PR_ATTACH_FILENAME: u16 = 0x3704;
const PR_ATTACH_LONG_FILENAME: u16 = 0x3707;
const PR_ATTACH_MIME_TAG: u16 = 0x370E;
const PR_ATTACH_CONTENT_ID: u16 = 0x3712;
const PR_DISPLAY_NAME: u16 = 0x3001;

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.data.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn pad4(&mut self, n: usize) {
        self.at += (4 - n % 4) % 4;
    }
}

/// A MAPI property value, as far as Wharf reads them.
enum Value<'a> {
    Bytes(&'a [u8]),
    Unicode(&'a [u8]),
    Ansi(&'a [u8]),
    Other,
}

/// The properties of one MAPI property list (`(id, value)`; stops at anything unknown).
fn properties(data: &[u8]) -> Vec<(u16, Value<'_>)> {
    let mut r = Reader { data, at: 0 };
    let mut out = Vec::new();
    let Some(count) = r.u32() else { return out };
    for _ in 0..count.min(10_000) {
        let (Some(kind), Some(id)) = (r.u16(), r.u16()) else {
            break;
        };
        if id >= 0x8000 {
            // A named property: GUID, then an id or a name.
            if r.take(16).is_none() {
                break;
            }
            match r.u32() {
                Some(0) => {
                    if r.u32().is_none() {
                        break;
                    }
                }
                Some(_) => {
                    let Some(len) = r.u32() else { break };
                    if r.take(len as usize).is_none() {
                        break;
                    }
                    r.pad4(len as usize);
                }
                None => break,
            }
        }
        let multi = kind & 0x1000 != 0;
        let base = kind & 0x0FFF;
        let variable = matches!(base, 0x001E | 0x001F | 0x0102 | 0x000D);
        let n = if multi || variable {
            match r.u32() {
                Some(n) => n,
                None => break,
            }
        } else {
            1
        };
        let mut last = Value::Other;
        for _ in 0..n.min(10_000) {
            if variable {
                let Some(len) = r.u32() else { return out };
                let Some(v) = r.take(len as usize) else {
                    return out;
                };
                r.pad4(len as usize);
                last = match base {
                    0x001F => Value::Unicode(v),
                    0x001E => Value::Ansi(v),
                    _ => Value::Bytes(v),
                };
            } else {
                let size = match base {
                    0x0002 | 0x0003 | 0x0004 | 0x000A | 0x000B => 4,
                    0x0005 | 0x0006 | 0x0007 | 0x0014 | 0x0040 => 8,
                    0x0048 => 16,
                    0x0001 => 0,
                    _ => return out,
                };
                if r.take(size).is_none() {
                    return out;
                }
            }
        }
        out.push((id, last));
    }
    out
}

fn codepage(cp: u32) -> &'static encoding_rs::Encoding {
    match cp {
        936 => encoding_rs::GBK,
        950 => encoding_rs::BIG5,
        949 => encoding_rs::EUC_KR,
        932 => encoding_rs::SHIFT_JIS,
        65001 => encoding_rs::UTF_8,
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        1253 => encoding_rs::WINDOWS_1253,
        1254 => encoding_rs::WINDOWS_1254,
        1255 => encoding_rs::WINDOWS_1255,
        1256 => encoding_rs::WINDOWS_1256,
        1257 => encoding_rs::WINDOWS_1257,
        1258 => encoding_rs::WINDOWS_1258,
        874 => encoding_rs::WINDOWS_874,
        _ => encoding_rs::WINDOWS_1252,
    }
}

fn text(value: &Value, cp: &'static encoding_rs::Encoding) -> Option<String> {
    let s = match value {
        Value::Unicode(v) => encoding_rs::UTF_16LE
            .decode_without_bom_handling(v)
            .0
            .into_owned(),
        Value::Ansi(v) | Value::Bytes(v) => cp.decode_without_bom_handling(v).0.into_owned(),
        Value::Other => return None,
    };
    Some(s.trim_end_matches('\0').to_string())
}

/// Reads a TNEF stream; `None` when it is not one.
pub(crate) fn read(data: &[u8]) -> Option<Tnef> {
    let mut r = Reader { data, at: 0 };
    if r.u32()? != SIGNATURE {
        return None;
    }
    r.u16()?;
    let mut out = Tnef::default();
    let mut cp = encoding_rs::WINDOWS_1252;
    let mut current: Option<TnefFile> = None;
    let mut rtf_compressed = None;
    while r.at < data.len() {
        let (Some(_level), Some(id), Some(len)) = (r.take(1), r.u32(), r.u32()) else {
            break;
        };
        let Some(value) = r.take(len as usize) else {
            break;
        };
        if r.u16().is_none() {
            break;
        }
        match id {
            ATT_OEM_CODEPAGE => {
                if let Some(v) = value.get(..4).and_then(|b| b.try_into().ok()) {
                    cp = codepage(u32::from_le_bytes(v));
                }
            }
            ATT_BODY => {
                out.text = Some(
                    cp.decode_without_bom_handling(value)
                        .0
                        .trim_end_matches('\0')
                        .to_string(),
                );
            }
            ATT_ATTACH_REND_DATA => {
                if let Some(done) = current.take() {
                    out.attachments.push(done);
                }
                current = Some(TnefFile::default());
            }
            ATT_ATTACH_TITLE => {
                if let Some(f) = current.as_mut() {
                    f.name = cp
                        .decode_without_bom_handling(value)
                        .0
                        .trim_end_matches('\0')
                        .to_string();
                }
            }
            ATT_ATTACH_DATA => {
                if let Some(f) = current.as_mut() {
                    f.bytes = value.to_vec();
                }
            }
            ATT_ATTACHMENT => {
                let Some(f) = current.as_mut() else { continue };
                let mut long = None;
                for (pid, v) in properties(value) {
                    match pid {
                        PR_ATTACH_LONG_FILENAME => long = text(&v, cp),
                        PR_ATTACH_FILENAME | PR_DISPLAY_NAME if f.name.is_empty() => {
                            f.name = text(&v, cp).unwrap_or_default();
                        }
                        PR_ATTACH_MIME_TAG => f.mime = text(&v, cp),
                        PR_ATTACH_CONTENT_ID => f.content_id = text(&v, cp),
                        PR_ATTACH_DATA if f.bytes.is_empty() => {
                            if let Value::Bytes(b) = v {
                                f.bytes = b.to_vec();
                            }
                        }
                        _ => {}
                    }
                }
                if let Some(long) = long.filter(|l| !l.is_empty()) {
                    f.name = long;
                }
            }
            ATT_MSG_PROPS => {
                for (pid, v) in properties(value) {
                    match pid {
                        PR_BODY => out.text = text(&v, cp).or(out.text.take()),
                        PR_BODY_HTML => out.html = text(&v, cp),
                        PR_RTF_COMPRESSED => {
                            if let Value::Bytes(b) = v {
                                rtf_compressed = Some(b.to_vec());
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(done) = current.take() {
        out.attachments.push(done);
    }
    // compressed_rtf slices by the header's sizes without checking them against the data.
    if let Some(b) = rtf_compressed.filter(|b| rtf_sizes_fit(b)) {
        out.rtf = compressed_rtf::decompress_rtf(&b).ok();
    }
    Some(out)
}

/// Whether a compressed-RTF header's sizes fit the data (16-byte header, and for the
/// uncompressed `MELA` kind the raw size within it).
fn rtf_sizes_fit(b: &[u8]) -> bool {
    let word = |at: usize| {
        b.get(at..at + 4)
            .and_then(|w| w.try_into().ok())
            .map(u32::from_le_bytes)
    };
    match (word(4), word(8)) {
        (Some(raw), Some(0x414C_454D)) => {
            (raw as usize).checked_add(16).is_some_and(|n| n <= b.len())
        }
        (Some(_), Some(_)) => true,
        _ => false,
    }
}

/// The readable text of an RTF body: control words and groups such as font tables
/// dropped, `\par` as a line break, `\'XX` escapes in the document's code page.
pub(crate) fn rtf_text(rtf: &str) -> String {
    let b = rtf.as_bytes();
    let mut out = Vec::new();
    let mut skip_depth: Option<usize> = None;
    let mut depth = 0usize;
    let mut cp = encoding_rs::WINDOWS_1252;
    let mut pending: Vec<u8> = Vec::new();
    fn flush(out: &mut Vec<u8>, pending: &mut Vec<u8>, cp: &'static encoding_rs::Encoding) {
        if !pending.is_empty() {
            out.extend(cp.decode_without_bom_handling(pending).0.as_bytes());
            pending.clear();
        }
    }
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            flush(&mut out, &mut pending, cp);
        }
        match b[i] {
            b'{' => {
                depth += 1;
                i += 1;
                if skip_depth.is_none()
                    && (b.get(i..i + 2) == Some(b"\\*")
                        || [
                            &b"\\fonttbl"[..],
                            b"\\colortbl",
                            b"\\stylesheet",
                            b"\\info",
                            b"\\pict",
                        ]
                        .iter()
                        .any(|w| b[i..].starts_with(w)))
                {
                    skip_depth = Some(depth);
                }
            }
            b'}' => {
                if skip_depth == Some(depth) {
                    skip_depth = None;
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'\\' => {
                i += 1;
                let Some(&c) = b.get(i) else { break };
                if c == b'\'' {
                    // Code-page bytes: kept together, so double-byte code pages decode.
                    if let Some(Ok(v)) = b
                        .get(i + 1..i + 3)
                        .map(|h| u8::from_str_radix(&String::from_utf8_lossy(h), 16))
                        && skip_depth.is_none()
                    {
                        pending.push(v);
                    }
                    i += 3;
                    continue;
                }
                flush(&mut out, &mut pending, cp);
                if c.is_ascii_alphabetic() {
                    let s = i;
                    while i < b.len() && b[i].is_ascii_alphabetic() {
                        i += 1;
                    }
                    let word = &b[s..i];
                    let ns = i;
                    if i < b.len() && (b[i] == b'-' || b[i].is_ascii_digit()) {
                        i += 1;
                        while i < b.len() && b[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                    let num = std::str::from_utf8(&b[ns..i])
                        .ok()
                        .and_then(|n| n.parse::<i64>().ok());
                    if b.get(i) == Some(&b' ') {
                        i += 1;
                    }
                    if skip_depth.is_none() {
                        match word {
                            b"par" | b"line" => out.push(b'\n'),
                            b"tab" => out.push(b'\t'),
                            b"ansicpg" => {
                                if let Some(n) = num {
                                    cp = codepage(n as u32);
                                }
                            }
                            b"u" => {
                                if let Some(ch) = num.and_then(|n| {
                                    char::from_u32(if n < 0 {
                                        (n + 65536) as u32
                                    } else {
                                        n as u32
                                    })
                                }) {
                                    let mut buf = [0; 4];
                                    out.extend(ch.encode_utf8(&mut buf).as_bytes());
                                    // The fallback character after \uN.
                                    if b.get(i) == Some(&b'?') {
                                        i += 1;
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                } else {
                    if skip_depth.is_none() && matches!(c, b'\\' | b'{' | b'}') {
                        out.push(c);
                    }
                    i += 1;
                }
            }
            b'\r' | b'\n' => i += 1,
            c => {
                if skip_depth.is_none() {
                    out.push(c);
                }
                i += 1;
            }
        }
    }
    flush(&mut out, &mut pending, cp);
    String::from_utf8_lossy(&out).trim().to_string()
}

/// Writes a TNEF stream (for tests and fixtures): a plain body, compressed RTF and
/// the given files with long names.
#[cfg(test)]
pub(crate) fn write(body: &str, rtf: Option<&str>, files: &[(&str, &[u8])]) -> Vec<u8> {
    fn attr(out: &mut Vec<u8>, level: u8, id: u32, data: &[u8]) {
        out.push(level);
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(data);
        let sum = data.iter().fold(0u16, |a, b| a.wrapping_add(u16::from(*b)));
        out.extend_from_slice(&sum.to_le_bytes());
    }
    fn prop_bytes(props: &mut Vec<u8>, kind: u16, id: u16, v: &[u8]) {
        props.extend_from_slice(&kind.to_le_bytes());
        props.extend_from_slice(&id.to_le_bytes());
        props.extend_from_slice(&1u32.to_le_bytes());
        props.extend_from_slice(&(v.len() as u32).to_le_bytes());
        props.extend_from_slice(v);
        props.resize(props.len() + (4 - v.len() % 4) % 4, 0);
    }
    let mut out = Vec::new();
    out.extend_from_slice(&SIGNATURE.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    attr(&mut out, 1, ATT_OEM_CODEPAGE, &1252u32.to_le_bytes());
    attr(&mut out, 1, ATT_BODY, body.as_bytes());
    if let Some(rtf) = rtf {
        let mut props = 1u32.to_le_bytes().to_vec();
        let compressed = compressed_rtf::compress_rtf(rtf).unwrap_or_default();
        prop_bytes(&mut props, 0x0102, PR_RTF_COMPRESSED, &compressed);
        attr(&mut out, 1, ATT_MSG_PROPS, &props);
    }
    for (name, bytes) in files {
        attr(&mut out, 2, ATT_ATTACH_REND_DATA, &[0; 14]);
        attr(&mut out, 2, ATT_ATTACH_TITLE, b"SHORT~1.DAT\0");
        attr(&mut out, 2, ATT_ATTACH_DATA, bytes);
        let mut props = 1u32.to_le_bytes().to_vec();
        let mut wide: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        wide.extend_from_slice(&[0, 0]);
        prop_bytes(&mut props, 0x001F, PR_ATTACH_LONG_FILENAME, &wide);
        attr(&mut out, 2, ATT_ATTACHMENT, &props);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_outlook_writes() {
        let rtf = r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}\f0 Gr\'fc\'dfe,\par see the price list.}";
        let t = write(
            "plain body",
            Some(rtf),
            &[
                ("Preisliste März.xlsx", b"PK\x03\x04 data"),
                ("b.txt", b"x"),
            ],
        );
        let r = read(&t).unwrap();
        assert_eq!(r.text.as_deref(), Some("plain body"));
        assert_eq!(r.attachments.len(), 2);
        assert_eq!(r.attachments[0].name, "Preisliste März.xlsx");
        assert_eq!(r.attachments[0].bytes, b"PK\x03\x04 data");
        let rtf = r.rtf.unwrap();
        assert_eq!(rtf_text(&rtf), "Grüße,\nsee the price list.");
        assert!(read(b"not tnef").is_none());
        assert!(!rtf_sizes_fit(b"\x20\0\0\0\xff\xff\0\0MELA\0\0\0\0abc"));
        assert!(!rtf_sizes_fit(b"short"));
        assert!(read(&t[..40]).is_some());
    }
}
