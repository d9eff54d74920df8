//! Running a model: the [`Simulation`] settings, the parallel runner and its
//! reproducibility contract.
//!
//! Replications are cut into fixed chunks of [`CHUNK`] consecutive indices. Each chunk
//! runs on one thread with its own accumulators; replication `i` draws only from
//! streams keyed by (seed, i, tier, replica, purpose); chunks are merged in index
//! order. So a report depends only on the model, the seed, the replication count and
//! the crate version, never on the number of threads.

mod engine;
mod rng;
mod tally;

use rayon::prelude::*;

use crate::HOURS_PER_YEAR;
use crate::cost::{CostError, Costs, Sla};
use crate::model::Service;
use crate::report::{OptionReport, Report};
use engine::{Plan, Workspace};
use tally::{Economics, Tally};

/// Replications per chunk: the unit of parallel work and of ordered merging.
pub const CHUNK: u64 = 1024;

/// Chunks run in parallel before their results are merged: bounds memory whatever
/// the replication count.
const WAVE: u64 = 64;

/// How to run a model: horizon, replications, seed and threads.
///
/// ```
/// use nines::{Distribution, FailureMode, Service, Simulation, Tier};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let crash = FailureMode::new(
///     "host crash",
///     Distribution::exponential(1000.0)?,
///     Distribution::exponential(10.0)?,
/// );
/// let database = Tier::builder("database").failure(crash).build()?;
/// let service = Service::new("single database server", vec![database])?;
/// let report = Simulation::new().replications(2000).seed(42).run(&service)?;
/// let availability = report.options[0].availability.point;
/// assert!((availability - 1000.0 / 1010.0).abs() < 0.002);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    horizon: f64,
    replications: u64,
    seed: u64,
    threads: Option<usize>,
    precision: Option<f64>,
    costs: Option<Costs>,
    sla: Option<Sla>,
}

/// How far a run has got, for progress displays.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Progress {
    /// The option being simulated (0-based).
    pub option: usize,
    /// How many options the run has.
    pub options: usize,
    /// Replications of this option done so far.
    pub done: u64,
    /// Replications planned for this option (the cap, with a precision target).
    pub planned: u64,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation::new()
    }
}

impl Simulation {
    /// Default replications: enough for two significant digits of the downtime of a
    /// typical three-nines tier.
    pub const DEFAULT_REPLICATIONS: u64 = 10_000;
    /// Default seed.
    pub const DEFAULT_SEED: u64 = 1;

    /// Settings with a horizon of one year, [`Self::DEFAULT_REPLICATIONS`],
    /// [`Self::DEFAULT_SEED`] and rayon's global thread pool.
    pub fn new() -> Self {
        Simulation {
            horizon: HOURS_PER_YEAR,
            replications: Self::DEFAULT_REPLICATIONS,
            seed: Self::DEFAULT_SEED,
            threads: None,
            precision: None,
            costs: None,
            sla: None,
        }
    }

    /// Instead of a fixed count, keeps adding replications until the 95 % confidence
    /// half-width of each option's unavailability is at most `relative` times the
    /// unavailability (e.g. 0.05 for ±5 %), with [`Simulation::replications`] as the
    /// cap. Replications are added in fixed waves of [`CHUNK`] × 64 and the check runs
    /// after each wave, so the count reached is the same on every run with the same
    /// seed; an option that never shows downtime runs to the cap.
    pub fn precision(mut self, relative: f64) -> Self {
        self.precision = Some(relative);
        self
    }

    /// Prices downtime and lost data, so each option reports its yearly cost.
    pub fn costs(mut self, costs: Costs) -> Self {
        self.costs = Some(costs);
        self
    }

    /// Sets the SLA, so each option reports its breach probability and whether it
    /// meets it.
    pub fn sla(mut self, sla: Sla) -> Self {
        self.sla = Some(sla);
        self
    }

    /// The precision target, if any.
    pub fn precision_target(&self) -> Option<f64> {
        self.precision
    }

