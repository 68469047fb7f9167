//! The product catalog (PIPE-7): list with search and filters, the form, the product
//! page with its price tiers, pictures and documents, xlsx import and export, the
//! JSON API and the picker that opportunity and quote lines call.

mod api;
mod export;
mod files;
mod form;
mod import;
mod list;
mod pick;
mod routes;
mod show;
mod views;

pub use routes::routes;
