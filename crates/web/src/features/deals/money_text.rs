//! Amounts as people read them, through the shared money formats ("1,234.50 USD",
//! "1,235 JPY"); a stored code the list does not know is shown as it is.

use wharf_core::money::{Currency, Decimal, Money, format_money, format_price, round_to_minor};

/// "1,234.50 USD": rounded to the currency's minor unit.
pub fn amount(value: Decimal, currency: &str) -> String {
    match Currency::from_code(currency) {
        Ok(c) => format_money(Money::new(value, c)),
        Err(_) => format!("{value} {currency}"),
    }
}

/// A unit price, keeping up to four decimals ("0.0035 USD").
pub fn price(value: Decimal, currency: &str) -> String {
    match Currency::from_code(currency) {
        Ok(c) => format_price(Money::new(value, c)),
        Err(_) => format!("{value} {currency}"),
    }
}

/// Rounded to the currency's minor unit.
pub fn rounded(value: Decimal, currency: &str) -> Decimal {
    match Currency::from_code(currency) {
        Ok(c) => round_to_minor(value, c),
        Err(_) => value,
    }
}

/// A quantity or unit price as an input holds it, without trailing zeros ("12.345").
pub fn plain(value: Decimal) -> String {
    value.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_through_the_money_module() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(amount(d("1234.5"), "USD"), "1,234.50 USD");
        assert_eq!(amount(d("1234.5"), "JPY"), "1,235 JPY");
        assert_eq!(price(d("0.0035"), "USD"), "0.0035 USD");
        assert_eq!(plain(d("12.3450")), "12.345");
        assert_eq!(rounded(d("2.345"), "USD"), d("2.35"));
    }
}
