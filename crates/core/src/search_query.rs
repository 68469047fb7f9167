//! The search box's language (FIND-1): free words, "quoted phrases", `-excluded` words
//! and filters such as `from:` `to:` `subject:` `has:attachment` `after:` `before:`
//! `date:` `account:` `owner:` `customer:` `type:` `tag:` `in:`. The same filters come
//! from the search page's form; both end in one `SearchQuery`.

pub use crate::zone::Day;

/// A word or phrase to find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// Written in quotes: its words must stand together, in order.
    pub phrase: bool,
    /// Written with a leading `-`: results must not contain it.
    pub negated: bool,
}

/// Something named in a filter: by the form (an id) or typed in the box (a name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    Id(i64),
    Name(String),
}

/// What to look through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    All,
    Mail,
    Customers,
}

impl Scope {
    pub fn code(self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::Mail => "mail",
            Scope::Customers => "customers",
        }
    }

    pub fn from_code(code: &str) -> Option<Scope> {
        match code {
            "all" | "" => Some(Scope::All),
            "mail" | "邮件" => Some(Scope::Mail),
            "customers" | "customer" | "客户" => Some(Scope::Customers),
            _ => None,
        }
    }
}

/// The whole query: words plus filters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    pub words: Vec<Word>,
    /// Sender names or addresses (any of them).
    pub from: Vec<String>,
    /// Recipient (To or Cc) names or addresses.
    pub to: Vec<String>,
    /// Words of the subject.
    pub subject: Vec<String>,
    pub has_attachment: bool,
    /// First day included.
    pub after: Option<Day>,
    /// Last day included.
    pub before: Option<Day>,
    pub account: Option<Named>,
    pub owner: Option<Named>,
    pub customer: Option<Named>,
    pub mail_type: Option<Named>,
    /// A mail tag (the company's labels, `# urgent`).
    pub tag: Option<Named>,
    pub scope: Scope,
}

/// Why a query could not be read: a stable code and the text at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub code: &'static str,
    pub value: String,
}

impl SearchQuery {
    /// Reads the search box's text.
    pub fn parse(input: &str) -> Result<SearchQuery, QueryError> {
        let mut q = SearchQuery::default();
        for token in split(&normalise(input)) {
            q.add(token)?;
        }
        Ok(q)
    }

    /// True when nothing at all is asked (no words, no filters).
    pub fn is_empty(&self) -> bool {
        *self
            == SearchQuery {
                scope: self.scope,
                ..SearchQuery::default()
            }
    }

    /// True when a filter applies to mail only, so customers are not searched.
    pub fn mail_only(&self) -> bool {
        self.scope == Scope::Mail
            || !self.from.is_empty()
            || !self.to.is_empty()
            || !self.subject.is_empty()
            || self.has_attachment
            || self.after.is_some()
            || self.before.is_some()
            || self.account.is_some()
            || self.customer.is_some()
            || self.mail_type.is_some()
            || self.tag.is_some()
    }

    pub fn searches_mail(&self) -> bool {
        self.scope != Scope::Customers
    }

    pub fn searches_customers(&self) -> bool {
        !self.mail_only()
    }

    fn add(&mut self, token: Token) -> Result<(), QueryError> {
        let Token {
            field,
            value,
            quoted,
            negated,
        } = token;
        let Some(field) = field else {
            if !value.is_empty() {
                self.words.push(Word {
                    text: value,
                    phrase: quoted,
                    negated,
                });
            }
            return Ok(());
        };
        match field.as_str() {
            "from" => self.from.push(value),
            "to" => self.to.push(value),
            "subject" => self.subject.push(value),
            "has" => match value.to_lowercase().as_str() {
                "attachment" | "attachments" | "file" | "附件" => self.has_attachment = true,
                _ => return Err(bad("search_bad_has", value)),
            },
            "after" => self.after = Some(first_day(&value)?),
            "before" => self.before = Some(last_day(&value)?),
            "date" => {
                self.after = Some(first_day(&value)?);
                self.before = Some(last_day(&value)?);
            }
            "account" => self.account = Some(named(value)),
            "owner" => self.owner = Some(named(value)),
            "customer" => self.customer = Some(named(value)),
            "type" => self.mail_type = Some(named(value)),
            "tag" => self.tag = Some(named(value)),
            f if f.starts_with('-') => {
                return Err(bad("search_negated_filter", format!("{f}:{value}")));
            }
            "in" => {
                self.scope = Scope::from_code(&value.to_lowercase())
                    .ok_or_else(|| bad("search_bad_scope", value))?
            }
            _ => unreachable!("split only yields known fields"),
        }
        Ok(())
    }
}

