//! The features of the web layer, a folder each: its pages, its JSON API handlers and
//! the routes it contributes to the table in [`crate::routes`].

pub mod announcements;
pub mod auth;
pub mod customer_import;
pub mod customers;
pub mod deals;
pub mod home;
pub mod mail;
pub mod mail_accounts;
pub mod money;
pub mod orders;
pub mod pipeline;
pub mod products;
pub mod quotes;
pub mod records;
pub mod sales_kit;
#[cfg(test)]
mod samples;
pub mod search;
pub mod system;
pub mod tracking;
pub mod workbench;
