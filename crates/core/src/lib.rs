//! Wharf's domain: who may do what, the organisation, base data and their rules.
//!
//! **Architecture invariant:** this crate performs no I/O and knows nothing of HTTP or
//! SQL; `tests/layering.rs` in the web crate checks that neither axum nor sqlx is in its
//! dependency tree.

pub mod custom_field;
pub mod customers;
pub mod dict;
pub mod error;
pub mod fields;
pub mod html;
pub mod inquiry;
pub mod mail;
pub mod mail_link;
pub mod org;
pub mod password;
pub mod permission;
pub mod policy;
pub mod search_query;
pub mod settings;
pub mod signature;
pub mod validate;

pub use error::DomainError;
// The customer modules' former paths, until every caller names `customers::` (issue 16).
pub use customers as customer;
pub use customers::import as customer_import;
pub use customers::query as customer_query;
pub use permission::{DataScope, Permission};
pub use policy::Actor;
