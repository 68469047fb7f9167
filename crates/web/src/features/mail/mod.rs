//! Mail: the three-pane mailbox, the reading pane and its frame, filing, compose, drafts,
//! downloads, authentication results, quick entry of a customer from a mail, the
//! message JSON API.

pub mod api;
pub mod authentication;
pub mod compose;
pub mod customer_entry;
pub mod downloads;
pub mod drafts;
pub mod events;
pub mod export;
pub mod filing;
pub mod frame;
pub mod live;
pub mod mailbox;
pub mod message_actions;
pub mod notes;
mod opened;
pub mod previews;
pub mod reading_pane;
pub mod recipients;
pub mod routes;
pub mod send;
mod team;
pub mod views;

pub use routes::routes;
