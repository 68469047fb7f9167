//! The routes of mail accounts, pages and JSON API.

use axum::http::Method;
use axum::routing::{get, post};
use wharf_core::Permission::Mailboxes;
use wharf_core::policy::Access::{Needs, SignedIn};

use super::{api, form, list, show, test_settings};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/mail/accounts",
            SignedIn,
            "Mail accounts",
            get(list::list),
        )
        .add(
            Method::GET,
            "/mail/accounts/new",
            Needs(Mailboxes),
            "New mail account",
            get(form::new),
        )
        .add(
            Method::POST,
            "/mail/accounts",
            Needs(Mailboxes),
            "Create mail account",
            post(form::create),
        )
        .add(
            Method::POST,
            "/mail/accounts/test",
            Needs(Mailboxes),
            "Test new account settings",
            post(test_settings::test_new),
        )
        .add(
            Method::GET,
            "/mail/accounts/{id}",
            SignedIn,
            "Mail account",
            get(show::show),
        )
        .add(
            Method::GET,
            "/mail/accounts/{id}/edit",
            Needs(Mailboxes),
            "Edit mail account",
            get(form::edit),
        )
        .add(
            Method::POST,
            "/mail/accounts/{id}",
            Needs(Mailboxes),
            "Update mail account",
            post(form::update),
        )
        .add(
            Method::POST,
            "/mail/accounts/{id}/test",
            Needs(Mailboxes),
            "Test account settings",
            post(test_settings::test_edit),
        )
        .add(
            Method::POST,
            "/mail/accounts/{id}/sync",
            SignedIn,
            "Sync account now",
            post(show::sync_now),
        )
        .add(
            Method::POST,
            "/mail/accounts/{id}/folders",
            Needs(Mailboxes),
            "Choose synced folders",
            post(show::save_folders),
        )
        .add(
            Method::GET,
            "/api/v1/mail/accounts",
            SignedIn,
            "Mail accounts the caller may use",
            get(api::accounts),
        )
        .add(
            Method::POST,
            "/api/v1/mail/accounts",
            Needs(Mailboxes),
            "Create a mail account",
            post(api::account_create),
        )
        .add(
            Method::GET,
            "/api/v1/mail/accounts/{id}",
            SignedIn,
            "A mail account with its folders and sync state",
            get(api::account),
        )
        .add(
            Method::PUT,
            "/api/v1/mail/accounts/{id}",
            Needs(Mailboxes),
            "Update a mail account",
            axum::routing::put(api::account_update),
        )
        .add(
            Method::POST,
            "/api/v1/mail/accounts/{id}/sync",
            SignedIn,
            "Sync a mail account now",
            post(api::account_sync),
        )
        .add(
            Method::POST,
            "/api/v1/mail/accounts/{id}/test",
            Needs(Mailboxes),
            "Test a mail account's settings",
            post(api::account_test),
        )
}
