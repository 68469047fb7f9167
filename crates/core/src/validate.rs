//! Field-level validation: errors are (field, code) pairs; the web layer turns the code
//! into a sentence in the user's language (`error.<code>` in the catalog).

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

    /// Checks a required, length-limited text field; returns the trimmed value.
    pub fn text(&mut self, field: &'static str, value: &str, required: bool, max: usize) -> String {
        let value = value.trim();
        if required && value.is_empty() {
            self.add(field, "required");
        } else if value.chars().count() > max {
            self.add(field, "too_long");
        }
        value.to_string()
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
