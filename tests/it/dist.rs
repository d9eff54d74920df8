//! Statistical validation of the distribution samplers against their own exact cdf and
//! mean, with fixed seeds.
//!
//! Each continuous kind gets a Kolmogorov–Smirnov test of n = 20 000 samples against
//! `cdf()` at α = 0.001, and each kind a check of the sample mean against `mean()`
//! within 4 standard errors. The discrete kinds (fixed, empirical) are checked by their
//! frequencies instead. With fixed seeds the outcome is deterministic; the error rate
//! says how unlucky a seed would have to be for a correct sampler to fail.

use nines::Distribution;
use rand::SeedableRng as _;
use rand_xoshiro::Xoshiro256PlusPlus;
use statrs::function::gamma::gamma;

const N: usize = 20_000;
/// The error rate of each Kolmogorov–Smirnov test.
const ALPHA: f64 = 0.001;
/// The standard normal 95 % point, Φ⁻¹(0.95).
const Z95: f64 = 1.644_853_626_951_472_2;

fn parse(text: &str) -> Distribution {
    match text.parse::<Distribution>() {
        Ok(dist) => dist,
        Err(e) => panic!("{text:?} should parse: {e}"),
    }
}

/// `N` samples from a generator seeded with `seed`.
fn samples(dist: &Distribution, seed: u64) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..N).map(|_| dist.sample(&mut rng)).collect()
}

/// The Kolmogorov–Smirnov statistic of `samples` against `cdf`: the largest distance
/// between the empirical and the exact distribution functions.
fn ks_statistic(mut samples: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let n = samples.len() as f64;
    samples
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).max((i + 1) as f64 / n - f)
        })
        .fold(0.0, f64::max)
}

/// Asserts that the sample mean is within 4 standard errors of `dist.mean()`, the
/// standard error taken from the exact variance.
#[track_caller]
fn assert_mean(text: &str, dist: &Distribution, samples: &[f64], variance: f64) {
    let n = samples.len() as f64;
    let mean = samples.iter().sum::<f64>() / n;
    let se = (variance / n).sqrt();
    let z = (mean - dist.mean()) / se;
    assert!(
        z.abs() <= 4.0,
        "{text}: sample mean {mean} vs exact mean {}: z = {z:.2} (|z| must be <= 4, se {se})",
        dist.mean()
    );
}

/// The lognormal sigma for a mean and p95, solved here independently of the crate.
fn sigma_from_mean_p95(mean: f64, p95: f64) -> f64 {
    Z95 - (Z95 * Z95 - 2.0 * (p95 / mean).ln()).sqrt()
}

#[test]
fn continuous_samplers_match_their_cdf_and_mean() {
    let weibull_var = |k: f64, eta: f64| eta * eta * (gamma(1.0 + 2.0 / k) - gamma(1.0 + 1.0 / k).powi(2));
    let lognormal_var = |mean: f64, sigma: f64| (sigma * sigma).exp_m1() * mean * mean;
    let cases: [(&str, f64); 12] = [
        ("exp(mean=2000h)", 2000.0f64.powi(2)),
        ("exponential(mean=90s)", 0.025f64.powi(2)),
        ("weibull(shape=1.5, scale=1000h)", weibull_var(1.5, 1000.0)),
        ("weibull(shape=0.7, scale=50h)", weibull_var(0.7, 50.0)),
        ("weibull(shape=1, scale=3h)", 9.0),
        (
            "lognormal(median=6h, sigma=0.8)",
            lognormal_var(6.0 * 0.32f64.exp(), 0.8),
        ),
        (
            "lognormal(mean=6h, p95=20h)",
            lognormal_var(6.0, sigma_from_mean_p95(6.0, 20.0)),
        ),
        ("gamma(shape=2, mean=10h)", 100.0 / 2.0),
        ("gamma(shape=0.5, mean=10h)", 100.0 / 0.5),
        ("gamma(shape=1, mean=4h)", 16.0),
        ("gamma(shape=30, mean=1d)", 24.0 * 24.0 / 30.0),
        ("uniform(min=1h, max=3h)", 4.0 / 12.0),
    ];
    let d_crit = (-(ALPHA / 2.0).ln() / 2.0).sqrt() / (N as f64).sqrt();
    for (seed, (text, variance)) in (100..).zip(cases) {
        let dist = parse(text);
        let samples = samples(&dist, seed);
        assert!(samples.iter().all(|x| *x >= 0.0), "{text}: negative sample");
        assert_mean(text, &dist, &samples, variance);
        let d = ks_statistic(samples, |x| dist.cdf(x));
        assert!(
            d <= d_crit,
            "{text}: Kolmogorov–Smirnov D = {d} above D_crit = {d_crit} (α = {ALPHA}, n = {N})"
        );
    }
}

