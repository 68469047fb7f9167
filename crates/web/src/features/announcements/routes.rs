//! The routes of announcements, pages and JSON API.

use axum::http::Method;
use axum::routing::{get, post};
use wharf_core::Permission::PublishAnnouncements;
use wharf_core::policy::Access::{Needs, SignedIn};

use super::{api, pages};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/announcements",
            Needs(PublishAnnouncements),
            "Announcements",
            get(pages::announcements),
        )
        .add(
            Method::POST,
            "/announcements",
            Needs(PublishAnnouncements),
            "Publish announcement",
            post(pages::announcement_create),
        )
        .add(
            Method::GET,
            "/announcements/new",
            Needs(PublishAnnouncements),
            "New announcement",
            get(pages::announcement_new),
        )
        .add(
            Method::GET,
            "/announcements/{id}",
            Needs(PublishAnnouncements),
            "Edit announcement",
            get(pages::announcement_edit),
        )
        .add(
            Method::POST,
            "/announcements/{id}",
            Needs(PublishAnnouncements),
            "Update announcement",
            post(pages::announcement_update),
        )
        .add(
            Method::POST,
            "/announcements/{id}/delete",
            Needs(PublishAnnouncements),
            "Delete announcement",
            post(pages::announcement_delete),
        )
        .add(
            Method::GET,
            "/api/v1/announcements",
            SignedIn,
            "Announcements in force",
            get(api::announcements),
        )
        .add(
            Method::POST,
            "/api/v1/announcements",
            Needs(PublishAnnouncements),
            "Publish an announcement",
            post(api::announcement_create),
        )
        .add(
            Method::PUT,
            "/api/v1/announcements/{id}",
            Needs(PublishAnnouncements),
            "Update an announcement",
            axum::routing::put(api::announcement_update),
        )
        .add(
            Method::DELETE,
            "/api/v1/announcements/{id}",
            Needs(PublishAnnouncements),
            "Delete an announcement",
            axum::routing::delete(api::announcement_delete),
        )
}
