//! Creating, saving and deleting a customer: checked input, a unique name, owners,
//! custom values, duplicate keys, the field history and the audit entry, in one
//! transaction each.

use serde_json::json;
use wharf_core::custom_field::check_values;
use wharf_core::customers::{ContactInput, CustomerInput, Sharing, name_key};
use wharf_core::{DomainError, Permission};

use super::columns::{bind_fields, insert_sql, update_sql};
use super::contacts::create_contact;
use super::history::record_changes;
use super::keys::write_keys;
use super::ownership::{log_owners, set_owners};
use crate::audit::{self, Entry};
use crate::custom_fields::write_custom_values;
use crate::db::now;
use crate::rows::int;
use crate::{Ctx, Result, Store};

impl Store {
    /// Creates a customer owned by `owners` (none: into the shared pool). A name already
    /// used (compared by [`name_key`]) is refused.
    pub async fn create_customer(
        &self,
        ctx: Ctx<'_>,
        input: CustomerInput,
        owners: &[i64],
    ) -> Result<i64> {
        self.create_customer_inner(ctx, input, owners, None).await
    }

    /// Creates a customer and its first (primary) contact together: both or neither
    /// (the quick entry from a mail).
    pub async fn create_customer_with_contact(
        &self,
        ctx: Ctx<'_>,
        input: CustomerInput,
        owners: &[i64],
        contact: ContactInput,
    ) -> Result<i64> {
        self.create_customer_inner(ctx, input, owners, Some(contact))
            .await
    }

    async fn create_customer_inner(
        &self,
        ctx: Ctx<'_>,
        input: CustomerInput,
        owners: &[i64],
        contact: Option<ContactInput>,
    ) -> Result<i64> {
        ctx.actor.require(Permission::Customers)?;
        let mut input = input.validate()?;
        let contact = contact.map(ContactInput::validate).transpose()?;
        let defs = self.custom_field_defs().await?;
        input.custom = check_values(&defs, &input.custom, None)?;
        let mut owners = owners.to_vec();
        owners.sort_unstable();
        owners.dedup();
        self.check_new_owners(ctx.actor, &owners).await?;
        let (emails, phones) = match &contact {
            Some(k) => (
                format!("{}, {}", input.email, k.emails),
                format!("{}, {}", input.phones, k.phones),
            ),
            None => (input.email.clone(), input.phones.clone()),
        };
        self.refuse_taken(ctx.actor, &emails, &phones, &input.website, None)
            .await?;
        let key = name_key(&input.name);
        let mut tx = self.begin().await?;
        if name_taken(&mut tx, &key, None).await? {
            return Err(DomainError::field("name", "duplicate_customer").into());
        }
        let t = now();
        let sharing = Sharing::for_owners(owners.len());
        let id = insert_customer(&mut tx, &input, sharing, ctx.actor.user_id, t).await?;
        set_owners(&mut tx, id, &owners, t).await?;
        write_custom_values(&mut tx, id, &input.custom, &defs).await?;
        write_keys(
            &mut tx,
            id,
            None,
            &input.email,
            &input.phones,
            &input.website,
        )
        .await?;
        log_owners(&mut tx, id, ctx.actor.user_id, "create", &[], &owners).await?;
        if let Some(mut k) = contact {
            k.is_primary = true;
            create_contact(&mut tx, ctx, id, &k, t).await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.create",
                entity: "customer",
                entity_id: Some(id),
                summary: &input.name,
                details: json!({ "owners": owners, "stage": input.stage }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Saves a customer's fields; each changed field goes into the history.
    pub async fn update_customer(&self, ctx: Ctx<'_>, id: i64, input: CustomerInput) -> Result<()> {
        let before = self.editable(ctx.actor, id).await?.customer;
        let mut input = input.validate()?;
        let defs = self.custom_field_defs().await?;
        input.custom = check_values(&defs, &input.custom, Some(&before.custom))?;
        self.refuse_taken(
            ctx.actor,
            &input.email,
            &input.phones,
            &input.website,
            Some(id),
        )
        .await?;
        let key = name_key(&input.name);
        let mut tx = self.begin().await?;
        if name_taken(&mut tx, &key, Some(id)).await? {
            return Err(DomainError::field("name", "duplicate_customer").into());
        }
        let t = now();
        bind_fields(sqlx::query(sqlx::AssertSqlSafe(update_sql())), &input)
            .bind(t)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        write_custom_values(&mut tx, id, &input.custom, &defs).await?;
        let changed = record_changes(
            &mut tx,
            id,
            ctx.actor.user_id,
            t,
            (&before.fields, &input),
            &defs,
        )
        .await?;
        crate::pipeline::after_customer_save(&mut tx, ctx, &before, &input, &changed).await?;
        sqlx::query("DELETE FROM customer_keys WHERE customer_id = $1 AND contact_id IS NULL")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        write_keys(
            &mut tx,
            id,
            None,
            &input.email,
            &input.phones,
            &input.website,
        )
        .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.update",
                entity: "customer",
                entity_id: Some(id),
                summary: &input.name,
                details: json!({ "changed": changed }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a customer with everything attached (contacts, history, keys).
    pub async fn delete_customer(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        let c = self.editable(ctx.actor, id).await?.customer;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM customers WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "customer.delete",
                entity: "customer",
                entity_id: Some(id),
                summary: &c.name,
                details: json!({ "owners": c.owners.iter().map(|o| o.0).collect::<Vec<_>>() }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Inserts one checked customer and returns its id.
async fn insert_customer(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    input: &CustomerInput,
    sharing: Sharing,
    by: i64,
    t: i64,
) -> Result<i64> {
    let q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{} RETURNING id",
        insert_sql(1)
    )))
    .bind(sharing.code())
    .bind(by)
    .bind(t);
    let row = bind_fields(q, input).fetch_one(&mut **tx).await?;
    let id = int(&row, "id")?;
    crate::pipeline::fit_new_customers(tx, &[id]).await?;
    Ok(id)
}

async fn name_taken(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key: &str,
    except: Option<i64>,
) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE name_key = $1")
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(found.is_some_and(|f| Some(f) != except))
}
