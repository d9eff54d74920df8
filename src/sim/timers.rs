//! The pending events of a history: one timer per slot, the earliest found in O(1).
//!
//! Every component of the plan owns fixed slots (a replica: its next failure or the
//! end of its repair; a failover tier: its next switchover step, its next drill, ...),
//! and each slot holds at most one pending time, or none (`f64::INFINITY`). A
//! tournament tree over the slots keeps the earliest at its root: setting a slot costs
//! O(log slots), finding the next event O(1), and nothing is ever stale, so no event
//! needs an epoch or a sequence number. Ties go to the lower slot.

/// A fixed set of timers.
#[derive(Debug, Clone)]
pub(crate) struct Timers {
    /// The slots' times, padded with infinities to a power of two.
    times: Vec<f64>,
    /// `tree[i]` is the slot with the earliest time below node `i` (root 1, leaves at
    /// `size + slot`); `tree[0]` is unused.
    tree: Vec<u32>,
    size: usize,
}

impl Timers {
    /// `slots` timers, none set.
    pub(crate) fn new(slots: usize) -> Timers {
        let size = slots.max(1).next_power_of_two();
        let mut tree = vec![0; 2 * size];
        for (slot, leaf) in tree[size..].iter_mut().enumerate() {
            *leaf = slot as u32;
        }
        let mut timers = Timers {
            times: vec![f64::INFINITY; size],
            tree,
            size,
        };
        for node in (1..size).rev() {
            timers.tree[node] = timers.earlier(timers.tree[2 * node], timers.tree[2 * node + 1]);
        }
        timers
    }

    #[inline]
    fn earlier(&self, a: u32, b: u32) -> u32 {
        // Strictly earlier wins; at equal times the lower slot (always `a`, the left
        // subtree) does.
        if self.times[b as usize] < self.times[a as usize] {
            b
        } else {
            a
        }
    }

    /// Clears every timer.
    pub(crate) fn clear(&mut self) {
        self.times.fill(f64::INFINITY);
        for node in (1..self.size).rev() {
            self.tree[node] = self.tree[2 * node];
        }
    }

    /// Sets `slot` to fire at `time` (`f64::INFINITY`: never).
    #[inline]
    pub(crate) fn set(&mut self, slot: u32, time: f64) {
        debug_assert!(!time.is_nan(), "timer {slot} set to NaN");
        self.times[slot as usize] = time;
        let mut node = (self.size + slot as usize) / 2;
        while node >= 1 {
            let best = self.earlier(self.tree[2 * node], self.tree[2 * node + 1]);
            if self.tree[node] == best && best != slot {
                // Nothing above changes unless the winner below changed or is `slot`.
                break;
            }
            self.tree[node] = best;
            node /= 2;
        }
    }

    /// The time `slot` is set to.
    #[inline]
    pub(crate) fn get(&self, slot: u32) -> f64 {
        self.times[slot as usize]
    }

    /// The earliest slot and its time (`f64::INFINITY` when none is set).
    #[inline]
    pub(crate) fn next(&self) -> (u32, f64) {
        let slot = if self.size == 1 { 0 } else { self.tree[1] };
        (slot, self.times[slot as usize])
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
        for slots in [1usize, 2, 3, 5, 8, 13] {
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
