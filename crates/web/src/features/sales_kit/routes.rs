//! The routes of the sales kit: scripts follow the customers (the store keeps one's own
//! to oneself and reference ones to `sales_kit`); competitors are read with `customers`
//! and changed with `sales_kit`.

use axum::http::Method;
use axum::routing::{delete, get, post, put};
use wharf_core::Permission::{Customers, SalesKit};
use wharf_core::policy::Access::Needs;

use super::{api, competitors, scripts};
use crate::app::Routes;

pub fn routes(routes: Routes) -> Routes {
    routes
        .add(Method::GET, "/sales/scripts", Needs(Customers), "Sales scripts: one's own and the reference ones (?q=)", get(scripts::list))
        .add(Method::POST, "/sales/scripts", Needs(Customers), "Create a sales script", post(scripts::create))
        .add(Method::GET, "/sales/scripts/new", Needs(Customers), "New sales script", get(scripts::new))
        .add(Method::GET, "/sales/scripts/{id}", Needs(Customers), "Edit a sales script", get(scripts::edit))
        .add(Method::POST, "/sales/scripts/{id}", Needs(Customers), "Change a sales script", post(scripts::update))
        .add(Method::POST, "/sales/scripts/{id}/delete", Needs(Customers), "Delete a sales script", post(scripts::delete))
        .add(Method::GET, "/sales/competitors", Needs(Customers), "Competitors (?q=)", get(competitors::list))
        .add(Method::POST, "/sales/competitors", Needs(SalesKit), "Create a competitor", post(competitors::create))
        .add(Method::GET, "/sales/competitors/new", Needs(SalesKit), "New competitor", get(competitors::new))
        .add(Method::GET, "/sales/competitors/{id}/edit", Needs(SalesKit), "Edit a competitor", get(competitors::edit))
        .add(Method::POST, "/sales/competitors/{id}", Needs(SalesKit), "Change a competitor", post(competitors::update))
        .add(Method::POST, "/sales/competitors/{id}/delete", Needs(SalesKit), "Delete a competitor", post(competitors::delete))
        .add(Method::GET, "/api/v1/scripts", Needs(Customers), "Sales scripts: one's own and the reference ones (?q=)", get(api::scripts))
        .add(
            Method::POST,
            "/api/v1/scripts",
            Needs(Customers),
            "Create a sales script: {title, body, category, reference} (reference needs sales_kit)",
            post(api::create_script),
        )
        .add(Method::GET, "/api/v1/scripts/{id}", Needs(Customers), "One sales script", get(api::script))
        .add(Method::PUT, "/api/v1/scripts/{id}", Needs(Customers), "Change a sales script", put(api::update_script))
        .add(Method::DELETE, "/api/v1/scripts/{id}", Needs(Customers), "Delete a sales script", delete(api::delete_script))
        .add(Method::GET, "/api/v1/competitors", Needs(Customers), "Competitors (?q=)", get(api::competitors))
        .add(
            Method::POST,
            "/api/v1/competitors",
            Needs(SalesKit),
            "Create a competitor: {name, website, country_id, products, strengths, weaknesses, notes}",
            post(api::create_competitor),
        )
        .add(Method::GET, "/api/v1/competitors/{id}", Needs(Customers), "One competitor", get(api::competitor))
        .add(Method::PUT, "/api/v1/competitors/{id}", Needs(SalesKit), "Change a competitor", put(api::update_competitor))
        .add(Method::DELETE, "/api/v1/competitors/{id}", Needs(SalesKit), "Delete a competitor", delete(api::delete_competitor))
}