fn bad(code: &'static str, value: String) -> QueryError {
    QueryError { code, value }
}

fn named(value: String) -> Named {
    match value.strip_prefix('#').and_then(|v| v.parse().ok()) {
        Some(id) => Named::Id(id),
        None => Named::Name(value),
    }
}

/// Filter names, with the Chinese ones people type, mapped to one spelling.
fn field_name(name: &str) -> Option<&'static str> {
    Some(match name.to_lowercase().as_str() {
        "from" | "发件人" => "from",
        "to" | "cc" | "收件人" => "to",
        "subject" | "主题" => "subject",
        "has" => "has",
        "after" | "since" => "after",
        "before" | "until" => "before",
        "date" | "日期" => "date",
        "account" | "邮箱" => "account",
        "owner" | "负责人" => "owner",
        "customer" | "客户" => "customer",
        "type" | "类型" => "type",
        "tag" | "label" | "标签" => "tag",
        "in" => "in",
        _ => return None,
    })
}

/// Full-width colons and curly quotes, as Chinese input methods type them.
fn normalise(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '：' => ':',
            '“' | '”' | '＂' => '"',
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

struct Token {
    field: Option<String>,
    value: String,
    quoted: bool,
    negated: bool,
}

/// Splits on white space, keeping "quoted text" (also after `field:`) together.
fn split(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&first) = chars.peek() else {
            break;
        };
        let negated = first == '-';
        if negated {
            chars.next();
        }
        // The raw token up to white space outside quotes.
        let mut raw = String::new();
        let mut in_quotes = false;
        let mut quoted = false;
        while let Some(&c) = chars.peek() {
            if c == '"' {
                in_quotes = !in_quotes;
                quoted = true;
                chars.next();
                raw.push('"');
                continue;
            }
            if c.is_whitespace() && !in_quotes {
                break;
            }
            raw.push(c);
            chars.next();
        }
        let (field, rest) = match raw.split_once(':') {
            Some((name, rest)) if !name.starts_with('"') => match field_name(name) {
                Some(f) => (Some(f.to_string()), rest.to_string()),
                None => (None, raw.clone()),
            },
            _ => (None, raw.clone()),
        };
        let value = rest.replace('"', "").trim().to_string();
        if value.is_empty() {
            continue;
        }
        // `-from:x`: a filter cannot be left out; `add` says so.
        let (field, value) = match (negated, field) {
            (true, Some(f)) => (Some(format!("-{f}")), value),
            (_, field) => (field, value),
        };
        tokens.push(Token {
            field,
            value,
            quoted,
            negated,
        });
    }
    tokens
}

/// `2024`, `2024-03`, `2024-03-05` (also with `/` or `.`): the first day it covers.
fn first_day(value: &str) -> Result<Day, QueryError> {
    let (y, m, d) = date_parts(value)?;
    day(y, m.unwrap_or(1), d.unwrap_or(1), value)
}

/// The last day it covers.
fn last_day(value: &str) -> Result<Day, QueryError> {
    let (y, m, d) = date_parts(value)?;
    let month = m.unwrap_or(12);
    day(
        y,
        month,
        d.unwrap_or_else(|| days_in_month(y, month)),
        value,
    )
}

/// The day of checked parts (the check above keeps `None` from happening).
fn day(year: i64, month: i64, day: i64, value: &str) -> Result<Day, QueryError> {
    Day::new(year, month, day).ok_or_else(|| bad("search_bad_date", value.to_string()))
}

