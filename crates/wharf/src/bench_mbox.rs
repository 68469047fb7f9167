//! `wharf bench mbox --mb N`: writes an mbox of about N MB (mboxrd-quoted From lines in
//! bodies, one message of 20 MB, the rest 2–200 KB) into a temporary folder and ingests
//! it as `bench ingest` does; the peak RSS shows that an mbox is read as a stream
//! (memory bounded by the largest message, not the file).

use std::io::Write;

pub async fn run(mb: u64) -> anyhow::Result<()> {
    let dir = crate::bench::temp_data_dir()?;
    let path = dir.join("generated.mbox");
    let result = async {
        let (messages, bytes) = generate(&path, mb * 1_000_000)?;
        println!(
            "generated {messages} messages, {:.0} MB, in {}",
            bytes as f64 / 1e6,
            path.display()
        );
        crate::bench::ingest(&path).await
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Writes the mbox (through a small buffer: the generator holds one message at most).
fn generate(path: &std::path::Path, target: u64) -> anyhow::Result<(usize, u64)> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let (mut written, mut n) = (0u64, 0usize);
    let line = "Dear buyer, the price of the 200 valves is firm until the end of the month.\n";
    while written < target {
        let body_lines = if n == 3 {
            20_000_000 / line.len()
        } else {
            30 + (n * 7919) % 2_600
        };
        let mut msg = format!(
            "From sender{n}@example.org Mon Jan  1 10:00:00 2024\nFrom: Sender {n} <sender{n}@example.org>\nTo: buyer@example.com\nSubject: Offer {n}\nDate: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <bench{n}@example.org>\n\n"
        );
        for k in 0..body_lines {
            if k % 500 == 1 {
                msg.push_str(">From the factory: shipping in May.\n");
            } else {
                msg.push_str(line);
            }
        }
        msg.push('\n');
        out.write_all(msg.as_bytes())?;
        written += msg.len() as u64;
        n += 1;
    }
    out.flush()?;
    Ok((n, written))
}
