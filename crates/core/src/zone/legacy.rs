//! Reads the setting that came before named zones (`utc_offset_minutes`, minutes east
//! of UTC) as a zone, for migration 0017.

/// The zone that keeps the company's clocks where the offset put them, or `None` when
/// no IANA zone has that fixed offset (not whole hours, or beyond −12 / +14 hours).
/// 480 is China's and becomes `Asia/Shanghai`; other whole hours become `Etc/GMT±N`,
/// whose sign is POSIX's and so the opposite of the offset's (`+2:00` is `Etc/GMT-2`).
pub fn zone_for_utc_offset(minutes: i64) -> Option<String> {
    if minutes == 480 {
        return Some("Asia/Shanghai".into());
    }
    if minutes == 0 {
        return Some("UTC".into());
    }
    if minutes % 60 != 0 || !(-12 * 60..=14 * 60).contains(&minutes) {
        return None;
    }
    let hours = minutes / 60;
    Some(if hours > 0 {
        format!("Etc/GMT-{hours}")
    } else {
        format!("Etc/GMT+{}", -hours)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zone::Zone;

    #[test]
    fn china_becomes_shanghai_and_whole_hours_a_fixed_zone() {
        assert_eq!(zone_for_utc_offset(480).as_deref(), Some("Asia/Shanghai"));
        assert_eq!(zone_for_utc_offset(0).as_deref(), Some("UTC"));
        assert_eq!(zone_for_utc_offset(60).as_deref(), Some("Etc/GMT-1"));
        assert_eq!(zone_for_utc_offset(-300).as_deref(), Some("Etc/GMT+5"));
        assert_eq!(zone_for_utc_offset(840).as_deref(), Some("Etc/GMT-14"));
        assert_eq!(zone_for_utc_offset(-720).as_deref(), Some("Etc/GMT+12"));
    }

    #[test]
    fn offsets_no_zone_holds_are_none() {
        for minutes in [330, 345, -210, 900, -780, 1] {
            assert_eq!(zone_for_utc_offset(minutes), None, "{minutes}");
        }
    }

    #[test]
    fn every_mapped_zone_exists_and_keeps_the_offset() {
        let summer = 1_751_328_000; // 2025-07-01 00:00 UTC
        for hours in -12..=14 {
            let name = zone_for_utc_offset(hours * 60).expect("whole hours map");
            let zone = Zone::named(&name).unwrap_or_else(|e| panic!("{name}: {e}"));
            let local_midnight = zone.day_start(zone.day_of(summer));
            assert_eq!(
                (summer - local_midnight).rem_euclid(86_400),
                (hours * 3600).rem_euclid(86_400),
                "{name}"
            );
        }
    }
}
