//! The engine end to end: English and Chinese text rendered with the system's Noto CJK fonts, read back with pdftotext; user text with typst syntax prints literally.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Stdio};

use wharf_pdf::quote::{Labels, Letterhead, Pair, QuotePdf, Row};
use wharf_pdf::{Engine, FontFiles, PdfError};

fn engine() -> Engine {
    match Engine::from_system_fonts() {
        Ok(engine) => engine,
        Err(error) => panic!("{error} (scripts/install-test-deps.sh installs it)"),
    }
}

/// The PDF's text as pdftotext (poppler-utils) reads it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) is installed by scripts/install-test-deps.sh");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn english_and_chinese_text_come_back_from_the_pdf() {
    let data = serde_json::json!({
        "title": "Quotation 报价单",
        "lines": ["Stainless steel valve DN50", "不锈钢球阀 五十毫米", "Total: USD 1,234.50"],
    });
    let pdf = engine().render("probe.typ", &data, &[]).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    for expected in [
        "Quotation",
        "报价单",
        "Stainless steel valve DN50",
        "不锈钢球阀",
        "USD 1,234.50",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }
}

#[test]
fn typst_syntax_in_user_text_prints_literally() {
    let hostile = r#"#Acme] $x$ *bold* #panic("no") \ <a> @ref"#;
    let data = serde_json::json!({ "title": hostile, "lines": [hostile, "= heading?"] });
    let pdf = engine().render("probe.typ", &data, &[]).unwrap();
    let text = pdf_text(&pdf);
    assert!(
        text.contains(r#"#Acme] $x$ *bold* #panic("no") \ <a> @ref"#),
        "{text:?}"
    );
    assert!(text.contains("= heading?"), "{text:?}");
}

#[test]
fn a_quote_with_a_group_a_discount_and_a_hash_in_a_name() {
    let quote = QuotePdf {
        lang: "zh-CN".into(),
        labels: Labels {
            title: "报价单".into(),
            number: "编号".into(),
            total: "金额".into(),
            ..Labels::default()
        },
        letterhead: Letterhead {
            name: "宁波港湾贸易有限公司".into(),
            address: "浙江省宁波市\nNo. 8 Harbour Road".into(),
            ..Letterhead::default()
        },
        number: "Q2026-0001 v2".into(),
        customer: "Acme #1 [Trading] $Ltd".into(),
        rows: vec![
            Row::Group {
                title: "阀门 Valves".into(),
            },
            Row::Line {
                no: "1".into(),
                name: "球阀".into(),
                model: "BV-50".into(),
                description: String::new(),
                quantity: "100".into(),
                unit: "pcs".into(),
                unit_price: "12.50".into(),
                discount: "5.00 %".into(),
                total: "1,187.50".into(),
            },
            Row::Subtotal {
                label: "小计".into(),
                amount: "1,187.50".into(),
            },
        ],
        totals: vec![Pair {
            label: "合计".into(),
            value: "USD 1,187.50".into(),
        }],
        in_words: vec![
            "SAY US DOLLARS ONE THOUSAND ONE HUNDRED AND EIGHTY-SEVEN AND CENTS FIFTY ONLY".into(),
        ],
        terms: vec![Pair {
            label: "Incoterms".into(),
            value: "FOB Ningbo".into(),
        }],
        ..QuotePdf::default()
    };
    let pdf = wharf_pdf::quote::render(&engine(), &quote, None).unwrap();
    let text = pdf_text(&pdf);
    for expected in [
        "报价单",
        "宁波港湾贸易有限公司",
        "No. 8 Harbour Road",
        "Q2026-0001 v2",
        "Acme #1 [Trading] $Ltd",
        "阀门 Valves",
        "5.00 %",
        "1,187.50",
        "小计",
        "FOB Ningbo",
        "EIGHTY-SEVEN AND CENTS FIFTY ONLY",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }
}

#[test]
fn missing_fonts_name_the_package() {
    let error = FontFiles::find_in(&["/nonexistent".into()]).unwrap_err();
    assert!(matches!(
        error,
        PdfError::FontsMissing {
            package: "fonts-noto-cjk"
        }
    ));
    assert_eq!(error.code(), "pdf_fonts_missing");
}

#[test]
fn an_unreadable_logo_is_an_error_not_a_panic() {
    let quote = QuotePdf {
        lang: "en".into(),
        ..QuotePdf::default()
    };
    let error = wharf_pdf::quote::render(&engine(), &quote, Some(b"not an image")).unwrap_err();
    assert_eq!(error.code(), "pdf_render_failed");
}
