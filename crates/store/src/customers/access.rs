//! Who may see and change a customer: the SQL condition of the customers an actor may
//! see, and the in-memory checks of one customer (sees, edits). Kept together so that
//! the one policy (issue 16) replaces their bodies in one place.

use wharf_core::customers::Sharing;
use wharf_core::policy::OwnerFilter;
use wharf_core::{Actor, DataScope, DomainError};

use super::CustomerDetail;
use crate::{Result, Store};

/// The SQL condition (on `c`) for the customers an actor may see, with its values;
/// placeholders start at `$first`.
pub(crate) fn visible_condition(actor: &Actor, first: usize) -> (String, Vec<i64>) {
    match actor.owner_filter() {
        OwnerFilter::All => ("1 = 1".into(), Vec::new()),
        OwnerFilter::OnlyUser(u) => (
            format!(
                "(c.sharing = 'shared' OR EXISTS (SELECT 1 FROM customer_owners o WHERE o.customer_id = c.id AND o.user_id = ${first}))"
            ),
            vec![u],
        ),
        OwnerFilter::UserOrDepartments {
            user_id,
            departments,
        } => {
            let list = (0..departments.len())
                .map(|i| format!("${}", first + 1 + i))
                .collect::<Vec<_>>()
                .join(", ");
            let mut values = vec![user_id];
            values.extend(departments);
            (
                format!(
                    "(c.sharing = 'shared' OR EXISTS (SELECT 1 FROM customer_owners o JOIN users u ON u.id = o.user_id \
                     WHERE o.customer_id = c.id AND (o.user_id = ${first} OR u.department_id IN ({list}))))"
                ),
                values,
            )
        }
    }
}

impl Store {
    /// May the actor see this customer (given its sharing and owners)?
    pub(crate) fn sees(
        actor: &Actor,
        sharing: &str,
        owners: &[(i64, String, Option<i64>)],
    ) -> bool {
        sharing == Sharing::Shared.code()
            || actor.scope == DataScope::All
            || owners.iter().any(|(u, _, d)| actor.can_see_owned(*u, *d))
    }

    /// May the actor change it: an owner, a manager whose scope covers an owner, or (for
    /// the shared pool) a manager of the whole company.
    pub(super) fn edits(
        actor: &Actor,
        sharing: &str,
        owners: &[(i64, String, Option<i64>)],
    ) -> bool {
        if sharing == Sharing::Shared.code() {
            return actor.scope == DataScope::All;
        }
        actor.scope == DataScope::All || owners.iter().any(|(u, _, d)| actor.can_see_owned(*u, *d))
    }

    pub(super) async fn editable(&self, actor: &Actor, id: i64) -> Result<CustomerDetail> {
        let d = self.get_customer(actor, id).await?;
        if !d.may_edit {
            return Err(DomainError::Denied.into());
        }
        Ok(d)
    }
}
