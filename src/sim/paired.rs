//! Options side by side, history by history: what each history of each option yields
//! for a comparison, and the accumulators of its cost and of the differences between
//! every two options.
//!
//! Options run on common random numbers: history `i` of every option draws from the
//! same named streams, so the difference between two options, taken history by
//! history, varies far less than either option does. Its standard error comes from
//! the spread of those per-history differences (a paired estimate), not from the two
//! options' own spreads (which is what two independent runs would give).

use serde::{Deserialize, Serialize};

use super::books::Window;
use super::engine::{Class, Happening, Observer};
use crate::cost::Economics;
use crate::stats::Moments;

/// The most options whose differences are paired: each pair keeps its own
/// accumulators (some 2.5 kB), and every worker thread holds a set, so their number
/// grows as the square of the options (16 options, 120 pairs, some 300 kB a set). A
/// run of more options reports no paired differences and says so in a warning.
pub const MAX_PAIRED_OPTIONS: usize = 16;

/// What one history of one option yields for comparisons, per year, averaged over its
/// measured windows: downtime \[h\], data lost \[h\], and the part of the yearly cost
/// that depends on the history (the downtime cost plus the data-loss cost), with its
/// two parts. The infrastructure, the same every year, is left out: power sums of
/// values with a large common offset lose their spread to rounding (see
/// [`crate::stats`]), and it is added back to the estimates exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Outcome {
    pub(crate) downtime: f64,
    pub(crate) data_lost: f64,
    pub(crate) cost: f64,
    pub(crate) downtime_cost: f64,
    pub(crate) data_loss_cost: f64,
}

impl Outcome {
    /// The figures two options are compared on: downtime, data lost, cost.
    fn compared(&self) -> [f64; 3] {
        [self.downtime, self.data_lost, self.cost]
    }

    /// The figures whose own spread the report needs beyond the tally's: the cost
    /// and its two parts.
    fn costs(&self) -> [f64; 3] {
        [self.cost, self.downtime_cost, self.data_loss_cost]
    }
}

/// An observer that passes everything on to `inner` (the option's tally) and keeps
/// the history's [`Outcome`].
pub(crate) struct Recorder<'a, O> {
    pub(crate) inner: &'a mut O,
    economics: &'a Economics,
    /// Years per hour of window.
    per_year: f64,
    sum: Outcome,
    windows: u32,
}

impl<'a, O: Observer> Recorder<'a, O> {
    pub(crate) fn new(inner: &'a mut O, economics: &'a Economics, horizon: f64) -> Self {
        Recorder {
            inner,
            economics,
            per_year: crate::HOURS_PER_YEAR / horizon,
            sum: Outcome::default(),
            windows: 0,
        }
    }

    /// The history's outcome: the mean of its windows'.
    pub(crate) fn outcome(&self) -> Outcome {
        let n = f64::from(self.windows.max(1));
        let s = &self.sum;
        Outcome {
            downtime: s.downtime / n,
            data_lost: s.data_lost / n,
            cost: s.cost / n,
            downtime_cost: s.downtime_cost / n,
            data_loss_cost: s.data_loss_cost / n,
        }
    }
}

impl<O: Observer> Observer for Recorder<'_, O> {
    #[inline]
    fn outage(&mut self, start: f64, end: f64, cut: bool, class: Class, planned: bool) {
        self.inner.outage(start, end, cut, class, planned);
    }

    #[inline]
    fn data_loss(&mut self, hours: f64) {
        self.inner.data_loss(hours);
    }

    #[inline]
    fn disruption(&mut self, class: Class, hours: Option<f64>) {
        self.inner.disruption(class, hours);
    }

    fn window(&mut self, window: &Window) {
        self.inner.window(window);
        let scale = self.per_year;
        let [downtime_cost, data_loss_cost] = self.economics.yearly_costs(window, scale);
        self.sum.downtime += window.downtime * scale;
        self.sum.data_lost += window.data_lost * scale;
        self.sum.downtime_cost += downtime_cost;
        self.sum.data_loss_cost += data_loss_cost;
        self.sum.cost += downtime_cost + data_loss_cost;
        self.windows += 1;
    }

    #[inline]
    fn happening(&mut self, at: f64, what: Happening) {
        self.inner.happening(at, what);
    }
}

/// The accumulators of a comparison: per option, the spread of its yearly cost and
/// cost parts; per two options, the spread of their differences, history by history.
/// Like a tally, it merges exactly, whatever the grouping of chunks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Comparison {
    options: usize,
    /// Per option: its cost beyond the infrastructure, downtime cost and data-loss cost
    /// per year, per history.
    costs: Vec<[Moments; 3]>,
    /// Per two options `i < j`, in the order (0, 1), (0, 2), ..., (1, 2), ...: option
    /// `i`'s downtime, data lost and cost per year minus option `j`'s, per history
    /// both ran. Empty beyond [`MAX_PAIRED_OPTIONS`].
    pairs: Vec<[Moments; 3]>,
}

impl Comparison {
    pub(crate) fn new(options: usize) -> Comparison {
        let pairs = if options <= MAX_PAIRED_OPTIONS {
            options * options.saturating_sub(1) / 2
        } else {
            0
        };
        Comparison {
            options,
            costs: vec![[Moments::default(); 3]; options],
            pairs: vec![[Moments::default(); 3]; pairs],
        }
    }

    /// Whether the differences between options are kept.
    pub(crate) fn paired(&self) -> bool {
        !self.pairs.is_empty() || self.options < 2
    }

    /// The index of the pair of options `i < j`.
    fn pair(&self, i: usize, j: usize) -> usize {
        debug_assert!(i < j && j < self.options);
        i * (2 * self.options - i - 1) / 2 + (j - i - 1)
    }

