//! The order's number: the company's yearly sequence, `O2026-0001`.

/// A number as stored: the year and the sequence within the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderNumber {
    pub year: i64,
    pub seq: i64,
}

impl OrderNumber {
    /// `O2026-0001`; sequences past 9999 simply get longer.
    pub fn text(self) -> String {
        format!("O{}-{:04}", self.year, self.seq)
    }

    /// Reads `O2026-0001` back (a search box, an API filter).
    pub fn parse(text: &str) -> Option<OrderNumber> {
        let rest = text.trim().strip_prefix(['O', 'o'])?;
        let (year, seq) = rest.split_once('-')?;
        let year: i64 = year.parse().ok()?;
        let seq: i64 = seq.parse().ok()?;
        ((1970..=9999).contains(&year) && seq > 0).then_some(OrderNumber { year, seq })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_padded_and_read_back() {
        let n = OrderNumber { year: 2026, seq: 7 };
        assert_eq!(n.text(), "O2026-0007");
        assert_eq!(OrderNumber::parse("o2026-0007"), Some(n));
        assert_eq!(
            OrderNumber {
                year: 2026,
                seq: 12345
            }
            .text(),
            "O2026-12345"
        );
        assert_eq!(OrderNumber::parse("O2026-0"), None);
        assert_eq!(OrderNumber::parse("Q2026-0001"), None);
    }
}
