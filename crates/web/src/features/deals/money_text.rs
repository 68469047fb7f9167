//! Amounts as people read them: grouped thousands, two decimals, the currency code
//! after ("1,234.50 USD"); the same in both languages, so a column lines up.

use rust_decimal::Decimal;

pub fn amount(value: Decimal, currency: &str) -> String {
    format!("{} {currency}", number(value))
}

/// A decimal with grouped thousands and two decimals (rounded half away from zero).
pub fn number(value: Decimal) -> String {
    let v = wharf_core::deals::round_money(value);
    let text = format!("{v:.2}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let (sign, digits) = match int.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{frac}")
}

/// A quantity or unit price as stored, without trailing zeros ("12.345", "500").
pub fn plain(value: Decimal) -> String {
    value.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_rounds() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(amount(d("1234.5"), "USD"), "1,234.50 USD");
        assert_eq!(number(d("1234567.005")), "1,234,567.01");
        assert_eq!(number(d("0")), "0.00");
        assert_eq!(number(d("999")), "999.00");
        assert_eq!(plain(d("12.3450")), "12.345");
    }
}
