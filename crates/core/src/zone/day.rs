//! A calendar day as people in the company write it (`2026-03-05`), with no time zone
//! of its own: the zone that gives it a start and an end is `Zone`'s business.

use jiff::ToSpan;
use jiff::civil::Date;

/// A calendar day between the years 1 and 9999, so that every zone can place its
/// start (jiff's range ends a day or so beyond those years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub(super) Date);

impl Day {
    /// The day, or `None` when there is no such day (Feb 30th, month 13, year 0).
    pub fn new(year: i64, month: i64, day: i64) -> Option<Day> {
        if !(1..=9999).contains(&year) {
            return None;
        }
        let (year, month, day) = (
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        );
        Date::new(year, month, day).ok().map(Day)
    }

    /// Reads `YYYY-MM-DD` exactly as date inputs send it (also `2026-3-5`).
    pub fn parse_iso(text: &str) -> Option<Day> {
        let mut parts = text.trim().split('-');
        let mut num = || -> Option<i64> {
            let p = parts.next()?;
            if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            p.parse().ok()
        };
        let (y, m, d) = (num()?, num()?, num()?);
        if parts.next().is_some() {
            return None;
        }
        Day::new(y, m, d)
    }

    pub fn year(self) -> i64 {
        self.0.year().into()
    }

    pub fn month(self) -> i64 {
        self.0.month().into()
    }

    pub fn day(self) -> i64 {
        self.0.day().into()
    }

    /// `YYYY-MM-DD`, as date inputs and the search box show it.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year(), self.month(), self.day())
    }

    /// The day after; the last day stays itself (there is no year 10000 to reach).
    pub fn next(self) -> Day {
        self.plus_days(1)
    }

    /// This day moved by `days` (negative: back), kept inside years 1..=9999.
    pub fn plus_days(self, days: i64) -> Day {
        let moved = self
            .0
            .saturating_add(days.clamp(-4_000_000, 4_000_000).days());
        if moved.year() < 1 || moved.year() > 9999 {
            self
        } else {
            Day(moved)
        }
    }

    /// The Monday of this day's week (ISO weeks: Chinese and European offices start
    /// the week on Monday).
    pub fn week_start(self) -> Day {
        self.plus_days(-i64::from(self.0.weekday().to_monday_zero_offset()))
    }

    /// The first of this day's month.
    pub fn month_start(self) -> Day {
        Day(self.0.first_of_month())
    }

    /// The first of the next month (the end of this month's range).
    pub fn next_month_start(self) -> Day {
        self.month_start()
            .plus_days(i64::from(self.0.days_in_month()))
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse_iso(text).unwrap_or_else(|| panic!("{text} is a day"))
    }

    #[test]
    fn reads_date_inputs_and_refuses_days_that_do_not_exist() {
        assert_eq!(day("2026-03-05").iso(), "2026-03-05");
        assert_eq!(day(" 2026-3-5 ").iso(), "2026-03-05");
        assert_eq!(day("2024-02-29").iso(), "2024-02-29");
        for bad in [
            "",
            "2026-02-29",
            "2026-13-01",
            "0000-01-01",
            "2026-03",
            "2026-03-05-1",
            "2026/03/05",
            "+2026-03-05",
            "2026-03-05T00:00",
            "99999-01-01",
        ] {
            assert_eq!(Day::parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        // 2026-01-01 is a Thursday; its week began in the old year.
        assert_eq!(day("2026-01-01").week_start().iso(), "2025-12-29");
        assert_eq!(day("2025-12-29").week_start().iso(), "2025-12-29");
        assert_eq!(day("2026-01-04").week_start().iso(), "2025-12-29");
        assert_eq!(day("2024-02-29").month_start().iso(), "2024-02-01");
        assert_eq!(day("2024-02-10").next_month_start().iso(), "2024-03-01");
        assert_eq!(day("2025-12-31").next_month_start().iso(), "2026-01-01");
        assert_eq!(day("2025-12-31").next().iso(), "2026-01-01");
    }

    #[test]
    fn stays_inside_the_years_it_can_place() {
        assert_eq!(day("9999-12-31").next().iso(), "9999-12-31");
        assert_eq!(day("0001-01-01").plus_days(-1).iso(), "0001-01-01");
        assert_eq!(day("9999-12-31").next_month_start().iso(), "9999-12-31");
    }
}
