//! The home page (SPEC DESK-1 starts here: announcements) and the areas still to come.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use crate::app::AppState;
use crate::ctx::Req;
use crate::error::AppError;
use crate::render::{message, page, when};

#[derive(Serialize)]
pub struct Announcement {
    pub title: String,
    pub body: String,
    pub pinned: bool,
    pub author_name: String,
    pub when: String,
}

/// `home/home.html`.
#[derive(Serialize)]
pub struct HomePage {
    pub welcome: String,
    pub announcements: Vec<Announcement>,
    /// May edit the announcements.
    pub can_publish: bool,
    /// Transfer requests waiting for the viewer's decision (LINK-6).
    pub transfer_requests: Vec<crate::features::customers::transfer_requests::TransferRow>,
    /// The viewer's own requests decided lately, and those still pending.
    pub my_requests: Vec<crate::features::customers::transfer_requests::TransferRow>,
}

pub async fn home(State(state): State<AppState>, req: Req) -> Result<Response, AppError> {
    let actor = req.actor()?;
    let zone = req.zone()?;
    let announcements: Vec<Announcement> = state
        .store
        .list_announcements(actor, false)
        .await?
        .into_iter()
        .map(|a| Announcement {
            title: a.title,
            body: a.body,
            pinned: a.pinned,
            author_name: a.author_name,
            when: when(a.published_at, zone),
        })
        .collect();
    let (transfer_requests, my_requests) = if actor.has(wharf_core::Permission::Customers) {
        use crate::features::customers::transfer_requests::rows;
        (
            rows(
                &req,
                state.store.transfer_requests_to_decide(actor, None).await?,
            )?,
            rows(&req, state.store.my_transfer_requests(actor).await?)?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let welcome = crate::i18n::t_with(req.locale, "home.welcome", &[("name", &req.display_name)]);
    Ok(page(
        &req,
        "home/home.html",
        "home",
        &req.t("home.title"),
        HomePage {
            announcements,
            welcome,
            can_publish: actor.has(wharf_core::Permission::PublishAnnouncements),
            transfer_requests,
            my_requests,
        },
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
