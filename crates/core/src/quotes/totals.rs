//! Exact totals: a line is quantity × unit price × (100 − discount) / 100, rounded once to
//! the currency's minor unit, half away from zero (as invoices round); group subtotals and
//! the total are sums of those rounded lines, so the printed numbers always add up.

use rust_decimal::{Decimal, RoundingStrategy};

use super::line::{LineInput, LineKind};

/// A priced line's amount, in the quote's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineTotal {
    /// The row's index in the quote's lines.
    pub index: usize,
    pub amount: Decimal,
}

/// A group's subtotal: the header's index and the sum of its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupTotal {
    pub index: usize,
    pub amount: Decimal,
}

/// Everything the quote's pages and PDF print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub lines: Vec<LineTotal>,
    pub groups: Vec<GroupTotal>,
    /// The sum before discounts (quantity × unit price, rounded per line).
    pub gross: Decimal,
    /// What the discounts take off (gross − total).
    pub discount: Decimal,
    pub total: Decimal,
    /// The largest discount of any line (percent), for the approval rule.
    pub max_discount: Decimal,
}

fn round(amount: Decimal, minor_units: u32) -> Decimal {
    amount.round_dp_with_strategy(minor_units, RoundingStrategy::MidpointAwayFromZero)
}

impl Totals {
    /// Totals of checked lines (see `LineInput::validate_all`: the bounds there keep every
    /// product far inside `Decimal`'s range).
    pub fn of(lines: &[LineInput], minor_units: u32) -> Totals {
        let mut totals = Totals {
            lines: Vec::new(),
            groups: Vec::new(),
            gross: Decimal::ZERO,
            discount: Decimal::ZERO,
            total: Decimal::ZERO,
            max_discount: Decimal::ZERO,
        };
        for (index, line) in lines.iter().enumerate() {
            match line.kind {
                LineKind::Group => totals.groups.push(GroupTotal {
                    index,
                    amount: Decimal::ZERO,
                }),
                LineKind::Item => {
                    let gross = line.quantity * line.unit_price;
                    let net = gross * (Decimal::ONE_HUNDRED - line.discount) / Decimal::ONE_HUNDRED;
                    let amount = round(net, minor_units);
                    totals.gross += round(gross, minor_units);
                    totals.total += amount;
                    totals.max_discount = totals.max_discount.max(line.discount);
                    if let Some(group) = totals.groups.last_mut() {
                        group.amount += amount;
                    }
                    totals.lines.push(LineTotal { index, amount });
                }
            }
        }
        totals.discount = totals.gross - totals.total;
        totals
    }

    /// The amount of the row at `index`, when it is a priced line.
    pub fn line(&self, index: usize) -> Option<Decimal> {
        self.lines
            .iter()
            .find(|l| l.index == index)
            .map(|l| l.amount)
    }

    /// The subtotal of the group whose header is at `index`.
    pub fn group(&self, index: usize) -> Option<Decimal> {
        self.groups
            .iter()
            .find(|g| g.index == index)
            .map(|g| g.amount)
    }
}

/// A discount keeps its zeros: `5` → `5.00 %` (SuiteCRM #5829 lost them).
pub fn format_discount(percent: Decimal) -> String {
    format!("{:.2} %", percent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quotes::line::ProductSnapshot;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap_or_default()
    }

    fn item(quantity: &str, price: &str, discount: &str) -> LineInput {
        LineInput {
            kind: LineKind::Item,
            item: ProductSnapshot::default(),
            quantity: d(quantity),
            unit_price: d(price),
            discount: d(discount),
        }
    }

    #[test]
    fn lines_round_once_and_groups_add_up() {
        let lines = vec![
            item("3", "0.335", "0"), // 1.005 → 1.01 (half away from zero)
            LineInput::group("Valves"),
            item("100", "12.50", "5"),   // 1187.50
            item("7", "3.3333", "12.5"), // 20.416625 → 20.42
            LineInput::group("Pumps"),
            item("1", "410", "0"),
        ];
        let t = Totals::of(&lines, 2);
        assert_eq!(t.line(0), Some(d("1.01")));
        assert_eq!(t.line(2), Some(d("1187.50")));
        assert_eq!(t.line(3), Some(d("20.42")));
        assert_eq!(t.group(1), Some(d("1207.92")));
        assert_eq!(t.group(4), Some(d("410")));
        assert_eq!(t.total, d("1618.93"));
        assert_eq!(t.gross, d("1.01") + d("1250.00") + d("23.33") + d("410"));
        assert_eq!(t.discount, t.gross - t.total);
        assert_eq!(t.max_discount, d("12.5"));
    }

    #[test]
    fn currencies_without_minor_units_round_to_whole() {
        let t = Totals::of(&[item("3", "333.5", "0")], 0);
        assert_eq!(t.total, d("1001"));
    }

    #[test]
    fn discounts_print_with_their_zeros() {
        assert_eq!(format_discount(d("5")), "5.00 %");
        assert_eq!(format_discount(d("12.5")), "12.50 %");
    }
}
