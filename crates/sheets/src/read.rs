//! Reading a table back: CSV (UTF-8, with or without a byte-order mark, else GB18030 —
//! which covers GBK and GB2312) or the first sheet of an xlsx, as rows of trimmed text.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not a CSV or xlsx file")]
    Unknown,
    #[error("the CSV cannot be read: {0}")]
    Csv(#[from] csv::Error),
    #[error("the xlsx cannot be read: {0}")]
    Xlsx(String),
}

/// The rows of a CSV or xlsx file (the first row is usually the header).
pub fn read_table(name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
    let lower = name.to_ascii_lowercase();
    if bytes.starts_with(b"PK\x03\x04") || lower.ends_with(".xlsx") {
        return read_xlsx(bytes);
    }
    if lower.ends_with(".csv") || lower.ends_with(".txt") || !bytes.contains(&0) {
        return read_csv(bytes);
    }
    Err(ReadError::Unknown)
}

fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
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
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec?;
        let row: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if row.iter().any(|c| !c.is_empty()) {
            rows.push(row);
        }
    }
    Ok(rows)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes.to_vec())).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return Ok(Vec::new());
    };
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let mut rows = Vec::new();
    for r in range.rows() {
        let row: Vec<String> = r.iter().map(cell_text).collect();
        if row.iter().any(|c| !c.is_empty()) {
            rows.push(row);
        }
    }
    Ok(rows)
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, h, min, _, _) = dt.to_ymd_hms_milli();
            if h == 0 && min == 0 {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}")
            }
        }
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::{to_csv, to_xlsx};

    #[test]
    fn round_trips_and_encodings() {
        let header = vec!["名称".to_string(), "Email".to_string()];
        let rows = vec![
            vec!["宁波阀门有限公司".to_string(), "a@x.com".to_string()],
            vec!["=HYPERLINK(\"x\")".to_string(), String::new()],
        ];
        let csv = to_csv(&header, &rows).unwrap();
        let back = read_table("x.csv", &csv).unwrap();
        assert_eq!(back[0], header);
        assert_eq!(back[1], rows[0]);
        assert_eq!(back[2][0], "'=HYPERLINK(\"x\")", "formulas are defused");
        let xlsx = to_xlsx("Customers", &header, &rows).unwrap();
        let back = read_table("x.xlsx", &xlsx).unwrap();
        assert_eq!(back[0], header);
        assert_eq!(back[1], rows[0]);
        // GBK bytes, and semicolons.
        let (gbk, _, _) = encoding_rs::GBK.encode("名称;城市\n宁波阀门;宁波\n");
        let back = read_table("gbk.csv", &gbk).unwrap();
        assert_eq!(back[1], vec!["宁波阀门", "宁波"]);
    }
}
