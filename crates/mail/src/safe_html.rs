//! Mail HTML made safe to show (SPEC MAIL-6): ammonia keeps layout (tables, fonts,
//! inline styles) and drops scripts, event handlers, forms, frames, `javascript:` and
//! `data:` links and every other active part; remote images are removed until the user
//! allows them; `cid:` images become `data:` URLs from the message's own parts. The page
//! shows the result in a sandboxed frame under a content security policy that blocks
//! anything this pass might miss: two walls, not one.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Clone)]
pub struct SafeHtml {
    pub html: String,
    /// Remote images left out (0 when they were allowed).
    pub blocked_images: usize,
}

const LAYOUT_ATTRIBUTES: &[&str] = &[
    "style",
    "align",
    "valign",
    "bgcolor",
    "width",
    "height",
    "border",
    "cellpadding",
    "cellspacing",
    "color",
    "face",
    "size",
    "dir",
    "lang",
    "title",
];

const LAYOUT_TAGS: &[&str] = &[
    "font", "center", "span", "div", "img", "table", "tbody", "thead", "tfoot", "tr", "td", "th",
    "caption", "colgroup", "col",
];

fn is_image_data_url(v: &str) -> bool {
    let lower = v.trim_start().to_ascii_lowercase();
    [
        "data:image/png",
        "data:image/gif",
        "data:image/jpeg",
        "data:image/webp",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// Sanitises `html`. `inline_images` maps Content-IDs to `data:` URLs.
pub fn sanitize(
    html: &str,
    allow_remote_images: bool,
    inline_images: HashMap<String, String>,
) -> SafeHtml {
    let blocked = Arc::new(AtomicUsize::new(0));
    let counter = blocked.clone();
    let cids = Arc::new(inline_images);
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(LAYOUT_TAGS)
        .add_generic_attributes(LAYOUT_ATTRIBUTES)
        .add_tag_attributes("img", &["src", "alt"])
        .url_schemes(
            ["http", "https", "mailto", "tel", "cid", "data"]
                .into_iter()
                .collect(),
        )
        .link_rel(Some("noopener noreferrer"))
        .set_tag_attribute_value("a", "target", "_blank")
        .attribute_filter(move |element, attribute, value| {
            let v = value.trim();
            let lower = v.to_ascii_lowercase();
            match (element, attribute) {
                ("img", "src") => {
                    if let Some(cid) = lower.strip_prefix("cid:") {
                        let key = v[4..].trim_matches(['<', '>']).to_string();
                        return cids
                            .get(&key)
                            .or_else(|| cids.get(cid))
                            .map(|url| Cow::Owned(url.clone()));
                    }
                    if is_image_data_url(v) {
                        return Some(Cow::Borrowed(value));
                    }
                    if lower.starts_with("http://")
                        || lower.starts_with("https://")
                        || lower.starts_with("//")
                    {
                        if allow_remote_images && !lower.starts_with("//") {
                            return Some(Cow::Borrowed(value));
                        }
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                    None
                }
                (_, "style") => {
                    // No CSS that loads or runs anything (the frame's policy blocks it
                    // too): drop declarations with url(), expression() or imports.
                    if [
                        "url(",
                        "expression",
                        "@import",
                        "javascript:",
                        "behavior",
                        "-moz-binding",
                    ]
                    .iter()
                    .any(|bad| lower.contains(bad))
                    {
                        None
                    } else {
                        Some(Cow::Borrowed(value))
                    }
                }
                (_, "href") if lower.starts_with("data:") || lower.starts_with("cid:") => None,
                _ => Some(Cow::Borrowed(value)),
            }
        });
    let html = builder.clean(html).to_string();
    SafeHtml {
        html,
        blocked_images: blocked.load(Ordering::Relaxed),
    }
}

/// A script the frame may run, allowed by its hash (`sha256-…` in base64): the only
/// script there, since the mail itself keeps none.
pub struct FrameScript<'a> {
    pub source: &'a str,
    pub hash: &'a str,
}

/// The document for the sandboxed frame: the policy, a base target and plain styling
/// around the sanitised body; with `script` (the page's size reporter) allowed by hash.
pub fn frame_document(
    safe: &SafeHtml,
    allow_remote_images: bool,
    script: Option<&FrameScript<'_>>,
) -> String {
    let img = if allow_remote_images {
        "data: https: http:"
    } else {
        "data:"
    };
    let (script_src, script_tag) = match script {
        Some(s) => (
            format!(" script-src '{}';", s.hash),
            format!("<script>{}</script>", s.source),
        ),
        None => (String::new(), String::new()),
    };
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';{script_src} style-src 'unsafe-inline'; img-src {img}; font-src data:; form-action 'none'\">\
         <base target=\"_blank\"><style>body{{font-family:system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;font-size:14px;line-height:1.5;color:#1c2733;margin:8px;overflow-wrap:anywhere}}img{{max-width:100%;height:auto}}pre{{white-space:pre-wrap}}body>pre,body>details>pre{{font-family:inherit;margin:0}}details>pre{{color:#5f6b76;border-left:3px solid #dde3e9;padding-left:.6rem}}summary{{color:#0b5cad;cursor:pointer;margin:.4rem 0;font-size:13px}}</style></head>\
         <body>{}{script_tag}</body></html>",
        safe.html
    )
}

/// A plain-text body as HTML (escaped, line breaks kept).
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    out.push_str("<pre>");
    wharf_core::html::push_escaped(&mut out, text);
    out.push_str("</pre>");
    out
}

