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
pub mod mail;
pub mod org;
pub mod password;
pub mod permission;
pub mod policy;
pub mod search_query;
pub mod settings;
pub mod validate;
pub mod zone;

pub use error::DomainError;
pub use permission::{DataScope, Permission};
pub use policy::Actor;
