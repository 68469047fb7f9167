//! To / Cc / Bcc as people type them, read as RFC 5322 address lists by mail-parser's
//! header parser (quoted names with commas, groups, comments, encoded words), with the
//! display names kept. `;` and line breaks between entries are taken as commas, as
//! Outlook and Foxmail users type them. A bad entry is refused by name.

use mail_parser::{Address, MessageParser};

use crate::Mailbox;
use crate::compose::DraftError;

/// The longest recipient field read (a few thousand addresses).
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// Reads one recipient field into (display name, address) pairs.
pub fn parse_recipients(field: &'static str, value: &str) -> Result<Vec<Mailbox>, DraftError> {
    if value.len() > MAX_FIELD_BYTES {
        return Err(DraftError::new(field, "too_long"));
    }
    let list = separators_as_commas(value);
    if list.trim().is_empty() {
        return Ok(Vec::new());
    }
    let header = format!("To: {list}\r\n\r\n");
    let message = MessageParser::new().parse_headers(header.as_bytes());
    let addrs: Vec<(String, String)> = match message.as_ref().and_then(|m| m.to()) {
        Some(Address::List(list)) => list.iter().map(pair).collect(),
        Some(Address::Group(groups)) => groups
            .iter()
            .flat_map(|g| g.addresses.iter().map(pair))
            .collect(),
        None => return Err(DraftError::entry(field, value.trim())),
    };
    let mut out = Vec::new();
    for (name, address) in addrs {
        if name.is_empty() && address.is_empty() {
            continue;
        }
        if !plausible(&address) || name.chars().any(char::is_control) {
            let shown = if address.is_empty() { name } else { address };
            return Err(DraftError::entry(field, &shown));
        }
        out.push(Mailbox { name, address });
    }
    if out.is_empty() && !only_empty_groups(&list) {
        return Err(DraftError::entry(field, value.trim()));
    }
    Ok(out)
}

fn pair(a: &mail_parser::Addr<'_>) -> (String, String) {
    (
        a.name.as_deref().unwrap_or("").trim().to_string(),
        a.address.as_deref().unwrap_or("").trim().to_string(),
    )
}

/// `undisclosed-recipients:;` names nobody, and that is not an error.
fn only_empty_groups(list: &str) -> bool {
    list.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .all(|p| p.ends_with(":;") || p.ends_with(": ;"))
}

/// Top-level `;` outside a group and line breaks become `,`; quoted strings, comments
/// and `<…>` are left alone (a line break inside them becomes a space).
fn separators_as_commas(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let (mut quoted, mut escaped, mut comment, mut angle, mut group) =
        (false, false, 0usize, false, false);
    for c in value.chars() {
        if escaped {
            escaped = false;
            out.push(if c == '\r' || c == '\n' { ' ' } else { c });
            continue;
        }
        let top = !quoted && comment == 0 && !angle;
        match c {
            '\\' if quoted || comment > 0 => escaped = true,
            '"' if comment == 0 => quoted = !quoted,
            '(' if !quoted => comment += 1,
            ')' if !quoted && comment > 0 => comment -= 1,
            '<' if top => angle = true,
            '>' if angle && !quoted && comment == 0 => angle = false,
            ':' if top => group = true,
            ';' if top && group => group = false,
            ';' if top => {
                out.push(',');
                continue;
            }
            '\r' | '\n' => {
                out.push(if top { ',' } else { ' ' });
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// An address we can hand to SMTP: one `@`, a dotted domain, no spaces or brackets.
fn plausible(a: &str) -> bool {
    let Some((local, domain)) = a.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !a.contains(char::is_whitespace)
        && !a.contains(char::is_control)
        && !local.contains('@')
        && !a.contains(['<', '>', '"', '(', ')', ',', ';'])
        && a.len() <= 254
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(value: &str) -> Vec<(String, String)> {
        parse_recipients("to", value)
            .unwrap_or_else(|e| panic!("{value}: {e:?}"))
            .into_iter()
            .map(|m| (m.name, m.address))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, a)| (n.to_string(), a.to_string()))
            .collect()
    }

    #[test]
    fn a_quoted_name_with_a_comma_is_one_recipient() {
        assert_eq!(
            ok(r#""Wang, Li" <li@x.com>, b@y.com"#),
            pairs(&[("Wang, Li", "li@x.com"), ("", "b@y.com")])
        );
    }

    #[test]
    fn names_in_any_script_and_encoded_words() {
        assert_eq!(ok("王丽 <li@x.com>"), pairs(&[("王丽", "li@x.com")]));
        assert_eq!(
            ok("=?UTF-8?B?546L5Li9?= <li@x.com>"),
            pairs(&[("王丽", "li@x.com")])
        );
    }

    #[test]
    fn groups_and_comments() {
        assert_eq!(
            ok("Buyers: a@x.com, \"B\" <b@x.com>;, c@y.com"),
            pairs(&[("", "a@x.com"), ("B", "b@x.com"), ("", "c@y.com")])
        );
        assert!(ok("undisclosed-recipients:;").is_empty());
        let with_comment = ok("li@x.com (Li in sales)");
        assert_eq!(with_comment[0].1, "li@x.com");
        assert!(with_comment[0].0.contains("Li in sales"));
    }

    #[test]
    fn semicolons_and_lines_separate_as_people_type_them() {
        assert_eq!(
            ok("a@x.com; B <b@y.com>\nc@z.com"),
            pairs(&[("", "a@x.com"), ("B", "b@y.com"), ("", "c@z.com")])
        );
        assert_eq!(
            ok(r#""Semi; colon" <s@x.com>"#),
            pairs(&[("Semi; colon", "s@x.com")])
        );
    }

    #[test]
    fn a_bad_entry_is_refused_by_name() {
        let e = parse_recipients("cc", "a@x.com, not-an-address").unwrap_err();
        assert_eq!((e.field, e.code), ("cc", "invalid_recipient"));
        assert_eq!(e.entry.as_deref(), Some("not-an-address"));
        let e = parse_recipients("to", "Li <li@x>").unwrap_err();
        assert_eq!(e.entry.as_deref(), Some("li@x"));
        assert!(parse_recipients("to", " ").unwrap().is_empty());
        let big = "a@x.com, ".repeat(MAX_FIELD_BYTES / 8);
        assert_eq!(parse_recipients("to", &big).unwrap_err().code, "too_long");
    }
}
