//! Value axes: a scale (linear, log or symmetric log) with chosen ticks and labels.
//!
//! plotters' own axes label ticks with `Debug` numbers; the charts want durations
//! (`1 min`, `4 h`, `1 w`), money (`350 M`) and percentages, and a symmetric log
//! scale that can show zero beside minutes and days. [`Axis`] is a plotters
//! coordinate ([`Ranged`]) whose ticks and labels are fixed when it is built.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};

use crate::report::{format_money, human_hours};

/// How values map onto the axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Scale {
    /// Position proportional to the value.
    Linear,
    /// Position proportional to log10(value); values must be positive.
    Log,
    /// Position proportional to log10(1 + value / linear): linear near zero (below
    /// `linear`), logarithmic above, and zero is a position like any other.
    Symlog {
        /// The value where the scale turns from linear to logarithmic.
        linear: f64,
    },
}

impl Scale {
    /// The value on the scale's own straight line.
    fn transform(self, value: f64) -> f64 {
        match self {
            Scale::Linear => value,
            Scale::Log => value.max(f64::MIN_POSITIVE).log10(),
            Scale::Symlog { linear } => value.signum() * (1.0 + value.abs() / linear).log10(),
        }
    }
}

/// A plotters coordinate with fixed ticks and labels.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Axis {
    scale: Scale,
    lo: f64,
    hi: f64,
    /// Labelled ticks, with their grid lines.
    ticks: Vec<(f64, String)>,
    /// Unlabelled grid lines between the ticks.
    minor: Vec<f64>,
}

impl Axis {
    /// An axis from `lo` to `hi` with these labelled ticks (those outside are dropped).
    pub(super) fn new(scale: Scale, lo: f64, hi: f64, ticks: Vec<(f64, String)>) -> Axis {
        let (a, b) = (lo.min(hi), lo.max(hi));
        let ticks = ticks.into_iter().filter(|(v, _)| *v >= a && *v <= b).collect();
        Axis {
            scale,
            lo,
            hi,
            ticks,
            minor: Vec::new(),
        }
    }

    /// An axis without ticks: a frame for categories drawn by hand.
    pub(super) fn bare(lo: f64, hi: f64) -> Axis {
        Axis::new(Scale::Linear, lo, hi, Vec::new())
    }

    /// Adds unlabelled grid lines.
    pub(super) fn with_minor(mut self, minor: Vec<f64>) -> Axis {
        let (a, b) = (self.lo.min(self.hi), self.lo.max(self.hi));
        self.minor = minor.into_iter().filter(|v| *v >= a && *v <= b).collect();
        self
    }

    /// The fraction of the way from `lo` to `hi` at which `value` sits. Values far
    /// outside the axis are held at a little beyond its ends, so a stray value cannot
    /// overflow pixel coordinates; NaN sits at the start.
    pub(super) fn fraction(&self, value: f64) -> f64 {
        if value.is_nan() {
            return 0.0;
        }
        let (lo, hi) = (self.scale.transform(self.lo), self.scale.transform(self.hi));
        let f = (self.scale.transform(value) - lo) / (hi - lo);
        if f.is_nan() { 0.0 } else { f.clamp(-0.5, 1.5) }
    }

    /// The labelled ticks.
    #[cfg(test)]
    pub(super) fn ticks(&self) -> &[(f64, String)] {
        &self.ticks
    }

    /// The axis's ends.
    pub(super) fn bounds(&self) -> (f64, f64) {
        (self.lo, self.hi)
    }

    /// The value at fraction `f` of the way from `lo` to `hi`.
    #[cfg(test)]
    pub(super) fn value_at(&self, f: f64) -> f64 {
        let (lo, hi) = (self.scale.transform(self.lo), self.scale.transform(self.hi));
        let t = lo + f * (hi - lo);
        match self.scale {
            Scale::Linear => t,
            Scale::Log => 10f64.powf(t),
            Scale::Symlog { linear } => t.signum() * (10f64.powf(t.abs()) - 1.0) * linear,
        }
    }

    /// A duration axis \[h\] from zero to at least `max`, on a symmetric log scale
    /// whose linear part ends at a round duration at or below `smallest` (the smallest
    /// positive value to show), ticked at round durations.
    pub(super) fn hours(smallest: f64, max: f64) -> Axis {
        Axis::hours_apart(smallest, max, 0.06)
    }

