//! What a run reports: serialisable result types, and the table a person reads.
//!
//! All durations are hours. "Per year" means per replication scaled by
//! 1 y / horizon (1 y = 8760 h): with the default horizon of one year, each
//! replication is one simulated year.

use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};

use crate::stats::Moments;

/// The result of simulating a scenario: one entry per option.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The scenario's name.
    pub scenario: String,
    /// The seed the run used.
    pub seed: u64,
    /// Independent histories simulated per option.
    pub replications: u64,
    /// Length of each history \[h\].
    pub horizon_hours: f64,
    /// The version of nines that produced the report (results depend on it).
    pub version: String,
    /// One entry per option, in the scenario's order.
    pub options: Vec<OptionReport>,
}

/// The results of one option (one way of building the service).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionReport {
    /// The option's name.
    pub name: String,
    /// Fraction of time the service was up: Σ uptime / (replications · horizon).
    pub availability: Estimate,
    /// 1 − availability.
    pub unavailability: Estimate,
    /// −log10(unavailability); `None` (JSON `null`) when no downtime was seen.
    pub nines: Option<f64>,
    /// Service downtime per year \[h\].
    pub downtime_hours_per_year: Spread,
    /// Service outages per year.
    pub outages_per_year: Rate,
    /// Durations of service outages \[h\].
    pub outage_duration_hours: OutageDurations,
    /// Service uptime divided by the number of outages \[h\]; `None` without outages.
    pub service_mtbf_hours: Option<f64>,
    /// Hours of data lost per year (the time from the backup used back to each
    /// destruction, or everything since the data began when there was no backup).
    pub data_loss_hours_per_year: DataLoss,
    /// Destructions of data brought back from a backup, per year.
    pub restore_events_per_year: Rate,
    /// Destructions of data with no backup to bring it back, per year.
    pub unrecoverable_events_per_year: Rate,
    /// Restore attempts that found a backup unrestorable, per year.
    pub bad_backups_per_year: f64,
    /// What failover tiers did, per year (all zero without failover tiers).
    pub failover: FailoverStats,
    /// Simulated events per replication (failures, repairs, ...): what the run cost.
    pub events_per_replication: f64,
    /// Per tier, in series order.
    pub tiers: Vec<TierReport>,
}

/// An estimated mean with its standard error and 95 % confidence interval.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The estimate.
    pub point: f64,
    /// Its standard error, from the spread across replications.
    pub std_error: f64,
    /// point ± 1.96 standard errors, clamped to [0, 1] for fractions.
    pub ci95: [f64; 2],
}

impl Estimate {
    /// The mean of per-replication fractions, with its normal-approximation interval
    /// clamped to [0, 1].
    pub(crate) fn from_moments(moments: &Moments) -> Estimate {
        let point = moments.mean();
        let std_error = moments.std_error();
        let half = 1.959_963_984_540_054 * std_error;
        Estimate {
            point,
            std_error,
            ci95: [(point - half).max(0.0), (point + half).min(1.0)],
        }
    }

    /// The estimate of 1 − this fraction.
    pub(crate) fn complement(&self) -> Estimate {
        Estimate {
            point: 1.0 - self.point,
            std_error: self.std_error,
            ci95: [1.0 - self.ci95[1], 1.0 - self.ci95[0]],
        }
    }
}

/// Mean, spread and upper quantiles of a yearly quantity across replications.
/// Quantiles are nearest-rank, within 0.2 % of the exact order statistic; `max` is
/// exact.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// Mean.
    pub mean: f64,
    /// Standard deviation across replications.
    pub std: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest value seen.
    pub max: f64,
}

/// A mean rate with its standard error.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    /// Mean per year.
    pub mean: f64,
    /// Standard error of the mean.
    pub std_error: f64,
}

/// The distribution of outage durations \[h\], over all outages of all replications.
/// An outage still running at the horizon is cut there and counted in
/// `cut_at_horizon`. All zero when there was no outage.
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
    /// Of those, how many were still running at the horizon (cut there).
    pub cut_at_horizon: u64,
}

/// Data lost per year \[h\].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DataLoss {
    /// Mean hours of data lost per year.
    pub mean: f64,
    /// Standard error of the mean.
    pub std_error: f64,
    /// 99th percentile of the hours lost in a year.
    pub p99: f64,
    /// The most data lost in a single destruction: the worst realised recovery point.
    pub max_single_event: f64,
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
    /// Latent standby failures found by drills, per year.
    pub latent_found_per_year: f64,
}

/// One tier's part in the service's downtime.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierReport {
    /// The tier's name.
    pub name: String,
    /// Fraction of time the tier itself was down.
    pub unavailability: f64,
    /// Fraction of the service's downtime caused by this tier (time when several
    /// tiers were down is split equally among them); the shares add up to 1 when the
    /// service had any downtime.
    pub downtime_share: f64,
    /// Failures per year (replica failures plus tier-wide failures).
    pub failures_per_year: f64,
}

/// Hours as a short human duration: `12.0 s`, `47.0 min`, `3 h 12 min`, `9.5 d`.
pub(crate) fn human_hours(hours: f64) -> String {
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
    } else {
        format!("{:.1} d", hours / 24.0)
    }
}

