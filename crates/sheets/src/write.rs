//! Writing a table (a header row and data rows of text) as CSV or xlsx.

use rust_xlsxwriter::{Format, Workbook};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("csv: {0}")]
    Io(#[from] std::io::Error),
}

/// CSV in UTF-8 with a byte-order mark (Excel reads it as UTF-8 then), CRLF lines.
pub fn to_csv(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, WriteError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(64 + rows.len() * 64));
    w.write_record(header)?;
    for r in rows {
        // A leading = + - @ would be a formula in a spreadsheet: quote it as text.
        w.write_record(r.iter().map(|c| defuse(c)))?;
    }
    let mut out = vec![0xEF, 0xBB, 0xBF];
    out.extend(w.into_inner().map_err(|e| e.into_error())?);
    Ok(out)
}

fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@']) && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// One sheet named `sheet`, a bold frozen header, cells as text.
pub fn to_xlsx(
    sheet: &str,
    header: &[String],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, WriteError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
        ws.set_column_width(c as u16, 18)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, cell)?;
            }
        }
    }
    Ok(book.save_to_buffer()?)
}
