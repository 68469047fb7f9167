//! Quotes (报价单 / PI, issue 18): the editor with its line table (groups, blank rows
//! without JavaScript, live totals with it), the quote page with its versions, submit /
//! approve / decline / close, the lists (mine / team) and the managers' approval queue,
//! the PDF in Chinese or English, the quote settings with the letterhead's logo, the
//! customer trail's entries and the JSON API.

pub mod api;
mod editor;
pub mod expiry;
mod form;
mod list;
pub mod mail;
pub(crate) mod pages;
pub mod pdf;
mod routes;
mod settings;
pub mod trail;
pub(crate) mod views;

pub use routes::routes;
