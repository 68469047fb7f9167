//! Who sees, changes and approves quotes. A quote belongs to one customer and is seen
//! exactly when its customer is ([`super::CustomerScope`], joined on `customer_id`).
//! Creating one needs the customer in sight; changing, submitting and sending one is its
//! owner's (who made it) or a manager's over them, as contact records are. Approving a
//! version that waits for a manager is for someone whose data scope reaches the owner
//! and who is not the owner: nobody approves their own discount.

use super::Actor;
use crate::{DataScope, Permission};

/// What the rule reads of one quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteFacts {
    pub owner: i64,
    /// The owner's department now.
    pub owner_department: Option<i64>,
}

impl QuoteFacts {
    /// May the actor edit, submit or send the quote (its customer being visible to them)?
    pub fn changeable_by(&self, actor: &Actor) -> bool {
        actor.has(Permission::Customers) && (self.owner == actor.user_id || self.managed_by(actor))
    }

    /// May the actor approve or decline a version of it waiting for approval?
    pub fn approvable_by(&self, actor: &Actor) -> bool {
        actor.has(Permission::Customers) && self.owner != actor.user_id && self.managed_by(actor)
    }

    fn managed_by(&self, actor: &Actor) -> bool {
        actor.scope != DataScope::Own && actor.can_see_owned(self.owner, self.owner_department)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::actor;
    use super::*;

    #[test]
    fn owners_change_and_managers_approve() {
        let li = actor(&[Permission::Customers], DataScope::Own, &[2]);
        let mine = QuoteFacts {
            owner: 7,
            owner_department: Some(2),
        };
        let colleague = QuoteFacts {
            owner: 8,
            owner_department: Some(2),
        };
        assert!(mine.changeable_by(&li));
        assert!(!mine.approvable_by(&li), "nobody approves their own quote");
        assert!(!colleague.changeable_by(&li) && !colleague.approvable_by(&li));

        let manager = actor(&[Permission::Customers], DataScope::DepartmentTree, &[2, 3]);
        assert!(colleague.changeable_by(&manager) && colleague.approvable_by(&manager));
        assert!(
            !mine.approvable_by(&manager),
            "the manager's own quote (owner 7 = manager)"
        );
        let elsewhere = QuoteFacts {
            owner: 9,
            owner_department: Some(4),
        };
        assert!(!elsewhere.approvable_by(&manager), "outside the tree");

        let boss = actor(&[Permission::Customers], DataScope::All, &[]);
        assert!(elsewhere.approvable_by(&boss));
        let no_permission = actor(&[], DataScope::All, &[]);
        assert!(!elsewhere.approvable_by(&no_permission));
    }
}
