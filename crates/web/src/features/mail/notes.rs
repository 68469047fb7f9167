//! Hand-overs, comments and follow-ups on a message.

use axum::extract::{Path, State};
use axum::response::Response;

use super::message_actions::back;
use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::form::FormData;

pub async fn hand_over(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let to = form.get("to_user").parse::<i64>().unwrap_or(0);
    state
        .store
        .hand_over(req.ctx()?, id, to, &form.get("note"))
        .await?;
    Ok(back(&form, id))
}

pub async fn comment(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    state
        .store
        .add_comment(req.ctx()?, id, &form.get("comment"))
        .await?;
    Ok(back(&form, id))
}

/// Sets the follow-up day (the reminder falls at 09:00 company time) or clears it.
pub async fn follow_up(
    State(state): State<AppState>,
    req: Req,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let at = if form.get("clear") == "1" {
        None
    } else {
        let zone = req.zone()?;
        // A follow-up is due at 09:00 company time on its day.
        crate::form::day_field(&form.get("follow_up_at"), "follow_up_at", "invalid_choice")?
            .map(|day| zone.at_clock(day, 9, 0))
    };
    state
        .store
        .set_follow_up(actor, id, at, &form.get("follow_up_note"))
        .await?;
    Ok(back(&form, id))
}
