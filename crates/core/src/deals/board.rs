//! The board's arithmetic: totals per currency (never one sum of USD and EUR), the
//! pipeline value in the company's base currency at given rates (weighted by probability
//! and not), naming every currency without a rate instead of dropping it silently, and
//! whether an opportunity is rotting.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::money::{Currency, round_to_minor};

/// Rounds to the currency's minor unit; a code the list does not know (only a damaged
/// row could hold one) is left exact.
fn round_in(v: Decimal, currency: &str) -> Decimal {
    match Currency::from_code(currency) {
        Ok(c) => round_to_minor(v, c),
        Err(_) => v,
    }
}

/// What the arithmetic reads of open opportunities of one currency and probability:
/// how many and their summed amount (one opportunity is a group of one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardFacts {
    pub currency: String,
    pub count: i64,
    pub amount: Decimal,
    /// In percent.
    pub probability: i64,
}

/// The opportunities of one currency: how many, their sum, and their sum weighted by
/// probability.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CurrencyTotal {
    pub currency: String,
    pub count: i64,
    pub amount: Decimal,
    pub weighted: Decimal,
}

fn weighted(c: &CardFacts) -> Decimal {
    c.amount * Decimal::from(c.probability) / Decimal::from(100)
}

/// Totals per currency, by currency code.
pub fn column_totals<'a>(cards: impl IntoIterator<Item = &'a CardFacts>) -> Vec<CurrencyTotal> {
    let mut by: BTreeMap<&str, CurrencyTotal> = BTreeMap::new();
    for c in cards {
        let t = by.entry(&c.currency).or_insert_with(|| CurrencyTotal {
            currency: c.currency.clone(),
            count: 0,
            amount: Decimal::ZERO,
            weighted: Decimal::ZERO,
        });
        t.count += c.count;
        t.amount += c.amount;
        t.weighted += weighted(c);
    }
    by.into_values()
        .map(|t| CurrencyTotal {
            weighted: round_in(t.weighted, &t.currency),
            ..t
        })
        .collect()
}

/// The rate of each currency on the day asked: how many units of the base currency one
/// unit is worth; `None` where there is none.
pub type Rates = BTreeMap<String, Option<Decimal>>;

/// The pipeline value in the base currency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PipelineValue {
    pub base: String,
    pub total: Decimal,
    pub weighted: Decimal,
    /// Currencies without a rate: their opportunities are not in the value, and the page
    /// says so.
    pub missing: Vec<String>,
}

/// Converts each currency's totals at its rate (the base currency at 1) and adds them;
/// rounding only at the end, so the result does not drift with the number of cards.
pub fn pipeline_value(totals: &[CurrencyTotal], base: &str, rates: &Rates) -> PipelineValue {
    let mut total = Decimal::ZERO;
    let mut weighted = Decimal::ZERO;
    let mut missing = Vec::new();
    for t in totals {
        let rate = if t.currency == base {
            Some(Decimal::ONE)
        } else {
            rates.get(&t.currency).copied().flatten()
        };
        match rate {
            Some(r) => {
                total += t.amount * r;
                weighted += t.weighted * r;
            }
            None => missing.push(t.currency.clone()),
        }
    }
    PipelineValue {
        base: base.to_string(),
        total: round_in(total, base),
        weighted: round_in(weighted, base),
        missing,
    }
}

/// Rotting: no activity (a change, a move, a contact with the customer) for the stage's
/// rotting days. A stage without a threshold never rots.
pub fn is_rotting(last_activity: i64, now: i64, rotting_days: Option<i64>) -> bool {
    rotting_days.is_some_and(|d| d > 0 && now - last_activity > d * 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(currency: &str, amount: &str, probability: i64) -> CardFacts {
        CardFacts {
            currency: currency.into(),
            count: 1,
            amount: amount.parse().unwrap(),
            probability,
        }
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn totals_stay_per_currency() {
        let cards = [
            card("USD", "100", 50),
            card("EUR", "200", 10),
            card("USD", "50.5", 50),
        ];
        let t = column_totals(&cards);
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].currency.as_str(), t[0].count, t[0].amount),
            ("EUR", 1, d("200"))
        );
        assert_eq!(
            (t[1].currency.as_str(), t[1].count, t[1].amount),
            ("USD", 2, d("150.5"))
        );
        assert_eq!(t[1].weighted, d("75.25"));
    }

    #[test]
    fn the_value_converts_and_names_missing_rates() {
        let t = column_totals(&[
            card("USD", "100", 50),
            card("EUR", "200", 10),
            card("CNY", "1000", 100),
        ]);
        let mut rates = Rates::new();
        rates.insert("USD".into(), Some(d("7.1234")));
        rates.insert("EUR".into(), None);
        let v = pipeline_value(&t, "CNY", &rates);
        assert_eq!(v.total, d("1712.34"));
        assert_eq!(v.weighted, d("1356.17"));
        assert_eq!(v.missing, vec!["EUR".to_string()]);
    }

    #[test]
    fn converting_does_not_drift() {
        // SuiteCRM #10519: 410 shown as 410.49 after switching; summing first and
        // rounding once keeps 410.00.
        let cards: Vec<CardFacts> = (0..41).map(|_| card("USD", "10", 100)).collect();
        let t = column_totals(&cards);
        let mut rates = Rates::new();
        rates.insert("USD".into(), Some(d("1")));
        assert_eq!(pipeline_value(&t, "CNY", &rates).total, d("410"));
    }

    #[test]
    fn rotting_counts_whole_days_past_the_threshold() {
        let day = 86_400;
        assert!(!is_rotting(0, 7 * day, Some(7)));
        assert!(is_rotting(0, 7 * day + 1, Some(7)));
        assert!(!is_rotting(0, 400 * day, None));
    }
}
