//! Random streams keyed by names.
//!
//! Every draw of a history comes from a stream whose key is a hash of stable names:
//! the component (a tier and a replica number, or a tier's tier-wide mode), the failure
//! mode and the purpose of the draw (`life`, `repair`, `switchover`, ...). The key is
//! combined with the run's seed and the history's index, never with a position in the
//! model, a thread or a chunk. So adding a tier, a replica or a failure mode leaves
//! every other draw as it was, and options that share a component share its random
//! numbers (common random numbers).
//!
//! A stream is SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit counter advanced by
//! a fixed odd constant and passed through a bijective mixer. Seeding a stream is one
//! mix, so a history can open hundreds of streams for the price of a few draws.
//! Distinct keys start the counter at unrelated points of its 2^64-long cycle; two
//! streams of a run overlap only if their starting points are closer than the number
//! of draws they make, which for millions of streams of thousands of draws has a
//! probability below 1e-6.

use std::convert::Infallible;

/// SplitMix64's increment: the golden ratio in 64 bits.
const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// SplitMix64's finaliser: a bijective mix of 64 bits.
#[inline]
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A uniform number in [0, 1) from 64 random bits (the top 53).
#[inline]
fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The stable key of a stream: a hash of the names that identify it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Key(u64);

impl Key {
    /// The key of the names `parts`, in order (FNV-1a over each part's length and
    /// bytes, then mixed, so `["ab", "c"]` and `["a", "bc"]` differ).
    pub(crate) fn of(parts: &[&str]) -> Key {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |byte: u8| {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        };
        for part in parts {
            for byte in (part.len() as u64).to_le_bytes() {
                eat(byte);
            }
            for &byte in part.as_bytes() {
                eat(byte);
            }
        }
        Key(mix(hash))
    }
}

/// The seed of one history of a run: every stream of the history starts from it and
/// its own key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HistorySeed(u64);

impl HistorySeed {
    pub(crate) fn new(seed: u64, history: u64) -> HistorySeed {
        HistorySeed(mix(mix(seed ^ 0x6a09_e667_f3bc_c908)
            .wrapping_add(history)
            .wrapping_mul(GAMMA)))
    }

    /// The stream of `key` in this history.
    #[inline]
    pub(crate) fn stream(self, key: Key) -> Stream {
        Stream {
            state: mix(self.0 ^ key.0),
        }
    }

    /// A uniform number in [0, 1) that is a fixed function of `key` and `index` in
    /// this history: whether backup `index` is restorable is decided once, however
    /// many restores try it.
    #[inline]
    pub(crate) fn uniform_at(self, key: Key, index: i64) -> f64 {
        unit(mix(mix(self.0 ^ key.0) ^ (index as u64).wrapping_mul(GAMMA)))
    }
}

/// One random stream (SplitMix64). The default stream is a placeholder for one
/// that a history will seed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Stream {
    state: u64,
}

impl Stream {
    #[inline]
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        mix(self.state)
    }

    /// A uniform number in [0, 1).
    #[inline]
    pub(crate) fn uniform(&mut self) -> f64 {
        unit(self.next())
    }
}

impl rand::TryRng for Stream {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.next() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng as _;

    #[test]
    fn keys_follow_names_not_positions() {
        assert_eq!(Key::of(&["database", "life"]), Key::of(&["database", "life"]));
        assert_ne!(Key::of(&["database", "life"]), Key::of(&["database", "repair"]));
        assert_ne!(Key::of(&["ab", "c"]), Key::of(&["a", "bc"]));
        assert_ne!(Key::of(&["a"]), Key::of(&["a", ""]));
    }

    #[test]
    fn streams_differ_by_seed_history_and_key() {
        let key = Key::of(&["database", "0", "crash", "life"]);
        let first = |seed, history, key| HistorySeed::new(seed, history).stream(key).next_u64();
        let base = first(1, 2, key);
        assert_eq!(base, first(1, 2, key));
        assert_ne!(base, first(2, 2, key));
        assert_ne!(base, first(1, 3, key));
        assert_ne!(base, first(1, 2, Key::of(&["database", "1", "crash", "life"])));
        // Neighbouring seeds and histories do not give shifted copies of one stream.
        let draws = |seed, history| -> Vec<u64> {
            let mut stream = HistorySeed::new(seed, history).stream(key);
            (0..64).map(|_| stream.next_u64()).collect()
        };
        let a = draws(1, 2);
        for other in [draws(1, 3), draws(2, 2), draws(1, 1)] {
            assert!(other.iter().all(|x| !a.contains(x)));
        }
    }

    #[test]
    fn uniforms_are_uniform() {
        // 100,000 draws in 10 bins: a chi-square with 9 degrees of freedom stays below
        // 27.9 with probability 0.999.
        let mut stream = HistorySeed::new(7, 0).stream(Key::of(&["test"]));
        let mut bins = [0u32; 10];
        for _ in 0..100_000 {
            let u = stream.uniform();
            assert!((0.0..1.0).contains(&u));
            bins[(u * 10.0) as usize] += 1;
        }
        let chi2: f64 = bins.iter().map(|&b| (f64::from(b) - 10_000.0).powi(2) / 10_000.0).sum();
        assert!(chi2 < 27.9, "chi-square {chi2}: {bins:?}");
    }

    #[test]
    fn uniform_at_is_a_fixed_uniform_function_of_its_index() {
        let seed = HistorySeed::new(9, 0);
        let key = Key::of(&["database", "backup"]);
        assert_eq!(seed.uniform_at(key, 4), seed.uniform_at(key, 4));
        assert_ne!(seed.uniform_at(key, 4), seed.uniform_at(key, 5));
        assert_ne!(seed.uniform_at(key, -1), seed.uniform_at(key, 1));
        let n = 100_000;
        let below_a_quarter = (0..n).filter(|&i| seed.uniform_at(key, i) < 0.25).count();
        // Binomial(100000, 0.25): sd 137; 4 sd.
        assert!(
            (below_a_quarter as f64 - 25_000.0).abs() < 4.0 * 137.0,
            "{below_a_quarter}"
        );
    }
}
