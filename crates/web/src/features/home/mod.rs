//! Home: the start page (announcements, the follow-ups due), the placeholder area (reports) and the service endpoints
//! anyone may call (health check, browser assets, the OpenAPI document).

pub mod openapi;
pub mod pages;
pub mod routes;

pub use routes::routes;
