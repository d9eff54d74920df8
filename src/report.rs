//! What a run reports: serialisable result types, and the table a person reads.
//!
//! All durations are hours. "Per year" means per replication scaled by
//! 1 y / horizon (1 y = 8760 h): with the default horizon of one year, each
//! replication is one simulated year.

use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};

use crate::stats::Moments;

mod check;
pub(crate) mod disruptions;
pub(crate) mod format;

pub use check::ReportError;
#[cfg(feature = "charts")]
pub(crate) use disruptions::share;

/// The result of simulating a scenario: one entry per option.
///
/// Reports serialise with serde; one read back is checked ([`Report::check`]) so
/// that it holds what every report the simulator writes holds.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "check::Unchecked")]
pub struct Report {
    /// The scenario's name.
    pub scenario: String,
    /// The seed the run used.
    pub seed: u64,
    /// Windows of `horizon_hours` measured per option (the replications asked for,
    /// rounded up to whole histories; with a precision target, the cap).
    pub replications: u64,
    /// Length of each measured window \[h\].
    pub horizon_hours: f64,
    /// How histories started: `steady` (a system in service, after a warm-up) or `new`.
    pub start: Start,
    /// The warm-up each history ran before its first measured window \[h\] (0 with
    /// `start = new`).
    pub warm_up_hours: f64,
    /// Consecutive windows each history measured after its warm-up (1 with
    /// `start = new`).
    pub windows_per_history: u64,
    /// The version of nines that produced the report (results depend on it).
    pub version: String,
    /// The precision target the run stopped at, if it had one (then `replications`
    /// is the cap, and each option says how many it ran).
    pub precision: Option<f64>,
    /// The recovery time objective \[h\] (`[sla] rto`), if the run had one: each
    /// class of disruption reports the share of the outages it started that lasted no
    /// longer ([`DisruptionReport::within_rto`]).
    pub rto_hours: Option<f64>,
    /// The recovery point objective \[h\] (`[sla] rpo`), if the run had one: each
    /// class of disruption reports the share of its disruptions that lost no more data
    /// ([`DisruptionReport::within_rpo`]).
    pub rpo_hours: Option<f64>,
    /// One entry per option, in the scenario's order.
    pub options: Vec<OptionReport>,
    /// Option names from the cheapest expected total cost to the dearest (by mean
    /// downtime when there are no costs); empty without costs or an SLA.
    pub ranking: Vec<String>,
    /// The cheapest option that meets the SLA, else the cheapest; `None` without
    /// costs or an SLA.
    pub recommendation: Option<Recommendation>,
    /// When the options are a sweep of one setting: the setting and its values, in
    /// the options' order.
    pub sweep: Option<Sweep>,
    /// What the numbers do not say and a reader must know: costs of infrastructure
    /// alone (no rate prices downtime or lost data), a risk left unpriced, a tier that
    /// never fails by assumption.
    pub warnings: Vec<String>,
}

/// How a run went, beyond its settings: what [`Report::new`] records.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub(crate) seed: u64,
    pub(crate) replications: u64,
    pub(crate) horizon_hours: f64,
    pub(crate) start: Start,
    pub(crate) warm_up_hours: f64,
    pub(crate) windows_per_history: u64,
    pub(crate) precision: Option<f64>,
    pub(crate) rto_hours: Option<f64>,
    pub(crate) rpo_hours: Option<f64>,
    pub(crate) warnings: Vec<String>,
}

/// The shortest horizon a run may have, and so a report \[h\]: one hour
/// ([`Simulation::MIN_HORIZON`](crate::Simulation::MIN_HORIZON)).
pub(crate) const MIN_HORIZON: f64 = 1.0;
/// The longest horizon or warm-up \[h\]: a thousand years.
pub(crate) const MAX_HORIZON: f64 = 1000.0 * crate::HOURS_PER_YEAR;
/// The most replications a run may ask for.
pub(crate) const MAX_REPLICATIONS: u64 = 10_000_000_000;

/// How each history starts, and so what a window measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Start {
    /// A system in service (the default): each history runs a warm-up that is
    /// simulated but not measured, so that what is measured no longer remembers the
    /// as-new start: replicas have their ages, standbys may have died silently,
    /// backups may have been found bad, drills and backups have a random phase.
    #[default]
    Steady,
    /// A new system: every replica new and up at t = 0, standbys healthy, a good
    /// backup at t = 0, drills and backups at multiples of their intervals from t = 0;
    /// the window is measured from there. For a new system, and for checks against
    /// transient (finite-horizon) formulas.
    New,
}

impl Start {
    /// The name used in scenario files: `steady` or `new`.
    pub fn as_str(self) -> &'static str {
        match self {
            Start::Steady => "steady",
            Start::New => "new",
        }
    }
}

/// The setting a sweep varied.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// The tier whose setting was swept.
    pub tier: String,
    /// The key path within the tier, e.g. `failover.test_every`.
    pub key: String,
    /// The values, as written, one per option.
    pub values: Vec<String>,
}

/// The option a comparison recommends, and why.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// The option's name.
    pub option: String,
    /// Why, in one sentence.
    pub reason: String,
}

impl Sweep {
    /// A sweep of `key` (a key path within `tier`) over `values`, one per option, for
    /// reports whose options a program built itself.
    pub fn new(tier: impl Into<String>, key: impl Into<String>, values: Vec<String>) -> Self {
        Sweep {
            tier: tier.into(),
            key: key.into(),
            values,
        }
    }
}

impl Report {
    /// Assembles a report, not yet ranked (see [`crate::compare`]).
    pub(crate) fn new(scenario: &str, run: Run, options: Vec<OptionReport>) -> Report {
        Report {
            scenario: scenario.to_owned(),
            seed: run.seed,
            replications: run.replications,
            horizon_hours: run.horizon_hours,
            start: run.start,
            warm_up_hours: run.warm_up_hours,
            windows_per_history: run.windows_per_history,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            precision: run.precision,
            rto_hours: run.rto_hours,
            rpo_hours: run.rpo_hours,
            options,
            ranking: Vec::new(),
            recommendation: None,
            sweep: None,
            warnings: run.warnings,
        }
    }

    /// The option of that name.
    pub fn option(&self, name: &str) -> Option<&OptionReport> {
        self.options.iter().find(|o| o.name == name)
    }
}

