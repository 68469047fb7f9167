//! An opportunity as typed in the form or sent to the API, and its checks: a title, a
//! known currency, lines with positive quantities and non-negative prices, an expected
//! amount (typed, or the lines' sum), a probability in 0..=100, dates in range, and the
//! status with its outcome. Every failure is a field code; nothing is half-taken.

use rust_decimal::Decimal;

use super::status::{Outcome, Status, check_status};
use crate::DomainError;
use crate::money::{
    Currency, MAX_AMOUNT, parse_amount, parse_price, parse_quantity, round_to_minor,
};
use crate::validate::FieldErrors;
use crate::zone::Day;

/// Lines an opportunity may have.
pub const MAX_LINES: usize = 200;
/// Days ahead (about ten years) a date may be.
const MAX_DAYS_AHEAD: i64 = 3660;

/// One line as typed (a product of the catalog or only a name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub product_id: Option<i64>,
    pub name: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
}

impl LineInput {
    fn is_blank(&self) -> bool {
        self.product_id.is_none()
            && [&self.name, &self.quantity, &self.unit, &self.unit_price]
                .iter()
                .all(|v| v.trim().is_empty())
    }
}

/// What the form or the API sends; the customer, stage and owner are checked by the
/// store (they are rows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpportunityInput {
    pub title: String,
    pub lines: Vec<LineInput>,
    /// The expected amount; empty means the lines' sum.
    pub amount: String,
    pub currency: String,
    pub close_date: Option<Day>,
    /// In percent; `None` takes the stage's.
    pub probability: Option<i64>,
    pub status: String,
    pub outcome: String,
    pub lost_reason: String,
    pub next_revisit: Option<Day>,
    pub competitors: String,
}

/// A line after its checks, with its total in the opportunity's currency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckedLine {
    pub product_id: Option<i64>,
    pub name: String,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: Decimal,
    pub total: Decimal,
}

/// The input after its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub title: String,
    pub lines: Vec<CheckedLine>,
    pub amount: Decimal,
    /// The amount is the lines' sum (not typed).
    pub amount_from_lines: bool,
    pub currency: Currency,
    pub close_date: Option<Day>,
    pub probability: Option<i64>,
    pub status: Status,
    pub outcome: Option<Outcome>,
    pub lost_reason: String,
    pub next_revisit: Option<Day>,
    pub competitors: String,
}

impl OpportunityInput {
    /// Checks the input on `today` (the company's calendar). `previous_revisit` is the
    /// stored revisit day of an opportunity being edited: keeping it is always fine.
    pub fn validate(
        self,
        today: Day,
        previous_revisit: Option<Day>,
    ) -> Result<Checked, DomainError> {
        let mut e = FieldErrors::default();
        let title = e.text("title", &self.title, true, 200);
        let currency = match Currency::from_code(&self.currency) {
            Ok(c) => Some(c),
            Err(err) if self.currency.trim().is_empty() => {
                let _ = err;
                e.add("currency", "required");
                None
            }
            Err(err) => {
                e.add("currency", err.code());
                None
            }
        };
        // Prices are read in the currency typed (its decimals); an unknown one is
        // already an error, so read them as dollars meanwhile.
        let money = currency.unwrap_or_else(Currency::usd);
        let given = self.lines.iter().filter(|l| !l.is_blank()).count();
        let lines = check_lines(&mut e, self.lines, money);
        let typed = self.amount.trim();
        let (amount, amount_from_lines) = if typed.is_empty() {
            // Nothing to value: no lines and no amount (bad lines have their own errors).
            if given == 0 {
                e.add("amount", "required");
            }
            (
                round_to_minor(lines.iter().map(|l| l.total).sum(), money),
                true,
            )
        } else {
            match parse_amount(typed, money) {
                Ok(a) => (round_to_minor(a, money), false),
                Err(err) => {
                    e.add("amount", err.code());
                    (Decimal::ZERO, false)
                }
            }
        };
        if amount > Decimal::from(MAX_AMOUNT) {
            e.add("amount", "money_too_large");
        }
        if self.probability.is_some_and(|p| !(0..=100).contains(&p)) {
            e.add("probability", "out_of_range");
        }
        if let Some(d) = self.close_date
            && (d > today.plus_days(MAX_DAYS_AHEAD) || d < today.plus_days(-MAX_DAYS_AHEAD))
        {
            e.add("close_date", "out_of_range");
        }
        if let Some(d) = self.next_revisit
            && Some(d) != previous_revisit
        {
            if d < today {
                e.add("next_revisit", "revisit_in_past");
            } else if d > today.plus_days(MAX_DAYS_AHEAD) {
                e.add("next_revisit", "out_of_range");
            }
        }
        let competitors = e.text_block("competitors", &self.competitors, false, 2000);
        let status = check_status(&self.status, &self.outcome, &self.lost_reason);
        if let Err(DomainError::Invalid(f)) = &status {
            for err in &f.0 {
                e.add_owned(err.field.to_string(), err.code);
            }
        }
        e.into_result()?;
        let (status, outcome, lost_reason) = status?;
        Ok(Checked {
            title,
            lines,
            amount,
            amount_from_lines,
            currency: money,
            close_date: self.close_date,
            probability: self.probability,
            status,
            outcome,
            lost_reason,
            next_revisit: self.next_revisit,
            competitors,
        })
    }
}

