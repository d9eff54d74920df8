//! Probability distributions of durations: lifetimes, repair, restore, detection and
//! switchover times. The public face is [`Distribution`] (its documentation describes
//! the text syntax), [`DistError`], [`Hours`], [`parse_hours`] and [`format_hours`].

mod error;
mod parse;
#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use rand::RngExt as _;
use rand_distr::{Distribution as _, Exp1, StandardNormal};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};
use statrs::function::erf::erfc_inv;
use statrs::function::gamma::{checked_gamma_lr, checked_gamma_ur, gamma, ln_gamma};

pub use error::DistError;
pub(crate) use error::num;
pub use parse::{format_hours, parse_hours};

/// The standard normal 95 % point, Φ⁻¹(0.95).
const Z95: f64 = 1.644_853_626_951_472_2;

const POSITIVE_DURATION: &str = "a duration between 1e-9 h (3.6 µs) and 1e9 h (about 114,000 years)";
const NON_NEGATIVE_DURATION: &str = "0 h or a duration between 1e-9 h (3.6 µs) and 1e9 h (about 114,000 years)";
const POSITIVE_NUMBER: &str = "a finite number greater than 0";
const GAMMA_SHAPE: &str = "a number between 0.001 and 1000000 (1e6)";

/// The smallest gamma shape: below it nearly every sample is 0 and the mean rests on
/// astronomically rare huge values.
const GAMMA_SHAPE_MIN: f64 = 1e-3;
/// The largest gamma shape: the cdf and quantile take time growing with √shape (about
/// 1 ms at 1e6; a shape of 1e300 would never finish), and beyond it the distribution
/// is a fixed time to within 0.1 %.
const GAMMA_SHAPE_MAX: f64 = 1e6;

/// A validated, immutable probability distribution of a duration in hours.
///
/// It is validated once when it is built, and offers its exact [`mean`](Self::mean),
/// [`cdf`](Self::cdf) and [`quantile`](Self::quantile), so that simulation results can
/// be checked against exact values, and a fast [`sample`](Self::sample) for the
/// simulator. Every sample is a non-negative number of hours.
///
/// Build one with a constructor ([`exponential`](Self::exponential),
/// [`weibull`](Self::weibull), [`lognormal`](Self::lognormal),
/// [`lognormal_mean_p95`](Self::lognormal_mean_p95), [`gamma`](Self::gamma),
/// [`uniform`](Self::uniform), [`fixed`](Self::fixed),
/// [`empirical`](Self::empirical)) or from the compact syntax, which it parses
/// ([`FromStr`]), prints ([`Display`](fmt::Display)) and uses for serde:
///
/// | syntax | distribution |
/// | --- | --- |
/// | `exp(mean=2000h)` (or `exponential(..)`) | exponential |
/// | `weibull(shape=1.5, scale=1000h)` | Weibull |
/// | `lognormal(median=6h, sigma=0.8)` or `lognormal(mean=6h, p95=20h)` | lognormal |
/// | `gamma(shape=2, mean=10h)` | gamma |
/// | `uniform(min=1h, max=3h)` | uniform |
/// | `fixed(30s)`, `fixed(value=30s)`, or a bare duration `30s` | a fixed time |
/// | `empirical(2h, 3.5h, 8h)` | resampling of observed durations |
///
/// Parameters are named (in any order) except for `fixed` and `empirical`; space is
/// ignored. Durations are a number of hours (`2.5`) or a number with a unit: `s`, `m`
/// (minutes), `h`, `d`, `w`, `y` (365 days), e.g. `90s`, `15m`, `4h`, `2d`, `1w`,
/// `1y` (see [`parse_hours`]). `shape` and `sigma` are plain numbers. Serde reads a
/// string in this syntax or a bare number of hours (a fixed time), and writes the
/// string; both run the same validation as the constructors.
///
/// ```
/// use nines::Distribution;
///
/// let ttf: Distribution = "weibull(shape=2, scale=1000h)".parse()?;
/// let exact = 1000.0 * std::f64::consts::PI.sqrt() / 2.0;
/// assert!((ttf.mean() - exact).abs() < 1e-9);
/// assert_eq!(ttf.to_string(), "weibull(shape=2, scale=1000h)");
/// # Ok::<(), nines::DistError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Distribution {
    kind: Kind,
    /// The text it was parsed from, if it was: reports print it as written.
    written: Option<Box<str>>,
}

