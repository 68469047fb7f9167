//! Access checks in the store.

pub mod mail_grant;
