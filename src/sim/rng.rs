//! Random streams keyed by (seed, replication, tier, slot, purpose).
//!
//! Every replica draws its failures and its repairs from streams of its own, so a
//! change to one part of a model (another replica, a crew limit) leaves the draws of
//! the other parts as they were: options compared on one seed share their random
//! numbers where their models agree (common random numbers).

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator behind every stream.
pub(crate) type Stream = Xoshiro256PlusPlus;

/// What a stream is used for; part of its key.
#[derive(Debug, Clone, Copy)]
#[repr(u64)]
pub(crate) enum Purpose {
    /// A replica's times to failure.
    ReplicaFailures = 1,
    /// A replica's repair times.
    ReplicaRepairs = 2,
    /// A tier's tier-scope times to failure.
    TierFailures = 3,
    /// A tier's tier-scope repair times.
    TierRepairs = 4,
    /// A failover tier's detection, switchover, success and manual recovery draws,
    /// and its drill durations.
    Switching = 5,
    /// A tier's restore durations.
    Restores = 6,
    /// Whether each of a tier's backups is restorable (see [`uniform_at`]).
    Backups = 7,
}

/// SplitMix64's finaliser: a bijective mix of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The stream for one purpose of one slot (a replica index, or 0 for the tier itself)
/// of one tier, in one replication of a run with the given seed.
pub(crate) fn stream(seed: u64, replication: u64, tier: u32, slot: u32, purpose: Purpose) -> Stream {
    let key = mix(mix(mix(mix(seed) ^ replication) ^ (u64::from(tier) << 32 | u64::from(slot))) ^ purpose as u64);
    Stream::seed_from_u64(key)
}

/// A uniform number in [0, 1) that is a fixed function of its key: whether backup
/// `index` of a tier is restorable is decided once per replication, however many
/// restores try it.
pub(crate) fn uniform_at(seed: u64, replication: u64, tier: u32, index: u64) -> f64 {
    let key = mix(mix(mix(mix(seed) ^ replication) ^ (u64::from(tier) << 32)) ^ Purpose::Backups as u64);
    (mix(key ^ index) >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_differ_by_every_part_of_their_key() {
        let first = |s: &mut Stream| s.next_u64();
        let base = first(&mut stream(1, 2, 3, 4, Purpose::ReplicaFailures));
        assert_eq!(base, first(&mut stream(1, 2, 3, 4, Purpose::ReplicaFailures)));
        let others = [
            stream(2, 2, 3, 4, Purpose::ReplicaFailures),
            stream(1, 3, 3, 4, Purpose::ReplicaFailures),
            stream(1, 2, 4, 4, Purpose::ReplicaFailures),
            stream(1, 2, 3, 5, Purpose::ReplicaFailures),
            stream(1, 2, 3, 4, Purpose::ReplicaRepairs),
            stream(1, 2, 4, 3, Purpose::ReplicaFailures),
        ];
        for mut other in others {
            assert_ne!(base, first(&mut other));
        }
    }

    #[test]
    fn uniform_at_is_a_fixed_uniform_function_of_its_key() {
        assert_eq!(uniform_at(1, 2, 3, 4), uniform_at(1, 2, 3, 4));
        assert_ne!(uniform_at(1, 2, 3, 4), uniform_at(1, 2, 3, 5));
        let n = 100_000;
        let below_a_quarter = (0..n).filter(|&i| uniform_at(9, 0, 0, i) < 0.25).count();
        // Binomial(100000, 0.25): sd 137; 4 sd.
        assert!(
            (below_a_quarter as f64 - 25_000.0).abs() < 4.0 * 137.0,
            "{below_a_quarter}"
        );
        assert!((0..n).all(|i| (0.0..1.0).contains(&uniform_at(9, 0, 0, i))));
    }
}
