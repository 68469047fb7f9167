//! Who sees and changes orders. An order is seen exactly when its customer is
//! ([`super::CustomerScope`], joined on `customer_id`); it is changed by its seller, its
//! follower (跟单人) or a manager whose data scope reaches either.

use super::Actor;
use crate::{DataScope, Permission};

/// What the rule reads of one order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderFacts {
    pub seller: i64,
    pub seller_department: Option<i64>,
    pub follower: i64,
    pub follower_department: Option<i64>,
}

impl OrderFacts {
    /// May the actor change the order (its customer being visible to them)?
    pub fn changeable_by(&self, actor: &Actor) -> bool {
        if !actor.has(Permission::Customers) {
            return false;
        }
        if self.seller == actor.user_id || self.follower == actor.user_id {
            return true;
        }
        actor.scope != DataScope::Own
            && (actor.can_see_owned(self.seller, self.seller_department)
                || actor.can_see_owned(self.follower, self.follower_department))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::actor;
    use super::*;

    #[test]
    fn seller_follower_and_managers_change() {
        let li = actor(&[Permission::Customers], DataScope::Own, &[2]);
        let sold = OrderFacts {
            seller: 7,
            seller_department: Some(2),
            follower: 9,
            follower_department: Some(4),
        };
        let followed = OrderFacts {
            seller: 9,
            seller_department: Some(4),
            follower: 7,
            follower_department: Some(2),
        };
        let colleague = OrderFacts {
            seller: 8,
            seller_department: Some(2),
            follower: 8,
            follower_department: Some(2),
        };
        assert!(sold.changeable_by(&li) && followed.changeable_by(&li));
        assert!(!colleague.changeable_by(&li));

        let manager = actor(&[Permission::Customers], DataScope::DepartmentTree, &[2, 3]);
        assert!(colleague.changeable_by(&manager));
        let elsewhere = OrderFacts {
            seller: 9,
            seller_department: Some(4),
            follower: 9,
            follower_department: Some(4),
        };
        assert!(!elsewhere.changeable_by(&manager));
        assert!(elsewhere.changeable_by(&actor(&[Permission::Customers], DataScope::All, &[])));
        assert!(!sold.changeable_by(&actor(&[], DataScope::All, &[])));
    }
}
