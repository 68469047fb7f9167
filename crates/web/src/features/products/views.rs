//! Typed page data of the product pages, and how a product's values are shown.

use serde::Serialize;
use wharf_core::money::{Money, format_price, format_quantity};
use wharf_core::products::{PriceTier, currencies};
use wharf_store::products::Product;

use crate::ctx::Req;
use crate::i18n::Locale;

pub(super) fn chinese(req: &Req) -> bool {
    req.locale == Locale::ZhCn
}

/// "12.50 USD", the first tier of each currency: the list's price column.
pub(super) fn prices(tiers: &[PriceTier]) -> Vec<String> {
    currencies(tiers)
        .into_iter()
        .filter_map(|c| tiers.iter().find(|t| t.currency == c))
        .map(|t| format_price(Money::new(t.unit_price, t.currency)))
        .collect()
}

/// The same on one line.
pub(super) fn price_summary(tiers: &[PriceTier]) -> String {
    prices(tiers).join(" · ")
}

/// One line of a product's price table: "from 100 pcs: 11.00 USD".
#[derive(Serialize)]
pub(super) struct TierLine {
    pub currency: String,
    pub from: String,
    pub price: String,
}

pub(super) fn tier_lines(tiers: &[PriceTier]) -> Vec<TierLine> {
    tiers
        .iter()
        .map(|t| TierLine {
            currency: t.currency.code().to_string(),
            from: format_quantity(t.min_qty),
            price: format_price(Money::new(t.unit_price, t.currency)),
        })
        .collect()
}

/// A product in a list row or card.
#[derive(Serialize)]
pub(super) struct ProductRow {
    pub id: i64,
    pub name: String,
    pub other_name: String,
    pub model: String,
    pub type_name: String,
    pub unit: String,
    pub moq: String,
    pub prices: Vec<String>,
    pub active: bool,
    pub picture_id: Option<i64>,
}

pub(super) fn row(req: &Req, p: &Product) -> ProductRow {
    let zh = chinese(req);
    let name = p.name(zh).to_string();
    let other = p.name(!zh).to_string();
    ProductRow {
        id: p.id,
        other_name: if other == name { String::new() } else { other },
        name,
        model: p.model.clone(),
        type_name: if zh {
            p.type_zh.clone()
        } else {
            p.type_en.clone()
        }
        .unwrap_or_default(),
        unit: p.unit.clone(),
        moq: p
            .moq
            .as_deref()
            .and_then(|m| wharf_core::money::Decimal::from_str_exact(m).ok())
            .map(format_quantity)
            .unwrap_or_default(),
        prices: prices(&p.tiers),
        active: p.active,
        picture_id: p.picture_id,
    }
}
