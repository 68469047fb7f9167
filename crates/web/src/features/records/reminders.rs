//! Reminders: the `record_reminders` job kind (every 15 seconds, one at a time across
//! nodes) marks each due reminder pushed exactly once (`wharf_jobs::once`, keyed by the
//! record and its time, so a re-run after a crash or a second node repeats nothing),
//! and the live stream (`/mail/events`, shared by the browser's tabs) turns the
//! reminders pushed since it opened into `reminder` events for their author.

use axum::response::sse::Event;
use wharf_jobs::{JobCtx, JobError, Kind, Outcome, Retry, Schedule};

/// The kind's name.
pub const REMINDER_JOB: &str = "record_reminders";

/// Reminders handled per run; the rest wait for the next one.
const BATCH: i64 = 200;

pub fn reminder_kind() -> Kind {
    let kind = Kind::new(REMINDER_JOB, run).limit(1).retry(Retry {
        max_attempts: 3,
        base_secs: 15,
        cap_secs: 60,
    });
    match Schedule::cron("*/15 * * * * *") {
        Ok(s) => kind.every("every_15_seconds", s),
        Err(_) => kind,
    }
}

async fn run(job: JobCtx) -> Result<Outcome, JobError> {
    let store = job.store().clone();
    let now = wharf_store::now();
    let mut pushed = 0;
    for (id, at) in store.due_reminders(now, BATCH).await? {
        let store = store.clone();
        let done = job
            .once(&format!("reminder:{id}:{at}"), async move {
                store.mark_reminded(id, at, now).await
            })
            .await?;
        if matches!(done, wharf_jobs::Once::Done(true)) {
            pushed += 1;
        }
    }
    Ok(Outcome::Done(format!("{pushed} reminders pushed")))
}

/// Where a stream is in the reminders pushed to its user: from a second on (the
/// stream's start, then the latest sent), and the ones of that second already sent.
#[derive(Debug, Default)]
pub struct Seen {
    pub since: i64,
    pub sent: std::collections::HashSet<i64>,
}

/// The `reminder` events for reminders pushed to the actor that this stream has not
/// sent yet.
pub async fn events(
    store: &wharf_store::Store,
    actor: &wharf_core::Actor,
    locale: crate::i18n::Locale,
    seen: &mut Seen,
) -> Vec<Event> {
    let Ok(fired) = store.fired_reminders(actor, seen.since).await else {
        return Vec::new();
    };
    fired
        .into_iter()
        .filter(|r| seen.sent.insert(r.record_id))
        .map(|r| {
            if r.reminded_at > seen.since {
                seen.since = r.reminded_at;
            }
            let data = serde_json::json!({
                "record_id": r.record_id,
                "title": crate::i18n::t_with(locale, "record.reminder.title", &[("name", &r.customer_name)]),
                "text": r.content.chars().take(200).collect::<String>(),
                "href": format!("/customers/{}#trail", r.customer_id),
            });
            Event::default().event("reminder").data(data.to_string())
        })
        .collect()
}
