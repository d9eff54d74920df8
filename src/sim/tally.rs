//! What a run accumulates, replication by replication, and how it becomes a report.

use crate::HOURS_PER_YEAR;
use crate::report::{
    CostReport, DataLoss, Estimate, FailoverStats, OptionReport, OutageDurations, Rate, SlaReport, Spread, TierReport,
};
use crate::stats::{Histogram, Moments};

/// The service-level totals of one replication.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Outcome {
    /// Service downtime \[h\].
    pub(crate) downtime: f64,
    /// Service outages.
    pub(crate) outages: u64,
    /// Events simulated.
    pub(crate) events: u64,
    /// Data destructions brought back from a backup.
    pub(crate) restore_events: u64,
    /// Data destructions with no backup to restore.
    pub(crate) unrecoverable_events: u64,
    /// Hours of data lost, over all destructions.
    pub(crate) data_lost: f64,
    /// Restore attempts that found a backup unrestorable.
    pub(crate) bad_backups: u64,
    /// Failover demands: a serving replica failed and the tier lacked one.
    pub(crate) demands: u64,
    /// Demands whose first attempt failed (any cause below).
    pub(crate) failed_demands: u64,
    /// Standbys that took over.
    pub(crate) switchovers: u64,
    /// Switchovers to a healthy standby that failed.
    pub(crate) switch_failures: u64,
    /// Attempts that found the standby dead (a latent failure).
    pub(crate) dead_standby: u64,
    /// Attempts with no standby left.
    pub(crate) no_standby: u64,
    /// Latent standby failures found by drills.
    pub(crate) latent_found: u64,
}

/// What an option costs and promises, for per-replication cost and SLA figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Economics {
    /// Infrastructure per year.
    pub(crate) infrastructure: f64,
    pub(crate) downtime_per_hour: f64,
    pub(crate) per_outage: f64,
    pub(crate) data_loss_per_hour: f64,
    /// The SLA's yearly downtime budget \[h\], if there is an SLA.
    pub(crate) budget: Option<f64>,
}

impl Economics {
    /// The yearly cost of failures: downtime, outages and lost data, per year.
    fn failure_cost(&self, downtime: f64, outages: f64, data_lost: f64) -> f64 {
        downtime * self.downtime_per_hour + outages * self.per_outage + data_lost * self.data_loss_per_hour
    }
}

/// Per-tier accumulators.
#[derive(Debug, Clone, Default, PartialEq)]
struct TierTally {
    /// Hours the tier was down, summed in replication order.
    down_hours: f64,
    /// Hours of service downtime attributed to the tier, summed in replication order.
    share_hours: f64,
    /// Failures, over all replications.
    failures: u64,
}

