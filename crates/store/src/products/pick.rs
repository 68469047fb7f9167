//! The product picker of opportunity and quote lines: active products matching a few
//! words, each with the tier unit price for a currency and quantity.

use wharf_core::Actor;
use wharf_core::money::{Currency, Decimal};
use wharf_core::products::{PriceTier, unit_price_for};

use super::read::{SELECT, product};
use crate::rows::like_pattern;
use crate::{Result, Store};

/// One picker answer.
#[derive(Debug, Clone)]
pub struct Pick {
    pub id: i64,
    pub name_en: String,
    pub name_zh: String,
    pub model: String,
    pub unit: String,
    /// The tier for the quantity in the currency asked for; `None` when the product has
    /// no price there (or the quantity is below its first tier).
    pub tier: Option<PriceTier>,
    /// Every currency the product has a price in, to say what is there instead.
    pub currencies: Vec<Currency>,
}

/// The most answers a picker gets.
pub const PICK_LIMIT: i64 = 20;

impl Store {
    pub async fn pick_products(
        &self,
        _actor: &Actor,
        q: &str,
        currency: Option<Currency>,
        qty: Decimal,
    ) -> Result<Vec<Pick>> {
        let words: Vec<String> = q.split_whitespace().take(8).map(like_pattern).collect();
        let mut clause = String::from(" WHERE p.active = 1");
        for i in 0..words.len() {
            clause.push_str(&format!(" AND p.search_text LIKE ${} ESCAPE '\\'", i + 1));
        }
        let sql = format!(
            "{SELECT}{clause} ORDER BY p.model_key IS NULL, p.model_key, p.id LIMIT {PICK_LIMIT}"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for w in &words {
            query = query.bind(w.clone());
        }
        let products = query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(product)
            .collect::<sqlx::Result<Vec<_>>>()?;
        let ids: Vec<i64> = products.iter().map(|p| p.id).collect();
        let mut tiers = self.tiers_of(&ids).await?;
        Ok(products
            .into_iter()
            .map(|p| {
                let t = tiers.remove(&p.id).unwrap_or_default();
                Pick {
                    id: p.id,
                    tier: currency.and_then(|c| unit_price_for(&t, c, qty)),
                    currencies: wharf_core::products::currencies(&t),
                    name_en: p.name_en,
                    name_zh: p.name_zh,
                    model: p.model,
                    unit: p.unit,
                }
            })
            .collect())
    }
}
