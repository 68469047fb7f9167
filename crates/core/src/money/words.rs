//! An amount in words, as trade documents print it under the total: English
//! ("SAY US DOLLARS ONE THOUSAND TWO HUNDRED AND THIRTY-FOUR AND CENTS FIFTY-SIX ONLY")
//! and Chinese capital figures (大写金额, "人民币壹仟贰佰叁拾肆元伍角陆分"), both from the
//! exact decimal rounded to the currency's minor unit; never a float.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::{Currency, round_to_minor};

/// Amounts from this size up are not spelt (beyond 万亿 and "TRILLION" nobody quotes).
const LIMIT: u128 = 10_000_000_000_000_000;

/// The whole units and the minor units (as an integer of `minor_units` digits) of a
/// non-negative amount, rounded to the currency; None when negative or too large.
fn parts(amount: Decimal, currency: Currency) -> Option<(u128, u128)> {
    let rounded = round_to_minor(amount, currency);
    if rounded.is_sign_negative() && !rounded.is_zero() {
        return None;
    }
    let whole = rounded.trunc().to_u128()?;
    if whole >= LIMIT {
        return None;
    }
    let scale = Decimal::from(10u64.pow(currency.minor_units()));
    let minor = ((rounded - rounded.trunc()) * scale).trunc().to_u128()?;
    Some((whole, minor))
}

const ONES: [&str; 20] = [
    "ZERO",
    "ONE",
    "TWO",
    "THREE",
    "FOUR",
    "FIVE",
    "SIX",
    "SEVEN",
    "EIGHT",
    "NINE",
    "TEN",
    "ELEVEN",
    "TWELVE",
    "THIRTEEN",
    "FOURTEEN",
    "FIFTEEN",
    "SIXTEEN",
    "SEVENTEEN",
    "EIGHTEEN",
    "NINETEEN",
];
const TENS: [&str; 10] = [
    "", "", "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY",
];
const SCALES: [&str; 5] = ["", "THOUSAND", "MILLION", "BILLION", "TRILLION"];

/// 0..1000 in words ("ONE HUNDRED AND FIVE"); empty for 0.
fn below_thousand(n: u128) -> String {
    let (hundreds, rest) = (n / 100, n % 100);
    let mut out = String::new();
    if hundreds > 0 {
        out.push_str(ONES[hundreds as usize]);
        out.push_str(" HUNDRED");
    }
    if rest > 0 {
        if !out.is_empty() {
            out.push_str(" AND ");
        }
        if rest < 20 {
            out.push_str(ONES[rest as usize]);
        } else {
            out.push_str(TENS[(rest / 10) as usize]);
            if rest % 10 > 0 {
                out.push('-');
                out.push_str(ONES[(rest % 10) as usize]);
            }
        }
    }
    out
}

/// A whole number in English words, "ZERO" for 0.
fn english_number(n: u128) -> String {
    if n == 0 {
        return ONES[0].to_owned();
    }
    let mut groups = Vec::new();
    let mut m = n;
    while m > 0 {
        groups.push(m % 1000);
        m /= 1000;
    }
    let mut words: Vec<String> = Vec::new();
    for (i, g) in groups.iter().enumerate().rev() {
        if *g == 0 {
            continue;
        }
        // "ONE THOUSAND AND FIVE": a last group below a hundred after larger ones.
        if i == 0 && *g < 100 && !words.is_empty() {
            words.push("AND".to_owned());
        }
        let mut part = below_thousand(*g);
        if !SCALES[i].is_empty() {
            part.push(' ');
            part.push_str(SCALES[i]);
        }
        words.push(part);
    }
    words.join(" ")
}

/// The currency's name as printed after SAY ("US DOLLARS", "EUROS").
fn english_currency(currency: Currency) -> String {
    match currency.code() {
        "USD" => "US DOLLARS".to_owned(),
        "EUR" => "EUROS".to_owned(),
        "CNY" => "CHINESE YUAN".to_owned(),
        "GBP" => "POUNDS STERLING".to_owned(),
        "JPY" => "JAPANESE YEN".to_owned(),
        "HKD" => "HONG KONG DOLLARS".to_owned(),
        "AUD" => "AUSTRALIAN DOLLARS".to_owned(),
        "CAD" => "CANADIAN DOLLARS".to_owned(),
        "RUB" => "RUSSIAN ROUBLES".to_owned(),
        "AED" => "UAE DIRHAMS".to_owned(),
        _ => currency.name(false).to_uppercase(),
    }
}

/// "SAY US DOLLARS … AND CENTS … ONLY"; None for a negative or absurd amount.
pub fn english_words(amount: Decimal, currency: Currency) -> Option<String> {
    let (whole, minor) = parts(amount, currency)?;
    let mut out = format!(
        "SAY {} {}",
        english_currency(currency),
        english_number(whole)
    );
    if minor > 0 {
        match currency.minor_units() {
            2 => {
                let name = if currency.code() == "GBP" {
                    "PENCE"
                } else {
                    "CENTS"
                };
                out.push_str(&format!(" AND {name} {}", english_number(minor)));
            }
            units => out.push_str(&format!(
                " AND {minor:0width$}/{}",
                10u64.pow(units),
                width = units as usize
            )),
        }
    }
    out.push_str(" ONLY");
    Some(out)
}

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACES: [&str; 4] = ["", "拾", "佰", "仟"];
const SECTIONS: [&str; 4] = ["", "万", "亿", "万亿"];

