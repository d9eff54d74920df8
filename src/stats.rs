//! Mergeable accumulators: exact sums, moments and a log-bucketed histogram.
//!
//! Every accumulator here merges exactly: the same values give the same bits however
//! they were grouped, in whatever order the groups are merged. That is what lets a run
//! spread its chunks of histories over any number of threads, or over shards run as
//! separate processes, and still give one report, bit for bit.
//!
//! - [`ExactSum`] holds a sum of `f64`s with no rounding at all: a 2176-bit
//!   fixed-point integer in units of 2⁻¹⁰⁷⁴ (the smallest subnormal), wide enough for
//!   2⁶⁴ additions of the largest finite `f64`. Adding a value is a shift and a
//!   carry; merging is a wide integer addition, associative and commutative; reading
//!   it rounds once, to nearest.
//! - [`Sum`] and [`Moments`] keep the hot path cheap: values are added in plain `f64`
//!   to a *partial* sum, in the order they come, and [`Sum::close`] moves the partial
//!   into the exact sum. The simulator closes at the end of every fixed chunk of
//!   histories, so each partial is the `f64` sum of one chunk's values in history
//!   order: a function of the chunk alone. Across chunks everything is exact.
//! - [`Moments`] keeps the count and the raw power sums Σx, Σx², Σx³ so that they
//!   merge by addition (Welford's and Pébay's updates merge only up to rounding). The
//!   central moments are formed at the end: `m₂ = Σx² − x̄·Σx`,
//!   `m₃ = Σx³ − x̄·(3Σx² − 2x̄·Σx)`. Their relative error is about 2⁻⁵³·(x̄²/s²) times
//!   the chunk size, which is why the simulator accumulates quantities that are small
//!   when the system is good (unavailability, not availability): for those, x̄²/s² is
//!   of order one.
//! - [`Histogram`] only adds integer counts.

use serde::{Deserialize, Serialize};

/// Words of an [`ExactSum`]: 2176 bits, two's complement. The largest finite `f64` is
/// below 2²⁰⁹⁸ units of 2⁻¹⁰⁷⁴, so 2⁶⁴ of them fit with the sign bit to spare.
const WORDS: usize = 34;

/// Bits below the unit 1 in an [`ExactSum`]: its unit is 2⁻¹⁰⁷⁴.
const FRACTION_BITS: i64 = 1074;

/// An exact sum of `f64`s: see the module docs. A NaN or an infinity added makes the
/// sum NaN (the simulator adds neither; a bug would show, not vanish).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct ExactSum {
    /// Little-endian two's complement, in units of 2⁻¹⁰⁷⁴.
    words: [u64; WORDS],
    poisoned: bool,
}

impl Default for ExactSum {
    fn default() -> Self {
        ExactSum {
            words: [0; WORDS],
            poisoned: false,
        }
    }
}

impl std::fmt::Debug for ExactSum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ExactSum({self})")
    }
}

impl ExactSum {
    /// Adds `x`, exactly.
    pub(crate) fn add(&mut self, x: f64) {
        if x == 0.0 {
            return;
        }
        if !x.is_finite() {
            self.poisoned = true;
            return;
        }
        let bits = x.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as u32;
        let fraction = bits & ((1 << 52) - 1);
        // |x| = mantissa · 2^shift units.
        let (mantissa, shift) = if exponent == 0 {
            (fraction, 0)
        } else {
            (fraction | (1 << 52), exponent - 1)
        };
        let word = (shift / 64) as usize;
        let offset = shift % 64;
        let low = mantissa << offset;
        let high = if offset == 0 { 0 } else { mantissa >> (64 - offset) };
        let mut addend = [0u64; WORDS];
        addend[word] = low;
        addend[word + 1] = high;
        if x < 0.0 {
            sub_from(&mut self.words, &addend, word);
        } else {
            add_to(&mut self.words, &addend, word);
        }
    }

    /// Adds everything `other` holds, exactly.
    pub(crate) fn merge(&mut self, other: &ExactSum) {
        add_to(&mut self.words, &other.words, 0);
        self.poisoned |= other.poisoned;
    }

