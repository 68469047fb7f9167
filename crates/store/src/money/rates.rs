//! Dated exchange rates: one row per currency per day against the base currency; the
//! rate used on a day is the latest on or before it.

use std::collections::BTreeMap;

use serde_json::json;
use sqlx::any::AnyRow;
use wharf_core::money::{Currency, Decimal, NoRate, Rate, RateEntry, RateInput};
use wharf_core::zone::Day;
use wharf_core::{Actor, DomainError, Permission};

use crate::audit::{self, Entry};
use crate::db::now;
use crate::rows::{int, opt_text, text};
use crate::{Ctx, Page, Result, Store, StoreError};

/// A stored rate as the list and the API show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RateRow {
    pub id: i64,
    pub currency: Currency,
    pub base: Currency,
    /// YYYY-MM-DD.
    pub day: String,
    /// Exact decimal text.
    pub per_unit: String,
    pub note: String,
    pub created_by: Option<String>,
    pub updated_at: i64,
}

/// The list's filter: one currency or all, newest day first.
#[derive(Debug, Clone, Default)]
pub struct RateFilter {
    pub currency: Option<Currency>,
    pub page: i64,
    pub per_page: i64,
}

const COLUMNS: &str = "r.id, r.currency, r.base, r.day, r.per_unit, r.note, r.updated_at, \
                       u.name AS created_by";

fn row(r: &AnyRow) -> Result<RateRow> {
    let bad = |what: &str| StoreError::Other(format!("stored exchange rate: bad {what}"));
    Ok(RateRow {
        id: int(r, "id")?,
        currency: Currency::from_code(&text(r, "currency")?).map_err(|_| bad("currency"))?,
        base: Currency::from_code(&text(r, "base")?).map_err(|_| bad("base"))?,
        day: text(r, "day")?,
        per_unit: text(r, "per_unit")?,
        note: text(r, "note")?,
        created_by: opt_text(r, "created_by")?,
        updated_at: int(r, "updated_at")?,
    })
}

fn parse_rate(currency: Currency, base: Currency, day: &str, per_unit: &str) -> Result<Rate> {
    let bad = || StoreError::Other(format!("stored exchange rate for {currency} on {day}"));
    Ok(Rate {
        currency,
        base,
        per_unit: Decimal::from_str_exact(per_unit).map_err(|_| bad())?,
        day: Day::parse_iso(day).ok_or_else(bad)?,
    })
}

/// The rates of one day for every currency that has one, read once (a board, a list of
/// quotes): each lookup is then a map access.
#[derive(Debug, Clone)]
pub struct RateTable {
    pub base: Currency,
    pub day: Day,
    rates: BTreeMap<Currency, Rate>,
}

impl RateTable {
    /// The rate of `currency` (1 for the base), or which one is missing.
    pub fn get(&self, currency: Currency) -> std::result::Result<Rate, NoRate> {
        if currency == self.base {
            return Ok(Rate::identity(self.base, self.day));
        }
        self.rates.get(&currency).copied().ok_or(NoRate {
            currency,
            day: self.day,
        })
    }
}

impl Store {
    /// The rate of `currency` against the base currency on `day`: the latest entered on
    /// or before it, with the day it came from. The base currency is 1. None is
    /// `DomainError::NoRate` (the web layer says where to add one). Every signed-in
    /// user may read rates.
    pub async fn rate_on(&self, actor: &Actor, day: Day, currency: Currency) -> Result<Rate> {
        let base = self.base_currency(actor).await?;
        if currency == base {
            return Ok(Rate::identity(base, day));
        }
        let found: Option<(String, String)> = sqlx::query_as(
            "SELECT day, per_unit FROM exchange_rates \
             WHERE base = $1 AND currency = $2 AND day <= $3 ORDER BY day DESC LIMIT 1",
        )
        .bind(base.code())
        .bind(currency.code())
        .bind(day.iso())
        .fetch_optional(&self.pool)
        .await?;
        match found {
            Some((d, per_unit)) => parse_rate(currency, base, &d, &per_unit),
            None => Err(DomainError::NoRate(NoRate { currency, day }).into()),
        }
    }

