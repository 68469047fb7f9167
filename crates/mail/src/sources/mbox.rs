//! Splitting an mbox into its messages while reading it, in memory bounded by the largest
//! message: mboxo / mboxrd (From_ lines, `>From ` quoting), mboxcl / mboxcl2
//! (`Content-Length`, used when it ends at a separator or at the end of the file) and
//! the Thunderbird / Eudora variants (`From - …`, `From ???@???`, separators without an
//! empty line before them).
//!
//! What a message's bytes are: the lines between its From_ line and the next one, less
//! the one empty line an mbox writer puts before a separator. A message delimited by a
//! valid `Content-Length` is taken exactly as written (mboxcl2 quotes nothing). Any other
//! message is read as mboxrd: one `>` is removed from every line matching `>+From `,
//! which undoes the quoting of mboxrd writers (and of mboxo writers for `From ` lines) —
//! so `wharf export --format mbox` (mboxrd) gives back an mbox that splits into the same
//! bytes. The one thing no reader can know: a message with no newline at its very end,
//! when it is not the last of the file, comes back with one.

use std::io::{self, BufRead};

use super::MAX_MESSAGE_BYTES;

/// Longest piece of a line read at once (longer lines are read in pieces).
const LINE_PIECE: usize = 64 * 1024;

/// One message of an mbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MboxMessage {
    /// The message's bytes (empty when it is too large to keep).
    pub bytes: Vec<u8>,
    /// Larger than [`MAX_MESSAGE_BYTES`]: its bytes were not kept.
    pub too_large: bool,
    /// Byte offset of its From_ line in the file.
    pub offset: u64,
    /// How the split was decided where there was a choice (for the log).
    pub notes: Vec<String>,
}

/// Reads messages from an mbox. The first line must be a From_ line.
pub struct MboxReader<R> {
    src: Src<R>,
    /// The From_ line that starts the next message, and its offset.
    next: Option<u64>,
}

impl<R: BufRead> MboxReader<R> {
    /// Starts reading; `None` when the input does not begin with a From_ line.
    pub fn new(inner: R) -> io::Result<Option<MboxReader<R>>> {
        let mut src = Src::new(inner);
        let mut first = Vec::new();
        src.line(&mut first)?;
        if !first.starts_with(b"From ") {
            return Ok(None);
        }
        src.unread(&first);
        Ok(Some(MboxReader { src, next: Some(0) }))
    }

    /// Bytes of the input read so far.
    pub fn position(&self) -> u64 {
        self.src.position()
    }

    /// The next message, or `None` at the end.
    pub fn next_message(&mut self) -> io::Result<Option<MboxMessage>> {
        let Some(offset) = self.next.take() else {
            return Ok(None);
        };
        let mut msg = Building::new(offset);
        let mut line = Vec::new();
        // Its From_ line (the rest of a very long one too).
        while self.src.line(&mut line)? > 0 && !line.ends_with(b"\n") {
            line.clear();
        }
        let mut content_length = None;
        // The header block, up to and with its empty line.
        loop {
            line.clear();
            let at_start = self.src.at_start;
            if self.src.line(&mut line)? == 0 {
                return Ok(Some(msg.finish(false)));
            }
            if at_start && is_blank(&line) {
                msg.push(&line, false);
                break;
            }
            if at_start && line.starts_with(b"From ") && self.separator_follows(&line, false)? {
                let at = self.src.position();
                msg.note(format!(
                    "a message without a body ends at the From_ line at byte {at}"
                ));
                self.next = Some(at);
                return Ok(Some(msg.finish(false)));
            }
            if at_start && let Some(n) = content_length_of(&line) {
                content_length = Some(n);
            }
            msg.push(&line, at_start);
        }
        let body_start = msg.bytes.len();
        if let Some(n) = content_length.filter(|&n| n <= MAX_MESSAGE_BYTES)
            && !msg.too_large
        {
            if self.body_by_length(&mut msg, n)? {
                return Ok(Some(msg.finish(false)));
            }
            let body = msg.bytes.split_off(body_start);
            msg.size = body_start as u64;
            self.src.unread(&body);
            msg.note(format!(
                "Content-Length {n} ignored: it does not end at a From_ line or the end of the file"
            ));
        }
        // The body, line by line, up to the next separator.
        let mut prev_blank = true;
        loop {
            line.clear();
            let at_start = self.src.at_start;
            if self.src.line(&mut line)? == 0 {
                return Ok(Some(msg.finish(true)));
            }
            if at_start
                && line.starts_with(b"From ")
                && self.separator_follows(&line, prev_blank)?
            {
                let at = self.src.position();
                if !prev_blank {
                    msg.note(format!(
                        "From_ line at byte {at} without an empty line before it taken as a separator (headers follow)"
                    ));
                }
                self.next = Some(at);
                return Ok(Some(msg.finish(prev_blank)));
            }
            msg.push(&line, at_start);
            prev_blank = at_start && is_blank(&line);
        }
    }