impl PartialEq for Distribution {
    /// Equal parameters, however each was written.
    fn eq(&self, other: &Distribution) -> bool {
        self.kind == other.kind
    }
}

/// The parameters of each kind, plus constants precomputed for the sampler. A tag of
/// its own (rather than one folded into the gamma sampler's), so that telling the
/// kind on every draw is one comparison.
#[derive(Clone, Debug, PartialEq)]
#[repr(u8)]
enum Kind {
    Exponential {
        mean: f64,
    },
    Weibull {
        shape: f64,
        scale: f64,
        /// `1 / shape`.
        inv_shape: f64,
        /// `scale · Γ(1 + 1/shape)`.
        mean: f64,
    },
    LogNormal {
        median: f64,
        sigma: f64,
        /// `ln(median)`.
        mu: f64,
    },
    Gamma {
        shape: f64,
        mean: f64,
        /// The sampler, with scale `mean / shape`.
        sampler: rand_distr::Gamma<f64>,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    Fixed {
        value: f64,
    },
    Empirical {
        /// Sorted, non-empty, each finite and `>= 0`.
        sorted: Arc<[f64]>,
        /// The sample mean.
        mean: f64,
    },
}

/// `value` if it is finite and `> 0`.
fn positive(kind: &'static str, param: &'static str, value: f64, expected: &'static str) -> Result<f64, DistError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(DistError::InvalidParameter {
            kind,
            param,
            value,
            expected,
        })
    }
}

/// `value` if it is a duration within [`Hours::SHORTEST`, `Hours::LONGEST`].
fn positive_duration(kind: &'static str, param: &'static str, value: f64) -> Result<f64, DistError> {
    if (Hours::SHORTEST..=Hours::LONGEST).contains(&value) {
        Ok(value)
    } else {
        Err(DistError::InvalidParameter {
            kind,
            param,
            value,
            expected: POSITIVE_DURATION,
        })
    }
}

/// `value` if it is 0 or a duration within [`Hours::SHORTEST`, `Hours::LONGEST`], with
/// `-0` turned into `0`.
fn non_negative(kind: &'static str, param: &'static str, value: f64) -> Result<f64, DistError> {
    if value == 0.0 || (Hours::SHORTEST..=Hours::LONGEST).contains(&value) {
        Ok(value + 0.0)
    } else {
        Err(DistError::InvalidParameter {
            kind,
            param,
            value,
            expected: NON_NEGATIVE_DURATION,
        })
    }
}

/// `Φ(z)`, the standard normal cdf, accurate to about 1e-15 relative (1e-13 in the far
/// lower tail).
///
/// Computed from the regularised incomplete gamma functions, `Φ(z) = ½·Q(½, z²/2)` for
/// `z < 0` and `½ + ½·P(½, z²/2)` for `z > 0`, rather than as `½·erfc(−z/√2)`: statrs
/// 0.19's `erf`/`erfc` are accurate only to about 1e-10 relative for `|x| >= 0.5`
/// (interval constants truncated to 10 digits, fixed upstream in statrs PR #412).
fn std_normal_cdf(z: f64) -> f64 {
    let x = z * z / 2.0;
    if z.is_nan() {
        f64::NAN
    } else if x == 0.0 {
        0.5
    } else if x == f64::INFINITY {
        if z < 0.0 { 0.0 } else { 1.0 }
    } else if z < 0.0 {
        // Arguments are valid here (0 < x < ∞), so the checked forms never fail.
        0.5 * checked_gamma_ur(0.5, x).unwrap_or(f64::NAN)
    } else {
        0.5 + 0.5 * checked_gamma_lr(0.5, x).unwrap_or(f64::NAN)
    }
}

