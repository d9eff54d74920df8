//! What a run accumulates, window by window and history by history, and how it
//! becomes a report.
//!
//! Distributions across years (percentiles of downtime, data lost and cost, the share
//! of years that breach the SLA or lose data for good) count every measured window.
//! Means are estimated from each history's average over its windows (batch means): the
//! windows of one history follow each other and are not independent, its batches are,
//! so standard errors computed from them are honest.
//!
//! Every accumulator merges exactly (see [`crate::stats`]): counts are integers,
//! histograms have integer buckets, and sums of hours are [`Sum`]s, added in `f64`
//! within a chunk of histories and exactly across chunks ([`Tally::close_chunk`] at
//! the end of each). So a run's tally is the same, bit for bit, however its chunks were
//! spread over threads or shards; and it serialises, for shard files.

use super::OptionFacts;
use super::books::Window;
use super::engine::{Class, Observer};
use crate::HOURS_PER_YEAR;
use crate::cost::Economics;
use crate::report::{
    Availability, CostReport, CrossSiteStats, DataLoss, DisruptionReport, Durations, Estimate, FailoverStats, Losses,
    OptionReport, OutageDurations, SlaReport, Spread, TierReport,
};
use crate::stats::{Histogram, Moments, Sum};
use serde::{Deserialize, Serialize};

/// Per-tier totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct TierTally {
    down_hours: Sum,
    share_hours: Sum,
    failures: u64,
}

/// Per-year counters: bad backups, then the failover counts, in [`Window`]'s order.
const COUNTERS: usize = 12;

/// The quantities whose means are estimated from batches, per window (per year, or a
/// fraction for availability).
#[derive(Debug, Clone, Copy)]
enum Mean {
    /// The fraction of the window the service was down: unavailability rather than
    /// availability, so that the power sums stay small and the variance formed from
    /// them does not cancel (see [`crate::stats`]).
    Unavailability,
    Downtime,
    Outages,
    DataLost,
    AtFailover,
    Restores,
    Unrecoverable,
    /// 1 for a window with at least one loss for good, else 0: the mean is the share
    /// of such windows.
    LostForGood,
    /// 1 for a window whose counted downtime broke the SLA's budget, else 0 (always 0
    /// without an SLA).
    Breach,
    // Kept apart only in models with planned downtime.
    Planned,
    /// The fraction of the window the service was down unplanned.
    UnplannedUnavailability,
    UnplannedOutages,
}

const MEANS: usize = 12;

/// The means every model keeps; the others only models with planned downtime.
const BASIC_MEANS: usize = 9;

/// What the disruptions of one class did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct ClassTally {
    events: u64,
    /// Outages it started, their hours, and how many ended within the RTO.
    outages: u64,
    outage_hours: Sum,
    outage_hist: Histogram,
    within_rto: u64,
    /// Disruptions over, the data they lost (those that lost none for good; the many
    /// that lost nothing only counted), how many lost no more than the RPO, and how
    /// many lost data for good.
    settled: u64,
    lost_hours: Sum,
    lost_hist: Histogram,
    lost_nothing: u64,
    within_rpo: u64,
    for_good: u64,
}

impl ClassTally {
    fn merge(&mut self, other: &ClassTally) {
        self.events += other.events;
        self.outages += other.outages;
        self.outage_hours.merge(&other.outage_hours);
        self.outage_hist.merge(&other.outage_hist);
        self.within_rto += other.within_rto;
        self.settled += other.settled;
        self.lost_hours.merge(&other.lost_hours);
        self.lost_hist.merge(&other.lost_hist);
        self.lost_nothing += other.lost_nothing;
        self.within_rpo += other.within_rpo;
        self.for_good += other.for_good;
    }

    fn close(&mut self) {
        self.outage_hours.close();
        self.lost_hours.close();
    }

    fn check(&self) -> Result<(), String> {
        self.outage_hist.check()?;
        self.lost_hist.check()
    }
}

