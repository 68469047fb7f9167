//! Turning a message's original bytes into the fields Wharf stores: addresses, subject,
//! date, threading ids, text, attachments and any delivery-status report. Pure: bytes in,
//! values out; one file per concern below. A message the parser cannot read (or that makes it panic) gives
//! [`ParseFailure`], and the caller stores it raw and flagged.

use std::panic::{AssertUnwindSafe, catch_unwind};

use mail_parser::{HeaderName, MessageParser};

use crate::dsn::{self, Dsn};

mod attachments;
mod binhex;
mod body;
mod charset;
mod embedded;
mod headers;
mod names;
mod repair;
mod subject;
mod tnef;
mod transfer;

use headers::{HeaderCharset, addresses, clean_id, header_text, id_list, is_automated};
pub use subject::{is_reply_subject, subject_key};

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
    /// Taken out of another part (uuencode / yEnc / BinHex in a text body, a file or
    /// body inside TNEF) rather than being a MIME part of its own.
    pub unpacked: bool,
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
    /// An automatic answer (out-of-office, "automatic reply"): never Pending
    /// ([`wharf_core::mail::auto_reply`]).
    pub auto_reply: bool,
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

fn parse_inner(original: &[u8]) -> Result<Parsed, ParseFailure> {
    // Parts whose headers run straight into their body are parsed from a repaired copy.
    let repaired = repair::missing_blank_lines(original);
    let raw: &[u8] = repaired.as_deref().unwrap_or(original);
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
    let charset = HeaderCharset::of(&message, raw);
    let subject = header_text(&message, raw, HeaderName::Subject, &charset).unwrap_or_default();
    let body = body::choose(&message, raw);
    let mut attachments = attachments::collect(&message, raw, &charset, &body);
    let mut body = body;
    if body.text.trim().is_empty() && body.html.is_none() {
        body::adopt_unnamed_text(&mut body, &mut attachments);
    }
    let (mut text, found) = embedded::extract(&body.text, &body.text_bytes);
    let mut html = body.html;
    for f in found {
        attachments.push(attachments::found_file(f.name, f.bytes, None, None));
    }
    // TNEF: its files and body become the message's own; winmail.dat stays too.
    let mut from_tnef = Vec::new();
    for a in &attachments {
        let tnef_like = a.content_type.starts_with("application/ms-tnef")
            || a.content_type.starts_with("application/vnd.ms-tnef")
            || a.filename.eq_ignore_ascii_case("winmail.dat");
        let Some(t) = tnef_like.then(|| tnef::read(&a.bytes)).flatten() else {
            continue;
        };
        if html.is_none() {
            html = t.html.clone();
        }
        if text.trim().is_empty() {
            if let Some(body_text) = t.text.clone().filter(|s| !s.trim().is_empty()) {
                text = body_text;
            } else if let Some(rtf) = &t.rtf {
                text = tnef::rtf_text(rtf);
            }
        }
        if let Some(rtf) = t.rtf {
            from_tnef.push(attachments::found_file(
                "body.rtf".into(),
                rtf.into_bytes(),
                Some("application/rtf".into()),
                None,
            ));
        }
        for f in t.attachments {
            from_tnef.push(attachments::found_file(
                f.name,
                f.bytes,
                f.mime,
                f.content_id,
            ));
        }
    }
    attachments.extend(from_tnef);
    let mut parsed = Parsed {
        message_id: message.message_id().map(clean_id),
        in_reply_to: id_list(message.in_reply_to()),
        references: id_list(message.references()),
        subject,
        from: addresses(message.from(), raw, &message, HeaderName::From, &charset)
            .into_iter()
            .next(),
        to: addresses(message.to(), raw, &message, HeaderName::To, &charset),
        cc: addresses(message.cc(), raw, &message, HeaderName::Cc, &charset),
        reply_to: addresses(
            message.reply_to(),
            raw,
            &message,
            HeaderName::ReplyTo,
            &charset,
        ),
        date: message.date().map(|d| d.to_timestamp()),
        snippet: snippet(&text),
        text,
        html,
        attachments,
        dsn: None,
        automated: false,
        auto_reply: false,
    };
    parsed.automated = is_automated(&message, parsed.from.as_ref());
    parsed.auto_reply = headers::is_auto_reply(&message, &parsed.subject);
    parsed.dsn = dsn::find(&message);
    Ok(parsed)
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

#[cfg(test)]
mod tests {
    use super::*;

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
