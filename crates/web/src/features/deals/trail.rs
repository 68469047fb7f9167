//! Opportunities in trails: the customer page's entries (kind `opportunity`, one per
//! opportunity, linking to it) and the opportunity page's own log (created, moved,
//! status changes) beside its customer's latest contact records.

use wharf_store::deals::Opportunity;
use wharf_store::pipeline::StageLogEntry;

use super::money_text::amount;
use super::status::{outcome_label, status_label};
use super::views::LogRow;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::features::records::views::TrailItem;
use crate::render::when;

/// Contact records shown on an opportunity's page.
const RECORDS_SHOWN: i64 = 20;

/// The customer's opportunities as trail entries (time, entry), for
/// `features/records/timeline.rs`.
pub async fn trail_items(
    state: &AppState,
    req: &Req,
    customer_id: i64,
) -> Result<Vec<(i64, TrailItem)>, AppError> {
    let zone = req.zone()?;
    Ok(state
        .store
        .customer_opportunities(req.actor()?, customer_id)
        .await?
        .into_iter()
        .map(|o| {
            let detail = format!(
                "{} · {} · {} · {} %",
                o.stage_label(req.locale.code()),
                status_text(req, &o.status),
                amount(o.amount, &o.currency),
                o.probability
            );
            (
                o.created_at,
                TrailItem {
                    kind: "opportunity",
                    label: req.t("deal.trail"),
                    when: when(o.created_at, zone),
                    who: crate::i18n::person(req.locale, &o.owner_name),
                    text: o.title.clone(),
                    detail,
                    href: Some(format!("/opportunities/{}", o.id)),
                    record_id: None,
                    may_change: false,
                },
            )
        })
        .collect())
}

/// A status as stored in the log ("ended:lost" is ended, lost).
fn status_text(req: &Req, code: &str) -> String {
    match code.split_once(':') {
        Some((s, o)) => format!("{} ({})", status_label(req, s), outcome_label(req, o)),
        None => status_label(req, code),
    }
}

fn log_text(req: &Req, e: &StageLogEntry, stage_label: &dyn Fn(&str) -> String) -> String {
    let (key, from, to) = match e.kind.as_str() {
        "opportunity_stage" => ("deal.log.stage", stage_label(&e.from), stage_label(&e.to)),
        "opportunity_status" => (
            "deal.log.status",
            status_text(req, &e.from),
            status_text(req, &e.to),
        ),
        _ => ("deal.log.created", String::new(), status_text(req, &e.to)),
    };
    let mut text = crate::i18n::t_with(req.locale, key, &[("from", &from), ("to", &to)]);
    if !e.reason.is_empty() && e.kind != "opportunity" {
        let reason = if e.reason == "customer_paused" {
            req.t("deal.log.customer_paused")
        } else {
            e.reason.clone()
        };
        text.push_str(&format!(" · {reason}"));
    }
    text
}

/// The opportunity's log and its customer's latest records, newest first.
pub async fn opportunity_trail(
    state: &AppState,
    req: &Req,
    o: &Opportunity,
) -> Result<(Vec<LogRow>, Vec<LogRow>), AppError> {
    let actor = req.actor()?;
    let zone = req.zone()?;
    let stages: Vec<_> = state
        .store
        .opportunity_pipelines(actor)
        .await?
        .into_iter()
        .flat_map(|p| p.stages)
        .collect();
    let stage_label = |id: &str| {
        stages
            .iter()
            .find(|s| s.id.to_string() == id)
            .map(|s| s.label(req.locale.code()).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    let log = state
        .store
        .opportunity_log(actor, o.id)
        .await?
        .iter()
        .map(|e| LogRow {
            when: when(e.at, zone),
            who: crate::i18n::person(req.locale, &e.user),
            text: log_text(req, e, &stage_label),
        })
        .collect();
    let records = state
        .store
        .customer_records(actor, o.customer_id, RECORDS_SHOWN)
        .await?
        .iter()
        .map(|r| LogRow {
            when: when(r.happened_at, zone),
            who: crate::i18n::person(req.locale, &r.author_name),
            text: format!(
                "{}: {}",
                req.t(&format!("record.kind.{}", r.kind)),
                r.content
            ),
        })
        .collect();
    Ok((log, records))
}
