//! Wharf's web layer: the axum router, server-rendered pages in two languages, the JSON
//! API, sessions and CSRF. Each feature lives in a folder under [`features`] with its
//! pages, API handlers and routes; [`routes`] collects them, each route with the access
//! it needs, and the guard in [`app`] asks the domain policy before any handler runs.

pub mod api;
pub mod app;
pub mod assets;
pub mod client_ip;
pub mod confirm;
pub mod csrf_multipart;
pub mod ctx;
pub mod error;
pub mod features;
pub mod form;
pub mod headers;
pub mod i18n;
pub mod redirect;
pub mod render;
pub mod routes;

pub use app::{AppState, RouteSpec, job_kinds, route_table, router};
