//! How text becomes index terms. Runs of Chinese characters are cut into words by jieba
//! (its dictionary sub-words of a long word are indexed at the word's position too, so
//! 报价 finds 报价单); everything else is split into runs of letters and digits. Words are
//! lower-cased and English words stemmed. Positions count words, so a quoted phrase
//! matches words that stand together whatever the spacing or punctuation between them.

use std::sync::LazyLock;

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use tantivy_jieba::jieba_rs::Jieba;

/// The analyzer's name in the index's tokenizer manager.
pub const TEXT: &str = "wharf_text";

/// jieba's dictionary, loaded once per process (it takes a moment).
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// The analyzer every text field uses, at indexing and at query time.
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(MixedTokenizer)
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Loads the dictionary now rather than in the first search.
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Splits Chinese runs with jieba and other text into letter-and-digit words.
#[derive(Clone, Copy, Default)]
pub struct MixedTokenizer;

impl Tokenizer for MixedTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream {
            tokens: tokenize(text),
            next: 0,
        }
    }
}

pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut position = 0usize;
    let mut run_start: Option<(usize, bool)> = None;
    let flush = |start: usize, end: usize, han: bool, out: &mut Vec<Token>, pos: &mut usize| {
        if han {
            han_words(text, start, end, out, pos);
        } else {
            out.push(Token {
                offset_from: start,
                offset_to: end,
                position: *pos,
                text: text[start..end].to_string(),
                position_length: 1,
            });
            *pos += 1;
        }
    };
    for (i, c) in text.char_indices() {
        let class = if is_han(c) {
            Some(true)
        } else if c.is_alphanumeric() {
            Some(false)
        } else {
            None
        };
        match (run_start, class) {
            (Some((_, han)), Some(h)) if han == h => {}
            (Some((s, han)), _) => {
                flush(s, i, han, &mut out, &mut position);
                run_start = class.map(|h| (i, h));
            }
            (None, Some(h)) => run_start = Some((i, h)),
            (None, None) => {}
        }
    }
    if let Some((s, han)) = run_start {
        flush(s, text.len(), han, &mut out, &mut position);
    }
    out
}

/// jieba's search-mode cut of one run of Chinese characters: each word takes the next
/// position; a dictionary word inside it takes the same position.
fn han_words(text: &str, start: usize, end: usize, out: &mut Vec<Token>, position: &mut usize) {
    let run = &text[start..end];
    let mut words: Vec<(usize, usize)> = JIEBA
        .cut_for_search(run, true)
        .iter()
        .map(|t| (t.byte_start, t.byte_end))
        .collect();
    // Longest first at each start, so a word comes before the words inside it.
    words.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    words.dedup();
    // Inside a word of three or more characters every pair of characters is indexed
    // too: names such as 深圳华强 are one dictionary word, yet people search 华强. And
    // every character of a longer word on its own: a surname (王 of 王伟) or a single
    // character typed in the box finds the words that hold it.
    let mut pairs = Vec::new();
    for &(s, e) in &words {
        let chars: Vec<usize> = run[s..e].char_indices().map(|(i, _)| s + i).collect();
        if chars.len() >= 2 {
            for k in 0..chars.len() {
                pairs.push((chars[k], chars.get(k + 1).copied().unwrap_or(e)));
            }
        }
        if chars.len() >= 3 {
            for k in 0..chars.len() - 1 {
                let end = chars.get(k + 2).copied().unwrap_or(e);
                pairs.push((chars[k], end));
            }
        }
    }
    if !pairs.is_empty() {
        words.extend(pairs);
        words.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        words.dedup();
    }
    let mut word_end = 0usize;
    let mut word_position = *position;
    for (s, e) in words {
        if s >= word_end {
            // A word of its own (not inside the previous one).
            word_position = *position;
            *position += 1;
            word_end = e;
        }
        out.push(Token {
            offset_from: start + s,
            offset_to: start + e,
            position: word_position,
            text: run[s..e].to_string(),
            position_length: 1,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<(String, usize)> {
        let mut analyzer = text_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position));
        }
        out
    }

    fn words(text: &str) -> Vec<String> {
        terms(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn english_is_split_lowered_and_stemmed() {
        assert_eq!(
            words("Shipping the SAMPLES, alice@acme.com!"),
            vec!["ship", "the", "sampl", "alic", "acm", "com"]
        );
    }

    #[test]
    fn chinese_is_cut_into_words_with_their_parts() {
        let t = terms("我们的报价单已经发给客户");
        let w: Vec<&str> = t.iter().map(|(w, _)| w.as_str()).collect();
        assert!(w.contains(&"报价单") || w.contains(&"报价"), "{w:?}");
        assert!(w.contains(&"报价"), "{w:?}");
        assert!(w.contains(&"客户"), "{w:?}");
        // A part shares its word's position.
        let pos = |x: &str| t.iter().find(|(w, _)| w == x).map(|(_, p)| *p);
        if let (Some(a), Some(b)) = (pos("报价单"), pos("报价")) {
            assert_eq!(a, b);
        }
    }

    #[test]
    fn single_characters_inside_words_are_found_at_the_word() {
        let t = terms("王伟先生");
        let pos = |x: &str| t.iter().find(|(w, _)| w == x).map(|(_, p)| *p);
        assert!(pos("王").is_some(), "{t:?}");
        // A character shares its word's position: phrases still see one word there.
        let first_at = |p: usize| t.iter().find(|(_, q)| *q == p).map(|(w, _)| w.clone());
        assert_ne!(first_at(pos("王").unwrap()).as_deref(), Some("王"), "{t:?}");
    }

    #[test]
    fn pairs_inside_long_words_are_found() {
        let w = words("深圳华强电子有限公司");
        for x in ["深圳", "华强", "电子", "公司"] {
            assert!(w.contains(&x.to_string()), "{x} in {w:?}");
        }
    }

    #[test]
    fn mixed_text_keeps_both() {
        let t = words("LED灯泡报价 for Dubai客户");
        for w in ["led", "灯泡", "报价", "for", "dubai", "客户"] {
            assert!(t.contains(&w.to_string()), "{w} in {t:?}");
        }
    }

    #[test]
    fn positions_count_words_not_characters() {
        let t = terms("price   list -- 价格 表");
        let mut p: Vec<usize> = t.iter().map(|(_, p)| *p).collect();
        // 价 and 格 are kept at 价格's position.
        assert_eq!(p, vec![0, 1, 2, 2, 2, 3]);
        p.dedup();
        assert_eq!(p, vec![0, 1, 2, 3]);
    }
}
