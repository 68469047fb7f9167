//! Opportunities (商机, SPEC PIPE-5, seed 003): their status (selling / paused / ended),
//! the outcome of an ended one (won / lost with a reason), their input's checks (lines,
//! amounts, currency, probability, dates), and the board's arithmetic (totals per
//! currency, the pipeline value in the base currency, rotting). Values in, values out;
//! amounts, currencies and their rounding are `crate::money`'s.
//!
//! An opportunity moves through the open stages of an *opportunity pipeline* (stages
//! as data, `pipeline_stages`, each with its probability and rotting days). Won and lost
//! are outcomes, not stages (as Pipedrive has them): an ended opportunity leaves the
//! board but keeps the stage it ended in, so "lost at Proposal" can still be read.

mod board;
mod input;
mod status;

pub use board::{
    CardFacts, CurrencyTotal, PipelineValue, Rates, column_totals, is_rotting, pipeline_value,
};
pub use input::{Checked, CheckedLine, LineInput, MAX_LINES, OpportunityInput};
pub use status::{Outcome, Status, check_status};

/// The opportunity pipeline as seeded: key, English and Chinese labels, probability,
/// rotting days. Four open stages; won / lost are outcomes (see the module's note).
pub const DEFAULT_STAGES: [(&str, &str, &str, i64, i64); 4] = [
    ("deal_qualified", "Qualified", "初步接洽", 10, 14),
    ("deal_needs", "Needs defined", "需求确认", 30, 10),
    ("deal_proposal", "Proposal", "方案报价", 50, 7),
    ("deal_negotiation", "Negotiation", "谈判", 70, 7),
];

/// What a pipeline's stages are for (`pipelines.applies_to`).
pub const APPLIES_TO: [&str; 2] = ["customers", "opportunities"];
