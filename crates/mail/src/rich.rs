//! Rich-text mail from the editor (SPEC SEND-1): the editor's HTML cleaned for the
//! recipient (no scripts, handlers or forms, whatever the browser sent), images pasted
//! or dropped into it (`data:` URLs) turned into inline parts referenced by `cid:`, and
//! the plain-text alternative derived from it. Pure: HTML in, parts out.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

/// One image carried inside the message (multipart/related).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineImage {
    /// Without angle brackets.
    pub content_id: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
pub struct RichBody {
    pub html: String,
    pub text: String,
    pub images: Vec<InlineImage>,
}

const TAGS: &[&str] = &[
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "colgroup",
    "col",
    "font",
    "center",
    "span",
    "div",
    "p",
    "br",
    "hr",
    "img",
    "figure",
    "figcaption",
];
const ATTRIBUTES: &[&str] = &[
    "style",
    "align",
    "valign",
    "width",
    "height",
    "border",
    "cellpadding",
    "cellspacing",
    "colspan",
    "rowspan",
    "bgcolor",
    "color",
    "face",
    "size",
    "dir",
];

/// `data:image/png;base64,…` → (content type, bytes).
fn decode_data_image(url: &str) -> Option<(String, Vec<u8>)> {
    let rest = url.trim().strip_prefix("data:")?;
    let (meta, payload) = rest.split_once(',')?;
    let content_type = meta.strip_suffix(";base64")?.trim().to_ascii_lowercase();
    if !matches!(
        content_type.as_str(),
        "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/bmp"
    ) {
        return None;
    }
    let clean: Vec<u8> = payload
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let bytes = mail_parser::decoders::base64::base64_decode(&clean)?;
    (!bytes.is_empty()).then_some((content_type, bytes))
}

/// Cleans the editor's HTML. `domain` names our side in the images' Content-IDs and
/// `unique` keeps them apart from other messages'.
pub fn from_editor(html: &str, domain: &str, unique: &str) -> RichBody {
    let images: Arc<Mutex<Vec<InlineImage>>> = Arc::default();
    let found = images.clone();
    let (domain, unique) = (domain.to_string(), unique.to_string());
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(TAGS)
        .add_generic_attributes(ATTRIBUTES)
        .add_tag_attributes("img", &["src", "alt", "title"])
        .url_schemes(
            ["http", "https", "mailto", "tel", "cid", "data"]
                .into_iter()
                .collect(),
        )
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(
            move |element, attribute, value| match (element, attribute) {
                ("img", "src") => {
                    if value.trim_start().starts_with("data:") {
                        let (content_type, bytes) = decode_data_image(value)?;
                        let mut list = found.lock().ok()?;
                        let content_id = format!("img{}.{unique}@{domain}", list.len() + 1);
                        list.push(InlineImage {
                            content_id: content_id.clone(),
                            content_type,
                            bytes,
                        });
                        Some(Cow::Owned(format!("cid:{content_id}")))
                    } else {
                        Some(Cow::Borrowed(value))
                    }
                }
                (_, "href") if value.trim_start().to_ascii_lowercase().starts_with("data:") => None,
                _ => Some(Cow::Borrowed(value)),
            },
        );
    let html = builder.clean(html).to_string();
    let images = images.lock().map(|l| l.clone()).unwrap_or_default();
    let text = plain_text(&html);
    RichBody { html, text, images }
}