    /// [`Axis::hours`] with labelled ticks at least `apart` of the axis apart (a
    /// fraction; 0.06 for a chart-wide axis, more for a narrow one so that labels do
    /// not run into each other).
    pub(super) fn hours_apart(smallest: f64, max: f64, apart: f64) -> Axis {
        let apart = if apart.is_finite() { apart.clamp(0.0, 0.5) } else { 0.06 };
        let max = bounded(max);
        const STEPS: [f64; 6] = [1.0 / 3600.0, 10.0 / 3600.0, 1.0 / 60.0, 10.0 / 60.0, 1.0, 24.0];
        let linear = STEPS.iter().rev().copied().find(|s| *s <= smallest).unwrap_or(STEPS[0]);
        let hi = DURATION_TICKS
            .iter()
            .copied()
            .find(|t| *t >= max.max(linear * 10.0))
            .unwrap_or_else(|| max.max(1.0));
        let scale = Scale::Symlog { linear };
        // Keep ticks that are at least `apart` of the axis apart, largest first so the
        // end of the axis is labelled.
        let span = scale.transform(hi);
        let mut kept: Vec<f64> = Vec::new();
        for &t in DURATION_TICKS.iter().rev().filter(|t| **t <= hi && **t >= linear) {
            if kept
                .last()
                .is_none_or(|k| scale.transform(*k) - scale.transform(t) >= apart * span)
            {
                kept.push(t);
            }
        }
        kept.push(0.0);
        kept.reverse();
        let ticks = kept.into_iter().map(|t| (t, duration_label(t))).collect();
        let minor = DURATION_TICKS.iter().copied().filter(|t| *t >= linear).collect();
        Axis::new(scale, 0.0, hi, ticks).with_minor(minor)
    }

    /// A linear axis from zero (or `min`, if negative) to a round number at or above
    /// `max`, ticked at about `count` round numbers labelled by `label`.
    pub(super) fn linear(min: f64, max: f64, count: usize, label: impl Fn(f64) -> String) -> Axis {
        let count = count.clamp(1, MAX_TICKS / 2);
        let lo = bounded(min).min(0.0);
        let max = bounded(max);
        let hi = if max > lo { max } else { lo + 1.0 };
        let step = nice_step((hi - lo) / count as f64);
        let lo = (lo / step).floor() * step;
        let hi = (hi / step - 1e-9).ceil() * step;
        let n = (((hi - lo) / step).round() as usize).min(MAX_TICKS);
        let ticks = (0..=n)
            .map(|i| {
                let v = lo + i as f64 * step;
                (v, label(v))
            })
            .collect();
        Axis::new(Scale::Linear, lo, hi, ticks)
    }

    /// A linear axis from `lo` to `hi` exactly, ticked at about `count` round numbers
    /// within.
    pub(super) fn ticked(lo: f64, hi: f64, count: usize, label: impl Fn(f64) -> String) -> Axis {
        let count = count.clamp(1, MAX_TICKS / 2);
        let (lo, hi) = (bounded(lo), bounded(hi));
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let step = nice_step((hi - lo) / count as f64);
        let first = (lo / step).ceil() as i64;
        let last = ((hi / step + 1e-9).floor() as i64).min(first.saturating_add(MAX_TICKS as i64));
        let ticks = (first..=last)
            .map(|k| {
                let v = k as f64 * step;
                (v, label(v))
            })
            .collect();
        Axis::new(Scale::Linear, lo, hi, ticks)
    }

