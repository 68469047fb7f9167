//! Contact records (跟进记录, issue 18) for an actor: add / edit / delete with the
//! customer's `last_contacted_at` and `next_revisit_at` kept in the same transaction,
//! a customer's records, the records list (Mine / Team, filters, a filtered SQL search
//! of content and customer name), the workbench's counts per stage, and the reminders
//! (due, fired once by the sweep, read by the live stream and the home page). A record
//! is seen when its customer is; changed by its author or a manager over the author
//! (`wharf_core::policy::records`). Every write is audited.

mod import;
mod list;
mod read;
mod reminders;
mod workbench;
mod write;

pub use list::RecordQuery;
pub use read::ContactRecord;
pub use reminders::{DueRevisit, FiredReminder};
pub use workbench::{StageCounts, WorkbenchScope};