/// `value` with `decimals` decimals: `-` for NaN or ±∞, and with an exponent from
/// 1e15 on (`1.500e308`), so that no number is printed as hundreds of digits.
pub(crate) fn fixed(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        "-".to_owned()
    } else if value.abs() >= 1e15 {
        format!("{value:.3e}")
    } else {
        format!("{value:.decimals$}")
    }
}

/// `value` in scientific notation with `decimals` decimals (`1.234e-5`), `-` for NaN
/// or ±∞.
pub(crate) fn scientific(value: f64, decimals: usize) -> String {
    if value.is_finite() {
        format!("{value:.decimals$e}")
    } else {
        "-".to_owned()
    }
}

/// Writes an amount of money as the reports do: rounded to a whole unit, thousands
/// separated by commas, then the currency after a space (none when `currency` is
/// empty).
///
/// From 1e15 on the amount is written with an exponent (`1.500e19 USD`) rather than as
/// many digits, and NaN or ±∞ as `-` (with no currency).
///
/// ```
/// use nines::format_money;
///
/// assert_eq!(format_money(1_234_567.4, "USD"), "1,234,567 USD");
/// assert_eq!(format_money(-999.5, "EUR"), "-1,000 EUR");
/// assert_eq!(format_money(36_558.0, ""), "36,558");
/// assert_eq!(format_money(1.5e19, "USD"), "1.500e19 USD");
/// assert_eq!(format_money(f64::NAN, "USD"), "-");
/// ```
pub fn format_money(amount: f64, currency: &str) -> String {
    if !amount.is_finite() {
        return "-".to_owned();
    }
    if amount.abs() >= 1e15 {
        let text = format!("{amount:.3e}");
        return if currency.is_empty() {
            text
        } else {
            format!("{text} {currency}")
        };
    }
    let rounded = amount.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if rounded < 0.0 { "-" } else { "" };
    if currency.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped} {currency}")
    }
}

/// The results of one option (one way of building the service).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionReport {
    /// The option's name.
    pub name: String,
    /// Replications simulated for this option.
    pub replications: u64,
    /// Fraction of time the service was up: Σ uptime / (replications · horizon),
    /// planned downtime counted, and left out (`availability.excluding_planned`).
    pub availability: Availability,
    /// 1 − availability.
    pub unavailability: Estimate,
    /// −log10(unavailability); `None` (JSON `null`) when no downtime was seen.
    pub nines: Option<f64>,
    /// Service downtime per year \[h\].
    pub downtime_hours_per_year: Spread,
    /// Downtime per year \[h\] at each percentile 0, 1, ..., 100 (nearest rank, to
    /// 0.2 %): the distribution across simulated years, for charts.
    pub downtime_percentiles_hours: Vec<f64>,
    /// Service outages per year.
    pub outages_per_year: Estimate,
    /// Unplanned outages per year: the maximal intervals of unplanned downtime (an
    /// outage that is planned throughout is not one; one that is partly planned
    /// counts once).
    pub unplanned_outages_per_year: Estimate,
    /// Durations of service outages \[h\].
    pub outage_duration_hours: OutageDurations,
    /// Service uptime divided by the number of outages \[h\]; `None` without outages.
    pub service_mtbf_hours: Option<f64>,
    /// Hours of data lost per year by restores: for each destruction brought back from
    /// a backup, the time from that backup to the destruction (the recovery point
    /// achieved). Losses for good are not in it: they are counted apart.
    pub data_loss_hours_per_year: DataLoss,
    /// Destructions of data brought back from a backup, per year.
    pub restore_events_per_year: Estimate,
    /// Losses for good per year: destructions of data that no backup brought back
    /// (no backup policy, or every backup bad).
    pub unrecoverable_events_per_year: Estimate,
    /// The probability that a measured window (a year, with the default horizon) has
    /// at least one loss for good: the share of windows that had one.
    pub unrecoverable_probability: Estimate,
    /// Restore attempts that found a backup unrestorable, per year.
    pub bad_backups_per_year: f64,
    /// What failover tiers did, per year (all zero without failover tiers).
    pub failover: FailoverStats,
    /// What the option costs per year; `None` when the run had no costs.
    pub cost: Option<CostReport>,
    /// How the option fares against the SLA; `None` when the run had no SLA.
    pub sla: Option<SlaReport>,
    /// Simulated events per replication (failures, repairs, ...): what the run cost.
    pub events_per_replication: f64,
    /// What each class of disruption did, in a fixed order (replica failure, tier-wide
    /// failure, site outage, site disaster, data destruction, failover test); only the
    /// classes that happened.
    pub disruptions: Vec<DisruptionReport>,
    /// Per tier, in series order.
    pub tiers: Vec<TierReport>,
    /// Where the single points of failure are: every component that can fail (tier,
    /// dependency, site) with its own unavailability, its share of the downtime and
    /// what it would save if it never failed, ranked ([`Simulation::importance`]).
    /// `None`, and absent from JSON, unless it was asked for: `nines spof --out`, or a
    /// program that sets it from [`Simulation::importance`] on this option's model and
    /// the run's settings.
    ///
    /// [`Simulation::importance`]: crate::Simulation::importance
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<Vec<crate::Importance>>,
    /// This option against the recommended one, on the same simulated years: the
    /// differences of their costs, downtime and data lost, with the standard errors
    /// of the paired differences. `None` (JSON `null`) for the recommended option
    /// itself, and when there is no recommendation (no costs and no SLA) or too many
    /// options to pair ([`MAX_PAIRED_OPTIONS`](crate::MAX_PAIRED_OPTIONS)).
    #[serde(default)]
    pub versus_recommended: Option<Versus>,
}

/// An option against the recommended one: `this option − the recommended one`, per
/// year, estimated history by history on the same simulated years (common random
/// numbers), so that most of the chance both options meet cancels.
///
/// Each [`Difference`] also gives the standard error two independent runs would
/// have had (`unpaired_std_error`): the ratio of the two says how much the pairing
/// sharpened the comparison (options that share most of their components differ in
/// few years, and their paired error is a small fraction of the unpaired one).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Versus {
    /// The option compared with: the recommended one.
    pub recommended: String,
    /// Histories both options ran: the pairs the differences come from (a history
    /// measures one or more consecutive years). With a precision target each option
    /// stops at its own count: the differences are then over the histories both ran,
    /// each option's own figures over all of its own, and the two may differ a little.
    pub histories: u64,
    /// Difference of the expected total cost per year; `None` without costs.
    pub cost_per_year: Option<Difference>,
    /// Difference of the downtime per year \[h\].
    pub downtime_hours_per_year: Difference,
    /// Difference of the hours of data lost per year \[h\].
    pub data_loss_hours_per_year: Difference,
}

