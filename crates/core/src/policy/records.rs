//! Who sees and changes contact records. A record belongs to one customer and is seen
//! exactly when its customer is ([`super::CustomerScope`], joined on `customer_id`).
//! Writing one needs the customer in sight; changing or deleting one is its author's,
//! or a manager's whose data scope covers the author (a salesperson never edits a
//! colleague's notes, even on a shared customer).

use super::Actor;
use crate::{DataScope, Permission};

/// What the rule reads of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordFacts {
    pub author: i64,
    /// The author's department now.
    pub author_department: Option<i64>,
}

impl RecordFacts {
    /// May the actor edit or delete this record (its customer being visible to them)?
    pub fn changeable_by(&self, actor: &Actor) -> bool {
        actor.has(Permission::Customers)
            && (self.author == actor.user_id
                || (actor.scope != DataScope::Own
                    && actor.can_see_owned(self.author, self.author_department)))
    }
}

/// Whose records a list shows: the actor's own, or everyone's their scope reaches
/// (the "Team" switch); rendered into SQL by `wharf_store::access::records`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorScope {
    Only(i64),
    /// Everyone (a company-wide scope).
    Everyone,
    /// The actor and anyone now in one of these departments.
    UserOrDepartments {
        user_id: i64,
        departments: Vec<i64>,
    },
}

impl AuthorScope {
    /// The actor's own records.
    pub fn mine(actor: &Actor) -> AuthorScope {
        AuthorScope::Only(actor.user_id)
    }

    /// The records of the team the actor's data scope reaches.
    pub fn team(actor: &Actor) -> AuthorScope {
        match actor.owner_filter() {
            super::OwnerFilter::All => AuthorScope::Everyone,
            super::OwnerFilter::OnlyUser(u) => AuthorScope::Only(u),
            super::OwnerFilter::UserOrDepartments {
                user_id,
                departments,
            } => AuthorScope::UserOrDepartments {
                user_id,
                departments,
            },
        }
    }

    /// The in-memory form: is a record by `author` (in `department`) inside?
    pub fn covers(&self, author: i64, department: Option<i64>) -> bool {
        match self {
            AuthorScope::Only(u) => *u == author,
            AuthorScope::Everyone => true,
            AuthorScope::UserOrDepartments {
                user_id,
                departments,
            } => *user_id == author || department.is_some_and(|d| departments.contains(&d)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::actor;
    use super::*;

    #[test]
    fn authors_and_their_managers_change_records() {
        let li = actor(&[Permission::Customers], DataScope::Own, &[2]);
        let mine = RecordFacts {
            author: 7,
            author_department: Some(2),
        };
        let colleague = RecordFacts {
            author: 8,
            author_department: Some(2),
        };
        assert!(mine.changeable_by(&li));
        assert!(!colleague.changeable_by(&li), "a colleague's record");

        let manager = actor(&[Permission::Customers], DataScope::DepartmentTree, &[2, 3]);
        assert!(colleague.changeable_by(&manager));
        let elsewhere = RecordFacts {
            author: 9,
            author_department: Some(4),
        };
        assert!(!elsewhere.changeable_by(&manager), "outside the tree");

        let boss = actor(&[Permission::Customers], DataScope::All, &[]);
        assert!(elsewhere.changeable_by(&boss));
        let no_permission = actor(&[], DataScope::All, &[]);
        assert!(!mine.changeable_by(&no_permission));
    }

    #[test]
    fn team_scope_follows_the_data_scope() {
        let li = actor(&[Permission::Customers], DataScope::Own, &[2]);
        assert_eq!(AuthorScope::team(&li), AuthorScope::Only(7));
        let manager = actor(&[Permission::Customers], DataScope::DepartmentTree, &[2, 3]);
        let team = AuthorScope::team(&manager);
        assert!(team.covers(8, Some(3)) && team.covers(7, None) && !team.covers(8, Some(4)));
        assert!(!AuthorScope::mine(&manager).covers(8, Some(3)));
    }
}