/// A plain-text body as HTML with its quoted parts folded behind `show_quoted` (a
/// `<details>`, which opens without any script).
pub fn text_to_folded_html(text: &str, show_quoted: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for run in wharf_core::mail::quoted::runs(text) {
        if run.text.trim().is_empty() {
            continue;
        }
        if run.quoted {
            out.push_str("<details><summary>");
            wharf_core::html::push_escaped(&mut out, show_quoted);
            out.push_str("</summary>");
            out.push_str(&text_to_html(run.text));
            out.push_str("</details>");
        } else {
            out.push_str(&text_to_html(run.text));
        }
    }
    if out.is_empty() {
        out.push_str("<pre></pre>");
    }
    out
}

/// Attachment names whose type can run code when opened (warned before download).
pub fn is_risky_filename(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit('.').next().unwrap_or("");
    matches!(
        ext,
        "exe"
            | "scr"
            | "com"
            | "bat"
            | "cmd"
            | "pif"
            | "msi"
            | "msp"
            | "js"
            | "jse"
            | "vbs"
            | "vbe"
            | "wsf"
            | "wsh"
            | "ps1"
            | "hta"
            | "jar"
            | "lnk"
            | "reg"
            | "cpl"
            | "iso"
            | "img"
            | "vhd"
            | "docm"
            | "xlsm"
            | "pptm"
            | "dotm"
            | "xlam"
            | "html"
            | "htm"
            | "svg"
            | "chm"
            | "apk"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_content_goes_layout_stays() {
        let dirty = r##"<table width="100%" bgcolor="#eee"><tr><td style="color:red">Price</td></tr></table>
<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>
<a href="https://example.com/p">ok</a><form action="https://evil"><input name=p></form>
<iframe src="https://evil"></iframe><svg onload=alert(1)><circle/></svg>
<div style="background:url(https://track/p.gif)">bg</div><meta http-equiv="refresh" content="0;url=https://evil">
<img src="https://track.example/pixel.gif"><img src="cid:logo@x"><a href="data:text/html,<script>alert(1)</script>">d</a>"##;
        let mut cids = HashMap::new();
        cids.insert(
            "logo@x".to_string(),
            "data:image/png;base64,iVBORw0KGgo=".to_string(),
        );
        let safe = sanitize(dirty, false, cids);
        let h = safe.html.to_lowercase();
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "<form",
            "<iframe",
            "<svg",
            "onload",
            "url(",
            "<meta",
            "track.example",
            "data:text",
        ] {
            assert!(!h.contains(bad), "{bad} left in {h}");
        }
        assert!(h.contains("<table") && h.contains("bgcolor") && h.contains("color:red"));
        assert!(h.contains("data:image/png;base64"), "cid image inlined");
        assert!(h.contains("target=\"_blank\""));
        assert_eq!(safe.blocked_images, 1);
        let allowed = sanitize(
            r#"<img src="https://img.example/a.png">"#,
            true,
            HashMap::new(),
        );
        assert!(allowed.html.contains("https://img.example/a.png"));
        assert_eq!(allowed.blocked_images, 0);
    }

    #[test]
    fn risky_names() {
        assert!(is_risky_filename("invoice.pdf.exe"));
        assert!(is_risky_filename("Order.DOCM"));
        assert!(!is_risky_filename("quote.pdf"));
        assert_eq!(text_to_html("a<b>&"), "<pre>a&lt;b&gt;&amp;</pre>");
    }
}
