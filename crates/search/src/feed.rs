//! Where a node's index stands in the shared change log. Log numbers are handed out when
//! a row is written but become visible when its transaction commits, so on PostgreSQL a
//! later number can be seen before an earlier one. Missing numbers are *gaps* (kept as
//! ranges, however many): they are looked for again on every poll until they turn up or
//! cannot turn up any more — when every transaction still running on the database began
//! after the gap was first seen (the one holding those numbers began before), or, where
//! the database cannot tell (SQLite, whose writers never leave gaps), after `GAP_WAIT`.
//! `applied` — everything up to it is in the index — stops before the oldest open gap;
//! it is what an index commit records, so a restart re-reads what came after (applying
//! a change twice is harmless: documents are replaced, not added).

use std::collections::BTreeMap;

/// How long a missing log number is waited for when the database cannot say whether a
/// transaction still holds it.
pub const GAP_WAIT_MS: i64 = 600_000;

/// A run of missing numbers and when (database clock, ms) it was first missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Gap {
    end: i64,
    since_ms: i64,
}

#[derive(Debug, Clone)]
pub struct Feed {
    /// The highest log row read.
    seen: i64,
    /// Missing ranges below `seen`, by first number.
    gaps: BTreeMap<i64, Gap>,
}

/// The database's clock and, where it can tell, the start of its oldest running
/// transaction (both ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub now_ms: i64,
    pub oldest_transaction_ms: Option<i64>,
    /// Whether the database can tell (PostgreSQL) or not (SQLite).
    pub knows_transactions: bool,
}

impl Feed {
    pub fn new(applied: i64) -> Feed {
        Feed {
            seen: applied,
            gaps: BTreeMap::new(),
        }
    }

    /// Every log row up to here is in the index: just before the oldest open gap.
    pub fn applied(&self) -> i64 {
        match self.gaps.keys().next() {
            Some(first) => first - 1,
            None => self.seen,
        }
    }

    pub fn seen(&self) -> i64 {
        self.seen
    }

    /// The missing ranges to look for again (inclusive).
    pub fn gaps(&self) -> Vec<(i64, i64)> {
        self.gaps.iter().map(|(s, g)| (*s, g.end)).collect()
    }

    /// Records rows read after `seen` (ascending) and the rows found inside gaps.
    /// `clock` must be read before the rows were; `gaps_read_whole` says the gaps' rows
    /// were all read (not cut by a limit) — only then can a gap whose transaction has
    /// ended be closed, its committed rows being among those read.
    pub fn record(
        &mut self,
        read: &[i64],
        found_in_gaps: &[i64],
        clock: Clock,
        gaps_read_whole: bool,
    ) {
        for &seq in found_in_gaps {
            self.fill(seq);
        }
        for &seq in read {
            if seq <= self.seen {
                self.fill(seq);
                continue;
            }
            if seq > self.seen + 1 {
                self.gaps.insert(
                    self.seen + 1,
                    Gap {
                        end: seq - 1,
                        since_ms: clock.now_ms,
                    },
                );
            }
            self.seen = seq;
        }
        self.gaps.retain(|_, g| {
            if !gaps_read_whole || g.since_ms >= clock.now_ms {
                // Not all read yet, or missed only now (after the clock was read).
                return true;
            }
            let closed = if clock.knows_transactions {
                // The transaction holding these numbers began before they were missed:
                // once every running one began later, it is gone (rolled back).
                clock
                    .oldest_transaction_ms
                    .is_none_or(|oldest| oldest > g.since_ms)
            } else {
                clock.now_ms - g.since_ms >= GAP_WAIT_MS
            };
            !closed
        });
    }

    /// Removes one number from the gap holding it.
    fn fill(&mut self, seq: i64) {
        let Some((&start, &gap)) = self.gaps.range(..=seq).next_back() else {
            return;
        };
        if seq > gap.end {
            return;
        }
        self.gaps.remove(&start);
        if start < seq {
            self.gaps.insert(
                start,
                Gap {
                    end: seq - 1,
                    since_ms: gap.since_ms,
                },
            );
        }
        if seq < gap.end {
            self.gaps.insert(
                seq + 1,
                Gap {
                    end: gap.end,
                    since_ms: gap.since_ms,
                },
            );
        }
    }