/// The quantile of the gamma distribution with the given shape and scale 1: the `y`
/// with `P(shape, y) = p`, as accurately as statrs' incomplete gamma function resolves
/// `p` (about 1e-15 for moderate shapes, 1e-11 at shape 10⁴).
///
/// statrs 0.19's `Gamma::inverse_cdf` stops when a Newton step is below 1e-9 in
/// absolute terms, which is far from exact for small quantiles (shape 0.5, p = 1e-9:
/// 9.3e-10 instead of 1.6e-18), so this is a bracketed Newton iteration with a
/// relative stopping rule. It solves `Q(shape, y) = 1 − p` in the upper half, where
/// the cdf is too flat to resolve `p`.
fn std_gamma_quantile(shape: f64, p: f64) -> f64 {
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let upper = p > 0.5;
    // Increasing in y, zero at the quantile. The checked forms only fail for y <= 0 or
    // y = ∞, which the bracketing below never passes.
    let excess = |y: f64| {
        if upper {
            (1.0 - p) - checked_gamma_ur(shape, y).unwrap_or(f64::NAN)
        } else {
            checked_gamma_lr(shape, y).unwrap_or(f64::NAN) - p
        }
    };
    // Bracket: excess(lo) < 0 <= excess(hi), by halving or doubling from the mean.
    let (mut lo, mut hi) = (shape, shape);
    if excess(shape) >= 0.0 {
        lo /= 2.0;
        while excess(lo) >= 0.0 {
            hi = lo;
            lo /= 2.0;
            if lo == 0.0 {
                return hi;
            }
        }
    } else {
        hi *= 2.0;
        while excess(hi) < 0.0 {
            lo = hi;
            hi *= 2.0;
            if hi == f64::INFINITY {
                return lo;
            }
        }
    }
    let ln_gamma_shape = ln_gamma(shape);
    let mut y = lo.sqrt() * hi.sqrt();
    for _ in 0..200 {
        let f = excess(y);
        if f == 0.0 {
            return y;
        }
        if f < 0.0 {
            lo = y;
        } else {
            hi = y;
        }
        let density = ((shape - 1.0) * y.ln() - y - ln_gamma_shape).exp();
        let newton = y - f / density;
        // Newton inside the bracket, else bisect it geometrically (it may span decades;
        // lo·hi may underflow).
        let next = if newton > lo && newton < hi {
            newton
        } else {
            lo.sqrt() * hi.sqrt()
        };
        if (next - y).abs() <= 2.0 * f64::EPSILON * y || hi - lo <= 2.0 * f64::EPSILON * hi {
            return next;
        }
        y = next;
    }
    y
}

impl Distribution {
    /// Rejects a distribution whose mean is neither 0 nor within
    /// [`Hours::SHORTEST`, `Hours::LONGEST`] (it may overflow `f64`).
    fn bounded_mean(kind: Kind) -> Result<Distribution, DistError> {
        let dist = Distribution { kind, written: None };
        let mean = dist.mean();
        if mean == 0.0 || (Hours::SHORTEST..=Hours::LONGEST).contains(&mean) {
            Ok(dist)
        } else {
            Err(DistError::MeanOutOfRange {
                distribution: dist.to_string(),
                mean,
            })
        }
    }

    /// The exponential distribution with the given `mean` \[h\] (memoryless: a constant
    /// failure rate `1/mean`).
    ///
    /// Density `f(x) = exp(−x/mean) / mean` for `x >= 0`; mean `mean`.
    ///
    /// # Errors
    ///
    /// [`DistError::InvalidParameter`] if `mean` is not within
    /// [[`Hours::SHORTEST`], [`Hours::LONGEST`]].
    pub fn exponential(mean: f64) -> Result<Distribution, DistError> {
        let mean = positive_duration("exp", "mean", mean)?;
        Ok(Distribution {
            kind: Kind::Exponential { mean },
            written: None,
        })
    }

    /// The Weibull distribution with shape `k` (`shape`) and scale `η` (`scale`, \[h\]).
    ///
    /// `k < 1` gives a failure rate falling with age (infant mortality), `k = 1` the
    /// exponential distribution, `k > 1` a rate rising with age (wear-out). The scale
    /// is the age by which 63.2 % of units have failed.
    ///
    /// Density `f(x) = (k/η)·(x/η)^(k−1)·exp(−(x/η)^k)` for `x >= 0`; mean
    /// `η·Γ(1 + 1/k)`.
    ///
    /// # Errors
    ///
    /// [`DistError::InvalidParameter`] if `shape` is NaN, infinite or `<= 0`, or `scale`
    /// is not within [[`Hours::SHORTEST`], [`Hours::LONGEST`]];
    /// [`DistError::MeanOutOfRange`] if the mean is not within those bounds either
    /// (a small shape makes it huge: `shape = 0.001` gives `scale · 4e2564`).
    pub fn weibull(shape: f64, scale: f64) -> Result<Distribution, DistError> {
        let shape = positive("weibull", "shape", shape, POSITIVE_NUMBER)?;
        let scale = positive_duration("weibull", "scale", scale)?;
        let inv_shape = 1.0 / shape;
        let mean = scale * gamma(1.0 + inv_shape);
        Self::bounded_mean(Kind::Weibull {
            shape,
            scale,
            inv_shape,
            mean,
        })
    }