/// A paired difference (see [`Versus`]): its estimate, with the standard error and
/// 95 % interval of the paired difference, and the standard error the same
/// difference would have from two independent runs.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// The difference, its paired standard error and 95 % interval.
    #[serde(flatten)]
    pub estimate: Estimate,
    /// The standard error of the same difference from two independent runs of the
    /// same sizes: √(se₁² + se₂²).
    pub unpaired_std_error: f64,
}

impl Difference {
    /// The paired standard error as a fraction of the unpaired one; `None` when the
    /// unpaired one is 0.
    pub fn paired_to_unpaired(&self) -> Option<f64> {
        (self.unpaired_std_error > 0.0).then(|| self.estimate.std_error / self.unpaired_std_error)
    }

    /// Whether the 95 % interval of the difference holds 0: the numbers cannot tell
    /// which option is ahead.
    pub fn inconclusive(&self) -> bool {
        self.estimate.ci95[0] <= 0.0 && self.estimate.ci95[1] >= 0.0
    }
}

/// The service's availability: planned downtime counted (the fields of an
/// [`Estimate`], which it dereferences to), and left out.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Availability {
    /// With planned downtime counted as downtime.
    #[serde(flatten)]
    pub estimate: Estimate,
    /// With planned downtime (maintenance, failover tests) counted as uptime: the
    /// availability an SLA that excludes planned work measures.
    pub excluding_planned: Estimate,
}

impl std::ops::Deref for Availability {
    type Target = Estimate;

    fn deref(&self) -> &Estimate {
        &self.estimate
    }
}

/// An estimated quantity: its value (a mean over simulated histories), the standard
/// error of that mean and its 95 % interval. Every estimated figure of a report that
/// a decision rests on is one: availability, downtime, outages, data lost, losses for
/// good, costs, and the differences between options.
///
/// The interval is Hall's skewness-corrected one around `mean` (see the crate docs,
/// *Intervals*): not symmetric when the per-history values are skewed, as those of a
/// highly available service are (most years have no downtime, a few have hours).
/// It is clamped to [0, 1] for fractions and at 0 below for quantities that cannot
/// be negative; a difference is not clamped.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The estimate: the mean over the simulated histories.
    pub mean: f64,
    /// Its standard error, from the spread across histories.
    pub std_error: f64,
    /// Its 95 % interval.
    pub ci95: [f64; 2],
}

/// The standard normal's 97.5 % quantile.
pub(crate) const Z_975: f64 = 1.959_963_984_540_054;

impl Estimate {
    /// The mean of per-history fractions, with Hall's (1992) skewness-corrected 95 %
    /// interval, clamped to [0, 1].
    ///
    /// With `t = (x̄ − μ)/se` and `a = g₁/(3√n)` (`g₁` the sample skewness), the
    /// transformation `g(t) = t + a·t² + a²·t³/3 + a/2` makes `g(t)` close to standard
    /// normal up to O(1/n) (the skewness of `t` is removed), and it is increasing, so
    /// `−z ≤ g(t) ≤ z` gives `μ ∈ [x̄ − g⁻¹(z)·se, x̄ − g⁻¹(−z)·se]`. Without skewness
    /// it is the normal interval `x̄ ± z·se`.
    pub(crate) fn fraction(moments: &Moments) -> Estimate {
        let mut estimate = Estimate::unbounded(moments);
        estimate.ci95 = [estimate.ci95[0].max(0.0), estimate.ci95[1].min(1.0)];
        estimate
    }

    /// The mean of per-history values that cannot be negative (hours, counts,
    /// money), with Hall's interval, clamped at 0 below.
    pub(crate) fn nonnegative(moments: &Moments) -> Estimate {
        let mut estimate = Estimate::unbounded(moments);
        estimate.ci95[0] = estimate.ci95[0].max(0.0);
        estimate
    }

    /// This estimate times `factor` (a rate, or a change of unit), its interval
    /// scaled alike.
    pub(crate) fn scaled(&self, factor: f64) -> Estimate {
        let ends = self.ci95.map(|x| x * factor);
        Estimate {
            mean: self.mean * factor,
            std_error: self.std_error * factor.abs(),
            ci95: [ends[0].min(ends[1]), ends[0].max(ends[1])],
        }
    }

    /// This estimate plus a known amount.
    pub(crate) fn shifted(&self, amount: f64) -> Estimate {
        Estimate {
            mean: self.mean + amount,
            std_error: self.std_error,
            ci95: self.ci95.map(|x| x + amount),
        }
    }

    /// An exact value: no standard error, its interval the value itself.
    pub(crate) fn exact(value: f64) -> Estimate {
        Estimate {
            mean: value,
            std_error: 0.0,
            ci95: [value, value],
        }
    }

    /// The mean of per-history values of any sign (a difference, say) with Hall's
    /// interval, unclamped.
    pub(crate) fn unbounded(moments: &Moments) -> Estimate {
        let mean = moments.mean();
        let std_error = moments.std_error();
        // |g₁| < √n for any n values, so |a| < 1/3: a value beyond (rounding in the
        // power sums of values that hardly vary) is brought back to that bound.
        let a = if moments.count() < 2 {
            0.0
        } else {
            let a = moments.skewness() / (3.0 * (moments.count() as f64).sqrt());
            if a.is_finite() {
                a.clamp(-1.0 / 3.0, 1.0 / 3.0)
            } else {
                0.0
            }
        };
        Estimate {
            mean,
            std_error,
            ci95: [
                mean - hall_inverse(a, Z_975) * std_error,
                mean - hall_inverse(a, -Z_975) * std_error,
            ],
        }
    }

    /// The estimate of the negative: the interval mirrored.
    pub(crate) fn negated(&self) -> Estimate {
        Estimate {
            mean: -self.mean,
            std_error: self.std_error,
            ci95: [-self.ci95[1], -self.ci95[0]],
        }
    }

