//! Wharf's storage: one schema on SQLite (default) and PostgreSQL, and the store
//! operations. Every operation that reads or writes business data takes the caller's
//! [`wharf_core::Actor`], asks the domain policy, and writes the audit log in the same
//! transaction as the change.

pub mod access;
mod db;
mod error;
mod migrate;
mod rows;
pub mod secret;
mod seed;
pub use seed::BUILTIN_ADMIN_NAME;

pub mod audit;
pub mod auth;
pub mod blob_sweep;
pub mod blobs;
pub mod custom_fields;
pub mod customers;
pub mod deals;
pub mod jobs;
pub mod mail;
pub mod money;
pub mod orders;
pub mod pipeline;
pub mod prefs;
pub mod products;
pub mod quotes;
pub mod rate_limits;
pub mod records;
pub mod sales_kit;
pub mod search_feed;
pub mod settings;
pub mod system;
#[cfg(feature = "testing")]
pub mod testing;
pub mod vault;

pub use db::{Backend, Store, now};
pub use error::{Result, StoreError};
pub use migrate::MIGRATIONS;

/// Who is acting and from where: every write is audited with both.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub actor: &'a wharf_core::Actor,
    pub ip: &'a str,
}

/// A page of results and the total number of matches.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}