/// Accumulators for a run (or any set of whole chunks of one): they merge exactly, in
/// any order. Serialised (in shard files) between chunks only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Tally {
    horizon: f64,
    /// Years per hour of window: 1 y / horizon.
    per_year: f64,
    windows_per_history: u64,
    economics: Economics,
    // Per history (batch means): the history being measured, empty between chunks.
    #[serde(skip)]
    batch: [f64; MEANS],
    #[serde(skip)]
    batch_windows: u64,
    means: [Moments; MEANS],
    // Per window.
    downtime_hist: Histogram,
    /// Each window's downtime per year, for the spread of single years (when a
    /// history measures several; with one, the downtime's mean holds the same).
    downtime_windows: Moments,
    data_lost_hist: Histogram,
    cost_hist: Histogram,
    events: u64,
    counters: [u64; COUNTERS],
    tiers: Vec<TierTally>,
    // Per outage (their durations in the classes' histograms), per restore or
    // failover, per disruption.
    outages: u64,
    outage_hours: Sum,
    outages_cut: u64,
    worst_loss: f64,
    classes: [ClassTally; Class::ALL.len()],
}

impl Tally {
    pub(crate) fn new(tiers: usize, horizon: f64, windows_per_history: u64, economics: Economics) -> Tally {
        Tally {
            horizon,
            per_year: HOURS_PER_YEAR / horizon,
            windows_per_history,
            economics,
            batch: [0.0; MEANS],
            batch_windows: 0,
            means: [Moments::default(); MEANS],
            downtime_hist: Histogram::default(),
            downtime_windows: Moments::default(),
            data_lost_hist: Histogram::default(),
            cost_hist: Histogram::default(),
            events: 0,
            counters: [0; COUNTERS],
            tiers: vec![TierTally::default(); tiers],
            outages: 0,
            outage_hours: Sum::default(),
            outages_cut: 0,
            worst_loss: 0.0,
            classes: Default::default(),
        }
    }

    /// Ends a chunk: every partial `f64` sum goes into its exact sum. Called after the
    /// last history of every chunk, so that what is exact does not depend on which
    /// chunks this tally holds.
    pub(crate) fn close_chunk(&mut self) {
        debug_assert_eq!(self.batch_windows, 0, "a chunk ends with a whole history");
        self.means.iter_mut().for_each(Moments::close);
        self.downtime_windows.close();
        for tier in &mut self.tiers {
            tier.down_hours.close();
            tier.share_hours.close();
        }
        self.outage_hours.close();
        self.classes.iter_mut().for_each(ClassTally::close);
    }

    /// Whether `other` accumulates the same quantities as this one: the same
    /// horizon, windows per history, economics and tiers (so they can merge).
    pub(crate) fn same_shape(&self, other: &Tally) -> bool {
        self.horizon.to_bits() == other.horizon.to_bits()
            && self.per_year.to_bits() == other.per_year.to_bits()
            && self.windows_per_history == other.windows_per_history
            && self.economics == other.economics
            && self.tiers.len() == other.tiers.len()
    }

    /// What its windows cost.
    pub(crate) fn economics(&self) -> &Economics {
        &self.economics
    }

    /// How many tiers it keeps totals for.
    pub(crate) fn tier_count(&self) -> usize {
        self.tiers.len()
    }

    /// Whether a tally read back is one a run could have built (see
    /// [`Histogram::check`]); the error says what is wrong.
    pub(crate) fn check(&self) -> Result<(), String> {
        if !(self.horizon.is_finite() && self.horizon > 0.0 && self.windows_per_history > 0) {
            return Err(format!(
                "its horizon {} h or its {} windows per history are not a run's",
                self.horizon, self.windows_per_history
            ));
        }
        for hist in [&self.downtime_hist, &self.data_lost_hist, &self.cost_hist] {
            hist.check()?;
        }
        self.classes.iter().try_for_each(ClassTally::check)
    }

