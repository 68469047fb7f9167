//! The routes of the sales path: the stage bar's forms, the admin pages, the JSON API.

use axum::http::Method;
use axum::routing::{get, post};
use wharf_core::Permission::{Customers, SystemAdmin};
use wharf_core::policy::Access::Needs;

use super::{admin, api, setup, stage_bar, stage_lists};
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
            Method::POST,
            "/system/pipelines",
            Needs(SystemAdmin),
            "Add a customer pipeline (a second sales method)",
            post(setup::create),
        )
        .add(
            Method::POST,
            "/system/pipelines/{id}/stages",
            Needs(SystemAdmin),
            "Add a stage to a customer pipeline: role, labels, probability, rotting days",
            post(setup::add_stage),
        )
        .add(
            Method::POST,
            "/system/pipelines/stages/{id}/move",
            Needs(SystemAdmin),
            "Move a stage up or down its pipeline (within the roles' order)",
            post(setup::move_stage),
        )
        .add(
            Method::POST,
            "/system/pipelines/stages/{id}/delete",
            Needs(SystemAdmin),
            "Delete a stage, moving its customers to a stage of the same pipeline",
            post(setup::delete_stage),
        )
        .add(
            Method::POST,
            "/system/pipelines/{id}/delete",
            Needs(SystemAdmin),
            "Delete a customer pipeline no customer is in",
            post(setup::delete_pipeline),
        )
        .add(
            Method::POST,
            "/customers/{id}/pipeline",
            Needs(Customers),
            "Move a customer into a stage of another pipeline",
            post(setup::change_pipeline),
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
