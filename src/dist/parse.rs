//! Reading and writing durations and the compact distribution syntax.

use super::{DistError, Distribution, Hours};

/// How to write a duration, for error messages.
const DURATION_HELP: &str = "write a number of hours (\"2.5\") or a number followed by s, m \
     (minutes), h, d, w or y (365 days), e.g. \"90s\", \"15m\", \"4h\", \"2d\", \"1w\", \"1y\"";

/// The bounds of a duration, for error messages.
const DURATION_BOUNDS: &str = "a duration is 0 or between 1e-9 h (3.6 µs) and 1e9 h (about \
     114,000 years), which keeps a simulation meaningful and finite";

/// Reads a duration and returns it in hours.
///
/// A duration is a number of hours (`"2"`, `"1.5"`) or a number followed by a unit:
/// `s` (seconds), `m` (minutes), `h` (hours), `d` (days, 24 h), `w` (weeks, 168 h) or
/// `y` (years of 365 days, 8760 h); e.g. `"90s"`, `"15m"`, `"4h"`, `"2d"`, `"1w"`,
/// `"1y"`, `"1.5h"`. Space around the text and between number and unit is ignored.
/// Units are lower case (`M` is not minutes). A duration is 0 or between
/// [`Hours::SHORTEST`] (1e-9 h, 3.6 µs) and [`Hours::LONGEST`] (1e9 h, about 114,000
/// years).
///
/// # Errors
///
/// [`DistError::Duration`], quoting the text, if it is empty, not a number, negative,
/// NaN, out of those bounds, or has an unknown unit (the message lists the valid units
/// or the bounds).
pub fn parse_hours(text: &str) -> Result<f64, DistError> {
    read_hours(text).map_err(|reason| DistError::Duration {
        input: text.to_owned(),
        reason,
    })
}

/// [`parse_hours`], with the reason alone as the error.
fn read_hours(text: &str) -> Result<f64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("the text is empty; {DURATION_HELP}"));
    }
    let number_len = text.trim_end_matches(|c: char| c.is_ascii_alphabetic()).len();
    let (number, unit) = text.split_at(number_len);
    let number = number.trim_end();
    if number.is_empty() {
        return Err(format!("there is no number; {DURATION_HELP}"));
    }
    let Ok(value) = number.parse::<f64>() else {
        return Err(format!("\"{number}\" is not a number; {DURATION_HELP}"));
    };
    let hours = match unit {
        "" | "h" => value,
        "s" => value / 3600.0,
        "m" => value / 60.0,
        "d" => value * 24.0,
        "w" => value * 168.0,
        "y" => value * 8760.0,
        _ => return Err(format!("unknown unit \"{unit}\"; {DURATION_HELP}")),
    };
    check_hours(hours)
}

/// `hours` if it is a valid duration (0 or within [`Hours::SHORTEST`,
/// `Hours::LONGEST`]), with `-0` turned into `0`; else why not.
pub(super) fn check_hours(hours: f64) -> Result<f64, String> {
    if hours.is_nan() {
        Err("a duration must be a number, not NaN".to_owned())
    } else if hours < 0.0 {
        Err("a duration cannot be negative".to_owned())
    } else if hours.is_infinite() {
        Err(format!(
            "the duration is infinite or too large for a 64-bit float; {DURATION_BOUNDS}"
        ))
    } else if hours != 0.0 && !(Hours::SHORTEST..=Hours::LONGEST).contains(&hours) {
        Err(format!(
            "{} h is out of bounds; {DURATION_BOUNDS}",
            super::error::num(&hours)
        ))
    } else {
        Ok(hours + 0.0)
    }
}

/// Writes a duration given in hours as a short string that [`parse_hours`] reads back
/// to exactly the same `f64`.
///
/// Uses the largest unit giving a whole number of at least 1 (or, for hours, a number
/// of at least 1 with one decimal), else hours in full precision: `8760.0` → `"1y"`,
/// `48.0` → `"2d"`, `36.0` → `"36h"`, `1.5` → `"1.5h"`, `0.25` → `"15m"`, `0.025` →
/// `"90s"`, `0.1234` → `"0.1234h"`. A negative, NaN or
/// infinite input, which is not a duration, is written as `{hours}h` and does not
/// parse back; neither does one outside the bounds of [`Hours`], written with an
/// exponent (`5e-324h`), never as hundreds of digits.
pub fn format_hours(hours: f64) -> String {
    if hours == 0.0 {
        return "0h".to_owned();
    }
    if hours.is_finite() && hours > 0.0 {
        // (unit, value in that unit, whether one decimal is allowed)
        let candidates = [
            ("y", hours / 8760.0, false),
            ("w", hours / 168.0, false),
            ("d", hours / 24.0, false),
            ("h", hours, true),
            ("m", hours * 60.0, false),
            ("s", hours * 3600.0, false),
        ];
        for (unit, value, one_decimal) in candidates {
            let rounded = if one_decimal {
                (value * 10.0).round() / 10.0
            } else {
                value.round()
            };
            if (1.0..1e7).contains(&rounded) {
                let text = format!("{rounded}{unit}");
                if read_hours(&text) == Ok(hours) {
                    return text;
                }
            }
        }
    }
    // `{}` and `{:e}` of an f64 are the shortest texts that read back to the same
    // value; `{:e}` keeps a value out of bounds short (5e-324 has 324 digits in `{}`).
    if hours == 0.0 || (Hours::SHORTEST..=Hours::LONGEST).contains(&hours.abs()) {
        format!("{hours}h")
    } else {
        format!("{hours:e}h")
    }
}

