//! Which of a tier's backups a restore can use, and the walk back through them.
//!
//! Backup `j` of a tier is taken at `first + j·every` (`first` ≤ 0: with an as-new
//! start, backup 0 is the good one at t = 0; in service, the schedule has a random
//! phase and backup 0 is the last one before the history began). A backup is
//! unusable once a restore has found it bad, or when it was taken while the tier held
//! no data (during a restore or a rebuild). The unusable ones are kept as sorted,
//! disjoint, non-adjacent ranges of indices, so a walk skips any number of them in one
//! step and the cost of a restore is proportional to the backups it tries, not to the
//! backups ever taken.

/// The result of one walk back through the backups.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Walk {
    /// The backup that loaded, if any.
    pub(crate) found: Option<i64>,
    /// Restore attempts, the good one included.
    pub(crate) tried: u64,
    /// The time the attempts took \[h\] (once it passes the walk's budget, further
    /// attempts are counted but not timed: they end after the history does).
    pub(crate) duration: f64,
}

/// The unusable backups of one tier in one history.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Unusable {
    /// Sorted by `lo`; `hi + 1 < next.lo`.
    ranges: Vec<(i64, i64)>,
}

impl Unusable {
    pub(crate) fn clear(&mut self) {
        self.ranges.clear();
    }

    /// Marks backups `lo..=hi` unusable (nothing if `hi < lo`).
    pub(crate) fn mark(&mut self, lo: i64, hi: i64) {
        if hi < lo {
            return;
        }
        // The ranges that touch or overlap [lo - 1, hi + 1] merge with it.
        let start = self.ranges.partition_point(|&(_, h)| h < lo.saturating_sub(1));
        let end = self.ranges.partition_point(|&(l, _)| l <= hi.saturating_add(1));
        let (mut lo, mut hi) = (lo, hi);
        if start < end {
            lo = lo.min(self.ranges[start].0);
            hi = hi.max(self.ranges[end - 1].1);
        }
        self.ranges.splice(start..end, std::iter::once((lo, hi)));
    }

    /// The newest usable backup at or below `j` (negative when there is none).
    pub(crate) fn usable_at_or_below(&self, j: i64) -> i64 {
        let index = self.ranges.partition_point(|&(_, h)| h < j);
        match self.ranges.get(index) {
            Some(&(lo, _)) if lo <= j => lo - 1,
            _ => j,
        }
    }

    /// How many backups in `lo..=hi` are usable.
    fn usable_between(&self, lo: i64, hi: i64) -> u64 {
        if hi < lo {
            return 0;
        }
        let covered: i64 = self
            .ranges
            .iter()
            .map(|&(l, h)| (h.min(hi) - l.max(lo) + 1).max(0))
            .sum();
        (hi - lo + 1 - covered) as u64
    }

    /// Walks back from backup `newest` until one loads: each usable backup is tried
    /// (one `attempt()` of restore time each, while the time spent is below `budget`)
    /// and loads if it is `good_floor` (the as-new backup, always good) or if
    /// `restorable(j)`; a backup that does not load is marked unusable. With
    /// `success` = 0 no backup but the floor is restorable, so they are tried all at
    /// once.
    pub(crate) fn walk(
        &mut self,
        newest: i64,
        good_floor: Option<i64>,
        success: f64,
        mut restorable: impl FnMut(i64) -> bool,
        mut attempt: impl FnMut() -> f64,
        budget: f64,
    ) -> Walk {
        let mut walk = Walk {
            found: None,
            tried: 0,
            duration: 0.0,
        };
        let mut time = |walk: &mut Walk, attempts: u64| {
            walk.tried += attempts;
            for _ in 0..attempts {
                if walk.duration >= budget {
                    break;
                }
                walk.duration += attempt();
            }
        };
        let mut j = self.usable_at_or_below(newest);
        while j >= 0 {
            if Some(j) == good_floor {
                time(&mut walk, 1);
                walk.found = Some(j);
                break;
            }
            if success <= 0.0 {
                let low = good_floor.map_or(0, |floor| floor + 1);
                time(&mut walk, self.usable_between(low, j));
                self.mark(low, j);
            } else {
                time(&mut walk, 1);
                if restorable(j) {
                    walk.found = Some(j);
                    break;
                }
                self.mark(j, j);
            }
            j = self.usable_at_or_below(j - 1);
        }
        walk
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_merge_into_disjoint_ranges() {
        let mut unusable = Unusable::default();
        unusable.mark(5, 7);
        unusable.mark(10, 12);
        unusable.mark(1, 1);
        assert_eq!(unusable.ranges, [(1, 1), (5, 7), (10, 12)]);
        unusable.mark(8, 9); // adjacent on both sides: one range
        assert_eq!(unusable.ranges, [(1, 1), (5, 12)]);
        unusable.mark(0, 3);
        assert_eq!(unusable.ranges, [(0, 3), (5, 12)]);
        unusable.mark(4, 2); // empty
        assert_eq!(unusable.ranges, [(0, 3), (5, 12)]);
        assert_eq!(unusable.usable_at_or_below(12), -1 + 5);
        assert_eq!(unusable.usable_at_or_below(4), 4);
        assert_eq!(unusable.usable_at_or_below(2), -1);
        assert_eq!(unusable.usable_at_or_below(20), 20);
        assert_eq!(unusable.usable_between(0, 20), 9);
    }

    #[test]
    fn a_walk_tries_usable_backups_newest_first() {
        let mut unusable = Unusable::default();
        unusable.mark(8, 9); // found bad by an earlier restore
        let mut tried = Vec::new();
        let walk = unusable.walk(
            10,
            Some(0),
            0.5,
            |j| {
                tried.push(j);
                j == 6
            },
            || 2.0,
            f64::INFINITY,
        );
        assert_eq!(tried, [10, 7, 6]);
        assert_eq!(
            walk,
            Walk {
                found: Some(6),
                tried: 3,
                duration: 6.0
            }
        );
        assert_eq!(unusable.ranges, [(7, 10)]);
        // The next walk from 12 skips the bad ones in one step.
        let mut tried = Vec::new();
        unusable.walk(
            12,
            Some(0),
            0.5,
            |j| {
                tried.push(j);
                j == 5
            },
            || 1.0,
            f64::INFINITY,
        );
        assert_eq!(tried, [12, 11, 6, 5]);
    }

    #[test]
    fn a_walk_with_no_restorable_backup_reaches_the_floor_or_nothing() {
        let mut unusable = Unusable::default();
        let walk = unusable.walk(3, None, 0.5, |_| false, || 1.0, f64::INFINITY);
        assert_eq!((walk.found, walk.tried, walk.duration), (None, 4, 4.0));
        // Never restorable, thirty million backups: tried at once, timed until the
        // budget is spent.
        let mut unusable = Unusable::default();
        unusable.mark(100, 199);
        let walk = unusable.walk(30_000_000, Some(0), 0.0, |_| unreachable!(), || 3.0, 30.0);
        assert_eq!(walk.found, Some(0));
        assert_eq!(walk.tried, 30_000_000 - 100 + 1); // the bad ones, then the floor
        assert_eq!(walk.duration, 30.0);
        assert_eq!(unusable.ranges, [(1, 30_000_000)]);
        let walk = Unusable::default().walk(5, None, 0.0, |_| unreachable!(), || 1.0, f64::INFINITY);
        assert_eq!((walk.found, walk.tried), (None, 6));
    }
}