#[test]
fn empirical_sampler_matches_its_frequencies() {
    let text = "empirical(8h, 2h, 3.5h, 8h, 0.5h)";
    let dist = parse(text);
    let samples = samples(&dist, 7);
    let n = N as f64;
    for (value, p) in [(0.5, 0.2), (2.0, 0.2), (3.5, 0.2), (8.0, 0.4)] {
        let share = samples.iter().filter(|x| **x == value).count() as f64 / n;
        let se = (p * (1.0 - p) / n).sqrt();
        let z = (share - p) / se;
        assert!(
            z.abs() <= 4.0,
            "{text}: value {value} drawn with frequency {share}, expected {p}: z = {z:.2}"
        );
    }
    assert!(
        samples.iter().all(|x| [0.5, 2.0, 3.5, 8.0].contains(x)),
        "{text}: a sample is not one of the values"
    );
    let values = [8.0, 2.0, 3.5, 8.0, 0.5];
    let mean = values.iter().sum::<f64>() / 5.0;
    assert_eq!(dist.mean(), mean);
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 5.0;
    assert_mean(text, &dist, &samples, variance);
}

#[test]
fn fixed_sampler_always_returns_its_value() {
    for (text, value) in [("fixed(30s)", 30.0 / 3600.0), ("4h", 4.0), ("fixed(value=0)", 0.0)] {
        let dist = parse(text);
        assert!(dist.is_fixed());
        assert_eq!(dist.mean(), value);
        assert!(
            samples(&dist, 3).iter().all(|x| *x == value),
            "{text}: a sample differs from {value}"
        );
    }
}

#[test]
fn sampling_is_reproducible() {
    for text in ["exp(mean=2000h)", "gamma(shape=0.5, mean=10h)", "empirical(1h, 2h, 3h)"] {
        let dist = parse(text);
        let again = parse(&dist.to_string());
        assert_eq!(samples(&dist, 42), samples(&again, 42), "{text}");
        assert_ne!(samples(&dist, 42), samples(&dist, 43), "{text}");
    }
}

/// The tests above have power: the same samples are rejected against a slightly
/// different distribution (5 to 10 % off in one parameter).
#[test]
fn kolmogorov_smirnov_detects_a_wrong_distribution() {
    let d_crit = (-(ALPHA / 2.0).ln() / 2.0).sqrt() / (N as f64).sqrt();
    for (sampled, other) in [
        ("exp(mean=2000h)", "exp(mean=2100h)"),
        ("weibull(shape=1.5, scale=1000h)", "weibull(shape=1.65, scale=1000h)"),
        ("lognormal(median=6h, sigma=0.8)", "lognormal(median=6h, sigma=0.88)"),
        ("gamma(shape=2, mean=10h)", "gamma(shape=2, mean=10.5h)"),
        ("uniform(min=1h, max=3h)", "uniform(min=1h, max=3.1h)"),
    ] {
        let other = parse(other);
        let d = ks_statistic(samples(&parse(sampled), 11), |x| other.cdf(x));
        assert!(
            d > d_crit,
            "{sampled} against {other}: D = {d} should exceed D_crit = {d_crit}"
        );
    }
}