    /// The lognormal distribution with the given `median` `m` \[h\] and `sigma` `σ`, the
    /// standard deviation of `ln x`: `ln x` is normal with mean `μ = ln m` and standard
    /// deviation `σ`. Typical of repair and restore times.
    ///
    /// Density `f(x) = exp(−(ln x − μ)² / (2σ²)) / (x·σ·√(2π))` for `x > 0`; mean
    /// `m·exp(σ²/2)`.
    ///
    /// A zero `sigma` is rejected: use [`fixed`](Self::fixed) for a constant time.
    ///
    /// # Errors
    ///
    /// [`DistError::InvalidParameter`] if `median` is not within
    /// [[`Hours::SHORTEST`], [`Hours::LONGEST`]] or `sigma` is NaN, infinite or `<= 0`;
    /// [`DistError::MeanOutOfRange`] if the mean is not within those bounds (a large
    /// sigma makes it huge).
    pub fn lognormal(median: f64, sigma: f64) -> Result<Distribution, DistError> {
        let median = positive_duration("lognormal", "median", median)?;
        let sigma = positive("lognormal", "sigma", sigma, POSITIVE_NUMBER)?;
        Self::bounded_mean(Kind::LogNormal {
            median,
            sigma,
            mu: median.ln(),
        })
    }

    /// The lognormal distribution with the given `mean` \[h\] and 95th percentile `p95`
    /// \[h\], which is often how repair times are known ("6 hours on average, 20 hours at
    /// worst").
    ///
    /// With `z = Φ⁻¹(0.95) ≈ 1.645`, the median `m` and `σ` solve
    /// `mean = m·exp(σ²/2)` and `p95 = m·exp(z·σ)`, so
    /// `σ²/2 − z·σ + ln(p95/mean) = 0`. Of the two roots this takes the smaller,
    /// `σ = z − √(z² − 2·ln(p95/mean))` (the lighter tail); a solution exists only for
    /// `mean < p95 <= exp(z²/2)·mean ≈ 3.87·mean`. For a heavier tail, give the median
    /// and sigma to [`lognormal`](Self::lognormal). The result is an ordinary
    /// lognormal and prints as `lognormal(median=.., sigma=..)`.
    ///
    /// Density and mean as for [`lognormal`](Self::lognormal); the mean is `mean`.
    ///
    /// # Errors
    ///
    /// [`DistError::InvalidParameter`] if `mean` or `p95` is not within
    /// [[`Hours::SHORTEST`], [`Hours::LONGEST`]];
    /// [`DistError::MeanP95OutOfRange`] if `p95 <= mean` or `p95 > 3.87·mean`.
    pub fn lognormal_mean_p95(mean: f64, p95: f64) -> Result<Distribution, DistError> {
        let mean = positive_duration("lognormal", "mean", mean)?;
        let p95 = positive_duration("lognormal", "p95", p95)?;
        let max_ratio = (Z95 * Z95 / 2.0).exp();
        // ln(p95) − ln(mean) rather than ln(p95/mean): the ratio may overflow.
        let log_ratio = p95.ln() - mean.ln();
        let discriminant = Z95 * Z95 - 2.0 * log_ratio;
        if !(log_ratio > 0.0 && discriminant >= 0.0) {
            return Err(DistError::MeanP95OutOfRange {
                mean,
                p95,
                max_ratio,
                max_p95: mean * max_ratio,
            });
        }
        // z − √(z² − 2L), written without cancellation for small L.
        let sigma = 2.0 * log_ratio / (Z95 + discriminant.sqrt());
        let median = mean * (-sigma * sigma / 2.0).exp();
        Self::lognormal(median, sigma)
    }

