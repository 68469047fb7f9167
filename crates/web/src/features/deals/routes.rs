//! The routes of opportunities, pages and JSON API; all need the customers permission
//! (the store applies the customer's rule to each opportunity), the export the export
//! permission.

use axum::http::Method;
use axum::routing::{get, post, put};
use wharf_core::Permission::{Customers, Export};
use wharf_core::policy::Access::Needs;

use super::{api, board, export, list, pages};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/opportunities",
            Needs(Customers),
            "Opportunities (mine or the team's), filtered",
            get(list::list),
        )
        .add(
            Method::GET,
            "/opportunities/export",
            Needs(Export),
            "Export the filtered opportunities (xlsx or CSV)",
            get(export::export),
        )
        .add(
            Method::GET,
            "/opportunities/board",
            Needs(Customers),
            "The board: opportunities by stage with totals per currency and the pipeline value",
            get(board::page),
        )
        .add(
            Method::GET,
            "/customers/{id}/opportunities/new",
            Needs(Customers),
            "The form of a new opportunity for a customer",
            get(pages::new_form),
        )
        .add(
            Method::POST,
            "/customers/{id}/opportunities",
            Needs(Customers),
            "Create an opportunity for a customer",
            post(pages::create),
        )
        .add(
            Method::GET,
            "/opportunities/{id}",
            Needs(Customers),
            "An opportunity: lines, stage, status, trail",
            get(pages::show),
        )
        .add(
            Method::GET,
            "/opportunities/{id}/edit",
            Needs(Customers),
            "Edit an opportunity",
            get(pages::edit),
        )
        .add(
            Method::POST,
            "/opportunities/{id}",
            Needs(Customers),
            "Save an opportunity",
            post(pages::update),
        )
        .add(
            Method::POST,
            "/opportunities/{id}/stage",
            Needs(Customers),
            "Move an opportunity to another stage (board drag or the page's select)",
            post(pages::move_stage),
        )
        .add(
            Method::POST,
            "/opportunities/{id}/status",
            Needs(Customers),
            "Set an opportunity selling, paused or ended (won / lost with a reason)",
            post(pages::set_status),
        )
        .add(
            Method::GET,
            "/api/v1/opportunities",
            Needs(Customers),
            "Opportunities with the list's filters (view=team, owner, status, stage, customer, q, rotting, page)",
            get(api::list),
        )
        .add(
            Method::POST,
            "/api/v1/opportunities",
            Needs(Customers),
            "Create an opportunity (customer_id, title, lines, amount, currency, stage_id, status …)",
            post(api::create),
        )
        .add(
            Method::GET,
            "/api/v1/opportunities/board",
            Needs(Customers),
            "The board's data: columns with counts, totals per currency, rotting, cards; the pipeline value",
            get(api::board),
        )
        .add(
            Method::GET,
            "/api/v1/opportunities/{id}",
            Needs(Customers),
            "One opportunity with its lines and collaborators",
            get(api::get),
        )
        .add(
            Method::PUT,
            "/api/v1/opportunities/{id}",
            Needs(Customers),
            "Change an opportunity (the whole of it, as when creating)",
            put(api::update),
        )
        .add(
            Method::POST,
            "/api/v1/opportunities/{id}/stage",
            Needs(Customers),
            "Move an opportunity to another stage of its pipeline (stage_id)",
            post(api::move_stage),
        )
        .add(
            Method::POST,
            "/api/v1/opportunities/{id}/status",
            Needs(Customers),
            "Set an opportunity's status (status, outcome, lost_reason)",
            post(api::set_status),
        )
}