    fn is_negative(&self) -> bool {
        self.words[WORDS - 1] >> 63 == 1
    }

    /// The absolute value, as an unsigned wide integer.
    fn magnitude(&self) -> [u64; WORDS] {
        if self.is_negative() {
            negate(&self.words)
        } else {
            self.words
        }
    }

    /// The sum, rounded once to the nearest `f64` (ties to even); ±infinity beyond
    /// the largest finite `f64`.
    pub(crate) fn value(&self) -> f64 {
        if self.poisoned {
            return f64::NAN;
        }
        let magnitude = self.magnitude();
        let Some(top) = top_bit(&magnitude) else {
            return 0.0;
        };
        let abs = if top < 53 {
            // At most 53 bits in units of 2⁻¹⁰⁷⁴: a subnormal or the smallest binade,
            // whose bit pattern is the integer itself.
            f64::from_bits(magnitude[0])
        } else {
            let low = top - 52;
            let mantissa = bits_at(&magnitude, low, 53);
            let half = bits_at(&magnitude, low - 1, 1) == 1;
            let sticky = any_below(&magnitude, low - 1);
            let up = half && (sticky || mantissa & 1 == 1);
            // ((top − 52) << 52) + mantissa is the pattern of mantissa · 2^(top − 52)
            // units, and a rounding carry moves into the exponent by itself.
            let pattern = ((low as u64) << 52) + mantissa + u64::from(up);
            if pattern >= f64::INFINITY.to_bits() {
                f64::INFINITY
            } else {
                f64::from_bits(pattern)
            }
        };
        if self.is_negative() { -abs } else { abs }
    }
}

/// `a += b`, carrying, with `b` zero below word `from`.
fn add_to(a: &mut [u64; WORDS], b: &[u64; WORDS], from: usize) {
    let mut carry = false;
    for i in from..WORDS {
        let (sum, c1) = a[i].overflowing_add(b[i]);
        let (sum, c2) = sum.overflowing_add(u64::from(carry));
        a[i] = sum;
        carry = c1 || c2;
    }
}

/// `a -= b`, borrowing, with `b` zero below word `from`.
fn sub_from(a: &mut [u64; WORDS], b: &[u64; WORDS], from: usize) {
    let mut borrow = false;
    for i in from..WORDS {
        let (difference, b1) = a[i].overflowing_sub(b[i]);
        let (difference, b2) = difference.overflowing_sub(u64::from(borrow));
        a[i] = difference;
        borrow = b1 || b2;
    }
}

/// The two's complement negation of `a`.
fn negate(a: &[u64; WORDS]) -> [u64; WORDS] {
    let mut out = [0u64; WORDS];
    let mut carry = true;
    for (o, &w) in out.iter_mut().zip(a) {
        let (sum, c) = (!w).overflowing_add(u64::from(carry));
        *o = sum;
        carry = c;
    }
    out
}

/// The position of the highest set bit, if any.
fn top_bit(a: &[u64; WORDS]) -> Option<u32> {
    let word = a.iter().rposition(|&w| w != 0)?;
    Some(word as u32 * 64 + 63 - a[word].leading_zeros())
}

/// The position of the lowest set bit, if any.
fn bottom_bit(a: &[u64; WORDS]) -> Option<u32> {
    let word = a.iter().position(|&w| w != 0)?;
    Some(word as u32 * 64 + a[word].trailing_zeros())
}

/// `len` (at most 64) bits of `a` from bit `low` up.
fn bits_at(a: &[u64; WORDS], low: u32, len: u32) -> u64 {
    let word = (low / 64) as usize;
    let offset = low % 64;
    let mut bits = a[word] >> offset;
    if offset > 0 && word + 1 < WORDS {
        bits |= a[word + 1] << (64 - offset);
    }
    if len == 64 { bits } else { bits & ((1 << len) - 1) }
}