    /// The gamma distribution with shape `k` (`shape`) and the given `mean` \[h\]: the sum
    /// of `k` exponential stages (for whole `k`) each of mean `mean/k`. The scale is
    /// `θ = mean/k`.
    ///
    /// Density `f(x) = x^(k−1)·exp(−x/θ) / (Γ(k)·θ^k)` for `x > 0`; mean `mean`.
    ///
    /// # Errors
    ///
    /// [`DistError::InvalidParameter`] if `shape` is not between 0.001 and 10⁶ (beyond
    /// that the cdf and quantile grow slow, and the distribution is a fixed time to
    /// within 0.1 %; below it nearly every sample is 0), or `mean` is not within
    /// [[`Hours::SHORTEST`], [`Hours::LONGEST`]].
    pub fn gamma(shape: f64, mean: f64) -> Result<Distribution, DistError> {
        let bad_shape = || DistError::InvalidParameter {
            kind: "gamma",
            param: "shape",
            value: shape,
            expected: GAMMA_SHAPE,
        };
        if !(GAMMA_SHAPE_MIN..=GAMMA_SHAPE_MAX).contains(&shape) {
            return Err(bad_shape());
        }
        let mean = positive_duration("gamma", "mean", mean)?;
        // Within these bounds the scale mean/shape and the rate shape/mean are finite
        // and positive, so the sampler always builds.
        let sampler = rand_distr::Gamma::new(shape, mean / shape).map_err(|_| bad_shape())?;
        Ok(Distribution {
            kind: Kind::Gamma { shape, mean, sampler },
            written: None,
        })
    }

    /// The uniform distribution on `[min, max)` \[h\].
    ///
    /// Density `f(x) = 1/(max − min)` for `min <= x < max`; mean `(min + max)/2`.
    ///
    /// # Errors
    ///
    /// [`DistError::InvalidParameter`] if `min` or `max` is neither 0 nor within
    /// [[`Hours::SHORTEST`], [`Hours::LONGEST`]];
    /// [`DistError::UniformBounds`] if `min >= max`; [`DistError::MeanOutOfRange`] if
    /// the mean is below [`Hours::SHORTEST`].
    pub fn uniform(min: f64, max: f64) -> Result<Distribution, DistError> {
        let min = non_negative("uniform", "min", min)?;
        let max = non_negative("uniform", "max", max)?;
        if min >= max {
            return Err(DistError::UniformBounds { min, max });
        }
        Self::bounded_mean(Kind::Uniform { min, max })
    }

    /// A duration that is always `value` \[h\] (a point mass; no density). Mean `value`.
    ///
    /// # Errors
    ///
    /// [`DistError::InvalidParameter`] if `value` is neither 0 nor within
    /// [[`Hours::SHORTEST`], [`Hours::LONGEST`]].
    pub fn fixed(value: f64) -> Result<Distribution, DistError> {
        let value = non_negative("fixed", "value", value)?;
        Ok(Distribution {
            kind: Kind::Fixed { value },
            written: None,
        })
    }

    /// The empirical distribution of observed durations \[h\]: each sample draws one of
    /// them with equal probability (repeated values count once per occurrence).
    ///
    /// Probability `P(X = x) = (number of samples equal to x) / n`, no density; mean
    /// the sample mean. The samples are stored sorted, so the order given does not
    /// matter.
    ///
    /// # Errors
    ///
    /// [`DistError::EmptyEmpirical`] if there are no samples;
    /// [`DistError::InvalidSample`] if one is neither 0 nor within
    /// [[`Hours::SHORTEST`], [`Hours::LONGEST`]];
    /// [`DistError::MeanOutOfRange`] if their mean is neither.
    pub fn empirical(samples: impl Into<Vec<f64>>) -> Result<Distribution, DistError> {
        let mut samples: Vec<f64> = samples.into();
        if samples.is_empty() {
            return Err(DistError::EmptyEmpirical);
        }
        for (index, value) in samples.iter_mut().enumerate() {
            if !(*value == 0.0 || (Hours::SHORTEST..=Hours::LONGEST).contains(value)) {
                return Err(DistError::InvalidSample {
                    position: index + 1,
                    value: *value,
                });
            }
            *value += 0.0; // −0 → 0, so that the sort below puts every zero first.
        }
        samples.sort_by(f64::total_cmp);
        let mean = samples.iter().sum::<f64>() / samples.len() as f64;
        Self::bounded_mean(Kind::Empirical {
            sorted: samples.into(),
            mean,
        })
    }

