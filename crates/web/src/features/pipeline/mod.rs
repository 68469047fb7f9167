//! The sales path (issue 18, PIPE-1 / 4 / 8): the stage bar on a customer's page
//! (promote, demote, flags, the stage log), the per-stage lists as links into the
//! customer list, the pipelines admin page, a role's per-stage rights, and the JSON API.

pub mod admin;
pub mod api;
pub mod links;
pub mod list_part;
mod routes;
pub mod setup;
pub mod stage_bar;
pub mod stage_lists;
pub mod views;

pub use routes::routes;