/// A horizon: whole years as years, anything else as [`human_hours`].
fn human_horizon(hours: f64) -> String {
    let years = hours / crate::HOURS_PER_YEAR;
    if years >= 1.0 && years.fract() == 0.0 {
        format!("{years} y")
    } else {
        human_hours(hours)
    }
}

/// A fraction as a percentage with its 95 % half-width, with enough decimals to show
/// both the nines and the half-width to two significant digits.
pub(crate) fn percent_with_error(estimate: &Estimate) -> String {
    let half = 100.0 * 1.959_963_984_540_054 * estimate.std_error;
    let for_nines = {
        let unavailability = 1.0 - estimate.point;
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
        format!("{:.*} % ± {:.*} %", decimals, estimate.point * 100.0, decimals, half)
    } else {
        format!("{:.*} %", decimals, estimate.point * 100.0)
    }
}

impl fmt::Display for Report {
    /// The table a person reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: {} replications of {}, seed {}",
            self.scenario,
            self.replications,
            human_horizon(self.horizon_hours),
            self.seed
        );
        for option in &self.options {
            let _ = writeln!(out);
            if self.options.len() > 1 || option.name != self.scenario {
                let _ = writeln!(out, "== {} ==", option.name);
            }
            option.write_table(&mut out);
        }
        f.write_str(&out)
    }
}

impl OptionReport {
    fn write_table(&self, out: &mut String) {
        let nines = self
            .nines
            .map_or("no downtime seen".to_owned(), |n| format!("{n:.2} nines"));
        let _ = writeln!(
            out,
            "  availability       {}  (95 % CI; {nines})",
            percent_with_error(&self.availability)
        );
        let d = &self.downtime_hours_per_year;
        let _ = writeln!(
            out,
            "  downtime per year  mean {}, median {}, P90 {}, P99 {}, worst {}",
            human_hours(d.mean),
            human_hours(d.p50),
            human_hours(d.p90),
            human_hours(d.p99),
            human_hours(d.max)
        );
        let o = &self.outage_duration_hours;
        let _ = writeln!(
            out,
            "  outages per year   {:.3}  (service MTBF {})",
            self.outages_per_year.mean,
            self.service_mtbf_hours.map_or("-".to_owned(), human_hours)
        );
        let _ = writeln!(
            out,
            "  outage duration    mean {}, median {}, P95 {}, P99 {}, longest {}",
            human_hours(o.mean),
            human_hours(o.p50),
            human_hours(o.p95),
            human_hours(o.p99),
            human_hours(o.max)
        );
        if o.cut_at_horizon > 0 {
            let _ = writeln!(
                out,
                "                     ({} of {} outages were still running at the horizon and are cut there)",
                o.cut_at_horizon, o.count
            );
        }
        let loss = &self.data_loss_hours_per_year;
        let restores = self.restore_events_per_year.mean;
        let unrecoverable = self.unrecoverable_events_per_year.mean;
        if restores > 0.0 || unrecoverable > 0.0 {
            let _ = writeln!(
                out,
                "  data lost per year mean {}, P99 {}, worst single loss {}",
                human_hours(loss.mean),
                human_hours(loss.p99),
                human_hours(loss.max_single_event)
            );
            let _ = writeln!(
                out,
                "  data destroyed     {restores:.3} restores per year ({:.3} bad backups found), {unrecoverable:.3} unrecoverable per year",
                self.bad_backups_per_year
            );
        }
        let f = &self.failover;
        if f.demands_per_year > 0.0 || f.latent_found_per_year > 0.0 {
            let _ = writeln!(
                out,
                "  failover           {:.3} demands per year, {:.3} failed: {:.3} switch failures, {:.3} dead standbys, {:.3} with no standby",
                f.demands_per_year,
                f.failed_per_year,
                f.switch_failures_per_year,
                f.dead_standby_per_year,
                f.no_standby_per_year
            );
            if f.latent_found_per_year > 0.0 {
                let _ = writeln!(
                    out,
                    "                     drills found {:.3} latent standby failures per year",
                    f.latent_found_per_year
                );
            }
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
                "  {:<width$}  {:>14.3e}  {:>15}  {:>20.1} %  {:>15.3}",
                tier.name,
                tier.unavailability,
                human_hours(tier.unavailability * crate::HOURS_PER_YEAR),
                tier.downtime_share * 100.0,
                tier.failures_per_year
            );
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
    }

    #[test]
    fn percent_shows_the_nines_and_the_error() {
        let estimate = |point, std_error| Estimate {
            point,
            std_error,
            ci95: [0.0, 1.0],
        };
        assert_eq!(percent_with_error(&estimate(0.99, 0.001)), "99.00 % ± 0.20 %");
        assert_eq!(percent_with_error(&estimate(0.99, 3e-6)), "99.00000 % ± 0.00059 %");
        assert_eq!(percent_with_error(&estimate(0.99995, 0.0)), "99.9950 %");
        assert_eq!(percent_with_error(&estimate(1.0, 0.0)), "100.0000 %");
    }

    #[test]
    fn estimate_interval_is_clamped_and_complemented() {
        let mut m = Moments::default();
        for x in [1.0, 1.0, 1.0, 0.9] {
            m.push(x);
        }
        let a = Estimate::from_moments(&m);
        assert_eq!(a.ci95[1], 1.0);
        let u = a.complement();
        assert!((u.point - 0.025).abs() < 1e-15);
        assert_eq!(u.ci95[0], 0.0);
    }
}
