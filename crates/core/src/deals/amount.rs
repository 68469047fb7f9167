//! Reading what people type as quantities, prices and amounts (exact decimals: "1,234.50",
//! "1234.5", full-width digits) and currency codes. Negative, absurd or unreadable values
//! are stable codes the web layer translates.

use rust_decimal::Decimal;

/// Nothing an export company quotes is above this (10^12); bigger is a typing slip.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;
/// Decimals kept for a quantity or a unit price.
const MAX_DECIMALS: u32 = 4;

/// An exact, non-negative decimal from what a person typed: thousands separators and
/// full-width digits are accepted, a sign, exponent or more than four decimals are not.
pub fn parse_amount_text(text: &str) -> Result<Decimal, &'static str> {
    let normal: String = text
        .trim()
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' | '。' => Some('.'),
            '－' => Some('-'),
            ',' | '，' | ' ' | '\u{a0}' | '_' => None,
            c => Some(c),
        })
        .collect();
    if normal.is_empty() {
        return Err("required");
    }
    if normal.starts_with('-') {
        return Err("amount_negative");
    }
    if !normal.chars().all(|c| c.is_ascii_digit() || c == '.') || normal.matches('.').count() > 1 {
        return Err("not_a_number");
    }
    let digits = normal.split('.').next().unwrap_or_default();
    if digits.trim_start_matches('0').len() > 13 {
        return Err("amount_too_large");
    }
    let value: Decimal = normal.parse().map_err(|_| "not_a_number")?;
    if value.scale() > MAX_DECIMALS && value.normalize().scale() > MAX_DECIMALS {
        return Err("amount_decimals");
    }
    if value > Decimal::from(MAX_AMOUNT) {
        return Err("amount_too_large");
    }
    Ok(value.normalize())
}

/// Currencies known until the shared money module names them all (ISO 4217).
const KNOWN: [&str; 30] = [
    "CNY", "USD", "EUR", "GBP", "JPY", "HKD", "AUD", "CAD", "CHF", "SGD", "RUB", "INR", "AED",
    "KRW", "THB", "VND", "MYR", "IDR", "BRL", "MXN", "ZAR", "TRY", "SAR", "NZD", "SEK", "NOK",
    "DKK", "PLN", "PHP", "TWD",
];

/// A currency code, upper-cased; an unknown one is `unknown_currency`.
pub fn parse_currency_code(text: &str) -> Result<&'static str, &'static str> {
    let code = text.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err("required");
    }
    KNOWN
        .iter()
        .find(|k| **k == code)
        .copied()
        .ok_or("currency_unknown")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn reads_what_people_type() {
        assert_eq!(parse_amount_text("1,234.50"), Ok(d("1234.5")));
        assert_eq!(parse_amount_text(" 1234.5 "), Ok(d("1234.5")));
        assert_eq!(parse_amount_text("１２３４．５"), Ok(d("1234.5")));
        assert_eq!(parse_amount_text("0.0001"), Ok(d("0.0001")));
        assert_eq!(parse_amount_text("10.00000"), Ok(d("10")));
    }

    #[test]
    fn refuses_negative_absurd_and_garbage() {
        assert_eq!(parse_amount_text("-5"), Err("amount_negative"));
        assert_eq!(parse_amount_text("－5"), Err("amount_negative"));
        assert_eq!(parse_amount_text("1000000000001"), Err("amount_too_large"));
        assert_eq!(
            parse_amount_text("99999999999999999999999999999999"),
            Err("amount_too_large")
        );
        assert_eq!(parse_amount_text("1e5"), Err("not_a_number"));
        assert_eq!(parse_amount_text("1.2.3"), Err("not_a_number"));
        assert_eq!(parse_amount_text("1.23456"), Err("amount_decimals"));
        assert_eq!(parse_amount_text(""), Err("required"));
    }

    #[test]
    fn currencies_are_known_codes() {
        assert_eq!(parse_currency_code("usd"), Ok("USD"));
        assert_eq!(parse_currency_code("XYZ"), Err("currency_unknown"));
        assert_eq!(parse_currency_code(""), Err("required"));
    }
}