/// Whether any bit of `a` below bit `low` is set.
fn any_below(a: &[u64; WORDS], low: u32) -> bool {
    let word = (low / 64) as usize;
    a[..word].iter().any(|&w| w != 0) || (!low.is_multiple_of(64) && a[word] & ((1 << (low % 64)) - 1) != 0)
}

/// `a` shifted by `shift` bits towards the top (`Err` if a set bit would leave it) or,
/// for a negative shift, towards the bottom (bits falling off are dropped).
fn shifted(a: &[u64; WORDS], shift: i64) -> Result<[u64; WORDS], ()> {
    let mut out = [0u64; WORDS];
    let Some(top) = top_bit(a) else {
        return Ok(out);
    };
    if i64::from(top) + shift >= (WORDS * 64) as i64 {
        return Err(());
    }
    for bit in 0..WORDS as i64 * 64 {
        let from = bit - shift;
        if (0..WORDS as i64 * 64).contains(&from) && (a[(from / 64) as usize] >> (from % 64)) & 1 == 1 {
            out[(bit / 64) as usize] |= 1 << (bit % 64);
        }
    }
    Ok(out)
}

/// Written exactly as `[-]0x<hex>p<exponent>`, the value being the odd hexadecimal
/// integer times 2^exponent (`0x1p0` is 1, `0xdp-2` is 3.25), or
/// `0`, or `NaN` for a poisoned sum.
impl std::fmt::Display for ExactSum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.poisoned {
            return f.write_str("NaN");
        }
        let magnitude = self.magnitude();
        let Some(bottom) = bottom_bit(&magnitude) else {
            return f.write_str("0");
        };
        let digits = shifted(&magnitude, -i64::from(bottom)).map_err(|()| std::fmt::Error)?;
        let exponent = i64::from(bottom) - FRACTION_BITS;
        let sign = if self.is_negative() { "-" } else { "" };
        let top = digits.iter().rposition(|&w| w != 0).unwrap_or(0);
        write!(f, "{sign}0x{:x}", digits[top])?;
        for word in digits[..top].iter().rev() {
            write!(f, "{word:016x}")?;
        }
        write!(f, "p{exponent}")
    }
}

impl std::str::FromStr for ExactSum {
    type Err = String;

    /// Reads what [`ExactSum`]'s `Display` writes, and nothing else.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{text}` is not an exact sum (written like 0x1p0 or -0xdp-2)");
        if text == "0" {
            return Ok(ExactSum::default());
        }
        if text == "NaN" {
            return Ok(ExactSum {
                poisoned: true,
                ..ExactSum::default()
            });
        }
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let rest = rest.strip_prefix("0x").ok_or_else(bad)?;
        let (hex, exponent) = rest.split_once('p').ok_or_else(bad)?;
        let exponent: i64 = exponent.parse().map_err(|_| bad())?;
        if hex.is_empty() || hex.len() > WORDS * 16 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let mut digits = [0u64; WORDS];
        for (i, byte) in hex.bytes().rev().enumerate() {
            let digit = (byte as char).to_digit(16).ok_or_else(bad)?;
            digits[i / 16] |= u64::from(digit) << (4 * (i % 16));
        }
        let shift = exponent
            .checked_add(FRACTION_BITS)
            .filter(|s| *s >= 0)
            .ok_or_else(bad)?;
        let magnitude = shifted(&digits, shift).map_err(|()| bad())?;
        let mut sum = ExactSum {
            words: magnitude,
            poisoned: false,
        };
        if sum.is_negative() {
            return Err(bad());
        }
        if negative {
            sum.words = negate(&sum.words);
        }
        // Only the canonical text of a value is accepted.
        if sum.to_string() != text {
            return Err(bad());
        }
        Ok(sum)
    }
}

impl Serialize for ExactSum {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ExactSum {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A sum of `f64`s that merges exactly: values go to an `f64` partial sum in the order
/// they come, and [`Sum::close`] moves the partial into an [`ExactSum`] (see the
/// module docs). Serialised closed, as its exact sum.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Sum {
    partial: f64,
    exact: ExactSum,
}

impl Sum {
    /// Adds `x` to the partial sum.
    #[inline]
    pub(crate) fn add(&mut self, x: f64) {
        self.partial += x;
    }

