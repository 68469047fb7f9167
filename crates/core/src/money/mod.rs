//! Money: ISO 4217 currencies, exact decimal amounts (`rust_decimal`, never floats),
//! strict parsing of typed numbers, rounding to the minor unit half away from zero,
//! conversion at dated rates that never drifts a stored amount, and one display form.
//!
//! What is stored is always the original amount and its currency; conversions are
//! made from them for display and totals only ([`convert`]).

mod amount;
mod convert;
mod currency;
mod error;
mod format;
mod parse;
mod rate_input;
mod words;

pub use amount::{Money, Totals, round_to_minor};
pub use convert::{Converted, NoRate, Rate, between, to_base};
pub use currency::{COMMON, Currency, CurrencyInfo};
pub use error::MoneyError;
pub use format::{format_amount, format_money, format_price, format_quantity};
pub use parse::{
    MAX_AMOUNT, PRICE_DECIMALS, QUANTITY_DECIMALS, RATE_DECIMALS, parse_amount, parse_decimal,
    parse_price, parse_quantity, parse_rate,
};
pub use rate_input::{RateEntry, RateInput};
/// Re-exported so the crates above use the same decimal type.
pub use rust_decimal::Decimal;
pub use words::{chinese_capital, english_words};
