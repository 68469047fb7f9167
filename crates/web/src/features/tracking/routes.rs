//! The routes of the tracking screen: everything follows the customers (the store
//! decides per customer who may see and change it).

use axum::http::Method;
use axum::routing::{get, post};
use wharf_core::Permission::Customers;
use wharf_core::policy::Access::Needs;

use super::{actions, page};
use crate::app::Routes;

pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/track",
            Needs(Customers),
            "The tracking screen over a customer list (the list's parameters and id=): card, contacts, history, scripts, products, documents, competitors, Next / Previous",
            get(page::track),
        )
        .add(
            Method::POST,
            "/track/{id}/records",
            Needs(Customers),
            "Add a contact record from the tracking screen and stay",
            post(actions::add_record),
        )
        .add(
            Method::POST,
            "/track/{id}/stage",
            Needs(Customers),
            "Promote or demote from the tracking screen",
            post(actions::change_stage),
        )
        .add(
            Method::POST,
            "/track/{id}/flag",
            Needs(Customers),
            "Set the stage flag from the tracking screen",
            post(actions::set_flag),
        )
        .add(
            Method::POST,
            "/track/{id}/release",
            Needs(Customers),
            "Release the customer to the pool and go on to the next of the list",
            post(actions::release),
        )
        .add(
            Method::POST,
            "/track/{id}/competitors",
            Needs(Customers),
            "Link or unlink a competitor the customer also buys from",
            post(actions::link_competitor),
        )
}
