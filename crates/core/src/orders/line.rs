//! An order's lines: a product's snapshot (or free text), quantity, unit price in the
//! order's currency and a discount (percent, as the quote had it); bounded, exact, checked
//! per line (`line<N>_<field>`). A line's amount is computed as a quote's is, so an order
//! made from a quote has the quote's amounts to the cent.

use rust_decimal::Decimal;

use super::{MAX_LINES, MAX_QUANTITY, MAX_UNIT_PRICE};
use crate::DomainError;
use crate::quotes::ProductSnapshot;
use crate::validate::FieldErrors;

/// One priced line as entered (amounts already parsed to decimals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    pub item: ProductSnapshot,
    pub quantity: Decimal,
    pub unit_price: Decimal,
    /// Percent, 0–100.
    pub discount: Decimal,
}

const MAX_NAME: usize = 300;
const MAX_MODEL: usize = 120;
const MAX_UNIT: usize = 30;
const MAX_DESCRIPTION: usize = 2_000;

impl OrderLine {
    /// quantity × unit price × (100 − discount) / 100, rounded once to the currency's
    /// minor unit, half away from zero (as quotes' lines are).
    pub fn amount(&self, minor_units: u32) -> Decimal {
        let gross = self.quantity * self.unit_price;
        (gross * (Decimal::ONE_HUNDRED - self.discount) / Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(
                minor_units,
                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            )
    }

    /// The order's total: the sum of its rounded line amounts.
    pub fn total(lines: &[OrderLine], minor_units: u32) -> Decimal {
        lines.iter().map(|l| l.amount(minor_units)).sum()
    }

    /// Checks every line; at least one, at most [`MAX_LINES`].
    pub fn validate_all(lines: Vec<OrderLine>) -> Result<Vec<OrderLine>, DomainError> {
        let mut e = FieldErrors::default();
        if lines.len() > MAX_LINES {
            e.add("lines", "order_too_many_lines");
            return e.into_result().map(|()| Vec::new());
        }
        if lines.is_empty() {
            e.add("lines", "no_lines");
        }
        let mut checked = Vec::with_capacity(lines.len());
        for (index, line) in lines.into_iter().enumerate() {
            checked.push(line.validate(index + 1, &mut e));
        }
        e.into_result().map(|()| checked)
    }

    fn validate(mut self, n: usize, e: &mut FieldErrors) -> OrderLine {
        let mut sub = FieldErrors::default();
        self.item.name = sub.text("name", &self.item.name, true, MAX_NAME);
        self.item.model = sub.text("model", &self.item.model, false, MAX_MODEL);
        self.item.unit = sub.text("unit", &self.item.unit, false, MAX_UNIT);
        self.item.description = sub.text_block(
            "description",
            &self.item.description,
            false,
            MAX_DESCRIPTION,
        );
        if self.quantity <= Decimal::ZERO {
            sub.add("quantity", "not_positive");
        } else if self.quantity > Decimal::from(MAX_QUANTITY) {
            sub.add("quantity", "too_large");
        } else if self.quantity.normalize().scale() > 3 {
            sub.add("quantity", "too_many_decimals");
        }
        if self.unit_price < Decimal::ZERO {
            sub.add("unit_price", "negative");
        } else if self.unit_price > Decimal::from(MAX_UNIT_PRICE) {
            sub.add("unit_price", "too_large");
        } else if self.unit_price.normalize().scale() > 4 {
            sub.add("unit_price", "too_many_decimals");
        }
        if self.discount < Decimal::ZERO || self.discount > Decimal::ONE_HUNDRED {
            sub.add("discount", "discount_range");
        } else if self.discount.normalize().scale() > 2 {
            sub.add("discount", "too_many_decimals");
        }
        for error in sub.0 {
            e.add_owned(format!("line{n}_{}", error.field), error.code);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap_or_default()
    }

    fn line(name: &str, quantity: &str, price: &str) -> OrderLine {
        OrderLine {
            item: ProductSnapshot {
                name: name.into(),
                ..ProductSnapshot::default()
            },
            quantity: d(quantity),
            unit_price: d(price),
            discount: Decimal::ZERO,
        }
    }

    fn codes(lines: Vec<OrderLine>) -> Vec<(String, &'static str)> {
        match OrderLine::validate_all(lines) {
            Ok(_) => Vec::new(),
            Err(DomainError::Invalid(e)) => {
                e.0.into_iter()
                    .map(|f| (f.field.into_owned(), f.code))
                    .collect()
            }
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn bad_lines_are_named() {
        let errors = codes(vec![
            line("Valve", "-1", "10"),
            line("", "1000000001", "-0.01"),
            line("Bolt", "1.0005", "0.12345"),
        ]);
        for (field, code) in [
            ("line1_quantity", "not_positive"),
            ("line2_name", "required"),
            ("line2_quantity", "too_large"),
            ("line2_unit_price", "negative"),
            ("line3_quantity", "too_many_decimals"),
            ("line3_unit_price", "too_many_decimals"),
        ] {
            assert!(
                errors.iter().any(|(f, c)| f == field && *c == code),
                "{field} {code} missing in {errors:?}"
            );
        }
        assert_eq!(codes(Vec::new()), vec![("lines".to_owned(), "no_lines")]);
        assert_eq!(
            codes(vec![line("Valve", "1", "2"); MAX_LINES + 1]),
            vec![("lines".to_owned(), "order_too_many_lines")]
        );
    }

    #[test]
    fn totals_are_exact() {
        let lines = vec![line("Valve", "3", "0.335"), line("Pump", "1.5", "1000.01")];
        // 1.005 → 1.01; 1500.015 → 1500.02
        assert_eq!(OrderLine::total(&lines, 2), d("1501.03"));
        assert_eq!(OrderLine::total(&lines, 0), d("1501"));
        let mut discounted = line("Valve", "3", "10");
        discounted.discount = d("12.5");
        assert_eq!(discounted.amount(2), d("26.25"));
        discounted.discount = d("100.01");
        assert_eq!(
            codes(vec![discounted]),
            vec![("line1_discount".to_owned(), "discount_range")]
        );
    }
}
