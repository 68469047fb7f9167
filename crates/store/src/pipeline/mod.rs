//! The sales path in SQL (PIPE-1, PIPE-4, PIPE-8): the company's pipelines and stages,
//! a customer's stage and flag, promote / demote and flag changes (each logged, audited,
//! in one transaction), a role's per-stage rights and the check of a customer save
//! against them. The rules are core's (`wharf_core::pipeline`); this module only reads
//! and writes.

mod admin;
mod counts;
mod filters;
mod log;
mod moves;
mod rights;
mod setup;
mod stages;

pub use admin::StageEdit;
pub use counts::StageCount;
pub(crate) use filters::path_conditions;
pub use filters::{LikeWinners, PathFilter};
pub use log::StageLogEntry;
pub use moves::CustomerStage;
pub(crate) use moves::{after_customer_save, check_claim, fit_new_customers};
// For contact records (`records/write.rs`): called inside the record's transaction.
pub(crate) use moves::mark_contacted;
// For opportunities (`deals/write.rs`): called inside the opportunity's transaction.
pub(crate) use moves::{promote_to_opportunity, promote_to_won};
pub use setup::PipelineEdit;
pub use stages::{Pipeline, PipelineStage};
