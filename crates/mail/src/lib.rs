//! Wharf's mail formats and protocols. The format code is pure (bytes in, values out);
//! the protocol clients talk to real servers and know nothing of Wharf's database.

pub mod compose;
pub mod dsn;
pub mod hash;
pub mod imap;
pub mod net;
pub mod parse;
pub mod partial;
pub mod pop3;
pub mod received;
pub mod recipients;
pub mod rich;
pub mod safe_html;
pub mod signed;
pub mod smtp;
pub mod sources;

pub use dsn::{Dsn, DsnRecipient};
pub use hash::sha256_hex;
pub use parse::{Attachment, Mailbox, ParseFailure, Parsed, parse};
