//! Field-level validation: errors are (field, code) pairs; the web layer turns the code
//! into a sentence in the user's language (`error.<code>` in the catalog).
//!
//! Text hygiene, decided here once for every input type: a single-line value (a name,
//! a code, a file name) has its tabs and line breaks turned into spaces, and is refused
//! (`control_chars`) when it holds any other control character — NUL (which PostgreSQL
//! cannot store), ESC, the rest of C0, DEL, C1 — or a bidi override or isolate
//! (U+202A–U+202E, U+2066–U+2069), which would show the name other than it is stored.
//! Multi-line text keeps tabs and line breaks and refuses the other control characters.

use std::borrow::Cow;

use serde::Serialize;

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct FieldErrors(pub Vec<FieldError>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// A field's name; custom fields (`cf<id>`) are made at run time.
    pub field: Cow<'static, str>,
    pub code: &'static str,
}

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, code: &'static str) {
        self.0.push(FieldError {
            field: Cow::Borrowed(field),
            code,
        });
    }

    /// An error on a field whose name is made at run time (a custom field).
    pub fn add_owned(&mut self, field: String, code: &'static str) {
        self.0.push(FieldError {
            field: Cow::Owned(field),
            code,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.code)
    }

    /// `Ok(())` when nothing was added, otherwise the collected errors.
    pub fn into_result(self) -> Result<(), crate::DomainError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(crate::DomainError::Invalid(self))
        }
    }

    /// Checks a required, length-limited single-line field (see the module's text
    /// hygiene); returns the trimmed value.
    pub fn text(&mut self, field: &'static str, value: &str, required: bool, max: usize) -> String {
        self.checked(field, clean_line(value), value, required, max)
    }

    /// The same for multi-line text (descriptions, notes, signatures, lists one per
    /// line): tabs and line breaks are kept.
    pub fn text_block(
        &mut self,
        field: &'static str,
        value: &str,
        required: bool,
        max: usize,
    ) -> String {
        self.checked(field, clean_block(value), value, required, max)
    }

    fn checked(
        &mut self,
        field: &'static str,
        cleaned: Result<String, &'static str>,
        raw: &str,
        required: bool,
        max: usize,
    ) -> String {
        let value = match cleaned {
            Ok(v) => v,
            Err(code) => {
                self.add(field, code);
                return raw.trim().to_string();
            }
        };
        if required && value.is_empty() {
            self.add(field, "required");
        } else if value.chars().count() > max {
            self.add(field, "too_long");
        }
        value
    }

    /// Checks an optional e-mail address (a pragmatic check: one `@`, a dot in the domain,
    /// no spaces).
    pub fn email(&mut self, field: &'static str, value: &str) -> String {
        let value = value.trim();
        if !value.is_empty() && !is_plausible_email(value) {
            self.add(field, "invalid_email");
        }
        value.to_string()
    }
}

/// A bidi override or isolate: U+202A–U+202E, U+2066–U+2069.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A single-line value, trimmed, with tabs and line breaks as spaces; `control_chars`
/// when it holds another control character or a bidi override / isolate.
pub fn clean_line(value: &str) -> Result<String, &'static str> {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => return Err("control_chars"),
            c => out.push(c),
        }
    }
    Ok(out.trim().to_string())
}

/// Multi-line text, trimmed: tabs and line breaks kept; `control_chars` for any other
/// control character (NUL, ESC, DEL, C1).
pub fn clean_block(value: &str) -> Result<String, &'static str> {
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err("control_chars");
    }
    Ok(value.trim().to_string())
}

/// A required single-line name of at most `max` characters (a folder, tag, group,
/// saved query, template or file name), cleaned, or the error on `field`.
pub fn name(field: &'static str, value: &str, max: usize) -> Result<String, crate::DomainError> {
    let mut e = FieldErrors::default();
    let value = e.text(field, value, true, max);
    e.into_result().map(|_| value)
}

pub fn is_plausible_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.contains(char::is_whitespace)
        && !domain.contains('@')
        && value.len() <= 254
}

/// Usernames: 2–32 characters of ASCII letters, digits, `.`, `_`, `-`; compared
/// case-insensitively (stored lower-case).
pub fn normalize_username(errors: &mut FieldErrors, value: &str) -> String {
    let value = value.trim().to_ascii_lowercase();
    if value.is_empty() {
        errors.add("username", "required");
    } else if value.len() < 2 || value.len() > 32 {
        errors.add("username", "username_length");
    } else if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        errors.add("username", "username_chars");
    }
    value
}

/// Whether year-month-day is a real calendar date (1900–2100).
pub fn is_real_date(y: u32, m: u32, d: u32) -> bool {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2100).contains(&y) && (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(is_plausible_email("li.lei@example.com"));
        assert!(!is_plausible_email("li.lei@example"));
        assert!(!is_plausible_email("li lei@example.com"));
        assert!(!is_plausible_email("@example.com"));
        assert!(!is_plausible_email("a@b@c.com"));
    }

    #[test]
    fn usernames() {
        let mut e = FieldErrors::default();
        assert_eq!(normalize_username(&mut e, " Li.Lei "), "li.lei");
        assert!(e.is_empty());
        normalize_username(&mut e, "李雷");
        assert_eq!(e.get("username"), Some("username_chars"));
        let mut e = FieldErrors::default();
        normalize_username(&mut e, "x");
        assert_eq!(e.get("username"), Some("username_length"));
    }

    #[test]
    fn control_characters_in_names_are_refused() {
        for bad in [
            "ACME\0Ltd",
            "ACME\u{1b}[31m",
            "ACME\u{7f}",
            "ACME\u{85}",
            "evil\u{202E}gpj.exe",
            "a\u{2066}b",
        ] {
            let mut e = FieldErrors::default();
            e.text("name", bad, true, 100);
            assert_eq!(e.get("name"), Some("control_chars"), "{bad:?}");
        }
        let mut e = FieldErrors::default();
        assert_eq!(
            e.text("name", " ACME\tTrading\r\nLtd ", true, 100),
            "ACME Trading  Ltd"
        );
        assert!(e.is_empty());
    }

    #[test]
    fn multi_line_text_keeps_its_lines() {
        let mut e = FieldErrors::default();
        assert_eq!(
            e.text_block("notes", "line 1\n\tline 2", false, 100),
            "line 1\n\tline 2"
        );
        assert!(e.is_empty());
        e.text_block("notes", "a\0b", false, 100);
        assert_eq!(e.get("notes"), Some("control_chars"));
        assert_eq!(
            clean_block("שלום \u{202B}x"),
            Ok("שלום \u{202B}x".to_string())
        );
    }

    #[test]
    fn text_limits() {
        let mut e = FieldErrors::default();
        assert_eq!(e.text("name", "  销售部 ", true, 4), "销售部");
        assert!(e.is_empty());
        e.text("name", "", true, 4);
        assert_eq!(e.get("name"), Some("required"));
        let mut e = FieldErrors::default();
        e.text("name", "abcde", false, 4);
        assert_eq!(e.get("name"), Some("too_long"));
    }
}
