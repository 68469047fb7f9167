//! Admin-defined customer fields (SPEC CUST-1): a label, a kind (text, number, date or a
//! choice from a list) and whether a new customer must have it. A value is kept as text
//! in a normal form: numbers without grouping, days as `YYYY-MM-DD`, a choice spelt as
//! defined. A field is named `cf<id>` wherever standard fields are named by their column.

use crate::DomainError;
use crate::validate::FieldErrors;

/// The kinds a custom field can have.
pub const KINDS: [&str; 4] = ["text", "number", "date", "choice"];

/// How long a text value may be.
const MAX_TEXT: usize = 1000;

/// A field as an administrator defines it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomFieldInput {
    pub label: String,
    pub kind: String,
    /// For `choice`: the options, one per line (commas also separate).
    pub choices: String,
    pub required: bool,
}

impl CustomFieldInput {
    pub fn validate(mut self) -> Result<Self, DomainError> {
        let mut e = FieldErrors::default();
        self.label = e.text("label", &self.label, true, 60);
        if !KINDS.contains(&self.kind.as_str()) {
            e.add("kind", "invalid_choice");
        }
        let choices = choice_list(&self.choices);
        if self.kind == "choice" && choices.is_empty() {
            e.add("choices", "required");
        }
        if choices.iter().any(|c| c.chars().count() > 100) {
            e.add("choices", "too_long");
        }
        if choices
            .iter()
            .any(|c| crate::validate::clean_line(c).is_err())
        {
            e.add("choices", "control_chars");
        }
        self.choices = if self.kind == "choice" {
            choices.join("\n")
        } else {
            String::new()
        };
        e.into_result()?;
        Ok(self)
    }
}

/// The options of a choice field as entered: one per line or comma, trimmed, each once.
pub fn choice_list(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in raw.split(['\n', ',', '，']).map(str::trim) {
        if !c.is_empty() && !out.iter().any(|o| o.to_lowercase() == c.to_lowercase()) {
            out.push(c.to_string());
        }
    }
    out
}

/// A defined field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CustomField {
    pub id: i64,
    pub label: String,
    /// One of [`KINDS`].
    pub kind: String,
    pub choices: Vec<String>,
    pub required: bool,
    pub position: i64,
}

/// `cf12` → 12.
pub fn parse_key(key: &str) -> Option<i64> {
    key.strip_prefix("cf")?.parse().ok().filter(|id| *id > 0)
}

impl CustomField {
    /// The name the field goes by in forms, URLs, imports and the history.
    pub fn key(&self) -> String {
        format!("cf{}", self.id)
    }

    /// A value in its normal form; empty stays empty. The error is a code.
    pub fn normalize(&self, raw: &str) -> Result<String, &'static str> {
        let v = raw.trim();
        if v.is_empty() {
            return Ok(String::new());
        }
        match self.kind.as_str() {
            "number" => number(v).ok_or("not_a_number"),
            "date" => crate::zone::normal_date(v).ok_or("invalid_date"),
            "choice" => self
                .choices
                .iter()
                .find(|c| c.to_lowercase() == v.to_lowercase())
                .cloned()
                .ok_or("invalid_choice"),
            _ if v.chars().count() > MAX_TEXT => Err("too_long"),
            _ => crate::validate::clean_line(v),
        }
    }
}

/// "1,234.50" or "1 234" → "1234.5" / "1234"; nothing that is not a finite number. A
/// comma only groups thousands ("1,5" is refused rather than read as 15 or 1.5).
pub fn number(raw: &str) -> Option<String> {
    let integer = raw.trim().split('.').next().unwrap_or("");
    if integer.contains(',') {
        let mut groups = integer.trim_start_matches(['-', '+']).split(',');
        let first = groups.next().unwrap_or("");
        let well_grouped = !first.is_empty()
            && first.len() <= 3
            && groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()));
        if !well_grouped {
            return None;
        }
    }
    let cleaned: String = raw
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '_'))
        .collect();
    let n: f64 = cleaned.parse().ok()?;
    n.is_finite().then(|| format!("{n}"))
}

