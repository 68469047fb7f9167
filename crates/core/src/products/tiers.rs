//! Price tiers: per currency, from a quantity on, a unit price. The tier that applies
//! to a quantity is the one with the largest "from" not above it.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::money::{Currency, MoneyError, parse_price, parse_quantity};
use crate::validate::FieldErrors;

/// At most this many tiers per product (all currencies together).
pub const MAX_TIERS: usize = 60;

/// One tier as typed: three texts of a form row or an import cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TierInput {
    pub currency: String,
    pub min_qty: String,
    pub unit_price: String,
}

impl TierInput {
    fn is_blank(&self) -> bool {
        self.min_qty.trim().is_empty() && self.unit_price.trim().is_empty()
    }
}

/// A checked tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PriceTier {
    pub currency: Currency,
    /// From this quantity on (at least 1 unit, or a fraction for goods sold by weight).
    #[serde(serialize_with = "as_text")]
    pub min_qty: Decimal,
    #[serde(serialize_with = "as_text")]
    pub unit_price: Decimal,
}

fn as_text<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_string())
}

/// Checks the tiers: blank rows are skipped; a bad currency, quantity or price is named
/// by its row (`tier<i>_currency`, `tier<i>_min_qty`, `tier<i>_unit_price`); two tiers
/// of one currency from the same quantity overlap (`tier_overlap`). The result is
/// sorted by currency, then quantity.
pub fn check_tiers(rows: &[TierInput], errors: &mut FieldErrors) -> Vec<PriceTier> {
    let mut out: Vec<PriceTier> = Vec::new();
    let filled: Vec<(usize, &TierInput)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_blank())
        .collect();
    if filled.len() > MAX_TIERS {
        errors.add("tiers", "too_many_tiers");
        return out;
    }
    for (i, row) in filled {
        let name = |part: &str| format!("tier{i}_{part}");
        let currency = match Currency::from_code(&row.currency) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.add_owned(name("currency"), e.code());
                None
            }
        };
        let min_qty = match parse_quantity(&row.min_qty) {
            Ok(q) if q.is_zero() => {
                errors.add_owned(name("min_qty"), MoneyError::Zero.code());
                None
            }
            Ok(q) => Some(q),
            Err(e) => {
                errors.add_owned(name("min_qty"), e.code());
                None
            }
        };
        let unit_price = match currency {
            Some(c) => match parse_price(&row.unit_price, c) {
                Ok(p) => Some(p),
                Err(e) => {
                    errors.add_owned(name("unit_price"), e.code());
                    None
                }
            },
            None => None,
        };
        if let (Some(currency), Some(min_qty), Some(unit_price)) = (currency, min_qty, unit_price) {
            if out
                .iter()
                .any(|t| t.currency == currency && t.min_qty == min_qty)
            {
                errors.add_owned(name("min_qty"), "tier_overlap");
                continue;
            }
            out.push(PriceTier {
                currency,
                min_qty: min_qty.normalize(),
                unit_price: unit_price.normalize(),
            });
        }
    }
    out.sort_by_key(|t| (t.currency, t.min_qty));
    out
}

/// The unit price for `qty` in `currency`: the tier with the largest "from" not above
/// the quantity. `None` when the product has no price in that currency, or the quantity
/// is below its first tier.
pub fn unit_price_for(tiers: &[PriceTier], currency: Currency, qty: Decimal) -> Option<PriceTier> {
    tiers
        .iter()
        .filter(|t| t.currency == currency && t.min_qty <= qty)
        .max_by(|a, b| a.min_qty.cmp(&b.min_qty))
        .copied()
}

/// The currencies a product has prices in, in order.
pub fn currencies(tiers: &[PriceTier]) -> Vec<Currency> {
    let mut seen: BTreeMap<Currency, ()> = BTreeMap::new();
    for t in tiers {
        seen.insert(t.currency, ());
    }
    seen.into_keys().collect()
}

/// The tiers as one line of text, for a spreadsheet cell: `USD 1=12.5, 100=11; EUR 1=11.5`.
pub fn tiers_text(tiers: &[PriceTier]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in currencies(tiers) {
        let steps: Vec<String> = tiers
            .iter()
            .filter(|t| t.currency == c)
            .map(|t| format!("{}={}", t.min_qty, t.unit_price))
            .collect();
        parts.push(format!("{c} {}", steps.join(", ")));
    }
    parts.join("; ")
}

