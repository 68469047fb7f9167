//! A contact person as entered (CUST-2) and its rules.

use super::keys::{phone_key, split_list};
use crate::DomainError;
use crate::validate::{FieldErrors, is_plausible_email};

/// A contact person (CUST-2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactInput {
    pub name: String,
    /// `` (unknown), `female`, `male`.
    pub gender: String,
    pub title: String,
    /// Several, separated by commas, semicolons or new lines.
    pub emails: String,
    pub phones: String,
    pub whatsapp: String,
    pub wechat: String,
    pub skype: String,
    pub qq: String,
    pub linkedin: String,
    /// `YYYY-MM-DD` or empty.
    pub birthday: String,
    pub notes: String,
    pub is_primary: bool,
}

impl ContactInput {
    pub fn validate(mut self) -> Result<Self, DomainError> {
        let mut e = FieldErrors::default();
        self.name = e.text("name", &self.name, true, 100);
        if !matches!(self.gender.as_str(), "" | "female" | "male") {
            e.add("gender", "invalid_choice");
        }
        self.title = e.text("title", &self.title, false, 100);
        self.emails = e.text_block("emails", &self.emails, false, 500);
        if split_list(&self.emails).any(|m| !is_plausible_email(m)) {
            e.add("emails", "invalid_email");
        }
        self.phones = e.text_block("phones", &self.phones, false, 300);
        if split_list(&self.phones).any(|p| phone_key(p).is_none()) {
            e.add("phones", "invalid_phone");
        }
        for (field, value) in [
            ("whatsapp", &mut self.whatsapp),
            ("wechat", &mut self.wechat),
            ("skype", &mut self.skype),
            ("qq", &mut self.qq),
            ("linkedin", &mut self.linkedin),
        ] {
            *value = e.text(field, value, false, 200);
        }
        self.birthday = self.birthday.trim().to_string();
        if !self.birthday.is_empty() && !is_iso_date(&self.birthday) {
            e.add("birthday", "invalid_date");
        }
        self.notes = e.text_block("notes", &self.notes, false, 5000);
        e.into_result()?;
        Ok(self)
    }
}

fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    crate::validate::is_real_date(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_rules() {
        let bad = ContactInput {
            name: "Tom".into(),
            emails: "tom@acme.com, nope".into(),
            birthday: "1990-13-01".into(),
            gender: "x".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let DomainError::Invalid(e) = bad else {
            panic!("invalid")
        };
        assert_eq!(e.get("emails"), Some("invalid_email"));
        assert_eq!(e.get("birthday"), Some("invalid_date"));
        assert_eq!(e.get("gender"), Some("invalid_choice"));
    }
}
