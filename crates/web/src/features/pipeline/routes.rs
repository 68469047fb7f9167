//! The routes of the sales path: the stage bar's forms, the admin pages, the JSON API.

use axum::http::Method;
use axum::routing::{get, post};
use wharf_core::Permission::{Customers, SystemAdmin};
use wharf_core::policy::Access::Needs;

use super::{admin, api, stage_bar, stage_lists};
use crate::app::Routes;

/// Adds the routes of this feature to the table.
pub fn routes(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/sales/stages",
            Needs(Customers),
            "The stage lists: mine and shared per stage and flag, linking to the customer list",
            get(stage_lists::stage_lists),
        )
        .add(
            Method::POST,
            "/customers/{id}/stage",
            Needs(Customers),
            "Promote or demote a customer (seed 003's rules, the role's stage rights)",
            post(stage_bar::change_stage),
        )
        .add(
            Method::POST,
            "/customers/{id}/flag",
            Needs(Customers),
            "Set a customer's stage flag (contacted / not contacted, tracking / paused)",
            post(stage_bar::set_flag),
        )
        .add(
            Method::GET,
            "/system/pipelines",
            Needs(SystemAdmin),
            "Pipelines and their stages: labels, probability, rotting days, customers in each",
            get(admin::pipelines),
        )
        .add(
            Method::POST,
            "/system/pipelines/stages/{id}",
            Needs(SystemAdmin),
            "Save a stage's labels, probability and rotting days",
            post(admin::save_stage),
        )
        .add(
            Method::GET,
            "/system/roles/{id}/stages",
            Needs(SystemAdmin),
            "A role's rights per stage: edit, claim, promote, demote",
            get(admin::rights),
        )
        .add(
            Method::POST,
            "/system/roles/{id}/stages/{stage}",
            Needs(SystemAdmin),
            "Save a role's rights in one stage",
            post(admin::save_rights),
        )
        .add(
            Method::GET,
            "/api/v1/pipelines",
            Needs(Customers),
            "The pipelines with their stages (key, role, labels, probability, rotting days)",
            get(api::pipelines),
        )
        .add(
            Method::GET,
            "/api/v1/customers/{id}/stage",
            Needs(Customers),
            "A customer's stage, flag, its pipeline's stages and the stage log",
            get(api::stage),
        )
        .add(
            Method::POST,
            "/api/v1/customers/{id}/stage",
            Needs(Customers),
            "Promote or demote a customer: {stage, reason}",
            post(api::change_stage),
        )
        .add(
            Method::POST,
            "/api/v1/customers/{id}/flag",
            Needs(Customers),
            "Set a customer's stage flag: {flag, reason}",
            post(api::set_flag),
        )
}
