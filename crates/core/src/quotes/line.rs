//! A quote's lines as entered: priced items (a product's snapshot or free text) and group
//! headers; their checks (bounded quantities and prices, a discount of 0–100 % with two
//! decimals at most).

use rust_decimal::Decimal;

use super::{MAX_LINES, MAX_QUANTITY, MAX_UNIT_PRICE};
use crate::DomainError;
use crate::validate::FieldErrors;

/// What a row of the table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A priced line.
    Item,
    /// A group header; the items after it, up to the next header, are its lines.
    Group,
}

impl LineKind {
    pub fn code(self) -> &'static str {
        match self {
            LineKind::Item => "item",
            LineKind::Group => "group",
        }
    }

    pub fn from_code(code: &str) -> Option<LineKind> {
        match code {
            "item" => Some(LineKind::Item),
            "group" => Some(LineKind::Group),
            _ => None,
        }
    }
}

/// A product as it was when quoted: later catalog edits never change a sent quote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductSnapshot {
    pub product_id: Option<i64>,
    pub name: String,
    pub model: String,
    pub unit: String,
    pub description: String,
}

/// One row, parsed (the money parser has turned the typed amounts into decimals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput {
    pub kind: LineKind,
    /// For a group header only `name` counts (its title).
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

impl LineInput {
    /// A group header.
    pub fn group(title: &str) -> LineInput {
        LineInput {
            kind: LineKind::Group,
            item: ProductSnapshot {
                name: title.to_owned(),
                ..ProductSnapshot::default()
            },
            quantity: Decimal::ZERO,
            unit_price: Decimal::ZERO,
            discount: Decimal::ZERO,
        }
    }

    /// Checks every row; errors are named `line<N>_<field>` (N from 1). Group headers
    /// carry no amounts; at least one priced line is required.
    pub fn validate_all(lines: Vec<LineInput>) -> Result<Vec<LineInput>, DomainError> {
        let mut e = FieldErrors::default();
        if lines.len() > MAX_LINES {
            e.add("lines", "quote_too_many_lines");
            return e.into_result().map(|()| Vec::new());
        }
        if !lines.iter().any(|l| l.kind == LineKind::Item) {
            e.add("lines", "no_lines");
        }
        let mut checked = Vec::with_capacity(lines.len());
        for (index, line) in lines.into_iter().enumerate() {
            checked.push(line.validate(index + 1, &mut e));
        }
        e.into_result().map(|()| checked)
    }

    fn validate(mut self, n: usize, e: &mut FieldErrors) -> LineInput {
        let mut sub = FieldErrors::default();
        self.item.name = sub.text("name", &self.item.name, true, MAX_NAME);
        if self.kind == LineKind::Group {
            self.item = ProductSnapshot {
                name: self.item.name,
                ..ProductSnapshot::default()
            };
            self.quantity = Decimal::ZERO;
            self.unit_price = Decimal::ZERO;
            self.discount = Decimal::ZERO;
        } else {
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

    fn item(name: &str, quantity: &str, price: &str, discount: &str) -> LineInput {
        LineInput {
            kind: LineKind::Item,
            item: ProductSnapshot {
                name: name.into(),
                ..ProductSnapshot::default()
            },
            quantity: d(quantity),
            unit_price: d(price),
            discount: d(discount),
        }
    }

    fn codes(lines: Vec<LineInput>) -> Vec<(String, &'static str)> {
        match LineInput::validate_all(lines) {
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
    fn bad_amounts_are_named_per_line() {
        let errors = codes(vec![
            item("Valve", "-1", "10", "0"),
            item("Pump", "5", "-0.01", "101"),
            item("", "1000000001", "1000000000001", "5.125"),
            item("Bolt", "1.0005", "0.12345", "0"),
        ]);
        let expect = [
            ("line1_quantity", "not_positive"),
            ("line2_unit_price", "negative"),
            ("line2_discount", "discount_range"),
            ("line3_name", "required"),
            ("line3_quantity", "too_large"),
            ("line3_unit_price", "too_large"),
            ("line3_discount", "too_many_decimals"),
            ("line4_quantity", "too_many_decimals"),
            ("line4_unit_price", "too_many_decimals"),
        ];
        for (field, code) in expect {
            assert!(
                errors.iter().any(|(f, c)| f == field && *c == code),
                "{field} {code} missing in {errors:?}"
            );
        }
    }

    #[test]
    fn groups_need_a_title_and_lines_need_an_item() {
        assert_eq!(
            codes(vec![LineInput::group("Valves")]),
            vec![("lines".to_owned(), "no_lines")]
        );
        assert_eq!(
            codes(vec![LineInput::group(" "), item("Valve", "1", "2", "0")]),
            vec![("line1_name".to_owned(), "required")]
        );
        let many = vec![item("Valve", "1", "2", "0"); MAX_LINES + 1];
        assert_eq!(
            codes(many),
            vec![("lines".to_owned(), "quote_too_many_lines")]
        );
        assert!(codes(vec![item("Free sample", "1", "0", "0")]).is_empty());
    }
}
