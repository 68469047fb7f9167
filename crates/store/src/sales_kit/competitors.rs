//! Competitors (同行): the list with search, one, create / change / delete (holders of
//! `sales_kit`), and the customers linked to them (whoever may edit the customer).

use serde_json::json;
use sqlx::any::AnyRow;
use wharf_core::sales_kit::{CompetitorEntry, CompetitorInput};
use wharf_core::{Actor, DomainError, Permission};

use super::{KIT_LIMIT, word_conditions};
use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{int, opt_int, opt_text, text};
use crate::{Ctx, Result, Store};

/// A competitor as pages and the API show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Competitor {
    pub id: i64,
    pub name: String,
    pub website: String,
    pub country_id: Option<i64>,
    pub country_zh: Option<String>,
    pub country_en: Option<String>,
    pub products: String,
    pub strengths: String,
    pub weaknesses: String,
    pub notes: String,
    /// Customers linked to it (that the whole company has, not only the actor's).
    pub customers: i64,
}

const SELECT: &str = "SELECT k.id, k.name, k.website, k.country_id, k.products, k.strengths, \
     k.weaknesses, k.notes, d.name_zh AS country_zh, d.name_en AS country_en, \
     (SELECT COUNT(*) FROM customer_competitors cc WHERE cc.competitor_id = k.id) AS customers \
     FROM competitors k LEFT JOIN dict_items d ON d.id = k.country_id";

fn competitor(r: &AnyRow) -> sqlx::Result<Competitor> {
    Ok(Competitor {
        id: int(r, "id")?,
        name: text(r, "name")?,
        website: text(r, "website")?,
        country_id: opt_int(r, "country_id")?,
        country_zh: opt_text(r, "country_zh")?,
        country_en: opt_text(r, "country_en")?,
        products: text(r, "products")?,
        strengths: text(r, "strengths")?,
        weaknesses: text(r, "weaknesses")?,
        notes: text(r, "notes")?,
        customers: int(r, "customers")?,
    })
}