    /// The estimate of 1 − this fraction.
    pub(crate) fn complement(&self) -> Estimate {
        Estimate {
            mean: 1.0 - self.mean,
            std_error: self.std_error,
            ci95: [1.0 - self.ci95[1], 1.0 - self.ci95[0]],
        }
    }
}

/// The inverse of Hall's transformation `g(t) = ((1 + a·t)³ − 1)/(3a) + a/2` at `y`:
/// `((1 + 3a·(y − a/2))^{1/3} − 1)/a`, written as `3·(y − a/2)/(c² + c + 1)` with
/// `c = (1 + 3a·(y − a/2))^{1/3}` so that it tends to `y` without cancellation as `a`
/// goes to 0 (`c² + c + 1 ≥ 3/4` for every real `c`).
fn hall_inverse(a: f64, y: f64) -> f64 {
    let shifted = y - a / 2.0;
    let c = (1.0 + 3.0 * a * shifted).cbrt();
    3.0 * shifted / (c * c + c + 1.0)
}

/// A yearly quantity across simulated years: its expected value (an [`Estimate`],
/// which it dereferences to: `mean`, `std_error`, `ci95`), its spread and upper
/// quantiles. Quantiles are nearest-rank, within 0.2 % of the exact order statistic;
/// `max` is exact.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// The mean per year, with its standard error and 95 % interval.
    #[serde(flatten)]
    pub estimate: Estimate,
    /// Standard deviation across single years.
    pub std: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest value seen.
    pub max: f64,
    /// Of the mean, the planned downtime: while planned work alone (maintenance,
    /// failover tests) kept the service down.
    pub planned: Estimate,
    /// The rest, the unplanned downtime: while the service would have been down
    /// without the planned work.
    pub unplanned: Estimate,
}

impl std::ops::Deref for Spread {
    type Target = Estimate;

    fn deref(&self) -> &Estimate {
        &self.estimate
    }
}

/// The distribution of outage durations \[h\], over all outages of all measured
/// windows. An outage running at a window's start or end is cut there and counted in
/// `cut_at_window_edges`. All zero when there was no outage.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OutageDurations {
    /// Mean down time per outage (MDT).
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Longest outage seen.
    pub max: f64,
    /// Outages seen, over all replications.
    pub count: u64,
    /// Of those, how many began before their window or were still running at its end
    /// (cut there).
    pub cut_at_window_edges: u64,
}

/// Data lost per year \[h\]: its expected value (an [`Estimate`], which it
/// dereferences to: `mean`, `std_error`, `ci95`), its upper tail, and the part lost at
/// failovers.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DataLoss {
    /// The mean hours of data lost per year, with its standard error and 95 %
    /// interval.
    #[serde(flatten)]
    pub estimate: Estimate,
    /// 99th percentile of the hours lost in a year.
    pub p99: f64,
    /// The most data lost at once (a restore, or a failover's lag): the worst realised
    /// recovery point.
    pub max_single_event: f64,
    /// Of `mean`, the hours lost at failovers: the writes not yet replicated to the
    /// standby that took over, or a lost site had not yet replicated.
    pub at_failover: Estimate,
}

impl std::ops::Deref for DataLoss {
    type Target = Estimate;

    fn deref(&self) -> &Estimate {
        &self.estimate
    }
}

/// What one class of disruption did: how often it happened, the outages it started,
/// the data each disruption cost.
///
/// A disruption is an event that can take the service down: a replica failure, a
/// tier-wide failure, a site outage, a site disaster (a site failure that destroys
/// data), a data destruction (a replica or tier-wide failure that destroyed data no
/// other replica held), a failover test (a drill or DR test). An outage of the
/// service belongs to the disruption that started it (the first tier to go down);
/// the data a disruption cost is what the restores it forced and the failovers it
/// caused lost (their replication lag), gathered until they are over.
///
/// Against the targets of the run ([`Report::rto_hours`], [`Report::rpo_hours`]):
///
/// - **within RTO** is a share of *outages*: of the service outages the class
///   started in the measured windows, those whose duration was at most the RTO
///   (an outage of exactly the RTO is within it). The duration is the outage as
///   measured, so an outage cut at a window's edge counts with its part inside the
///   window. Disruptions that started no outage (a replica failure a spare absorbed)
///   are not in it: a class can happen often and be within its RTO every time it
///   takes the service down.
/// - **within RPO** is a share of *disruptions*: of the class's disruptions that
///   were over in the measured windows, those that lost at most the RPO of data
///   (most lose none, and are within it); a loss for good is never within it.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisruptionReport {
    /// `replica failure`, `tier-wide failure`, `site outage`, `site disaster`, `data
    /// destruction` or `failover test` ([`DisruptionReport::CLASSES`]).
    pub class: String,
    /// Disruptions of the class per year.
    pub events_per_year: f64,
    /// Service outages the class started, over all measured windows (not per year).
    pub outages: u64,
    /// Their durations \[h\] (cut at window edges like every outage); all zero when
    /// the class started no outage.
    pub outage_hours: Durations,
    /// The share of those outages that lasted no longer than the RTO (see above);
    /// `None` without an RTO, 0 when the class started no outage.
    pub within_rto: Option<f64>,
    /// The hours of data each disruption lost (zero for most), over the disruptions
    /// that did not lose data for good.
    pub data_loss_hours: Losses,
    /// The share of the disruptions that lost no more than the RPO (a loss for good
    /// is never within it); `None` without an RPO, 0 when no disruption of the class
    /// was over.
    pub within_rpo: Option<f64>,
    /// The share of the disruptions that lost data for good.
    pub lost_for_good: f64,
}

impl DisruptionReport {
    /// The classes of disruption, in the order reports list them (the order of
    /// [`OptionReport::disruptions`] and of the CSV's per-class columns): every class
    /// the engine reports, and only those ([`Report::check`] rejects any other).
    pub const CLASSES: [&'static str; 8] = [
        "replica failure",
        "tier-wide failure",
        "dependency failure",
        "site outage",
        "site disaster",
        "data destruction",
        "failover test",
        "maintenance",
    ];
}

/// Durations \[h\]: mean, median, 95th percentile and longest.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Durations {
    /// Mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Longest.
    pub max: f64,
}

/// Data lost per event \[h\]: mean, 95th percentile and most.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Losses {
    /// Mean.
    pub mean: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Most.
    pub max: f64,
}

