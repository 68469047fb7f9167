//! The company's time zone and every date calculation made in it: "today", the start
//! of a day, week or month, a local day as a range of UTC seconds, a time as the
//! company reads it. Pure (no clock read: callers pass "now").
//!
//! Built on jiff with its bundled copy of the IANA database (`tzdb-bundle-always`, no
//! `tz-system`): core does no I/O, so it never reads `/usr/share/zoneinfo`, and a slim
//! container without one gives the same answers as a developer's machine. jiff was
//! chosen over chrono-tz because it resolves a midnight that a DST change skips to the
//! first instant that exists (`compatible` disambiguation), which start-of-day needs,
//! and it needs no second date crate beside it.

mod day;
mod legacy;
mod written;

pub use day::Day;
pub use legacy::zone_for_utc_offset;
pub use written::normal_date;

use jiff::Timestamp;
use jiff::civil::{DateTime, Time};
use jiff::tz::TimeZone;

/// Zones offered first on the settings page: where export companies sit and sell.
/// Any other IANA name may be typed in.
pub const COMMON_ZONES: &[&str] = &[
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Singapore",
    "Asia/Bangkok",
    "Asia/Ho_Chi_Minh",
    "Asia/Jakarta",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Karachi",
    "Asia/Dubai",
    "Asia/Riyadh",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/London",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Australia/Sydney",
    "UTC",
];

/// The zone new companies start in (Wharf's users are mostly in China).
pub const DEFAULT_ZONE: &str = "Asia/Shanghai";

/// A named IANA time zone.
#[derive(Debug, Clone)]
pub struct Zone {
    tz: TimeZone,
    /// The database's spelling of the name (`america/new_york` → `America/New_York`).
    name: String,
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl Default for Zone {
    fn default() -> Zone {
        Zone::named(DEFAULT_ZONE).unwrap_or_else(|_| Zone::utc())
    }
}

impl Zone {
    /// The zone called `name` in the IANA database (any letter case), or
    /// `unknown_time_zone`.
    pub fn named(name: &str) -> Result<Zone, &'static str> {
        let name = name.trim();
        // Database names are short ASCII paths; anything else is not worth a lookup.
        let plausible = !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_-+".contains(&b));
        if !plausible {
            return Err("unknown_time_zone");
        }
        let tz = TimeZone::get(name).map_err(|_| "unknown_time_zone")?;
        // `Etc/Unknown` and the like are found but name no place.
        let canonical = tz.iana_name().ok_or("unknown_time_zone")?.to_string();
        Ok(Zone {
            tz,
            name: canonical,
        })
    }

    pub fn utc() -> Zone {
        Zone {
            tz: TimeZone::UTC,
            name: "UTC".into(),
        }
    }

    /// The IANA name, as stored in the settings.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The local day an instant (Unix seconds) falls on.
    pub fn day_of(&self, unix: i64) -> Day {
        let date = self.tz.to_datetime(instant(unix)).date();
        Day::new(date.year().into(), date.month().into(), date.day().into())
            .unwrap_or_else(|| if unix < 0 { first_day() } else { last_day() })
    }

    /// Today in this zone, given the current Unix time.
    pub fn today(&self, now: i64) -> Day {
        self.day_of(now)
    }

    /// The first second of a local day. Usually its midnight; where a DST change
    /// skips midnight (Santiago, Havana, Beirut), the first time the clocks show.
    pub fn day_start(&self, day: Day) -> i64 {
        self.at(day, Time::midnight())
    }

    /// A local day as the UTC seconds `[start, end)`; 23 or 25 hours long on DST days.
    pub fn day_range(&self, day: Day) -> (i64, i64) {
        self.days_range(day, day)
    }

    /// The local days `first..=last` as `[start of first, start of the day after last)`.
    pub fn days_range(&self, first: Day, last: Day) -> (i64, i64) {
        let end = if last.next() == last {
            // The last day there is: it ends a day later.
            self.day_start(last) + 86_400
        } else {
            self.day_start(last.next())
        };
        (self.day_start(first), end)
    }

    /// The first second of the week (from Monday) that holds `day`.
    pub fn week_start(&self, day: Day) -> i64 {
        self.day_start(day.week_start())
    }

    /// The first second of the month that holds `day`.
    pub fn month_start(&self, day: Day) -> i64 {
        self.day_start(day.month_start())
    }

    /// A clock time of a local day (`hour` 0–23, `minute` 0–59; others are clamped).
    pub fn at_clock(&self, day: Day, hour: i64, minute: i64) -> i64 {
        let (hour, minute) = (hour.clamp(0, 23) as i8, minute.clamp(0, 59) as i8);
        self.at(
            day,
            Time::new(hour, minute, 0, 0).unwrap_or(Time::midnight()),
        )
    }

    /// "YYYY-MM-DD HH:MM" as the company's clocks showed it at `unix`.
    pub fn format(&self, unix: i64) -> String {
        let t = self.tz.to_datetime(instant(unix));
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute()
        )
    }

    fn at(&self, day: Day, time: Time) -> i64 {
        self.tz
            .to_timestamp(DateTime::from_parts(day.0, time))
            .map(|t| t.as_second())
            // Only near jiff's limits, which `Day`'s years keep away from.
            .unwrap_or_else(|_| naive_utc(day, time))
    }
}

/// An instant, clamped into jiff's range (±9999 years).
fn instant(unix: i64) -> Timestamp {
    Timestamp::from_second(unix).unwrap_or(if unix < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

fn naive_utc(day: Day, time: Time) -> i64 {
    TimeZone::UTC
        .to_timestamp(DateTime::from_parts(day.0, time))
        .map(|t| t.as_second())
        .unwrap_or(0)
}

fn first_day() -> Day {
    Day(jiff::civil::Date::constant(1, 1, 1))
}

fn last_day() -> Day {
    Day(jiff::civil::Date::constant(9999, 12, 31))
}

#[cfg(test)]
mod tests;
