//! The pipeline value in the company's base currency at today's exchange rates: the
//! totals per currency converted (core's `pipeline_value`), and every currency without a
//! rate named in the reader's language, never dropped in silence.

use wharf_core::deals::{CurrencyTotal, Rates, pipeline_value};

use super::money_text::amount;
use super::views::ValueView;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

/// The company's base currency (System → Settings).
pub async fn base_currency(state: &AppState, req: &Req) -> Result<String, AppError> {
    Ok(state
        .store
        .base_currency(req.actor()?)
        .await?
        .code()
        .to_string())
}

/// The rates of `currencies` on `day` (units of the base currency per unit).
async fn rates_on(
    _state: &AppState,
    _req: &Req,
    currencies: &[String],
    _day: &str,
) -> Result<Rates, AppError> {
    // Dated exchange rates arrive with the money module: until then no currency but the
    // base has a rate, and the page names each one.
    Ok(currencies.iter().map(|c| (c.clone(), None)).collect())
}

/// The value of these totals (per currency) with today's rates, as the board shows it.
pub async fn value_view(
    state: &AppState,
    req: &Req,
    totals: &[CurrencyTotal],
) -> Result<(ValueView, wharf_core::deals::PipelineValue), AppError> {
    let base = base_currency(state, req).await?;
    let day = req.today()?.iso();
    let currencies: Vec<String> = totals
        .iter()
        .map(|t| t.currency.clone())
        .filter(|c| *c != base)
        .collect();
    let rates = rates_on(state, req, &currencies, &day).await?;
    let v = pipeline_value(totals, &base, &rates);
    let view = ValueView {
        total: amount(v.total, &base),
        weighted: amount(v.weighted, &base),
        missing: v
            .missing
            .iter()
            .map(|c| {
                crate::i18n::t_with(
                    req.locale,
                    "deal.no_rate",
                    &[("currency", c), ("day", &day)],
                )
            })
            .collect(),
        day,
    };
    Ok((view, v))
}
