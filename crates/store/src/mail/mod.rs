//! Mail in the store: the message index and its reading, filing, notes and links to
//! customers, the mail accounts, and what is being written and sent. Who may see which
//! account or message is decided in [`crate::access`].

pub mod accounts;
pub mod authentication;
pub mod drafts;
mod export_audit;
pub mod expunge;
pub mod filing;
pub mod links;
pub mod messages;
pub mod mirror;
pub mod notes;
pub mod outgoing;
pub mod reparse;
mod team_lists;
pub mod uploads;
pub mod view;