    /// The costs, if any.
    pub fn cost_rates(&self) -> Option<&Costs> {
        self.costs.as_ref()
    }

    /// The SLA, if any.
    pub fn sla_target(&self) -> Option<Sla> {
        self.sla
    }

    /// Sets the length of each history \[h\].
    pub fn horizon(mut self, hours: f64) -> Self {
        self.horizon = hours;
        self
    }

    /// Sets the number of independent histories.
    pub fn replications(mut self, replications: u64) -> Self {
        self.replications = replications;
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Runs on a pool of `threads` threads instead of rayon's global pool. The
    /// report is the same for any count.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads);
        self
    }

    /// The horizon \[h\].
    pub fn horizon_hours(&self) -> f64 {
        self.horizon
    }

    /// The replication count.
    pub fn replication_count(&self) -> u64 {
        self.replications
    }

    /// The seed.
    pub fn seed_value(&self) -> u64 {
        self.seed
    }

    pub(crate) fn validate(&self) -> Result<(), SimError> {
        if !(self.horizon.is_finite() && self.horizon > 0.0) {
            return Err(SimError::Horizon(self.horizon));
        }
        if self.replications == 0 {
            return Err(SimError::NoReplications);
        }
        if self.threads == Some(0) {
            return Err(SimError::NoThreads);
        }
        if let Some(relative) = self.precision
            && !(relative.is_finite() && relative > 0.0)
        {
            return Err(SimError::Precision(relative));
        }
        if let Some(costs) = &self.costs {
            costs.validate().map_err(SimError::Costs)?;
        }
        if let Some(sla) = &self.sla {
            sla.validate().map_err(SimError::Costs)?;
        }
        Ok(())
    }

    /// Simulates one service; the report has one option named after it.
    ///
    /// # Errors
    /// [`SimError`] if the settings are invalid (horizon not positive, no
    /// replications, no threads) or the thread pool cannot be started.
    pub fn run(&self, service: &Service) -> Result<Report, SimError> {
        self.run_options(service.name(), std::slice::from_ref(service))
    }

    /// Simulates several options of one scenario on the same seed (common random
    /// numbers), each option a service named after the option.
    ///
    /// # Errors
    /// As [`Simulation::run`].
    pub fn run_options(&self, scenario: &str, options: &[Service]) -> Result<Report, SimError> {
        self.run_options_with_progress(scenario, options, &|_| {})
    }

    /// As [`Simulation::run_options`], calling `progress` after every wave of
    /// replications (from the calling thread, in order).
    ///
    /// # Errors
    /// As [`Simulation::run`].
    pub fn run_options_with_progress(
        &self,
        scenario: &str,
        options: &[Service],
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Report, SimError> {
        self.validate()?;
        let run_all = || {
            options
                .iter()
                .enumerate()
                .map(|(index, service)| {
                    self.run_one(service, &|done, planned| {
                        progress(Progress {
                            option: index,
                            options: options.len(),
                            done,
                            planned,
                        })
                    })
                })
                .collect::<Vec<_>>()
        };
        let reports = match self.threads {
            None => run_all(),
            Some(threads) => rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| SimError::ThreadPool(e.to_string()))?
                .install(run_all),
        };
        Ok(Report::new(scenario, self, reports))
    }

    fn economics(&self, service: &Service) -> Economics {
        let infrastructure = service.tiers().iter().map(|t| t.infrastructure_cost()).sum();
        let rates = self.costs.clone().unwrap_or_else(|| Costs::new(""));
        Economics {
            infrastructure,
            downtime_per_hour: rates.downtime_per_hour(),
            per_outage: rates.per_outage(),
            data_loss_per_hour: rates.data_loss_per_hour(),
            budget: self.sla.map(|sla| sla.budget_hours()),
        }
    }

    /// Whether a precision target is reached by what `tally` holds.
    fn precise_enough(&self, tally: &Tally) -> bool {
        self.precision.is_some_and(|relative| {
            let (unavailability, std_error) = tally.unavailability();
            unavailability > 0.0 && 1.959_963_984_540_054 * std_error <= relative * unavailability
        })
    }

