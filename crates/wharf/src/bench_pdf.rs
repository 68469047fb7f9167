//! `wharf bench pdf [--renders N]`: a quote PDF's render time. Loads the Noto CJK fonts
//! once (timed), then renders a 40-line bilingual quote in four groups N times (default
//! 30) and prints `pdf: N renders, first X ms, p50 Y ms, p99 Z ms, SIZE KiB` (target: a
//! quote PDF under 300 ms, issue 18).

use std::time::{Duration, Instant};

use wharf_pdf::Engine;
use wharf_pdf::quote::{Labels, Letterhead, Pair, QuotePdf, Row};

pub fn run(renders: usize) -> anyhow::Result<()> {
    let started = Instant::now();
    let engine = Engine::from_system_fonts()?;
    println!("fonts loaded in {} ms", started.elapsed().as_millis());
    let quote = sample();
    let mut times: Vec<Duration> = Vec::with_capacity(renders);
    let mut size = 0;
    for _ in 0..renders.max(1) {
        let start = Instant::now();
        let pdf = wharf_pdf::quote::render(&engine, &quote, None)?;
        times.push(start.elapsed());
        size = pdf.len();
    }
    let first = times[0];
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "pdf: {} renders, first {} ms, p50 {} ms, p99 {} ms, {} KiB",
        times.len(),
        first.as_millis(),
        at(0.5).as_millis(),
        at(0.99).as_millis(),
        size / 1024
    );
    Ok(())
}

fn sample() -> QuotePdf {
    let mut rows = Vec::new();
    for group in 0..4 {
        rows.push(Row::Group {
            title: format!("第{}组 Group {}", group + 1, group + 1),
        });
        for line in 0..10 {
            rows.push(Row::Line {
                no: format!("{}", group * 10 + line + 1),
                name: format!("不锈钢球阀 Stainless ball valve DN{}", 15 + line * 5),
                model: format!("BV-{group}{line:02}"),
                description: "304 不锈钢, PN16, 法兰连接 flanged ends".into(),
                quantity: "1,200".into(),
                unit: "pcs".into(),
                unit_price: "12.5000".into(),
                discount: "5.00 %".into(),
                total: "14,250.00".into(),
            });
        }
        rows.push(Row::Subtotal {
            label: "小计 Subtotal".into(),
            amount: "142,500.00".into(),
        });
    }
    QuotePdf {
        lang: "zh-CN".into(),
        labels: Labels {
            title: "报价单 Quotation".into(),
            number: "编号".into(),
            date: "日期".into(),
            customer: "客户".into(),
            contact: "联系人".into(),
            no: "序号".into(),
            item: "品名".into(),
            quantity: "数量".into(),
            unit: "单位".into(),
            unit_price: "单价".into(),
            discount: "折扣".into(),
            total: "金额".into(),
            terms: "条款".into(),
            notes: "备注".into(),
        },
        letterhead: Letterhead {
            name: "宁波港湾贸易有限公司 Ningbo Harbour Trading Co., Ltd.".into(),
            address: "浙江省宁波市北仑区港湾路8号\nNo. 8 Harbour Road, Beilun, Ningbo".into(),
            phone: "+86 574 8888 0000".into(),
            email: "sales@harbour.example".into(),
        },
        number: "Q2026-0001 v1".into(),
        date: "2026-12-07".into(),
        customer: "Acme #1 Trading GmbH".into(),
        customer_address: "Hafenstraße 1\n20457 Hamburg".into(),
        contact: "Anna Schmidt".into(),
        currency: "USD".into(),
        rows,
        totals: vec![Pair {
            label: "合计 Total".into(),
            value: "USD 570,000.00".into(),
        }],
        in_words: wharf_core::money::english_words(
            wharf_core::money::Decimal::from(570_000),
            wharf_core::money::Currency::usd(),
        )
        .into_iter()
        .collect(),
        terms: vec![
            Pair {
                label: "Incoterms".into(),
                value: "FOB Ningbo".into(),
            },
            Pair {
                label: "付款方式".into(),
                value: "T/T 30% deposit, 70% before shipment".into(),
            },
            Pair {
                label: "有效期至".into(),
                value: "2027-01-06".into(),
            },
        ],
        notes: "交货期: 收到订金后 30 天\nLead time: 30 days after deposit".into(),
    }
}
