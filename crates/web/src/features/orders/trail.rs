//! The customer trail's order entries: each order with its status and total, linking to
//! its page (seed 003's 订单跟进 seen from the customer).

use super::list::{money_text, status_label};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::records::views::TrailItem;
use crate::render::when;

/// The customer's orders as trail entries, each at the time it was last changed.
pub async fn items(
    state: &AppState,
    req: &Req,
    customer_id: i64,
) -> Result<Vec<(i64, TrailItem)>, AppError> {
    let zone = req.zone()?;
    let orders = state
        .store
        .customer_orders(req.actor()?, customer_id, 200)
        .await?;
    Ok(orders
        .into_iter()
        .map(|o| {
            (
                o.updated_at,
                TrailItem {
                    kind: "order",
                    label: req.t("order.timeline"),
                    when: when(o.updated_at, zone),
                    who: o.seller_name.clone(),
                    text: format!("{} · {}", o.number, money_text(o.total, &o.currency)),
                    detail: status_label(req.locale, &o.status),
                    href: Some(format!("/orders/{}", o.id)),
                    record_id: None,
                    may_change: false,
                },
            )
        })
        .collect())
}
