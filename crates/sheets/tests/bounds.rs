//! Reading within bounds (issue 14): spreadsheet and CSV bombs are refused, naming their
//! limit, before their memory is allocated; ordinary files still read as before.

// Test helpers may panic: a failed step is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::ops::ControlFlow;

use wharf_sheets::{
    Limit, Limits, ReadError, for_each_row, read_head, read_table, to_csv, to_xlsx,
};

fn refused(r: Result<impl std::fmt::Debug, ReadError>) -> Limit {
    match r {
        Err(ReadError::TooBig { what, .. }) => what,
        other => panic!("expected a limit, got {other:?}"),
    }
}

/// An xlsx with the given parts (name, XML), deflated.
fn xlsx_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in parts {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(body).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

fn workbook(sheet: &str, shared: &[u8]) -> Vec<u8> {
    xlsx_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ("xl/sharedStrings.xml", shared),
    ])
}

fn sheet(dimension: &str, cells: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>"#
    )
}

const NO_STRINGS: &[u8] =
    br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>"#;

#[test]
fn a_handmade_workbook_reads() {
    let book = workbook(
        &sheet(
            "A1:B2",
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>City</t></is></c></row><row r="2"><c r="A2"><v>42</v></c></row>"#,
        ),
        br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>Name</t></si></sst>"#,
    );
    assert_eq!(
        read_table("a.xlsx", &book).unwrap(),
        vec![vec!["Name", "City"], vec!["42"]]
    );
}

/// The 1.5 KB file that aborted the process: cells A1, A2 and XFD1048576.
#[test]
fn the_tiny_xlsx_bomb_is_refused() {
    let cells = r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row><row r="1048576"><c r="XFD1048576"><v>3</v></c></row>"#;
    // Declared honestly…
    let book = workbook(&sheet("A1:XFD1048576", cells), NO_STRINGS);
    assert!(book.len() < 2_000, "{} bytes", book.len());
    assert_eq!(refused(read_table("bomb.xlsx", &book)), Limit::Columns);
    // …or not: the real coordinates are checked as well.
    let book = workbook(&sheet("A1:A2", cells), NO_STRINGS);
    assert_eq!(refused(read_table("bomb.xlsx", &book)), Limit::Columns);
    let tall = r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="A1048576"><v>3</v></c></row>"#;
    let book = workbook(&sheet("A1:A1", tall), NO_STRINGS);
    assert_eq!(refused(read_table("bomb.xlsx", &book)), Limit::Rows);
    // The same file made by a real writer.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_number(0, 0, 1).unwrap();
    ws.write_number(1, 0, 2).unwrap();
    ws.write_number(1_048_575, 16_383, 3).unwrap();
    let book = wb.save_to_buffer().unwrap();
    assert_eq!(refused(read_table("bomb.xlsx", &book)), Limit::Columns);
}

