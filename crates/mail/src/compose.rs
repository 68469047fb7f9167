//! Writing mail (SPEC SEND-1): a draft's fields turned into the exact bytes to send with
//! mail-builder — From, To, Cc, Subject, a Message-ID of our own, In-Reply-To and
//! References for replies, a plain-text body (and HTML when given), attachments. Bcc is
//! envelope only. Also the reply / forward helpers: subject prefixes, quoting and the
//! recipient lists. Pure: values in, bytes out.

use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::mime::{BodyPart, MimePart};

use crate::Mailbox;

#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub bcc: Vec<Mailbox>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    /// Images the HTML refers to by `cid:` (multipart/related).
    pub inline_images: Vec<crate::rich::InlineImage>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// (file name, content type, bytes)
    pub attachments: Vec<(String, String, Vec<u8>)>,
}

#[derive(Debug, Clone)]
pub struct Built {
    pub bytes: Vec<u8>,
    /// Without angle brackets.
    pub message_id: String,
    /// Every envelope recipient: To, Cc and Bcc.
    pub recipients: Vec<String>,
}

/// Why a draft cannot be sent, as a field and a stable code, and the recipient entry
/// it is about when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftError {
    pub field: &'static str,
    pub code: &'static str,
    pub entry: Option<String>,
}

impl DraftError {
    pub fn new(field: &'static str, code: &'static str) -> DraftError {
        DraftError {
            field,
            code,
            entry: None,
        }
    }

    /// A recipient entry that is not an address (`invalid_recipient`).
    pub fn entry(field: &'static str, entry: &str) -> DraftError {
        DraftError {
            field,
            code: "invalid_recipient",
            entry: Some(entry.chars().take(200).collect()),
        }
    }
}

pub use crate::recipients::parse_recipients;

/// Builds the message. `domain` names our side in the Message-ID.
pub fn build(d: &Draft, domain: &str, unique: &str) -> Result<Built, DraftError> {
    let recipients: Vec<String> =
        d.to.iter()
            .chain(&d.cc)
            .chain(&d.bcc)
            .map(|m| m.address.clone())
            .collect();
    if recipients.is_empty() {
        return Err(DraftError::new("to", "no_recipient"));
    }
    let message_id = format!("{unique}@{domain}");
    let from = address(&d.from);
    let mut b = MessageBuilder::new()
        .from(from)
        .subject(d.subject.as_str())
        .message_id(message_id.as_str());
    if !d.to.is_empty() {
        b = b.to(Address::new_list(d.to.iter().map(address).collect()));
    }
    if !d.cc.is_empty() {
        b = b.cc(Address::new_list(d.cc.iter().map(address).collect()));
    }
    if let Some(r) = &d.in_reply_to {
        b = b.in_reply_to(r.as_str());
    }
    if !d.references.is_empty() {
        b = b.references(d.references.iter().map(String::as_str).collect::<Vec<_>>());
    }
    b = b.body(body_tree(d));
    let bytes = b
        .write_to_vec()
        .map_err(|_| DraftError::new("body", "invalid_input"))?;
    Ok(Built {
        bytes,
        message_id,
        recipients,
    })
}

/// A header address with its display name (mail-builder encodes a non-ASCII one).
fn address(m: &Mailbox) -> Address<'_> {
    let name = (!m.name.is_empty()).then_some(m.name.as_str());
    Address::new_address(name, m.address.as_str())
}

/// The MIME tree: text, or text and HTML as alternatives (the HTML with its images as
/// multipart/related), inside multipart/mixed when there are attachments.
fn body_tree(d: &Draft) -> MimePart<'_> {
    let text = MimePart::new("text/plain", BodyPart::Text(d.text.as_str().into()));
    let body = match &d.html {
        None => text,
        Some(html) => {
            let html_part = MimePart::new("text/html", BodyPart::Text(html.as_str().into()));
            let html_part = if d.inline_images.is_empty() {
                html_part
            } else {
                let mut related = vec![html_part];
                related.extend(d.inline_images.iter().map(|i| {
                    MimePart::new(
                        i.content_type.as_str(),
                        BodyPart::Binary(i.bytes.as_slice().into()),
                    )
                    .inline()
                    .cid(i.content_id.as_str())
                }));
                MimePart::new("multipart/related", related)
            };
            MimePart::new("multipart/alternative", vec![text, html_part])
        }
    };
    if d.attachments.is_empty() {
        return body;
    }
    let mut parts = vec![body];
    for (name, content_type, bytes) in &d.attachments {
        parts.push(
            MimePart::new(
                content_type.as_str(),
                BodyPart::Binary(bytes.as_slice().into()),
            )
            .attachment(name.as_str()),
        );
    }
    MimePart::new("multipart/mixed", parts)
}

/// "Re: subject" unless it already says so.
pub fn reply_subject(subject: &str) -> String {
    if crate::parse::is_reply_subject(subject)
        && subject.trim_start().to_lowercase().starts_with("re")
    {
        subject.to_string()
    } else {
        format!("Re: {subject}")
    }
}

pub fn forward_subject(subject: &str) -> String {
    format!("Fwd: {subject}")
}

