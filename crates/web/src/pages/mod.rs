//! Server-rendered pages, one module per area.

pub mod audit;
pub mod auth;
pub mod base;
pub mod compose;
pub mod confirm;
pub mod contacts;
pub mod custom_fields;
pub mod customer_columns;
pub mod customer_import;
pub mod customers;
pub mod home;
pub mod import_check;
pub mod live;
pub mod mail_accounts;
pub mod mail_auth;
pub mod mail_customer;
pub mod mail_downloads;
pub mod mail_filing;
pub mod mail_frame;
pub mod mailbox;
pub mod org;
pub mod profile;
pub mod search;
