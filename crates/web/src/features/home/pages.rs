//! The home page (SPEC DESK-1 starts here: announcements) and the areas still to come.

use axum::extract::State;
use axum::response::Response;
use minijinja::context;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::{message, page, when};

pub async fn home(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let zone = req.zone()?;
    let items: Vec<_> = state
        .store
        .list_announcements(actor, false)
        .await?
        .into_iter()
        .map(|a| context! { title => a.title, body => a.body, pinned => a.pinned, author_name => a.author_name, when => when(a.published_at, zone) })
        .collect();
    let welcome = crate::i18n::t_with(req.locale, "home.welcome", &[("name", &req.display_name)]);
    Ok(page(
        &req,
        "home.html",
        "home",
        &req.t("home.title"),
        context! { announcements => items, welcome => welcome, can_publish => actor.has(wharf_core::Permission::PublishAnnouncements) },
    ))
}

/// Mail, customers, sales and reports arrive with their own issues; until then their
/// navigation entries say so plainly.
pub async fn area(req: Req, area: &'static str) -> Response {
    message(&req, &req.t(&format!("nav.{area}")), &req.t("soon"))
}

pub async fn healthz(State(state): State<AppState>) -> (axum::http::StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unreachable",
            )
        }
    }
}
