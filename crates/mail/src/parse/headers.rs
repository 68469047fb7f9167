//! Header fields: addresses, subject text, threading ids and the "sent by a machine"
//! signals. Raw 8-bit header bytes (common in Chinese, Korean and old European mail)
//! are decoded with the message's declared charset, else the detected one.

use mail_parser::{Address, HeaderName, HeaderValue, Message};

use super::Mailbox;
use super::charset::{self, Declared};

/// What raw 8-bit header bytes are decoded with: the charset the message's text
/// declares, and the header block itself as evidence for the detector.
pub(crate) struct HeaderCharset<'a> {
    pub declared: Option<Declared>,
    pub evidence: &'a [u8],
}

impl<'a> HeaderCharset<'a> {
    pub(crate) fn of(message: &Message, raw: &'a [u8]) -> HeaderCharset<'a> {
        let end = message.root_part().offset_body as usize;
        HeaderCharset {
            declared: body_charset(message),
            evidence: raw.get(..end).unwrap_or(raw),
        }
    }

    /// Raw header bytes as text (`None` when they are UTF-8, which the parser read right).
    pub(crate) fn decode(&self, bytes: &[u8]) -> Option<String> {
        if std::str::from_utf8(bytes).is_ok() {
            return None;
        }
        // The header block is the better evidence when it has 8-bit bytes of its own.
        let evidence = if self.evidence.is_ascii() {
            bytes
        } else {
            self.evidence
        };
        Some(charset::decode(bytes, self.declared, evidence))
    }
}

/// The charset named by the message's first text part that names one.
fn body_charset(message: &Message) -> Option<Declared> {
    message
        .parts
        .iter()
        .filter_map(mail_parser::MimeHeaders::content_type)
        .filter(|ct| ct.c_type.eq_ignore_ascii_case("text"))
        .filter_map(|ct| ct.attribute("charset"))
        .find_map(Declared::from_label)
}

/// Whether the headers say a machine sent the message (RFC 3834 Auto-Submitted, the
/// Precedence convention, RFC 2369 / 2919 list headers) or the sender is a no-reply box.
pub(crate) fn is_automated(message: &Message<'_>, from: Option<&Mailbox>) -> bool {
    let raw = |name: &'static str| {
        message
            .header_raw(name)
            .map(|v| v.trim().to_ascii_lowercase())
    };
    let auto_submitted = raw("Auto-Submitted").is_some_and(|v| !v.starts_with("no"));
    let precedence =
        raw("Precedence").is_some_and(|v| matches!(v.as_str(), "bulk" | "list" | "junk"));
    let list = raw("List-Unsubscribe").is_some() || raw("List-Id").is_some();
    let no_reply = from.is_some_and(|f| {
        let local = f
            .address
            .split('@')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .replace(['-', '_', '.'], "");
        matches!(
            local.as_str(),
            "noreply"
                | "donotreply"
                | "notification"
                | "notifications"
                | "mailerdaemon"
                | "postmaster"
                | "newsletter"
        )
    });
    auto_submitted || precedence || list || no_reply
}

/// Whether the message is an automatic answer, by its headers and subject.
pub(crate) fn is_auto_reply(message: &Message<'_>, subject: &str) -> bool {
    let raw = |name: &'static str| message.header_raw(name);
    wharf_core::mail::auto_reply::is_auto_reply(&wharf_core::mail::auto_reply::Signals {
        auto_submitted: raw("Auto-Submitted"),
        x_autoreply: raw("X-Autoreply"),
        x_autorespond: raw("X-Autorespond"),
        precedence: raw("Precedence"),
        subject,
    })
}

/// Message-IDs without angle brackets or surrounding space.
pub(crate) fn clean_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

pub(crate) fn id_list(value: &HeaderValue) -> Vec<String> {
    match value {
        HeaderValue::Text(t) => vec![clean_id(t)],
        HeaderValue::TextList(list) => list.iter().map(|t| clean_id(t)).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// A header's decoded text. When the header holds raw 8-bit bytes that are not UTF-8,
/// the parser's lossy text is replaced by the bytes decoded with [`HeaderCharset`].
pub(crate) fn header_text(
    message: &Message,
    raw: &[u8],
    name: HeaderName,
    charset: &HeaderCharset,
) -> Option<String> {
    let header = message.headers().iter().find(|h| h.name == name)?;
    let parsed = header.value.as_text().map(str::to_string);
    match &parsed {
        Some(t) if !t.contains('\u{FFFD}') => parsed,
        _ => raw
            .get(header.offset_start() as usize..header.offset_end() as usize)
            .and_then(|bytes| charset.decode(bytes))
            .map(|s| unfold(&s))
            .or(parsed),
    }
}

pub(crate) fn unfold(s: &str) -> String {
    s.split(['\r', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn addresses(
    value: Option<&Address>,
    raw: &[u8],
    message: &Message,
    name: HeaderName,
    charset: &HeaderCharset,
) -> Vec<Mailbox> {
    let Some(value) = value else {
        return Vec::new();
    };
    let mut out: Vec<Mailbox> = value
        .iter()
        .map(|a| Mailbox {
            name: a.name.as_deref().unwrap_or("").trim().to_string(),
            address: a.address.as_deref().unwrap_or("").trim().to_string(),
        })
        .filter(|m| !m.address.is_empty() || !m.name.is_empty())
        .collect();
    // A raw 8-bit display name: decode the header bytes and take the name part again.
    if out.iter().any(|m| m.name.contains('\u{FFFD}'))
        && let Some(header) = message.headers().iter().find(|h| h.name == name)
        && let Some(text) = raw
            .get(header.offset_start() as usize..header.offset_end() as usize)
            .and_then(|bytes| charset.decode(bytes))
    {
        let names: Vec<String> = text
            .split(',')
            .map(|p| {
                p.split('<')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches('"')
                    .to_string()
            })
            .collect();
        for (m, n) in out.iter_mut().zip(names) {
            if m.name.contains('\u{FFFD}') {
                m.name = n;
            }
        }
    }
    out
}
