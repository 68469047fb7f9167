//! The zone arithmetic on the days that break naive code: DST changes, year ends,
//! offsets that are not whole hours.

use super::*;

fn zone(name: &str) -> Zone {
    Zone::named(name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn day(text: &str) -> Day {
    Day::parse_iso(text).unwrap_or_else(|| panic!("{text} is a day"))
}

/// Unix seconds of a UTC time written `2026-03-28T23:00Z`.
fn utc(text: &str) -> i64 {
    text.parse::<Timestamp>()
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .as_second()
}

#[test]
fn names_are_looked_up_in_the_bundled_database() {
    assert_eq!(zone("Asia/Shanghai").name(), "Asia/Shanghai");
    assert_eq!(zone("america/new_york").name(), "America/New_York");
    assert_eq!(zone(" Europe/Berlin ").name(), "Europe/Berlin");
    assert_eq!(zone("utc").name(), "UTC");
    assert_eq!(zone("Etc/GMT-8").name(), "Etc/GMT-8");
    assert_eq!(Zone::default().name(), "Asia/Shanghai");
}

#[test]
fn unknown_names_are_refused() {
    for bad in [
        "",
        "Mars/Olympus",
        "Etc/Unknown",
        "+08:00",
        "480",
        "Asia/Shanghai\0",
        "../etc/passwd",
        "CST-8",
        "Asia/Shang hai",
    ] {
        assert_eq!(Zone::named(bad), Err("unknown_time_zone"), "{bad:?}");
    }
    assert_eq!(Zone::named(&"A/".repeat(1000)), Err("unknown_time_zone"));
}

#[test]
fn every_common_zone_exists_under_its_own_name() {
    for name in COMMON_ZONES {
        assert_eq!(zone(name).name(), *name);
    }
}

#[test]
fn today_turns_at_local_midnight() {
    let shanghai = zone("Asia/Shanghai");
    // 2025-12-31 16:00 UTC is midnight in Shanghai: the new year has begun there.
    assert_eq!(
        shanghai.today(utc("2025-12-31T15:59:59Z")).iso(),
        "2025-12-31"
    );
    assert_eq!(
        shanghai.today(utc("2025-12-31T16:00:00Z")).iso(),
        "2026-01-01"
    );
    let new_york = zone("America/New_York");
    assert_eq!(
        new_york.today(utc("2026-01-01T04:59:59Z")).iso(),
        "2025-12-31"
    );
    assert_eq!(
        new_york.today(utc("2026-01-01T05:00:00Z")).iso(),
        "2026-01-01"
    );
}

#[test]
fn start_of_day_on_berlin_dst_days() {
    let berlin = zone("Europe/Berlin");
    // Clocks go forward at 02:00 on 2026-03-29: midnight is still CET (+1).
    assert_eq!(
        berlin.day_range(day("2026-03-29")),
        (utc("2026-03-28T23:00Z"), utc("2026-03-29T22:00Z"))
    );
    // And back at 03:00 on 2026-10-25: midnight is CEST (+2), the day has 25 hours.
    let (start, end) = berlin.day_range(day("2026-10-25"));
    assert_eq!(start, utc("2026-10-24T22:00Z"));
    assert_eq!(end - start, 25 * 3600);
}

#[test]
fn start_of_day_on_new_york_dst_days() {
    let new_york = zone("America/New_York");
    let (start, end) = new_york.day_range(day("2026-03-08"));
    assert_eq!(start, utc("2026-03-08T05:00Z"));
    assert_eq!(end, utc("2026-03-09T04:00Z"));
    assert_eq!(end - start, 23 * 3600);
    let (start, end) = new_york.day_range(day("2026-11-01"));
    assert_eq!(start, utc("2026-11-01T04:00Z"));
    assert_eq!(end, utc("2026-11-02T05:00Z"));
}

#[test]
fn a_midnight_that_dst_skips_starts_the_day_at_one() {
    // Cuba moves its clocks from 00:00 to 01:00 on the second Sunday of March.
    let havana = zone("America/Havana");
    assert_eq!(
        havana.day_start(day("2026-03-08")),
        utc("2026-03-08T05:00Z")
    );
    assert_eq!(
        havana.format(havana.day_start(day("2026-03-08"))),
        "2026-03-08 01:00"
    );
}

#[test]
fn kathmandu_is_five_hours_forty_five_ahead() {
    let kathmandu = zone("Asia/Kathmandu");
    assert_eq!(
        kathmandu.day_start(day("2026-01-01")),
        utc("2025-12-31T18:15Z")
    );
    assert_eq!(
        kathmandu.format(utc("2025-12-31T18:14:59Z")),
        "2025-12-31 23:59"
    );
    assert_eq!(
        kathmandu.format(utc("2025-12-31T18:15:00Z")),
        "2026-01-01 00:00"
    );
    assert_eq!(
        kathmandu.today(utc("2025-12-31T18:15:00Z")).iso(),
        "2026-01-01"
    );
}

#[test]
fn ranges_of_several_days_weeks_and_months() {
    let shanghai = zone("Asia/Shanghai");
    assert_eq!(
        shanghai.days_range(day("2026-12-31"), day("2027-01-01")),
        (utc("2026-12-30T16:00Z"), utc("2027-01-01T16:00Z"))
    );
    // 2026-01-01 is a Thursday; its week began on Monday 2025-12-29.
    assert_eq!(
        shanghai.week_start(day("2026-01-01")),
        utc("2025-12-28T16:00Z")
    );
    let berlin = zone("Europe/Berlin");
    assert_eq!(
        berlin.month_start(day("2026-03-31")),
        utc("2026-02-28T23:00Z")
    );
    // April began in summer time.
    assert_eq!(
        berlin.month_start(day("2026-04-15")),
        utc("2026-03-31T22:00Z")
    );
}

#[test]
fn clock_times_of_a_day() {
    let new_york = zone("America/New_York");
    // 09:00 on the day clocks go forward is EDT already.
    assert_eq!(
        new_york.at_clock(day("2026-03-08"), 9, 0),
        utc("2026-03-08T13:00Z")
    );
    assert_eq!(
        new_york.at_clock(day("2026-03-07"), 9, 0),
        utc("2026-03-07T14:00Z")
    );
    assert_eq!(
        new_york.at_clock(day("2026-03-07"), 99, -5),
        utc("2026-03-08T04:00Z")
    );
}

#[test]
fn formats_in_the_zone_and_survives_any_number() {
    let shanghai = zone("Asia/Shanghai");
    assert_eq!(shanghai.format(0), "1970-01-01 08:00");
    assert_eq!(
        zone("America/New_York").format(utc("2026-07-04T16:30Z")),
        "2026-07-04 12:30"
    );
    // Out-of-range times (a corrupt row) show the range's edge instead of panicking.
    assert_eq!(shanghai.format(i64::MAX), "9999-12-31 06:00");
    assert_eq!(shanghai.format(i64::MIN), "-9999-01-02 10:05");
    assert_eq!(shanghai.day_of(i64::MAX).iso(), "9999-12-31");
    assert_eq!(shanghai.day_of(i64::MIN).iso(), "0001-01-01");
}

#[test]
fn the_last_day_there_is_still_has_an_end() {
    let (start, end) = Zone::utc().day_range(day("9999-12-31"));
    assert_eq!(end - start, 86_400);
}
