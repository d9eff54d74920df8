//! The error type of the distribution layer.

/// Why a distribution or a duration could not be built or parsed.
///
/// Every message is a complete sentence that names the distribution, the parameter and
/// the offending value or text, and says what would be accepted instead.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DistError {
    /// A parameter is NaN, infinite, or outside its valid range.
    #[error("{kind} parameter {param} = {} is invalid: it must be {expected}", num(.value))]
    InvalidParameter {
        /// The distribution, e.g. `"weibull"`.
        kind: &'static str,
        /// The parameter, e.g. `"shape"`.
        param: &'static str,
        /// The rejected value (durations in hours).
        value: f64,
        /// What the parameter must be, e.g. `"a finite number greater than 0"`.
        expected: &'static str,
    },

    /// `uniform` was given `min >= max`.
    #[error(
        "uniform needs min < max, but min = {} h and max = {} h: \
         write the smaller bound as min, e.g. uniform(min=1h, max=3h)",
        num(.min),
        num(.max)
    )]
    UniformBounds {
        /// The lower bound given \[h\].
        min: f64,
        /// The upper bound given \[h\].
        max: f64,
    },

    /// No lognormal distribution has the given mean and 95th percentile.
    #[error(
        "no lognormal has mean = {} h and p95 = {} h: p95 must be greater than \
         the mean and at most {max_ratio:.4} times it (here mean < p95 <= {} h); \
         for a heavier tail give median and sigma instead, e.g. lognormal(median=6h, sigma=2)",
        num(.mean),
        num(.p95),
        num(.max_p95)
    )]
    MeanP95OutOfRange {
        /// The mean given \[h\].
        mean: f64,
        /// The 95th percentile given \[h\].
        p95: f64,
        /// The largest valid ratio p95 / mean, `exp(z²/2)` with z the standard normal 95 % point.
        max_ratio: f64,
        /// The largest valid p95 for this mean \[h\].
        max_p95: f64,
    },

    /// `empirical` was given no samples.
    #[error("empirical needs at least one sample: write e.g. empirical(2h, 3.5h, 8h)")]
    EmptyEmpirical,

    /// One sample of an `empirical` distribution is NaN, infinite or negative.
    #[error(
        "empirical sample number {position} = {} h is invalid: every sample must be 0 h \
         or a duration between 1e-9 h (3.6 µs) and 1e9 h (about 114,000 years)",
        num(.value)
    )]
    InvalidSample {
        /// The position of the sample, counting from 1.
        position: usize,
        /// The rejected value \[h\].
        value: f64,
    },

    /// The parameters are each valid, but the mean is neither 0 nor within
    /// [[`Hours::SHORTEST`](crate::Hours::SHORTEST),
    /// [`Hours::LONGEST`](crate::Hours::LONGEST)] (it may even overflow `f64`).
    #[error(
        "{distribution} has a mean of {} h, outside the bounds of 1e-9 h (3.6 µs) to 1e9 h \
         (about 114,000 years) that keep a simulation meaningful and finite: use durations \
         within them, a larger weibull shape or a smaller lognormal sigma",
        num(.mean)
    )]
    MeanOutOfRange {
        /// The distribution, in the compact syntax.
        distribution: String,
        /// Its mean \[h\] (infinite when it overflows).
        mean: f64,
    },

    /// A duration could not be read.
    #[error("invalid duration \"{input}\": {reason}")]
    Duration {
        /// The text given.
        input: String,
        /// What is wrong with it and what would be accepted.
        reason: String,
    },

    /// A distribution's text is malformed (empty, unbalanced parentheses, trailing
    /// text, unnamed or empty arguments, mixed parameter forms).
    #[error("invalid distribution \"{input}\": {reason}")]
    Syntax {
        /// The text given.
        input: String,
        /// What is wrong with it and how to fix it.
        reason: String,
    },

    /// The name before the parentheses is not a known distribution.
    #[error(
        "unknown distribution \"{name}\" in \"{input}\": expected one of exp, weibull, \
         lognormal, gamma, uniform, fixed, empirical"
    )]
    UnknownKind {
        /// The unknown name.
        name: String,
        /// The text given.
        input: String,
    },

    /// A parameter name is not one the distribution takes.
    #[error(
        "unknown parameter \"{name}\" for {kind} in \"{input}\": expected {}",
        one_of(expected)
    )]
    UnknownParameter {
        /// The distribution.
        kind: &'static str,
        /// The unknown parameter name.
        name: String,
        /// The text given.
        input: String,
        /// The parameters the distribution takes.
        expected: &'static [&'static str],
    },

    /// A required parameter is absent.
    #[error("missing parameter \"{param}\" for {kind} in \"{input}\": write {example}")]
    MissingParameter {
        /// The distribution.
        kind: &'static str,
        /// The missing parameter.
        param: &'static str,
        /// The text given.
        input: String,
        /// A complete example of the distribution.
        example: &'static str,
    },

    /// A parameter is given more than once.
    #[error("parameter \"{param}\" of {kind} is given more than once in \"{input}\": give it once")]
    DuplicateParameter {
        /// The distribution.
        kind: &'static str,
        /// The repeated parameter.
        param: String,
        /// The text given.
        input: String,
    },

    /// A parameter's value could not be read (not a number, a unit on a plain
    /// number, an invalid duration).
    #[error("{kind} parameter {param} = \"{text}\" in \"{input}\" is invalid: {reason}")]
    BadValue {
        /// The distribution.
        kind: &'static str,
        /// The parameter (for `empirical`, which sample).
        param: String,
        /// The value's text.
        text: String,
        /// The whole text given.
        input: String,
        /// What is wrong and what would be accepted.
        reason: String,
    },
}

/// `"mean"`, or `"one of shape, scale"`.
fn one_of(names: &[&str]) -> String {
    match names {
        [one] => (*one).to_owned(),
        _ => format!("one of {}", names.join(", ")),
    }
}

/// A number as a user would write it: `0.5`, `2000`, `NaN`, `inf`, and `1e-300`
/// rather than 300 zeros.
pub(crate) fn num(value: &f64) -> String {
    let magnitude = value.abs();
    if magnitude != 0.0 && magnitude.is_finite() && !(1e-4..1e15).contains(&magnitude) {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}
