//! The pending events of a history: one timer per slot, the earliest found fast.
//!
//! Every component of the plan owns fixed slots (a replica: its next failure or the
//! end of its repair; a failover tier: its next switchover step, its next drill, ...),
//! and each slot holds at most one pending time, or none (`f64::INFINITY`). Nothing is
//! ever stale, so no event needs an epoch or a sequence number. Ties go to the lower
//! slot.
//!
//! Small plans (most models have a few dozen slots at most) keep the times in a plain
//! array: setting a slot costs O(1) and finding the next event is a pass for the
//! earliest time, without branches, and one for the first slot that holds it, which
//! for a few dozen slots is cheaper than keeping a tree. Larger plans keep a
//! tournament tree whose root is the earliest: O(log slots) to set, O(1) to find.

/// Up to this many slots, a scan.
const SCAN: usize = 32;

/// The times a scan compares at once.
const LANES: usize = 4;

/// A fixed set of timers.
#[derive(Debug, Clone)]
pub(crate) struct Timers {
    /// For a tree, `tree[i]` is the earliest (time, slot) below node `i` (root 1, the
    /// leaves at `size + slot` hold each slot's own time; `tree[0]` unused). Keeping
    /// the times in the nodes makes each level of an update two adjacent loads.
    tree: Vec<(f64, u32)>,
    /// The plain array of times of a scan (empty for a tree): times alone, so that the
    /// earliest is found without branches, four lanes at a time.
    times: Vec<f64>,
    size: usize,
    scan: bool,
}

impl Timers {
    /// `slots` timers, none set.
    pub(crate) fn new(slots: usize) -> Timers {
        let scan = slots <= SCAN;
        let size = if scan { slots.max(1) } else { slots.next_power_of_two() };
        let mut timers = Timers {
            tree: if scan {
                Vec::new()
            } else {
                vec![(f64::INFINITY, 0); 2 * size]
            },
            // Padded to whole lanes with times never set.
            times: if scan {
                vec![f64::INFINITY; size.next_multiple_of(LANES)]
            } else {
                Vec::new()
            },
            size,
            scan,
        };
        timers.clear();
        timers
    }

    /// Clears every timer.
    pub(crate) fn clear(&mut self) {
        if self.scan {
            self.times.fill(f64::INFINITY);
            return;
        }
        for slot in 0..self.size {
            self.tree[self.size + slot] = (f64::INFINITY, slot as u32);
        }
        for node in (1..self.size).rev() {
            self.tree[node] = self.tree[2 * node];
        }
    }

    /// Sets `slot` to fire at `time` (`f64::INFINITY`: never).
    #[inline(always)]
    pub(crate) fn set(&mut self, slot: u32, time: f64) {
        debug_assert!(!time.is_nan(), "timer {slot} set to NaN");
        if self.scan {
            self.times[slot as usize] = time;
            return;
        }
        self.set_in_tree(slot, time);
    }

    /// `set` for a tree: the walk up, a call away from the scan's one store.
    #[inline(never)]
    fn set_in_tree(&mut self, slot: u32, time: f64) {
        let mut node = self.size + slot as usize;
        self.tree[node].0 = time;
        while node > 1 {
            let parent = node / 2;
            let (left, right) = (self.tree[2 * parent], self.tree[2 * parent + 1]);
            // Strictly earlier wins; at equal times the lower slot (the left) does.
            let best = if right.0 < left.0 { right } else { left };
            if best.0.to_bits() == self.tree[parent].0.to_bits() && best.1 == self.tree[parent].1 {
                // Nothing above changes.
                break;
            }
            self.tree[parent] = best;
            node = parent;
        }
    }

    /// The time `slot` is set to.
    #[inline]
    pub(crate) fn get(&self, slot: u32) -> f64 {
        if self.scan {
            return self.times[slot as usize];
        }
        self.tree[self.size + slot as usize].0
    }

    /// The earliest slot and its time (`f64::INFINITY` when none is set).
    #[inline]
    pub(crate) fn next(&self) -> (u32, f64) {
        if self.scan {
            // The earliest time without a branch, then the first slot that holds it
            // (times are never NaN). A few times one by one (a time just set is read
            // back as it was written: read two at once, it would wait for the write to
            // land); more, four lanes at a time, started at the first four and met in
            // pairs, so that fewer comparisons wait on one another.
            let min = |a: f64, b: f64| if b < a { b } else { a };
            if self.size <= LANES {
                // One lane of times (padded with times never set): a fixed tree of
                // three comparisons, and the slot found among four.
                let lane: &[f64; LANES] = self.times[..LANES].try_into().expect("a whole lane");
                let earliest = min(min(lane[0], lane[1]), min(lane[2], lane[3]));
                let slot = lane.iter().position(|&time| time == earliest).unwrap_or(0);
                return (slot as u32, earliest);
            }
            let earliest = {
                let (first, rest) = self.times.split_at(LANES);
                let mut lanes: [f64; LANES] = first.try_into().expect("more than four times");
                for chunk in rest.chunks_exact(LANES) {
                    for (lane, &time) in lanes.iter_mut().zip(chunk) {
                        *lane = min(*lane, time);
                    }
                }
                min(min(lanes[0], lanes[1]), min(lanes[2], lanes[3]))
            };
            let slot = self.times.iter().position(|&time| time == earliest).unwrap_or(0);
            return (slot as u32, earliest);
        }
        // With one slot, its leaf is the root.
        let (time, slot) = self.tree[1];
        (slot, time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The earliest slot by a plain scan, lower slot first at ties.
    fn scan(times: &[f64]) -> (u32, f64) {
        let mut best = (0, times[0]);
        for (slot, &time) in times.iter().enumerate() {
            if time < best.1 {
                best = (slot as u32, time);
            }
        }
        best
    }

    #[test]
    fn next_is_the_earliest_with_ties_to_the_lower_slot() {
        for slots in [1usize, 2, 3, 5, 8, 13, 32, 33, 70] {
            let mut timers = Timers::new(slots);
            let mut times = vec![f64::INFINITY; slots];
            assert_eq!(timers.next(), (0, f64::INFINITY));
            // A deterministic pseudo-random sequence of updates, with many ties.
            let mut z = 12345u64;
            for _ in 0..2000 {
                z = z.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let slot = (z >> 33) as usize % slots;
                let time = if (z >> 20).is_multiple_of(7) {
                    f64::INFINITY
                } else {
                    ((z >> 40) % 16) as f64
                };
                timers.set(slot as u32, time);
                times[slot] = time;
                let (got_slot, got_time) = timers.next();
                let (want_slot, want_time) = scan(&times);
                assert_eq!(got_time, want_time);
                if want_time.is_finite() {
                    assert_eq!(got_slot, want_slot, "slots {slots}, times {times:?}");
                }
                assert_eq!(timers.get(slot as u32), time);
            }
            timers.clear();
            assert_eq!(timers.next().1, f64::INFINITY);
        }
    }
}