    /// After a rebuild that read the store once the log had reached `head`: the numbers
    /// missing in `(from, head]` (`present` lists those there) may still be committed.
    pub fn rebuilt(head: i64, from: i64, present: &[i64], clock: Clock) -> Feed {
        let mut feed = Feed::new(from);
        feed.record(present, &[], clock, false);
        if head > feed.seen {
            feed.gaps.insert(
                feed.seen + 1,
                Gap {
                    end: head,
                    since_ms: clock.now_ms,
                },
            );
            feed.seen = head;
        }
        feed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(now_ms: i64) -> Clock {
        Clock {
            now_ms,
            oldest_transaction_ms: None,
            knows_transactions: false,
        }
    }

    fn postgres(now_ms: i64, oldest: Option<i64>) -> Clock {
        Clock {
            now_ms,
            oldest_transaction_ms: oldest,
            knows_transactions: true,
        }
    }

    #[test]
    fn contiguous_rows_move_the_cursor() {
        let mut f = Feed::new(0);
        f.record(&[1, 2, 3], &[], sqlite(0), true);
        assert_eq!((f.applied(), f.seen()), (3, 3));
        assert!(f.gaps().is_empty());
    }

    #[test]
    fn a_gap_holds_the_cursor_until_it_fills() {
        let mut f = Feed::new(10);
        f.record(&[11, 13, 14], &[], sqlite(0), true);
        assert_eq!(f.applied(), 11);
        assert_eq!(f.seen(), 14);
        assert_eq!(f.gaps(), vec![(12, 12)]);
        f.record(&[15], &[12], sqlite(1), true);
        assert_eq!(f.applied(), 15);
    }

    #[test]
    fn a_long_transaction_is_waited_for_however_many_rows_it_holds() {
        // A 200,000-row import holds 1..=200_000 while number 200_001 commits.
        let mut f = Feed::new(0);
        f.record(&[200_001], &[], postgres(1_000, Some(500)), true);
        assert_eq!(f.gaps(), vec![(1, 200_000)]);
        assert_eq!(f.applied(), 0);
        // Long after any time limit, the import is still running: still waited for.
        f.record(&[], &[], postgres(10_000_000, Some(500)), true);
        assert_eq!(f.applied(), 0);
        // It commits: its rows are found in pieces; the gap shrinks, then closes.
        let first: Vec<i64> = (1..=2_000).collect();
        f.record(&[], &first, postgres(10_000_100, None), false);
        assert_eq!(f.gaps(), vec![(2_001, 200_000)]);
        assert_eq!(f.applied(), 2_000);
        let rest: Vec<i64> = (2_001..=200_000).collect();
        f.record(&[], &rest, postgres(10_000_200, None), true);
        assert_eq!(f.applied(), 200_001);
    }

    #[test]
    fn a_rolled_back_gap_closes_when_no_older_transaction_runs() {
        let mut f = Feed::new(0);
        f.record(&[1, 3], &[], postgres(1_000, Some(900)), true);
        assert_eq!(f.applied(), 1);
        // A transaction that began before the gap was seen may still hold 2.
        f.record(&[], &[], postgres(2_000, Some(900)), true);
        assert_eq!(f.applied(), 1);
        // Every running transaction began after: 2 was rolled back.
        f.record(&[], &[], postgres(3_000, Some(2_500)), true);
        assert_eq!(f.applied(), 3);
    }

    #[test]
    fn without_transaction_knowledge_a_gap_waits_a_while() {
        let mut f = Feed::new(0);
        f.record(&[2], &[], sqlite(0), true);
        assert_eq!(f.applied(), 0);
        f.record(&[], &[], sqlite(GAP_WAIT_MS + 1), true);
        assert_eq!(f.applied(), 2);
    }

    #[test]
    fn a_rebuild_watches_the_recent_gaps() {
        let c = postgres(0, Some(-1));
        let f = Feed::rebuilt(10, 5, &[6, 7, 9, 10], c);
        assert_eq!(f.gaps(), vec![(8, 8)]);
        assert_eq!((f.applied(), f.seen()), (7, 10));
        let f = Feed::rebuilt(10, 5, &[6, 7, 8, 9, 10], c);
        assert_eq!((f.applied(), f.seen()), (10, 10));
        let f = Feed::rebuilt(0, 0, &[], c);
        assert_eq!(f.applied(), 0);
        // Rows after the last present one up to the head are watched too.
        let f = Feed::rebuilt(10, 5, &[6], c);
        assert_eq!(f.gaps(), vec![(7, 10)]);
    }
}
