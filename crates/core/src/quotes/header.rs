//! The quote's header as entered: who it is for, currency and the day's rate, trade terms,
//! validity and notes; and its checks.

use rust_decimal::Decimal;

use super::{Incoterm, MAX_VALID_DAYS};
use crate::DomainError;
use crate::validate::FieldErrors;
use crate::zone::Day;

/// The exchange rate stored with a version: one unit of the quote's currency in the
/// company's base currency, and the day the rate is from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRate {
    pub base: String,
    pub rate: Decimal,
    pub on: Day,
}

impl QuoteRate {
    /// The total in the base currency (rounded as totals are).
    pub fn to_base(&self, amount: Decimal, base_minor_units: u32) -> Decimal {
        (amount * self.rate).round_dp_with_strategy(
            base_minor_units,
            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        )
    }
}

/// A version's header (the lines travel separately).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteHeader {
    pub customer_id: i64,
    /// One of the customer's contacts (the store checks it belongs to the customer).
    pub contact_id: Option<i64>,
    pub opportunity_id: Option<i64>,
    /// An ISO 4217 code the money module knows (checked here).
    pub currency: String,
    pub incoterm: Option<Incoterm>,
    pub port_loading: String,
    pub port_destination: String,
    pub payment_terms: String,
    pub valid_until: Day,
    pub notes: String,
}

const MAX_PORT: usize = 120;
const MAX_TERMS: usize = 500;
const MAX_NOTES: usize = 5_000;

impl QuoteHeader {
    /// Checks the texts and the validity date against `today` (the company's calendar).
    pub fn validate(mut self, today: Day) -> Result<QuoteHeader, DomainError> {
        let mut e = FieldErrors::default();
        if self.customer_id <= 0 {
            e.add("customer_id", "required");
        }
        match crate::money::Currency::from_code(&self.currency) {
            Ok(currency) => self.currency = currency.code().to_owned(),
            Err(error) => e.add("currency", error.code()),
        }
        self.port_loading = e.text("port_loading", &self.port_loading, false, MAX_PORT);
        self.port_destination = e.text("port_destination", &self.port_destination, false, MAX_PORT);
        self.payment_terms = e.text_block("payment_terms", &self.payment_terms, false, MAX_TERMS);
        self.notes = e.text_block("notes", &self.notes, false, MAX_NOTES);
        if self.valid_until < today {
            e.add("valid_until", "in_past");
        } else if self.valid_until > today.plus_days(MAX_VALID_DAYS) {
            e.add("valid_until", "out_of_range");
        }
        e.into_result().map(|()| self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(today: Day) -> QuoteHeader {
        QuoteHeader {
            customer_id: 7,
            contact_id: None,
            opportunity_id: None,
            currency: " usd".into(),
            incoterm: Some(Incoterm::Fob),
            port_loading: "Ningbo".into(),
            port_destination: "Hamburg".into(),
            payment_terms: "T/T 30% deposit, 70% before shipment".into(),
            valid_until: today.plus_days(30),
            notes: String::new(),
        }
    }

    fn field_codes(result: Result<QuoteHeader, DomainError>) -> Vec<(String, &'static str)> {
        match result {
            Err(DomainError::Invalid(e)) => {
                e.0.into_iter()
                    .map(|f| (f.field.into_owned(), f.code))
                    .collect()
            }
            Ok(_) => Vec::new(),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn a_good_header_is_cleaned() {
        let today = Day::new(2026, 12, 7).unwrap_or_else(|| panic!("day"));
        let checked = header(today).validate(today).ok();
        assert_eq!(checked.map(|h| h.currency), Some("USD".to_owned()));
    }

    #[test]
    fn bad_headers_name_their_fields() {
        let today = Day::new(2026, 12, 7).unwrap_or_else(|| panic!("day"));
        let mut h = header(today);
        h.currency = "XYZ".into();
        h.valid_until = today.plus_days(-1);
        h.customer_id = 0;
        h.port_loading = "x".repeat(121);
        let codes = field_codes(h.validate(today));
        for expected in [
            ("currency", "unknown_currency"),
            ("valid_until", "in_past"),
            ("customer_id", "required"),
            ("port_loading", "too_long"),
        ] {
            assert!(
                codes
                    .iter()
                    .any(|(f, c)| f == expected.0 && *c == expected.1),
                "{expected:?} in {codes:?}"
            );
        }
    }

    #[test]
    fn a_rate_converts_to_the_base_currency_exactly() {
        let rate = QuoteRate {
            base: "CNY".into(),
            rate: "7.1234".parse().unwrap_or_default(),
            on: Day::new(2026, 12, 7).unwrap_or_else(|| panic!("day")),
        };
        let total: Decimal = "1618.93".parse().unwrap_or_default();
        assert_eq!(
            rate.to_base(total, 2),
            "11532.29".parse::<Decimal>().unwrap_or_default()
        );
    }
}