/// What the failover tiers of a service did, per year, summed over tiers.
///
/// A demand is a serving replica failing while its tier has no spare serving
/// replica. Each attempt to hand over to a standby either works, or fails because
/// the switchover failed, the standby was dead (a latent failure) or no standby was
/// left; a demand counts as failed when its first attempt fails.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FailoverStats {
    /// Demands per year.
    pub demands_per_year: f64,
    /// Demands whose first attempt failed, per year.
    pub failed_per_year: f64,
    /// Standbys that took over (after a switchover or a manual recovery), per year.
    pub switchovers_per_year: f64,
    /// Switchovers to a healthy standby that failed, per year.
    pub switch_failures_per_year: f64,
    /// Attempts that found the standby dead, per year.
    pub dead_standby_per_year: f64,
    /// Attempts with no standby left, per year.
    pub no_standby_per_year: f64,
    /// Latent standby failures found by drills and DR tests, per year.
    pub latent_found_per_year: f64,
    /// Of these, the part across sites: to standbys in another site than the replica
    /// they replace (disaster recovery). Zero when read from a report without it.
    #[serde(default)]
    pub cross_site: CrossSiteStats,
}

/// The cross-site part of [`FailoverStats`], per year: takeovers by a standby in
/// another site than the replica it replaces, switchovers to such a standby that
/// failed, attempts that found it dead, and latent failures found by DR tests.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CrossSiteStats {
    /// Standbys in another site that took over, per year.
    pub switchovers_per_year: f64,
    /// Cross-site switchovers to a healthy standby that failed, per year.
    pub switch_failures_per_year: f64,
    /// Attempts that found a standby in another site dead, per year.
    pub dead_standby_per_year: f64,
    /// Latent failures found by DR tests, per year.
    pub latent_found_per_year: f64,
}

/// What an option costs per year, in the scenario's currency: the infrastructure
/// (known exactly) and the expected costs of what happens (estimated, each with its
/// standard error and 95 % interval, from the cost of each simulated history).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostReport {
    /// The currency label.
    pub currency: String,
    /// Replicas × cost per replica + fixed costs, over all tiers.
    pub infrastructure: f64,
    /// Expected downtime cost: hours down × cost per hour + outages × cost per
    /// outage.
    pub downtime: Estimate,
    /// Expected data-loss cost: hours of data lost × cost per hour of data, plus
    /// losses for good × cost per loss for good.
    pub data_loss: Estimate,
    /// Of `data_loss`, the part from losses for good (losses for good × cost per loss
    /// for good; 0 when that cost is not given).
    pub unrecoverable: Estimate,
    /// The expected total: infrastructure + downtime + data_loss.
    pub total: Estimate,
    /// The 90th percentile of a year's total: a bad year, not an average one.
    pub total_p90: f64,
}

/// How an option fares against the SLA: the verdict on its expected downtime, how
/// sure that verdict is, and how often a single year breaks the budget.
///
/// An SLA is usually judged year by year, so a verdict on the *mean* is half the
/// story: an option whose expected downtime is well within the budget can still
/// breach it one year in three. The wording of every report says both, [`SlaReport::verdict`]
/// from the 95 % interval of the expected downtime and [`SlaReport::breach_probability`]
/// beside it:
///
/// - *met in every simulated year*: the interval is within the budget and no simulated
///   year breached it;
/// - *met on average, N % of years over budget*: the interval is within the budget;
/// - *too close to call, N % of years over budget*: the budget lies inside the
///   interval (more replications may tell);
/// - *MISSED on average, N % of years over budget*: the interval is above the budget.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SlaReport {
    /// The yearly downtime budget \[h\].
    pub budget_hours: f64,
    /// The fraction of simulated years whose downtime exceeded the budget: the
    /// probability that a year breaks it.
    pub breach_probability: Estimate,
    /// Whether the expected downtime per year (the point estimate) is within the
    /// budget; [`SlaReport::verdict`] says how sure that is.
    pub met: bool,
    /// The 95 % interval of the expected downtime per year the SLA counts \[h\]
    /// (that of the availability, in hours of a year).
    pub downtime_ci95: [f64; 2],
    /// The verdict on the expected downtime, from its interval.
    pub verdict: SlaVerdict,
    /// Whether the budget (and the breaches, and the downtime cost) leave planned
    /// downtime out (`[sla] exclude_planned`); by default they count it.
    pub excludes_planned: bool,
}

/// The verdict on an option's expected downtime against the SLA's budget.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlaVerdict {
    /// The 95 % interval of the expected downtime is within the budget.
    Met,
    /// The budget lies inside the interval: the numbers cannot tell.
    TooCloseToCall,
    /// The interval is above the budget.
    Missed,
}

impl SlaReport {
    /// Judges an expected downtime with 95 % interval `ci95` \[h\] against `budget`.
    pub(crate) fn judge(
        budget: f64,
        mean: f64,
        ci95: [f64; 2],
        breach_probability: Estimate,
        excludes_planned: bool,
    ) -> SlaReport {
        let verdict = if ci95[1] <= budget {
            SlaVerdict::Met
        } else if ci95[0] > budget {
            SlaVerdict::Missed
        } else {
            SlaVerdict::TooCloseToCall
        };
        SlaReport {
            budget_hours: budget,
            breach_probability,
            met: mean <= budget,
            downtime_ci95: ci95,
            verdict,
            excludes_planned,
        }
    }

    /// The verdict in words, with the share of years over budget: `met on average, 24.8
    /// % of years over budget`. "Met" alone only when no simulated year breached.
    pub fn describe(&self) -> String {
        let years = format!(
            "{} % of years over budget",
            fixed(100.0 * self.breach_probability.mean, 1)
        );
        match self.verdict {
            SlaVerdict::Met if self.breach_probability.mean == 0.0 => "met in every simulated year".to_owned(),
            SlaVerdict::Met => format!("met on average, {years}"),
            SlaVerdict::TooCloseToCall => format!("too close to call, {years}"),
            SlaVerdict::Missed => format!("MISSED on average, {years}"),
        }
    }
}

