//! `GET /products/pick?q=&currency=&qty=`: the picker of opportunity and quote lines.
//! Answers JSON: `{"items": [{id, name, model, unit, currency, unit_price, tier_from,
//! price_text, currencies}]}` — the name in the reader's language, the tier unit price
//! for the quantity in the currency (decimal strings; `null` when the product has no
//! price there), and the currencies it does have prices in.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value, json};
use wharf_core::DomainError;
use wharf_core::money::{Currency, Decimal, Money, format_price, parse_quantity};

use super::views::chinese;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

#[derive(Deserialize)]
pub struct PickQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    qty: String,
}

pub async fn pick(
    State(state): State<AppState>,
    req: Req,
    Query(p): Query<PickQuery>,
) -> Result<Json<Value>, AppError> {
    let currency = match p.currency.trim() {
        "" => None,
        c => Some(
            Currency::from_code(c)
                .map_err(|e| AppError::Domain(DomainError::field("currency", e.code())))?,
        ),
    };
    let qty = match p.qty.trim() {
        "" => Decimal::ONE,
        q => {
            parse_quantity(q).map_err(|e| AppError::Domain(DomainError::field("qty", e.code())))?
        }
    };
    let q: String = p.q.chars().take(200).collect();
    let picks = state
        .store
        .pick_products(req.actor()?, &q, currency, qty)
        .await?;
    let zh = chinese(&req);
    let items: Vec<Value> = picks
        .into_iter()
        .map(|p| {
            let name = match (zh, p.name_zh.is_empty(), p.name_en.is_empty()) {
                (true, false, _) | (false, _, true) => p.name_zh.clone(),
                _ => p.name_en.clone(),
            };
            json!({
                "id": p.id,
                "name": name,
                "model": p.model,
                "unit": p.unit,
                "currency": p.tier.map(|t| t.currency),
                "unit_price": p.tier.map(|t| t.unit_price.to_string()),
                "tier_from": p.tier.map(|t| t.min_qty.to_string()),
                "price_text": p.tier.map(|t| format_price(Money::new(t.unit_price, t.currency))),
                "currencies": p.currencies,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}