    /// Moves the partial sum into the exact one.
    pub(crate) fn close(&mut self) {
        self.exact.add(self.partial);
        self.partial = 0.0;
    }

    /// Adds everything `other` holds; both partial sums are closed first.
    pub(crate) fn merge(&mut self, other: &Sum) {
        self.close();
        self.exact.merge(&other.exact);
        self.exact.add(other.partial);
    }

    /// The sum (the partial one closed), rounded once.
    pub(crate) fn value(&self) -> f64 {
        let mut closed = *self;
        closed.close();
        closed.exact.value()
    }
}

impl Serialize for Sum {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut closed = *self;
        closed.close();
        closed.exact.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Sum {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Sum {
            partial: 0.0,
            exact: ExactSum::deserialize(deserializer)?,
        })
    }
}

/// Count and raw power sums Σx, Σx², Σx³ of a stream of values, each a [`Sum`]: they
/// merge exactly once closed (see the module docs), and give the mean, variance and
/// skewness.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Moments {
    count: u64,
    sums: [Sum; 3],
}

impl Moments {
    /// Adds one value.
    #[inline]
    pub(crate) fn push(&mut self, x: f64) {
        self.count += 1;
        // Many values are 0 (a year without restores, losses or breaches): adding
        // them changes no sum (a partial sum is never -0), so they are only counted.
        if x == 0.0 {
            return;
        }
        let square = x * x;
        self.sums[0].add(x);
        self.sums[1].add(square);
        self.sums[2].add(square * x);
    }

    /// Moves the partial sums into the exact ones: at the end of every chunk.
    pub(crate) fn close(&mut self) {
        self.sums.iter_mut().for_each(Sum::close);
    }

    /// Adds every value that `other` has seen; both are closed first, so the result
    /// does not depend on the order of merges.
    pub(crate) fn merge(&mut self, other: &Moments) {
        self.count += other.count;
        for (mine, theirs) in self.sums.iter_mut().zip(&other.sums) {
            mine.merge(theirs);
        }
    }

    pub(crate) fn count(&self) -> u64 {
        self.count
    }