    /// Adds one chunk: `outcomes[k]` holds option `k`'s histories of the chunk, in
    /// history order, empty for an option that no longer runs. Then closes the chunk's
    /// partial sums.
    pub(crate) fn add_chunk(&mut self, outcomes: &[Vec<Outcome>]) {
        debug_assert_eq!(outcomes.len(), self.options);
        for (moments, histories) in self.costs.iter_mut().zip(outcomes) {
            for outcome in histories {
                for (m, x) in moments.iter_mut().zip(outcome.costs()) {
                    m.push(x);
                }
            }
        }
        if !self.pairs.is_empty() {
            for i in 0..self.options {
                for j in i + 1..self.options {
                    let (a, b) = (&outcomes[i], &outcomes[j]);
                    if a.is_empty() || b.is_empty() {
                        continue;
                    }
                    debug_assert_eq!(a.len(), b.len(), "options run the same histories");
                    let pair = self.pair(i, j);
                    let moments = &mut self.pairs[pair];
                    for (x, y) in a.iter().zip(b) {
                        for ((m, x), y) in moments.iter_mut().zip(x.compared()).zip(y.compared()) {
                            m.push(x - y);
                        }
                    }
                }
            }
        }
        self.costs.iter_mut().flatten().for_each(Moments::close);
        self.pairs.iter_mut().flatten().for_each(Moments::close);
    }

    /// Adds another set of chunks' accumulators, exactly.
    pub(crate) fn merge(&mut self, other: &Comparison) {
        debug_assert!(self.same_shape(other));
        for (mine, theirs) in self.costs.iter_mut().zip(&other.costs) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                m.merge(t);
            }
        }
        for (mine, theirs) in self.pairs.iter_mut().zip(&other.pairs) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                m.merge(t);
            }
        }
    }

    pub(crate) fn same_shape(&self, other: &Comparison) -> bool {
        self.options == other.options && self.costs.len() == other.costs.len() && self.pairs.len() == other.pairs.len()
    }

    /// Whether one read back is one a run of `options` options over `histories`
    /// histories could have built: its shape, and every accumulator empty (nothing
    /// recorded) or holding those histories.
    pub(crate) fn check(&self, options: usize, histories: u64) -> Result<(), String> {
        if !self.same_shape(&Comparison::new(options)) {
            return Err(format!(
                "its comparison holds {} options and {} pairs, not {options} options",
                self.costs.len(),
                self.pairs.len()
            ));
        }
        let counts = self.costs.iter().chain(&self.pairs).flatten().map(Moments::count);
        if let Some(count) = counts.into_iter().find(|&n| n != 0 && n != histories) {
            return Err(format!(
                "its comparison holds {count} histories where the shard ran {histories}"
            ));
        }
        Ok(())
    }
}

impl crate::compare::Paired for Comparison {
    fn costs(&self, k: usize) -> &[Moments; 3] {
        &self.costs[k]
    }

    /// The pairs hold `i − j` for `i < j` only: the moments of `j − i` are those of
    /// `i − j`, to be mirrored. `None` for `i == j` too.
    fn difference(&self, i: usize, j: usize) -> Option<(&[Moments; 3], bool)> {
        if i == j || self.pairs.is_empty() {
            return None;
        }
        Some(if i < j {
            (&self.pairs[self.pair(i, j)], false)
        } else {
            (&self.pairs[self.pair(j, i)], true)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Paired;

    fn outcome(downtime: f64, cost: f64) -> Outcome {
        Outcome {
            downtime,
            data_lost: 0.0,
            cost,
            downtime_cost: cost,
            data_loss_cost: 0.0,
        }
    }

    #[test]
    fn pairs_are_numbered_densely() {
        let c = Comparison::new(5);
        let mut seen = Vec::new();
        for i in 0..5 {
            for j in i + 1..5 {
                seen.push(c.pair(i, j));
            }
        }
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn differences_are_paired_history_by_history() {
        let mut c = Comparison::new(3);
        // Options 0 and 1 move together; option 2 has stopped.
        c.add_chunk(&[
            vec![outcome(1.0, 10.0), outcome(5.0, 50.0), outcome(9.0, 90.0)],
            vec![outcome(2.0, 12.0), outcome(6.0, 52.0), outcome(10.0, 92.0)],
            vec![],
        ]);
        let (moments, mirrored) = c.difference(1, 0).expect("paired");
        assert!(mirrored);
        // 0 − 1 is −1 every history: no spread at all, unlike either option.
        assert_eq!(moments[0].mean(), -1.0);
        assert_eq!(moments[0].std_error(), 0.0);
        assert_eq!(moments[2].mean(), -2.0);
        assert!(c.costs(0)[0].std_error() > 10.0);
        let (moments, _) = c.difference(0, 2).expect("paired");
        assert_eq!(moments[0].count(), 0);
        assert!(c.difference(1, 1).is_none());
        // Merging chunks in either order gives the same bits.
        let mut d = Comparison::new(3);
        d.add_chunk(&[
            vec![outcome(3.0, 1.0)],
            vec![outcome(0.5, 2.0)],
            vec![outcome(1.0, 1.0)],
        ]);
        let (mut cd, mut dc) = (c.clone(), d.clone());
        cd.merge(&d);
        dc.merge(&c);
        assert_eq!(cd, dc);
        assert!(Comparison::new(MAX_PAIRED_OPTIONS + 1).pairs.is_empty());
        assert!(d.check(3, 1).is_ok() && d.check(4, 1).is_err() && d.check(3, 2).is_err());
    }
}
