//! Who a new customer may be given to (CUST-3): the pool, its creator with co-owners, or
//! — owned only by others — people a manager may assign
//! ([`wharf_core::Actor::may_create_owned_by`]). Creation by form, API, mail quick entry
//! and import all pass here.

use wharf_core::{Actor, DomainError};

use crate::{Result, Store};

impl Store {
    /// Checks that every owner of a customer being created is an active user, and that
    /// the actor may create a customer owned by them.
    pub async fn check_new_owners(&self, actor: &Actor, owners: &[i64]) -> Result<()> {
        let mut found = Vec::new();
        for u in owners {
            let row: Option<(String, Option<i64>)> =
                sqlx::query_as("SELECT status, department_id FROM users WHERE id = $1")
                    .bind(u)
                    .fetch_optional(&self.pool)
                    .await?;
            match row {
                Some((status, department)) if status == "active" => found.push((*u, department)),
                _ => return Err(DomainError::field("owners", "invalid_choice").into()),
            }
        }
        if !actor.may_create_owned_by(&found) {
            return Err(DomainError::field("owners", "owner_out_of_scope").into());
        }
        Ok(())
    }
}