/// Per-year counters: bad backups, then the failover counts, in [`Outcome`]'s order.
const COUNTERS: usize = 8;

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
    data_lost_per_year: Moments,
    data_lost_hist: Histogram,
    worst_loss: f64,
    restores_per_year: Moments,
    unrecoverable_per_year: Moments,
    /// Totals over all replications (only their means are reported).
    counters: [u64; COUNTERS],
    /// Each replication's yearly total cost.
    cost_hist: Histogram,
    /// Replications whose downtime per year exceeded the SLA budget.
    breaches: u64,
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

    /// Adds one destruction of data, losing `hours` of it.
    pub(crate) fn record_data_loss(&mut self, hours: f64) {
        self.worst_loss = self.worst_loss.max(hours);
    }

    /// Adds one replication's totals; `tiers` gives each tier's downtime \[h\], its
    /// share of the service downtime \[h\] and its failure count.
    pub(crate) fn record_replication(
        &mut self,
        horizon: f64,
        outcome: &Outcome,
        economics: &Economics,
        tiers: impl Iterator<Item = (f64, f64, u64)>,
    ) {
        let years = horizon / HOURS_PER_YEAR;
        let (downtime, outages, lost) = (
            outcome.downtime / years,
            outcome.outages as f64 / years,
            outcome.data_lost / years,
        );
        self.cost_hist
            .record(economics.infrastructure + economics.failure_cost(downtime, outages, lost));
        self.breaches += u64::from(economics.budget.is_some_and(|budget| downtime > budget));
        self.availability.push((horizon - outcome.downtime) / horizon);
        self.downtime_per_year.push(outcome.downtime / years);
        self.downtime_hist.record(outcome.downtime / years);
        self.outages_per_year.push(outcome.outages as f64 / years);
        self.events += outcome.events;
        self.data_lost_per_year.push(outcome.data_lost / years);
        self.data_lost_hist.record(outcome.data_lost / years);
        self.restores_per_year.push(outcome.restore_events as f64 / years);
        self.unrecoverable_per_year
            .push(outcome.unrecoverable_events as f64 / years);
        let counters = [
            outcome.bad_backups,
            outcome.demands,
            outcome.failed_demands,
            outcome.switchovers,
            outcome.switch_failures,
            outcome.dead_standby,
            outcome.no_standby,
            outcome.latent_found,
        ];
        for (total, count) in self.counters.iter_mut().zip(counters) {
            *total += count;
        }
        for (tally, (down, share, failures)) in self.tiers.iter_mut().zip(tiers) {
            tally.down_hours += down;
            tally.share_hours += share;
            tally.failures += failures;
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
        self.data_lost_per_year.merge(&other.data_lost_per_year);
        self.data_lost_hist.merge(&other.data_lost_hist);
        self.worst_loss = self.worst_loss.max(other.worst_loss);
        self.restores_per_year.merge(&other.restores_per_year);
        self.unrecoverable_per_year.merge(&other.unrecoverable_per_year);
        for (mine, theirs) in self.counters.iter_mut().zip(&other.counters) {
            *mine += theirs;
        }
        self.cost_hist.merge(&other.cost_hist);
        self.breaches += other.breaches;
        for (mine, theirs) in self.tiers.iter_mut().zip(&other.tiers) {
            mine.down_hours += theirs.down_hours;
            mine.share_hours += theirs.share_hours;
            mine.failures += theirs.failures;
        }
    }

    /// The service's unavailability so far, and its standard error.
    pub(crate) fn unavailability(&self) -> (f64, f64) {
        (1.0 - self.availability.mean(), self.availability.std_error())
    }

    /// Replications recorded so far.
    pub(crate) fn replications(&self) -> u64 {
        self.availability.count()
    }

    /// The report of one option, from everything recorded.
    pub(crate) fn report(
        &self,
        name: &str,
        horizon: f64,
        tiers_of: &[(&str, u32)],
        economics: &Economics,
        costs: Option<&crate::cost::Costs>,
    ) -> OptionReport {
        let replications = self.replications();
        let availability = Estimate::from_moments(&self.availability);
        let unavailability = availability.complement();
        let nines = (unavailability.point > 0.0).then(|| -unavailability.point.log10());
        // Every hour of service downtime is split among the tiers that were down, so
        // the shares' sum is the service downtime.
        let total_downtime: f64 = self.tiers.iter().map(|t| t.share_hours).sum();
        let total_uptime = availability.point * horizon * replications as f64;
        let outages = self.outage_hours.count();
        let years = replications.max(1) as f64 * horizon / HOURS_PER_YEAR;
        let tiers = tiers_of
            .iter()
            .zip(&self.tiers)
            .map(|((name, replicas), tally)| TierReport {
                name: (*name).to_owned(),
                replicas: *replicas,
                unavailability: tally.down_hours / (replications.max(1) as f64 * horizon),
                downtime_share: if total_downtime > 0.0 {
                    tally.share_hours / total_downtime
                } else {
                    0.0
                },
                failures_per_year: tally.failures as f64 / years,
            })
            .collect();
        let rate = |moments: &Moments| Rate {
            mean: moments.mean(),
            std_error: moments.std_error(),
        };
        let [
            bad_backups,
            demands,
            failed,
            switchovers,
            switch_failures,
            dead_standby,
            no_standby,
            latent_found,
        ] = self.counters.map(|total| total as f64 / years);
        OptionReport {
            name: name.to_owned(),
            replications,
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
            downtime_percentiles_hours: (0..=100)
                .map(|p| self.downtime_hist.quantile(f64::from(p) / 100.0))
                .collect(),
            outages_per_year: rate(&self.outages_per_year),
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
            data_loss_hours_per_year: DataLoss {
                mean: self.data_lost_per_year.mean(),
                std_error: self.data_lost_per_year.std_error(),
                p99: self.data_lost_hist.quantile(0.99),
                max_single_event: self.worst_loss,
            },
            restore_events_per_year: rate(&self.restores_per_year),
            unrecoverable_events_per_year: rate(&self.unrecoverable_per_year),
            bad_backups_per_year: bad_backups,
            failover: FailoverStats {
                demands_per_year: demands,
                failed_per_year: failed,
                switchovers_per_year: switchovers,
                switch_failures_per_year: switch_failures,
                dead_standby_per_year: dead_standby,
                no_standby_per_year: no_standby,
                latent_found_per_year: latent_found,
            },
            cost: costs.map(|costs| {
                let downtime = self.downtime_per_year.mean() * economics.downtime_per_hour
                    + self.outages_per_year.mean() * economics.per_outage;
                let data_loss = self.data_lost_per_year.mean() * economics.data_loss_per_hour;
                CostReport {
                    currency: costs.currency().to_owned(),
                    infrastructure: economics.infrastructure,
                    downtime,
                    data_loss,
                    total: economics.infrastructure + downtime + data_loss,
                    total_p90: self.cost_hist.quantile(0.9),
                }
            }),
            sla: economics.budget.map(|budget| SlaReport {
                budget_hours: budget,
                breach_probability: self.breaches as f64 / replications.max(1) as f64,
                met: self.downtime_per_year.mean() <= budget,
            }),
            events_per_replication: self.events as f64 / replications.max(1) as f64,
            tiers,
        }
    }
}
