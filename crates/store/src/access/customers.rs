//! [`CustomerScope`] as SQL on the customers table aliased `c`, and the store's rows
//! turned into [`CustomerFacts`] for the in-memory rule.

use wharf_core::Actor;
use wharf_core::customers::Sharing;
use wharf_core::policy::{CustomerFacts, CustomerScope, OwnerFacts};

/// The condition (on `c`) for the customers in `scope`, with its values; placeholders
/// start at `$first`.
pub(crate) fn condition(scope: &CustomerScope, first: usize) -> (String, Vec<i64>) {
    match scope {
        CustomerScope::Nothing => ("1 = 0".into(), Vec::new()),
        CustomerScope::All => ("1 = 1".into(), Vec::new()),
        CustomerScope::SharedOrOwnedBy { user_id } => (
            format!(
                "(c.sharing = 'shared' OR EXISTS (SELECT 1 FROM customer_owners o WHERE o.customer_id = c.id AND o.user_id = ${first}))"
            ),
            vec![*user_id],
        ),
        CustomerScope::SharedOrOwnedByUserOrDepartments {
            user_id,
            departments,
        } => {
            let list = super::list(first + 1, departments.len());
            let mut values = vec![*user_id];
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

/// The condition for the customers the actor may see.
pub(crate) fn visible(actor: &Actor, first: usize) -> (String, Vec<i64>) {
    condition(&CustomerScope::of(actor), first)
}

/// The condition for the customers the actor may change (`CustomerFacts::editable_by`):
/// a whole-company scope changes all; anyone else those they see that are not in the
/// shared pool (a visible customer outside the pool is one whose owner is in reach).
/// For sales records that take their customer's answer (opportunities).
pub(crate) fn editable(actor: &Actor, first: usize) -> (String, Vec<i64>) {
    match CustomerScope::of(actor) {
        CustomerScope::All => ("1 = 1".into(), Vec::new()),
        scope => {
            let (visible, values) = condition(&scope, first);
            (format!("(c.sharing <> 'shared' AND {visible})"), values)
        }
    }
}

/// A customer's facts from its `sharing` code and its (id, name, department) owners.
pub(crate) fn facts(sharing: &str, owners: &[(i64, String, Option<i64>)]) -> CustomerFacts {
    CustomerFacts {
        shared: sharing == Sharing::Shared.code(),
        owners: owners
            .iter()
            .map(|&(user_id, _, department_id)| OwnerFacts {
                user_id,
                department_id,
            })
            .collect(),
    }
}
