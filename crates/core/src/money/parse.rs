//! Strict parsing of the numbers people type: amounts, unit prices, quantities, rates.
//!
//! Accepted: digits with an optional `.` and decimals, optionally grouped by `,` in
//! threes ("1,234.50"), full-width digits and punctuation as a Chinese input method
//! types them ("１２３４．５０", "１，２３４"), surrounding spaces. Refused with a typed
//! error: empty text, a sign (`-` is [`MoneyError::Negative`], `+` is invalid), any
//! other character (letters, a currency sign, "1.234,50"), a wrong grouping ("12,34"),
//! more decimals than allowed, and values above [`MAX_AMOUNT`]. Nothing is rounded
//! silently: a number that does not fit is an error the user corrects.

use rust_decimal::Decimal;

use super::{Currency, MoneyError};

/// The largest amount, price or quantity Wharf takes: 10^12. Larger is a typo, and it
/// keeps every product of price × quantity far inside `Decimal`'s range.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// Unit prices may carry this many decimals even in a two-decimal currency (a screw at
/// USD 0.0035); totals are rounded to the currency's minor unit.
pub const PRICE_DECIMALS: u32 = 4;

/// Quantities: up to three decimals (2.5 tons, 0.125 m³).
pub const QUANTITY_DECIMALS: u32 = 3;

/// Exchange rates: up to ten decimals (1 JPY = 0.0478123456 CNY).
pub const RATE_DECIMALS: u32 = 10;

/// Longer text is not a number anyone typed.
const MAX_INPUT_CHARS: usize = 64;

/// An amount in `currency`: at most its minor units of decimals (USD 2, JPY 0).
pub fn parse_amount(text: &str, currency: Currency) -> Result<Decimal, MoneyError> {
    parse_decimal(text, currency.minor_units())
}

/// A unit price in `currency`: at most [`PRICE_DECIMALS`] decimals, or the currency's
/// minor units when they are more (KWD 3 < 4, so 4).
pub fn parse_price(text: &str, currency: Currency) -> Result<Decimal, MoneyError> {
    parse_decimal(text, currency.minor_units().max(PRICE_DECIMALS))
}

/// A quantity: at most [`QUANTITY_DECIMALS`] decimals.
pub fn parse_quantity(text: &str) -> Result<Decimal, MoneyError> {
    parse_decimal(text, QUANTITY_DECIMALS)
}

/// An exchange rate: more than zero, at most [`RATE_DECIMALS`] decimals.
pub fn parse_rate(text: &str) -> Result<Decimal, MoneyError> {
    let rate = parse_decimal(text, RATE_DECIMALS)?;
    if rate.is_zero() {
        return Err(MoneyError::Zero);
    }
    Ok(rate)
}

/// A non-negative number of at most `max_decimals` decimals and at most [`MAX_AMOUNT`].
pub fn parse_decimal(text: &str, max_decimals: u32) -> Result<Decimal, MoneyError> {
    if text.chars().count() > MAX_INPUT_CHARS {
        return Err(MoneyError::Invalid);
    }
    let normal: String = text.trim().chars().map(half_width).collect();
    let normal = normal.trim();
    if normal.is_empty() {
        return Err(MoneyError::Empty);
    }
    let unsigned = match normal.strip_prefix('-') {
        Some(rest) if looks_numeric(rest.trim_start()) => return Err(MoneyError::Negative),
        Some(_) => return Err(MoneyError::Invalid),
        None => normal,
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = if whole.is_empty() && fraction.is_some() {
        String::new()
    } else {
        ungroup(whole)?
    };
    if let Some(f) = fraction {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MoneyError::Invalid);
        }
        if f.len() > max_decimals as usize {
            return Err(MoneyError::TooManyDecimals {
                allowed: max_decimals,
            });
        }
    }
    // Leading zeros say nothing; they also must not make "0000…1" pass the length check.
    let significant = digits.trim_start_matches('0');
    if significant.len() > 13 {
        return Err(MoneyError::TooLarge);
    }
    let literal = match fraction {
        Some(f) => format!("{}.{f}", if digits.is_empty() { "0" } else { &digits }),
        None => digits,
    };
    let value = Decimal::from_str_exact(&literal).map_err(|_| MoneyError::Invalid)?;
    if value > Decimal::from(MAX_AMOUNT) {
        return Err(MoneyError::TooLarge);
    }
    Ok(value)
}

/// Full-width digits, comma, full stop and minus (what a Chinese IME types) to ASCII;
/// an ideographic space to a space.
fn half_width(ch: char) -> char {
    match ch {
        '０'..='９' => char::from(b'0' + (ch as u32 - '０' as u32) as u8),
        '，' => ',',
        '．' => '.',
        '－' | '−' => '-',
        '　' => ' ',
        _ => ch,
    }
}

