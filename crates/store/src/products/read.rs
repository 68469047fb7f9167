//! Reading products: one, and the filtered, paged list, each with its price tiers.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use wharf_core::money::{Currency, Decimal};
use wharf_core::products::PriceTier;
use wharf_core::{Actor, DomainError};

use crate::rows::{flag, int, like_pattern, opt_int, opt_text, placeholders, text};
use crate::{Page, Result, Store, StoreError};

/// A product as pages and the API show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Product {
    pub id: i64,
    pub type_id: Option<i64>,
    pub type_zh: Option<String>,
    pub type_en: Option<String>,
    pub name_en: String,
    pub name_zh: String,
    pub model: String,
    pub spec: String,
    pub unit: String,
    pub hs_code: String,
    /// Decimal text.
    pub moq: Option<String>,
    pub lead_time_days: Option<i64>,
    pub description: String,
    pub active: bool,
    pub tiers: Vec<PriceTier>,
    /// The first picture, for lists.
    pub picture_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Product {
    /// The name in the reader's language, else the other one.
    pub fn name(&self, chinese: bool) -> &str {
        let (first, second) = if chinese {
            (&self.name_zh, &self.name_en)
        } else {
            (&self.name_en, &self.name_zh)
        };
        if first.is_empty() { second } else { first }
    }
}

/// The list's filter.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Words in the names, model, spec or HS code.
    pub q: String,
    pub type_id: Option<i64>,
    /// `Some(true)` active only (the default of the pages), `Some(false)` archived only.
    pub active: Option<bool>,
    /// Only products with a price in this currency.
    pub currency: Option<Currency>,
    pub page: i64,
    pub per_page: i64,
}

pub(super) const SELECT: &str = "SELECT p.id, p.type_id, p.name_en, p.name_zh, p.model, p.spec, p.unit, \
     p.hs_code, p.moq, p.lead_time_days, p.description, p.active, p.created_at, p.updated_at, \
     d.name_zh AS type_zh, d.name_en AS type_en, \
     (SELECT MIN(f.id) FROM product_files f WHERE f.product_id = p.id AND f.kind = 'picture') AS picture_id \
     FROM products p LEFT JOIN dict_items d ON d.id = p.type_id";

pub(super) fn product(r: &AnyRow) -> sqlx::Result<Product> {
    Ok(Product {
        id: int(r, "id")?,
        type_id: opt_int(r, "type_id")?,
        type_zh: opt_text(r, "type_zh")?,
        type_en: opt_text(r, "type_en")?,
        name_en: text(r, "name_en")?,
        name_zh: text(r, "name_zh")?,
        model: text(r, "model")?,
        spec: text(r, "spec")?,
        unit: text(r, "unit")?,
        hs_code: text(r, "hs_code")?,
        moq: opt_text(r, "moq")?,
        lead_time_days: opt_int(r, "lead_time_days")?,
        description: text(r, "description")?,
        active: flag(r, "active")?,
        tiers: Vec::new(),
        picture_id: opt_int(r, "picture_id")?,
        created_at: int(r, "created_at")?,
        updated_at: int(r, "updated_at")?,
    })
}

fn bad(what: &str) -> StoreError {
    StoreError::Other(format!("stored product price: bad {what}"))
}

impl Store {
    /// The tiers of these products, by product.
    pub(super) async fn tiers_of(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<PriceTier>>> {
        let mut out: HashMap<i64, Vec<PriceTier>> = HashMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let sql = format!(
            "SELECT product_id, currency, min_qty, unit_price FROM product_prices \
             WHERE product_id IN ({}) ORDER BY product_id, position",
            placeholders(1, ids.len())
        );
        let mut q = sqlx::query_as::<_, (i64, String, String, String)>(sqlx::AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(*id);
        }
        for (id, currency, min_qty, unit_price) in q.fetch_all(&self.pool).await? {
            out.entry(id).or_default().push(PriceTier {
                currency: Currency::from_code(&currency).map_err(|_| bad("currency"))?,
                min_qty: Decimal::from_str_exact(&min_qty).map_err(|_| bad("quantity"))?,
                unit_price: Decimal::from_str_exact(&unit_price).map_err(|_| bad("price"))?,
            });
        }
        Ok(out)
    }

    /// One product; everyone signed in may read the catalog.
    pub async fn get_product(&self, _actor: &Actor, id: i64) -> Result<Product> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE p.id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(DomainError::NotFound)?;
        let mut p = product(&r)?;
        p.tiers = self.tiers_of(&[id]).await?.remove(&id).unwrap_or_default();
        Ok(p)
    }

    /// The catalog, filtered, newest first.
    pub async fn list_products(
        &self,
        _actor: &Actor,
        filter: &ProductFilter,
    ) -> Result<Page<Product>> {
        let per_page = filter.per_page.clamp(1, 200);
        let page = filter.page.max(1);
        let mut wheres: Vec<String> = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        for word in filter.q.split_whitespace().take(8) {
            binds.push(like_pattern(word));
            wheres.push(format!("p.search_text LIKE ${} ESCAPE '\\'", binds.len()));
        }
        if let Some(c) = filter.currency {
            binds.push(c.code().to_string());
            wheres.push(format!(
                "EXISTS (SELECT 1 FROM product_prices x WHERE x.product_id = p.id AND x.currency = ${})",
                binds.len()
            ));
        }
        if let Some(t) = filter.type_id {
            wheres.push(format!("p.type_id = {t}"));
        }
        if let Some(a) = filter.active {
            wheres.push(format!("p.active = {}", i64::from(a)));
        }
        let clause = if wheres.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", wheres.join(" AND "))
        };
        let count_sql = format!("SELECT COUNT(*) FROM products p{clause}");
        let mut count = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
        for b in &binds {
            count = count.bind(b.clone());
        }
        let total = count.fetch_one(&self.pool).await?;
        let list_sql = format!(
            "{SELECT}{clause} ORDER BY p.id DESC LIMIT {per_page} OFFSET {}",
            (page - 1) * per_page
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(list_sql));
        for b in &binds {
            q = q.bind(b.clone());
        }
        let mut items: Vec<Product> = q
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(product)
            .collect::<sqlx::Result<_>>()?;
        let ids: Vec<i64> = items.iter().map(|p| p.id).collect();
        let mut tiers = self.tiers_of(&ids).await?;
        for p in &mut items {
            p.tiers = tiers.remove(&p.id).unwrap_or_default();
        }
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }
}
