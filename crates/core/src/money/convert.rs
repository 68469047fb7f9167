//! Conversion at a dated rate. The original amount and currency are what is stored;
//! a converted value is computed from them each time it is shown or totalled, so
//! switching the display currency back and forth can never drift an amount (SuiteCRM
//! #10519, where 410 became 410.49 because converted values were stored and
//! converted again).

use rust_decimal::Decimal;

use super::amount::round_to_minor;
use super::{Currency, Money, MoneyError};
use crate::zone::Day;

/// One unit of `currency` is worth `per_unit` of `base`, by the rate of `day` (the day
/// the rate was entered for, which may be before the day it is used on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub currency: Currency,
    pub base: Currency,
    pub per_unit: Decimal,
    pub day: Day,
}

impl Rate {
    /// The base currency against itself: 1.
    pub fn identity(base: Currency, day: Day) -> Rate {
        Rate {
            currency: base,
            base,
            per_unit: Decimal::ONE,
            day,
        }
    }
}

/// No rate for `currency` on or before `day`: the user is told to add one under
/// System → Exchange rates (`error.no_exchange_rate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoRate {
    pub currency: Currency,
    pub day: Day,
}

/// An amount shown in another currency, with what it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Converted {
    /// The stored amount, unchanged.
    pub original: Money,
    /// The value in the target currency, rounded to its minor unit.
    pub value: Money,
}

/// `money` in the base currency of `rate`. Money already in the base currency comes
/// back as it is; a rate for another currency is [`MoneyError::WrongRate`].
pub fn to_base(money: Money, rate: &Rate) -> Result<Converted, MoneyError> {
    if money.currency == rate.base {
        return Ok(Converted {
            original: money,
            value: money.rounded(),
        });
    }
    if money.currency != rate.currency {
        return Err(MoneyError::WrongRate);
    }
    let value = money
        .amount
        .checked_mul(rate.per_unit)
        .ok_or(MoneyError::TooLarge)?;
    Ok(Converted {
        original: money,
        value: Money::new(round_to_minor(value, rate.base), rate.base),
    })
}

/// `money` (in `from.currency`) in `to.currency`, through the common base:
/// amount × from / to, rounded once at the end.
pub fn between(money: Money, from: &Rate, to: &Rate) -> Result<Converted, MoneyError> {
    if from.base != to.base || money.currency != from.currency {
        return Err(MoneyError::WrongRate);
    }
    if money.currency == to.currency {
        return Ok(Converted {
            original: money,
            value: money.rounded(),
        });
    }
    let in_base = money
        .amount
        .checked_mul(from.per_unit)
        .ok_or(MoneyError::TooLarge)?;
    let value = in_base
        .checked_div(to.per_unit)
        .ok_or(MoneyError::TooLarge)?;
    Ok(Converted {
        original: money,
        value: Money::new(round_to_minor(value, to.currency), to.currency),
    })
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

    fn day(iso: &str) -> Day {
        Day::parse_iso(iso).unwrap_or_else(|| panic!("{iso}"))
    }

    fn rate(code: &str, per_unit: &str) -> Rate {
        Rate {
            currency: cur(code),
            base: cur("CNY"),
            per_unit: dec(per_unit),
            day: day("2026-12-01"),
        }
    }

    #[test]
    fn an_amount_converts_to_the_base_rounded_half_away_from_zero() {
        let m = Money::new(dec("410"), cur("USD"));
        let c = to_base(m, &rate("USD", "7.1235")).map(|c| c.value.amount_text());
        // 410 × 7.1235 = 2920.635 → 2920.64
        assert_eq!(c.as_deref(), Ok("2920.64"));
    }

    #[test]
    fn switching_the_display_currency_never_changes_the_stored_amount() {
        // SuiteCRM #10519: 410 USD shown in EUR and back became 410.49.
        let stored = Money::new(dec("410"), cur("USD"));
        let (usd, eur) = (rate("USD", "7.1234"), rate("EUR", "7.7031"));
        let mut shown = Vec::new();
        for _ in 0..50 {
            let in_eur = between(stored, &usd, &eur).map(|c| c.value);
            let in_usd = between(stored, &usd, &usd).map(|c| c.value);
            shown.push((in_eur, in_usd));
        }
        assert!(shown.iter().all(|s| *s == shown[0]));
        assert_eq!(shown[0].1.map(|m| m.amount_text()).as_deref(), Ok("410.00"));
        // 410 × 7.1234 / 7.7031 = 379.1456… → 379.15
        assert_eq!(shown[0].0.map(|m| m.amount_text()).as_deref(), Ok("379.15"));
        assert_eq!(stored.amount, dec("410"));
    }

    #[test]
    fn a_converted_value_keeps_its_original() {
        let m = Money::new(dec("410"), cur("USD"));
        let c = to_base(m, &rate("USD", "7.1")).map(|c| c.original);
        assert_eq!(c, Ok(m));
    }

    #[test]
    fn base_money_needs_no_rate() {
        let m = Money::new(dec("99.5"), cur("CNY"));
        let c = to_base(m, &rate("USD", "7")).map(|c| c.value.amount_text());
        assert_eq!(c.as_deref(), Ok("99.50"));
        let id = Rate::identity(cur("CNY"), day("2026-01-01"));
        assert_eq!(to_base(m, &id).map(|c| c.value.amount), Ok(dec("99.50")));
    }

    #[test]
    fn a_rate_of_another_currency_is_refused() {
        let m = Money::new(dec("1"), cur("EUR"));
        assert_eq!(to_base(m, &rate("USD", "7")), Err(MoneyError::WrongRate));
        assert_eq!(
            between(m, &rate("USD", "7"), &rate("EUR", "8")),
            Err(MoneyError::WrongRate)
        );
    }

    #[test]
    fn converting_to_a_zero_decimal_currency_rounds_to_whole_units() {
        let m = Money::new(dec("100"), cur("USD"));
        let c = between(m, &rate("USD", "7.1234"), &rate("JPY", "0.0478"));
        // 712.34 / 0.0478 = 14902.510… → 14903
        assert_eq!(c.map(|c| c.value.amount_text()).as_deref(), Ok("14903"));
    }
}
