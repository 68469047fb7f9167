//! The workbench's "orders to follow" (PIPE-2, seed 003's 订单跟进): in progress and all
//! open, counted with the orders list's own query so each number is exactly what its
//! link shows.

use wharf_store::orders::{OrderQuery, Progress};

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::deals::DealLink;

/// The counts for Mine (`team` false: seller or follower) or the team's.
pub async fn workbench_links(
    state: &AppState,
    req: &Req,
    team: bool,
) -> Result<Vec<DealLink>, AppError> {
    let view = if team { "view=team&" } else { "" };
    let mut links = Vec::new();
    for (key, progress, filter) in [
        ("in_progress", Progress::InProgress, "progress=in_progress"),
        ("open", Progress::Open, "progress=open"),
    ] {
        let found = state
            .store
            .list_orders(
                req.actor()?,
                &OrderQuery {
                    team,
                    progress,
                    status: None,
                    customer: None,
                    text: String::new(),
                    page: 1,
                    per_page: 1,
                },
            )
            .await?;
        links.push(DealLink {
            key,
            label: req.t(&format!("order.workbench.{key}")),
            n: found.total,
            href: format!("/orders?{view}{filter}"),
        });
    }
    Ok(links)
}
