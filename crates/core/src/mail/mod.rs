//! Mail as the domain sees it: accounts and their settings, which customer a message
//! belongs to, and what can be read out of an inquiry or a signature. Who may use an
//! account or a message is [`crate::policy::mail`].

pub mod account;
pub mod auto_reply;
pub mod country;
pub mod inquiry;
pub mod link;
pub mod quoted;
pub mod signature;
mod signature_words;
