//! A contact record as written in a form or sent to the API, and its checks: content
//! required and bounded, a real kind, a contact time not in the future, a revisit day
//! not before today, a reminder not in the past (an unchanged one may be).

use super::{MAX_CONTENT, MAX_DAYS_AHEAD, RecordKind};
use crate::DomainError;
use crate::validate::FieldErrors;
use crate::zone::{Day, Zone};

/// What a record says; the customer and the author come from the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordInput {
    pub kind: String,
    /// One of the customer's contacts (the store checks it belongs to the customer).
    pub contact_id: Option<i64>,
    pub content: String,
    /// The follow-up progress (跟踪进程): an item of the `followup_stage` dictionary.
    pub progress_id: Option<i64>,
    /// When the contact happened (UTC seconds).
    pub happened_at: i64,
    /// The day to contact the customer again, in the company's calendar.
    pub next_revisit: Option<Day>,
    /// When to remind the author (UTC seconds).
    pub remind_at: Option<i64>,
}

impl RecordInput {
    /// Checks the input at `now` in the company's `zone`. `previous_remind_at` is the
    /// stored reminder of a record being edited: keeping it as it was is always fine.
    pub fn validate(
        mut self,
        now: i64,
        zone: &Zone,
        previous_remind_at: Option<i64>,
    ) -> Result<(RecordInput, RecordKind), DomainError> {
        let mut e = FieldErrors::default();
        let kind = RecordKind::from_code(self.kind.trim());
        if kind.is_none() {
            e.add("kind", "invalid_choice");
        }
        self.content = e.text_block("content", &self.content, true, MAX_CONTENT);
        let today = zone.today(now);
        // A minute's grace for clocks a little apart.
        if self.happened_at > now + 60 {
            e.add("happened_at", "in_future");
        } else if self.happened_at < zone.day_start(today.plus_days(-MAX_DAYS_AHEAD * 4)) {
            e.add("happened_at", "out_of_range");
        }
        if let Some(day) = self.next_revisit {
            if day < today {
                e.add("next_revisit", "revisit_in_past");
            } else if day > today.plus_days(MAX_DAYS_AHEAD) {
                e.add("next_revisit", "out_of_range");
            }
        }
        if let Some(at) = self.remind_at
            && Some(at) != previous_remind_at
        {
            if at < now - 60 {
                e.add("remind_at", "reminder_in_past");
            } else if at > now + MAX_DAYS_AHEAD * 86_400 {
                e.add("remind_at", "out_of_range");
            }
        }
        if self.contact_id.is_some_and(|c| c <= 0) {
            e.add("contact_id", "invalid_choice");
        }
        e.into_result()?;
        match kind {
            Some(k) => Ok((self, k)),
            None => Err(DomainError::field("kind", "invalid_choice")),
        }
    }
}

/// Reads a `datetime-local` value (`2026-12-07T10:30`, also with a space or seconds)
/// as a local day and clock time; `None` when it is not one.
pub fn parse_local_datetime(text: &str) -> Option<(Day, i64, i64)> {
    let text = text.trim();
    let (date, time) = text.split_once(['T', ' '])?;
    let day = Day::parse_iso(date)?;
    let mut parts = time.split(':');
    let mut num = |max: i64| -> Option<i64> {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok().filter(|v| *v <= max)
    };
    let (hour, minute) = (num(23)?, num(59)?);
    if let Some(s) = parts.next()
        && (s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    Some((day, hour, minute))
}

/// A time as the `datetime-local` input shows it in the company's zone.
pub fn local_datetime(zone: &Zone, unix: i64) -> String {
    zone.format(unix).replacen(' ', "T", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_083_200 + 3 * 3600; // 2026-12-01 11:00 in Shanghai

    fn zone() -> Zone {
        Zone::named("Asia/Shanghai").unwrap_or_else(|_| Zone::utc())
    }

    fn input() -> RecordInput {
        RecordInput {
            kind: "call".into(),
            contact_id: None,
            content: "Asked for the price list".into(),
            progress_id: None,
            happened_at: NOW - 600,
            next_revisit: None,
            remind_at: None,
        }
    }

    fn codes(i: RecordInput, previous: Option<i64>) -> Vec<(String, String)> {
        match i.validate(NOW, &zone(), previous) {
            Ok(_) => Vec::new(),
            Err(DomainError::Invalid(e)) => {
                e.0.iter()
                    .map(|f| (f.field.to_string(), f.code.to_string()))
                    .collect()
            }
            Err(other) => vec![("?".into(), other.code().into())],
        }
    }

    fn one(field: &str, code: &str) -> Vec<(String, String)> {
        vec![(field.into(), code.into())]
    }

    #[test]
    fn a_plain_call_passes() {
        let (ok, kind) = input()
            .validate(NOW, &zone(), None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kind, RecordKind::Call);
        assert_eq!(ok.content, "Asked for the price list");
    }

    #[test]
    fn bad_input_gets_a_code_per_field() {
        let cases: Vec<(RecordInput, Vec<(String, String)>)> = vec![
            (
                RecordInput {
                    content: "  ".into(),
                    ..input()
                },
                one("content", "required"),
            ),
            (
                RecordInput {
                    content: "x".repeat(MAX_CONTENT + 1),
                    ..input()
                },
                one("content", "too_long"),
            ),
            (
                RecordInput {
                    kind: "fax".into(),
                    ..input()
                },
                one("kind", "invalid_choice"),
            ),
            (
                RecordInput {
                    happened_at: NOW + 3600,
                    ..input()
                },
                one("happened_at", "in_future"),
            ),
            (
                RecordInput {
                    next_revisit: Day::new(2026, 11, 30),
                    ..input()
                },
                one("next_revisit", "revisit_in_past"),
            ),
            (
                RecordInput {
                    next_revisit: Day::new(2040, 1, 1),
                    ..input()
                },
                one("next_revisit", "out_of_range"),
            ),
            (
                RecordInput {
                    remind_at: Some(NOW - 3600),
                    ..input()
                },
                one("remind_at", "reminder_in_past"),
            ),
            (
                RecordInput {
                    contact_id: Some(-3),
                    ..input()
                },
                one("contact_id", "invalid_choice"),
            ),
        ];
        for (i, expected) in cases {
            assert_eq!(codes(i.clone(), None), expected, "{i:?}");
        }
    }

    #[test]
    fn today_is_a_fine_revisit_day_and_an_old_reminder_may_stay() {
        let today = RecordInput {
            next_revisit: Day::new(2026, 12, 1),
            ..input()
        };
        assert!(codes(today, None).is_empty());
        let kept = RecordInput {
            remind_at: Some(NOW - 3600),
            ..input()
        };
        assert!(codes(kept, Some(NOW - 3600)).is_empty());
    }

    #[test]
    fn datetime_local_values() {
        let d = Day::new(2026, 12, 7);
        assert_eq!(
            parse_local_datetime("2026-12-07T10:30").map(|x| Some(x.0) == d),
            Some(true)
        );
        assert_eq!(
            parse_local_datetime("2026-12-07 10:30:15").map(|x| (x.1, x.2)),
            Some((10, 30))
        );
        for bad in [
            "",
            "2026-12-07",
            "2026-12-07T25:00",
            "2026-13-01T10:00",
            "2026-12-07T10:3x",
        ] {
            assert_eq!(parse_local_datetime(bad), None, "{bad}");
        }
        let z = zone();
        assert_eq!(local_datetime(&z, NOW), "2026-12-01T11:00");
    }
}
