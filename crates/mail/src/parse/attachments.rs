//! Attachments and inline parts: their decoded bytes (the transfer encoding undone and
//! nothing else: text stays in its own charset), the declared type with its charset,
//! and a name as a mail client shows it.

use mail_parser::{Message, MessagePart, MimeHeaders, PartType};

use super::Attachment;
use super::body::Body;
use super::headers::{HeaderCharset, clean_id};
use super::transfer::{self, Transfer};
use crate::hash::sha256_hex;

/// The declared `type/subtype` (lower-cased) with its charset parameter, if any.
fn content_type(part: &MessagePart) -> String {
    let Some(ct) = part.content_type() else {
        // In a multipart/digest a part without a type is a message (RFC 2046 5.1.5).
        return if matches!(part.body, PartType::Message(_)) {
            "message/rfc822".into()
        } else {
            "application/octet-stream".into()
        };
    };
    let mut s = match &ct.c_subtype {
        Some(sub) => format!("{}/{}", ct.c_type, sub),
        None => ct.c_type.to_string(),
    }
    .to_ascii_lowercase();
    if let Some(cs) = ct.attribute("charset") {
        let cs: String = cs
            .trim()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || "-_.:".contains(*c))
            .collect();
        if !cs.is_empty() {
            s.push_str("; charset=");
            s.push_str(&cs);
        }
    }
    s
}

/// The part's bytes as a download: the transfer encoding undone, nothing else.
pub(crate) fn part_bytes(part: &MessagePart, raw: &[u8]) -> Option<Vec<u8>> {
    Some(match &part.body {
        PartType::Multipart(_) => return None,
        PartType::Message(m) => m.raw_message().to_vec(),
        // One lenient decoder for every kind of part, text or binary.
        _ => transfer::decoded_body(part, raw),
    })
}

fn location_name(part: &MessagePart) -> Option<String> {
    let loc = part.content_location()?.trim();
    let path = loc.split(['?', '#']).next().unwrap_or(loc);
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path).trim();
    (!name.is_empty() && !name.contains(':')).then(|| name.to_string())
}

pub(crate) fn attachment(
    part: &MessagePart,
    raw: &[u8],
    charset: &HeaderCharset,
    inline_hint: Option<bool>,
) -> Option<Attachment> {
    let bytes = part_bytes(part, raw)?;
    let mut filename = super::names::filename(part, raw, charset)
        .or_else(|| part.attachment_name().map(|n| n.trim().to_string()))
        .filter(|n| !n.is_empty())
        .or_else(|| location_name(part))
        .or_else(|| {
            part.message()
                .and_then(|m| m.subject())
                .map(|s| format!("{s}.eml"))
        })
        .unwrap_or_default();
    if filename.is_empty() && transfer::declared(part) == Transfer::Uuencode {
        let body = transfer::encoded_body(part, raw);
        if let Ok(block) = uuencoding::decode(body) {
            filename = block.metadata.filename;
        }
    }
    let inline = inline_hint.unwrap_or_else(|| {
        matches!(part.body, PartType::InlineBinary(_))
            || part
                .content_disposition()
                .is_some_and(|cd| cd.c_type.eq_ignore_ascii_case("inline"))
    });
    Some(Attachment {
        hash: sha256_hex(&bytes),
        filename,
        content_type: content_type(part),
        // A related part the HTML names by location goes by that location.
        content_id: part.content_id().map(clean_id).or_else(|| {
            inline_hint
                .filter(|i| *i)
                .and(part.content_location())
                .map(|l| l.trim().to_string())
        }),
        inline,
        unpacked: false,
        bytes,
    })
}

/// Every attachment of the message, in part order: the parser's attachments without
/// the parts shown as the body, plus the related parts it took for bodies.
pub(crate) fn collect(
    message: &Message,
    raw: &[u8],
    charset: &HeaderCharset,
    body: &Body,
) -> Vec<Attachment> {
    let mut ids: Vec<usize> = message
        .attachments
        .iter()
        .map(|id| *id as usize)
        .filter(|id| !body.body_parts.contains(id))
        .collect();
    for (id, _) in &body.related {
        if !ids.contains(id)
            && !matches!(
                message.parts.get(*id).map(|p| &p.body),
                Some(PartType::Multipart(_))
            )
        {
            ids.push(*id);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| {
            let part = message.parts.get(id)?;
            let hint = body
                .related
                .iter()
                .find(|(r, _)| *r == id)
                .map(|(_, inline)| *inline);
            attachment(part, raw, charset, hint)
        })
        .collect()
}

/// An attachment made from a file found inside the message (uuencode, yEnc, BinHex,
/// TNEF): its type guessed from the name.
pub(crate) fn found_file(
    name: String,
    bytes: Vec<u8>,
    mime: Option<String>,
    content_id: Option<String>,
) -> Attachment {
    let content_type = mime
        .filter(|m| m.contains('/'))
        .unwrap_or_else(|| guess_type(&name).to_string())
        .to_ascii_lowercase();
    Attachment {
        hash: sha256_hex(&bytes),
        filename: name,
        content_type,
        content_id: content_id.map(|c| clean_id(&c)),
        inline: false,
        unpacked: true,
        bytes,
    }
}

fn guess_type(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "txt" => "text/plain",
        "htm" | "html" => "text/html",
        "rtf" => "application/rtf",
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "zip" => "application/zip",
        "doc" => "application/msword",
        "xls" => "application/vnd.ms-excel",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}
