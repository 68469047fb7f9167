//! Money in the store: the company's base currency (a setting) and the dated exchange
//! rates against it.

use wharf_core::Actor;
use wharf_core::money::Currency;

use crate::{Result, Store};

mod rates;

pub use rates::{RateFilter, RateRow, RateTable};

impl Store {
    /// The company's base currency (System → Settings, CNY by default); every
    /// signed-in user may read it, as the other settings.
    pub async fn base_currency(&self, _actor: &Actor) -> Result<Currency> {
        let code: Option<String> =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'base_currency'")
                .fetch_optional(&self.pool)
                .await?;
        // A stored code was checked on the way in; an unreadable one keeps the default.
        Ok(code
            .and_then(|c| Currency::from_code(&c).ok())
            .unwrap_or_else(Currency::cny))
    }
}
