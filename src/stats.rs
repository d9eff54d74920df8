//! Mergeable accumulators: moments and a log-bucketed histogram.
//!
//! Both merge exactly like sequential pushes of the same values in the same order
//! (`Moments`, up to floating-point rounding of Chan's and Pébay's formulas;
//! `Histogram`, exactly, since it only adds integer counts), so results reduced chunk
//! by chunk in a fixed order do not depend on how the chunks were spread over threads.

/// Count, mean, and sums of squared and cubed deviations of a stream of values
/// (Welford, with Chan et al.'s pairwise merge, extended to the third moment by
/// Pébay, 2008).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Moments {
    count: u64,
    mean: f64,
    /// Σ (x − mean)².
    m2: f64,
    /// Σ (x − mean)³.
    m3: f64,
}

impl Moments {
    /// Adds one value.
    pub(crate) fn push(&mut self, x: f64) {
        self.count += 1;
        let n = self.count as f64;
        let delta = x - self.mean;
        let delta_n = delta / n;
        // From the old M2: M3 += δ³(n−1)(n−2)/n² − 3·δ·M2/n.
        self.m3 += delta * delta_n * delta_n * (n - 1.0) * (n - 2.0) - 3.0 * delta_n * self.m2;
        self.mean += delta_n;
        self.m2 += delta * (x - self.mean);
    }

    /// Adds every value that `other` has seen, as if they were pushed after ours.
    pub(crate) fn merge(&mut self, other: &Moments) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *other;
            return;
        }
        let n = (self.count + other.count) as f64;
        let (n_a, n_b) = (self.count as f64, other.count as f64);
        let delta = other.mean - self.mean;
        let weight = n_b / n;
        // From the old M2s: M3 = M3a + M3b + δ³·na·nb·(na − nb)/n² + 3δ·(na·M2b − nb·M2a)/n.
        self.m3 += other.m3
            + delta * delta * delta * n_a * weight * (n_a - n_b) / n
            + 3.0 * delta * (n_a * other.m2 - n_b * self.m2) / n;
        self.mean += delta * weight;
        self.m2 += other.m2 + delta * delta * self.count as f64 * weight;
        self.count += other.count;
    }

    pub(crate) fn count(&self) -> u64 {
        self.count
    }

    /// The mean; 0 for no values.
    pub(crate) fn mean(&self) -> f64 {
        self.mean
    }

    /// The sample variance (divisor n − 1); 0 for fewer than two values.
    pub(crate) fn variance(&self) -> f64 {
        if self.count < 2 {
            0.0
        } else {
            (self.m2 / (self.count - 1) as f64).max(0.0)
        }
    }

    pub(crate) fn std_dev(&self) -> f64 {
        self.variance().sqrt()
    }

    /// The sample skewness `g₁ = m₃ / m₂^{3/2}`, with `m_k = Σ (x − mean)^k / n`; 0
    /// when the values do not vary.
    pub(crate) fn skewness(&self) -> f64 {
        if self.m2 <= 0.0 {
            0.0
        } else {
            (self.count as f64).sqrt() * self.m3 / self.m2.powf(1.5)
        }
    }

    /// Standard error of the mean; 0 for fewer than two values.
    pub(crate) fn std_error(&self) -> f64 {
        if self.count < 2 {
            0.0
        } else {
            (self.variance() / self.count as f64).sqrt()
        }
    }
}

/// Number of mantissa bits that select a sub-bucket within each power of two: each
/// bucket spans a relative width of 2^-8, so a bucket's midpoint is within 0.2 % of
/// every value in it.
const SUB_BUCKET_BITS: u32 = 8;
const SHIFT: u32 = 52 - SUB_BUCKET_BITS;

