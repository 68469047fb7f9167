//! Announcements (SPEC BASE-3): the pages to publish, edit and delete them, and their JSON
//! API; the home page shows those in force.

pub mod api;
pub mod pages;
pub mod routes;

pub use routes::routes;
