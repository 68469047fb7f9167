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

    /// May the actor approve her own version because nobody else could? Only someone
    /// with company-wide scope, and only while no other active user has that scope
    /// (`another_company_scope`, read by the store); the store audits it as
    /// `quote.self_approve`.
    pub fn self_approvable_by(&self, actor: &Actor, another_company_scope: bool) -> bool {
        actor.has(Permission::Customers)
            && self.owner == actor.user_id
            && actor.scope == DataScope::All
            && !another_company_scope
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

    #[test]
    fn the_only_company_wide_admin_approves_her_own() {
        let admin = actor(&[Permission::Customers], DataScope::All, &[]);
        let hers = QuoteFacts {
            owner: admin.user_id,
            owner_department: None,
        };
        assert!(!hers.approvable_by(&admin));
        assert!(hers.self_approvable_by(&admin, false));
        assert!(
            !hers.self_approvable_by(&admin, true),
            "another with company scope approves it"
        );
        let manager = actor(&[Permission::Customers], DataScope::DepartmentTree, &[2]);
        let his = QuoteFacts {
            owner: manager.user_id,
            owner_department: Some(2),
        };
        assert!(!his.self_approvable_by(&manager, false), "not company-wide");
        let someone = QuoteFacts {
            owner: admin.user_id + 1,
            owner_department: None,
        };
        assert!(!someone.self_approvable_by(&admin, false), "not hers");
    }
}