    /// Whether every sample is the same value (built by [`fixed`](Self::fixed)).
    pub fn is_fixed(&self) -> bool {
        matches!(self.kind, Kind::Fixed { .. })
    }

    /// Whether the distribution is exponential (also as a Weibull or gamma of shape 1):
    /// the only one without memory, whose remaining time never depends on the time
    /// already spent.
    pub fn is_memoryless(&self) -> bool {
        match &self.kind {
            Kind::Exponential { .. } => true,
            Kind::Weibull { shape, .. } | Kind::Gamma { shape, .. } => *shape == 1.0,
            _ => false,
        }
    }

    /// The distribution as it was written, if it was parsed from text (`"lognormal(mean=8h,
    /// p95=24h)"`, `"6000h"`), else in the compact syntax of its
    /// [`Display`](fmt::Display): what reports show a reader of the scenario file.
    ///
    /// ```
    /// use nines::Distribution;
    ///
    /// let repair: Distribution = "lognormal(mean=8h, p95=24h)".parse()?;
    /// assert_eq!(repair.as_written(), "lognormal(mean=8h, p95=24h)");
    /// assert!(repair.to_string().starts_with("lognormal(median="));
    /// assert_eq!(Distribution::exponential(2.0)?.as_written(), "exp(mean=2h)");
    /// # Ok::<(), nines::DistError>(())
    /// ```
    pub fn as_written(&self) -> String {
        match &self.written {
            Some(text) => text.to_string(),
            None => self.to_string(),
        }
    }

    /// The exact mean \[h\].
    pub fn mean(&self) -> f64 {
        match &self.kind {
            Kind::Exponential { mean } | Kind::Weibull { mean, .. } | Kind::Gamma { mean, .. } => *mean,
            Kind::LogNormal { median, sigma, .. } => median * (sigma * sigma / 2.0).exp(),
            Kind::Uniform { min, max } => min + (max - min) / 2.0,
            Kind::Fixed { value } => *value,
            Kind::Empirical { mean, .. } => *mean,
        }
    }

    /// The cumulative distribution function `P(X <= x)` at `x` \[h\], exact.
    ///
    /// For `empirical` this is the empirical distribution function (the share of
    /// samples `<= x`) and for `fixed` a step at the value. Any `x < 0` gives 0 and
    /// `+∞` gives 1; NaN gives NaN.
    pub fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        match &self.kind {
            Kind::Exponential { mean } => {
                if x <= 0.0 {
                    0.0
                } else {
                    -(-x / mean).exp_m1()
                }
            }
            Kind::Weibull { shape, scale, .. } => {
                if x <= 0.0 {
                    0.0
                } else {
                    -(-(x / scale).powf(*shape)).exp_m1()
                }
            }
            Kind::LogNormal { sigma, mu, .. } => {
                if x <= 0.0 {
                    0.0
                } else if x == f64::INFINITY {
                    1.0
                } else {
                    std_normal_cdf((x.ln() - mu) / sigma)
                }
            }
            Kind::Gamma { shape, mean, .. } => {
                // x·rate may underflow to 0 or overflow to ∞, where statrs would panic.
                let scaled = x * (shape / mean);
                if scaled <= 0.0 {
                    0.0
                } else if scaled == f64::INFINITY {
                    1.0
                } else {
                    checked_gamma_lr(*shape, scaled).unwrap_or(f64::NAN)
                }
            }
            Kind::Uniform { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
            Kind::Fixed { value } => {
                if x >= *value {
                    1.0
                } else {
                    0.0
                }
            }
            Kind::Empirical { sorted, .. } => sorted.partition_point(|s| *s <= x) as f64 / sorted.len() as f64,
        }
    }

