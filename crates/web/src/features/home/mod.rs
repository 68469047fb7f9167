//! Home: the start page, the placeholder areas (sales, reports) and the service endpoints
//! anyone may call (health check, browser assets, the OpenAPI document).

pub mod openapi;
pub mod pages;
pub mod routes;

pub use routes::routes;
