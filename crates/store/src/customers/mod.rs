//! Customers and contacts (SPEC CUST-1..6, BASE-5, LINK-6) for an actor: who sees what
//! (owners; managers over their scope; everyone the shared pool), create / edit / delete
//! with the field history, claim from the pool within the role's daily quota, release,
//! transfer, duplicate checks across all owners, groups, documents, import and export,
//! and the list with quick filters and the query builder. Every operation needs the
//! `customers` permission; every write is audited. A file per concern; the standard
//! columns come from the registry (`columns.rs`).

mod access;
mod columns;
mod contacts;
pub mod documents;
mod duplicate_block;
pub mod duplicates;
pub mod export;
pub mod groups;
mod history;
pub mod import;
pub mod import_run;
mod keys;
mod list;
mod neighbours;
pub mod new_owners;
mod ownership;
mod query_sql;
mod read;
mod record;
mod taken;
mod transfer_requests;
mod write;

pub(crate) use access::visible_condition;
pub use contacts::ContactRow;
pub(crate) use contacts::contact;
pub use duplicates::{DuplicateHit, DuplicateProbe};
pub use history::{HistoryEntry, OwnerChange};
pub(crate) use keys::keys_of;
pub use list::{CustomerQuery, Quick};
pub(crate) use ownership::{log_owners, set_owners};
pub use record::{Contact, Customer, CustomerDetail};
#[cfg(feature = "testing")]
pub(crate) use taken::statements as taken_statements;
pub use taken::{Key, TakenBy, probe_keys};
pub use transfer_requests::{TransferProbe, TransferRequest};