/// The distribution kinds, by the name used in the syntax.
#[derive(Clone, Copy)]
enum Name {
    Exp,
    Weibull,
    LogNormal,
    Gamma,
    Uniform,
    Fixed,
    Empirical,
}

impl Name {
    fn from_str(name: &str) -> Option<Name> {
        Some(match name {
            "exp" | "exponential" => Name::Exp,
            "weibull" => Name::Weibull,
            "lognormal" => Name::LogNormal,
            "gamma" => Name::Gamma,
            "uniform" => Name::Uniform,
            "fixed" => Name::Fixed,
            "empirical" => Name::Empirical,
            _ => return None,
        })
    }

    /// The canonical name, as in error messages.
    fn kind(self) -> &'static str {
        match self {
            Name::Exp => "exp",
            Name::Weibull => "weibull",
            Name::LogNormal => "lognormal",
            Name::Gamma => "gamma",
            Name::Uniform => "uniform",
            Name::Fixed => "fixed",
            Name::Empirical => "empirical",
        }
    }

    /// A complete example, as in error messages.
    fn example(self) -> &'static str {
        match self {
            Name::Exp => "exp(mean=2000h)",
            Name::Weibull => "weibull(shape=1.5, scale=1000h)",
            Name::LogNormal => LOGNORMAL_EXAMPLES,
            Name::Gamma => "gamma(shape=2, mean=10h)",
            Name::Uniform => "uniform(min=1h, max=3h)",
            Name::Fixed => "fixed(30s)",
            Name::Empirical => "empirical(2h, 3.5h, 8h)",
        }
    }

    /// The parameter names it takes (none for `empirical`, a list of durations).
    fn params(self) -> &'static [&'static str] {
        match self {
            Name::Exp => &["mean"],
            Name::Weibull => &["shape", "scale"],
            Name::LogNormal => &["median", "sigma", "mean", "p95"],
            Name::Gamma => &["shape", "mean"],
            Name::Uniform => &["min", "max"],
            Name::Fixed => &["value"],
            Name::Empirical => &[],
        }
    }
}

const LOGNORMAL_EXAMPLES: &str = "lognormal(median=6h, sigma=0.8) or lognormal(mean=6h, p95=20h)";
const LOGNORMAL_MEDIAN: &str = "lognormal(median=6h, sigma=0.8)";
const LOGNORMAL_MEAN: &str = "lognormal(mean=6h, p95=20h)";

/// Parses the compact syntax (see the documentation of [`Distribution`]).
pub(super) fn distribution(input: &str) -> Result<Distribution, DistError> {
    let syntax = |reason: String| DistError::Syntax {
        input: input.to_owned(),
        reason,
    };
    let text = input.trim();
    if text.is_empty() {
        return Err(syntax(
            "the text is empty; write a distribution such as exp(mean=2000h), or a duration \
             such as 4h for a fixed time"
                .to_owned(),
        ));
    }
    let Some((head, rest)) = text.split_once('(') else {
        return bare(input, text);
    };
    let head = head.trim();
    if head.is_empty() {
        return Err(syntax(
            "the distribution name before \"(\" is missing; write e.g. exp(mean=2000h)".to_owned(),
        ));
    }
    let Some(name) = Name::from_str(head) else {
        return Err(DistError::UnknownKind {
            name: head.to_owned(),
            input: input.to_owned(),
        });
    };
    let Some((inner, after)) = rest.split_once(')') else {
        return Err(syntax(format!(
            "the closing parenthesis is missing; write e.g. {}",
            name.example()
        )));
    };
    if inner.contains('(') {
        return Err(syntax(format!(
            "parentheses cannot be nested; write e.g. {}",
            name.example()
        )));
    }
    let after = after.trim();
    if !after.is_empty() {
        return Err(syntax(format!(
            "unexpected \"{after}\" after the closing parenthesis; remove it"
        )));
    }
    let args = arguments(inner).map_err(syntax)?;
    let args = Args { name, input, args };
    match name {
        Name::Exp => {
            let p = args.named()?;
            Distribution::exponential(p.duration("mean", name.example())?)
        }
        Name::Weibull => {
            let p = args.named()?;
            let shape = p.number("shape", name.example())?;
            Distribution::weibull(shape, p.duration("scale", name.example())?)
        }
        Name::LogNormal => lognormal(&args.named()?),
        Name::Gamma => {
            let p = args.named()?;
            let shape = p.number("shape", name.example())?;
            Distribution::gamma(shape, p.duration("mean", name.example())?)
        }
        Name::Uniform => {
            let p = args.named()?;
            let min = p.duration("min", name.example())?;
            Distribution::uniform(min, p.duration("max", name.example())?)
        }
        Name::Fixed => fixed(&args),
        Name::Empirical => empirical(&args),
    }
}

