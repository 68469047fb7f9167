//! Customer groups (SPEC CUST-1): company-wide names, created on first use; a customer
//! can be in several. Joining and leaving need the right to edit the customer. Also
//! each user's saved list queries.

use serde_json::json;
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::{Ctx, Result, Store};

#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct Group {
    pub id: i64,
    pub name: String,
}

impl Store {
    /// Every group, by name.
    pub async fn customer_groups(&self, actor: &Actor) -> Result<Vec<Group>> {
        actor.require(Permission::Customers)?;
        Ok(sqlx::query_as::<_, (i64, String)>(
            "SELECT id, name FROM customer_groups ORDER BY lower(name)",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|(id, name)| Group { id, name })
        .collect())
    }

    /// The groups a customer the actor may see is in.
    pub async fn groups_of(&self, actor: &Actor, customer_id: i64) -> Result<Vec<Group>> {
        self.get_customer(actor, customer_id).await?;
        Ok(sqlx::query_as::<_, (i64, String)>(
            "SELECT g.id, g.name FROM customer_group_members m JOIN customer_groups g ON g.id = m.group_id \
             WHERE m.customer_id = $1 ORDER BY lower(g.name)",
        )
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|(id, name)| Group { id, name })
        .collect())
    }

    /// Puts a customer into the group of that name (made when new).
    pub async fn add_to_group(&self, ctx: Ctx<'_>, customer_id: i64, name: &str) -> Result<Group> {
        let d = self.get_customer(ctx.actor, customer_id).await?;
        if !d.may_edit {
            return Err(DomainError::Denied.into());
        }
        let name = &wharf_core::validate::name("group", name, 100)?;
        let mut tx = self.begin().await?;
        let found: Option<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM customer_groups WHERE lower(name) = lower($1)")
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        let group = match found {
            Some((id, name)) => Group { id, name },
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO customer_groups (name, created_by, created_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(name)
                .bind(ctx.actor.user_id)
                .bind(now())
                .fetch_one(&mut *tx)
                .await?;
                Group {
                    id,
                    name: name.to_string(),
                }
            }
        };
        sqlx::query(
            "INSERT INTO customer_group_members (customer_id, group_id) VALUES ($1, $2) ON CONFLICT (customer_id, group_id) DO NOTHING",
        )
        .bind(customer_id)
        .bind(group.id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.group.add",
                entity: "customer",
                entity_id: Some(customer_id),
                summary: &group.name,
                details: json!({ "group_id": group.id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(group)
    }

    pub async fn remove_from_group(
        &self,
        ctx: Ctx<'_>,
        customer_id: i64,
        group_id: i64,
    ) -> Result<()> {
        let d = self.get_customer(ctx.actor, customer_id).await?;
        if !d.may_edit {
            return Err(DomainError::Denied.into());
        }
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM customer_group_members WHERE customer_id = $1 AND group_id = $2")
            .bind(customer_id)
            .bind(group_id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.group.remove",
                entity: "customer",
                entity_id: Some(customer_id),
                summary: "",
                details: json!({ "group_id": group_id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// The user's saved list queries as (id, name, URL query), by name.
    pub async fn saved_queries(&self, actor: &Actor) -> Result<Vec<(i64, String, String)>> {
        actor.require(Permission::Customers)?;
        Ok(sqlx::query_as(
            "SELECT id, name, query FROM customer_saved_queries WHERE user_id = $1 ORDER BY name",
        )
        .bind(actor.user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Saves (or replaces) a named list query of the user's.
    pub async fn save_query(&self, actor: &Actor, name: &str, query: &str) -> Result<()> {
        actor.require(Permission::Customers)?;
        let name = &wharf_core::validate::name("query_name", name, 100)?;
        if query.len() > 4000 || wharf_core::validate::clean_block(query).is_err() {
            return Err(DomainError::field("query_name", "too_long").into());
        }
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM customer_saved_queries WHERE user_id = $1 AND name = $2")
            .bind(actor.user_id)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO customer_saved_queries (user_id, name, query, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(actor.user_id)
        .bind(name)
        .bind(query)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_saved_query(&self, actor: &Actor, id: i64) -> Result<()> {
        actor.require(Permission::Customers)?;
        sqlx::query("DELETE FROM customer_saved_queries WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(actor.user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
