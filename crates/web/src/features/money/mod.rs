//! Money in pages: currency pickers, amounts shown in the reader's language, and (with
//! the exchange rates) the System → Exchange rates pages and API.

mod api;
mod rates;
mod routes;

pub use routes::routes;

use wharf_core::money::{Currency, NoRate};

use crate::ctx::Req;
use crate::i18n::Locale;

/// "No exchange rate for USD on or before 2026-12-01: add one under System → Exchange
/// rates." in the reader's language.
pub fn no_rate_message(locale: Locale, missing: &NoRate) -> String {
    crate::i18n::t_with(
        locale,
        "error.no_exchange_rate",
        &[
            ("currency", missing.currency.code()),
            ("day", &missing.day.iso()),
        ],
    )
}

/// The options of a currency `<select>`: the common ones first, "USD · US Dollar".
pub fn currency_options(req: &Req) -> Vec<(String, String)> {
    let chinese = req.locale == Locale::ZhCn;
    Currency::picker_order()
        .into_iter()
        .map(|c| {
            (
                c.code().to_string(),
                format!("{} · {}", c.code(), c.name(chinese)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use wharf_core::money::MoneyError;

    use crate::i18n::{Locale, has_key};

    #[test]
    fn every_money_error_has_a_sentence_in_both_languages() {
        for code in MoneyError::CODES {
            for locale in [Locale::En, Locale::ZhCn] {
                assert!(
                    has_key(locale, &format!("error.{code}")),
                    "{code} {locale:?}"
                );
            }
        }
    }
}
