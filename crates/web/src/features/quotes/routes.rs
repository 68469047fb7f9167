//! The routes of quotes, pages and JSON API: all need the customers permission (the
//! store checks the customer's and the quote's rule: owner, manager, approver); the
//! quote settings need system administration.

use axum::http::Method;
use axum::routing::{get, post, put};
use wharf_core::Permission::{Customers, SystemAdmin};
use wharf_core::policy::Access::Needs;

use super::{api, editor, list, mail, pages, pdf, settings};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/quotes",
            Needs(Customers),
            "Quotes (mine or the team's)",
            get(list::list),
        )
        .add(
            Method::GET,
            "/quotes/approvals",
            Needs(Customers),
            "Quotes waiting for the manager's approval",
            get(list::approvals),
        )
        .add(
            Method::GET,
            "/quotes/settings",
            Needs(SystemAdmin),
            "Quote settings: approval threshold, letterhead e-mail and logo",
            get(settings::show),
        )
        .add(
            Method::POST,
            "/quotes/settings",
            Needs(SystemAdmin),
            "Save the quote settings",
            post(settings::save),
        )
        .add(
            Method::POST,
            "/quotes/settings/logo",
            Needs(SystemAdmin),
            "Upload or remove the letterhead's logo",
            post(settings::logo),
        )
        .add(
            Method::GET,
            "/quotes/settings/logo",
            Needs(Customers),
            "The letterhead's logo",
            get(settings::logo_image),
        )
        .add(
            Method::GET,
            "/customers/{id}/quotes/new",
            Needs(Customers),
            "A new quote for a customer (the editor)",
            get(editor::new_form),
        )
        .add(
            Method::POST,
            "/customers/{id}/quotes",
            Needs(Customers),
            "Create a quote for a customer",
            post(editor::create),
        )
        .add(
            Method::GET,
            "/quotes/{id}",
            Needs(Customers),
            "A quote with its versions",
            get(pages::show),
        )
        .add(
            Method::GET,
            "/quotes/{id}/edit",
            Needs(Customers),
            "Edit a quote (a frozen version becomes the next one)",
            get(editor::edit_form),
        )
        .add(
            Method::POST,
            "/quotes/{id}",
            Needs(Customers),
            "Save a quote",
            post(editor::save),
        )
        .add(
            Method::POST,
            "/quotes/{id}/submit",
            Needs(Customers),
            "Submit a draft (approval above the discount threshold)",
            post(pages::submit),
        )
        .add(
            Method::POST,
            "/quotes/{id}/decide",
            Needs(Customers),
            "Approve or decline a quote waiting for approval",
            post(pages::decide),
        )
        .add(
            Method::POST,
            "/quotes/{id}/close",
            Needs(Customers),
            "Record the customer's answer (accepted / rejected) or expiry",
            post(pages::close),
        )
        .add(
            Method::POST,
            "/quotes/{id}/mail",
            Needs(Customers),
            "Send an approved quote by mail: the compose page with its PDF attached",
            post(mail::start),
        )
        .add(
            Method::GET,
            "/quotes/{id}/pdf",
            Needs(Customers),
            "The quote as PDF (lang=en or zh-CN, v=version)",
            get(pdf::download),
        )
        .add(
            Method::GET,
            "/api/v1/quotes",
            Needs(Customers),
            "Quotes with the list's filters (view=team, status, customer, page)",
            get(api::list),
        )
        .add(
            Method::GET,
            "/api/v1/quotes/{id}",
            Needs(Customers),
            "One quote with its versions and the lines of the current one (v=version)",
            get(api::get),
        )
        .add(
            Method::POST,
            "/api/v1/quotes",
            Needs(Customers),
            "Create a quote for customer_id (header and lines, checked as the editor checks)",
            post(api::create),
        )
        .add(
            Method::PUT,
            "/api/v1/quotes/{id}",
            Needs(Customers),
            "Change a quote as the editor saves it (a frozen version becomes the next one)",
            put(api::update),
        )
        .add(
            Method::POST,
            "/api/v1/quotes/{id}/submit",
            Needs(Customers),
            "Submit a draft (approval above the discount threshold)",
            post(api::submit),
        )
        .add(
            Method::POST,
            "/api/v1/quotes/{id}/decide",
            Needs(Customers),
            "Approve or decline a quote waiting for approval (approve, reason)",
            post(api::decide),
        )
}
