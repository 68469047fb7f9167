//! The routes of signing in, first start, language, profile and tokens.

use axum::http::Method;
use axum::routing::{get, post};
use wharf_core::policy::Access::{Public, SignedIn};

use super::{api, profile, sign_in};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/setup",
            Public,
            "First start",
            get(sign_in::setup_form),
        )
        .add(
            Method::POST,
            "/setup",
            Public,
            "First start",
            post(sign_in::setup_submit),
        )
        .add(
            Method::GET,
            "/login",
            Public,
            "Sign-in form",
            get(sign_in::login_form),
        )
        .add(
            Method::POST,
            "/login",
            Public,
            "Sign in",
            post(sign_in::login_submit),
        )
        .add(
            Method::POST,
            "/logout",
            SignedIn,
            "Sign out",
            post(sign_in::logout),
        )
        .add(
            Method::POST,
            "/locale",
            SignedIn,
            "Set language",
            post(sign_in::set_locale),
        )
        .add(
            Method::GET,
            "/locale/{code}",
            Public,
            "Set language",
            get(sign_in::set_locale_anonymous),
        )
        .add(
            Method::GET,
            "/profile",
            SignedIn,
            "My account",
            get(profile::show),
        )
        .add(
            Method::POST,
            "/profile/password",
            SignedIn,
            "Change password",
            post(profile::change_password),
        )
        .add(
            Method::POST,
            "/profile/tokens",
            SignedIn,
            "Create API token",
            post(profile::create_token),
        )
        .add(
            Method::POST,
            "/profile/tokens/{id}/revoke",
            SignedIn,
            "Revoke API token",
            post(profile::revoke_token),
        )
        .add(
            Method::GET,
            "/api/v1/me",
            SignedIn,
            "The caller's account, role and permissions",
            get(api::me),
        )
}