/// A text without parentheses: a duration (a fixed time), or a mistake.
fn bare(input: &str, text: &str) -> Result<Distribution, DistError> {
    let word_len = text
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(text.len());
    let word = &text[..word_len];
    if !word.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Distribution::fixed(parse_hours(text)?);
    }
    match Name::from_str(word) {
        Some(name) => Err(DistError::Syntax {
            input: input.to_owned(),
            reason: format!(
                "{} needs its parameters in parentheses; write e.g. {}",
                name.kind(),
                name.example()
            ),
        }),
        None => Err(DistError::UnknownKind {
            name: word.to_owned(),
            input: input.to_owned(),
        }),
    }
}

/// One argument between the parentheses.
enum Arg<'a> {
    /// `name=value`.
    Named(&'a str, &'a str),
    /// `value`.
    Positional(&'a str),
}

/// Splits the text between the parentheses into arguments; the error is the reason.
fn arguments(inner: &str) -> Result<Vec<Arg<'_>>, String> {
    if inner.trim().is_empty() {
        return Ok(Vec::new());
    }
    inner
        .split(',')
        .map(|arg| {
            let arg = arg.trim();
            if arg.is_empty() {
                return Err("there is an empty argument; remove the extra comma".to_owned());
            }
            let Some((name, value)) = arg.split_once('=') else {
                return Ok(Arg::Positional(arg));
            };
            let (name, value) = (name.trim(), value.trim());
            if name.is_empty() {
                Err(format!("the parameter name before \"=\" is missing in \"{arg}\""))
            } else if value.is_empty() {
                Err(format!("parameter \"{name}\" has no value after \"=\""))
            } else {
                Ok(Arg::Named(name, value))
            }
        })
        .collect()
}

/// The parsed arguments of one distribution.
struct Args<'a> {
    name: Name,
    input: &'a str,
    args: Vec<Arg<'a>>,
}

/// Named parameters, each known and given once.
struct Params<'a> {
    name: Name,
    input: &'a str,
    values: Vec<(&'static str, &'a str)>,
}

impl<'a> Args<'a> {
    fn syntax(&self, reason: String) -> DistError {
        DistError::Syntax {
            input: self.input.to_owned(),
            reason,
        }
    }

    fn unknown(&self, param: &str) -> DistError {
        DistError::UnknownParameter {
            kind: self.name.kind(),
            name: param.to_owned(),
            input: self.input.to_owned(),
            expected: self.name.params(),
        }
    }

    /// Checks that every argument is `name=value` with a known name given once.
    fn named(&self) -> Result<Params<'a>, DistError> {
        let mut values: Vec<(&'static str, &'a str)> = Vec::with_capacity(self.args.len());
        for arg in &self.args {
            let (param, value) = match *arg {
                Arg::Named(param, value) => (param, value),
                Arg::Positional(value) => {
                    return Err(self.syntax(format!(
                        "argument \"{value}\" has no parameter name; write e.g. {}",
                        self.name.example()
                    )));
                }
            };
            let Some(known) = self.name.params().iter().find(|known| **known == param) else {
                return Err(self.unknown(param));
            };
            if values.iter().any(|(seen, _)| seen == known) {
                return Err(DistError::DuplicateParameter {
                    kind: self.name.kind(),
                    param: param.to_owned(),
                    input: self.input.to_owned(),
                });
            }
            values.push((known, value));
        }
        Ok(Params {
            name: self.name,
            input: self.input,
            values,
        })
    }
}

