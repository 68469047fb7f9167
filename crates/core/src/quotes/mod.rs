//! Quotes (报价单 / PI, issue 18): the number and version, Incoterms, the header's and the
//! lines' checks, exact totals with group subtotals, and the status rules (approval above
//! the discount threshold; an approved or sent version is never edited, editing makes the
//! next version). Pure: callers pass today, the currency's minor unit and the rate.

mod header;
mod incoterm;
mod line;
mod number;
mod status;
mod totals;

pub use header::{QuoteHeader, QuoteRate};
pub use incoterm::Incoterm;
pub use line::{LineInput, LineKind, ProductSnapshot};
pub use number::QuoteNumber;
pub use status::{EditPlan, QuoteStatus, SubmitOutcome};
pub use totals::{GroupTotal, LineTotal, Totals, format_discount};

/// The most lines one quote holds: a long PI, never an unbounded one.
pub const MAX_LINES: usize = 300;
/// The largest quantity of one line.
pub const MAX_QUANTITY: i64 = 1_000_000_000;
/// The largest unit price (in the quote's currency), as money's "absurd" bound.
pub const MAX_UNIT_PRICE: i64 = 1_000_000_000_000;
/// How far ahead a quote may be valid (days).
pub const MAX_VALID_DAYS: i64 = 3 * 366;