/// The original text quoted below a reply: "On …, X wrote:" and "> " lines.
pub fn quote(original_text: &str, header_line: &str) -> String {
    let mut out = String::from("\n\n");
    out.push_str(header_line);
    out.push('\n');
    for line in original_text.lines() {
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_reply_with_an_attachment() {
        let d = Draft {
            from: Mailbox {
                name: "李四".into(),
                address: "li@wharf.test".into(),
            },
            to: parse_recipients("to", "Buyer <buyer@example.com>, b2@example.com").unwrap(),
            bcc: parse_recipients("bcc", "boss@wharf.test").unwrap(),
            subject: reply_subject("报价单"),
            text: format!("附件是报价。{}", quote("Price?", "buyer wrote:")),
            in_reply_to: Some("q1@x".into()),
            references: vec!["q0@x".into(), "q1@x".into()],
            attachments: vec![(
                "报价.pdf".into(),
                "application/pdf".into(),
                b"%PDF-1.4".to_vec(),
            )],
            ..Default::default()
        };
        let built = build(&d, "wharf.test", "abc123").unwrap();
        assert_eq!(built.message_id, "abc123@wharf.test");
        assert_eq!(built.recipients.len(), 3);
        let text = String::from_utf8_lossy(&built.bytes);
        assert!(
            !text.contains("boss@wharf.test"),
            "Bcc is not in the headers"
        );
        let p = crate::parse(&built.bytes).unwrap();
        assert_eq!(p.subject, "Re: 报价单");
        assert_eq!(p.in_reply_to, vec!["q1@x"]);
        assert_eq!(p.references, vec!["q0@x", "q1@x"]);
        assert_eq!(p.from.unwrap().name, "李四");
        assert_eq!(p.attachments[0].filename, "报价.pdf");
        assert_eq!(p.attachments[0].bytes, b"%PDF-1.4");
        assert!(p.text.contains("> Price?"));
    }

    #[test]
    fn rich_text_with_an_image_and_an_attachment() {
        let rich = crate::rich::from_editor(
            "<p>见<b>附表</b></p><table><tr><td>FOB</td></tr></table><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\">",
            "wharf.test",
            "r1",
        );
        let d = Draft {
            from: Mailbox {
                name: String::new(),
                address: "li@wharf.test".into(),
            },
            to: parse_recipients("to", "buyer@example.com").unwrap(),
            subject: "Quote".into(),
            text: rich.text.clone(),
            html: Some(rich.html.clone()),
            inline_images: rich.images.clone(),
            attachments: vec![("a.pdf".into(), "application/pdf".into(), b"%PDF".to_vec())],
            ..Default::default()
        };
        let built = build(&d, "wharf.test", "r1").unwrap();
        let raw = String::from_utf8_lossy(&built.bytes);
        for part in [
            "multipart/mixed",
            "multipart/alternative",
            "multipart/related",
        ] {
            assert!(raw.contains(part), "{part} in {raw}");
        }
        let p = crate::parse(&built.bytes).unwrap();
        assert!(
            p.text.contains("附表") && p.text.contains("FOB"),
            "{}",
            p.text
        );
        let html = p.html.unwrap_or_default();
        assert!(html.contains("<table>") && html.contains("cid:img1.r1@wharf.test"));
        let inline = p.attachments.iter().find(|a| a.inline).unwrap();
        assert_eq!(inline.content_id.as_deref(), Some("img1.r1@wharf.test"));
        assert!(inline.bytes.starts_with(b"GIF89a"));
        assert!(
            p.attachments
                .iter()
                .any(|a| a.filename == "a.pdf" && !a.inline)
        );
    }

    #[test]
    fn display_names_reach_the_headers_encoded() {
        let d = Draft {
            from: Mailbox {
                name: "李四".into(),
                address: "li@wharf.test".into(),
            },
            to: parse_recipients("to", r#""Wang, Li" <li@x.com>, 王丽 <wl@x.com>"#).unwrap(),
            cc: parse_recipients("cc", "Buyer <buyer@example.com>").unwrap(),
            subject: "Quote".into(),
            text: "Hello".into(),
            ..Default::default()
        };
        let built = build(&d, "wharf.test", "n1").unwrap();
        let raw = String::from_utf8_lossy(&built.bytes);
        let to_line = raw.lines().find(|l| l.starts_with("To:")).unwrap();
        assert!(to_line.is_ascii(), "non-ASCII names are encoded: {to_line}");
        assert_eq!(
            built.recipients,
            ["li@x.com", "wl@x.com", "buyer@example.com"]
        );
        let p = crate::parse(&built.bytes).unwrap();
        let to: Vec<(&str, &str)> =
            p.to.iter()
                .map(|m| (m.name.as_str(), m.address.as_str()))
                .collect();
        assert_eq!(to, [("Wang, Li", "li@x.com"), ("王丽", "wl@x.com")]);
        assert_eq!(p.cc[0].name, "Buyer");
    }

    #[test]
    fn bad_recipients() {
        let none = Draft::default();
        assert_eq!(
            build(&none, "x.test", "1").unwrap_err().code,
            "no_recipient"
        );
        assert_eq!(reply_subject("Re: x"), "Re: x");
        assert_eq!(reply_subject("回复：x"), "Re: 回复：x");
    }
}