    fn run_one(&self, service: &Service, progress: &dyn Fn(u64, u64)) -> OptionReport {
        let plan = Plan::new(service);
        let economics = self.economics(service);
        let chunks = self.replications.div_ceil(CHUNK);
        let mut total = Tally::new(plan.tier_count());
        for wave_start in (0..chunks).step_by(WAVE as usize) {
            let wave_end = (wave_start + WAVE).min(chunks);
            let tallies: Vec<Tally> = (wave_start..wave_end)
                .into_par_iter()
                .map(|chunk| {
                    let first = chunk * CHUNK;
                    let last = (first + CHUNK).min(self.replications);
                    let mut tally = Tally::new(plan.tier_count());
                    let mut workspace = Workspace::new(&plan, &economics, self.horizon, self.seed);
                    for index in first..last {
                        workspace.run(index, &mut tally);
                    }
                    tally
                })
                .collect();
            for tally in &tallies {
                total.merge(tally);
            }
            progress(total.replications(), self.replications);
            if self.precise_enough(&total) {
                break;
            }
        }
        let tiers: Vec<(&str, u32)> = service.tiers().iter().map(|t| (t.name(), t.replicas())).collect();
        total.report(service.name(), self.horizon, &tiers, &economics, self.costs.as_ref())
    }
}

/// The totals of one simulated history (one replication).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct History {
    /// The replication's index: the same index in a full run gives the same history.
    pub replication: u64,
    /// Service downtime \[h\].
    pub downtime_hours: f64,
    /// Service outages.
    pub outages: u64,
    /// Hours of data lost.
    pub data_lost_hours: f64,
    /// Destructions of data restored from a backup.
    pub restores: u64,
    /// Destructions of data with no backup.
    pub unrecoverable: u64,
    /// Each outage's start and end \[h\], in time order (one still running at the
    /// horizon ends there).
    pub outage_intervals: Vec<[f64; 2]>,
}

impl Simulation {
    /// The individual histories behind a report: replications `range` of `service`,
    /// exactly as [`Simulation::run`] simulates them, on the calling thread. For
    /// looking at a few years in detail, or checking an aggregate by hand.
    ///
    /// # Errors
    /// As [`Simulation::run`].
    pub fn histories(&self, service: &Service, range: std::ops::Range<u64>) -> Result<Vec<History>, SimError> {
        self.validate()?;
        let plan = Plan::new(service);
        let economics = self.economics(service);
        let mut tally = Tally::new(plan.tier_count());
        let mut workspace = Workspace::new(&plan, &economics, self.horizon, self.seed);
        workspace.trace_outages();
        Ok(range
            .map(|replication| {
                workspace.run(replication, &mut tally);
                let outcome = workspace.outcome();
                History {
                    replication,
                    downtime_hours: outcome.downtime,
                    outages: outcome.outages,
                    data_lost_hours: outcome.data_lost,
                    restores: outcome.restore_events,
                    unrecoverable: outcome.unrecoverable_events,
                    outage_intervals: workspace.outages().to_vec(),
                }
            })
            .collect())
    }
}

/// Why a simulation cannot run.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimError {
    /// The horizon is not a positive number of hours.
    #[error("the horizon must be a positive number of hours, got {0}: use e.g. 8760 (one year)")]
    Horizon(f64),
    /// Zero replications.
    #[error("0 replications: simulate at least 1 (10000 or more for stable tails)")]
    NoReplications,
    /// Zero threads.
    #[error("0 threads: use at least 1, or leave the thread count out to use every core")]
    NoThreads,
    /// A precision target that is not a positive fraction.
    #[error("precision {0} is not a positive relative half-width: use e.g. 0.05 for ±5 % of the unavailability")]
    Precision(f64),
    /// Invalid costs or SLA.
    #[error(transparent)]
    Costs(CostError),
    /// The thread pool could not be started.
    #[error("could not start the thread pool: {0}")]
    ThreadPool(String),
}
