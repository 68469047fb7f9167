//! A sales script (话术) as typed and its checks: title, body, category, and whether it
//! is the writer's own or a company-wide reference one.

use crate::DomainError;
use crate::validate::FieldErrors;

/// A script as typed (form or API).
#[derive(Debug, Clone, Default)]
pub struct ScriptInput {
    pub title: String,
    pub body: String,
    pub category: String,
    /// A company-wide reference script (managed by holders of `sales_kit`), else the
    /// writer's own.
    pub reference: bool,
}

/// A checked script, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptEntry {
    pub title: String,
    pub body: String,
    pub category: String,
    pub reference: bool,
}

impl ScriptInput {
    pub fn validate(&self) -> Result<ScriptEntry, DomainError> {
        let mut e = FieldErrors::default();
        let title = e.text("title", &self.title, true, 200);
        let body = e.text_block("body", &self.body, true, 20_000);
        let category = e.text("category", &self.category, false, 100);
        e.into_result()?;
        Ok(ScriptEntry {
            title,
            body,
            category,
            reference: self.reference,
        })
    }
}

impl ScriptEntry {
    pub fn search_text(&self) -> String {
        super::search_text(&[&self.title, &self.category, &self.body])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_needs_a_title_and_a_body() {
        let err = ScriptInput::default().validate().unwrap_err();
        let DomainError::Invalid(e) = err else {
            panic!("not a field error")
        };
        assert_eq!(e.get("title"), Some("required"));
        assert_eq!(e.get("body"), Some("required"));
        let ok = ScriptInput {
            title: " 开场白 ".into(),
            body: "您好，我是……\n请问".into(),
            category: "Opening".into(),
            reference: true,
        }
        .validate()
        .unwrap();
        assert_eq!(ok.title, "开场白");
        assert!(ok.search_text().contains("opening") && ok.search_text().contains("请问"));
    }

    #[test]
    fn control_characters_and_long_titles_are_refused() {
        let err = ScriptInput {
            title: "x".repeat(201),
            body: "a\u{0}b".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let DomainError::Invalid(e) = err else {
            panic!("not a field error")
        };
        assert_eq!(e.get("title"), Some("too_long"));
        assert_eq!(e.get("body"), Some("control_chars"));
    }
}
