//! Opportunities (商机, PIPE-5): the list (Mine / Team, filters, xlsx export), the form
//! with its line items, the opportunity's page (lines, moves, status, its trail), the
//! board (Kanban by stage with totals per currency and the pipeline value in the base
//! currency), the JSON API, and the hooks other features call: the customer's trail
//! entries and the workbench's counts.

pub mod api;
pub mod board;
mod board_view;
pub mod export;
mod form;
pub mod list;
mod money_text;
pub mod pages;
mod params;
mod routes;
mod status;
mod trail;
mod value;
pub mod views;
mod workbench;

pub use routes::routes;
pub use trail::trail_items;
pub use workbench::{DealLink, workbench_links};
