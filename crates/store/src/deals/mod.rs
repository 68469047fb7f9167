//! Opportunities (商机, PIPE-5) in SQL: read, write (lines, collaborators, the customer
//! promoted to its opportunity stage in the same transaction), move between the stages
//! of an opportunity pipeline, status changes (a paused customer pauses its
//! opportunities), the list (Mine / Team, filters), the board's columns and totals, and
//! the workbench's counts. An opportunity takes its customer's answer (visible and
//! changeable exactly when its customer is, `wharf_core::policy::customers`); the rules
//! are core's (`wharf_core::deals`). Every write is audited and logged on the customer.

mod board;
mod list;
mod log;
mod pipelines;
mod read;
mod revisits;
mod sql;
mod workbench;
mod write;

pub use board::{Board, BoardCard, BoardColumn, BoardQuery};
pub use list::{OpportunityQuery, View};
pub(crate) use log::pause_for_customer;
pub use read::{Opportunity, OpportunityLine};
pub use revisits::DueDeal;
pub use workbench::DealCounts;
pub use write::OpportunityEdit;
