//! Turning a message's original bytes into the fields Wharf stores: addresses, subject,
//! date, threading ids, text, attachments and any delivery-status report. Pure: bytes in,
//! values out. A message the parser cannot read (or that makes it panic) gives
//! [`ParseFailure`], and the caller stores it raw and flagged.

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};

use mail_parser::{
    Address, HeaderName, HeaderValue, Message, MessageParser, MimeHeaders, PartType,
};

use crate::dsn::{self, Dsn};
use crate::hash::sha256_hex;

/// One address of a message header.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mailbox {
    pub name: String,
    pub address: String,
}

/// An attachment (or inline part) taken out of a message, with its decoded bytes.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content_id: Option<String>,
    pub inline: bool,
    pub hash: String,
    pub bytes: Vec<u8>,
}

/// The parsed fields of one message.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub subject: String,
    pub from: Option<Mailbox>,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub reply_to: Vec<Mailbox>,
    /// The Date header as Unix seconds, when present and readable.
    pub date: Option<i64>,
    pub text: String,
    pub html: Option<String>,
    pub snippet: String,
    pub attachments: Vec<Attachment>,
    pub dsn: Option<Dsn>,
    /// Sent by a machine (Auto-Submitted, Precedence: bulk / list, mailing-list
    /// headers, a no-reply sender): not a person waiting for an answer.
    pub automated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseFailure(pub String);

const SNIPPET_CHARS: usize = 160;

/// Parses `raw`; never panics (a panic inside the parser becomes a [`ParseFailure`]).
pub fn parse(raw: &[u8]) -> Result<Parsed, ParseFailure> {
    if raw.is_empty() {
        return Err(ParseFailure("empty message".into()));
    }
    match catch_unwind(AssertUnwindSafe(|| parse_inner(raw))) {
        Ok(result) => result,
        Err(_) => Err(ParseFailure(
            "the MIME parser failed on this message".into(),
        )),
    }
}

fn parse_inner(raw: &[u8]) -> Result<Parsed, ParseFailure> {
    let message = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| ParseFailure("no message headers found".into()))?;
    let known = message.headers().iter().any(|h| {
        matches!(
            h.name,
            HeaderName::From
                | HeaderName::To
                | HeaderName::Subject
                | HeaderName::Date
                | HeaderName::MessageId
                | HeaderName::Received
                | HeaderName::ContentType
                | HeaderName::MimeVersion
                | HeaderName::ReturnPath
        )
    });
    if !known {
        return Err(ParseFailure("no message headers found".into()));
    }
    let fallback = body_charset(&message);
    let subject = header_text(&message, raw, HeaderName::Subject, fallback).unwrap_or_default();
    let text = message
        .body_text(0)
        .map(Cow::into_owned)
        .unwrap_or_default();
    let html = message.body_html(0).map(Cow::into_owned).filter(|_| {
        // body_html synthesises HTML from a text-only message; keep only real HTML.
        message.html_body_count() > 0
            && message
                .html_part(0)
                .is_some_and(|p| matches!(p.body, PartType::Html(_)))
    });
    let mut parsed = Parsed {
        message_id: message.message_id().map(clean_id),
        in_reply_to: id_list(message.in_reply_to()),
        references: id_list(message.references()),
        subject,
        from: addresses(message.from(), raw, &message, HeaderName::From, fallback)
            .into_iter()
            .next(),
        to: addresses(message.to(), raw, &message, HeaderName::To, fallback),
        cc: addresses(message.cc(), raw, &message, HeaderName::Cc, fallback),
        reply_to: addresses(
            message.reply_to(),
            raw,
            &message,
            HeaderName::ReplyTo,
            fallback,
        ),
        date: message.date().map(|d| d.to_timestamp()),
        snippet: snippet(&text),
        text,
        html,
        attachments: Vec::new(),
        dsn: None,
        automated: false,
    };
    parsed.automated = is_automated(&message, parsed.from.as_ref());
    for part in message.attachments() {
        if let Some(a) = attachment(part) {
            parsed.attachments.push(a);
        }
    }
    parsed.dsn = dsn::find(&message);
    Ok(parsed)
}

