//! The time windows the workbench counts in (PIPE-2), as UTC seconds of the company's
//! days: today, tomorrow, and the starts of this week and month.

use crate::zone::{Day, Zone};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    pub today: Day,
    /// [start, end) of today.
    pub today_range: (i64, i64),
    /// [start, end) of tomorrow.
    pub tomorrow_range: (i64, i64),
    /// Monday 00:00 of this week.
    pub week_start: i64,
    /// The 1st 00:00 of this month.
    pub month_start: i64,
}

impl Windows {
    pub fn at(zone: &Zone, now: i64) -> Windows {
        let today = zone.today(now);
        Windows {
            today,
            today_range: zone.day_range(today),
            tomorrow_range: zone.day_range(today.next()),
            week_start: zone.week_start(today),
            month_start: zone.month_start(today),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_in_shanghai() {
        let zone = Zone::named("Asia/Shanghai").unwrap_or_else(|_| Zone::utc());
        // Thursday 2026-12-03 01:00 in Shanghai is still Wednesday in UTC.
        let midnight = 1_796_083_200 - 8 * 3600; // 2026-12-01 00:00 +08:00, a Tuesday
        let now = midnight + 2 * 86_400 + 3600;
        let w = Windows::at(&zone, now);
        assert_eq!(w.today.iso(), "2026-12-03");
        assert_eq!(w.today_range.1 - w.today_range.0, 86_400);
        assert_eq!(w.tomorrow_range.0, w.today_range.1);
        assert_eq!(w.month_start, midnight);
        assert_eq!(w.week_start, midnight - 86_400, "Monday 2026-11-30");
    }
}
