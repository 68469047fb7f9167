//! The one access policy: every page, API call and store operation asks it.
//!
//! The web layer checks a route's [`Access`] with [`allows`] before the handler runs;
//! the store checks [`Actor::require`] again and filters owned records with
//! [`Actor::owner_filter`], so a handler that forgets a check still cannot leak data.

use std::collections::BTreeSet;

use crate::{DataScope, DomainError, Permission};

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

/// Which owners' records an actor may see; the store turns it into a WHERE clause.
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

    /// May the actor see a record owned by `owner` (who sits in `owner_department`)?
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

/// How an actor reaches a message (MAIL-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailGrant {
    /// Through its account (`AccountAccess::can_use`: owner, member, a manager whose
    /// scope covers the owner, a mailbox administrator).
    Account,
    /// Only because someone handed it to them.
    HandedOver,
    /// Not at all: the message does not exist for them.
    None,
}

/// What one does with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailAction {
    /// Open it, download it and its attachments, see its history.
    Read,
    /// Add an internal comment.
    Comment,
    /// Answer or forward it (from one's own account) and mark it answered; file an
    /// inquiry's buyer from it (the quick entry links the buyer's address).
    Reply,
    /// Change it in its mailbox: read / starred, Pending, folders, tags, type,
    /// follow-up.
    Handle,
    /// Hand it (on) to a colleague.
    HandOver,
    /// Move it to Trash or back (also needs `delete_mail`).
    Trash,
    /// Delete it for good (also needs `permanent_delete`).
    Purge,
}

impl MailGrant {
    /// The one rule for mail: account users may do everything their permissions allow;
    /// a receiver of a hand-over may read, comment and reply, nothing else, so they can
    /// neither change the owner's mailbox nor pass the mail on.
    pub fn allows(self, actor: &Actor, action: MailAction) -> Decision {
        let needs = match action {
            MailAction::Trash => Some(Permission::DeleteMail),
            MailAction::Purge => Some(Permission::PermanentDelete),
            _ => None,
        };
        match self {
            MailGrant::None => Decision::SignInFirst,
            MailGrant::HandedOver
                if !matches!(
                    action,
                    MailAction::Read | MailAction::Comment | MailAction::Reply
                ) =>
            {
                Decision::Forbid
            }
            _ if needs.is_some_and(|p| !actor.has(p)) => Decision::Forbid,
            _ => Decision::Allow,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(perms: &[Permission], scope: DataScope, tree: &[i64]) -> Actor {
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

    #[test]
    fn handed_mail_is_read_comment_reply_only() {
        use MailAction::*;
        let all = [Read, Comment, Reply, Handle, HandOver, Trash, Purge];
        let sales = actor(&[Permission::DeleteMail], DataScope::Own, &[2]);
        for a in all {
            let want = matches!(a, Read | Comment | Reply);
            assert_eq!(
                MailGrant::HandedOver.allows(&sales, a) == Decision::Allow,
                want,
                "{a:?}"
            );
            assert_ne!(MailGrant::None.allows(&sales, a), Decision::Allow, "{a:?}");
        }
        for a in [Read, Comment, Reply, Handle, HandOver, Trash] {
            assert_eq!(
                MailGrant::Account.allows(&sales, a),
                Decision::Allow,
                "{a:?}"
            );
        }
        assert_eq!(
            MailGrant::Account.allows(&sales, Purge),
            Decision::Forbid,
            "needs permanent_delete"
        );
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
