//! A customer's contacts: add, edit, delete, read one, and the contacts list across
//! the customers the actor may see.

use serde_json::json;
use wharf_core::customers::ContactInput;
use wharf_core::{Actor, DomainError, Permission};

use super::Contact;
use super::access::visible_condition;
use super::keys::write_keys;
use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{flag, int, like_pattern, text};
use crate::{Ctx, Page, Result, Store};

pub(crate) fn contact(r: &sqlx::any::AnyRow) -> sqlx::Result<Contact> {
    Ok(Contact {
        id: int(r, "id")?,
        customer_id: int(r, "customer_id")?,
        name: text(r, "name")?,
        gender: text(r, "gender")?,
        title: text(r, "title")?,
        emails: text(r, "emails")?,
        phones: text(r, "phones")?,
        whatsapp: text(r, "whatsapp")?,
        wechat: text(r, "wechat")?,
        skype: text(r, "skype")?,
        qq: text(r, "qq")?,
        linkedin: text(r, "linkedin")?,
        birthday: text(r, "birthday")?,
        notes: text(r, "notes")?,
        is_primary: flag(r, "is_primary")?,
    })
}

impl Store {
    /// Contacts: add one to a customer the actor may edit; the first is primary.
    pub async fn add_contact(
        &self,
        ctx: Ctx<'_>,
        customer_id: i64,
        input: ContactInput,
    ) -> Result<i64> {
        let d = self.editable(ctx.actor, customer_id).await?;
        let input = input.validate()?;
        self.refuse_taken(
            ctx.actor,
            &input.emails,
            &input.phones,
            "",
            Some(customer_id),
        )
        .await?;
        let primary = input.is_primary || d.contacts.is_empty();
        let t = now();
        let mut tx = self.begin().await?;
        if primary {
            clear_primary(&mut tx, customer_id).await?;
        }
        let mut input = input;
        input.is_primary = primary;
        let id = create_contact(&mut tx, ctx, customer_id, &input, t).await?;
        touch(&mut tx, customer_id, t).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_contact(
        &self,
        ctx: Ctx<'_>,
        contact_id: i64,
        input: ContactInput,
    ) -> Result<()> {
        let customer_id = self.contact_customer(contact_id).await?;
        self.editable(ctx.actor, customer_id).await?;
        let input = input.validate()?;
        self.refuse_taken(
            ctx.actor,
            &input.emails,
            &input.phones,
            "",
            Some(customer_id),
        )
        .await?;
        let t = now();
        let mut tx = self.begin().await?;
        if input.is_primary {
            clear_primary(&mut tx, customer_id).await?;
        }
        sqlx::query(
            "UPDATE contacts SET name = $1, gender = $2, title = $3, emails = $4, phones = $5, whatsapp = $6, wechat = $7, \
             skype = $8, qq = $9, linkedin = $10, birthday = $11, notes = $12, \
             is_primary = CASE WHEN $13 = 1 THEN 1 ELSE is_primary END, updated_at = $14 WHERE id = $15",
        )
        .bind(&input.name)
        .bind(&input.gender)
        .bind(&input.title)
        .bind(&input.emails)
        .bind(&input.phones)
        .bind(&input.whatsapp)
        .bind(&input.wechat)
        .bind(&input.skype)
        .bind(&input.qq)
        .bind(&input.linkedin)
        .bind(&input.birthday)
        .bind(&input.notes)
        .bind(i64::from(input.is_primary))
        .bind(t)
        .bind(contact_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM customer_keys WHERE contact_id = $1")
            .bind(contact_id)
            .execute(&mut *tx)
            .await?;
        write_keys(
            &mut tx,
            customer_id,
            Some(contact_id),
            &input.emails,
            &input.phones,
            "",
        )
        .await?;
        touch(&mut tx, customer_id, t).await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "contact.update",
                entity: "customer",
                entity_id: Some(customer_id),
                summary: &input.name,
                details: json!({ "contact_id": contact_id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_contact(&self, ctx: Ctx<'_>, contact_id: i64) -> Result<i64> {
        let customer_id = self.contact_customer(contact_id).await?;
        self.editable(ctx.actor, customer_id).await?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM contacts WHERE id = $1")
            .bind(contact_id)
            .execute(&mut *tx)
            .await?;
        touch(&mut tx, customer_id, now()).await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "contact.delete",
                entity: "customer",
                entity_id: Some(customer_id),
                summary: "",
                details: json!({ "contact_id": contact_id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(customer_id)
    }

    /// One contact of a customer the actor may see.
    pub async fn get_contact(&self, actor: &Actor, contact_id: i64) -> Result<Contact> {
        let customer_id = self.contact_customer(contact_id).await?;
        self.get_customer(actor, customer_id)
            .await?
            .contacts
            .into_iter()
            .find(|c| c.id == contact_id)
            .ok_or_else(|| DomainError::NotFound.into())
    }

    pub(super) async fn contact_customer(&self, contact_id: i64) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT customer_id FROM contacts WHERE id = $1")
                .bind(contact_id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(DomainError::NotFound)?,
        )
    }
}

pub(crate) async fn insert_contact(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
    input: &ContactInput,
    t: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO contacts (customer_id, name, gender, title, emails, phones, whatsapp, wechat, skype, qq, linkedin, \
         birthday, notes, is_primary, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) \
         RETURNING id",
    )
    .bind(customer_id)
    .bind(&input.name)
    .bind(&input.gender)
    .bind(&input.title)
    .bind(&input.emails)
    .bind(&input.phones)
    .bind(&input.whatsapp)
    .bind(&input.wechat)
    .bind(&input.skype)
    .bind(&input.qq)
    .bind(&input.linkedin)
    .bind(&input.birthday)
    .bind(&input.notes)
    .bind(i64::from(input.is_primary))
    .bind(t)
    .fetch_one(&mut **tx)
    .await?)
}

/// A checked contact's row, its duplicate keys and its audit entry.
pub(super) async fn create_contact(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ctx: Ctx<'_>,
    customer_id: i64,
    input: &ContactInput,
    t: i64,
) -> Result<i64> {
    let id = insert_contact(tx, customer_id, input, t).await?;
    write_keys(tx, customer_id, Some(id), &input.emails, &input.phones, "").await?;
    audit::record(
        tx,
        ctx,
        Entry {
            action: "contact.create",
            entity: "customer",
            entity_id: Some(customer_id),
            summary: &input.name,
            details: json!({ "contact_id": id }),
        },
    )
    .await?;
    Ok(id)
}

async fn clear_primary(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
) -> Result<()> {
    sqlx::query("UPDATE contacts SET is_primary = 0 WHERE customer_id = $1")
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn touch(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    customer_id: i64,
    t: i64,
) -> Result<()> {
    sqlx::query("UPDATE customers SET updated_at = $1 WHERE id = $2")
        .bind(t)
        .bind(customer_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A contact with the customer it belongs to, for the contacts list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ContactRow {
    #[serde(flatten)]
    pub contact: Contact,
    pub customer_name: String,
}

impl Store {
    /// Contacts of the customers the actor may see (CUST-2), by name, optionally those
    /// whose name, e-mail, phone or company contains `search`.
    pub async fn list_contacts(
        &self,
        actor: &Actor,
        search: Option<&str>,
        page: i64,
        per_page: i64,
    ) -> Result<Page<ContactRow>> {
        actor.require(Permission::Customers)?;
        let (visible, values) = visible_condition(actor, 1);
        let mut where_sql = visible;
        let pattern = search
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(like_pattern);
        if pattern.is_some() {
            let p = values.len() + 1;
            where_sql.push_str(&format!(
                " AND (LOWER(k.name) LIKE ${p} ESCAPE '\\' OR LOWER(k.emails) LIKE ${p} ESCAPE '\\' \
                 OR k.phones LIKE ${p} ESCAPE '\\' OR c.search_text LIKE ${p} ESCAPE '\\')"
            ));
        }
        let per_page = per_page.clamp(1, 500);
        let page = page.max(1);
        let bind = |sql: String| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for v in &values {
                q = q.bind(*v);
            }
            if let Some(p) = &pattern {
                q = q.bind(p.clone());
            }
            q
        };
        let total = int(
            &bind(format!(
                "SELECT COUNT(*) AS n FROM contacts k JOIN customers c ON c.id = k.customer_id WHERE {where_sql}"
            ))
            .fetch_one(&self.pool)
            .await?,
            "n",
        )?;
        let rows = bind(format!(
            "SELECT k.*, c.name AS customer_name FROM contacts k JOIN customers c ON c.id = k.customer_id \
             WHERE {where_sql} ORDER BY k.name, k.id LIMIT {per_page} OFFSET {}",
            (page - 1) * per_page
        ))
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(ContactRow {
                    contact: contact(r)?,
                    customer_name: text(r, "customer_name")?,
                })
            })
            .collect::<sqlx::Result<_>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }
}
