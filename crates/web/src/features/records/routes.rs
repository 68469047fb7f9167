//! The routes of contact records, pages and JSON API; all need the customers
//! permission (the store checks the customer's and the record's rule), the export the
//! export permission.

use axum::http::Method;
use axum::routing::{delete, get, post, put};
use wharf_core::Permission::{Customers, Export};
use wharf_core::policy::Access::Needs;

use super::{api, export, list, pages};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::POST,
            "/customers/{id}/records",
            Needs(Customers),
            "Add a contact record to a customer",
            post(pages::add),
        )
        .add(
            Method::GET,
            "/records",
            Needs(Customers),
            "Contact records (mine or the team's)",
            get(list::list),
        )
        .add(
            Method::GET,
            "/records/export",
            Needs(Export),
            "Export the filtered contact records (xlsx or CSV)",
            get(export::export),
        )
        .add(
            Method::GET,
            "/records/{id}",
            Needs(Customers),
            "Edit a contact record",
            get(pages::edit),
        )
        .add(
            Method::POST,
            "/records/{id}",
            Needs(Customers),
            "Save a contact record",
            post(pages::update),
        )
        .add(
            Method::POST,
            "/records/{id}/delete",
            Needs(Customers),
            "Delete a contact record",
            post(pages::delete),
        )
        .add(
            Method::GET,
            "/api/v1/customers/{id}/records",
            Needs(Customers),
            "A customer's contact records, newest first",
            get(api::for_customer),
        )
        .add(
            Method::POST,
            "/api/v1/customers/{id}/records",
            Needs(Customers),
            "Add a contact record (kind, content, contact_id, progress_id, happened_at, next_revisit, remind_at)",
            post(api::add),
        )
        .add(
            Method::GET,
            "/api/v1/records",
            Needs(Customers),
            "Contact records with the list's filters (view=team, kind, author, from, to, customer, q, page)",
            get(api::list),
        )
        .add(
            Method::GET,
            "/api/v1/records/{id}",
            Needs(Customers),
            "One contact record",
            get(api::get),
        )
        .add(
            Method::PUT,
            "/api/v1/records/{id}",
            Needs(Customers),
            "Change a contact record (the author or a manager over them)",
            put(api::update),
        )
        .add(
            Method::DELETE,
            "/api/v1/records/{id}",
            Needs(Customers),
            "Delete a contact record (the author or a manager over them)",
            delete(api::delete),
        )
}
