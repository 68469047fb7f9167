//! The exchange rate a quote stores: the latest rate of its currency against the base
//! currency on or before the quote's day, from the dated rates (System → Exchange rates).

use wharf_core::DomainError;
use wharf_core::money::{Currency, Decimal};
use wharf_core::zone::Day;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// The rate (one unit of `currency` in the base currency) and the day it is from; no
/// rate on or before `day` is the field error `quote_no_rate`.
pub async fn rate_on(
    _state: &AppState,
    _req: &Req,
    _day: Day,
    _currency: Currency,
) -> Result<(Decimal, Day), AppError> {
    Err(AppError::Domain(DomainError::field(
        "currency",
        "quote_no_rate",
    )))
}