/// Reads [`tiers_text`]'s form back into tier rows (checked by [`check_tiers`]); a
/// part that cannot be read is the error code `invalid_tiers`. A bare price after a currency ("USD 12.5")
/// is a tier from 1.
pub fn parse_tiers_text(text: &str) -> Result<Vec<TierInput>, &'static str> {
    const BAD: &str = "invalid_tiers";
    let mut rows = Vec::new();
    let normal: String = text
        .chars()
        .map(|c| match c {
            '；' => ';',
            '，' => ',',
            '＝' => '=',
            '　' => ' ',
            _ => c,
        })
        .collect();
    for part in normal.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (code, steps) = part.split_once(' ').ok_or(BAD)?;
        for step in steps.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (min_qty, unit_price) = match step.split_once('=') {
                Some((q, p)) => (q.trim(), p.trim()),
                None => ("1", step),
            };
            rows.push(TierInput {
                currency: code.trim().to_string(),
                min_qty: min_qty.to_string(),
                unit_price: unit_price.to_string(),
            });
        }
    }
    if rows.len() > MAX_TIERS * 2 {
        return Err(BAD);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(c: &str, q: &str, p: &str) -> TierInput {
        TierInput {
            currency: c.into(),
            min_qty: q.into(),
            unit_price: p.into(),
        }
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap_or_default()
    }

    fn checked(rows: &[TierInput]) -> (Vec<PriceTier>, Vec<(String, &'static str)>) {
        let mut e = FieldErrors::default();
        let t = check_tiers(rows, &mut e);
        (
            t,
            e.0.into_iter()
                .map(|f| (f.field.to_string(), f.code))
                .collect(),
        )
    }

    #[test]
    fn the_tier_of_a_quantity_is_the_largest_from_not_above_it() {
        let (tiers, errors) = checked(&[
            row("USD", "1", "12.50"),
            row("USD", "100", "11.00"),
            row("USD", "1000", "9.80"),
            row("EUR", "1", "11.5"),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        let usd = Currency::usd();
        let price = |q: &str| unit_price_for(&tiers, usd, dec(q)).map(|t| t.unit_price.to_string());
        assert_eq!(price("1").as_deref(), Some("12.5"));
        assert_eq!(price("99").as_deref(), Some("12.5"));
        assert_eq!(price("100").as_deref(), Some("11"));
        assert_eq!(price("5000").as_deref(), Some("9.8"));
        assert_eq!(price("0.5"), None);
        let jpy = Currency::from_code("JPY").unwrap_or(usd);
        assert_eq!(unit_price_for(&tiers, jpy, dec("10")), None);
    }

    #[test]
    fn two_tiers_from_the_same_quantity_overlap() {
        let (tiers, errors) = checked(&[
            row("USD", "100", "11"),
            row("EUR", "100", "10"),
            row("USD", "100.0", "10.5"),
        ]);
        assert_eq!(errors, [("tier2_min_qty".to_string(), "tier_overlap")]);
        assert_eq!(tiers.len(), 2);
    }

    #[test]
    fn bad_tiers_are_named_by_row_and_blank_rows_skipped() {
        let (_, errors) = checked(&[
            row("", "", ""),
            row("XYZ", "1", "5"),
            row("USD", "-1", "5"),
            row("USD", "10", "-5"),
            row("USD", "1", "1.00001"),
            row("USD", "0", "5"),
            row("USD", "1", "99999999999999"),
        ]);
        assert_eq!(
            errors,
            [
                ("tier1_currency".to_string(), "unknown_currency"),
                ("tier2_min_qty".to_string(), "money_negative"),
                ("tier3_unit_price".to_string(), "money_negative"),
                ("tier4_unit_price".to_string(), "money_too_many_decimals"),
                ("tier5_min_qty".to_string(), "money_zero"),
                ("tier6_unit_price".to_string(), "money_too_large"),
            ]
        );
    }

    #[test]
    fn too_many_tiers_are_refused() {
        let rows: Vec<TierInput> = (1..=MAX_TIERS + 1)
            .map(|i| row("USD", &i.to_string(), "1"))
            .collect();
        assert_eq!(checked(&rows).1, [("tiers".to_string(), "too_many_tiers")]);
    }

    #[test]
    fn the_text_form_round_trips() {
        let (tiers, _) = checked(&[
            row("USD", "100", "11.00"),
            row("USD", "1", "12.50"),
            row("EUR", "1", "11.5"),
        ]);
        let text = tiers_text(&tiers);
        assert_eq!(text, "EUR 1=11.5; USD 1=12.5, 100=11");
        let back = parse_tiers_text(&text).unwrap_or_default();
        assert_eq!(checked(&back).0, tiers);
    }

    #[test]
    fn the_text_form_takes_full_width_punctuation_and_bare_prices() {
        let rows = parse_tiers_text("USD 12.5；ＥＵＲ 1＝10，50=9").unwrap_or_default();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0], row("USD", "1", "12.5"));
        assert_eq!(parse_tiers_text("nonsense"), Err("invalid_tiers"));
    }
}
