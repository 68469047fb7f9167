//! An order's status steps and moves: confirmed → in production → shipped → delivered →
//! closed, or cancelled before delivery. Seed 003's follow-up flag (正进行 / 已暂停) is
//! kept apart: an open order is followed or paused; "orders to follow (in progress)" are
//! the open, followed ones, "(all)" the open ones, paused or not.

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OrderStatus {
    Confirmed,
    InProduction,
    Shipped,
    Delivered,
    Closed,
    Cancelled,
}

/// Seed 003's 跟单 flag on an open order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowState {
    /// 正进行: followed now.
    Active,
    /// 已暂停: set aside for a while.
    Paused,
}

impl FollowState {
    pub fn code(self) -> &'static str {
        match self {
            FollowState::Active => "active",
            FollowState::Paused => "paused",
        }
    }

    pub fn from_code(code: &str) -> Option<FollowState> {
        match code {
            "active" => Some(FollowState::Active),
            "paused" => Some(FollowState::Paused),
            _ => None,
        }
    }
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Confirmed,
        OrderStatus::InProduction,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Closed,
        OrderStatus::Cancelled,
    ];

    /// The steps the order page shows in a row (cancelled is shown apart).
    pub const STEPS: [OrderStatus; 5] = [
        OrderStatus::Confirmed,
        OrderStatus::InProduction,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::InProduction => "in_production",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Closed => "closed",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Closed and cancelled orders are finished: nothing on them changes any more.
    pub fn is_finished(self) -> bool {
        matches!(self, OrderStatus::Closed | OrderStatus::Cancelled)
    }

    /// May the order be changed (lines, payments, shipping, documents)?
    pub fn check_editable(self) -> Result<(), DomainError> {
        if self.is_finished() {
            Err(DomainError::refused("order_finished", 0))
        } else {
            Ok(())
        }
    }

    /// A move to `to`: forward along the steps (skipping is allowed, e.g. a stock order
    /// shipped at once), cancelling before delivery; never backwards, never out of a
    /// finished order.
    pub fn move_to(self, to: OrderStatus) -> Result<OrderStatus, DomainError> {
        self.check_editable()?;
        if to == self {
            return Err(DomainError::refused("order_same_status", 0));
        }
        match to {
            OrderStatus::Cancelled if self >= OrderStatus::Delivered => {
                Err(DomainError::refused("order_cancel_after_delivery", 0))
            }
            OrderStatus::Cancelled => Ok(to),
            _ if to < self => Err(DomainError::refused("order_status_backwards", 0)),
            _ => Ok(to),
        }
    }

    /// Does reaching `self` from `before` plan the after-sales revisit?
    pub fn plans_revisit(self, before: OrderStatus) -> bool {
        before < OrderStatus::Delivered
            && matches!(self, OrderStatus::Delivered | OrderStatus::Closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_move_forward_and_finish() {
        use OrderStatus::*;
        assert_eq!(Confirmed.move_to(InProduction).ok(), Some(InProduction));
        assert_eq!(Confirmed.move_to(Shipped).ok(), Some(Shipped));
        assert_eq!(
            Shipped.move_to(InProduction).unwrap_err().code(),
            "order_status_backwards"
        );
        assert_eq!(Shipped.move_to(Cancelled).ok(), Some(Cancelled));
        assert_eq!(
            Delivered.move_to(Cancelled).unwrap_err().code(),
            "order_cancel_after_delivery"
        );
        assert_eq!(Delivered.move_to(Closed).ok(), Some(Closed));
        assert_eq!(
            Closed.move_to(Delivered).unwrap_err().code(),
            "order_finished"
        );
        assert_eq!(
            Cancelled.check_editable().unwrap_err().code(),
            "order_finished"
        );
        assert!(Confirmed.move_to(Confirmed).is_err());
        assert!(Delivered.plans_revisit(Shipped));
        assert!(Closed.plans_revisit(Confirmed));
        assert!(
            !Closed.plans_revisit(Delivered),
            "planned once, at delivery"
        );
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(FollowState::from_code("paused"), Some(FollowState::Paused));
        assert_eq!(FollowState::from_code("x"), None);
    }
}
