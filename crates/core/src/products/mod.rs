//! The product catalog (PIPE-7): a product's fields and checks, price tiers per
//! currency, and the tier that applies to a quantity.

pub mod import;
mod input;
mod tiers;

pub use input::{ProductEntry, ProductInput, model_key};
pub use tiers::{
    MAX_TIERS, PriceTier, TierInput, check_tiers, currencies, parse_tiers_text, tiers_text,
    unit_price_for,
};