    /// A log axis over whole decades covering `[min, max]` (both positive), ticked
    /// at each decade and with grid lines at 2..9 times each.
    pub(super) fn log(min: f64, max: f64, label: impl Fn(f64) -> String) -> Axis {
        // A log axis needs a positive finite start and end: a minimum of 0 kept every
        // tick at 0, and a maximum of 1.5e308 ran the ticks past f64::MAX, for ever.
        let min = bounded(min).max(LOG_SMALLEST);
        let max = bounded(max);
        let lo = 10f64.powf(min.log10().floor());
        let top = max.max(min * 10.0);
        // The end is the first of 1, 2, 5 × 10^k at or above the maximum.
        let decade = 10f64.powf(top.log10().floor());
        let hi = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * decade)
            .find(|v| *v >= top * 0.999_999)
            .unwrap_or(decade * 10.0);
        let mut ticks = Vec::new();
        let mut minor = Vec::new();
        let mut d = lo;
        while d <= hi * 1.000_001 && ticks.len() < MAX_TICKS {
            ticks.push((d, label(d)));
            minor.extend((2..10).map(|m| m as f64 * d));
            d *= 10.0;
        }
        Axis::new(Scale::Log, lo, hi, ticks).with_minor(minor)
    }
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let f = self.fraction(*value);
        (f64::from(limit.0) + f * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let mut points: Vec<f64> = self.ticks.iter().map(|(v, _)| *v).collect();
        if hint.weight().allow_light_points() {
            points.extend(self.minor.iter().copied());
        }
        points
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for Axis {
    fn format_ext(&self, value: &f64) -> String {
        self.ticks
            .iter()
            .find(|(v, _)| v == value)
            .map(|(_, label)| label.clone())
            .unwrap_or_default()
    }
}

/// Round durations \[h\] an axis may be ticked at.
/// The most ticks an axis has, whatever its values.
const MAX_TICKS: usize = 64;
/// The largest magnitude an axis spans: values past it (up to ±f64::MAX, or infinite)
/// are drawn at it, so that ticks and their labels stay finite and few.
const AXIS_LIMIT: f64 = 1e300;
/// The smallest start of a log axis.
const LOG_SMALLEST: f64 = 1e-300;

/// `value` within ±[`AXIS_LIMIT`], NaN taken as 0.
fn bounded(value: f64) -> f64 {
    if value.is_nan() {
        0.0
    } else {
        value.clamp(-AXIS_LIMIT, AXIS_LIMIT)
    }
}

const DURATION_TICKS: [f64; 19] = [
    1.0 / 3600.0,
    10.0 / 3600.0,
    1.0 / 60.0,
    5.0 / 60.0,
    10.0 / 60.0,
    0.5,
    1.0,
    2.0,
    4.0,
    8.0,
    24.0,
    72.0,
    168.0,
    720.0,
    2160.0,
    8760.0,
    87_600.0,
    876_000.0,
    8_760_000.0,
];

/// A round duration \[h\] as a tick label: `0`, `10 s`, `5 min`, `4 h`, `3 d`, `1 w`,
/// `30 d`, `1 y`; anything else as [`human_hours`].
pub(super) fn duration_label(hours: f64) -> String {
    let seconds = (hours * 3600.0).round();
    if hours == 0.0 {
        "0".into()
    } else if seconds < 60.0 {
        format!("{seconds} s")
    } else if hours < 1.0 {
        format!("{} min", (hours * 60.0).round())
    } else if hours < 24.0 && hours.fract() == 0.0 {
        format!("{hours} h")
    } else if hours == 168.0 {
        "1 w".into()
    } else if hours >= 8760.0 && (hours / 8760.0).fract() == 0.0 {
        format!("{} y", hours / 8760.0)
    } else if (hours / 24.0).fract() == 0.0 {
        format!("{} d", hours / 24.0)
    } else {
        human_hours(hours)
    }
}

/// The smallest of 1, 2, 2.5, 5 × 10^k at or above `raw`.
fn nice_step(raw: f64) -> f64 {
    if raw.is_nan() || raw <= 0.0 || raw.is_infinite() {
        return 1.0;
    }
    let decade = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * decade)
        .find(|s| *s >= raw * 0.999_999)
        .unwrap_or(decade * 10.0)
}

