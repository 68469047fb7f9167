//! The order's header as entered: its customer, currency, seller and follower (跟单人),
//! trade terms and notes; and its checks.

use super::ShippingInput;
use crate::DomainError;
use crate::validate::FieldErrors;
use crate::zone::Day;

/// An order's header (lines, payments travel separately).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderHeader {
    pub customer_id: i64,
    pub quote_id: Option<i64>,
    pub opportunity_id: Option<i64>,
    /// An ISO 4217 code the money module knows (checked here).
    pub currency: String,
    /// Who made the sale (seed 003's 销售人: "my orders" are theirs).
    pub seller_id: i64,
    /// Who follows the order (跟单人: "orders to follow" are theirs).
    pub follower_id: i64,
    /// The day the customer confirmed (signed the PI / contract).
    pub ordered_on: Day,
    pub payment_terms: String,
    pub shipping: ShippingInput,
    pub notes: String,
}

const MAX_TERMS: usize = 500;
const MAX_NOTES: usize = 5_000;
/// How far from today an order's day may be (years back or ahead are a typo).
const MAX_DAYS_AWAY: i64 = 366;

impl OrderHeader {
    /// Checks the header against `today` (the company's calendar).
    pub fn validate(mut self, today: Day) -> Result<OrderHeader, DomainError> {
        let mut e = FieldErrors::default();
        if self.customer_id <= 0 {
            e.add("customer_id", "required");
        }
        if self.seller_id <= 0 {
            e.add("seller_id", "required");
        }
        if self.follower_id <= 0 {
            e.add("follower_id", "required");
        }
        match crate::money::Currency::from_code(&self.currency) {
            Ok(currency) => self.currency = currency.code().to_owned(),
            Err(error) => e.add("currency", error.code()),
        }
        if self.ordered_on < today.plus_days(-MAX_DAYS_AWAY)
            || self.ordered_on > today.plus_days(MAX_DAYS_AWAY)
        {
            e.add("ordered_on", "out_of_range");
        }
        self.payment_terms = e.text_block("payment_terms", &self.payment_terms, false, MAX_TERMS);
        self.notes = e.text_block("notes", &self.notes, false, MAX_NOTES);
        self.shipping = self.shipping.validate(&mut e);
        e.into_result().map(|()| self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Day {
        Day::new(2026, 12, 7).unwrap_or_else(|| panic!("day"))
    }

    fn header() -> OrderHeader {
        OrderHeader {
            customer_id: 7,
            quote_id: None,
            opportunity_id: None,
            currency: " usd".into(),
            seller_id: 3,
            follower_id: 4,
            ordered_on: day(),
            payment_terms: "T/T 30% deposit".into(),
            shipping: ShippingInput::default(),
            notes: String::new(),
        }
    }

    #[test]
    fn a_good_header_is_cleaned_and_a_bad_one_named() {
        assert_eq!(
            header().validate(day()).ok().map(|h| h.currency),
            Some("USD".to_owned())
        );
        let mut h = header();
        h.currency = "XYZ".into();
        h.customer_id = 0;
        h.follower_id = 0;
        h.ordered_on = day().plus_days(400);
        let Err(DomainError::Invalid(e)) = h.validate(day()) else {
            panic!("invalid expected");
        };
        assert_eq!(e.get("currency"), Some("unknown_currency"));
        assert_eq!(e.get("customer_id"), Some("required"));
        assert_eq!(e.get("follower_id"), Some("required"));
        assert_eq!(e.get("ordered_on"), Some("out_of_range"));
    }
}