fn looks_numeric(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
}

/// The digits of the whole part, with `,` grouping checked: the first group has one to
/// three digits, every further group exactly three.
fn ungroup(whole: &str) -> Result<String, MoneyError> {
    if whole.is_empty() {
        return Err(MoneyError::Invalid);
    }
    let groups: Vec<&str> = whole.split(',').collect();
    for (i, g) in groups.iter().enumerate() {
        if g.is_empty() || !g.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MoneyError::Invalid);
        }
        if groups.len() > 1 && ((i == 0 && g.len() > 3) || (i > 0 && g.len() != 3)) {
            return Err(MoneyError::Invalid);
        }
    }
    Ok(groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::usd()
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap_or_default()
    }

    #[test]
    fn what_people_type_is_read_exactly() {
        for (text, want) in [
            ("1,234.50", "1234.50"),
            ("1234.5", "1234.5"),
            ("1234", "1234"),
            ("  410 ", "410"),
            ("0.07", "0.07"),
            (".5", "0.5"),
            ("1,000,000", "1000000"),
            ("0", "0"),
        ] {
            assert_eq!(parse_amount(text, usd()), Ok(dec(want)), "{text}");
        }
    }

    #[test]
    fn full_width_input_is_read_like_ascii() {
        assert_eq!(parse_amount("１２３４．５０", usd()), Ok(dec("1234.50")));
        assert_eq!(parse_amount("１，２３４", usd()), Ok(dec("1234")));
        assert_eq!(parse_amount("　８８　", usd()), Ok(dec("88")));
    }

    #[test]
    fn a_negative_amount_is_refused_as_negative() {
        assert_eq!(parse_amount("-5", usd()), Err(MoneyError::Negative));
        assert_eq!(parse_amount("－１２", usd()), Err(MoneyError::Negative));
        assert_eq!(parse_amount("- 1,000.00", usd()), Err(MoneyError::Negative));
    }

    #[test]
    fn absurd_amounts_are_refused_as_too_large() {
        assert_eq!(
            parse_amount("1000000000000", usd()),
            Ok(dec("1000000000000"))
        );
        assert_eq!(
            parse_amount("1000000000000.01", usd()),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(
            parse_amount("99999999999999999999999999999999", usd()),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(parse_amount("00000000000000000001", usd()), Ok(dec("1")));
    }

    #[test]
    fn more_decimals_than_the_currency_has_are_refused() {
        assert_eq!(
            parse_amount("1.005", usd()),
            Err(MoneyError::TooManyDecimals { allowed: 2 })
        );
        let jpy = Currency::from_code("JPY").unwrap_or(usd());
        assert_eq!(
            parse_amount("100.5", jpy),
            Err(MoneyError::TooManyDecimals { allowed: 0 })
        );
        let kwd = Currency::from_code("KWD").unwrap_or(usd());
        assert_eq!(parse_amount("1.005", kwd), Ok(dec("1.005")));
    }

    #[test]
    fn unit_prices_may_have_four_decimals_quantities_three() {
        assert_eq!(parse_price("0.0035", usd()), Ok(dec("0.0035")));
        assert_eq!(
            parse_price("0.00351", usd()),
            Err(MoneyError::TooManyDecimals { allowed: 4 })
        );
        assert_eq!(parse_quantity("2.125"), Ok(dec("2.125")));
        assert_eq!(
            parse_quantity("2.1255"),
            Err(MoneyError::TooManyDecimals { allowed: 3 })
        );
    }

    #[test]
    fn garbage_is_invalid_not_a_panic() {
        for bad in [
            "abc", "1.234,50", "12,34", "1,2345", ",123", "1,", "1..2", "1.", "+5", "$5", "5 USD",
            "1e5", "NaN", "inf", "1 000", "٣", "--5", "-", "0x10", "1.2.3",
        ] {
            assert_eq!(parse_amount(bad, usd()), Err(MoneyError::Invalid), "{bad}");
        }
        assert_eq!(
            parse_amount(&"9".repeat(10_000), usd()),
            Err(MoneyError::Invalid)
        );
    }

    #[test]
    fn empty_input_is_its_own_error() {
        assert_eq!(parse_amount("", usd()), Err(MoneyError::Empty));
        assert_eq!(parse_amount("   ", usd()), Err(MoneyError::Empty));
    }

    #[test]
    fn a_rate_must_be_above_zero() {
        assert_eq!(parse_rate("7.1234"), Ok(dec("7.1234")));
        assert_eq!(parse_rate("0.0478123456"), Ok(dec("0.0478123456")));
        assert_eq!(parse_rate("0"), Err(MoneyError::Zero));
        assert_eq!(parse_rate("0.00"), Err(MoneyError::Zero));
        assert_eq!(parse_rate("-7"), Err(MoneyError::Negative));
    }
}
