//! What a run accumulates, replication by replication, and how it becomes a report.

use crate::HOURS_PER_YEAR;
use crate::report::{Estimate, OptionReport, OutageDurations, Rate, Spread, TierReport};
use crate::stats::{Histogram, Moments};

/// Per-tier accumulators.
#[derive(Debug, Clone, Default, PartialEq)]
struct TierTally {
    /// Fraction of each replication the tier was down.
    unavailability: Moments,
    /// Hours of service downtime attributed to the tier, summed in replication order.
    share_hours: f64,
    /// Failures per replication.
    failures: Moments,
}

/// Accumulators for a run (or a chunk of one); chunks merge in replication order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Tally {
    availability: Moments,
    downtime_per_year: Moments,
    downtime_hist: Histogram,
    outages_per_year: Moments,
    outage_hours: Moments,
    outage_hist: Histogram,
    outages_cut: u64,
    events: u64,
    tiers: Vec<TierTally>,
}

impl Tally {
    pub(crate) fn new(tiers: usize) -> Tally {
        Tally {
            tiers: vec![TierTally::default(); tiers],
            ..Tally::default()
        }
    }

    /// Adds one outage of the service; `cut` if it was still running at the horizon.
    pub(crate) fn record_outage(&mut self, hours: f64, cut: bool) {
        self.outage_hours.push(hours);
        self.outage_hist.record(hours);
        self.outages_cut += u64::from(cut);
    }

    /// Adds one replication's totals; `tiers` gives each tier's downtime \[h\], its
    /// share of the service downtime \[h\] and its failure count.
    pub(crate) fn record_replication(
        &mut self,
        horizon: f64,
        downtime: f64,
        outages: u64,
        events: u64,
        tiers: impl Iterator<Item = (f64, f64, u64)>,
    ) {
        let years = horizon / HOURS_PER_YEAR;
        self.availability.push((horizon - downtime) / horizon);
        self.downtime_per_year.push(downtime / years);
        self.downtime_hist.record(downtime / years);
        self.outages_per_year.push(outages as f64 / years);
        self.events += events;
        for (tally, (down, share, failures)) in self.tiers.iter_mut().zip(tiers) {
            tally.unavailability.push(down / horizon);
            tally.share_hours += share;
            tally.failures.push(failures as f64 / years);
        }
    }

    /// Adds a later chunk's accumulators.
    pub(crate) fn merge(&mut self, other: &Tally) {
        self.availability.merge(&other.availability);
        self.downtime_per_year.merge(&other.downtime_per_year);
        self.downtime_hist.merge(&other.downtime_hist);
        self.outages_per_year.merge(&other.outages_per_year);
        self.outage_hours.merge(&other.outage_hours);
        self.outage_hist.merge(&other.outage_hist);
        self.outages_cut += other.outages_cut;
        self.events += other.events;
        for (mine, theirs) in self.tiers.iter_mut().zip(&other.tiers) {
            mine.unavailability.merge(&theirs.unavailability);
            mine.share_hours += theirs.share_hours;
            mine.failures.merge(&theirs.failures);
        }
    }

    /// Replications recorded so far.
    pub(crate) fn replications(&self) -> u64 {
        self.availability.count()
    }

    /// The report of one option, from everything recorded.
    pub(crate) fn report(&self, name: &str, horizon: f64, tier_names: &[&str]) -> OptionReport {
        let replications = self.replications();
        let availability = Estimate::from_moments(&self.availability);
        let unavailability = availability.complement();
        let nines = (unavailability.point > 0.0).then(|| -unavailability.point.log10());
        // Every hour of service downtime is split among the tiers that were down, so
        // the shares' sum is the service downtime.
        let total_downtime: f64 = self.tiers.iter().map(|t| t.share_hours).sum();
        let total_uptime = availability.point * horizon * replications as f64;
        let outages = self.outage_hours.count();
        let tiers = tier_names
            .iter()
            .zip(&self.tiers)
            .map(|(name, tally)| TierReport {
                name: (*name).to_owned(),
                unavailability: tally.unavailability.mean(),
                downtime_share: if total_downtime > 0.0 {
                    tally.share_hours / total_downtime
                } else {
                    0.0
                },
                failures_per_year: tally.failures.mean(),
            })
            .collect();
        OptionReport {
            name: name.to_owned(),
            availability,
            unavailability,
            nines,
            downtime_hours_per_year: Spread {
                mean: self.downtime_per_year.mean(),
                std: self.downtime_per_year.std_dev(),
                p50: self.downtime_hist.quantile(0.5),
                p90: self.downtime_hist.quantile(0.9),
                p99: self.downtime_hist.quantile(0.99),
                max: self.downtime_hist.max(),
            },
            outages_per_year: Rate {
                mean: self.outages_per_year.mean(),
                std_error: self.outages_per_year.std_error(),
            },
            outage_duration_hours: OutageDurations {
                mean: self.outage_hours.mean(),
                p50: self.outage_hist.quantile(0.5),
                p95: self.outage_hist.quantile(0.95),
                p99: self.outage_hist.quantile(0.99),
                max: self.outage_hist.max(),
                count: outages,
                cut_at_horizon: self.outages_cut,
            },
            service_mtbf_hours: (outages > 0).then(|| total_uptime / outages as f64),
            events_per_replication: self.events as f64 / replications.max(1) as f64,
            tiers,
        }
    }
}
