//! `Money`: an exact amount in a currency, its rounding rule and per-currency totals.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};

use super::{Currency, MoneyError};

/// An exact amount in one currency. The amount keeps whatever precision it was given
/// (a unit price may have four decimals); [`Money::rounded`] gives the value to invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

/// The rounding rule for money: to the currency's minor unit, half away from zero
/// (0.005 → 0.01, -0.005 → -0.01), as invoices and commercial practice do — not
/// banker's rounding, which would turn 2.345 into 2.34 on a pro forma invoice.
pub fn round_to_minor(amount: Decimal, currency: Currency) -> Decimal {
    let mut r = amount.round_dp_with_strategy(
        currency.minor_units(),
        RoundingStrategy::MidpointAwayFromZero,
    );
    // Always show the minor units (410 → 410.00) so stored text and display agree.
    r.rescale(currency.minor_units());
    r
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    pub fn zero(currency: Currency) -> Money {
        Money::new(Decimal::ZERO, currency)
    }

    /// Rounded to the currency's minor unit, half away from zero ([`round_to_minor`]).
    pub fn rounded(self) -> Money {
        Money::new(round_to_minor(self.amount, self.currency), self.currency)
    }

    /// `self + other`, refused when the currencies differ: USD and EUR never add up
    /// without a conversion (Odoo #17802).
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch);
        }
        self.amount
            .checked_add(other.amount)
            .map(|a| Money::new(a, self.currency))
            .ok_or(MoneyError::TooLarge)
    }

    /// A unit price times a quantity, exact (not rounded: round the line total when
    /// it is shown or stored as a total).
    pub fn times(self, quantity: Decimal) -> Result<Money, MoneyError> {
        self.amount
            .checked_mul(quantity)
            .map(|a| Money::new(a, self.currency))
            .ok_or(MoneyError::TooLarge)
    }

    /// The amount as stored: plain decimal text ("410.00"), read back with
    /// [`Money::from_stored`].
    pub fn amount_text(self) -> String {
        self.amount.to_string()
    }

    /// Reads an amount and a currency code as stored by the store.
    pub fn from_stored(amount: &str, currency: &str) -> Result<Money, MoneyError> {
        let currency = Currency::from_code(currency)?;
        let amount = Decimal::from_str_exact(amount.trim()).map_err(|_| MoneyError::Invalid)?;
        Ok(Money::new(amount, currency))
    }
}

/// JSON: `{"amount": "410.00", "currency": "USD"}` — the amount as a string, so no
/// client reads it into a float.
impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Money", 2)?;
        st.serialize_field("amount", &self.amount.to_string())?;
        st.serialize_field("currency", &self.currency)?;
        st.end()
    }
}

/// Sums kept apart per currency: a board column's "12,000.00 USD + 3,000.00 EUR".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals(BTreeMap<Currency, Decimal>);

impl Totals {
    pub fn add(&mut self, money: Money) -> Result<(), MoneyError> {
        let slot = self.0.entry(money.currency).or_insert(Decimal::ZERO);
        *slot = slot.checked_add(money.amount).ok_or(MoneyError::TooLarge)?;
        Ok(())
    }

    /// One rounded amount per currency, by currency code.
    pub fn amounts(&self) -> Vec<Money> {
        self.0
            .iter()
            .map(|(c, a)| Money::new(*a, *c).rounded())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap_or_default()
    }

    fn cur(code: &str) -> Currency {
        Currency::from_code(code).unwrap_or(Currency::cny())
    }

    #[test]
    fn rounding_is_half_away_from_zero_to_the_minor_unit() {
        let usd = cur("USD");
        for (raw, want) in [
            ("2.345", "2.35"),
            ("2.355", "2.36"),
            ("2.344", "2.34"),
            ("-2.345", "-2.35"),
            ("0.005", "0.01"),
            ("410", "410.00"),
        ] {
            assert_eq!(
                Money::new(dec(raw), usd).rounded().amount_text(),
                want,
                "{raw}"
            );
        }
        assert_eq!(
            Money::new(dec("1234.5"), cur("JPY"))
                .rounded()
                .amount_text(),
            "1235"
        );
        assert_eq!(
            Money::new(dec("1.0005"), cur("KWD"))
                .rounded()
                .amount_text(),
            "1.001"
        );
    }

    #[test]
    fn different_currencies_do_not_add() {
        let a = Money::new(dec("1"), cur("USD"));
        let b = Money::new(dec("1"), cur("EUR"));
        assert_eq!(a.checked_add(b), Err(MoneyError::CurrencyMismatch));
        assert_eq!(a.checked_add(a).map(|m| m.amount), Ok(dec("2")));
    }

    #[test]
    fn price_times_quantity_is_exact() {
        let price = Money::new(dec("0.0035"), cur("USD"));
        let line = price.times(dec("12345")).unwrap_or(price);
        assert_eq!(line.amount, dec("43.2075"));
        assert_eq!(line.rounded().amount_text(), "43.21");
    }

    #[test]
    fn totals_stay_per_currency() {
        let mut t = Totals::default();
        for (a, c) in [("100", "USD"), ("50.5", "EUR"), ("0.255", "USD")] {
            assert_eq!(t.add(Money::new(dec(a), cur(c))), Ok(()));
        }
        let shown: Vec<String> = t
            .amounts()
            .iter()
            .map(|m| format!("{} {}", m.amount_text(), m.currency))
            .collect();
        assert_eq!(shown, ["50.50 EUR", "100.26 USD"]);
    }

    #[test]
    fn stored_text_round_trips() {
        let m = Money::new(dec("410.00"), cur("USD"));
        assert_eq!(Money::from_stored(&m.amount_text(), "USD"), Ok(m));
        assert_eq!(Money::from_stored("x", "USD"), Err(MoneyError::Invalid));
        assert_eq!(
            Money::from_stored("1", "XYZ"),
            Err(MoneyError::UnknownCurrency)
        );
    }
}
