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

/// The rates of `currencies` on `day` (units of the base currency per unit): the latest
/// on or before it, `None` where there is none.
async fn rates_on(
    state: &AppState,
    req: &Req,
    currencies: &[String],
    day: wharf_core::zone::Day,
) -> Result<Rates, AppError> {
    let table = state.store.rate_table(req.actor()?, day).await?;
    Ok(currencies
        .iter()
        .map(|c| {
            let rate = wharf_core::money::Currency::from_code(c)
                .ok()
                .and_then(|cur| table.get(cur).ok())
                .map(|r| r.per_unit);
            (c.clone(), rate)
        })
        .collect())
}

/// The value of these totals (per currency) with today's rates, as the board shows it.
pub async fn value_view(
    state: &AppState,
    req: &Req,
    totals: &[CurrencyTotal],
) -> Result<(ValueView, wharf_core::deals::PipelineValue), AppError> {
    let base = base_currency(state, req).await?;
    let today = req.today()?;
    let day = today.iso();
    let currencies: Vec<String> = totals
        .iter()
        .map(|t| t.currency.clone())
        .filter(|c| *c != base)
        .collect();
    let rates = rates_on(state, req, &currencies, today).await?;
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