fn check_lines(e: &mut FieldErrors, lines: Vec<LineInput>, currency: Currency) -> Vec<CheckedLine> {
    let lines: Vec<LineInput> = lines.into_iter().filter(|l| !l.is_blank()).collect();
    if lines.len() > MAX_LINES {
        e.add("lines", "too_many_lines");
        return Vec::new();
    }
    let mut out = Vec::new();
    for l in lines {
        let name = e.text("line_name", &l.name, l.product_id.is_none(), 200);
        let unit = e.text("line_unit", &l.unit, false, 20);
        let quantity = match parse_quantity(&l.quantity) {
            Ok(q) if q.is_zero() => {
                e.add("line_quantity", "money_zero");
                None
            }
            Ok(q) => Some(q),
            Err(err) => {
                e.add("line_quantity", err.code());
                None
            }
        };
        let unit_price = match parse_price(&l.unit_price, currency) {
            Ok(p) => Some(p),
            Err(err) => {
                e.add("line_unit_price", err.code());
                None
            }
        };
        if let (Some(quantity), Some(unit_price)) = (quantity, unit_price) {
            let total = match quantity.checked_mul(unit_price) {
                Some(t) if t <= Decimal::from(MAX_AMOUNT) => round_to_minor(t, currency),
                _ => {
                    e.add("line_unit_price", "money_too_large");
                    Decimal::ZERO
                }
            };
            out.push(CheckedLine {
                product_id: l.product_id,
                name,
                quantity,
                unit,
                unit_price,
                total,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Day {
        Day::new(2026, 12, 7).unwrap()
    }

    fn input() -> OpportunityInput {
        OpportunityInput {
            title: "500 pumps for Hamburg".into(),
            currency: "eur".into(),
            status: "selling".into(),
            lines: vec![
                LineInput {
                    name: "Pump P-20".into(),
                    quantity: "500".into(),
                    unit: "pcs".into(),
                    unit_price: "12.345".into(),
                    ..LineInput::default()
                },
                LineInput::default(),
            ],
            ..OpportunityInput::default()
        }
    }

    fn codes(e: DomainError) -> Vec<(String, &'static str)> {
        match e {
            DomainError::Invalid(f) => f.0.iter().map(|x| (x.field.to_string(), x.code)).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn the_amount_is_the_lines_sum_when_not_typed() {
        let c = input().validate(today(), None).unwrap();
        assert_eq!(c.lines.len(), 1, "the blank row is dropped");
        assert_eq!(c.lines[0].total, "6172.50".parse::<Decimal>().unwrap());
        assert_eq!(c.amount, "6172.5".parse::<Decimal>().unwrap());
        assert!(c.amount_from_lines);
        assert_eq!(c.currency.code(), "EUR");
    }

    #[test]
    fn a_typed_amount_wins() {
        let c = OpportunityInput {
            amount: "6,000".into(),
            ..input()
        }
        .validate(today(), None)
        .unwrap();
        assert_eq!(c.amount, Decimal::from(6000));
        assert!(!c.amount_from_lines);
    }

    #[test]
    fn bad_lines_and_currency_are_field_errors() {
        let mut i = input();
        i.currency = "XYZ".into();
        i.lines[0].quantity = "-3".into();
        i.lines[1] = LineInput {
            name: "Valve".into(),
            quantity: "1".into(),
            unit_price: "abc".into(),
            ..LineInput::default()
        };
        let got = codes(i.validate(today(), None).unwrap_err());
        assert!(
            got.contains(&("currency".into(), "unknown_currency")),
            "{got:?}"
        );
        assert!(
            got.contains(&("line_quantity".into(), "money_negative")),
            "{got:?}"
        );
        assert!(
            got.contains(&("line_unit_price".into(), "money_invalid")),
            "{got:?}"
        );
        assert!(
            !got.iter().any(|(f, _)| f == "amount"),
            "bad lines are not also a missing amount: {got:?}"
        );
    }

    #[test]
    fn an_absurd_line_total_is_refused() {
        let mut i = input();
        i.lines[0].quantity = "1000000000".into();
        i.lines[0].unit_price = "1000000".into();
        let got = codes(i.validate(today(), None).unwrap_err());
        assert_eq!(got, vec![("line_unit_price".into(), "money_too_large")]);
    }

    #[test]
    fn nothing_to_value_is_refused() {
        let i = OpportunityInput {
            lines: Vec::new(),
            ..input()
        };
        assert_eq!(
            codes(i.validate(today(), None).unwrap_err()),
            vec![("amount".into(), "required")]
        );
    }

    #[test]
    fn probability_and_dates_are_bounded() {
        let i = OpportunityInput {
            probability: Some(120),
            next_revisit: Some(today().plus_days(-1)),
            close_date: Some(today().plus_days(5000)),
            ..input()
        };
        let got = codes(i.validate(today(), None).unwrap_err());
        assert!(got.contains(&("probability".into(), "out_of_range")));
        assert!(got.contains(&("next_revisit".into(), "revisit_in_past")));
        assert!(got.contains(&("close_date".into(), "out_of_range")));
        // A revisit day kept as stored is fine even when it has passed.
        let kept = OpportunityInput {
            next_revisit: Some(today().plus_days(-1)),
            ..input()
        };
        assert!(kept.validate(today(), Some(today().plus_days(-1))).is_ok());
    }

    #[test]
    fn status_errors_join_the_others() {
        let i = OpportunityInput {
            title: String::new(),
            status: "ended".into(),
            ..input()
        };
        let got = codes(i.validate(today(), None).unwrap_err());
        assert!(got.contains(&("title".into(), "required")));
        assert!(got.contains(&("outcome".into(), "required")));
    }
}
