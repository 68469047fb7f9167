//! The routes of orders, pages and JSON API: all need the customers permission; the
//! store checks the order's rule (seen with its customer; changed by its seller, its
//! follower or a manager over them).

use axum::http::Method;
use axum::routing::{get, post};
use wharf_core::Permission::Customers;
use wharf_core::policy::Access::Needs;

use super::{api, edit, form, list, pages, pdf};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/orders",
            Needs(Customers),
            "Orders to follow (mine or the team's; in progress, open or all)",
            get(list::list),
        )
        .add(
            Method::GET,
            "/orders/new",
            Needs(Customers),
            "A new order (customer=ID, quote=ID or opportunity=ID)",
            get(form::new_form),
        )
        .add(
            Method::POST,
            "/orders",
            Needs(Customers),
            "Create an order",
            post(form::create),
        )
        .add(
            Method::GET,
            "/orders/{id}",
            Needs(Customers),
            "An order with its steps, payments, shipping, documents and follow-up",
            get(pages::show),
        )
        .add(
            Method::GET,
            "/orders/{id}/pdf",
            Needs(Customers),
            "The order confirmation as PDF (lang=en or zh-CN)",
            get(pdf::download),
        )
        .add(
            Method::GET,
            "/orders/{id}/edit",
            Needs(Customers),
            "Change an order: people, payments, shipping, notes, lines",
            get(edit::edit_form),
        )
        .add(
            Method::POST,
            "/orders/{id}",
            Needs(Customers),
            "Save changes to an order",
            post(edit::update),
        )
        .add(
            Method::POST,
            "/orders/{id}/status",
            Needs(Customers),
            "Move an order's status (delivery plans the after-sales revisit)",
            post(pages::status),
        )
        .add(
            Method::POST,
            "/orders/{id}/follow",
            Needs(Customers),
            "Pause or resume following an order",
            post(pages::follow),
        )
        .add(
            Method::POST,
            "/orders/{id}/note",
            Needs(Customers),
            "Add a follow-up record to an order",
            post(pages::note),
        )
        .add(
            Method::POST,
            "/orders/{id}/documents",
            Needs(Customers),
            "Set a document's state on an order",
            post(pages::document),
        )
        .add(
            Method::GET,
            "/api/v1/orders",
            Needs(Customers),
            "Orders with the list's filters (view=team, progress, status, q, customer, page)",
            get(api::list),
        )
        .add(
            Method::POST,
            "/api/v1/orders",
            Needs(Customers),
            "Create an order (JSON: customer_id, quote_id, currency, seller_id, follower_id, lines, deposit, balance, shipping fields)",
            post(api::create),
        )
        .add(
            Method::PUT,
            "/api/v1/orders/{id}",
            Needs(Customers),
            "Change an order (the same JSON; currency, rate and quote stay)",
            axum::routing::put(api::update),
        )
        .add(
            Method::GET,
            "/api/v1/orders/{id}",
            Needs(Customers),
            "One order with its lines, payments, documents, log and revisit",
            get(api::get),
        )
        .add(
            Method::POST,
            "/api/v1/orders/{id}/status",
            Needs(Customers),
            "Move an order's status (JSON: to, note, delivered_on)",
            post(api::status),
        )
}