    /// Every currency's rate on `day` at once (see [`RateTable`]).
    pub async fn rate_table(&self, actor: &Actor, day: Day) -> Result<RateTable> {
        let base = self.base_currency(actor).await?;
        // The latest row per currency on or before the day.
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT r.currency, r.day, r.per_unit FROM exchange_rates r \
             WHERE r.base = $1 AND r.day = (SELECT MAX(x.day) FROM exchange_rates x \
               WHERE x.base = r.base AND x.currency = r.currency AND x.day <= $2)",
        )
        .bind(base.code())
        .bind(day.iso())
        .fetch_all(&self.pool)
        .await?;
        let mut rates = BTreeMap::new();
        for (code, d, per_unit) in rows {
            // A code no longer on the list is skipped: it cannot be asked for either.
            let Ok(currency) = Currency::from_code(&code) else {
                continue;
            };
            rates.insert(currency, parse_rate(currency, base, &d, &per_unit)?);
        }
        Ok(RateTable { base, day, rates })
    }

    /// Rates against the current base currency, newest day first.
    pub async fn list_rates(&self, actor: &Actor, filter: &RateFilter) -> Result<Page<RateRow>> {
        let base = self.base_currency(actor).await?;
        let per_page = filter.per_page.clamp(1, 200);
        let page = filter.page.max(1);
        let code = filter.currency.map(|c| c.code()).unwrap_or("");
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM exchange_rates WHERE base = $1 AND ($2 = '' OR currency = $2)",
        )
        .bind(base.code())
        .bind(code)
        .fetch_one(&self.pool)
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM exchange_rates r LEFT JOIN users u ON u.id = r.created_by \
             WHERE r.base = $1 AND ($2 = '' OR r.currency = $2) \
             ORDER BY r.day DESC, r.currency LIMIT $3 OFFSET $4"
        )))
        .bind(base.code())
        .bind(code)
        .bind(per_page)
        .bind((page - 1) * per_page)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page {
            items: rows.iter().map(row).collect::<Result<_>>()?,
            total,
            page,
            per_page,
        })
    }

    pub async fn get_rate(&self, actor: &Actor, id: i64) -> Result<RateRow> {
        let _ = actor;
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM exchange_rates r LEFT JOIN users u ON u.id = r.created_by \
             WHERE r.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(DomainError::NotFound)?;
        row(&r)
    }

    /// Adds a day's rate; a second one for the same currency and day is refused
    /// (`rate_exists`): edit that one instead.
    pub async fn create_rate(&self, ctx: Ctx<'_>, input: &RateInput, today: Day) -> Result<i64> {
        ctx.actor.require(Permission::ExchangeRates)?;
        let base = self.base_currency(ctx.actor).await?;
        let entry = input.validate(base, today)?;
        let mut tx = self.begin().await?;
        if self.rate_taken(&mut tx, base, &entry, None).await? {
            return Err(DomainError::field("day", "rate_exists").into());
        }
        let t = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO exchange_rates (currency, base, day, per_unit, note, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(entry.currency.code())
        .bind(base.code())
        .bind(entry.day.iso())
        .bind(entry.per_unit.to_string())
        .bind(&entry.note)
        .bind(ctx.actor.user_id)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            ctx,
            audit_entry("exchange_rate.create", id, base, &entry),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_rate(
        &self,
        ctx: Ctx<'_>,
        id: i64,
        input: &RateInput,
        today: Day,
    ) -> Result<()> {
        ctx.actor.require(Permission::ExchangeRates)?;
        let current = self.get_rate(ctx.actor, id).await?;
        let entry = input.validate(current.base, today)?;
        let mut tx = self.begin().await?;
        if self
            .rate_taken(&mut tx, current.base, &entry, Some(id))
            .await?
        {
            return Err(DomainError::field("day", "rate_exists").into());
        }
        sqlx::query(
            "UPDATE exchange_rates SET currency = $1, day = $2, per_unit = $3, note = $4, updated_at = $5 \
             WHERE id = $6",
        )
        .bind(entry.currency.code())
        .bind(entry.day.iso())
        .bind(entry.per_unit.to_string())
        .bind(&entry.note)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let mut e = audit_entry("exchange_rate.update", id, current.base, &entry);
        e.details["before"] =
            json!({"currency": current.currency, "day": current.day, "per_unit": current.per_unit});
        audit::record(&mut tx, ctx, e).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_rate(&self, ctx: Ctx<'_>, id: i64) -> Result<()> {
        ctx.actor.require(Permission::ExchangeRates)?;
        let current = self.get_rate(ctx.actor, id).await?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM exchange_rates WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let summary = format!("{} {} {}", current.currency, current.day, current.per_unit);
        audit::record(
            &mut tx,
            ctx,
            Entry {
                action: "exchange_rate.delete",
                entity: "exchange_rate",
                entity_id: Some(id),
                summary: &summary,
                details: json!({"currency": current.currency, "base": current.base,
                                "day": current.day, "per_unit": current.per_unit}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn rate_taken(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        base: Currency,
        entry: &RateEntry,
        except: Option<i64>,
    ) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM exchange_rates WHERE base = $1 AND currency = $2 AND day = $3 AND id <> $4",
        )
        .bind(base.code())
        .bind(entry.currency.code())
        .bind(entry.day.iso())
        .bind(except.unwrap_or(0))
        .fetch_one(&mut **tx)
        .await?;
        Ok(n > 0)
    }
}

fn audit_entry(action: &'static str, id: i64, base: Currency, entry: &RateEntry) -> Entry<'static> {
    Entry {
        action,
        entity: "exchange_rate",
        entity_id: Some(id),
        summary: "",
        details: json!({
            "currency": entry.currency,
            "base": base,
            "day": entry.day.iso(),
            "per_unit": entry.per_unit.to_string(),
            "note": entry.note,
        }),
    }
}
