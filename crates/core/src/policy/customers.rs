//! Who sees, changes and creates customers: the in-memory rule over a customer's facts
//! ([`CustomerFacts`]) and the same rule as data for SQL ([`CustomerScope`]).
//!
//! A customer is visible to a holder of the customers permission when it is in the
//! shared pool, when their data scope is the whole company, or when their scope reaches
//! one of its owners (themselves, or for a department manager anyone in their
//! department tree). Sales records (opportunities, quotes, orders) belong to one
//! customer and take its answer: visible and changeable exactly when their customer is.

use super::{Actor, OwnerFilter};
use crate::{DataScope, Permission};

/// One owner of a customer as the rule needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnerFacts {
    pub user_id: i64,
    /// The owner's department now (a move between departments moves their customers).
    pub department_id: Option<i64>,
}

/// What the rule reads of one customer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFacts {
    /// In the shared pool (公海), which every holder of the permission sees.
    pub shared: bool,
    pub owners: Vec<OwnerFacts>,
}

impl CustomerFacts {
    fn owner_in_reach(&self, actor: &Actor) -> bool {
        self.owners
            .iter()
            .any(|o| actor.can_see_owned(o.user_id, o.department_id))
    }

    /// The in-memory form of [`CustomerScope`]: may the actor see this customer?
    pub fn visible_to(&self, actor: &Actor) -> bool {
        actor.has(Permission::Customers)
            && (self.shared || actor.scope == DataScope::All || self.owner_in_reach(actor))
    }

    /// May the actor change it: an owner or a manager whose scope covers an owner; the
    /// shared pool only a manager of the whole company.
    pub fn editable_by(&self, actor: &Actor) -> bool {
        actor.has(Permission::Customers)
            && (actor.scope == DataScope::All || (!self.shared && self.owner_in_reach(actor)))
    }
}

/// The customers an actor may see, as data the store renders into SQL (one renderer,
/// `wharf_store::access::customers`). Each variant says exactly what
/// [`CustomerFacts::visible_to`] says for that actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerScope {
    /// None at all: the actor lacks the customers permission.
    Nothing,
    /// Every customer (a data scope over the whole company).
    All,
    /// The shared pool and the customers this user co-owns.
    SharedOrOwnedBy { user_id: i64 },
    /// The shared pool and the customers owned by this user or by anyone now in one of
    /// these departments.
    SharedOrOwnedByUserOrDepartments { user_id: i64, departments: Vec<i64> },
}

impl CustomerScope {
    pub fn of(actor: &Actor) -> CustomerScope {
        if !actor.has(Permission::Customers) {
            return CustomerScope::Nothing;
        }
        match actor.owner_filter() {
            OwnerFilter::All => CustomerScope::All,
            OwnerFilter::OnlyUser(user_id) => CustomerScope::SharedOrOwnedBy { user_id },
            OwnerFilter::UserOrDepartments {
                user_id,
                departments,
            } => CustomerScope::SharedOrOwnedByUserOrDepartments {
                user_id,
                departments,
            },
        }
    }
}

impl Actor {
    /// May the actor make `owner` (who sits in `owner_department`) an owner of a record
    /// they create (a customer by form, API or import)? Themselves always; someone else
    /// only as a manager whose data scope covers that person. A salesperson cannot
    /// create customers owned by colleagues.
    pub fn may_assign_owner(&self, owner: i64, owner_department: Option<i64>) -> bool {
        owner == self.user_id
            || (self.scope != DataScope::Own && self.can_see_owned(owner, owner_department))
    }

    /// May the actor create a record owned by these (user, department) pairs? Into the
    /// pool (no owners) or with themselves among the owners (co-owners for a
    /// collaborative customer), yes; owned only by others, only when the actor may
    /// assign every one of them — a manager in scope, never a salesperson.
    pub fn may_create_owned_by(&self, owners: &[(i64, Option<i64>)]) -> bool {
        owners.is_empty()
            || owners.iter().any(|(u, _)| *u == self.user_id)
            || owners.iter().all(|(u, d)| self.may_assign_owner(*u, *d))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::actor;
    use super::*;

    fn owned(owners: &[(i64, Option<i64>)]) -> CustomerFacts {
        CustomerFacts {
            shared: false,
            owners: owners
                .iter()
                .map(|&(user_id, department_id)| OwnerFacts {
                    user_id,
                    department_id,
                })
                .collect(),
        }
    }

    #[test]
    fn who_sees_and_edits() {
        let pool = CustomerFacts {
            shared: true,
            owners: Vec::new(),
        };
        let sales = actor(&[Permission::Customers], DataScope::Own, &[2]);
        assert!(pool.visible_to(&sales) && !pool.editable_by(&sales));
        assert!(owned(&[(7, Some(2))]).editable_by(&sales));
        assert!(!owned(&[(8, Some(2))]).visible_to(&sales), "a colleague's");
        assert!(
            owned(&[(8, Some(2)), (7, Some(2))]).editable_by(&sales),
            "co-owned"
        );

        let manager = actor(&[Permission::Customers], DataScope::DepartmentTree, &[2, 3]);
        assert!(owned(&[(8, Some(3))]).editable_by(&manager));
        assert!(!owned(&[(8, Some(4))]).visible_to(&manager));
        assert!(!pool.editable_by(&manager));

        let boss = actor(&[Permission::Customers], DataScope::All, &[]);
        assert!(owned(&[(8, None)]).editable_by(&boss) && pool.editable_by(&boss));

        let no_permission = actor(&[], DataScope::All, &[]);
        assert!(!pool.visible_to(&no_permission));
        assert_eq!(CustomerScope::of(&no_permission), CustomerScope::Nothing);
        assert_eq!(
            CustomerScope::of(&manager),
            CustomerScope::SharedOrOwnedByUserOrDepartments {
                user_id: 7,
                departments: vec![2, 3]
            }
        );
    }

    #[test]
    fn owners_a_creator_may_set() {
        let sales = actor(&[Permission::Customers], DataScope::Own, &[2]);
        assert!(sales.may_assign_owner(7, Some(2)));
        assert!(!sales.may_assign_owner(8, Some(2)), "a colleague");
        let manager = actor(&[Permission::Customers], DataScope::DepartmentTree, &[2, 3]);
        assert!(manager.may_assign_owner(8, Some(3)));
        assert!(!manager.may_assign_owner(8, Some(4)), "outside the tree");
        let boss = actor(&[Permission::Customers], DataScope::All, &[]);
        assert!(boss.may_assign_owner(8, None));

        assert!(sales.may_create_owned_by(&[]), "into the pool");
        assert!(
            sales.may_create_owned_by(&[(7, Some(2)), (8, Some(2))]),
            "with her"
        );
        assert!(
            !sales.may_create_owned_by(&[(8, Some(2))]),
            "only a colleague"
        );
        assert!(manager.may_create_owned_by(&[(8, Some(3))]));
        assert!(!manager.may_create_owned_by(&[(8, Some(3)), (9, Some(4))]));
    }
}