/// Histogram of non-negative values with buckets of constant relative width 2^-8 over
/// the whole range of `f64` (zero has its own bucket), stored densely between the
/// smallest and largest bucket seen. Quantiles are nearest-rank, reported as the
/// bucket's midpoint clamped to the exact minimum and maximum seen; so a quantile is
/// within 0.2 % of the exact order statistic, and the maximum is exact.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Histogram {
    zeros: u64,
    /// Bucket index of `counts[0]`.
    offset: u64,
    counts: Vec<u64>,
    count: u64,
    min: f64,
    max: f64,
}

impl Histogram {
    fn bucket(x: f64) -> u64 {
        x.to_bits() >> SHIFT
    }

    fn bucket_midpoint(index: u64) -> f64 {
        let low = f64::from_bits(index << SHIFT);
        let high = f64::from_bits((index + 1) << SHIFT);
        0.5 * (low + high)
    }

    /// Records one value. Values must be finite and non-negative (the simulator only
    /// records durations and counts); anything else is a bug in the caller.
    pub(crate) fn record(&mut self, x: f64) {
        debug_assert!(x.is_finite() && x >= 0.0, "histogram value {x}");
        self.record_n(x, 1);
    }

    /// Records `n` zeros at once.
    pub(crate) fn record_zeros(&mut self, n: u64) {
        if n > 0 {
            self.record_n(0.0, n);
        }
    }