/// A number with three significant digits and a k / M / bn suffix: `950`, `1.88 M`,
/// `351 M`, `1.56 bn`. Used for money, where the currency is on the axis.
pub(super) fn short_number(value: f64) -> String {
    let magnitude = value.abs();
    if !value.is_finite() {
        return "-".to_owned();
    }
    if magnitude >= 1e12 {
        return format!("{value:.1e}");
    }
    let (scaled, suffix) = if magnitude >= 1e9 {
        (value / 1e9, " bn")
    } else if magnitude >= 1e6 {
        (value / 1e6, " M")
    } else if magnitude >= 1e3 {
        (value / 1e3, " k")
    } else {
        (value, "")
    };
    let digits = if scaled.abs() >= 100.0 || scaled == scaled.round() {
        0
    } else if scaled.abs() >= 10.0 {
        1
    } else {
        2
    };
    let text = format!("{scaled:.digits$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    };
    format!("{text}{suffix}")
}

/// An amount with its currency, rounded for a label: `1.88 M USD`; whole amounts
/// below a thousand as [`format_money`].
/// A tick value as written: `{}` for ordinary magnitudes, with an exponent for tiny or
/// huge ones (`{}` of 1e-312 has 313 digits).
pub(super) fn tick_number(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude == 0.0 || (1e-4..1e9).contains(&magnitude) {
        format!("{value}")
    } else if value.is_finite() {
        format!("{value:.1e}")
    } else {
        "-".to_owned()
    }
}

pub(super) fn short_money(amount: f64, currency: &str) -> String {
    if amount.abs() < 1e3 {
        format_money(amount, currency)
    } else if currency.is_empty() {
        short_number(amount)
    } else {
        format!("{} {currency}", short_number(amount))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duration_labels_are_round() {
        let labels: Vec<String> = [0.0, 10.0 / 3600.0, 5.0 / 60.0, 4.0, 72.0, 168.0, 720.0, 8760.0]
            .iter()
            .map(|h| duration_label(*h))
            .collect();
        assert_eq!(labels, ["0", "10 s", "5 min", "4 h", "3 d", "1 w", "30 d", "1 y"]);
    }

    #[test]
    fn short_numbers_keep_three_digits() {
        assert_eq!(short_number(950.0), "950");
        assert_eq!(short_number(1_880_606.0), "1.88 M");
        assert_eq!(short_number(11_579_912.0), "11.6 M");
        assert_eq!(short_number(351_342_612.0), "351 M");
        assert_eq!(short_number(1_562_378_240.0), "1.56 bn");
        assert_eq!(short_number(2_000_000.0), "2 M");
        assert_eq!(short_number(1_500_000.0), "1.5 M");
        assert_eq!(short_money(1_880_606.0, "USD"), "1.88 M USD");
        assert_eq!(short_money(12.0, "EUR"), "12 EUR");
    }

    #[test]
    fn hours_axis_starts_at_zero_and_ends_on_a_round_duration() {
        let axis = Axis::hours(0.0667, 73.6);
        assert_eq!(axis.bounds(), (0.0, 168.0));
        assert_eq!(axis.scale, Scale::Symlog { linear: 1.0 / 60.0 });
        let labels: Vec<&str> = axis.ticks().iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels.first(), Some(&"0"));
        assert_eq!(labels.last(), Some(&"1 w"));
        assert_eq!(axis.fraction(0.0), 0.0);
        assert_eq!(axis.fraction(168.0), 1.0);
        // Ticks are kept apart.
        for pair in axis.ticks().windows(2) {
            assert!(
                axis.fraction(pair[1].0) - axis.fraction(pair[0].0) >= 0.06 - 1e-12,
                "{pair:?}"
            );
        }
    }

    #[test]
    fn symlog_round_trips() {
        let axis = Axis::hours(1.0, 8000.0);
        for v in [0.0, 0.5, 1.0, 30.0, 8000.0] {
            let back = axis.value_at(axis.fraction(v));
            assert!((back - v).abs() <= 1e-9 * v.max(1.0), "{v} -> {back}");
        }
    }

    #[test]
    fn linear_axis_is_ticked_at_round_numbers() {
        let axis = Axis::linear(0.0, 23.0, 5, |v| format!("{v}"));
        assert_eq!(axis.bounds(), (0.0, 25.0));
        let values: Vec<f64> = axis.ticks().iter().map(|(v, _)| *v).collect();
        assert_eq!(values, [0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
    }

    #[test]
    fn ticked_axis_keeps_its_ends() {
        let axis = Axis::ticked(0.0, 365.0, 8, |v| format!("{v}"));
        assert_eq!(axis.bounds(), (0.0, 365.0));
        let values: Vec<f64> = axis.ticks().iter().map(|(v, _)| *v).collect();
        assert_eq!(values, [0.0, 50.0, 100.0, 150.0, 200.0, 250.0, 300.0, 350.0]);
    }

    #[test]
    fn log_axis_covers_whole_decades() {
        let axis = Axis::log(1.8e6, 1.56e9, short_number);
        assert_eq!(axis.bounds(), (1e6, 2e9));
        let labels: Vec<&str> = axis.ticks().iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["1 M", "10 M", "100 M", "1 bn"]);
        assert_eq!(axis.fraction(1e6), 0.0);
    }

    #[test]
    fn stray_values_stay_near_the_axis() {
        let axis = Axis::log(1.0, 100.0, short_number);
        assert_eq!(axis.fraction(0.0), -0.5);
        assert_eq!(axis.fraction(f64::NAN), 0.0);
        assert_eq!(axis.fraction(1e300), 1.5);
    }
}
