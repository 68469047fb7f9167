//! Wharf's web layer: the axum router, server-rendered pages in two languages, the JSON
//! API, sessions and CSRF. Every route is declared in [`routes`] with the access it
//! needs; the guard in [`app`] asks the domain policy before any handler runs.

pub mod api;
pub mod api_customers;
pub mod api_mail;
pub mod api_mail_message;
pub mod app;
pub mod assets;
pub mod client_ip;
pub mod ctx;
pub mod error;
pub mod form;
pub mod headers;
pub mod i18n;
pub mod pages;
pub mod redirect;
pub mod render;
pub mod routes;

pub use app::{AppState, RouteSpec, job_kinds, route_table, router};
