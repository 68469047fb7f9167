//! What the home page shows of the user's follow-ups: their customers and opportunities
//! whose revisit day has come or passed (overdue marked), and today's reminders.

use super::views::{DueItem, DueLists};
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::when;

pub async fn due_lists(state: &AppState, req: &Req) -> Result<DueLists, AppError> {
    let actor = req.actor()?;
    if !actor.has(wharf_core::Permission::Customers) {
        return Ok(DueLists::default());
    }
    let zone = req.zone()?;
    let (start, end) = zone.day_range(req.today()?);
    let mut revisits: Vec<DueItem> = state
        .store
        .due_revisits(actor, end)
        .await?
        .into_iter()
        .map(|c| DueItem {
            href: format!("/customers/{}#trail", c.customer_id),
            name: c.name,
            when: zone.day_of(c.next_revisit_at).iso(),
            text: req.t(&format!("customer.stage.{}", c.stage)),
            overdue: c.next_revisit_at < start,
        })
        .collect();
    // The opportunities' revisit days, with the customers', overdue first.
    let today = req.today()?.iso();
    revisits.extend(
        state
            .store
            .due_deal_revisits(actor, req.today()?)
            .await?
            .into_iter()
            .map(|o| DueItem {
                href: format!("/opportunities/{}", o.id),
                name: format!("{} · {}", o.customer_name, o.title),
                overdue: o.next_revisit < today,
                when: o.next_revisit,
                text: req.t("record.due.opportunity"),
            }),
    );
    revisits.sort_by(|a, b| a.when.cmp(&b.when));
    let now = wharf_store::now();
    let reminders = state
        .store
        .reminders_between(actor, start, end)
        .await?
        .into_iter()
        .map(|r| DueItem {
            href: format!("/customers/{}#trail", r.customer_id),
            overdue: r.remind_at.is_some_and(|t| t <= now),
            when: r.remind_at.map(|t| when(t, zone)).unwrap_or_default(),
            name: r.customer_name,
            text: r.content.chars().take(120).collect(),
        })
        .collect();
    Ok(DueLists {
        revisits,
        reminders,
    })
}
