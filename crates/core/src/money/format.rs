//! Showing money. One form in both languages: grouped digits with `,`, the currency's
//! minor units, then the ISO code — "1,234.50 USD", "1,235 JPY". Chinese business
//! documents write amounts the same way, and a code is never ambiguous the way `¥`
//! (CNY or JPY) and `$` (USD, HKD, AUD …) are.

use rust_decimal::Decimal;

use super::amount::round_to_minor;
use super::parse::PRICE_DECIMALS;
use super::{Currency, Money};

/// "1,234.50": rounded to the currency's minor unit, grouped in threes.
pub fn format_amount(amount: Decimal, currency: Currency) -> String {
    group(&round_to_minor(amount, currency).to_string())
}

/// "1,234.50 USD".
pub fn format_money(money: Money) -> String {
    format!(
        "{} {}",
        format_amount(money.amount, money.currency),
        money.currency
    )
}

/// A unit price: at least the currency's minor units, up to [`PRICE_DECIMALS`] when
/// the price has them ("0.0035 USD", "12.50 USD").
pub fn format_price(money: Money) -> String {
    let minor = money.currency.minor_units();
    let mut p = money.amount.round_dp(minor.max(PRICE_DECIMALS)).normalize();
    if p.scale() < minor {
        p.rescale(minor);
    }
    format!("{} {}", group(&p.to_string()), money.currency)
}

/// A quantity without trailing zeros: "2.5", "1,000".
pub fn format_quantity(quantity: Decimal) -> String {
    group(&quantity.normalize().to_string())
}

/// Inserts `,` between groups of three digits of the whole part of a decimal literal.
fn group(literal: &str) -> String {
    let (sign, rest) = match literal.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", literal),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    let mut out = String::with_capacity(literal.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap_or_default()
    }

    fn m(amount: &str, code: &str) -> Money {
        Money::new(
            dec(amount),
            Currency::from_code(code).unwrap_or(Currency::cny()),
        )
    }

    #[test]
    fn money_is_grouped_with_its_minor_units_and_code() {
        for (amount, code, want) in [
            ("1234.5", "USD", "1,234.50 USD"),
            ("410", "USD", "410.00 USD"),
            ("1234567.891", "CNY", "1,234,567.89 CNY"),
            ("1234.5", "JPY", "1,235 JPY"),
            ("0", "EUR", "0.00 EUR"),
            ("999", "USD", "999.00 USD"),
            ("-1234.5", "USD", "-1,234.50 USD"),
            ("1.2345", "KWD", "1.235 KWD"),
            ("1000000000000", "USD", "1,000,000,000,000.00 USD"),
        ] {
            assert_eq!(format_money(m(amount, code)), want, "{amount} {code}");
        }
    }

    #[test]
    fn prices_keep_up_to_four_decimals() {
        assert_eq!(format_price(m("0.0035", "USD")), "0.0035 USD");
        assert_eq!(format_price(m("12.5", "USD")), "12.50 USD");
        assert_eq!(format_price(m("12.5000", "USD")), "12.50 USD");
        assert_eq!(format_price(m("1234.125", "EUR")), "1,234.125 EUR");
        assert_eq!(format_price(m("100", "JPY")), "100 JPY");
    }

    #[test]
    fn quantities_drop_trailing_zeros() {
        assert_eq!(format_quantity(dec("2.500")), "2.5");
        assert_eq!(format_quantity(dec("1000")), "1,000");
    }
}
