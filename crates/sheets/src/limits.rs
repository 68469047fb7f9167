//! The bounds every read of a spreadsheet or CSV keeps (issue 14): checked before the
//! memory they would cost is allocated, each refusal naming its limit.

/// How much of a file a read may take on. [`Limits::default`] is what imports use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Columns of a row (the declared dimension and every real cell).
    pub columns: usize,
    /// Rows of the file, the header included.
    pub rows: usize,
    /// Cells in all: the sum of the rows' widths.
    pub cells: usize,
    /// Bytes of one cell's text (UTF-8; in an xlsx, as written in its XML).
    pub cell_bytes: usize,
    /// Bytes an xlsx decompresses to, all its parts together (zip bombs).
    pub decoded_bytes: u64,
    /// Parts (zip entries) of an xlsx.
    pub zip_entries: usize,
    /// Entries of an xlsx's shared-string table, declared or real.
    pub shared_strings: usize,
    /// Bytes of one XML tag of an xlsx (its name and attributes).
    pub tag_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            columns: 200,
            rows: 200_001,
            cells: 10_000_000,
            cell_bytes: 32 * 1024,
            decoded_bytes: 256 * 1024 * 1024,
            zip_entries: 2_000,
            shared_strings: 1_000_000,
            tag_bytes: 64 * 1024,
        }
    }
}

/// Which bound a file broke; `code()` is stable (the web layer's catalog key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Columns,
    Rows,
    Cells,
    CellBytes,
    DecodedBytes,
    ZipEntries,
    SharedStrings,
    TagBytes,
}

impl Limit {
    pub fn code(self) -> &'static str {
        match self {
            Limit::Columns => "sheet_too_many_columns",
            Limit::Rows => "sheet_too_many_rows",
            Limit::Cells => "sheet_too_many_cells",
            Limit::CellBytes => "sheet_cell_too_long",
            Limit::DecodedBytes => "sheet_too_large",
            Limit::ZipEntries => "sheet_too_many_parts",
            Limit::SharedStrings => "sheet_too_many_strings",
            Limit::TagBytes => "sheet_tag_too_long",
        }
    }

    /// The bound's value in `limits` (for the message).
    pub fn value(self, limits: &Limits) -> u64 {
        match self {
            Limit::Columns => limits.columns as u64,
            Limit::Rows => limits.rows as u64,
            Limit::Cells => limits.cells as u64,
            Limit::CellBytes => limits.cell_bytes as u64,
            Limit::DecodedBytes => limits.decoded_bytes,
            Limit::ZipEntries => limits.zip_entries as u64,
            Limit::SharedStrings => limits.shared_strings as u64,
            Limit::TagBytes => limits.tag_bytes as u64,
        }
    }
}
