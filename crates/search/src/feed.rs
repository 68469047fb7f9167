//! Where a node's index stands in the shared change log. Log numbers are handed out when
//! a row is written but become visible when its transaction commits, so on PostgreSQL a
//! later number can be seen before an earlier one. A missing number is a *gap*: it is
//! looked for again on every poll until it turns up or `GAP_WAIT` passes (a rolled-back
//! transaction leaves a gap for good). `applied` — everything up to it is in the index —
//! stops before the oldest open gap; it is what an index commit records, so a restart
//! re-reads what came after (applying a change twice is harmless: documents are
//! replaced, not added).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How long a missing log number is waited for.
pub const GAP_WAIT: Duration = Duration::from_secs(600);

/// More missing numbers than this at once are not tracked one by one (a pruned or
/// restored log): the cursor simply moves on.
const MAX_GAPS: usize = 10_000;

#[derive(Debug, Clone)]
pub struct Feed {
    /// Every log row up to here is in the index.
    applied: i64,
    /// The highest log row read.
    seen: i64,
    /// Missing numbers below `seen`, with when they were first missed.
    gaps: BTreeMap<i64, Instant>,
}

impl Feed {
    pub fn new(applied: i64) -> Feed {
        Feed {
            applied,
            seen: applied,
            gaps: BTreeMap::new(),
        }
    }

    pub fn applied(&self) -> i64 {
        self.applied
    }

    pub fn seen(&self) -> i64 {
        self.seen
    }

    /// The missing numbers to look for again.
    pub fn gaps(&self) -> Vec<i64> {
        self.gaps.keys().copied().collect()
    }

    /// Records rows read after `seen` (ascending) and those of the gaps that turned up.
    pub fn record(&mut self, read: &[i64], found_gaps: &[i64], now: Instant) {
        for g in found_gaps {
            self.gaps.remove(g);
        }
        for &seq in read {
            if seq <= self.seen {
                continue;
            }
            let missing = seq - self.seen - 1;
            if missing > 0 && (self.gaps.len() as i64 + missing) <= MAX_GAPS as i64 {
                for m in self.seen + 1..seq {
                    self.gaps.insert(m, now);
                }
            }
            self.seen = seq;
        }
        self.gaps
            .retain(|_, first| now.saturating_duration_since(*first) < GAP_WAIT);
        self.applied = match self.gaps.keys().next() {
            Some(first) => first - 1,
            None => self.seen,
        };
    }

    /// After a rebuild that read the store up to log row `head`: the numbers missing in
    /// `(from, head]` (`present` lists those there) may still be committed.
    pub fn rebuilt(head: i64, from: i64, present: &[i64], now: Instant) -> Feed {
        let mut feed = Feed::new(from);
        let mut all = present.to_vec();
        all.push(head + 1);
        feed.record(&all, &[], now);
        // `head + 1` was a marker, not a row read.
        feed.seen = head;
        feed.gaps.retain(|g, _| *g <= head);
        feed.applied = match feed.gaps.keys().next() {
            Some(first) => first - 1,
            None => head,
        };
        feed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_rows_move_the_cursor() {
        let now = Instant::now();
        let mut f = Feed::new(0);
        f.record(&[1, 2, 3], &[], now);
        assert_eq!((f.applied(), f.seen()), (3, 3));
        assert!(f.gaps().is_empty());
    }

    #[test]
    fn a_gap_holds_the_cursor_until_it_fills() {
        let now = Instant::now();
        let mut f = Feed::new(10);
        f.record(&[11, 13, 14], &[], now);
        assert_eq!(f.applied(), 11);
        assert_eq!(f.seen(), 14);
        assert_eq!(f.gaps(), vec![12]);
        f.record(&[15], &[12], now);
        assert_eq!(f.applied(), 15);
    }

    #[test]
    fn a_gap_is_given_up_after_the_wait() {
        let start = Instant::now();
        let mut f = Feed::new(0);
        f.record(&[2], &[], start);
        assert_eq!(f.applied(), 0);
        f.record(&[], &[], start + GAP_WAIT + Duration::from_secs(1));
        assert_eq!(f.applied(), 2);
    }

    #[test]
    fn a_rebuild_watches_the_recent_gaps() {
        let now = Instant::now();
        let f = Feed::rebuilt(10, 5, &[6, 7, 9, 10], now);
        assert_eq!(f.gaps(), vec![8]);
        assert_eq!((f.applied(), f.seen()), (7, 10));
        let f = Feed::rebuilt(10, 5, &[6, 7, 8, 9, 10], now);
        assert_eq!((f.applied(), f.seen()), (10, 10));
        let f = Feed::rebuilt(0, 0, &[], now);
        assert_eq!(f.applied(), 0);
    }
}
