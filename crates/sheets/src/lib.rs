//! Spreadsheets in and out (SPEC CUST-6): a table of text cells written as CSV (UTF-8
//! with a byte-order mark, so Excel opens Chinese correctly) or xlsx; and files read back
//! as rows of text — CSV in UTF-8 or GBK / GB18030 (detected), or the first sheet of an
//! xlsx — streamed and bounded by [`Limits`]. Pure: bytes in, bytes out.

mod error;
pub mod limits;
pub mod read;
pub mod write;
mod xlsx_guard;

pub use error::ReadError;
pub use limits::{Limit, Limits};
pub use read::{for_each_row, read_head, read_table};
pub use write::{WriteError, to_csv, to_xlsx};
