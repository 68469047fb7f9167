//! The checks every field gets from its kind and limits (lengths, text hygiene, lists of
//! e-mails and phones, websites, ranges, choices); a record adds its own rules after.

use super::def::Kind;
use super::record::Record;
use super::value::FieldValue;
use crate::customers::keys::{phone_key, split_list, website_domain};
use crate::validate::{FieldErrors, is_plausible_email};

/// The last day a date field may hold (9999-12-31; the API takes Unix seconds).
const LAST_DAY: i64 = 253_402_300_799;

/// Checks and normalises (trims, fills defaults) every standard field of `record`.
pub fn validate_fields<R: Record>(record: &mut R, e: &mut FieldErrors) {
    for (def, value) in record.values() {
        let key = def.key;
        let checked = match (def.kind, value) {
            // A code, compared as given; empty means the first.
            (Kind::Choice { codes, .. }, FieldValue::Text(v)) => {
                if v.is_empty() {
                    FieldValue::Text(codes.first().copied().unwrap_or_default().to_string())
                } else {
                    if !codes.contains(&v.as_str()) {
                        e.add(key, "invalid_choice");
                    }
                    FieldValue::Text(v)
                }
            }
            (Kind::Stage, FieldValue::Text(v)) => {
                let v = e.text(key, &v, false, 60);
                if v.is_empty() {
                    FieldValue::Text(crate::pipeline::DEFAULT_STAGES[0].0.to_string())
                } else {
                    FieldValue::Text(v)
                }
            }
            (kind, FieldValue::Text(v)) => {
                let v = if kind.multiline() {
                    e.text_block(key, &v, def.required, def.max_len)
                } else {
                    e.text(key, &v, def.required, def.max_len)
                };
                match kind {
                    Kind::Url if !v.is_empty() && website_domain(&v).is_none() => {
                        e.add(key, "invalid_website")
                    }
                    Kind::PhoneList if split_list(&v).any(|p| phone_key(p).is_none()) => {
                        e.add(key, "invalid_phone")
                    }
                    Kind::EmailList if split_list(&v).any(|m| !is_plausible_email(m)) => {
                        e.add(key, "invalid_email")
                    }
                    _ => {}
                }
                FieldValue::Text(v)
            }
            (kind @ (Kind::Number { .. } | Kind::Rating { .. }), FieldValue::Int(n)) => {
                let (min, max) = match kind {
                    Kind::Number { min, max } => (min, max),
                    Kind::Rating { max } => (0, max),
                    _ => (i64::MIN, i64::MAX),
                };
                if !(min..=max).contains(&n) {
                    e.add(key, "out_of_range");
                }
                FieldValue::Int(n)
            }
            (Kind::Date, FieldValue::OptInt(t)) => {
                if t.is_some_and(|t| !(0..=LAST_DAY).contains(&t)) {
                    e.add(key, "out_of_range");
                }
                FieldValue::OptInt(t)
            }
            (_, other) => other,
        };
        record.set(key, checked);
    }
}
