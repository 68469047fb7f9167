//! Search (FIND-1): one page and one JSON endpoint over mail and customers.

pub mod export;
pub mod handlers;
pub mod routes;
pub mod views;

pub use routes::routes;