impl Store {
    /// Competitors matching the words, by name.
    pub async fn list_competitors(&self, actor: &Actor, q: &str) -> Result<Vec<Competitor>> {
        actor.require(Permission::Customers)?;
        let (words_sql, words) = word_conditions(q, 1);
        let sql = format!(
            "{SELECT} WHERE 1 = 1{} ORDER BY k.name_key, k.id LIMIT {KIT_LIMIT}",
            words_sql.replace("search_text", "k.search_text")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for w in words {
            query = query.bind(w);
        }
        Ok(query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(competitor)
            .collect::<sqlx::Result<_>>()?)
    }

    pub async fn get_competitor(&self, actor: &Actor, id: i64) -> Result<Competitor> {
        actor.require(Permission::Customers)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE k.id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        Ok(competitor(&row)?)
    }

    pub async fn create_competitor(&self, ctx: Ctx<'_>, input: &CompetitorInput) -> Result<i64> {
        ctx.actor.require(Permission::SalesKit)?;
        let e = input.validate()?;
        let mut tx = self.begin().await?;
        check(&mut tx, &e, 0).await?;
        let t = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO competitors (name, name_key, website, country_id, products, strengths, \
             weaknesses, notes, search_text, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(&e.name)
        .bind(e.name_key())
        .bind(&e.website)
        .bind(e.country_id)
        .bind(&e.products)
        .bind(&e.strengths)
        .bind(&e.weaknesses)
        .bind(&e.notes)
        .bind(e.search_text())
        .bind(ctx.actor.user_id)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(&mut tx, ctx, entry("competitor.create", id, &e)).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_competitor(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        input: &CompetitorInput,
    ) -> Result<()> {
        ctx.actor.require(Permission::SalesKit)?;
        let before = self.get_competitor(ctx.actor, id).await?;
        let e = input.validate()?;
        let mut tx = self.begin().await?;
        check(&mut tx, &e, id).await?;
        sqlx::query(
            "UPDATE competitors SET name = $1, name_key = $2, website = $3, country_id = $4, \
             products = $5, strengths = $6, weaknesses = $7, notes = $8, search_text = $9, \
             updated_at = $10 WHERE id = $11",
        )
        .bind(&e.name)
        .bind(e.name_key())
        .bind(&e.website)
        .bind(e.country_id)
        .bind(&e.products)
        .bind(&e.strengths)
        .bind(&e.weaknesses)
        .bind(&e.notes)
        .bind(e.search_text())
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let mut a = entry("competitor.update", id, &e);
        a.details["before"] = json!({ "name": before.name, "website": before.website });
        audit::record(&mut tx, ctx, a).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a competitor and its links to customers.
    pub async fn delete_competitor(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        ctx.actor.require(Permission::SalesKit)?;
        let c = self.get_competitor(ctx.actor, id).await?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM customer_competitors WHERE competitor_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM competitors WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "competitor.delete",
                entity: "competitor",
                entity_id: Some(id),
                summary: &c.name,
                details: json!({ "customers": c.customers }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The competitors a customer the actor may see also buys from.
    pub async fn customer_competitors(
        &self,
        actor: &Actor,
        customer_id: i64,
    ) -> Result<Vec<Competitor>> {
        self.get_customer(actor, customer_id).await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE k.id IN (SELECT competitor_id FROM customer_competitors WHERE customer_id = $1) \
             ORDER BY k.name_key, k.id"
        )))
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(competitor).collect::<sqlx::Result<_>>()?)
    }

    /// Links (`on`) or unlinks a competitor and a customer the actor may edit.
    pub async fn link_competitor(
        &self,
        ctx: Ctx<'_>,
        customer_id: i64,
        competitor_id: i64,
        on: bool,
    ) -> Result<()> {
        let d = self.get_customer(ctx.actor, customer_id).await?;
        if !d.may_edit {
            return Err(DomainError::Denied.into());
        }
        let k = self
            .get_competitor(ctx.actor, competitor_id)
            .await
            .map_err(|_| DomainError::field("competitor_id", "invalid_choice"))?;
        let mut tx = self.begin().await?;
        if !on {
            sqlx::query(
                "DELETE FROM customer_competitors WHERE customer_id = $1 AND competitor_id = $2",
            )
            .bind(customer_id)
            .bind(competitor_id)
            .execute(&mut *tx)
            .await?;
        } else {
            // A second click (or two tabs) links it once, never a unique-key error.
            sqlx::query(
                "INSERT INTO customer_competitors (customer_id, competitor_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (customer_id, competitor_id) DO NOTHING",
            )
            .bind(customer_id)
            .bind(competitor_id)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: if on {
                    "customer.competitor_link"
                } else {
                    "customer.competitor_unlink"
                },
                entity: "customer",
                entity_id: Some(customer_id),
                summary: &k.name,
                details: json!({ "competitor_id": competitor_id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The country must be a country; the name must be free (case-insensitively).
async fn check(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    e: &CompetitorEntry,
    except: i64,
) -> Result<()> {
    if let Some(c) = e.country_id {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM dict_items WHERE id = $1 AND kind = 'country'",
        )
        .bind(c)
        .fetch_one(&mut **tx)
        .await?;
        if n == 0 {
            return Err(DomainError::field("country_id", "invalid_choice").into());
        }
    }
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM competitors WHERE name_key = $1 AND id <> $2")
            .bind(e.name_key())
            .bind(except)
            .fetch_one(&mut **tx)
            .await?;
    if n > 0 {
        return Err(DomainError::field("name", "competitor_exists").into());
    }
    Ok(())
}

fn entry(action: &'static str, id: i64, e: &CompetitorEntry) -> Entry<'static> {
    Entry {
        action,
        entity: "competitor",
        entity_id: Some(id),
        summary: "",
        details: json!({ "name": e.name, "website": e.website, "country_id": e.country_id }),
    }
}
