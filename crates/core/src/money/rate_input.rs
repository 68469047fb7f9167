//! The exchange-rate form's checks: a known currency other than the base, a real day,
//! a rate above zero with at most ten decimals.

use rust_decimal::Decimal;

use super::{Currency, parse_rate};
use crate::DomainError;
use crate::validate::FieldErrors;
use crate::zone::Day;

/// A day's rate as typed.
#[derive(Debug, Clone, Default)]
pub struct RateInput {
    pub currency: String,
    pub day: String,
    pub per_unit: String,
    pub note: String,
}

/// A checked rate, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateEntry {
    pub currency: Currency,
    pub day: Day,
    pub per_unit: Decimal,
    pub note: String,
}

/// Rates may be entered ahead (a bank's rate for Monday on Friday), not years ahead.
const MAX_DAYS_AHEAD: i64 = 366;

impl RateInput {
    /// Every bad field at once; `base` is the company's base currency, `today` its day.
    pub fn validate(&self, base: Currency, today: Day) -> Result<RateEntry, DomainError> {
        let mut errors = FieldErrors::default();
        let currency = match Currency::from_code(&self.currency) {
            Ok(c) if c == base => {
                errors.add("currency", "rate_for_base");
                None
            }
            Ok(c) => Some(c),
            Err(e) => {
                errors.add("currency", e.code());
                None
            }
        };
        let day = match Day::parse_iso(&self.day) {
            Some(d) if d > today.plus_days(MAX_DAYS_AHEAD) => {
                errors.add("day", "rate_too_far_ahead");
                None
            }
            Some(d) => Some(d),
            None => {
                errors.add("day", "invalid_date");
                None
            }
        };
        let per_unit = match parse_rate(&self.per_unit) {
            Ok(r) => Some(r),
            Err(e) => {
                errors.add("per_unit", e.code());
                None
            }
        };
        let note = errors.text("note", &self.note, false, 200);
        errors.into_result()?;
        match (currency, day, per_unit) {
            (Some(currency), Some(day), Some(per_unit)) => Ok(RateEntry {
                currency,
                day,
                per_unit: per_unit.normalize(),
                note,
            }),
            // Each `None` above added an error, so `into_result` has returned.
            _ => Err(DomainError::field("form", "invalid_input")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Day {
        Day::parse_iso("2026-12-07").unwrap_or_else(|| panic!("a day"))
    }

    fn input(currency: &str, day: &str, per_unit: &str) -> RateInput {
        RateInput {
            currency: currency.into(),
            day: day.into(),
            per_unit: per_unit.into(),
            note: String::new(),
        }
    }

    fn errors(i: RateInput) -> Vec<(String, &'static str)> {
        match i.validate(Currency::cny(), today()) {
            Err(DomainError::Invalid(e)) => {
                e.0.into_iter()
                    .map(|f| (f.field.to_string(), f.code))
                    .collect()
            }
            other => panic!("expected errors, got {other:?}"),
        }
    }

    #[test]
    fn a_good_rate_is_taken_exactly() {
        let e = input("usd", "2026-12-01", "7.1234").validate(Currency::cny(), today());
        let e = e.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(e.currency, Currency::usd());
        assert_eq!(e.day.iso(), "2026-12-01");
        assert_eq!(e.per_unit.to_string(), "7.1234");
    }

    #[test]
    fn every_bad_field_is_named() {
        assert_eq!(
            errors(input("XYZ", "2026-02-30", "-1")),
            [
                ("currency".into(), "unknown_currency"),
                ("day".into(), "invalid_date"),
                ("per_unit".into(), "money_negative"),
            ]
        );
    }

    #[test]
    fn the_base_currency_needs_no_rate() {
        assert_eq!(
            errors(input("CNY", "2026-12-01", "1")),
            [("currency".into(), "rate_for_base")]
        );
    }

    #[test]
    fn zero_and_far_future_are_refused() {
        assert_eq!(
            errors(input("USD", "2026-12-01", "0")),
            [("per_unit".into(), "money_zero")]
        );
        assert_eq!(
            errors(input("USD", "2028-01-01", "7")),
            [("day".into(), "rate_too_far_ahead")]
        );
    }
}