/// The plain-text alternative of cleaned HTML: paragraphs and line breaks kept, quoted
/// blocks as "> " lines, list items as "- ", table cells separated by " | ", links
/// followed by their address. Expects ammonia's output (well-formed, quoted attributes).
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut quote_depth = 0usize;
    let mut at_line_start = true;
    let mut cells_in_row = 0usize;
    let mut link: Option<String> = None;
    let mut rest = html;
    fn newline(out: &mut String, at_line_start: &mut bool) {
        out.push('\n');
        *at_line_start = true;
    }
    while !rest.is_empty() {
        if let Some(tag_text) = rest.strip_prefix('<') {
            let end = tag_text.find('>').unwrap_or(tag_text.len());
            let tag = &tag_text[..end];
            rest = tag_text.get(end + 1..).unwrap_or("");
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            match (name.as_str(), closing) {
                ("br", _) => newline(&mut out, &mut at_line_start),
                ("blockquote", false) => {
                    if !at_line_start {
                        newline(&mut out, &mut at_line_start);
                    }
                    quote_depth += 1;
                }
                ("blockquote", true) => {
                    quote_depth = quote_depth.saturating_sub(1);
                    if !at_line_start {
                        newline(&mut out, &mut at_line_start);
                    }
                }
                ("tr", false) => cells_in_row = 0,
                ("td" | "th", false) => {
                    if cells_in_row > 0 {
                        out.push_str(" | ");
                    }
                    cells_in_row += 1;
                }
                ("li", false) => {
                    if !at_line_start {
                        newline(&mut out, &mut at_line_start);
                    }
                    out.push_str(&"> ".repeat(quote_depth));
                    out.push_str("- ");
                    at_line_start = false;
                }
                ("hr", _) => {
                    if !at_line_start {
                        newline(&mut out, &mut at_line_start);
                    }
                    out.push_str("----");
                    newline(&mut out, &mut at_line_start);
                }
                ("a", false) => {
                    link = tag
                        .split("href=\"")
                        .nth(1)
                        .and_then(|h| h.split('"').next())
                        .map(decode_entities)
                        .filter(|h| h.starts_with("http") || h.starts_with("mailto:"));
                }
                ("a", true) => {
                    if let Some(h) = link.take() {
                        let shown = h.trim_start_matches("mailto:");
                        if !out.ends_with(shown) {
                            out.push_str(&format!(" <{h}>"));
                        }
                    }
                }
                (
                    "p" | "div" | "tr" | "table" | "ul" | "ol" | "li" | "h1" | "h2" | "h3" | "h4"
                    | "h5" | "h6" | "pre" | "figure" | "caption",
                    _,
                ) if !at_line_start => newline(&mut out, &mut at_line_start),
                _ => {}
            }
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        let text = decode_entities(&rest[..end]);
        rest = &rest[end..];
        for (i, piece) in text.split_whitespace().enumerate() {
            if at_line_start {
                out.push_str(&"> ".repeat(quote_depth));
                at_line_start = false;
            } else if i > 0 || text.starts_with(char::is_whitespace) {
                out.push(' ');
            }
            out.push_str(piece);
        }
        if text.ends_with(char::is_whitespace) && !at_line_start && !text.trim().is_empty() {
            out.push(' ');
        }
    }
    // Tidy: no trailing spaces, at most one empty line in a row.
    let mut tidy = String::with_capacity(out.len());
    let mut empty_run = 0;
    for line in out.lines() {
        let line = line.trim_end();
        let empty = line.trim_start_matches('>').trim().is_empty();
        empty_run = if empty { empty_run + 1 } else { 0 };
        if empty_run <= 1 {
            tidy.push_str(line);
            tidy.push('\n');
        }
    }
    tidy.trim().to_string()
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Plain text as the editor's starting HTML: escaped, paragraphs and line breaks kept.
pub fn text_as_editor_html(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        out.push_str("<div>");
        if line.is_empty() {
            out.push_str("<br>");
        }
        wharf_core::html::push_escaped(&mut out, line);
        out.push_str("</div>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // A 1x1 PNG.
    const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    #[test]
    fn images_become_inline_parts_and_scripts_go() {
        let html = format!(
            "<p onclick=\"x()\"><b>Price</b> list</p><script>alert(1)</script>\
             <table border=\"1\"><tr><td>FOB</td><td>US$ 12</td></tr></table>\
             <img src=\"data:image/png;base64,{PNG}\" alt=\"logo\">\
             <img src=\"data:text/html;base64,PHNjcmlwdD4=\">\
             <a href=\"javascript:alert(1)\">x</a>"
        );
        let r = from_editor(&html, "wharf.test", "u1");
        assert_eq!(r.images.len(), 1);
        assert_eq!(r.images[0].content_type, "image/png");
        assert_eq!(&r.images[0].bytes[1..4], b"PNG");
        assert!(
            r.html.contains("src=\"cid:img1.u1@wharf.test\""),
            "{}",
            r.html
        );
        assert!(!r.html.contains("script") && !r.html.contains("onclick"));
        assert!(!r.html.contains("javascript") && !r.html.contains("data:"));
        assert!(r.html.contains("<table border=\"1\">"));
        assert!(r.text.contains("Price list"), "{}", r.text);
        assert!(r.text.contains("FOB") && r.text.contains("US$ 12"));
    }

    #[test]
    fn the_plain_text_alternative_keeps_structure() {
        let html = "<div>Dear Tom,</div><div><br></div><p>Price: <b>12</b>&nbsp;USD &amp; up</p>\
                    <ul><li>FOB</li><li>CIF</li></ul><table><tr><td>Item</td><td>Qty</td></tr><tr><td>A</td><td>5</td></tr></table>\
                    <div>See <a href=\"https://example.com/q\">our list</a></div>\
                    <div>On Monday, Tom wrote:</div><blockquote><div>Please quote.</div><div>Thanks</div></blockquote>";
        let text = plain_text(html);
        assert_eq!(
            text,
            "Dear Tom,\n\nPrice: 12 USD & up\n- FOB\n- CIF\nItem | Qty\nA | 5\nSee our list <https://example.com/q>\nOn Monday, Tom wrote:\n> Please quote.\n> Thanks"
        );
    }

    #[test]
    fn plain_text_starts_the_editor_escaped() {
        assert_eq!(
            text_as_editor_html("a<b>\n\n> q"),
            "<div>a&lt;b&gt;</div><div><br></div><div>&gt; q</div>"
        );
    }
}