    /// Whether the From_ `line` just read starts a message: a dated From_ line after an
    /// empty line always does; a dated one without the empty line, or an undated one
    /// after it, only when a header line follows. The line is given back when it does.
    fn separator_follows(&mut self, line: &[u8], after_blank: bool) -> io::Result<bool> {
        if !line.ends_with(b"\n") {
            return Ok(false);
        }
        let dated = is_dated_from_line(line);
        if dated && after_blank {
            self.src.unread(line);
            return Ok(true);
        }
        if !dated && !after_blank {
            return Ok(false);
        }
        let mut next = Vec::new();
        self.src.line(&mut next)?;
        let header = is_header_line(&next);
        self.src.unread(&next);
        if header {
            self.src.unread(line);
        } else {
            tracing::debug!(
                "mbox: From line at byte {} kept in the body (no header line follows)",
                self.src.position() - line.len() as u64
            );
        }
        Ok(header)
    }

    /// Reads a body of `n` bytes; true when what follows is, after at most two line
    /// ends (the end of an unterminated last line, the empty line before a separator),
    /// a From_ line or the end of the input (the From_ line is then given back); false,
    /// with nothing consumed, if not.
    fn body_by_length(&mut self, msg: &mut Building, n: u64) -> io::Result<bool> {
        let start = msg.bytes.len();
        let got = self.src.read_upto(&mut msg.bytes, n as usize)?;
        let mut after: Vec<Vec<u8>> = Vec::new();
        let mut valid = false;
        if got as u64 == n {
            for _ in 0..3 {
                let at_start = self.src.at_start || n == 0;
                let mut l = Vec::new();
                if self.src.line(&mut l)? == 0 {
                    valid = true;
                    break;
                }
                let from = at_start && l.starts_with(b"From ");
                let pad = is_blank(&l);
                after.push(l);
                if from {
                    valid = true;
                    break;
                }
                if !pad {
                    break;
                }
            }
        }
        // Quoted From lines in a body that ends mid-line or before more than one empty
        // line: the Content-Length counts the body before an mboxrd writer quoted it
        // (a Wharf export of an mboxcl2 message), so the lines, unquoted, are the message.
        let pads = after.iter().filter(|l| is_blank(l)).count();
        let mid_line = !msg.bytes.ends_with(b"\n") && msg.bytes.len() > start;
        if valid
            && (mid_line || pads > 1)
            && msg.bytes[start..]
                .split(|&b| b == b'\n')
                .any(is_quoted_from)
        {
            valid = false;
        }
        if valid {
            if let Some(l) = after.last().filter(|l| l.starts_with(b"From ")) {
                self.src.unread(l);
                self.next = Some(self.src.position());
            }
            msg.size = msg.bytes.len() as u64;
            return Ok(true);
        }
        for l in after.iter().rev() {
            self.src.unread(l);
        }
        let body = msg.bytes.split_off(start);
        self.src.unread(&body);
        Ok(false)
    }
}

/// A message being read.
struct Building {
    bytes: Vec<u8>,
    size: u64,
    too_large: bool,
    offset: u64,
    notes: Vec<String>,
}

impl Building {
    fn new(offset: u64) -> Building {
        Building {
            bytes: Vec::new(),
            size: 0,
            too_large: false,
            offset,
            notes: Vec::new(),
        }
    }

    fn note(&mut self, text: String) {
        tracing::info!("mbox: message at byte {}: {text}", self.offset);
        self.notes.push(text);
    }

    /// Appends a line, undoing mboxrd quoting on whole lines.
    fn push(&mut self, line: &[u8], at_start: bool) {
        let line = if at_start && is_quoted_from(line) {
            &line[1..]
        } else {
            line
        };
        self.size += line.len() as u64;
        if self.too_large {
            return;
        }
        if self.size > MAX_MESSAGE_BYTES {
            self.too_large = true;
            self.bytes = Vec::new();
            return;
        }
        self.bytes.extend_from_slice(line);
    }

    /// The message, less the empty line before the next separator when there is one.
    fn finish(mut self, strip_blank: bool) -> MboxMessage {
        if self.bytes.len() as u64 > MAX_MESSAGE_BYTES {
            self.too_large = true;
            self.bytes = Vec::new();
        }
        if strip_blank && !self.too_large {
            if self.bytes.ends_with(b"\r\n\r\n") {
                self.bytes.truncate(self.bytes.len() - 2);
            } else if self.bytes.ends_with(b"\n\n") {
                self.bytes.truncate(self.bytes.len() - 1);
            }
        }
        MboxMessage {
            bytes: self.bytes,
            too_large: self.too_large,
            offset: self.offset,
            notes: self.notes,
        }
    }
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\n" || line == b"\r\n"
}

fn is_quoted_from(line: &[u8]) -> bool {
    let rest = line.iter().position(|&b| b != b'>').map(|p| &line[p..]);
    line.first() == Some(&b'>') && rest.is_some_and(|r| r.starts_with(b"From "))
}

