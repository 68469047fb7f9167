//! The xlsx pre-scan (issue 14). calamine cannot be bounded before it allocates: opening
//! a workbook reads the whole shared-string table, reserving as many entries as its
//! `uniqueCount` attribute claims, and its XML reader buffers a whole text node or tag
//! however long. So before calamine sees a file, every part is decompressed once into
//! this byte scanner (nothing is kept): the number of parts, the bytes they decompress
//! to (declared and real — zip bombs), the length of every tag and text run, and the
//! shared strings' declared and real count and sizes are checked against [`Limits`].
//! Cells and rows are then bounded while calamine streams them (see `read`).

use std::io::{Cursor, Read};

use crate::error::ReadError;
use crate::limits::{Limit, Limits};

/// Refuses an xlsx that breaks a limit before anything is allocated for its content.
pub(crate) fn check(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    if zip.len() > limits.zip_entries {
        return Err(ReadError::limit(Limit::ZipEntries, limits));
    }
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| ReadError::Xlsx(e.to_string()))?;
        if part.is_dir() {
            continue;
        }
        if part.size() > limits.decoded_bytes.saturating_sub(total) {
            return Err(ReadError::limit(Limit::DecodedBytes, limits));
        }
        let name = part
            .name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        let xml = name.ends_with(".xml") || name.ends_with(".rels");
        let mut scan = Scanner::new(limits, name.ends_with("sharedstrings.xml"));
        loop {
            let n = part
                .read(&mut buf)
                .map_err(|e| ReadError::Xlsx(e.to_string()))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > limits.decoded_bytes {
                return Err(ReadError::limit(Limit::DecodedBytes, limits));
            }
            if xml {
                scan.feed(&buf[..n])?;
            }
        }
    }
    Ok(())
}

/// Markup and text runs of one XML part, as bytes (an upper bound of the decoded text).
struct Scanner<'a> {
    limits: &'a Limits,
    shared: bool,
    in_tag: bool,
    tag: Vec<u8>,
    text_run: usize,
    in_si: bool,
    si_bytes: usize,
    strings: usize,
}

impl<'a> Scanner<'a> {
    fn new(limits: &'a Limits, shared: bool) -> Scanner<'a> {
        Scanner {
            limits,
            shared,
            in_tag: false,
            tag: Vec::new(),
            text_run: 0,
            in_si: false,
            si_bytes: 0,
            strings: 0,
        }
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<(), ReadError> {
        for &b in chunk {
            if self.in_tag {
                if b == b'>' {
                    self.in_tag = false;
                    self.end_tag()?;
                } else {
                    if self.tag.len() >= self.limits.tag_bytes {
                        return Err(ReadError::limit(Limit::TagBytes, self.limits));
                    }
                    self.tag.push(b);
                }
            } else if b == b'<' {
                self.in_tag = true;
                self.tag.clear();
                self.text_run = 0;
            } else {
                self.text_run += 1;
                if self.in_si {
                    self.si_bytes += 1;
                }
                if self.text_run > self.limits.cell_bytes || self.si_bytes > self.limits.cell_bytes
                {
                    return Err(ReadError::limit(Limit::CellBytes, self.limits));
                }
            }
        }
        Ok(())
    }

    fn end_tag(&mut self) -> Result<(), ReadError> {
        if !self.shared {
            return Ok(());
        }
        let (closing, rest) = match self.tag.strip_prefix(b"/") {
            Some(rest) => (true, rest),
            None => (false, &self.tag[..]),
        };
        let name_end = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        let local = match name.iter().rposition(|b| *b == b':') {
            Some(p) => &name[p + 1..],
            None => name,
        };
        let self_closing = rest.ends_with(b"/");
        match (local, closing) {
            (b"sst", false) => {
                for attr in ["uniqueCount", "count"] {
                    if let Some(n) = attribute_number(rest, attr)
                        && n > self.limits.shared_strings as u64
                    {
                        return Err(ReadError::limit(Limit::SharedStrings, self.limits));
                    }
                }
            }
            (b"si", false) => {
                self.strings += 1;
                if self.strings > self.limits.shared_strings {
                    return Err(ReadError::limit(Limit::SharedStrings, self.limits));
                }
                self.in_si = !self_closing;
                self.si_bytes = 0;
            }
            (b"si", true) => self.in_si = false,
            _ => {}
        }
        Ok(())
    }
}

/// The value of `name="digits"` in a tag, saturating; None when absent or not a number.
fn attribute_number(tag: &[u8], name: &str) -> Option<u64> {
    let text = std::str::from_utf8(tag).ok()?;
    let mut from = 0;
    while let Some(at) = text[from..].find(name) {
        let start = from + at;
        from = start + name.len();
        let before_ok = start == 0 || text.as_bytes()[start - 1].is_ascii_whitespace();
        let rest = text[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let rest = rest.trim_start();
        let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            return None;
        }
        return Some(digits.parse::<u64>().unwrap_or(u64::MAX));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_attribute_numbers() {
        let tag = br#"sst xmlns="x" count="12" uniqueCount="99999999999999999999999""#;
        assert_eq!(attribute_number(tag, "count"), Some(12));
        assert_eq!(attribute_number(tag, "uniqueCount"), Some(u64::MAX));
        assert_eq!(attribute_number(b"sst", "count"), None);
    }
}