    fn record_n(&mut self, x: f64, n: u64) {
        if self.count == 0 {
            self.min = x;
            self.max = x;
        } else {
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
        self.count += n;
        if x == 0.0 {
            self.zeros += n;
            return;
        }
        let index = Self::bucket(x);
        self.add_to_bucket(index, n);
    }

    fn add_to_bucket(&mut self, index: u64, n: u64) {
        if self.counts.is_empty() {
            self.offset = index;
            self.counts.push(n);
            return;
        }
        if index < self.offset {
            let grow = (self.offset - index) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.offset = index;
        }
        let slot = (index - self.offset) as usize;
        if slot >= self.counts.len() {
            self.counts.resize(slot + 1, 0);
        }
        self.counts[slot] += n;
    }

    /// Adds every value that `other` has seen.
    pub(crate) fn merge(&mut self, other: &Histogram) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = other.clone();
            return;
        }
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.count += other.count;
        self.zeros += other.zeros;
        for (slot, &n) in other.counts.iter().enumerate() {
            if n > 0 {
                self.add_to_bucket(other.offset + slot as u64, n);
            }
        }
    }

    #[cfg(test)]
    pub(crate) fn count(&self) -> u64 {
        self.count
    }

    /// The largest value seen, exactly; 0 for no values.
    pub(crate) fn max(&self) -> f64 {
        if self.count == 0 { 0.0 } else { self.max }
    }

    /// The nearest-rank `q`-quantile (`q` in [0, 1]): the smallest recorded value `v`
    /// with at least `q·n` values ≤ `v`, to the bucket resolution; 0 for no values.
    pub(crate) fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        if rank <= self.zeros {
            return 0.0;
        }
        let mut seen = self.zeros;
        for (slot, &n) in self.counts.iter().enumerate() {
            seen += n;
            if seen >= rank {
                let mid = Self::bucket_midpoint(self.offset + slot as u64);
                return mid.clamp(self.min, self.max);
            }
        }
        self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_match_textbook_values() {
        let mut m = Moments::default();
        for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
            m.push(x);
        }
        assert_eq!(m.count(), 8);
        assert_eq!(m.mean(), 5.0);
        assert!((m.variance() - 32.0 / 7.0).abs() < 1e-12);
        assert!((m.std_error() - (32.0 / 7.0 / 8.0f64).sqrt()).abs() < 1e-12);
        // Deviations −3, −1 (×3), 0 (×2), 2, 4: m₂ = 32/8 = 4, m₃ = 42/8 = 5.25.
        assert!((m.skewness() - 5.25 / 8.0).abs() < 1e-12);
        let mut flat = Moments::default();
        (0..5).for_each(|_| flat.push(0.25));
        assert_eq!(flat.skewness(), 0.0);
    }

    #[test]
    fn moments_merge_equals_sequential_push() {
        let values: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 1013) as f64 * 0.37).collect();
        let mut sequential = Moments::default();
        values.iter().for_each(|&x| sequential.push(x));
        let mut merged = Moments::default();
        for chunk in values.chunks(97) {
            let mut part = Moments::default();
            chunk.iter().for_each(|&x| part.push(x));
            merged.merge(&part);
        }
        assert_eq!(merged.count(), sequential.count());
        assert!((merged.mean() - sequential.mean()).abs() <= 1e-12 * sequential.mean());
        assert!((merged.variance() - sequential.variance()).abs() <= 1e-10 * sequential.variance());
        assert!((merged.skewness() - sequential.skewness()).abs() <= 1e-10);
        // Chunks of different sizes, merged either way round, skewed values.
        let skewed: Vec<f64> = (0..777)
            .map(|i| if i % 31 == 0 { 5.0 + i as f64 * 1e-3 } else { 0.1 })
            .collect();
        let mut sequential = Moments::default();
        skewed.iter().for_each(|&x| sequential.push(x));
        let (head, tail) = skewed.split_at(100);
        let [mut a, mut b] = [Moments::default(); 2];
        head.iter().for_each(|&x| a.push(x));
        tail.iter().for_each(|&x| b.push(x));
        let mut ab = a;
        ab.merge(&b);
        let mut ba = b;
        ba.merge(&a);
        for merged in [ab, ba] {
            assert!((merged.skewness() - sequential.skewness()).abs() <= 1e-10 * sequential.skewness());
        }
        assert!(sequential.skewness() > 5.0);
        let mut empty = Moments::default();
        empty.merge(&Moments::default());
        assert_eq!(empty, Moments::default());
    }

    #[test]
    fn histogram_quantiles_are_within_bucket_resolution() {
        let mut h = Histogram::default();
        let values: Vec<f64> = (1..=1000).map(|i| i as f64 * 0.01).collect();
        values.iter().for_each(|&x| h.record(x));
        for (q, exact) in [(0.5, 5.0), (0.9, 9.0), (0.99, 9.9), (1.0, 10.0), (0.001, 0.01)] {
            let got = h.quantile(q);
            assert!((got - exact).abs() <= exact * 2f64.powi(-9), "q={q}: {got} vs {exact}");
        }
        assert_eq!(h.max(), 10.0);
        assert_eq!(h.quantile(1.0), 10.0);
    }

    #[test]
    fn histogram_counts_zeros_separately() {
        let mut h = Histogram::default();
        for _ in 0..90 {
            h.record(0.0);
        }
        for _ in 0..10 {
            h.record(3.0);
        }
        assert_eq!(h.quantile(0.5), 0.0);
        assert_eq!(h.quantile(0.9), 0.0);
        assert_eq!(h.quantile(0.91), 3.0);
    }

    #[test]
    fn histogram_merge_equals_sequential_record() {
        let values: Vec<f64> = (0..5000)
            .map(|i| {
                if i % 13 == 0 {
                    0.0
                } else {
                    ((i * 104729) % 9973) as f64 * 1e-3 + 1e-6 * i as f64
                }
            })
            .collect();
        let mut sequential = Histogram::default();
        values.iter().for_each(|&x| sequential.record(x));
        let mut merged = Histogram::default();
        // Merge in reverse to exercise growth at both ends.
        for chunk in values.chunks(333).rev() {
            let mut part = Histogram::default();
            chunk.iter().for_each(|&x| part.record(x));
            merged.merge(&part);
        }
        assert_eq!(merged.count(), sequential.count());
        for q in [0.0, 0.1, 0.5, 0.9, 0.99, 1.0] {
            assert_eq!(merged.quantile(q), sequential.quantile(q), "q={q}");
        }
        assert_eq!(merged.max(), sequential.max());
    }

    #[test]
    fn empty_histogram_reports_zero() {
        let h = Histogram::default();
        assert_eq!(h.quantile(0.5), 0.0);
        assert_eq!(h.max(), 0.0);
    }
}
