//! Reading a sender's signature block (SPEC LINK-2) so that the quick entry comes
//! prefilled. The block is what follows the closing ("Best regards", "此致", a `-- `
//! line) in the mail's own text, before quoted history and disclaimers; without a
//! closing only a trailing paragraph that carries contact labels is read, and then
//! every value is marked unsure. Greeting and body lines are never a name or a title.
//! Nothing here is certain: every value is a suggestion the user sees before saving.

use crate::mail::country::{self, CountryEvidence};
use crate::mail::signature_words::{
    CLOSINGS, DISCLAIMERS, GREETINGS, TITLE_WORDS, company_like, starts_quote,
};

/// One value read from the signature, and whether the reading is sure.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Guess {
    pub value: String,
    /// False: prefilled but marked "not sure" in the form.
    pub sure: bool,
}

impl Guess {
    fn sure(value: &str) -> Guess {
        Guess {
            value: value.trim().to_string(),
            sure: true,
        }
    }
    fn unsure(value: &str) -> Guess {
        Guess {
            value: value.trim().to_string(),
            sure: false,
        }
    }
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
    fn fill(&mut self, g: Guess) {
        if self.value.is_empty() && !g.value.is_empty() {
            *self = g;
        }
    }
}

/// What a signature gave.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Signature {
    pub name: Guess,
    pub title: Guess,
    pub company: Guess,
    pub phone: Guess,
    pub mobile: Guess,
    pub website: Guess,
    pub address: Guess,
    /// An ISO 3166 code (the base data's country codes).
    pub country: Guess,
}

/// How many lines after the closing make a signature.
const BLOCK: usize = 14;

/// The label a line starts with ("Tel:", "电话：", "M:"), and the value after it.
fn after_label<'a>(line: &'a str, labels: &[&str]) -> Option<&'a str> {
    let lower = line.to_lowercase();
    // Longest first: "mob/whatsapp" before "mob".
    let mut labels = labels.to_vec();
    labels.sort_by_key(|l| std::cmp::Reverse(l.len()));
    for label in labels {
        let Some(rest) = lower.strip_prefix(label) else {
            continue;
        };
        // "Add:" is a label, "Additionally" is not; one-letter labels need a colon.
        let separated = if label.chars().count() == 1 {
            rest.starts_with([':', '：'])
        } else {
            rest.starts_with([':', '：', ' ', '.', '\t', '/']) || !label.is_ascii()
        };
        if !separated {
            continue;
        }
        // Lower-casing may change byte lengths: never cut inside a character.
        let Some(after) = line
            .len()
            .checked_sub(rest.len())
            .and_then(|cut| line.get(cut..))
        else {
            continue;
        };
        let value = after
            .trim_start_matches([':', '：', '.', ' ', '\t', '/'])
            .trim();
        if !value.is_empty() {
            return Some(value);
        }
    }
    None
}

const MOBILE: &[&str] = &[
    "mob/whatsapp",
    "mobile/whatsapp",
    "whatsapp/mobile",
    "mobile/wechat",
    "mobile",
    "mob",
    "cell",
    "handy",
    "m",
    "手机",
    "移动电话",
    "whatsapp",
    "wechat/whatsapp",
    "whatsapp/wechat",
    "wa",
];
const PHONE: &[&str] = &[
    "tel",
    "phone",
    "telephone",
    "t",
    "office",
    "direct",
    "ph",
    "电话",
    "座机",
    "固话",
];
const FAX: &[&str] = &["fax", "f", "传真"];
const EMAIL: &[&str] = &["email", "e-mail", "e", "mail", "邮箱", "邮件"];
const ADDRESS: &[&str] = &["address", "add", "addr", "adresse", "地址", "公司地址"];
const WEB: &[&str] = &["website", "web", "w", "url", "网址", "网站"];

fn looks_like_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (7..=20).contains(&digits)
        && s.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    '+' | '-' | ' ' | '(' | ')' | '.' | '/' | 'x' | 'X' | '\u{a0}'
                )
        })
}

fn website_in(line: &str) -> Option<String> {
    line.split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, '<' | '>' | '(' | ')' | ',' | ';')))
        .find(|w| {
            let l = w.to_lowercase();
            (l.starts_with("www.") || l.starts_with("http://") || l.starts_with("https://"))
                && l.len() > 6
                && !l.contains('@')
        })
        .map(str::to_string)
}

fn is_greeting(lower: &str) -> bool {
    GREETINGS.iter().any(|g| lower.starts_with(g))
}

/// The closing a line is, and any name written after it on the same line
/// ("Best regards, Jens").
fn closing(line: &str) -> Option<&str> {
    let lower = line.to_lowercase();
    if line.trim_end() == "--" || line == "-- " {
        return Some("");
    }
    if line.chars().count() > 40 {
        return None;
    }
    let phrase = CLOSINGS
        .iter()
        .filter(|c| lower.starts_with(*c))
        .max_by_key(|c| c.len())?;
    let rest = line.get(phrase.len()..)?;
    // "Thanks for the quote" is a sentence, not a closing; "Best regards, Jens" names.
    let rest = rest
        .trim_start_matches([',', '，', '!', '！', '.', '。', ' ', ':', '、'])
        .trim();
    let ok = rest.is_empty() || (phrase.is_ascii() && name_like(rest));
    ok.then_some(rest)
}

