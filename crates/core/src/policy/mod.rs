//! The one access policy: who may reach which route, customer and message.
//!
//! Every rule has two forms kept side by side: an **in-memory form**, a pure function
//! of the actor and the record's facts (owners, their departments, sharing, account
//! members, hand-overs) that answers yes or no, and an **SQL form as data** (a scope
//! enum such as [`CustomerScope`] or [`AccountScope`]) that the store renders into a
//! WHERE clause in one place (`wharf_store::access`); this crate knows no SQL. The
//! store's agreement test (`tests/policy_agreement.rs`) checks over a grid of actors ×
//! records that both forms give the same answer.
//!
//! - routes: [`Access`] and [`allows`] here, checked by the web layer before a handler
//!   runs (the store checks [`Actor::require`] again, so a forgotten check leaks
//!   nothing);
//! - [`customers`]: who sees, changes and creates customers. Sales records to come
//!   (opportunities, quotes, orders) belong to one customer and follow its rule: such
//!   a record is visible when its customer is (the store joins on `customer_id` and
//!   applies the same [`CustomerScope`]) and changeable when its customer is;
//! - [`mail`]: who uses an account, how an actor reaches a message
//!   ([`MailGrant`]) and what each grant allows ([`MailAction`]).
//!
//! Search has no rule of its own: the index filters by the mail and customer scopes,
//! turned into id lists by the store's search feed.

use std::collections::BTreeSet;

use crate::{DataScope, DomainError, Permission};

pub mod customers;
pub mod mail;
pub mod orders;
pub mod quotes;
pub mod records;

pub use customers::{CustomerFacts, CustomerScope, OwnerFacts};
pub use mail::{AccountAccess, AccountScope, MailAction, MailGrant, MessageScope, OpenEffect};
pub use orders::OrderFacts;
pub use quotes::QuoteFacts;
pub use records::{AuthorScope, RecordFacts};

/// The signed-in user as the policy sees them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub department_id: Option<i64>,
    pub permissions: BTreeSet<Permission>,
    pub scope: DataScope,
    /// The actor's own department and every department below it.
    pub department_tree: Vec<i64>,
}

/// Whose owned records an actor reaches through their data scope (customers they own,
/// accounts of colleagues they manage); the part both rules share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerFilter {
    All,
    /// Records owned by this user or by anyone in these departments.
    UserOrDepartments {
        user_id: i64,
        departments: Vec<i64>,
    },
    OnlyUser(i64),
}

/// What a route or operation asks of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (login page, health check).
    Public,
    /// Any signed-in user.
    SignedIn,
    /// A signed-in user holding this permission.
    Needs(Permission),
}

/// The outcome of [`allows`], kept apart so the web layer can answer 401 vs 403.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    SignInFirst,
    Forbid,
}

pub fn allows(actor: Option<&Actor>, access: Access) -> Decision {
    match (access, actor) {
        (Access::Public, _) => Decision::Allow,
        (_, None) => Decision::SignInFirst,
        (Access::SignedIn, Some(_)) => Decision::Allow,
        (Access::Needs(p), Some(a)) if a.has(p) => Decision::Allow,
        (Access::Needs(_), Some(_)) => Decision::Forbid,
    }
}

impl Actor {
    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    pub fn require(&self, permission: Permission) -> Result<(), DomainError> {
        if self.has(permission) {
            Ok(())
        } else {
            Err(DomainError::Denied)
        }
    }

    pub fn owner_filter(&self) -> OwnerFilter {
        match self.scope {
            DataScope::All => OwnerFilter::All,
            DataScope::DepartmentTree if !self.department_tree.is_empty() => {
                OwnerFilter::UserOrDepartments {
                    user_id: self.user_id,
                    departments: self.department_tree.clone(),
                }
            }
            _ => OwnerFilter::OnlyUser(self.user_id),
        }
    }

    /// Does the actor's data scope reach the records of everyone in this department
    /// (the department filter of lists)?
    pub fn can_see_department(&self, department: i64) -> bool {
        match self.owner_filter() {
            OwnerFilter::All => true,
            OwnerFilter::OnlyUser(_) => false,
            OwnerFilter::UserOrDepartments { departments, .. } => departments.contains(&department),
        }
    }

    /// Does the actor's data scope reach a record owned by `owner` (who sits in
    /// `owner_department`)?
    pub fn can_see_owned(&self, owner: i64, owner_department: Option<i64>) -> bool {
        match self.owner_filter() {
            OwnerFilter::All => true,
            OwnerFilter::OnlyUser(u) => u == owner,
            OwnerFilter::UserOrDepartments {
                user_id,
                departments,
            } => user_id == owner || owner_department.is_some_and(|d| departments.contains(&d)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn actor(perms: &[Permission], scope: DataScope, tree: &[i64]) -> Actor {
        Actor {
            user_id: 7,
            username: "li".into(),
            department_id: tree.first().copied(),
            permissions: perms.iter().copied().collect(),
            scope,
            department_tree: tree.to_vec(),
        }
    }

    #[test]
    fn route_decisions() {
        let sales = actor(&[Permission::Customers], DataScope::Own, &[2]);
        assert_eq!(allows(None, Access::Public), Decision::Allow);
        assert_eq!(allows(None, Access::SignedIn), Decision::SignInFirst);
        assert_eq!(allows(Some(&sales), Access::SignedIn), Decision::Allow);
        assert_eq!(
            allows(Some(&sales), Access::Needs(Permission::Customers)),
            Decision::Allow
        );
        assert_eq!(
            allows(Some(&sales), Access::Needs(Permission::SystemAdmin)),
            Decision::Forbid
        );
        assert!(sales.require(Permission::SystemAdmin).is_err());
    }

    #[test]
    fn scopes() {
        let own = actor(&[], DataScope::Own, &[2, 3]);
        assert!(own.can_see_owned(7, Some(9)));
        assert!(!own.can_see_owned(8, Some(2)));

        let manager = actor(&[], DataScope::DepartmentTree, &[2, 3]);
        assert!(manager.can_see_owned(8, Some(3)));
        assert!(!manager.can_see_owned(8, Some(4)));
        assert!(!manager.can_see_owned(8, None));

        // A department manager without a department sees only their own records.
        let lost = actor(&[], DataScope::DepartmentTree, &[]);
        assert_eq!(lost.owner_filter(), OwnerFilter::OnlyUser(7));

        let boss = actor(&[], DataScope::All, &[]);
        assert!(boss.can_see_owned(8, None));
    }
}
