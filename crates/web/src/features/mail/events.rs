//! The mailbox's server-sent event stream (new mail, sync state).

use axum::extract::State;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;

// ---- live updates --------------------------------------------------------------------

/// Server-sent events with the unread and Pending counts, sent when they change (the
/// page updates its badges and announces new mail). A comment every few seconds lets a
/// closed page's stream end soon; the readable accounts are looked up once a minute.
pub async fn events(
    State(state): State<AppState>,
    req: Req,
    headers: axum::http::HeaderMap,
) -> Result<
    axum::response::sse::Sse<
        impl futures_util::Stream<Item = Result<axum::response::sse::Event, std::convert::Infallible>>,
    >,
    AppError,
> {
    use axum::response::sse::{Event, KeepAlive, Sse};
    struct Watch {
        store: wharf_store::Store,
        actor: wharf_core::Actor,
        accounts: Vec<i64>,
        accounts_at: i64,
        last: Option<(i64, i64, i64, i64)>,
        caller: crate::features::mail::live::Caller,
    }
    let watch = Watch {
        caller: crate::features::mail::live::Caller::of(&req, &headers),
        store: state.store.clone(),
        actor: req.actor()?.clone(),
        accounts: Vec::new(),
        accounts_at: 0,
        last: None,
    };
    let stream = futures_util::stream::unfold(watch, |mut w| async move {
        loop {
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
            if let Ok(counts) = w.store.counts_for_accounts(&w.accounts).await
                && let Ok(due) = w.store.due_follow_ups(&w.accounts).await
                && let Ok((followed, latest)) = w.store.followed_unread(&w.actor, &w.accounts).await
                && Some((counts.0, counts.1, due, followed)) != w.last
            {
                w.last = Some((counts.0, counts.1, due, followed));
                let data = serde_json::json!({
                    "unread": counts.0, "pending": counts.1, "due": due, "followed": followed,
                    "followed_latest": latest.map(|(id, name)| serde_json::json!({ "id": id, "name": name })),
                })
                .to_string();
                return Some((Ok(Event::default().event("counts").data(data)), w));
            }
            tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(5))))
}
