//! Who may see and change a customer: the SQL condition of the customers an actor may
//! see, and the in-memory checks of one customer (sees, edits), each a call to the one
//! policy (`crate::access::customers`).

use wharf_core::{Actor, DomainError};

use super::CustomerDetail;
use crate::{Result, Store};

/// The SQL condition (on `c`) for the customers an actor may see, with its values;
/// placeholders start at `$first`.
pub(crate) fn visible_condition(actor: &Actor, first: usize) -> (String, Vec<i64>) {
    crate::access::customers::visible(actor, first)
}

impl Store {
    /// May the actor see this customer (given its sharing and owners)?
    pub(crate) fn sees(
        actor: &Actor,
        sharing: &str,
        owners: &[(i64, String, Option<i64>)],
    ) -> bool {
        crate::access::customers::facts(sharing, owners).visible_to(actor)
    }

    /// May the actor change it: an owner, a manager whose scope covers an owner, or (for
    /// the shared pool) a manager of the whole company.
    pub(super) fn edits(
        actor: &Actor,
        sharing: &str,
        owners: &[(i64, String, Option<i64>)],
    ) -> bool {
        crate::access::customers::facts(sharing, owners).editable_by(actor)
    }

    pub(crate) async fn editable(&self, actor: &Actor, id: i64) -> Result<CustomerDetail> {
        let d = self.get_customer(actor, id).await?;
        if !d.may_edit {
            return Err(DomainError::Denied.into());
        }
        Ok(d)
    }
}
