//! Mail accounts: list, show, the form with provider presets, settings tests, sync, the
//! JSON API (SPEC ACC-1..5).

pub mod api;
mod check_text;
pub mod form;
pub mod list;
pub mod routes;
pub mod show;
pub mod test_settings;
pub mod views;

pub use routes::routes;
