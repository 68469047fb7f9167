//! Reading a table back: CSV (UTF-8, with or without a byte-order mark, else GB18030 —
//! which covers GBK and GB2312) or the first sheet of an xlsx, as rows of trimmed text,
//! streamed one row at a time within [`Limits`] (rows that are wholly empty are left
//! out). Nothing is allocated in proportion to a file's declared size: an xlsx is
//! pre-scanned (`xlsx_guard`) and its cells are read with calamine's cell reader, never
//! as a dense range.

use std::io::Cursor;
use std::ops::ControlFlow;

use calamine::{DataRef, Reader, Xlsx};

use crate::error::ReadError;
use crate::limits::{Limit, Limits};

/// All the rows of a CSV or xlsx file (the first row is usually the header), within the
/// default [`Limits`].
pub fn read_table(name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
    let mut rows = Vec::new();
    for_each_row(name, bytes, &Limits::default(), |row| {
        rows.push(row);
        ControlFlow::Continue(())
    })?;
    Ok(rows)
}

/// The first `n` rows (the header and a few more), reading no further.
pub fn read_head(name: &str, bytes: &[u8], n: usize) -> Result<Vec<Vec<String>>, ReadError> {
    let mut rows = Vec::new();
    for_each_row(name, bytes, &Limits::default(), |row| {
        rows.push(row);
        if rows.len() >= n {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })?;
    Ok(rows)
}

/// Hands each non-empty row to `f` in order until it breaks; gives the rows handed.
pub fn for_each_row(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    f: impl FnMut(Vec<String>) -> ControlFlow<()>,
) -> Result<usize, ReadError> {
    let lower = name.to_ascii_lowercase();
    let mut counted = Counted {
        limits,
        rows: 0,
        cells: 0,
        f,
    };
    if bytes.starts_with(b"PK\x03\x04") || lower.ends_with(".xlsx") {
        crate::xlsx_guard::check(bytes, limits)?;
        read_xlsx(bytes, &mut counted)?;
        return Ok(counted.rows);
    }
    if lower.ends_with(".csv") || lower.ends_with(".txt") || !bytes.contains(&0) {
        read_csv(bytes, &mut counted)?;
        return Ok(counted.rows);
    }
    Err(ReadError::Unknown)
}

/// The row and cell counts a read keeps, around the caller's visitor.
struct Counted<'a, F> {
    limits: &'a Limits,
    rows: usize,
    cells: usize,
    f: F,
}

impl<F: FnMut(Vec<String>) -> ControlFlow<()>> Counted<'_, F> {
    /// Gives false when the visitor is done.
    fn row(&mut self, row: Vec<String>) -> Result<bool, ReadError> {
        if row.iter().all(String::is_empty) {
            return Ok(true);
        }
        if row.len() > self.limits.columns {
            return Err(ReadError::limit(Limit::Columns, self.limits));
        }
        if row.iter().any(|c| c.len() > self.limits.cell_bytes) {
            return Err(ReadError::limit(Limit::CellBytes, self.limits));
        }
        self.rows += 1;
        if self.rows > self.limits.rows {
            return Err(ReadError::limit(Limit::Rows, self.limits));
        }
        self.cells += row.len();
        if self.cells > self.limits.cells {
            return Err(ReadError::limit(Limit::Cells, self.limits));
        }
        Ok((self.f)(row).is_continue())
    }
}

fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => encoding_rs::GB18030.decode(bytes).0,
    }
}

fn read_csv<F: FnMut(Vec<String>) -> ControlFlow<()>>(
    bytes: &[u8],
    out: &mut Counted<'_, F>,
) -> Result<(), ReadError> {
    let text = decode(bytes);
    // Semicolons where the header has more of them than commas (European Excel).
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // One record at a time: a record can be no bigger than the file, which the upload
    // limit bounds; its width is checked before its cells become strings.
    let mut rec = csv::StringRecord::new();
    while r.read_record(&mut rec)? {
        if rec.len() > out.limits.columns {
            return Err(ReadError::limit(Limit::Columns, out.limits));
        }
        let row: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if !out.row(row)? {
            break;
        }
    }
    Ok(())
}

fn read_xlsx<F: FnMut(Vec<String>) -> ControlFlow<()>>(
    bytes: &[u8],
    out: &mut Counted<'_, F>,
) -> Result<(), ReadError> {
    let limits = out.limits;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return Ok(());
    };
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let declared = cells.dimensions();
    let too_wide = |col: u32| col as usize >= limits.columns;
    let too_long = |row: u32| row as usize >= limits.rows;
    // A declared dimension of one cell is what writers put in an empty sheet's place.
    if declared.end != (0, 0) || declared.start != (0, 0) {
        if too_wide(declared.end.1) {
            return Err(ReadError::limit(Limit::Columns, limits));
        }
        if too_long(declared.end.0) {
            return Err(ReadError::limit(Limit::Rows, limits));
        }
    }
    let mut row: Vec<String> = Vec::new();
    let mut at: Option<u32> = None;
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| ReadError::Xlsx(e.to_string()))?
    {
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        let (r, c) = cell.get_position();
        if too_wide(c) {
            return Err(ReadError::limit(Limit::Columns, limits));
        }
        if too_long(r) {
            return Err(ReadError::limit(Limit::Rows, limits));
        }
        if at != Some(r) {
            if at.is_some() && !out.row(std::mem::take(&mut row))? {
                return Ok(());
            }
            at = Some(r);
        }
        let c = c as usize;
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    if at.is_some() {
        out.row(row)?;
    }
    Ok(())
}

fn cell_text(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, h, min, _, _) = dt.to_ymd_hms_milli();
            if h == 0 && min == 0 {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}")
            }
        }
        DataRef::DateTime(dt) => dt.as_f64().to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("{e:?}"),
    }
}