#[test]
fn the_million_column_csv_is_refused() {
    let mut csv = vec![b'a'; 1];
    csv.extend(std::iter::repeat_n(&b",b"[..], 1_000_000).flatten());
    csv.extend_from_slice(b"\nx,y\n");
    assert_eq!(refused(read_table("wide.csv", &csv)), Limit::Columns);
    assert_eq!(refused(read_head("wide.csv", &csv, 4)), Limit::Columns);
    // 200 columns are fine, 201 are not.
    let row = |n: usize| {
        (0..n)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let ok = format!("{}\n{}\n", row(200), row(200));
    assert_eq!(read_table("ok.csv", ok.as_bytes()).unwrap()[0].len(), 200);
    let wide = format!("{}\n", row(201));
    assert_eq!(
        refused(read_table("w.csv", wide.as_bytes())),
        Limit::Columns
    );
}

#[test]
fn long_cells_are_refused() {
    let csv = format!("Name\n{}\n", "x".repeat(40 * 1024));
    assert_eq!(
        refused(read_table("long.csv", csv.as_bytes())),
        Limit::CellBytes
    );
    let header = vec!["Name".to_string()];
    let book = to_xlsx("S", &header, &[vec!["是".repeat(20_000)]]).unwrap();
    assert_eq!(refused(read_table("long.xlsx", &book)), Limit::CellBytes);
}

/// One huge shared string (50 MB here; 500 MB deflates to the same ~0.1% and is refused
/// by the same scan before calamine reads it).
#[test]
fn the_huge_shared_string_is_refused_before_it_is_read() {
    let mut shared = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#.to_vec();
    shared.extend(std::iter::repeat_n(b'a', 50 * 1024 * 1024));
    shared.extend_from_slice(b"</t></si></sst>");
    let book = workbook(
        &sheet("A1:A2", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
        &shared,
    );
    drop(shared);
    assert!(book.len() < 600_000, "{} bytes", book.len());
    assert_eq!(refused(read_table("big.xlsx", &book)), Limit::CellBytes);
    // Split into runs, each under the cell limit: the string as a whole is still refused.
    let run = format!("<r><t>{}</t></r>", "b".repeat(20_000));
    let shared = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si>{}</si></sst>"#,
        run.repeat(3)
    );
    let book = workbook(
        &sheet("A1:A1", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
        shared.as_bytes(),
    );
    assert_eq!(refused(read_table("runs.xlsx", &book)), Limit::CellBytes);
}

#[test]
fn a_lying_string_count_is_refused() {
    let shared = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="4000000000000"><si><t>a</t></si></sst>"#;
    let book = workbook(
        &sheet("A1:A1", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
        shared,
    );
    assert_eq!(
        refused(read_table("count.xlsx", &book)),
        Limit::SharedStrings
    );
    let limits = Limits {
        shared_strings: 3,
        ..Limits::default()
    };
    let shared = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{}</sst>"#,
        "<si><t>s</t></si>".repeat(4)
    );
    let book = workbook(&sheet("A1:A1", ""), shared.as_bytes());
    let r = for_each_row("n.xlsx", &book, &limits, |_| ControlFlow::Continue(()));
    assert_eq!(refused(r), Limit::SharedStrings);
}

#[test]
fn zip_bombs_are_refused() {
    let limits = Limits {
        decoded_bytes: 4 * 1024 * 1024,
        ..Limits::default()
    };
    let zeros = vec![b' '; 5 * 1024 * 1024];
    let book = xlsx_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("xl/media/padding.bin", &zeros),
    ]);
    assert!(book.len() < 20_000);
    let r = for_each_row("bomb.xlsx", &book, &limits, |_| ControlFlow::Continue(()));
    assert_eq!(refused(r), Limit::DecodedBytes);
    // Many parts.
    let names: Vec<String> = (0..2_001).map(|i| format!("p{i}.bin")).collect();
    let parts: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    assert_eq!(
        refused(read_table("many.xlsx", &xlsx_of(&parts))),
        Limit::ZipEntries
    );
}

#[test]
fn rows_stream_and_stop_early() {
    let header = vec!["Name".to_string(), "City".to_string()];
    let rows: Vec<Vec<String>> = (0..1000)
        .map(|i| vec![format!("Co {i}"), "Lyon".to_string()])
        .collect();
    for (name, bytes) in [
        ("x.csv", to_csv(&header, &rows).unwrap()),
        ("x.xlsx", to_xlsx("S", &header, &rows).unwrap()),
    ] {
        let head = read_head(name, &bytes, 3).unwrap();
        assert_eq!(head.len(), 3);
        assert_eq!(head[2], vec!["Co 1", "Lyon"]);
        let limits = Limits {
            rows: 500,
            ..Limits::default()
        };
        let r = for_each_row(name, &bytes, &limits, |_| ControlFlow::Continue(()));
        assert_eq!(refused(r), Limit::Rows, "{name}");
    }
}

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