/// One tier's part in the service's downtime.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierReport {
    /// The tier's name.
    pub name: String,
    /// Its replica count.
    pub replicas: u32,
    /// Fraction of time the tier itself was down.
    pub unavailability: f64,
    /// Fraction of the service's downtime caused by this tier (time when several
    /// tiers were down is split equally among them); the shares add up to 1 when the
    /// service had any downtime.
    pub downtime_share: f64,
    /// Failures per year (replica failures plus tier-wide failures).
    pub failures_per_year: f64,
}

/// Hours as a short human duration, as the reports print them: `12.0 s`, `47.0 min`,
/// `3 h 12 min`, `9.5 d`.
///
/// ```
/// use nines::human_hours;
///
/// assert_eq!(human_hours(0.2), "12.0 min");
/// assert_eq!(human_hours(3.2), "3 h 12 min");
/// assert_eq!(human_hours(228.0), "9.5 d");
/// assert_eq!(human_hours(0.0), "0");
/// ```
pub fn human_hours(hours: f64) -> String {
    if !hours.is_finite() {
        return "-".into();
    }
    let seconds = hours * 3600.0;
    if seconds < 1e-9 {
        "0".into()
    } else if seconds < 60.0 {
        format!("{seconds:.1} s")
    } else if hours < 1.0 {
        format!("{:.1} min", hours * 60.0)
    } else if hours < 168.0 {
        let minutes = (hours * 60.0).round();
        format!("{} h {:02} min", (minutes / 60.0).floor(), minutes % 60.0)
    } else if hours < 24e9 {
        format!("{:.1} d", hours / 24.0)
    } else {
        format!("{:.3e} d", hours / 24.0)
    }
}

/// A horizon: whole years as years, anything else as [`human_hours`], and a horizon too
/// short for it (which it would print as 0) in hours with an exponent.
pub(crate) fn human_horizon(hours: f64) -> String {
    let years = hours / crate::HOURS_PER_YEAR;
    if (1.0..1e9).contains(&years) && years.fract() == 0.0 {
        format!("{years} y")
    } else if (1.0..1e9).contains(&years) {
        format!("{years:.1} y")
    } else if hours == 0.0 {
        "0 h".to_owned()
    } else if hours.is_finite() && hours * 3600.0 < 1e-9 {
        // Tiny, or negative (no horizon, in a report built by hand).
        format!("{hours:e} h")
    } else {
        human_hours(hours)
    }
}

/// A count and its noun, singular for one, thousands separated: `count(1, "crew",
/// "crews")` is `1 crew`, `count(20000, "year", "years")` is `20,000 years`.
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", format_money(n as f64, ""))
    }
}

impl Report {
    /// The heading of the lines that say why each option comes out as it does: about
    /// its cost when options are priced, else about its downtime.
    pub(crate) fn why_heading(&self) -> &'static str {
        if self.options.iter().any(|o| o.cost.is_some()) {
            "Why each option costs what it does"
        } else {
            "Where each option's downtime comes from"
        }
    }
}

/// `1 replication`, `2 replications`.
fn replications(n: u64) -> String {
    count(n, "replication", "replications")
}

/// A fraction as a percentage with ± 1.96 standard errors (the normal 95 % half-width;
/// the estimate's `ci95` is skewness-corrected, so not always symmetric), with enough
/// decimals to show both the nines and the half-width to two significant digits.
pub(crate) fn percent_with_error(estimate: &Estimate) -> String {
    if !(0.0..=1.0).contains(&estimate.mean) {
        return "-".to_owned();
    }
    let half = 100.0 * Z_975 * estimate.std_error;
    // A half-width that is not a number is left out rather than printed.
    let half = if half.is_finite() { half } else { 0.0 };
    let for_nines = {
        let unavailability = 1.0 - estimate.mean;
        if unavailability > 0.0 {
            (-unavailability.log10()).ceil() as i64 - 1
        } else {
            4
        }
    };
    let for_error = if half > 0.0 {
        (-half.log10()).ceil() as i64 + 1
    } else {
        0
    };
    let decimals = for_nines.max(for_error).clamp(2, 8) as usize;
    if half > 0.0 {
        format!("{:.*} % ± {:.*} %", decimals, estimate.mean * 100.0, decimals, half)
    } else {
        format!("{:.*} %", decimals, estimate.mean * 100.0)
    }
}

impl Report {
    /// What was run, in words: `100000 replications of 1 y in service (after a
    /// warm-up of 2.1 y), seed 42`.
    pub(crate) fn run_description(&self) -> String {
        let start = match self.start {
            Start::New => "from new".to_owned(),
            Start::Steady if self.windows_per_history > 1 => format!(
                "in service (after a warm-up of {}, then {} years in a row per history)",
                human_horizon(self.warm_up_hours),
                self.windows_per_history
            ),
            Start::Steady => format!("in service (after a warm-up of {})", human_horizon(self.warm_up_hours)),
        };
        // With a precision target, what each option ran, not the cap.
        let (fewest, most) = self.options.iter().fold((u64::MAX, 0), |(lo, hi), o| {
            (lo.min(o.replications), hi.max(o.replications))
        });
        let count = match self.precision {
            Some(_) if fewest < most => format!(
                "{} to {} replications (each option until precise enough)",
                format_money(fewest as f64, ""),
                format_money(most as f64, "")
            ),
            Some(_) if most > 0 => replications(most),
            _ => replications(self.replications),
        };
        format!(
            "{count} of {} {start}, seed {}",
            human_horizon(self.horizon_hours),
            self.seed
        )
    }

    /// The warnings, one line each (`warning: ...`), after a blank line; empty without
    /// warnings.
    pub(crate) fn warnings_text(&self) -> String {
        if self.warnings.is_empty() {
            return String::new();
        }
        let mut out = String::from("\n");
        for warning in &self.warnings {
            let _ = writeln!(out, "warning: {warning}");
        }
        out
    }
}

