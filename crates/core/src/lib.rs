//! Wharf's domain: who may do what, the organisation, base data and their rules.
//!
//! **Architecture invariant:** this crate performs no I/O and knows nothing of HTTP or
//! SQL; `crates/wharf/tests/layering.rs` checks that no I/O crate (tokio, sqlx, axum,
//! hyper, …) is in its dependency tree and that its source names no `std::fs`, `std::net`,
//! `std::process`, `std::env` or `tokio::`.

pub mod custom_field;
pub mod customers;
pub mod deals;
pub mod dict;
pub mod error;
pub mod fields;
pub mod html;
pub mod mail;
pub mod money;
pub mod orders;
pub mod org;
pub mod password;
pub mod permission;
pub mod pipeline;
pub mod policy;
pub mod products;
pub mod quotes;
pub mod records;
pub mod sales_kit;
pub mod search_query;
pub mod settings;
pub mod validate;
pub mod zone;

pub use error::DomainError;
pub use permission::{DataScope, Permission};
pub use policy::Actor;