    /// Adds another set of chunks' accumulators, exactly (in any order: the result is
    /// the same). Both must be [`Tally::same_shape`].
    pub(crate) fn merge(&mut self, other: &Tally) {
        debug_assert!(self.same_shape(other), "merging tallies of different runs");
        debug_assert_eq!(other.batch_windows, 0, "a chunk ends with a whole history");
        for (mine, theirs) in self.means.iter_mut().zip(&other.means) {
            mine.merge(theirs);
        }
        self.downtime_hist.merge(&other.downtime_hist);
        self.downtime_windows.merge(&other.downtime_windows);
        self.data_lost_hist.merge(&other.data_lost_hist);
        self.cost_hist.merge(&other.cost_hist);
        self.events += other.events;
        for (mine, theirs) in self.counters.iter_mut().zip(&other.counters) {
            *mine += theirs;
        }
        for (mine, theirs) in self.tiers.iter_mut().zip(&other.tiers) {
            mine.down_hours.merge(&theirs.down_hours);
            mine.share_hours.merge(&theirs.share_hours);
            mine.failures += theirs.failures;
        }
        self.outages += other.outages;
        self.outage_hours.merge(&other.outage_hours);
        self.outages_cut += other.outages_cut;
        self.worst_loss = self.worst_loss.max(other.worst_loss);
        for (mine, theirs) in self.classes.iter_mut().zip(&other.classes) {
            mine.merge(theirs);
        }
    }

    fn mean(&self, which: Mean) -> &Moments {
        &self.means[which as usize]
    }

    /// The service's unavailability so far, and its standard error.
    pub(crate) fn unavailability(&self) -> (f64, f64) {
        let unavailability = self.mean(Mean::Unavailability);
        (unavailability.mean(), unavailability.std_error())
    }

    /// Windows measured so far.
    pub(crate) fn windows(&self) -> u64 {
        self.mean(Mean::Unavailability).count() * self.windows_per_history
    }