impl fmt::Display for Report {
    /// The table a person reads: per option its figures, its tiers and, when the
    /// option had more than one class of disruption, the report has an RTO or RPO,
    /// or a class lost data, what each class of disruption did (per year, the outages
    /// it started and their mean, P95 and longest, the share within the RTO, the data
    /// lost per disruption, the share within the RPO, the share lost for good).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        let _ = write!(out, "{}: {}", self.scenario, self.run_description());
        if let Some(targets) = disruptions::targets(self) {
            let _ = write!(out, "; {targets}");
        }
        out.push('\n');
        for option in &self.options {
            let _ = writeln!(out);
            if self.options.len() > 1 || option.name != self.scenario {
                if self.precision.is_some() {
                    let _ = writeln!(out, "== {} ({}) ==", option.name, replications(option.replications));
                } else {
                    let _ = writeln!(out, "== {} ==", option.name);
                }
            }
            option.write_table(&mut out, self);
        }
        if !self.ranking.is_empty() && self.options.len() > 1 {
            let _ = write!(out, "\n{}", self.comparison(false));
        } else {
            if let Some(r) = &self.recommendation {
                let _ = writeln!(out, "\n{}: {}.", r.option, r.reason);
            }
            out.push_str(&self.warnings_text());
        }
        f.write_str(&out)
    }
}

