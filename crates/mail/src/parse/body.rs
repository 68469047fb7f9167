//! Which parts are the message's body and how their text is read: the first text and
//! HTML bodies, an undeclared 8-bit body in the detected charset, and the root of a
//! `multipart/related` (MHTML) chosen as RFC 2387 says: the part named by `start`,
//! else the first.

use mail_parser::{Message, MessagePart, MimeHeaders, PartType};

use super::charset::{self, Declared};
use super::transfer;

/// The body the reader sees, and which parts it used.
#[derive(Debug, Default)]
pub(crate) struct Body {
    pub text: String,
    /// The text part's bytes with only the transfer encoding undone.
    pub text_bytes: Vec<u8>,
    pub html: Option<String>,
    /// The related root and its descendants: shown, not attachments.
    pub body_parts: Vec<usize>,
    /// Non-root parts of a `multipart/related`, with whether the root refers to them.
    pub related: Vec<(usize, bool)>,
    /// Content-Locations the root refers to, of parts without a Content-ID: the HTML
    /// refers to them as `cid:<location>` so the reading pane can show them.
    pub locations: Vec<String>,
}

fn declared(part: &MessagePart) -> Option<Declared> {
    part.content_type()
        .and_then(|ct| ct.attribute("charset"))
        .and_then(Declared::from_label)
}

/// A text or HTML part's text; a part without a declared charset whose bytes are not
/// UTF-8 is decoded in the detected charset instead of with replacement characters.
pub(crate) fn part_text(part: &MessagePart, raw: &[u8]) -> Option<String> {
    let parsed = match &part.body {
        PartType::Text(t) | PartType::Html(t) => t.as_ref(),
        _ => return None,
    };
    if declared(part).is_none() && parsed.contains('\u{FFFD}') {
        let bytes = transfer::decoded_body(part, raw);
        return Some(charset::decode(&bytes, None, b""));
    }
    Some(parsed.to_string())
}

fn is_html(part: &MessagePart) -> bool {
    matches!(part.body, PartType::Html(_))
}

pub(crate) fn choose(message: &Message, raw: &[u8]) -> Body {
    let mut body = Body::default();
    body.text = match message
        .text_body
        .first()
        .and_then(|id| message.parts.get(*id as usize))
    {
        Some(p) if matches!(p.body, PartType::Text(_)) => {
            body.text_bytes = transfer::decoded_body(p, raw);
            part_text(p, raw).unwrap_or_default()
        }
        _ => message
            .body_text(0)
            .map(std::borrow::Cow::into_owned)
            .unwrap_or_default(),
    };
    body.html = message
        .html_body
        .first()
        .and_then(|id| message.parts.get(*id as usize))
        .filter(|p| is_html(p))
        .and_then(|p| part_text(p, raw));
    related_root(message, raw, &mut body);
    if body.text.trim().is_empty()
        && let Some(html) = &body.html
    {
        body.text = mail_parser::decoders::html::html_to_text(html);
    }
    body
}

fn children(message: &Message, id: usize) -> Vec<usize> {
    match message.parts.get(id).map(|p| &p.body) {
        Some(PartType::Multipart(ids)) => ids.iter().map(|i| *i as usize).collect(),
        _ => Vec::new(),
    }
}

fn descendants(message: &Message, id: usize, out: &mut Vec<usize>) {
    out.push(id);
    for c in children(message, id) {
        if !out.contains(&c) {
            descendants(message, c, out);
        }
    }
}

fn related_root(message: &Message, raw: &[u8], body: &mut Body) {
    let Some(rel) = message.parts.iter().position(|p| {
        matches!(p.body, PartType::Multipart(_))
            && p.content_type().is_some_and(|ct| {
                ct.c_type.eq_ignore_ascii_case("multipart")
                    && ct
                        .c_subtype
                        .as_deref()
                        .is_some_and(|s| s.eq_ignore_ascii_case("related"))
            })
    }) else {
        return;
    };
    let kids = children(message, rel);
    let start = message.parts[rel]
        .content_type()
        .and_then(|ct| ct.attribute("start"))
        .map(super::headers::clean_id);
    let root = start
        .and_then(|s| {
            kids.iter().copied().find(|k| {
                message.parts[*k]
                    .content_id()
                    .is_some_and(|cid| super::headers::clean_id(cid) == s)
            })
        })
        .or_else(|| kids.first().copied());
    let Some(root) = root else { return };
    let mut shown = Vec::new();
    descendants(message, root, &mut shown);
    let root_html = shown
        .iter()
        .filter_map(|id| message.parts.get(*id))
        .find(|p| is_html(p))
        .and_then(|p| part_text(p, raw));
    let root_text = shown
        .iter()
        .filter_map(|id| message.parts.get(*id))
        .find(|p| matches!(p.body, PartType::Text(_)))
        .and_then(|p| part_text(p, raw));
    if let Some(html) = root_html {
        body.html = Some(html);
    }
    if let Some(text) = root_text {
        body.text = text;
    } else if body.text.trim().is_empty() {
        body.text.clear();
    }
    let html = body.html.clone().unwrap_or_default();
    for k in kids.into_iter().filter(|k| *k != root) {
        let part = &message.parts[k];
        let by_cid = part
            .content_id()
            .map(super::headers::clean_id)
            .is_some_and(|cid| html.contains(&format!("cid:{cid}")));
        let by_location = part
            .content_location()
            .is_some_and(|loc| !loc.trim().is_empty() && html.contains(loc.trim()));
        if by_location
            && !by_cid
            && part.content_id().is_none()
            && let Some(loc) = part.content_location()
        {
            body.locations.push(loc.trim().to_string());
        }
        body.related.push((k, by_cid || by_location));
    }
    if let Some(html) = body.html.as_mut() {
        for loc in &body.locations {
            for quote in ['"', '\''] {
                *html = html.replace(
                    &format!("={quote}{loc}{quote}"),
                    &format!("={quote}cid:{loc}{quote}"),
                );
            }
        }
    }
    body.body_parts = shown;
}

/// A message with no body but an unnamed text or HTML "attachment" (the parser set
/// aside a body part it could not decode cleanly): that part is the body, as a mail
/// client shows it.
pub(crate) fn adopt_unnamed_text(body: &mut Body, attachments: &mut Vec<super::Attachment>) {
    let Some(i) = attachments.iter().position(|a| {
        a.filename.is_empty()
            && !a.unpacked
            && (a.content_type.starts_with("text/html") || a.content_type.starts_with("text/plain"))
    }) else {
        return;
    };
    let a = attachments.remove(i);
    let declared = a
        .content_type
        .split_once("charset=")
        .and_then(|(_, cs)| Declared::from_label(cs));
    let text = charset::decode(&a.bytes, declared, b"");
    if a.content_type.starts_with("text/html") {
        body.text = mail_parser::decoders::html::html_to_text(&text);
        body.html = Some(text);
    } else {
        body.text_bytes = a.bytes;
        body.text = text;
    }
}