/// A person's name: a few capitalised words without digits, or two to four Chinese
/// characters.
fn name_like(line: &str) -> bool {
    let lower = line.to_lowercase();
    if line.contains('@') || line.chars().any(|c| c.is_ascii_digit()) || is_greeting(&lower) {
        return false;
    }
    let cjk = line
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    if cjk > 0 {
        return (2..=4).contains(&cjk) && line.chars().count() <= 6;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && line.chars().count() <= 40
        && words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                || matches!(*w, "bin" | "al" | "van" | "von" | "de" | "der" | "da")
        })
        && !line.ends_with([',', '.', ':', '?', '!'])
}

fn title_like(lower: &str) -> bool {
    TITLE_WORDS.iter().any(|w| lower.contains(w)) && lower.chars().count() <= 60
}

/// The own text of a mail: up to quoted history or a disclaimer, blank lines kept.
fn own_text(body: &str) -> Vec<&str> {
    body.lines()
        .map(str::trim_end)
        .take_while(|l| !starts_quote(l))
        .take_while(|l| {
            let lower = l.trim().to_lowercase();
            !DISCLAIMERS.iter().any(|d| lower.starts_with(d))
        })
        .collect()
}

/// Reads the signature of a plain-text body; `sender_domain` gives a weak country.
pub fn parse(body: &str, sender_domain: &str) -> Signature {
    let own = own_text(body);
    let close = own
        .iter()
        .rposition(|l| closing(l.trim()).is_some() || *l == "-- ");
    let (block, sure, first_name): (Vec<&str>, bool, Option<&str>) = match close {
        Some(i) => {
            let after_closing = closing(own[i].trim()).filter(|n| !n.is_empty());
            let mut rest: Vec<&str> = own[i + 1..]
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect();
            // "此致" is followed by "敬礼！".
            if rest.first().is_some_and(|l| l.starts_with("敬礼")) {
                rest.remove(0);
            }
            (rest, true, after_closing)
        }
        None => {
            // No closing: the last paragraph, if it reads like contact details.
            let end = own
                .iter()
                .rposition(|l| !l.trim().is_empty())
                .map_or(0, |e| e + 1);
            let start = own[..end]
                .iter()
                .rposition(|l| l.trim().is_empty())
                .map_or(0, |s| s + 1);
            let para: Vec<&str> = own[start..end].iter().map(|l| l.trim()).collect();
            let labelled = para.iter().any(|l| {
                after_label(l, PHONE)
                    .or_else(|| after_label(l, MOBILE))
                    .is_some_and(looks_like_phone)
            });
            if !labelled || start == 0 {
                return Signature::default();
            }
            (para, false, None)
        }
    };
    let block = &block[..block.len().min(BLOCK)];
    let mark = |v: &str| {
        if sure {
            Guess::sure(v)
        } else {
            Guess::unsure(v)
        }
    };
    let mut s = Signature::default();
    if let Some(n) = first_name.filter(|n| name_like(n)) {
        s.name = mark(n);
    }
    for (n, line) in block.iter().enumerate() {
        // "T: +49 … | M: +49 …" holds several fields.
        let pieces: Vec<&str> = line
            .split(['|', '•', '·'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        for (k, piece) in pieces.iter().enumerate() {
            read_piece(&mut s, piece, n == 0 && k == 0, sure, pieces.len() > 1);
        }
    }
    let phones = [s.phone.value.as_str(), s.mobile.value.as_str()];
    if let Some((code, how)) = country::detect(&s.address.value, &phones, sender_domain) {
        s.country = if how == CountryEvidence::Domain || !sure {
            Guess::unsure(code)
        } else {
            Guess::sure(code)
        };
    }
    s
}

fn read_piece(s: &mut Signature, piece: &str, first: bool, sure: bool, split: bool) {
    let mark = |v: &str| {
        if sure {
            Guess::sure(v)
        } else {
            Guess::unsure(v)
        }
    };
    let lower = piece.to_lowercase();
    if let Some(v) = after_label(piece, FAX)
        && looks_like_phone(v)
    {
        return;
    }
    if let Some(v) = after_label(piece, MOBILE)
        && looks_like_phone(v)
    {
        s.mobile.fill(mark(v));
        return;
    }
    if let Some(v) = after_label(piece, PHONE)
        && looks_like_phone(v)
    {
        s.phone.fill(mark(v));
        return;
    }
    if after_label(piece, EMAIL).is_some() || lower.contains('@') {
        return;
    }
    if let Some(v) = after_label(piece, ADDRESS) {
        s.address.fill(mark(v));
        return;
    }
    if let Some(w) = after_label(piece, WEB)
        .and_then(website_in)
        .or_else(|| website_in(piece))
    {
        s.website.fill(mark(&w));
        return;
    }
    if looks_like_phone(piece) {
        // A bare number: a phone, but which kind is a guess.
        s.phone.fill(Guess::unsure(piece));
        return;
    }
    if is_greeting(&lower) {
        return;
    }
    if company_like(&lower) && piece.chars().count() <= 120 && s.company.is_empty() {
        s.company = mark(piece.trim_start_matches(|c: char| !c.is_alphanumeric()));
        return;
    }
    if title_like(&lower) && s.title.is_empty() {
        s.title = mark(piece);
        return;
    }
    if (first || split) && s.name.is_empty() && name_like(piece) && s.title.is_empty() {
        s.name = mark(piece);
        return;
    }
    // An unlabelled line with a postcode and a country is an address.
    if s.address.is_empty()
        && piece.chars().any(|c| c.is_ascii_digit())
        && country::from_address(piece).is_some()
    {
        s.address = Guess::unsure(piece);
    }
}

#[cfg(test)]
#[path = "signature_tests.rs"]
mod tests;