    /// The mean; 0 for no values.
    pub(crate) fn mean(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sums[0].value() / self.count as f64
        }
    }

    /// Σ (x − mean)² and Σ (x − mean)³.
    fn central(&self) -> (f64, f64) {
        let [s1, s2, s3] = self.sums.map(|s| s.value());
        let mean = self.mean();
        let m2 = (s2 - mean * s1).max(0.0);
        let m3 = s3 - mean * (3.0 * s2 - 2.0 * mean * s1);
        (m2, m3)
    }

    /// The sample variance (divisor n − 1); 0 for fewer than two values.
    pub(crate) fn variance(&self) -> f64 {
        if self.count < 2 {
            0.0
        } else {
            self.central().0 / (self.count - 1) as f64
        }
    }

    pub(crate) fn std_dev(&self) -> f64 {
        self.variance().sqrt()
    }

    /// The sample skewness `g₁ = m₃ / m₂^{3/2}`, with `m_k = Σ (x − mean)^k / n`; 0
    /// when the values do not vary.
    pub(crate) fn skewness(&self) -> f64 {
        let (m2, m3) = self.central();
        if m2 <= 0.0 {
            0.0
        } else {
            (self.count as f64).sqrt() * m3 / m2.powf(1.5)
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    ///
    /// On the simulator's path (every outage, every window): a value whose bucket is
    /// already held is two comparisons and an increment, inline; the rest is a call.
    #[inline]
    pub(crate) fn record(&mut self, x: f64) {
        debug_assert!(x.is_finite() && x >= 0.0, "histogram value {x}");
        if self.count == 0 {
            self.record_n(x, 1);
            return;
        }
        // What `f64::min` and `f64::max` give for values that are not NaN, the
        // running extreme kept at a tie.
        if x < self.min {
            self.min = x;
        }
        if x > self.max {
            self.max = x;
        }
        self.count += 1;
        if x == 0.0 {
            self.zeros += 1;
            return;
        }
        let index = Self::bucket(x);
        // Below the offset, the slot wraps to far beyond the buckets held.
        let slot = usize::try_from(index.wrapping_sub(self.offset)).ok();
        match slot.and_then(|slot| self.counts.get_mut(slot)) {
            Some(count) => *count += 1,
            None => self.add_to_bucket(index, 1),
        }
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

    #[inline(never)]
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

    /// Whether a histogram read back is one that recording values could have built:
    /// its counts add up, its buckets are those of finite values, its minimum and
    /// maximum are finite, non-negative and in order.
    pub(crate) fn check(&self) -> Result<(), String> {
        let buckets = self
            .counts
            .iter()
            .try_fold(self.zeros, |total, &n| total.checked_add(n));
        if buckets != Some(self.count) {
            return Err(format!(
                "its buckets hold {buckets:?} values, not the {} it counts",
                self.count
            ));
        }
        let last = self.offset.checked_add(self.counts.len() as u64);
        if !self.counts.is_empty() && last.is_none_or(|last| last - 1 > Self::bucket(f64::MAX)) {
            return Err(format!(
                "its buckets start at {}, beyond the largest number",
                self.offset
            ));
        }
        let value = |x: f64| x.is_finite() && x >= 0.0;
        if self.count > 0 && !(value(self.min) && value(self.max) && self.min <= self.max) {
            return Err(format!(
                "its minimum {} and maximum {} are not in order",
                self.min, self.max
            ));
        }
        Ok(())
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
    fn exact_sums_do_not_round() {
        let sum = |values: &[f64]| {
            let mut s = ExactSum::default();
            values.iter().for_each(|&x| s.add(x));
            s
        };
        assert_eq!(sum(&[1e300, 1.0, -1e300]).value(), 1.0);
        assert_eq!(sum(&[1e-300, 1e300, -1e300]).value(), 1e-300);
        assert_eq!(sum(&[5e-324, 5e-324]).value(), 1e-323);
        assert_eq!(sum(&[f64::MAX, f64::MAX]).value(), f64::INFINITY);
        assert_eq!(sum(&[f64::MAX, f64::MAX, -f64::MAX]).value(), f64::MAX);
        assert_eq!(sum(&[-f64::MAX, -f64::MAX]).value(), f64::NEG_INFINITY);
        assert_eq!(sum(&[0.1; 10]).value(), 1.0);
        assert_eq!(sum(&[-2.5, 0.25]).value(), -2.25);
        assert_eq!(sum(&[]).value(), 0.0);
        assert!(sum(&[1.0, f64::NAN]).value().is_nan());
        // Ties round to even: 2⁵³ + 1 lies halfway between 2⁵³ and 2⁵³ + 2.
        let two_53 = 9_007_199_254_740_992.0;
        assert_eq!(sum(&[two_53, 1.0]).value(), two_53);
        assert_eq!(sum(&[two_53, 1.0, 1e-300]).value(), two_53 + 2.0);
        assert_eq!(sum(&[two_53 + 2.0, 1.0]).value(), two_53 + 4.0);
        // Every f64 reads back as itself.
        for x in [
            1.0,
            -3.25,
            5e-324,
            2.2250738585072014e-308,
            0.1,
            f64::MAX,
            -1e-200,
            123456.789,
        ] {
            assert_eq!(sum(&[x]).value(), x, "{x}");
        }
    }

    #[test]
    fn exact_sums_merge_in_any_grouping() {
        let values: Vec<f64> = (0..3000)
            .map(|i| {
                let x = ((i * 7919) % 1013) as f64 * 0.37e-3 * 10f64.powi(i % 9 - 4);
                if i % 5 == 0 { -x } else { x }
            })
            .collect();
        let part = |chunk: &[f64]| {
            let mut s = ExactSum::default();
            chunk.iter().for_each(|&x| s.add(x));
            s
        };
        let parts: Vec<ExactSum> = values.chunks(97).map(part).collect();
        let mut forward = ExactSum::default();
        parts.iter().for_each(|p| forward.merge(p));
        let mut backward = ExactSum::default();
        parts.iter().rev().for_each(|p| backward.merge(p));
        let mut tree = parts.clone();
        while tree.len() > 1 {
            tree = tree
                .chunks(2)
                .map(|pair| {
                    let mut s = pair[0];
                    if let Some(other) = pair.get(1) {
                        s.merge(other);
                    }
                    s
                })
                .collect();
        }
        assert_eq!(forward, backward);
        assert_eq!(forward, tree[0]);
        assert_eq!(forward, part(&values));
    }

    #[test]
    fn exact_sums_read_back_what_they_write() {
        let sum = |values: &[f64]| {
            let mut s = ExactSum::default();
            values.iter().for_each(|&x| s.add(x));
            s
        };
        for (values, text) in [
            (&[1.0][..], "0x1p0"),
            (&[3.25], "0xdp-2"),
            (&[-5e-324], "-0x1p-1074"),
            (&[], "0"),
            (
                &[1e300, 1.0],
                "0x17e43c8800759c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001p0",
            ),
            (&[f64::NAN], "NaN"),
        ] {
            let s = sum(values);
            assert_eq!(s.to_string(), text);
            let back: ExactSum = text.parse().expect(text);
            assert_eq!(back, s);
            let json = serde_json::to_string(&s).expect("serialises");
            assert_eq!(serde_json::from_str::<ExactSum>(&json).expect("reads back"), s);
        }
        for bad in [
            "",
            "1",
            "0x",
            "0x2p0",
            "0x01p0",
            "0x1p",
            "0x1p-1075",
            "0xgp0",
            "-0",
            "+0x1p0",
            "0x1p3000",
        ] {
            assert!(bad.parse::<ExactSum>().is_err(), "{bad}");
        }
    }

    #[test]
    fn moments_merge_exactly_in_any_grouping() {
        let values: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 1013) as f64 * 0.37).collect();
        let chunks: Vec<Moments> = values
            .chunks(97)
            .map(|chunk| {
                let mut part = Moments::default();
                chunk.iter().for_each(|&x| part.push(x));
                part.close();
                part
            })
            .collect();
        let mut forward = Moments::default();
        chunks.iter().for_each(|c| forward.merge(c));
        let mut backward = Moments::default();
        chunks.iter().rev().for_each(|c| backward.merge(c));
        let (mut left, mut right) = (Moments::default(), Moments::default());
        chunks[..4].iter().for_each(|c| left.merge(c));
        chunks[4..].iter().for_each(|c| right.merge(c));
        right.merge(&left);
        for merged in [backward, right] {
            assert_eq!(merged.count(), forward.count());
            assert_eq!(merged.mean().to_bits(), forward.mean().to_bits());
            assert_eq!(merged.variance().to_bits(), forward.variance().to_bits());
            assert_eq!(merged.skewness().to_bits(), forward.skewness().to_bits());
        }
        // And they are the moments of the values, to rounding (two-pass reference).
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let m2: f64 = values.iter().map(|x| (x - mean).powi(2)).sum();
        let m3: f64 = values.iter().map(|x| (x - mean).powi(3)).sum();
        assert!((forward.mean() - mean).abs() <= 1e-13 * mean);
        assert!((forward.variance() - m2 / (n - 1.0)).abs() <= 1e-12 * m2 / n);
        let skewness = n.sqrt() * m3 / m2.powf(1.5);
        assert!(
            (forward.skewness() - skewness).abs() <= 1e-9,
            "{} vs {skewness}",
            forward.skewness()
        );
        // Skewed values, long tail above.
        let skewed: Vec<f64> = (0..777)
            .map(|i| if i % 31 == 0 { 5.0 + i as f64 * 1e-3 } else { 0.1 })
            .collect();
        let mut m = Moments::default();
        skewed.iter().for_each(|&x| m.push(x));
        assert!(m.skewness() > 5.0);
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
