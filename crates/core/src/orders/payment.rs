//! Payments on an order: deposit, balance (or another instalment), each with an exact
//! amount, a due day, the day it came in and its state.

use rust_decimal::Decimal;

use super::MAX_PAYMENTS;
use crate::DomainError;
use crate::validate::FieldErrors;
use crate::zone::Day;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentKind {
    Deposit,
    Balance,
    Other,
}

impl PaymentKind {
    pub const ALL: [PaymentKind; 3] = [
        PaymentKind::Deposit,
        PaymentKind::Balance,
        PaymentKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PaymentKind::Deposit => "deposit",
            PaymentKind::Balance => "balance",
            PaymentKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<PaymentKind> {
        PaymentKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A payment's state, derived: received when a received day is set, overdue when its due
/// day is before today, otherwise expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentState {
    Expected,
    Overdue,
    Received,
}

impl PaymentState {
    pub fn code(self) -> &'static str {
        match self {
            PaymentState::Expected => "expected",
            PaymentState::Overdue => "overdue",
            PaymentState::Received => "received",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentInput {
    pub kind: PaymentKind,
    /// In the order's currency.
    pub amount: Decimal,
    pub due_on: Option<Day>,
    pub received_on: Option<Day>,
}

impl PaymentInput {
    pub fn state(&self, today: Day) -> PaymentState {
        match (self.received_on, self.due_on) {
            (Some(_), _) => PaymentState::Received,
            (None, Some(due)) if due < today => PaymentState::Overdue,
            _ => PaymentState::Expected,
        }
    }

    /// Checks the payments against the order's total and minor unit: positive amounts
    /// with the currency's decimals, together no more than the total.
    pub fn validate_all(
        payments: Vec<PaymentInput>,
        total: Decimal,
        minor_units: u32,
    ) -> Result<Vec<PaymentInput>, DomainError> {
        let mut e = FieldErrors::default();
        if payments.len() > MAX_PAYMENTS {
            e.add("payments", "too_many_payments");
            return e.into_result().map(|()| Vec::new());
        }
        let mut sum = Decimal::ZERO;
        for (index, p) in payments.iter().enumerate() {
            let n = index + 1;
            if p.amount <= Decimal::ZERO {
                e.add_owned(format!("payment{n}_amount"), "not_positive");
            } else if p.amount.normalize().scale() > minor_units {
                e.add_owned(format!("payment{n}_amount"), "too_many_decimals");
            }
            sum += p.amount;
        }
        if e.is_empty() && sum > total {
            e.add("payments", "payments_above_total");
        }
        e.into_result().map(|()| payments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap_or_default()
    }

    fn pay(kind: PaymentKind, amount: &str) -> PaymentInput {
        PaymentInput {
            kind,
            amount: d(amount),
            due_on: None,
            received_on: None,
        }
    }

    #[test]
    fn payments_fit_the_total() {
        let ok = vec![
            pay(PaymentKind::Deposit, "300"),
            pay(PaymentKind::Balance, "700"),
        ];
        assert!(PaymentInput::validate_all(ok, d("1000"), 2).is_ok());
        let over = vec![
            pay(PaymentKind::Deposit, "300"),
            pay(PaymentKind::Balance, "700.01"),
        ];
        assert_eq!(
            PaymentInput::validate_all(over, d("1000"), 2)
                .err()
                .and_then(|e| match e {
                    DomainError::Invalid(f) => f.get("payments"),
                    _ => None,
                }),
            Some("payments_above_total")
        );
        let bad = vec![
            pay(PaymentKind::Deposit, "-1"),
            pay(PaymentKind::Other, "1.5"),
        ];
        let Err(DomainError::Invalid(f)) = PaymentInput::validate_all(bad, d("1000"), 0) else {
            panic!("invalid expected");
        };
        assert_eq!(f.get("payment1_amount"), Some("not_positive"));
        assert_eq!(f.get("payment2_amount"), Some("too_many_decimals"));
    }

    #[test]
    fn states_follow_the_days() {
        let today = Day::new(2026, 12, 7).unwrap_or_else(|| panic!("day"));
        let mut p = pay(PaymentKind::Deposit, "1");
        assert_eq!(p.state(today), PaymentState::Expected);
        p.due_on = Some(today.plus_days(-1));
        assert_eq!(p.state(today), PaymentState::Overdue);
        p.received_on = Some(today);
        assert_eq!(p.state(today), PaymentState::Received);
    }
}