/// `From <sender> <date>` with a time (`12:34`) and a year, as mbox writers put it
/// (`From a@b Mon Jan  1 00:00:00 2024`, `From - Mon …`, `From ???@??? …`).
pub fn is_dated_from_line(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let text = String::from_utf8_lossy(rest);
    let mut tokens = text.split_ascii_whitespace();
    if tokens.next().is_none() {
        return false;
    }
    let (mut time, mut year) = (false, false);
    for t in tokens {
        let t = t.trim_end_matches(',');
        let parts: Vec<&str> = t.split(':').collect();
        if parts.len() >= 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
        {
            time = true;
        } else if t.len() == 4
            && t.bytes().all(|b| b.is_ascii_digit())
            && (t.starts_with("19") || t.starts_with("20"))
        {
            year = true;
        }
    }
    time && year
}

/// `Name: value` (a header field) or a folded continuation.
pub fn is_header_line(line: &[u8]) -> bool {
    let Some(colon) = line.iter().take(200).position(|&b| b == b':') else {
        return false;
    };
    colon > 0 && line[..colon].iter().all(|&b| (33..=126).contains(&b))
}

fn content_length_of(line: &[u8]) -> Option<u64> {
    let colon = line.iter().position(|&b| b == b':')?;
    if !line[..colon].eq_ignore_ascii_case(b"content-length") {
        return None;
    }
    std::str::from_utf8(&line[colon + 1..])
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Line reader with a give-back buffer, so a split can be reconsidered.
struct Src<R> {
    inner: R,
    back: Vec<u8>,
    back_pos: usize,
    /// Bytes consumed from `inner`.
    consumed: u64,
    /// The next byte starts a line.
    at_start: bool,
}

impl<R: BufRead> Src<R> {
    fn new(inner: R) -> Src<R> {
        Src {
            inner,
            back: Vec::new(),
            back_pos: 0,
            consumed: 0,
            at_start: true,
        }
    }

    fn position(&self) -> u64 {
        self.consumed - (self.back.len() - self.back_pos) as u64
    }

    /// Appends the next line (with its `\n`), or a piece of it when it is very long;
    /// returns its length, 0 at the end.
    fn line(&mut self, out: &mut Vec<u8>) -> io::Result<usize> {
        let start = out.len();
        while self.back_pos < self.back.len() {
            let room = LINE_PIECE - (out.len() - start);
            let rest = &self.back[self.back_pos..];
            let window = &rest[..rest.len().min(room)];
            let (take, done) = match window.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (window.len(), window.len() == room),
            };
            out.extend_from_slice(&window[..take]);
            self.back_pos += take;
            if self.back_pos == self.back.len() {
                self.back.clear();
                self.back_pos = 0;
            }
            if done {
                return Ok(self.finish_line(out, start));
            }
        }
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                break;
            }
            let room = LINE_PIECE - (out.len() - start);
            let window = &buf[..buf.len().min(room)];
            let (take, done) = match window.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (window.len(), window.len() == room),
            };
            out.extend_from_slice(&window[..take]);
            self.inner.consume(take);
            self.consumed += take as u64;
            if done {
                break;
            }
        }
        Ok(self.finish_line(out, start))
    }

    fn finish_line(&mut self, out: &[u8], start: usize) -> usize {
        if out.len() > start {
            self.at_start = out.ends_with(b"\n");
        }
        out.len() - start
    }

    /// Appends up to `n` bytes (fewer only at the end); returns how many.
    fn read_upto(&mut self, out: &mut Vec<u8>, n: usize) -> io::Result<usize> {
        let start = out.len();
        while out.len() - start < n {
            let want = n - (out.len() - start);
            if self.back_pos < self.back.len() {
                let rest = &self.back[self.back_pos..];
                let take = rest.len().min(want);
                out.extend_from_slice(&rest[..take]);
                self.back_pos += take;
                if self.back_pos == self.back.len() {
                    self.back.clear();
                    self.back_pos = 0;
                }
                continue;
            }
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                break;
            }
            let take = buf.len().min(want);
            out.extend_from_slice(&buf[..take]);
            self.inner.consume(take);
            self.consumed += take as u64;
        }
        if out.len() > start {
            self.at_start = out.ends_with(b"\n");
        }
        Ok(out.len() - start)
    }

    /// Gives bytes back: they are read again first. Whole lines only.
    fn unread(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let mut back = Vec::with_capacity(bytes.len() + self.back.len() - self.back_pos);
        back.extend_from_slice(bytes);
        back.extend_from_slice(&self.back[self.back_pos..]);
        self.back = back;
        self.back_pos = 0;
        self.at_start = true;
    }
}

/// Splits a whole mbox held in memory (tests and small files).
pub fn split(bytes: &[u8]) -> Vec<MboxMessage> {
    let mut out = Vec::new();
    let Ok(Some(mut reader)) = MboxReader::new(bytes) else {
        return out;
    };
    while let Ok(Some(m)) = reader.next_message() {
        out.push(m);
    }
    out
}