impl OptionReport {
    fn write_table(&self, out: &mut String, report: &Report) {
        let nines = self
            .nines
            .map_or("no downtime seen".to_owned(), |n| format!("{} nines", fixed(n, 2)));
        let _ = writeln!(
            out,
            "  availability       {}  (95 % CI; {nines})",
            percent_with_error(&self.availability)
        );
        let d = &self.downtime_hours_per_year;
        let planned = d.planned.mean > 0.0;
        if planned {
            let _ = writeln!(
                out,
                "                     {} without planned downtime (maintenance, failover tests)",
                percent_with_error(&self.availability.excluding_planned)
            );
        }
        let _ = writeln!(
            out,
            "  downtime per year  mean {}, median {}, P90 {}, P99 {}, worst {}",
            human_hours(d.mean),
            human_hours(d.p50),
            human_hours(d.p90),
            human_hours(d.p99),
            human_hours(d.max)
        );
        if planned {
            let _ = writeln!(
                out,
                "                     of which planned {}, unplanned {}",
                human_hours(d.planned.mean),
                human_hours(d.unplanned.mean)
            );
        }
        let o = &self.outage_duration_hours;
        let _ = write!(
            out,
            "  outages per year   {}  (service MTBF {})",
            fixed(self.outages_per_year.mean, 3),
            self.service_mtbf_hours.map_or("-".to_owned(), human_hours)
        );
        if planned {
            let _ = write!(out, "; {} unplanned", fixed(self.unplanned_outages_per_year.mean, 3));
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "  outage duration    mean {}, median {}, P95 {}, P99 {}, longest {}",
            human_hours(o.mean),
            human_hours(o.p50),
            human_hours(o.p95),
            human_hours(o.p99),
            human_hours(o.max)
        );
        if o.cut_at_window_edges > 0 {
            let _ = writeln!(
                out,
                "                     ({} of {} outages ran over the start or end of their year and are cut there)",
                format_money(o.cut_at_window_edges as f64, ""),
                format_money(o.count as f64, "")
            );
        }
        let loss = &self.data_loss_hours_per_year;
        let restores = self.restore_events_per_year.mean;
        let unrecoverable = self.unrecoverable_events_per_year.mean;
        if restores > 0.0 {
            let _ = writeln!(
                out,
                "  data lost per year mean {}, P99 {}, worst single loss {}",
                human_hours(loss.mean),
                human_hours(loss.p99),
                human_hours(loss.max_single_event)
            );
            let _ = writeln!(
                out,
                "  restores           {} per year ({} bad backups found)",
                fixed(restores, 3),
                fixed(self.bad_backups_per_year, 3)
            );
        }
        if unrecoverable > 0.0 {
            let _ = writeln!(
                out,
                "  lost for good      {} times per year; {} % of years lose data for good",
                disruptions::per_year(unrecoverable),
                fixed(100.0 * self.unrecoverable_probability.mean, 1)
            );
        }
        let f = &self.failover;
        if f.demands_per_year > 0.0 || f.latent_found_per_year > 0.0 {
            let _ = writeln!(
                out,
                "  failover           {} demands per year, {} of them failed at first",
                fixed(f.demands_per_year, 3),
                fixed(f.failed_per_year, 3),
            );
            let _ = writeln!(
                out,
                "                     failed attempts per year (a demand may make several): {} switchovers failed, {} found the standby dead, {} found no standby",
                fixed(f.switch_failures_per_year, 3),
                fixed(f.dead_standby_per_year, 3),
                fixed(f.no_standby_per_year, 3)
            );
            if f.latent_found_per_year > 0.0 {
                let _ = writeln!(
                    out,
                    "                     drills found {} latent standby failures per year",
                    fixed(f.latent_found_per_year, 3)
                );
            }
            let x = &f.cross_site;
            if x.switchovers_per_year + x.switch_failures_per_year + x.dead_standby_per_year + x.latent_found_per_year
                > 0.0
            {
                let _ = writeln!(
                    out,
                    "                     across sites: {} takeovers, {} switchovers failed, {} found the standby dead, {} found by DR tests per year",
                    fixed(x.switchovers_per_year, 3),
                    fixed(x.switch_failures_per_year, 3),
                    fixed(x.dead_standby_per_year, 3),
                    fixed(x.latent_found_per_year, 3)
                );
            }
        }
        if let Some(c) = &self.cost {
            let _ = write!(
                out,
                "  cost per year      {} expected ({} in a P90 year): infrastructure {}, downtime {}, lost data {}",
                format_money(c.total.mean, &c.currency),
                format_money(c.total_p90, &c.currency),
                format_money(c.infrastructure, &c.currency),
                format_money(c.downtime.mean, &c.currency),
                format_money(c.data_loss.mean, &c.currency)
            );
            if c.unrecoverable.mean > 0.0 {
                let _ = write!(
                    out,
                    " (of which losses for good {})",
                    format_money(c.unrecoverable.mean, &c.currency)
                );
            }
            out.push('\n');
        }
        if let Some(sla) = &self.sla {
            let _ = writeln!(
                out,
                "  SLA                {}: expected {}downtime {} (95 % CI {} to {}) against a budget of {} a year{}",
                sla.describe(),
                if sla.excludes_planned { "unplanned " } else { "" },
                human_hours(if sla.excludes_planned {
                    self.downtime_hours_per_year.unplanned.mean
                } else {
                    self.downtime_hours_per_year.mean
                }),
                human_hours(sla.downtime_ci95[0]),
                human_hours(sla.downtime_ci95[1]),
                human_hours(sla.budget_hours),
                if sla.excludes_planned {
                    " (planned downtime excluded, as the SLA says)"
                } else if planned {
                    " (planned downtime counted)"
                } else {
                    ""
                }
            );
        }
        let width = self.tiers.iter().map(|t| t.name.len()).max().unwrap_or(4).max(4);
        let _ = writeln!(
            out,
            "\n  {:<width$}  {:>14}  {:>15}  {:>22}  {:>15}",
            "tier", "unavailability", "down per year", "share of service down", "failures / year"
        );
        for tier in &self.tiers {
            let _ = writeln!(
                out,
                "  {:<width$}  {:>14}  {:>15}  {:>20} %  {:>15}",
                tier.name,
                scientific(tier.unavailability, 3),
                human_hours(tier.unavailability * crate::HOURS_PER_YEAR),
                fixed(tier.downtime_share * 100.0, 1),
                fixed(tier.failures_per_year, 3)
            );
        }
        if disruptions::shows(report, self) {
            out.push('\n');
            out.push_str(&disruptions::Table::new(report, &[self], false).text("  "));
        }
        if let Some(importance) = &self.importance {
            let currency = self.cost.as_ref().map_or("", |c| c.currency.as_str());
            let _ = writeln!(
                out,
                "\n  what each component's failures cost (± 95 % of the paired difference):"
            );
            if importance.is_empty() {
                let _ = writeln!(out, "  nothing in the model can fail");
            }
            for item in importance {
                let _ = writeln!(out, "  {}", item.describe(currency));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_hours_picks_a_readable_unit() {
        assert_eq!(human_hours(0.0), "0");
        assert_eq!(human_hours(10.0 / 3600.0), "10.0 s");
        assert_eq!(human_hours(0.75), "45.0 min");
        assert_eq!(human_hours(3.5), "3 h 30 min");
        assert_eq!(human_hours(3.9999), "4 h 00 min");
        assert_eq!(human_hours(72.0), "72 h 00 min");
        assert_eq!(human_hours(240.0), "10.0 d");
        assert_eq!(human_horizon(8760.0), "1 y");
        assert_eq!(human_horizon(100.0), "100 h 00 min");
        assert_eq!(human_horizon(1.5 * 8760.0), "1.5 y");
    }

    #[test]
    fn percent_shows_the_nines_and_the_error() {
        let estimate = |mean, std_error| Estimate {
            mean,
            std_error,
            ci95: [0.0, 1.0],
        };
        assert_eq!(percent_with_error(&estimate(0.99, 0.001)), "99.00 % ± 0.20 %");
        assert_eq!(percent_with_error(&estimate(0.99, 3e-6)), "99.00000 % ± 0.00059 %");
        assert_eq!(percent_with_error(&estimate(0.99995, 0.0)), "99.9950 %");
        assert_eq!(percent_with_error(&estimate(1.0, 0.0)), "100.0000 %");
    }

    #[test]
    fn money_is_rounded_and_grouped() {
        assert_eq!(format_money(1234567.4, "USD"), "1,234,567 USD");
        assert_eq!(format_money(999.5, ""), "1,000");
        assert_eq!(format_money(12.0, "EUR"), "12 EUR");
        assert_eq!(format_money(-1234.0, "EUR"), "-1,234 EUR");
    }

    #[test]
    fn estimate_interval_is_clamped_and_complemented() {
        let mut m = Moments::default();
        for x in [1.0, 1.0, 1.0, 0.9] {
            m.push(x);
        }
        let a = Estimate::fraction(&m);
        assert_eq!(a.ci95[1], 1.0);
        let u = a.complement();
        assert!((u.mean - 0.025).abs() < 1e-15);
        assert_eq!(u.ci95[0], 0.0);
    }

    #[test]
    fn interval_reaches_towards_the_long_tail_and_mirrors() {
        // Mostly 1, sometimes much less: a long tail below the mean.
        let mut m = Moments::default();
        for i in 0..1000 {
            m.push(if i % 50 == 0 {
                0.99 - 1e-5 * f64::from(i)
            } else {
                1.0 - 1e-7 * f64::from(i % 7)
            });
        }
        assert!(m.skewness() < -3.0, "skewness {}", m.skewness());
        let a = Estimate::fraction(&m);
        let normal = Z_975 * a.std_error;
        let (below, above) = (a.mean - a.ci95[0], a.ci95[1] - a.mean);
        assert!(
            below > normal && above < normal,
            "below {below:e}, above {above:e}, normal {normal:e}"
        );
        // The complement's interval is the mirror image, and the same as the interval
        // computed from the complements' moments, to rounding: the raw power sums of
        // values near 1 cancel in the third moment (see `crate::stats`), which is why
        // the simulator accumulates unavailability; here they agree to 1e-7 of the
        // half-width.
        let mut complement = Moments::default();
        for i in 0..1000 {
            complement.push(if i % 50 == 0 {
                0.01 + 1e-5 * f64::from(i)
            } else {
                1e-7 * f64::from(i % 7)
            });
        }
        let u = Estimate::fraction(&complement);
        let mirrored = a.complement();
        for (x, y) in u.ci95.iter().zip(mirrored.ci95) {
            assert!(
                (x - y).abs() < 1e-7 * normal,
                "{:?} against {:?}",
                u.ci95,
                mirrored.ci95
            );
        }
        assert_eq!(mirrored.std_error, a.std_error);
    }

    #[test]
    fn interval_without_skewness_is_the_normal_one() {
        let mut m = Moments::default();
        for x in [0.2, 0.4, 0.6, 0.8] {
            m.push(x);
        }
        assert!(m.skewness().abs() < 1e-13, "{}", m.skewness());
        let a = Estimate::fraction(&m);
        let half = Z_975 * a.std_error;
        assert!((a.ci95[0] - (a.mean - half)).abs() < 1e-14 * half);
        assert!((a.ci95[1] - (a.mean + half)).abs() < 1e-14 * half);
        assert_eq!(hall_inverse(0.0, Z_975), Z_975);
        // g(g⁻¹(y)) = y for a skewed case.
        let a = -0.2;
        for y in [-Z_975, 0.3, Z_975] {
            let t = hall_inverse(a, y);
            let g = t + a * t * t + a * a * t * t * t / 3.0 + a / 2.0;
            assert!((g - y).abs() < 1e-12, "g({t}) = {g}, not {y}");
        }
    }
}