/// Checks a customer's custom values against the definitions: each normalised, unknown
/// fields and empty values dropped, sorted by field. A required field may not be left
/// empty on a new customer, nor emptied on one that had it (`before`: the stored values,
/// `None` for a new customer), so that adding a required field later does not block
/// every edit of older customers.
pub fn check_values(
    defs: &[CustomField],
    values: &[(i64, String)],
    before: Option<&[(i64, String)]>,
) -> Result<Vec<(i64, String)>, DomainError> {
    let mut e = FieldErrors::default();
    let mut out = Vec::new();
    for d in defs {
        let raw = values
            .iter()
            .find(|(id, _)| *id == d.id)
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        match d.normalize(raw) {
            Ok(v) if v.is_empty() => {
                let had = match before {
                    None => true,
                    Some(b) => b.iter().any(|(id, v)| *id == d.id && !v.is_empty()),
                };
                if d.required && had {
                    e.add_owned(d.key(), "required");
                }
            }
            Ok(v) => out.push((d.id, v)),
            Err(code) => e.add_owned(d.key(), code),
        }
    }
    e.into_result()?;
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(id: i64, kind: &str, required: bool) -> CustomField {
        CustomField {
            id,
            label: format!("F{id}"),
            kind: kind.into(),
            choices: vec!["Gold".into(), "Silver".into()],
            required,
            position: id,
        }
    }

    #[test]
    fn values_are_normalised() {
        assert_eq!(
            field(1, "number", false).normalize("1,234.50"),
            Ok("1234.5".into())
        );
        assert_eq!(
            field(1, "number", false).normalize("inf"),
            Err("not_a_number")
        );
        assert_eq!(
            field(1, "number", false).normalize("12a"),
            Err("not_a_number")
        );
        assert_eq!(
            field(1, "date", false).normalize("2026/1/5"),
            Ok("2026-01-05".into())
        );
        assert_eq!(
            field(1, "date", false).normalize("2026-02-30"),
            Err("invalid_date")
        );
        assert_eq!(
            field(1, "choice", false).normalize("gold"),
            Ok("Gold".into())
        );
        assert_eq!(
            field(1, "choice", false).normalize("Bronze"),
            Err("invalid_choice")
        );
        assert_eq!(
            field(1, "text", false).normalize("  a b "),
            Ok("a b".into())
        );
        assert_eq!(parse_key("cf12"), Some(12));
        assert_eq!(parse_key("cf0"), None);
        assert_eq!(parse_key("name"), None);
    }

    #[test]
    fn required_fields_bind_new_customers_and_keep_values() {
        let defs = [field(1, "text", true), field(2, "number", false)];
        let missing = check_values(&defs, &[(2, "3".into())], None).unwrap_err();
        let DomainError::Invalid(e) = missing else {
            panic!("not a field error")
        };
        assert_eq!(e.get("cf1"), Some("required"));
        // An older customer without the field can still be edited …
        assert!(check_values(&defs, &[(2, "3".into())], Some(&[])).is_ok());
        // … but a value it has cannot be emptied.
        assert!(check_values(&defs, &[], Some(&[(1, "x".into())])).is_err());
        let ok = check_values(
            &defs,
            &[(2, "1,500".into()), (1, "x".into()), (9, "?".into())],
            None,
        );
        assert_eq!(ok.unwrap(), vec![(1, "x".into()), (2, "1500".into())]);
        assert!(check_values(&defs, &[(2, "1,5".into()), (1, "x".into())], None).is_err());
    }

    #[test]
    fn definitions_are_checked() {
        let mut f = CustomFieldInput {
            label: "Level".into(),
            kind: "choice".into(),
            choices: " A\nB, a ,C".into(),
            required: false,
        };
        assert_eq!(f.clone().validate().unwrap().choices, "A\nB\nC");
        f.choices = String::new();
        assert!(f.clone().validate().is_err());
        f.kind = "colour".into();
        assert!(f.validate().is_err());
    }
}