/// Whether the headers say a machine sent the message (RFC 3834 Auto-Submitted, the
/// Precedence convention, RFC 2369 / 2919 list headers) or the sender is a no-reply box.
fn is_automated(message: &mail_parser::Message<'_>, from: Option<&Mailbox>) -> bool {
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

/// Message-IDs without angle brackets or surrounding space.
fn clean_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

fn id_list(value: &HeaderValue) -> Vec<String> {
    match value {
        HeaderValue::Text(t) => vec![clean_id(t)],
        HeaderValue::TextList(list) => list.iter().map(|t| clean_id(t)).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// The charset named by the message's first text part, used for raw 8-bit headers.
fn body_charset(message: &Message) -> Option<&'static encoding_rs::Encoding> {
    message
        .parts
        .iter()
        .filter_map(|p| p.content_type())
        .filter_map(|ct| ct.attribute("charset"))
        .find_map(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
}

/// A header's decoded text. When the header holds raw 8-bit bytes that are not UTF-8
/// (common in Chinese mail), the parser's lossy text is replaced by the bytes decoded
/// with the message's charset, or GB18030.
fn header_text(
    message: &Message,
    raw: &[u8],
    name: HeaderName,
    fallback: Option<&'static encoding_rs::Encoding>,
) -> Option<String> {
    let header = message.headers().iter().find(|h| h.name == name)?;
    let parsed = header.value.as_text().map(str::to_string);
    match &parsed {
        Some(t) if !t.contains('\u{FFFD}') => parsed,
        _ => raw_header_decoded(raw, header.offset_start(), header.offset_end(), fallback)
            .map(|s| unfold(&s))
            .or(parsed),
    }
}

fn raw_header_decoded(
    raw: &[u8],
    start: u32,
    end: u32,
    fallback: Option<&'static encoding_rs::Encoding>,
) -> Option<String> {
    let bytes = raw.get(start as usize..end as usize)?;
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let encoding = fallback
        .filter(|e| *e != encoding_rs::UTF_8 && *e != encoding_rs::WINDOWS_1252)
        .unwrap_or(encoding_rs::GB18030);
    let (text, _, _) = encoding.decode(bytes);
    Some(text.trim().to_string())
}

fn unfold(s: &str) -> String {
    s.split(['\r', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn addresses(
    value: Option<&Address>,
    raw: &[u8],
    message: &Message,
    name: HeaderName,
    fallback: Option<&'static encoding_rs::Encoding>,
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
        && let Some(text) =
            raw_header_decoded(raw, header.offset_start(), header.offset_end(), fallback)
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

fn snippet(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() >= SNIPPET_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.chars().take(SNIPPET_CHARS).collect()
}

fn attachment(part: &mail_parser::MessagePart) -> Option<Attachment> {
    let bytes: Vec<u8> = match &part.body {
        PartType::Binary(b) | PartType::InlineBinary(b) => b.to_vec(),
        PartType::Text(t) | PartType::Html(t) => t.as_bytes().to_vec(),
        PartType::Message(m) => m.raw_message().to_vec(),
        PartType::Multipart(_) => return None,
    };
    let content_type = part
        .content_type()
        .map(|ct| match &ct.c_subtype {
            Some(sub) => format!("{}/{}", ct.c_type, sub),
            None => ct.c_type.to_string(),
        })
        .unwrap_or_else(|| "application/octet-stream".into())
        .to_ascii_lowercase();
    let inline = matches!(part.body, PartType::InlineBinary(_))
        || part
            .content_disposition()
            .is_some_and(|cd| cd.c_type.eq_ignore_ascii_case("inline"));
    let filename = part
        .attachment_name()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .or_else(|| {
            part.message()
                .and_then(|m| m.subject())
                .map(|s| format!("{s}.eml"))
        })
        .unwrap_or_default();
    Some(Attachment {
        hash: sha256_hex(&bytes),
        filename,
        content_type,
        content_id: part.content_id().map(clean_id),
        inline,
        bytes,
    })
}

/// The subject without reply / forward prefixes (English and Chinese), lower-cased: two
/// messages with the same key may belong to one conversation.
pub fn subject_key(subject: &str) -> String {
    let mut s = subject.trim();
    loop {
        let before = s;
        for prefix in [
            "re", "fw", "fwd", "aw", "wg", "sv", "回复", "答复", "回覆", "转发", "轉寄",
        ] {
            if let Some(rest) = strip_prefix_ci(s, prefix) {
                let rest = rest.trim_start();
                let rest = rest
                    .strip_prefix(':')
                    .or_else(|| rest.strip_prefix('：'))
                    .or_else(|| {
                        // "Re[2]:" and "Re(2):"
                        let inner = rest.strip_prefix('[').or_else(|| rest.strip_prefix('('))?;
                        let close = inner.find([']', ')'])?;
                        inner[close + 1..].trim_start().strip_prefix(':')
                    });
                if let Some(rest) = rest {
                    s = rest.trim_start();
                }
            }
        }
        if s == before {
            break;
        }
    }
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// True when the subject starts with a reply or forward prefix.
pub fn is_reply_subject(subject: &str) -> bool {
    let key = subject_key(subject);
    !key.is_empty()
        && key
            != subject
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_keys() {
        assert_eq!(subject_key("Re: RE: Fwd: Price list"), "price list");
        assert_eq!(subject_key("回复：报价单"), "报价单");
        assert_eq!(subject_key("Re[2]: Order  #12"), "order #12");
        assert_eq!(subject_key("Reply needed"), "reply needed");
        assert!(is_reply_subject("Re: x"));
        assert!(!is_reply_subject("Regarding x"));
    }

    #[test]
    fn parses_basic_fields_and_gbk_raw_headers() {
        let mut raw = b"From: \"".to_vec();
        raw.extend(encoding_rs::GBK.encode("张三").0.iter());
        raw.extend(
            b"\" <zhang@example.cn>\r\nTo: a@example.test, \"B\" <b@example.test>\r\nSubject: ",
        );
        raw.extend(encoding_rs::GBK.encode("报价单 2026").0.iter());
        raw.extend(
            b"\r\nMessage-ID: <abc@x>\r\nIn-Reply-To: <p@x>\r\nReferences: <r@x> <p@x>\r\n\
Date: Mon, 23 Nov 2026 10:00:00 +0800\r\nContent-Type: text/plain; charset=gbk\r\n\r\n",
        );
        raw.extend(encoding_rs::GBK.encode("您好，请报价。").0.iter());
        let p = parse(&raw).unwrap();
        assert_eq!(p.subject, "报价单 2026");
        assert_eq!(p.from.as_ref().unwrap().address, "zhang@example.cn");
        assert_eq!(p.from.unwrap().name, "张三");
        assert_eq!(p.to.len(), 2);
        assert_eq!(p.message_id.as_deref(), Some("abc@x"));
        assert_eq!(p.in_reply_to, vec!["p@x"]);
        assert_eq!(p.references, vec!["r@x", "p@x"]);
        assert_eq!(p.date, Some(1_795_399_200));
        assert!(p.text.contains("请报价"));
    }

    #[test]
    fn rfc2047_and_2231_names() {
        let raw = b"From: =?UTF-8?B?5p2O5Zub?= <li@example.cn>\r\nSubject: =?GB2312?B?tqm1pQ==?=\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n\
--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''%E6%8A%A5%E4%BB%B7.pdf\r\n\
Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n";
        let p = parse(raw).unwrap();
        assert_eq!(p.from.unwrap().name, "李四");
        assert_eq!(p.subject, "订单");
        assert_eq!(p.attachments.len(), 1);
        assert_eq!(p.attachments[0].filename, "报价.pdf");
        assert_eq!(p.attachments[0].bytes, b"%PDF-");
        assert_eq!(p.attachments[0].content_type, "application/pdf");
    }

    #[test]
    fn garbage_is_a_failure_not_a_panic() {
        assert!(parse(b"").is_err());
        // Whatever the verdict on binary junk, it must come back instead of panicking.
        let _ = parse(b"\x00\x01\x02\xff\r\n\r\n");
    }
}
