//! Contact records (跟进记录, SPEC PIPE-3 / issue 18): what a salesperson notes after
//! a call, mail, visit, meeting or chat — the kinds, the input and its checks, and the
//! reading of the form's date and time. Pure: callers pass "now" and "today".

mod input;
mod kind;

pub use input::{RecordInput, local_datetime, parse_local_datetime};
pub use kind::RecordKind;

/// The longest content a record takes (characters): a long call's notes, not a book.
pub const MAX_CONTENT: usize = 10_000;

/// How far ahead a revisit or a reminder may be planned (days).
pub const MAX_DAYS_AHEAD: i64 = 5 * 366;

mod windows;
pub use windows::Windows;