    /// The report of one option, from everything recorded, and the moments of each
    /// history's cost, downtime cost and data-loss cost per year (kept apart, by the
    /// comparison) when the run had costs.
    pub(crate) fn report(
        &self,
        facts: &OptionFacts,
        costs: Option<&crate::cost::Costs>,
        cost_moments: Option<&[Moments; 3]>,
    ) -> OptionReport {
        let name = facts.name.as_str();
        let tiers_of = &facts.tiers;
        let windows = self.windows();
        let horizon = self.horizon;
        let economics = &self.economics;
        let planned = economics.planned;
        // Without planned downtime, the unplanned figures are the whole.
        let apart = |which: Mean, whole: Mean| if planned { which } else { whole };
        let unavailability = Estimate::fraction(self.mean(Mean::Unavailability));
        let availability = unavailability.complement();
        let excluding_planned =
            Estimate::fraction(self.mean(apart(Mean::UnplannedUnavailability, Mean::Unavailability))).complement();
        let nines = (unavailability.mean > 0.0).then(|| -unavailability.mean.log10());
        // Every hour of service downtime is split among the tiers that were down, so
        // the shares' sum is the service downtime.
        let shares: Vec<f64> = self.tiers.iter().map(|t| t.share_hours.value()).collect();
        let total_downtime: f64 = shares.iter().sum();
        let total_uptime = availability.mean * horizon * windows as f64;
        let outages = self.outages;
        let years = windows.max(1) as f64 * horizon / HOURS_PER_YEAR;
        let tiers = tiers_of
            .iter()
            .zip(self.tiers.iter().zip(&shares))
            .map(|((name, replicas), (tally, share))| TierReport {
                name: name.clone(),
                replicas: *replicas,
                unavailability: tally.down_hours.value() / (windows.max(1) as f64 * horizon),
                downtime_share: if total_downtime > 0.0 {
                    share / total_downtime
                } else {
                    0.0
                },
                failures_per_year: tally.failures as f64 / years,
            })
            .collect();
        let rate = |which: Mean| Estimate::nonnegative(self.mean(which));
        let [
            bad_backups,
            demands,
            failed,
            switchovers,
            switch_failures,
            dead_standby,
            no_standby,
            latent_found,
            cross_switchovers,
            cross_switch_failures,
            cross_dead_standby,
            dr_latent_found,
        ] = self.counters.map(|total| total as f64 / years);
        let windows_f = windows.max(1) as f64;
        let downtime = self.mean(Mean::Downtime);
        let downtime_mean = downtime.mean();
        let fraction = |part: u64, whole: u64| if whole > 0 { part as f64 / whole as f64 } else { 0.0 };
        let mut outage_hist = Histogram::default();
        for class in &self.classes {
            outage_hist.merge(&class.outage_hist);
        }
        let disruptions = Class::ALL
            .iter()
            .zip(&self.classes)
            .filter(|(_, c)| c.events > 0 || c.outages > 0)
            .map(|(class, c)| {
                let mut lost_hist = c.lost_hist.clone();
                lost_hist.record_zeros(c.lost_nothing);
                DisruptionReport {
                    class: class.name().to_owned(),
                    events_per_year: c.events as f64 / years,
                    outages: c.outages,
                    outage_hours: Durations {
                        mean: if c.outages > 0 {
                            c.outage_hours.value() / c.outages as f64
                        } else {
                            0.0
                        },
                        p50: c.outage_hist.quantile(0.5),
                        p95: c.outage_hist.quantile(0.95),
                        max: c.outage_hist.max(),
                    },
                    within_rto: economics.rto.map(|_| fraction(c.within_rto, c.outages)),
                    data_loss_hours: Losses {
                        mean: if c.settled > c.for_good {
                            c.lost_hours.value() / (c.settled - c.for_good) as f64
                        } else {
                            0.0
                        },
                        p95: lost_hist.quantile(0.95),
                        max: lost_hist.max(),
                    },
                    within_rpo: economics.rpo.map(|_| fraction(c.within_rpo, c.settled)),
                    lost_for_good: fraction(c.for_good, c.settled),
                }
            })
            .collect();
        let data_lost = self.mean(Mean::DataLost);
        let planned_downtime = if planned {
            rate(Mean::Planned)
        } else {
            Estimate::exact(0.0)
        };
        // Unplanned downtime per year: the complement of the availability without
        // planned downtime, in hours of a year.
        let unplanned_downtime = if planned {
            excluding_planned.complement().scaled(HOURS_PER_YEAR)
        } else {
            rate(Mean::Downtime)
        };
        let unplanned_outages = rate(apart(Mean::UnplannedOutages, Mean::Outages));
        let (counted_downtime, counted_outages) = if economics.exclude_planned {
            (unplanned_downtime.mean, unplanned_outages.mean)
        } else {
            (downtime_mean, self.mean(Mean::Outages).mean())
        };
        OptionReport {
            name: name.to_owned(),
            replications: windows,
            availability: Availability {
                estimate: availability,
                excluding_planned,
            },
            unavailability,
            nines,
            downtime_hours_per_year: Spread {
                estimate: rate(Mean::Downtime),
                std: if self.windows_per_history == 1 {
                    downtime.std_dev()
                } else {
                    self.downtime_windows.std_dev()
                },
                p50: self.downtime_hist.quantile(0.5),
                p90: self.downtime_hist.quantile(0.9),
                p99: self.downtime_hist.quantile(0.99),
                max: self.downtime_hist.max(),
                planned: planned_downtime,
                unplanned: unplanned_downtime,
            },
            downtime_percentiles_hours: (0..=100)
                .map(|p| self.downtime_hist.quantile(f64::from(p) / 100.0))
                .collect(),
            outages_per_year: rate(Mean::Outages),
            unplanned_outages_per_year: unplanned_outages,
            outage_duration_hours: OutageDurations {
                mean: if outages > 0 {
                    self.outage_hours.value() / outages as f64
                } else {
                    0.0
                },
                p50: outage_hist.quantile(0.5),
                p95: outage_hist.quantile(0.95),
                p99: outage_hist.quantile(0.99),
                max: outage_hist.max(),
                count: outages,
                cut_at_window_edges: self.outages_cut,
            },
            service_mtbf_hours: (outages > 0).then(|| total_uptime / outages as f64),
            data_loss_hours_per_year: DataLoss {
                estimate: rate(Mean::DataLost),
                p99: self.data_lost_hist.quantile(0.99),
                max_single_event: self.worst_loss,
                at_failover: rate(Mean::AtFailover),
            },
            restore_events_per_year: rate(Mean::Restores),
            unrecoverable_events_per_year: rate(Mean::Unrecoverable),
            unrecoverable_probability: Estimate::fraction(self.mean(Mean::LostForGood)),
            bad_backups_per_year: bad_backups,
            failover: FailoverStats {
                demands_per_year: demands,
                failed_per_year: failed,
                switchovers_per_year: switchovers,
                switch_failures_per_year: switch_failures,
                dead_standby_per_year: dead_standby,
                no_standby_per_year: no_standby,
                latent_found_per_year: latent_found,
                cross_site: CrossSiteStats {
                    switchovers_per_year: cross_switchovers,
                    switch_failures_per_year: cross_switch_failures,
                    dead_standby_per_year: cross_dead_standby,
                    latent_found_per_year: dr_latent_found,
                },
            },
            cost: costs.map(|costs| {
                // From each history's cost, when the run kept them (it does whenever
                // it has costs); else from the means, with no spread.
                let [total, downtime, data_loss] = match cost_moments {
                    Some(moments) => {
                        let [variable, downtime, data_loss] = moments.each_ref().map(Estimate::nonnegative);
                        [variable.shifted(economics.infrastructure), downtime, data_loss]
                    }
                    None => {
                        let downtime =
                            counted_downtime * economics.downtime_per_hour + counted_outages * economics.per_outage;
                        let data_loss = data_lost.mean() * economics.data_loss_per_hour
                            + self.mean(Mean::Unrecoverable).mean() * economics.per_unrecoverable;
                        [economics.infrastructure + downtime + data_loss, downtime, data_loss].map(Estimate::exact)
                    }
                };
                CostReport {
                    currency: costs.currency().to_owned(),
                    infrastructure: economics.infrastructure,
                    downtime,
                    data_loss,
                    unrecoverable: rate(Mean::Unrecoverable).scaled(economics.per_unrecoverable),
                    total,
                    total_p90: self.cost_hist.quantile(0.9),
                }
            }),
            sla: economics.budget.map(|budget| {
                // The expected downtime the SLA counts is (1 − availability) hours of a
                // year, and so is its interval.
                let counted = if economics.exclude_planned {
                    excluding_planned
                } else {
                    availability
                };
                let ci95 = [
                    (1.0 - counted.ci95[1]) * HOURS_PER_YEAR,
                    (1.0 - counted.ci95[0]) * HOURS_PER_YEAR,
                ];
                SlaReport::judge(
                    budget,
                    counted_downtime,
                    ci95,
                    Estimate::fraction(self.mean(Mean::Breach)),
                    economics.exclude_planned,
                )
            }),
            events_per_replication: self.events as f64 / windows_f,
            disruptions,
            tiers,
            importance: None,
            versus_recommended: None,
        }
    }
}