    /// The quantile function: the smallest `x` \[h\] with `cdf(x) >= p`, exact.
    ///
    /// `quantile(0)` is the lower end of the support (0, or `min` for `uniform`, the
    /// smallest sample for `empirical`, the value for `fixed`) and `quantile(1)` is
    /// `+∞` for the unbounded kinds. For `empirical` it is the smallest sample `s` with
    /// `cdf(s) >= p`. The gamma quantile is found numerically, as accurately as the
    /// gamma cdf resolves `p` (about 1e-15 for moderate shapes). A `p` outside
    /// `[0, 1]`, or NaN, gives NaN.
    pub fn quantile(&self, p: f64) -> f64 {
        if !(0.0..=1.0).contains(&p) {
            return f64::NAN;
        }
        match &self.kind {
            Kind::Exponential { mean } => -mean * (-p).ln_1p(),
            Kind::Weibull { scale, inv_shape, .. } => scale * (-(-p).ln_1p()).powf(*inv_shape),
            Kind::LogNormal { sigma, mu, .. } => {
                // Φ⁻¹(p) = −√2·erfc⁻¹(2p); erfc_inv gives ±∞ at p = 0 and p = 1.
                let z = -std::f64::consts::SQRT_2 * erfc_inv(2.0 * p);
                (mu + sigma * z).exp()
            }
            Kind::Gamma { shape, mean, .. } => std_gamma_quantile(*shape, p) * (mean / shape),
            Kind::Uniform { min, max } => min + (max - min) * p,
            Kind::Fixed { value } => *value,
            Kind::Empirical { sorted, .. } => {
                // The smallest index i with (i + 1)/n >= p, computed with the same
                // division as `cdf`, so that quantile(cdf(s)) == s for every sample s.
                let n = sorted.len() as f64;
                let reaches = |i: usize| (i + 1) as f64 / n >= p;
                let mut i = ((p * n).ceil() as usize).saturating_sub(1).min(sorted.len() - 1);
                while i > 0 && reaches(i - 1) {
                    i -= 1;
                }
                while i + 1 < sorted.len() && !reaches(i) {
                    i += 1;
                }
                sorted[i]
            }
        }
    }

    /// One random duration \[h\], never negative.
    ///
    /// This is the simulator's hot path: one match, then a few floating-point
    /// operations on precomputed constants. The value drawn for a given generator state
    /// depends on `rand` and `rand_distr` (Ziggurat exponential and normal, Marsaglia–
    /// Tsang gamma), which keep their output stable within a minor version.
    #[inline(always)]
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        // The commonest kinds inline at the call site; the others are a call away.
        match &self.kind {
            Kind::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                mean * e
            }
            Kind::Fixed { value } => *value,
            _ => self.sample_other(rng),
        }
    }

    #[inline(never)]
    fn sample_other<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.kind {
            Kind::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                mean * e
            }
            Kind::Weibull { scale, inv_shape, .. } => {
                // If E ~ Exp(1) then η·E^(1/k) ~ Weibull(k, η).
                let e: f64 = Exp1.sample(rng);
                if *inv_shape == 1.0 {
                    scale * e
                } else {
                    scale * e.powf(*inv_shape)
                }
            }
            Kind::LogNormal { sigma, mu, .. } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp()
            }
            Kind::Gamma { sampler, .. } => sampler.sample(rng),
            Kind::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Kind::Fixed { value } => *value,
            Kind::Empirical { sorted, .. } => sorted[rng.random_range(0..sorted.len())],
        }
    }
}

impl fmt::Display for Distribution {
    /// The compact syntax, e.g. `weibull(shape=1.5, scale=1000h)`, which parses back
    /// to an equal distribution (durations via [`format_hours`], numbers in full
    /// precision).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = |v: &f64| format_hours(*v);
        match &self.kind {
            Kind::Exponential { mean } => write!(f, "exp(mean={})", h(mean)),
            Kind::Weibull { shape, scale, .. } => write!(f, "weibull(shape={shape}, scale={})", h(scale)),
            Kind::LogNormal { median, sigma, .. } => {
                write!(f, "lognormal(median={}, sigma={sigma})", h(median))
            }
            Kind::Gamma { shape, mean, .. } => write!(f, "gamma(shape={shape}, mean={})", h(mean)),
            Kind::Uniform { min, max } => write!(f, "uniform(min={}, max={})", h(min), h(max)),
            Kind::Fixed { value } => write!(f, "fixed({})", h(value)),
            Kind::Empirical { sorted, .. } => {
                f.write_str("empirical(")?;
                for (i, value) in sorted.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(&h(value))?;
                }
                f.write_str(")")
            }
        }
    }
}

impl FromStr for Distribution {
    type Err = DistError;

    /// Parses the compact syntax described on [`Distribution`]; a bare duration
    /// (`"4h"`, `"2.5"`) is a fixed time. Runs the same validation as the constructors.
    fn from_str(text: &str) -> Result<Distribution, DistError> {
        let mut distribution = parse::distribution(text)?;
        distribution.written = Some(text.trim().into());
        Ok(distribution)
    }
}

