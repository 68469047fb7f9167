//! The customer query builder (SPEC CUST-5): conditions of a field, one of ten
//! operators and a value, joined by AND / OR (AND binds first, as in SQL). Pure: the
//! store turns a checked query into SQL.

use super::fields::CUSTOMER_FIELDS;
use crate::DomainError;
use crate::custom_field::CustomField;
use crate::fields::QueryKind;

/// What a field holds, which decides how values compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Number,
    /// A day, compared by its start.
    Date,
    /// A base-data item, compared by its names.
    Item,
    /// Text of the customer's contacts (any contact matches).
    ContactText,
    /// An admin-defined field (`cf<id>`): text and choices compare as text, numbers as
    /// numbers, days as `YYYY-MM-DD`.
    CustomText(i64),
    CustomNumber(i64),
    CustomDate(i64),
    /// An owner of the customer, compared by the person's name.
    Owner,
    /// The department of an owner, compared by its name.
    Department,
}

/// The record's own fields a condition can test besides the registry's.
const RECORD_FIELDS: &[(&str, FieldKind)] = &[
    ("created_at", FieldKind::Date),
    ("updated_at", FieldKind::Date),
    ("contact_name", FieldKind::ContactText),
    ("contact_emails", FieldKind::ContactText),
    ("contact_phones", FieldKind::ContactText),
    ("owner", FieldKind::Owner),
    ("department", FieldKind::Department),
];

/// The fields a condition can test, with their kind: the registry's queried fields,
/// then the record's times and its contacts'.
pub fn fields() -> impl Iterator<Item = (&'static str, FieldKind)> {
    CUSTOMER_FIELDS
        .queried()
        .filter_map(|f| Some((f.key, FieldKind::of(f.query?))))
        .chain(RECORD_FIELDS.iter().copied())
}

impl FieldKind {
    fn of(kind: QueryKind) -> FieldKind {
        match kind {
            QueryKind::Text => FieldKind::Text,
            QueryKind::Number => FieldKind::Number,
            QueryKind::Date => FieldKind::Date,
            QueryKind::Item => FieldKind::Item,
        }
    }
}

/// The ten operators (`gt` `ge` `lt` `le`: > ≥ < ≤ for numbers, days and text).
pub const OPERATORS: &[&str] = &[
    "contains",
    "equals",
    "gt",
    "ge",
    "lt",
    "le",
    "ne",
    "not_contains",
    "empty",
    "not_empty",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub field: String,
    pub op: String,
    pub value: String,
    /// Joined to the conditions before it with OR (otherwise AND).
    pub or: bool,
}

/// A standard field's kind, or a defined custom field's (`cf<id>`).
pub fn field_kind(field: &str, custom: &[CustomField]) -> Option<FieldKind> {
    if let Some(id) = crate::custom_field::parse_key(field) {
        let f = custom.iter().find(|f| f.id == id)?;
        return Some(match f.kind.as_str() {
            "number" => FieldKind::CustomNumber(id),
            "date" => FieldKind::CustomDate(id),
            _ => FieldKind::CustomText(id),
        });
    }
    fields().find(|(f, _)| *f == field).map(|(_, k)| k)
}

impl Condition {
    /// Checks the field (standard, or one of the `custom` ones), the operator, and that a
    /// value is given where one is needed.
    pub fn validate(mut self, custom: &[CustomField]) -> Result<Self, DomainError> {
        let kind = field_kind(&self.field, custom)
            .ok_or_else(|| DomainError::field("condition", "invalid_choice"))?;
        if !OPERATORS.contains(&self.op.as_str()) {
            return Err(DomainError::field("condition", "invalid_choice"));
        }
        self.value = self.value.trim().to_string();
        let needs_value = !matches!(self.op.as_str(), "empty" | "not_empty");
        if needs_value && self.value.is_empty() {
            return Err(DomainError::field("condition", "required"));
        }
        let ordered = matches!(self.op.as_str(), "gt" | "ge" | "lt" | "le");
        match kind {
            FieldKind::Number | FieldKind::CustomNumber(_)
                if needs_value && crate::custom_field::number(&self.value).is_none() =>
            {
                return Err(DomainError::field("condition", "not_a_number"));
            }
            FieldKind::Date | FieldKind::CustomDate(_)
                if needs_value && crate::zone::normal_date(&self.value).is_none() =>
            {
                return Err(DomainError::field("condition", "invalid_date"));
            }
            FieldKind::Number | FieldKind::CustomNumber(_) if needs_value => {
                self.value = crate::custom_field::number(&self.value).unwrap_or_default();
            }
            FieldKind::Item | FieldKind::ContactText | FieldKind::Owner | FieldKind::Department
                if ordered =>
            {
                return Err(DomainError::field("condition", "invalid_choice"));
            }
            _ => {}
        }
        Ok(self)
    }
}

/// The conditions as groups to OR together, each a list to AND (AND binds first).
pub fn groups(conditions: &[Condition]) -> Vec<Vec<&Condition>> {
    let mut out: Vec<Vec<&Condition>> = Vec::new();
    for c in conditions {
        if c.or || out.is_empty() {
            out.push(vec![c]);
        } else if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(field: &str, op: &str, value: &str, or: bool) -> Condition {
        Condition {
            field: field.into(),
            op: op.into(),
            value: value.into(),
            or,
        }
    }

    #[test]
    fn checks_and_groups() {
        assert!(c("city", "contains", "ham", false).validate(&[]).is_ok());
        assert!(c("city", "empty", "", false).validate(&[]).is_ok());
        assert!(c("nope", "equals", "x", false).validate(&[]).is_err());
        assert!(c("city", "like", "x", false).validate(&[]).is_err());
        assert!(c("city", "equals", " ", false).validate(&[]).is_err());
        assert!(c("rating", "ge", "three", false).validate(&[]).is_err());
        assert!(
            c("created_at", "ge", "2026-13-01", false)
                .validate(&[])
                .is_err()
        );
        assert!(c("country_id", "lt", "x", false).validate(&[]).is_err());
        assert!(c("owner", "equals", "Lucy", false).validate(&[]).is_ok());
        assert!(
            c("department", "contains", "Sal", false)
                .validate(&[])
                .is_ok()
        );
        assert!(c("owner", "ge", "Lucy", false).validate(&[]).is_err());
        assert!(c("owner", "gt", "Lucy", false).validate(&[]).is_err());
        assert!(c("rating", "gt", "3", false).validate(&[]).is_ok());
        let q = [
            c("city", "equals", "a", false),
            c("stage", "equals", "won", false),
            c("city", "equals", "b", true),
        ];
        let level = CustomField {
            id: 3,
            label: "Level".into(),
            kind: "number".into(),
            choices: Vec::new(),
            required: false,
            position: 0,
        };
        let n = c("cf3", "ge", "1,000", false)
            .validate(std::slice::from_ref(&level))
            .unwrap();
        assert_eq!(n.value, "1000");
        assert!(
            c("cf3", "ge", "lots", false)
                .validate(std::slice::from_ref(&level))
                .is_err()
        );
        assert!(c("cf4", "empty", "", false).validate(&[level]).is_err());
        let g = groups(&q);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].len(), 2);
        assert_eq!(g[1][0].value, "b");
    }
}
