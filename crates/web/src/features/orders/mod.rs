//! Orders (订单, PIPE-6, issue 18): the lists (mine = seller or follower / team; in
//! progress / open / all; by status and text), the form (from a customer, a quote or an
//! opportunity), the order page (status steps, payments, shipping, documents, follow-up
//! records, the after-sales revisit) with its actions, and the JSON API.

pub mod api;
pub(super) mod edit;
pub(super) mod form;
mod list;
mod pages;
mod pdf;
mod routes;
pub(crate) mod trail;
pub(crate) mod views;
pub(crate) mod workbench;

pub use routes::routes;