impl Observer for Tally {
    #[inline]
    fn outage(&mut self, start: f64, end: f64, cut: bool, class: Class, _planned: bool) {
        let hours = end - start;
        self.outages += 1;
        self.outage_hours.add(hours);
        self.outages_cut += u64::from(cut);
        let c = &mut self.classes[class as usize];
        c.outages += 1;
        c.outage_hours.add(hours);
        c.outage_hist.record(hours);
        c.within_rto += u64::from(self.economics.rto.is_some_and(|rto| hours <= rto));
    }

    fn data_loss(&mut self, hours: f64) {
        self.worst_loss = self.worst_loss.max(hours);
    }

    #[inline]
    fn disruption(&mut self, class: Class, hours: Option<f64>) {
        let c = &mut self.classes[class as usize];
        c.settled += 1;
        match hours {
            Some(0.0) => {
                c.lost_nothing += 1;
                c.within_rpo += u64::from(self.economics.rpo.is_some());
            }
            Some(hours) => {
                c.lost_hours.add(hours);
                c.lost_hist.record(hours);
                c.within_rpo += u64::from(self.economics.rpo.is_some_and(|rpo| hours <= rpo));
            }
            None => c.for_good += 1,
        }
    }

    fn window(&mut self, window: &Window) {
        // Per year: one multiplication each (the window's length in years is fixed).
        let scale = self.per_year;
        let downtime = window.downtime * scale;
        let outages = window.outages as f64 * scale;
        let data_lost = window.data_lost * scale;
        let unrecoverable = window.unrecoverable as f64 * scale;
        let e = &self.economics;
        if e.priced {
            self.cost_hist.record(e.yearly_cost(window, scale));
        }
        let breach = e.budget.is_some_and(|budget| e.counted(window).0 * scale > budget);
        self.downtime_hist.record(downtime);
        self.data_lost_hist.record(data_lost);
        self.events += window.events;
        let counters = [
            window.bad_backups,
            window.demands,
            window.failed_demands,
            window.switchovers,
            window.switch_failures,
            window.dead_standby,
            window.no_standby,
            window.latent_found,
            window.cross_switchovers,
            window.cross_switch_failures,
            window.cross_dead_standby,
            window.dr_latent_found,
        ];
        for (total, count) in self.counters.iter_mut().zip(counters) {
            *total += count;
        }
        for (tally, tier) in self.tiers.iter_mut().zip(&window.tiers) {
            tally.down_hours.add(tier.down);
            tally.share_hours.add(tier.share);
            tally.failures += tier.failures;
        }
        for (tally, &count) in self.classes.iter_mut().zip(&window.disruptions) {
            tally.events += count;
        }
        let mut values = [0.0; MEANS];
        values[Mean::Unavailability as usize] = window.downtime / self.horizon;
        values[Mean::Downtime as usize] = downtime;
        values[Mean::Outages as usize] = outages;
        values[Mean::DataLost as usize] = data_lost;
        values[Mean::AtFailover as usize] = window.data_lost_at_failover * scale;
        values[Mean::Restores as usize] = window.restores as f64 * scale;
        values[Mean::Unrecoverable as usize] = unrecoverable;
        values[Mean::LostForGood as usize] = f64::from(u8::from(window.unrecoverable > 0));
        values[Mean::Breach as usize] = f64::from(u8::from(breach));
        let kept = if e.planned {
            values[Mean::Planned as usize] = window.planned * scale;
            values[Mean::UnplannedUnavailability as usize] = (window.downtime - window.planned) / self.horizon;
            values[Mean::UnplannedOutages as usize] = window.unplanned_outages as f64 * scale;
            MEANS
        } else {
            BASIC_MEANS
        };
        if self.windows_per_history == 1 {
            // Each window is its own history: its values are the batch means, and the
            // spread of single years is that of the histories.
            for (moments, value) in self.means[..kept].iter_mut().zip(values) {
                moments.push(value);
            }
            return;
        }
        self.downtime_windows.push(downtime);
        for (sum, value) in self.batch.iter_mut().zip(values) {
            *sum += value;
        }
        self.batch_windows += 1;
        if self.batch_windows == self.windows_per_history {
            let n = self.batch_windows as f64;
            for (moments, sum) in self.means[..kept].iter_mut().zip(self.batch) {
                moments.push(sum / n);
            }
            self.batch = [0.0; MEANS];
            self.batch_windows = 0;
        }
    }
}
