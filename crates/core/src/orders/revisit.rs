//! The after-sales revisit: `revisit_after_sale_days` after the delivery day, the day
//! being the company's (the caller turns the delivery moment into a day in its zone).

use crate::zone::Day;

/// The day to revisit a customer whose order was delivered on `delivered` (a setting of
/// 0 or less means the same day; the setting is bounded where it is saved).
pub fn revisit_day(delivered: Day, after_days: i64) -> Day {
    delivered.plus_days(after_days.clamp(0, 3660))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisits_are_days_after_delivery() {
        let d = Day::new(2026, 12, 30).unwrap_or_else(|| panic!("day"));
        assert_eq!(
            revisit_day(d, 7),
            Day::new(2027, 1, 6).unwrap_or_else(|| panic!("day"))
        );
        assert_eq!(revisit_day(d, -3), d);
    }
}
