//! Highlighted snippets: the passage of a text with most of the words searched for, as
//! escaped HTML with those words in `<mark>`. Our own (not tantivy's generator) because
//! the parts of a Chinese word overlap it, which that generator does not expect.

use std::collections::HashSet;

use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use wharf_core::html::escape;

use crate::schema::cut;

/// Text beyond this is not looked at (the start is what a result shows).
const TEXT_MAX: usize = 20_000;

pub struct Highlighter {
    terms: HashSet<String>,
    /// An unfinished last word's beginnings (suggestions): the words they begin too.
    begins: Vec<String>,
    analyzer: TextAnalyzer,
}

impl Highlighter {
    /// `words`: the words and phrases searched for (not those left out).
    pub fn new<S: AsRef<str>>(mut analyzer: TextAnalyzer, words: &[S]) -> Highlighter {
        // The words themselves, not the parts the index also keeps of them (their
        // characters and pairs), which would mark every 报 for 报价.
        let mut terms = HashSet::new();
        for w in words {
            let mut stream = analyzer.token_stream(w.as_ref());
            let mut last = usize::MAX;
            while stream.advance() {
                let t = stream.token();
                if t.position != last {
                    terms.insert(t.text.clone());
                    last = t.position;
                }
            }
        }
        Highlighter {
            terms,
            begins: Vec::new(),
            analyzer,
        }
    }

    /// Also marks the words that begin with one of these (lower case).
    pub fn with_beginnings(mut self, begins: &[String]) -> Highlighter {
        self.begins = begins.to_vec();
        self
    }

    /// Byte ranges of the words found, in order, overlaps merged.
    fn ranges(&mut self, text: &str) -> Vec<(usize, usize)> {
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        if self.terms.is_empty() && self.begins.is_empty() {
            return ranges;
        }
        let mut stream = self.analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            if self.terms.contains(&t.text)
                || self.begins.iter().any(|b| t.text.starts_with(b.as_str()))
            {
                ranges.push((t.offset_from, t.offset_to));
            }
        }
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (s, e) in ranges {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        merged
    }

    /// About `max_chars` characters around the first words found (or from the start
    /// when none is), escaped, words found marked.
    pub fn html(&mut self, text: &str, max_chars: usize) -> String {
        let text = cut(text, TEXT_MAX);
        let ranges = self.ranges(text);
        // The window: from a little before the first match, whole characters.
        let first = ranges.first().map_or(0, |r| r.0);
        let lead = if max_chars > 60 { 30 } else { 0 };
        let mut start = first;
        let mut back = 0;
        while start > 0 && back < lead {
            start -= 1;
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            back += 1;
        }
        let end = text[start..]
            .char_indices()
            .nth(max_chars)
            .map_or(text.len(), |(i, _)| start + i);
        let mut html = String::new();
        if start > 0 {
            html.push('…');
        }
        let mut at = start;
        for (s, e) in ranges {
            if s < start || e > end {
                continue;
            }
            html.push_str(&escape(&text[at..s]));
            html.push_str("<mark>");
            html.push_str(&escape(&text[s..e]));
            html.push_str("</mark>");
            at = e;
        }
        html.push_str(&escape(&text[at..end]));
        if end < text.len() {
            html.push('…');
        }
        collapse_space(&html)
    }
}

/// Line breaks and runs of spaces as one space (a snippet is one line).
fn collapse_space(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut space = false;
    for c in html.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzer::text_analyzer;

    #[test]
    fn marks_words_and_escapes_the_rest() {
        let mut h = Highlighter::new(text_analyzer(), &["shipping", "报价"]);
        let html = h.html("<b>Ship</b> the 报价单 & samples\nnow", 200);
        assert_eq!(
            html,
            "&lt;b&gt;<mark>Ship</mark>&lt;/b&gt; the <mark>报价</mark>单 &amp; samples now"
        );
    }

    #[test]
    fn parts_of_a_word_are_not_marked_alone() {
        let mut h = Highlighter::new(text_analyzer(), &["报价"]);
        assert_eq!(
            h.html("报告 价格 报价单", 200),
            "报告 价格 <mark>报价</mark>单"
        );
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_match() {
        let text = format!("{} needle {}", "hay ".repeat(200), "straw ".repeat(200));
        let mut h = Highlighter::new(text_analyzer(), &["needle"]);
        let html = h.html(&text, 80);
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>needle</mark>"));
        let mut none = Highlighter::new::<&str>(text_analyzer(), &[]);
        assert_eq!(none.html("short text", 80), "short text");
    }
}