fn date_parts(value: &str) -> Result<(i64, Option<i64>, Option<i64>), QueryError> {
    let err = || bad("search_bad_date", value.to_string());
    let parts: Vec<&str> = value.split(['-', '/', '.']).collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(err());
    }
    let num = |s: &str| s.parse::<i64>().map_err(|_| err());
    let year = num(parts[0])?;
    let month = parts.get(1).map(|m| num(m)).transpose()?;
    let day = parts.get(2).map(|d| num(d)).transpose()?;
    if !(1970..=9999).contains(&year) || month.is_some_and(|m| !(1..=12).contains(&m)) {
        return Err(err());
    }
    if let (Some(m), Some(d)) = (month, day)
        && !(1..=days_in_month(year, m)).contains(&d)
    {
        return Err(err());
    }
    Ok((year, month, day))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Reads a day as the search form's date input sends it (`2024-03-05`).
pub fn parse_day(value: &str) -> Result<Day, QueryError> {
    match date_parts(value)? {
        (year, Some(month), Some(d)) => day(year, month, d, value),
        _ => Err(bad("search_bad_date", value.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Word {
        Word {
            text: text.into(),
            phrase: false,
            negated: false,
        }
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let q = SearchQuery::parse(r#"LED 报价  "price list" -spam"#).unwrap();
        assert_eq!(
            q.words,
            vec![
                word("LED"),
                word("报价"),
                Word {
                    text: "price list".into(),
                    phrase: true,
                    negated: false
                },
                Word {
                    text: "spam".into(),
                    phrase: false,
                    negated: true
                },
            ]
        );
        assert!(q.searches_customers() && q.searches_mail());
    }

    #[test]
    fn filters_in_english_and_chinese() {
        let q = SearchQuery::parse(
            r#"from:alice@acme.com to:"Bob Li" subject:报价 has:attachment date:2024-03 account:#3 owner:zhang 客户：“ACME Ltd” type:询盘 in:mail"#,
        )
        .unwrap();
        assert_eq!(q.from, vec!["alice@acme.com"]);
        assert_eq!(q.to, vec!["Bob Li"]);
        assert_eq!(q.subject, vec!["报价"]);
        assert!(q.has_attachment);
        assert_eq!(q.after.unwrap().iso(), "2024-03-01");
        assert_eq!(q.before.unwrap().iso(), "2024-03-31");
        assert_eq!(q.account, Some(Named::Id(3)));
        assert_eq!(q.owner, Some(Named::Name("zhang".into())));
        assert_eq!(q.customer, Some(Named::Name("ACME Ltd".into())));
        assert_eq!(q.mail_type, Some(Named::Name("询盘".into())));
        assert_eq!(q.scope, Scope::Mail);
        let tagged = SearchQuery::parse("标签：紧急 LED").unwrap();
        assert_eq!(tagged.tag, Some(Named::Name("紧急".into())));
        assert!(!tagged.searches_customers());
        assert_eq!(
            SearchQuery::parse("label:urgent").unwrap().tag,
            Some(Named::Name("urgent".into()))
        );
        assert!(q.words.is_empty());
        assert!(!q.searches_customers());
    }

    #[test]
    fn unknown_prefixes_stay_words() {
        let q = SearchQuery::parse("Re:quote http://x.com").unwrap();
        assert_eq!(q.words, vec![word("Re:quote"), word("http://x.com")]);
        assert!(SearchQuery::parse("   ").unwrap().is_empty());
        assert!(!SearchQuery::parse("has:attachment").unwrap().is_empty());
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(
            SearchQuery::parse("after:2024-02-30").unwrap_err().code,
            "search_bad_date"
        );
        assert_eq!(
            SearchQuery::parse("before:2024/2")
                .unwrap()
                .before
                .unwrap()
                .iso(),
            "2024-02-29"
        );
        assert_eq!(
            SearchQuery::parse("has:wings").unwrap_err().code,
            "search_bad_has"
        );
        let err = SearchQuery::parse("-from:alice").unwrap_err();
        assert_eq!(
            (err.code, err.value.as_str()),
            ("search_negated_filter", "-from:alice")
        );
        assert_eq!(SearchQuery::parse("-Re:x").unwrap().words[0].text, "Re:x");
        let day = parse_day("2024-03-05").unwrap();
        assert_eq!(day.iso(), "2024-03-05");
        assert!(parse_day("2024-03").is_err());
    }
}
