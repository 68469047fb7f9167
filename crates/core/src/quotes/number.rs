//! The quote's number: the company's yearly sequence, `Q2026-0001`, and its version `v1`, `v2` ….

/// A number as stored: the year and the sequence within the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteNumber {
    pub year: i64,
    pub seq: i64,
}

impl QuoteNumber {
    /// `Q2026-0001`; sequences past 9999 simply get longer.
    pub fn text(self) -> String {
        format!("Q{}-{:04}", self.year, self.seq)
    }

    /// The number with its version, as the PDF and the mail subject show it.
    pub fn with_version(self, version: i64) -> String {
        format!("{} v{version}", self.text())
    }

    /// Reads `Q2026-0001` back (a search box, an API filter).
    pub fn parse(text: &str) -> Option<QuoteNumber> {
        let rest = text.trim().strip_prefix(['Q', 'q'])?;
        let (year, seq) = rest.split_once('-')?;
        let year: i64 = year.parse().ok()?;
        let seq: i64 = seq.parse().ok()?;
        ((1970..=9999).contains(&year) && seq > 0).then_some(QuoteNumber { year, seq })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_padded_and_read_back() {
        let n = QuoteNumber { year: 2026, seq: 7 };
        assert_eq!(n.text(), "Q2026-0007");
        assert_eq!(n.with_version(2), "Q2026-0007 v2");
        assert_eq!(QuoteNumber::parse("q2026-0007"), Some(n));
        assert_eq!(
            QuoteNumber {
                year: 2026,
                seq: 12345
            }
            .text(),
            "Q2026-12345"
        );
        assert_eq!(QuoteNumber::parse("Q2026-0"), None);
        assert_eq!(QuoteNumber::parse("2026-0001"), None);
    }
}