/// 1..10000 in capital figures, zeros inside said once ("壹仟零伍").
fn chinese_group(g: u128) -> String {
    let mut out = String::new();
    let mut zero = false;
    for place in (0..4).rev() {
        let d = (g / 10u128.pow(place as u32)) % 10;
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        out.push(DIGITS[d as usize]);
        out.push_str(PLACES[place]);
    }
    out
}

/// A whole number in capital figures ("壹拾万零壹"), "零" for 0.
fn chinese_number(n: u128) -> String {
    if n == 0 {
        return "零".to_owned();
    }
    let mut groups = Vec::new();
    let mut m = n;
    while m > 0 {
        groups.push(m % 10_000);
        m /= 10_000;
    }
    let mut out = String::new();
    let mut gap = false;
    for (i, g) in groups.iter().enumerate().rev() {
        if *g == 0 {
            gap = !out.is_empty();
            continue;
        }
        if !out.is_empty() && (gap || *g < 1000) {
            out.push('零');
        }
        gap = false;
        out.push_str(&chinese_group(*g));
        out.push_str(SECTIONS[i]);
    }
    out
}

/// 大写金额 of a CNY amount: "人民币壹仟贰佰叁拾肆元伍角陆分", "人民币壹佰元整"; None for
/// another currency, a negative or an absurd amount.
pub fn chinese_capital(amount: Decimal, currency: Currency) -> Option<String> {
    if currency.code() != "CNY" {
        return None;
    }
    let (whole, minor) = parts(amount, currency)?;
    let (jiao, fen) = (minor / 10, minor % 10);
    let mut out = String::from("人民币");
    if whole > 0 || minor == 0 {
        out.push_str(&chinese_number(whole));
        out.push('元');
    }
    if minor == 0 {
        out.push('整');
        return Some(out);
    }
    if jiao > 0 {
        out.push(DIGITS[jiao as usize]);
        out.push('角');
    } else if whole > 0 {
        out.push('零');
    }
    if fen > 0 {
        out.push(DIGITS[fen as usize]);
        out.push('分');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap_or_default()
    }

    fn cur(code: &str) -> Currency {
        Currency::from_code(code).unwrap_or_else(|_| Currency::usd())
    }

    #[test]
    fn english_as_trade_documents_say_it() {
        let usd = cur("USD");
        let say = |t: &str| english_words(d(t), usd).unwrap_or_default();
        assert_eq!(
            say("1234.56"),
            "SAY US DOLLARS ONE THOUSAND TWO HUNDRED AND THIRTY-FOUR AND CENTS FIFTY-SIX ONLY"
        );
        assert_eq!(say("100"), "SAY US DOLLARS ONE HUNDRED ONLY");
        assert_eq!(say("0.05"), "SAY US DOLLARS ZERO AND CENTS FIVE ONLY");
        assert_eq!(say("1005"), "SAY US DOLLARS ONE THOUSAND AND FIVE ONLY");
        assert_eq!(
            say("2000019.10"),
            "SAY US DOLLARS TWO MILLION AND NINETEEN AND CENTS TEN ONLY"
        );
        // Rounded to the minor unit half away from zero, exactly.
        assert_eq!(say("0.995"), "SAY US DOLLARS ONE ONLY");
        assert_eq!(
            english_words(d("1500"), cur("EUR")).as_deref(),
            Some("SAY EUROS ONE THOUSAND FIVE HUNDRED ONLY")
        );
        assert_eq!(
            english_words(d("12.40"), cur("GBP")).as_deref(),
            Some("SAY POUNDS STERLING TWELVE AND PENCE FORTY ONLY")
        );
        assert_eq!(
            english_words(d("70"), cur("JPY")).as_deref(),
            Some("SAY JAPANESE YEN SEVENTY ONLY")
        );
        assert_eq!(english_words(d("-1"), usd), None);
        assert_eq!(english_words(d("99999999999999999"), usd), None);
    }

    #[test]
    fn chinese_capital_figures() {
        let cny = cur("CNY");
        let cap = |t: &str| chinese_capital(d(t), cny).unwrap_or_default();
        assert_eq!(cap("1234.56"), "人民币壹仟贰佰叁拾肆元伍角陆分");
        assert_eq!(cap("100"), "人民币壹佰元整");
        assert_eq!(cap("100000"), "人民币壹拾万元整");
        assert_eq!(cap("100001"), "人民币壹拾万零壹元整");
        assert_eq!(cap("1010"), "人民币壹仟零壹拾元整");
        assert_eq!(cap("10.05"), "人民币壹拾元零伍分");
        assert_eq!(cap("0.50"), "人民币伍角");
        assert_eq!(cap("0"), "人民币零元整");
        assert_eq!(cap("100000000"), "人民币壹亿元整");
        assert_eq!(cap("105000000.3"), "人民币壹亿零伍佰万元叁角");
        assert_eq!(cap("10001000"), "人民币壹仟万壹仟元整");
        assert_eq!(cap("10000100"), "人民币壹仟万零壹佰元整");
        assert_eq!(chinese_capital(d("10"), cur("USD")), None);
        assert_eq!(chinese_capital(d("-3"), cny), None);
    }
}
