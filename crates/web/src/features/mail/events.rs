//! The mailbox's server-sent event stream: the unread, Pending, due and followed counts
//! when they change, and the end of a send (sent, or failed with its reason) so an open
//! "Sending…" message changes without a reload (and, first, which sends are under way,
//! for a page drawn before one ended), and the contact records' reminders pushed to the
//! user (`features/records/reminders.rs`). The pages of all of a browser's tabs share
//! one stream (`static/live.js`).

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;

use super::live::Caller;
use super::reading_pane::delivery_text_in;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::i18n::Locale;

/// (message id, state, attempts) of each undelivered outgoing mail, by outgoing id.
type Undelivered = HashMap<i64, (i64, String, i64)>;

struct Watch {
    store: wharf_store::Store,
    actor: wharf_core::Actor,
    locale: Locale,
    accounts: Vec<i64>,
    accounts_at: i64,
    last: Option<(i64, i64, i64, i64)>,
    /// `None` until the first round (whose sends in flight are no news).
    undelivered: Option<Undelivered>,
    /// Events found in a round, sent one by one.
    ready: VecDeque<Event>,
    caller: Caller,
    /// The contact records' reminders sent so far (`features/records/reminders.rs`).
    reminders: crate::features::records::reminders::Seen,
}

impl Watch {
    /// The counts, when they changed since the last round.
    async fn counts(&mut self) -> Option<Event> {
        let counts = self.store.counts_for_accounts(&self.accounts).await.ok()?;
        let due = self.store.due_follow_ups(&self.accounts).await.ok()?;
        let (followed, latest) = self
            .store
            .followed_unread(&self.actor, &self.accounts)
            .await
            .ok()?;
        let now = (counts.0, counts.1, due, followed);
        if Some(now) == self.last {
            return None;
        }
        self.last = Some(now);
        let data = serde_json::json!({
            "unread": counts.0, "pending": counts.1, "due": due, "followed": followed,
            "followed_latest": latest.map(|(id, name)| serde_json::json!({ "id": id, "name": name })),
        });
        Some(Event::default().event("counts").data(data.to_string()))
    }

    /// A `delivery` event for each send that ended or was retried since the last round.
    async fn deliveries(&mut self) {
        let Ok(rows) = self.store.undelivered(&self.accounts).await else {
            return;
        };
        let now: Undelivered = rows
            .into_iter()
            .map(|(id, message, state, attempts)| (id, (message, state, attempts)))
            .collect();
        let before = self.undelivered.replace(now.clone());
        let Some(before) = before else {
            // The first round: which of the page's sends are still under way (one that
            // ended between the page and this stream is not among them).
            let sending: Vec<i64> = now.values().map(|(message, _, _)| *message).collect();
            let data = serde_json::json!({ "message_ids": sending });
            self.ready
                .push_back(Event::default().event("sending").data(data.to_string()));
            return;
        };
        for (id, was) in before {
            if now.get(&id) == Some(&was) {
                continue;
            }
            let Ok(Some(o)) = self.store.get_outgoing(id).await else {
                continue;
            };
            let data = serde_json::json!({
                "message_id": o.message_id,
                "state": o.state,
                "failed": o.state == "failed",
                "text": delivery_text_in(self.locale, &o),
            });
            self.ready
                .push_back(Event::default().event("delivery").data(data.to_string()));
        }
    }
}

/// The stream. A comment every few seconds lets a closed page's stream end soon; the
/// readable accounts are looked up once a minute.
pub async fn events(
    State(state): State<AppState>,
    req: Req,
    headers: axum::http::HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let watch = Watch {
        caller: Caller::of(&req, &headers),
        store: state.store.clone(),
        actor: req.actor()?.clone(),
        locale: req.locale,
        accounts: Vec::new(),
        accounts_at: 0,
        last: None,
        undelivered: None,
        ready: VecDeque::new(),
        reminders: crate::features::records::reminders::Seen {
            since: wharf_store::now(),
            ..Default::default()
        },
    };
    let stream = futures_util::stream::unfold(watch, |mut w| async move {
        loop {
            if let Some(event) = w.ready.pop_front() {
                return Some((Ok(event), w));
            }
            // The stream ends with the session or token it was opened with.
            if !w.caller.still_signed_in(&w.store).await {
                return None;
            }
            let now = wharf_store::now();
            if now - w.accounts_at >= 60 {
                w.accounts = w
                    .store
                    // The badge counts the user's own mailbox, not her team's.
                    .handled_account_ids(&w.actor)
                    .await
                    .unwrap_or_default();
                w.accounts_at = now;
            }
            w.deliveries().await;
            let reminders = crate::features::records::reminders::events(
                &w.store,
                &w.actor,
                w.locale,
                &mut w.reminders,
            )
            .await;
            w.ready.extend(reminders);
            if let Some(event) = w.counts().await {
                w.ready.push_back(event);
            }
            if w.ready.is_empty() {
                tokio::time::sleep(Duration::from_secs(3)).await;
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(5))))
}
