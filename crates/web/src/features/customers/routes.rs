//! The routes of customers and their contacts, pages and JSON API.

use axum::http::Method;
use axum::routing::{get, post};
use wharf_core::Permission::{Customers, Export};
use wharf_core::policy::Access::Needs;

use super::{
    api, bulk, columns, contact_api, contact_form, contact_list, delete, documents, duplicates,
    export, form, groups, list, ownership, print, saved_queries, show, transfer_requests,
};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/customers",
            Needs(Customers),
            "Customers: quick filters, search, sort, pages",
            get(list::list),
        )
        .add(
            Method::POST,
            "/customers",
            Needs(Customers),
            "Create a customer",
            post(form::create),
        )
        .add(
            Method::POST,
            "/customers/queries",
            Needs(Customers),
            "Save the list's query under a name",
            post(saved_queries::save_query),
        )
        .add(
            Method::POST,
            "/customers/queries/{id}/delete",
            Needs(Customers),
            "Delete a saved query",
            post(saved_queries::delete_query),
        )
        .add(
            Method::POST,
            "/customers/bulk",
            Needs(Customers),
            "Change stage, follow, give, release, group, tag, export or delete the ticked customers",
            post(bulk::bulk),
        )
        .add(
            Method::GET,
            "/customers/transfer-requests",
            Needs(Customers),
            "Transfer requests: those to decide and one's own",
            get(transfer_requests::list),
        )
        .add(
            Method::POST,
            "/customers/transfer-requests",
            Needs(Customers),
            "Ask the owners of a colleague's customer (found from what was typed) to hand it over",
            post(transfer_requests::create),
        )
        .add(
            Method::POST,
            "/customers/transfer-requests/{id}/approve",
            Needs(Customers),
            "Approve a transfer request: the requester becomes the owner",
            post(transfer_requests::approve),
        )
        .add(
            Method::POST,
            "/customers/transfer-requests/{id}/decline",
            Needs(Customers),
            "Decline a transfer request with an answer",
            post(transfer_requests::decline),
        )
        .add(
            Method::GET,
            "/customers/new",
            Needs(Customers),
            "New customer form",
            get(form::new),
        )
        .add(
            Method::GET,
            "/contacts",
            Needs(Customers),
            "Contacts of the customers the caller may see, searchable",
            get(contact_list::list),
        )
        .add(
            Method::GET,
            "/customers/print",
            Needs(Customers),
            "The filtered list with the chosen columns, for the printer",
            get(print::print),
        )
        .add(
            Method::POST,
            "/customers/columns",
            Needs(Customers),
            "Choose the list's columns",
            post(columns::save),
        )
        .add(
            Method::GET,
            "/customers/export",
            Needs(Export),
            "The filtered list as CSV or xlsx (format=csv|xlsx), in the caller's scope",
            get(export::export),
        )
        .add(
            Method::GET,
            "/customers/duplicates",
            Needs(Customers),
            "Customers matching a name, keywords, phones, e-mail or website (JSON)",
            get(duplicates::duplicates),
        )
        .add(
            Method::GET,
            "/customers/{id}",
            Needs(Customers),
            "A customer: profile, contacts, owners, history",
            get(show::show),
        )
        .add(
            Method::POST,
            "/customers/{id}",
            Needs(Customers),
            "Save a customer",
            post(form::update),
        )
        .add(
            Method::GET,
            "/customers/{id}/edit",
            Needs(Customers),
            "Edit a customer",
            get(form::edit),
        )
        .add(
            Method::POST,
            "/customers/{id}/delete",
            Needs(Customers),
            "Delete a customer with everything attached",
            post(delete::delete),
        )
        .add(
            Method::POST,
            "/customers/{id}/claim",
            Needs(Customers),
            "Claim a customer from the pool",
            post(ownership::claim),
        )
        .add(
            Method::POST,
            "/customers/{id}/release",
            Needs(Customers),
            "Release a customer into the pool",
            post(ownership::release),
        )
        .add(
            Method::POST,
            "/customers/{id}/transfer",
            Needs(Customers),
            "Give a customer to other owners",
            post(ownership::transfer),
        )
        .add(
            Method::POST,
            "/customers/{id}/groups",
            Needs(Customers),
            "Put a customer into a group (made when new)",
            post(groups::group_add),
        )
        .add(
            Method::POST,
            "/customers/{id}/groups/remove",
            Needs(Customers),
            "Take a customer out of a group",
            post(groups::group_remove),
        )
        .add(
            Method::POST,
            "/customers/{id}/documents",
            Needs(Customers),
            "Keep files with a customer",
            post(documents::document_upload)
                .layer(axum::extract::DefaultBodyLimit::max(110 * 1024 * 1024)),
        )
        .add(
            Method::GET,
            "/documents/{id}",
            Needs(Customers),
            "Download a customer's document",
            get(documents::document_download),
        )
        .add(
            Method::POST,
            "/documents/{id}/delete",
            Needs(Customers),
            "Delete a customer's document",
            post(documents::document_delete),
        )
        .add(
            Method::GET,
            "/customers/{id}/contacts/new",
            Needs(Customers),
            "New contact form",
            get(contact_form::contact_new),
        )
        .add(
            Method::POST,
            "/customers/{id}/contacts",
            Needs(Customers),
            "Add a contact",
            post(contact_form::contact_create),
        )
        .add(
            Method::GET,
            "/contacts/{id}/edit",
            Needs(Customers),
            "Edit a contact",
            get(contact_form::contact_edit),
        )
        .add(
            Method::POST,
            "/contacts/{id}",
            Needs(Customers),
            "Save a contact",
            post(contact_form::contact_update),
        )
        .add(
            Method::POST,
            "/contacts/{id}/delete",
            Needs(Customers),
            "Delete a contact",
            post(contact_form::contact_delete),
        )
        .add(
            Method::GET,
            "/api/v1/customers/{id}/mail",
            Needs(Customers),
            "A customer's mail and the files exchanged, in the caller's accounts",
            get(api::customer_mail),
        )
        .add(
            Method::GET,
            "/api/v1/contacts",
            Needs(Customers),
            "Contacts of the customers the caller may see (q, page, per_page)",
            get(contact_api::contacts),
        )
        .add(
            Method::GET,
            "/api/v1/customers",
            Needs(Customers),
            "Customers the caller may see (quick, q, stage, revisit_from/to, sort, desc, page, per_page)",
            get(api::list),
        )
        .add(
            Method::POST,
            "/api/v1/customers",
            Needs(Customers),
            "Create a customer (owner_ids: none for the pool; missing: the caller)",
            post(api::create),
        )
        .add(
            Method::GET,
            "/api/v1/customers/export",
            Needs(Export),
            "Customers as CSV or xlsx (format=csv|xlsx; the list's filters), in the caller's scope",
            get(export::export),
        )
        .add(
            Method::GET,
            "/api/v1/customers/duplicates",
            Needs(Customers),
            "Customers matching a name, keywords, phones, e-mails or website, across owners",
            get(api::duplicates),
        )
        .add(
            Method::GET,
            "/api/v1/customers/{id}",
            Needs(Customers),
            "A customer with contacts, field history and owner log",
            get(api::get),
        )
        .add(
            Method::PUT,
            "/api/v1/customers/{id}",
            Needs(Customers),
            "Save a customer's fields",
            axum::routing::put(api::update),
        )
        .add(
            Method::DELETE,
            "/api/v1/customers/{id}",
            Needs(Customers),
            "Delete a customer with everything attached",
            axum::routing::delete(api::delete),
        )
        .add(
            Method::POST,
            "/api/v1/customers/{id}/claim",
            Needs(Customers),
            "Claim a customer from the pool (daily quota of the role)",
            post(api::claim),
        )
        .add(
            Method::POST,
            "/api/v1/customers/{id}/release",
            Needs(Customers),
            "Release a customer into the pool",
            post(api::release),
        )
        .add(
            Method::POST,
            "/api/v1/customers/{id}/transfer",
            Needs(Customers),
            "Give a customer to other owners",
            post(api::transfer),
        )
        .add(
            Method::POST,
            "/api/v1/customers/{id}/contacts",
            Needs(Customers),
            "Add a contact to a customer",
            post(contact_api::contact_create),
        )
        .add(
            Method::PUT,
            "/api/v1/contacts/{id}",
            Needs(Customers),
            "Save a contact",
            axum::routing::put(contact_api::contact_update),
        )
        .add(
            Method::DELETE,
            "/api/v1/contacts/{id}",
            Needs(Customers),
            "Delete a contact",
            axum::routing::delete(contact_api::contact_delete),
        )
}
