//! Ingestion rules without a mail server, on SQLite and PostgreSQL: conversations and
//! bounces (`threads`), Pending (`pending`), filing and labels (`filing`), mail linked to
//! customers (`customer_links`), "only show mail since" (`show_since`), on the shared
//! `setup`.
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

mod customer_links;
mod filing;
mod pending;
mod setup;
mod show_since;
mod threads;