impl Params<'_> {
    fn has(&self, param: &str) -> bool {
        self.values.iter().any(|(name, _)| *name == param)
    }

    /// The text of a required parameter.
    fn text(&self, param: &'static str, example: &'static str) -> Result<&str, DistError> {
        match self.values.iter().find(|(name, _)| *name == param) {
            Some((_, text)) => Ok(text),
            None => Err(DistError::MissingParameter {
                kind: self.name.kind(),
                param,
                input: self.input.to_owned(),
                example,
            }),
        }
    }

    fn bad_value(&self, param: &str, text: &str, reason: String) -> DistError {
        DistError::BadValue {
            kind: self.name.kind(),
            param: param.to_owned(),
            text: text.to_owned(),
            input: self.input.to_owned(),
            reason,
        }
    }

    /// A required duration parameter, in hours.
    fn duration(&self, param: &'static str, example: &'static str) -> Result<f64, DistError> {
        let text = self.text(param, example)?;
        read_hours(text).map_err(|reason| self.bad_value(param, text, reason))
    }

    /// A required plain-number parameter (no unit).
    fn number(&self, param: &'static str, example: &'static str) -> Result<f64, DistError> {
        let text = self.text(param, example)?;
        text.parse::<f64>().map_err(|_| {
            let reason = if read_hours(text).is_ok() {
                format!("{param} is a plain number, not a duration; remove the unit, e.g. {param}=1.5")
            } else {
                format!("\"{text}\" is not a number; write e.g. {param}=1.5")
            };
            self.bad_value(param, text, reason)
        })
    }
}

/// `lognormal(median=.., sigma=..)` or `lognormal(mean=.., p95=..)`.
fn lognormal(p: &Params<'_>) -> Result<Distribution, DistError> {
    let median_form = p.has("median") || p.has("sigma");
    let mean_form = p.has("mean") || p.has("p95");
    if median_form && mean_form {
        let given: Vec<&str> = p.values.iter().map(|(name, _)| *name).collect();
        return Err(DistError::Syntax {
            input: p.input.to_owned(),
            reason: format!(
                "lognormal takes either median and sigma, or mean and p95, not a mix (got {}); \
                 write e.g. {LOGNORMAL_EXAMPLES}",
                given.join(", ")
            ),
        });
    }
    if mean_form {
        let mean = p.duration("mean", LOGNORMAL_MEAN)?;
        Distribution::lognormal_mean_p95(mean, p.duration("p95", LOGNORMAL_MEAN)?)
    } else if median_form {
        let median = p.duration("median", LOGNORMAL_MEDIAN)?;
        Distribution::lognormal(median, p.number("sigma", LOGNORMAL_MEDIAN)?)
    } else {
        Err(DistError::MissingParameter {
            kind: "lognormal",
            param: "median",
            input: p.input.to_owned(),
            example: LOGNORMAL_EXAMPLES,
        })
    }
}

/// `fixed(30s)` or `fixed(value=30s)`.
fn fixed(args: &Args<'_>) -> Result<Distribution, DistError> {
    match args.args.as_slice() {
        [Arg::Positional(text)] => {
            let hours = read_hours(text).map_err(|reason| DistError::BadValue {
                kind: "fixed",
                param: "value".to_owned(),
                text: (*text).to_owned(),
                input: args.input.to_owned(),
                reason,
            })?;
            Distribution::fixed(hours)
        }
        [Arg::Named(..)] => {
            let p = args.named()?;
            Distribution::fixed(p.duration("value", Name::Fixed.example())?)
        }
        [] => Err(DistError::MissingParameter {
            kind: "fixed",
            param: "value",
            input: args.input.to_owned(),
            example: Name::Fixed.example(),
        }),
        many => Err(args.syntax(format!(
            "fixed takes one duration but got {}; write e.g. fixed(30s), or empirical(..) for several values",
            many.len()
        ))),
    }
}

/// `empirical(2h, 3.5h, 8h)`.
fn empirical(args: &Args<'_>) -> Result<Distribution, DistError> {
    let mut samples = Vec::with_capacity(args.args.len());
    for (index, arg) in args.args.iter().enumerate() {
        match *arg {
            Arg::Positional(text) => samples.push(read_hours(text).map_err(|reason| DistError::BadValue {
                kind: "empirical",
                param: format!("sample number {}", index + 1),
                text: text.to_owned(),
                input: args.input.to_owned(),
                reason,
            })?),
            Arg::Named(name, _) => {
                return Err(args.syntax(format!(
                    "empirical takes a plain list of durations, without names; remove \"{name}=\", \
                     e.g. empirical(2h, 3.5h, 8h)"
                )));
            }
        }
    }
    Distribution::empirical(samples)
}