/// What the serde visitors accept, for their error messages.
const EXPECTING: &str = "a distribution such as \"exp(mean=2000h)\", a duration such as \"4h\", or a number of hours";

impl Serialize for Distribution {
    /// As it was written, if it was parsed, else as the compact syntax string
    /// ([`Display`](fmt::Display)): either parses back to an equal distribution.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.written {
            Some(text) => serializer.serialize_str(text),
            None => serializer.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Distribution {
    /// From a string in the compact syntax, or a bare number of hours (a fixed time),
    /// with the same validation as the constructors.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DistVisitor;

        impl Visitor<'_> for DistVisitor {
            type Value = Distribution;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTING)
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Distribution, E> {
                text.parse().map_err(E::custom)
            }

            fn visit_f64<E: de::Error>(self, hours: f64) -> Result<Distribution, E> {
                Distribution::fixed(hours).map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, hours: i64) -> Result<Distribution, E> {
                self.visit_f64(hours as f64)
            }

            fn visit_u64<E: de::Error>(self, hours: u64) -> Result<Distribution, E> {
                self.visit_f64(hours as f64)
            }
        }

        deserializer.deserialize_any(DistVisitor)
    }
}

/// A plain duration \[h\]: 0, or between [`Hours::SHORTEST`] (1e-9 h, 3.6 µs) and
/// [`Hours::LONGEST`] (1e9 h, about 114,000 years), the bounds that keep a simulation
/// meaningful and finite. Every way of making one checks them: [`Hours::new`],
/// parsing ([`FromStr`], as [`parse_hours`]) and deserialising (a number of hours or a
/// duration string such as `"90s"` or `"2d"`). It serialises as a number of hours
/// and prints as [`format_hours`] does.
///
/// ```
/// use nines::Hours;
///
/// let h: Hours = "2d".parse()?;
/// assert_eq!(h.get(), 48.0);
/// assert_eq!(h.to_string(), "2d");
/// assert!(Hours::new(f64::NAN).is_err());
/// assert!(Hours::new(1e-300).is_err());
/// # Ok::<(), nines::DistError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Hours(f64);

impl Hours {
    /// The shortest non-zero duration or mean anywhere in a model \[h\]: 1e-9 h (3.6 µs).
    pub const SHORTEST: f64 = 1e-9;
    /// The longest duration or mean anywhere in a model \[h\]: 1e9 h (about 114,000
    /// years).
    pub const LONGEST: f64 = 1e9;

    /// `hours`, checked.
    ///
    /// # Errors
    ///
    /// [`DistError::Duration`] if `hours` is NaN, negative, or neither 0 nor within
    /// [[`Hours::SHORTEST`], [`Hours::LONGEST`]].
    pub fn new(hours: f64) -> Result<Hours, DistError> {
        parse::check_hours(hours)
            .map(Hours)
            .map_err(|reason| DistError::Duration {
                input: hours.to_string(),
                reason,
            })
    }

    /// The duration \[h\].
    pub fn get(self) -> f64 {
        self.0
    }
}

impl FromStr for Hours {
    type Err = DistError;

    /// As [`parse_hours`].
    fn from_str(text: &str) -> Result<Hours, DistError> {
        parse_hours(text).map(Hours)
    }
}

impl fmt::Display for Hours {
    /// As [`format_hours`], e.g. `2d`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_hours(self.0))
    }
}

impl Serialize for Hours {
    /// As a number of hours.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.0)
    }
}

impl<'de> Deserialize<'de> for Hours {
    /// From a number of hours or a duration string, checked as [`Hours::new`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HoursVisitor;

        impl Visitor<'_> for HoursVisitor {
            type Value = Hours;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of hours or a duration such as \"90s\", \"4h\" or \"2d\"")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Hours, E> {
                text.parse().map_err(E::custom)
            }

            fn visit_f64<E: de::Error>(self, hours: f64) -> Result<Hours, E> {
                Hours::new(hours).map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, hours: i64) -> Result<Hours, E> {
                self.visit_f64(hours as f64)
            }

            fn visit_u64<E: de::Error>(self, hours: u64) -> Result<Hours, E> {
                self.visit_f64(hours as f64)
            }
        }

        deserializer.deserialize_any(HoursVisitor)
    }
}
