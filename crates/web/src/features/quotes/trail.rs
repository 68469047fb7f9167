//! The customer trail's quote entries and the customer page's quote list: each quote
//! with its current version's status and total, linking to its page.

use wharf_core::money::{Money, format_money};

use super::pages::{currency_of, status_label};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::records::views::TrailItem;
use crate::render::when;

/// The customer's quotes as trail entries, each with the time it was last changed.
pub async fn items(
    state: &AppState,
    req: &Req,
    customer_id: i64,
) -> Result<Vec<(i64, TrailItem)>, AppError> {
    let zone = req.zone()?;
    let quotes = state
        .store
        .customer_quotes(req.actor()?, customer_id, 200)
        .await?;
    Ok(quotes
        .into_iter()
        .map(|q| {
            let total = currency_of(&q.currency)
                .map(|currency| {
                    format_money(Money {
                        amount: q.total,
                        currency,
                    })
                })
                .unwrap_or_default();
            (
                q.updated_at,
                TrailItem {
                    kind: "quote",
                    label: req.t("quote.trail"),
                    when: when(q.updated_at, zone),
                    who: q.owner_name.clone(),
                    text: format!("{} v{} · {}", q.number, q.version, total),
                    detail: status_label(req.locale, &q.status),
                    href: Some(format!("/quotes/{}", q.id)),
                    record_id: None,
                    may_change: false,
                },
            )
        })
        .collect())
}
