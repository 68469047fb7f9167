//! Reading one customer the actor may see, with its owners, custom values and contacts.

use wharf_core::{Actor, DomainError, Permission};

use super::CustomerDetail;
use super::columns::{customer, select_list};
use super::contacts::contact;
use crate::{Result, Store};

impl Store {
    /// One customer the actor may see, with its contacts.
    pub async fn get_customer(&self, actor: &Actor, id: i64) -> Result<CustomerDetail> {
        actor.require(Permission::Customers)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM customers c WHERE c.id = $1",
            select_list()
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        let mut c = customer(&row)?;
        let owners = self.owners_of(id).await?;
        if !Self::sees(actor, &c.sharing, &owners) {
            return Err(DomainError::NotFound.into());
        }
        let may_edit = Self::edits(actor, &c.sharing, &owners);
        c.owners = owners.into_iter().map(|(u, n, _)| (u, n)).collect();
        c.fields.custom = self
            .custom_values_of(&[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let contacts = sqlx::query(
            "SELECT * FROM contacts WHERE customer_id = $1 ORDER BY is_primary DESC, name, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(contact)
        .collect::<sqlx::Result<_>>()?;
        Ok(CustomerDetail {
            customer: c,
            contacts,
            may_edit,
        })
    }
}
