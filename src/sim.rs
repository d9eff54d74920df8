//! Running a model: the [`Simulation`] settings, the parallel runner and its
//! reproducibility contract.
//!
//! A run measures `replications` windows of `horizon` hours. By default
//! ([`Start::Steady`]) they are windows of a system in service: each history runs a
//! warm-up that is simulated but not measured, then measures one or more consecutive
//! windows. Histories are cut into fixed chunks of [`CHUNK`] windows, and history `i`
//! draws only from streams keyed by (seed, i, the names of the component, mode and
//! purpose). Each worker thread runs whole chunks into accumulators of its own, and
//! the workers' accumulators are merged once at the end: no serial step between
//! chunks. Every accumulator merges exactly (integer counts and histogram buckets;
//! sums added in `f64` within a chunk, in history order, and exactly across chunks:
//! see [`crate::stats`]), so the result does not depend on which worker ran which
//! chunk, nor on the order of merges. So a report depends only on the model, the
//! seed, the replication count and the crate version, never on the number of threads,
//! nor on the number of shards a run is split into ([`Shard`]).

mod backups;
mod books;
mod engine;
mod importance;
mod paired;
mod plan;
mod rng;
mod shard;
mod tally;
mod timers;

pub use crate::report::Start;
pub use importance::Importance;
pub use paired::MAX_PAIRED_OPTIONS;
pub use shard::{MAX_SHARDS, MergeError, ScenarioSource, Shard, ShardError};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::HOURS_PER_YEAR;
use crate::compare::Paired as _;
use crate::cost::{CostError, Costs, Economics, Sla};
use crate::model::Service;
use crate::report::{OptionReport, Report};
use books::Window;
use engine::{Engine, Observer, Schedule};
pub(crate) use paired::Comparison;
use paired::Recorder;
use plan::Plan;
use tally::Tally;

/// Replications (measured windows) per chunk: the unit of parallel work and of ordered
/// merging.
pub const CHUNK: u64 = 1024;

/// Chunks between two checks of a precision target, and between two progress
/// reports.
const WAVE: u64 = 64;

/// How to run a model: horizon, replications, seed, threads, and how histories start.
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
/// let database = Tier::builder("database").with_failure(crash).build()?;
/// let service = Service::new("single database server", vec![database])?;
/// let report = Simulation::new().with_replications(2000).with_seed(42).run(&service)?;
/// let availability = report.options[0].availability.mean;
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
    start: Start,
    warm_up: Option<f64>,
    rto: Option<f64>,
    rpo: Option<f64>,
    exclude_planned: bool,
}

/// How far a run has got, for progress displays. The options of a run go side by
/// side, chunk by chunk, so progress counts the replications of all options together.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Progress {
    /// How many options the run has.
    pub options: usize,
    /// Replications done so far, over all options.
    pub done: u64,
    /// Replications planned, over all options (with a precision target, the cap:
    /// options precise enough stop earlier).
    pub planned: u64,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation::new()
    }
}

/// How a run lays out its histories: the warm-up, the windows each history
/// measures, and the windows in all.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Layout {
    schedule: Schedule,
    /// Windows measured in all: the replication count, rounded up to whole histories.
    windows: u64,
}

impl Layout {
    fn histories(&self) -> u64 {
        self.windows / self.schedule.windows
    }

    fn histories_per_chunk(&self) -> u64 {
        CHUNK / self.schedule.windows
    }

    /// Chunks in all: the last may hold fewer histories.
    fn chunks(&self) -> u64 {
        self.histories().div_ceil(self.histories_per_chunk())
    }
}

impl Simulation {
    /// Default replications: enough for two significant digits of the downtime of a
    /// typical three-nines tier.
    pub const DEFAULT_REPLICATIONS: u64 = 10_000;
    /// Default seed.
    pub const DEFAULT_SEED: u64 = 1;
    /// The shortest horizon \[h\]: one hour.
    pub const MIN_HORIZON: f64 = crate::report::MIN_HORIZON;
    /// The longest horizon or warm-up \[h\]: a thousand years.
    pub const MAX_HORIZON: f64 = crate::report::MAX_HORIZON;
    /// The most replications a run may ask for.
    pub const MAX_REPLICATIONS: u64 = crate::report::MAX_REPLICATIONS;
    /// The most threads a run may ask for.
    pub const MAX_THREADS: usize = 1024;
    /// The default warm-up is this many times the model's longest memory.
    pub const WARM_UP_MEMORIES: f64 = 5.0;
    /// The default warm-up never exceeds this \[h\]: 100 years.
    pub const MAX_DEFAULT_WARM_UP: f64 = 100.0 * HOURS_PER_YEAR;

    /// Settings with a horizon of one year, [`Self::DEFAULT_REPLICATIONS`],
    /// [`Self::DEFAULT_SEED`], a system in service ([`Start::Steady`]) with the
    /// default warm-up, and rayon's global thread pool.
    pub fn new() -> Self {
        Simulation {
            horizon: HOURS_PER_YEAR,
            replications: Self::DEFAULT_REPLICATIONS,
            seed: Self::DEFAULT_SEED,
            threads: None,
            precision: None,
            costs: None,
            sla: None,
            start: Start::Steady,
            warm_up: None,
            rto: None,
            rpo: None,
            exclude_planned: false,
        }
    }

    /// Sets how each history starts (default [`Start::Steady`]).
    pub fn with_start(mut self, start: Start) -> Self {
        self.start = start;
        self
    }

    /// Sets the warm-up of a system in service \[h\]: simulated before the measured
    /// windows, not measured. Without it, the warm-up is chosen from the model:
    /// [`Self::WARM_UP_MEMORIES`] times the longest time the model remembers its
    /// as-new start, which is the longest of
    /// - the mean time to failure of every failure mode that is not exponential (a
    ///   replica's age matters only for those),
    /// - for a failover tier whose standbys fail silently, age slower than serving
    ///   replicas, or have modes that are not exponential: the mean time between the
    ///   serving replica's failures (how long a standby can stay dead or young before
    ///   a demand calls on it), or the drill interval when drills renew it sooner (hot
    ///   standbys with exponential modes),
    /// - the mean of every repair, restore, detection, switchover, manual recovery and
    ///   drill duration,
    ///
    /// at most [`Self::MAX_DEFAULT_WARM_UP`]; with several options, the longest any of
    /// them needs, so that every option is measured over the same stretch of
    /// simulated time and they share their random numbers. Drills and backups run on
    /// a schedule whose phase is random. Ignored with [`Start::New`].
    pub fn with_warm_up(mut self, hours: f64) -> Self {
        self.warm_up = Some(hours);
        self
    }

    /// Instead of a fixed count, keeps adding replications until the 95 % confidence
    /// half-width of each option's unavailability is at most `relative` times the
    /// unavailability (e.g. 0.05 for ±5 %), with [`Simulation::with_replications`] as the
    /// cap. Replications are added in fixed waves of [`CHUNK`] × 64 and the check runs
    /// after each wave, so the count reached is the same on every run with the same
    /// seed; an option that never shows downtime runs to the cap.
    pub fn with_precision(mut self, relative: f64) -> Self {
        self.precision = Some(relative);
        self
    }

    /// Prices downtime and lost data, so each option reports its yearly cost.
    pub fn with_costs(mut self, costs: Costs) -> Self {
        self.costs = Some(costs);
        self
    }

    /// Sets the SLA, so each option reports its breach probability and whether it
    /// meets it.
    pub fn with_sla(mut self, sla: Sla) -> Self {
        self.sla = Some(sla);
        self
    }

    /// Sets the recovery time objective \[h\]: each class of disruption reports the
    /// share of the outages it started that lasted no longer.
    pub fn with_rto(mut self, hours: f64) -> Self {
        self.rto = Some(hours);
        self
    }

    /// Sets the recovery point objective \[h\]: each class of disruption reports the
    /// share of its disruptions that lost no more data.
    pub fn with_rpo(mut self, hours: f64) -> Self {
        self.rpo = Some(hours);
        self
    }

    /// Leaves planned downtime (maintenance, failover tests) out of the SLA (its
    /// budget and the share of years that breach it) and of the downtime cost
    /// (default: planned downtime counts, the honest default: the service is down
    /// all the same). Reports show availability and downtime both ways regardless.
    pub fn with_exclude_planned(mut self, exclude: bool) -> Self {
        self.exclude_planned = exclude;
        self
    }

    /// Whether planned downtime is left out of the SLA and the downtime cost.
    pub fn excludes_planned(&self) -> bool {
        self.exclude_planned
    }

    /// The recovery time objective \[h\], if any.
    pub fn rto(&self) -> Option<f64> {
        self.rto
    }

    /// The recovery point objective \[h\], if any.
    pub fn rpo(&self) -> Option<f64> {
        self.rpo
    }

    /// The precision target (relative 95 % half-width of the unavailability), if any.
    pub fn precision(&self) -> Option<f64> {
        self.precision
    }

    /// The costs, if any.
    pub fn costs(&self) -> Option<&Costs> {
        self.costs.as_ref()
    }

    /// The SLA, if any.
    pub fn sla(&self) -> Option<Sla> {
        self.sla
    }

    /// Sets the length of each measured window \[h\] (default one year).
    pub fn with_horizon(mut self, hours: f64) -> Self {
        self.horizon = hours;
        self
    }

    /// Sets the number of measured windows (each a replication of `horizon`).
    pub fn with_replications(mut self, replications: u64) -> Self {
        self.replications = replications;
        self
    }

    /// Sets the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Runs on a pool of `threads` threads instead of rayon's global pool. The
    /// report is the same for any count.
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads);
        self
    }

    /// The horizon: the length of each measured window, in hours \[h\].
    pub fn horizon(&self) -> f64 {
        self.horizon
    }

    /// The number of measured windows asked for (with a precision target, the cap).
    pub fn replications(&self) -> u64 {
        self.replications
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How histories start.
    pub fn start(&self) -> Start {
        self.start
    }

    /// The warm-up given \[h\], if any (without one, it is chosen from the model).
    pub fn warm_up(&self) -> Option<f64> {
        self.warm_up
    }

    pub(crate) fn validate(&self) -> Result<(), SimError> {
        if !(self.horizon.is_finite() && (Self::MIN_HORIZON..=Self::MAX_HORIZON).contains(&self.horizon)) {
            return Err(SimError::Horizon(self.horizon));
        }
        if self.replications == 0 {
            return Err(SimError::NoReplications);
        }
        if self.replications > Self::MAX_REPLICATIONS {
            return Err(SimError::TooManyReplications(self.replications));
        }
        if self.threads == Some(0) {
            return Err(SimError::NoThreads);
        }
        if let Some(threads) = self.threads
            && threads > Self::MAX_THREADS
        {
            return Err(SimError::TooManyThreads(threads));
        }
        if let Some(hours) = self.warm_up
            && !(hours.is_finite() && (0.0..=Self::MAX_HORIZON).contains(&hours))
        {
            return Err(SimError::WarmUp(hours));
        }
        if let Some(relative) = self.precision
            && !(relative.is_finite() && relative > 0.0)
        {
            return Err(SimError::Precision(relative));
        }
        for (key, value) in [("rto", self.rto), ("rpo", self.rpo)] {
            if let Some(hours) = value
                && !(hours.is_finite() && (0.0..=Self::MAX_HORIZON).contains(&hours))
            {
                return Err(SimError::Objective { key, hours });
            }
        }
        if let Some(costs) = &self.costs {
            costs.validate().map_err(SimError::Costs)?;
        }
        if let Some(sla) = &self.sla {
            sla.validate().map_err(SimError::Costs)?;
        }
        Ok(())
    }

    /// The warm-up a run of `plans` uses \[h\].
    fn resolved_warm_up(&self, plans: &[Plan]) -> f64 {
        match (self.start, self.warm_up) {
            (Start::New, _) => 0.0,
            (Start::Steady, Some(hours)) => hours,
            (Start::Steady, None) => {
                let memory = plans.iter().map(Plan::memory).fold(0.0, f64::max);
                (Self::WARM_UP_MEMORIES * memory).min(Self::MAX_DEFAULT_WARM_UP)
            }
        }
    }

    /// How a run of `plans` lays out its histories. After a warm-up `W`, a history
    /// measures `m` consecutive windows, `m` the smallest power of two with
    /// `m · horizon ≥ 4 W` (so the warm-up costs at most a quarter of what is
    /// measured), but no more than leaves 64 histories to estimate standard errors
    /// from, nor more than a chunk. The replication count is rounded up to whole
    /// histories.
    fn layout(&self, plans: &[Plan]) -> Layout {
        let warm_up = self.resolved_warm_up(plans);
        let wanted = if warm_up > 0.0 {
            ((4.0 * warm_up / self.horizon).ceil() as u64)
                .max(1)
                .next_power_of_two()
        } else {
            1
        };
        let room = (self.replications / 64).max(1);
        let room = 1u64 << room.ilog2();
        let windows = wanted.min(room).min(CHUNK);
        Layout {
            schedule: Schedule {
                as_new: self.start == Start::New,
                warm_up,
                horizon: self.horizon,
                windows,
            },
            windows: self.replications.div_ceil(windows) * windows,
        }
    }

    /// Simulates one service; the report has one option named after it.
    ///
    /// # Errors
    /// [`SimError`] if the settings are invalid (horizon, replications, threads,
    /// warm-up or precision out of bounds, invalid costs or SLA) or the thread pool
    /// cannot be started.
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

    /// As [`Simulation::run_options`], calling `progress` after every 64 chunks of
    /// replications done (of every option: they run side by side), and at the end:
    /// from whichever worker thread finished them, one call at a time, with counts
    /// that only grow.
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
        let plans: Vec<Plan> = options.iter().map(Plan::new).collect();
        let layout = self.layout(&plans);
        let (tallies, comparison) = self.in_pool(|| self.run_all(options, &plans, &layout, progress))?;
        let facts: Vec<OptionFacts> = options.iter().map(OptionFacts::of).collect();
        let reports = tallies
            .iter()
            .zip(&facts)
            .enumerate()
            .map(|(k, (tally, facts))| tally.report(facts, self.costs.as_ref(), Some(comparison.costs(k))))
            .collect();
        Ok(self.report(scenario, &layout, &facts, reports, &comparison))
    }

    /// The report of a run of options (`facts`, one per report), with its warnings.
    fn report(
        &self,
        scenario: &str,
        layout: &Layout,
        facts: &[OptionFacts],
        reports: Vec<OptionReport>,
        comparison: &Comparison,
    ) -> Report {
        let mut warnings = self.warnings(facts, &reports);
        let judged = self.costs.is_some() || self.sla.is_some();
        if judged && !comparison.paired() {
            warnings.push(format!(
                "with {} options, more than {}, the options are compared on their means alone: no paired differences",
                facts.len(),
                paired::MAX_PAIRED_OPTIONS
            ));
        }
        let run = crate::report::Run {
            seed: self.seed,
            replications: layout.windows,
            horizon_hours: self.horizon,
            start: self.start,
            warm_up_hours: layout.schedule.warm_up,
            windows_per_history: layout.schedule.windows,
            precision: self.precision,
            rto_hours: self.rto,
            rpo_hours: self.rpo,
            warnings,
        };
        let mut report = Report::new(scenario, run, reports);
        crate::compare::judge(&mut report, judged, comparison);
        report
    }

    /// Runs `work` on this simulation's threads: a pool of `threads` if given, else
    /// rayon's global one (every core).
    fn in_pool<T: Send>(&self, work: impl FnOnce() -> T + Send) -> Result<T, SimError> {
        Ok(match self.threads {
            None => work(),
            Some(threads) => rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| SimError::ThreadPool(e.to_string()))?
                .install(work),
        })
    }

    /// What a report must say that its numbers do not: costs and risks left unpriced,
    /// tiers that never fail.
    fn warnings(&self, options: &[OptionFacts], reports: &[OptionReport]) -> Vec<String> {
        let exposures: Vec<crate::compare::Exposure<'_>> = options
            .iter()
            .map(|facts| crate::compare::Exposure {
                name: &facts.name,
                unprotected: &facts.unprotected,
            })
            .collect();
        let mut warnings = crate::compare::pricing_warnings(self.costs.as_ref(), &exposures, reports);
        for facts in options {
            for (tier, maintained) in &facts.never_fail {
                let warning = if *maintained {
                    format!(
                        "tier \"{tier}\" has no failure modes: it never fails, by assumption; only planned maintenance (and what it stands on) takes it down"
                    )
                } else {
                    format!(
                        "tier \"{tier}\" has no failure modes: it never fails, so its availability is 100 % by assumption"
                    )
                };
                if !warnings.contains(&warning) {
                    warnings.push(warning);
                }
            }
        }
        warnings
    }

    fn economics(&self, service: &Service, plan: &Plan) -> Economics {
        let planned = plan.planned;
        let infrastructure = service.infrastructure_cost();
        let rates = self.costs.clone().unwrap_or_else(|| Costs::new(""));
        Economics {
            infrastructure,
            downtime_per_hour: rates.downtime_per_hour(),
            per_outage: rates.per_outage(),
            data_loss_per_hour: rates.data_loss_per_hour(),
            per_unrecoverable: rates.unrecoverable_loss().unwrap_or(0.0),
            budget: self.sla.map(|sla| sla.budget_hours()),
            rto: self.rto,
            rpo: self.rpo,
            priced: self.costs.is_some(),
            exclude_planned: self.exclude_planned,
            planned,
        }
    }

    /// Whether a precision target is reached by what `tally` holds.
    fn precise_enough(&self, tally: &Tally) -> bool {
        self.precision.is_some_and(|relative| {
            let (unavailability, std_error) = tally.unavailability();
            unavailability > 0.0 && crate::report::Z_975 * std_error <= relative * unavailability
        })
    }

    /// Runs every option, chunk by chunk and side by side: each chunk's histories of
    /// every option still running, so that the comparison pairs them history by history.
    /// With a precision target, the check runs after each wave of chunks, for each
    /// option, so the count reached does not depend on the threads; an option precise
    /// enough stops there, the others go on. Without one, the run is one wave.
    fn run_all(
        &self,
        options: &[Service],
        plans: &[Plan],
        layout: &Layout,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> (Vec<Tally>, Comparison) {
        let chunks = layout.chunks();
        let wave = if self.precision.is_some() { WAVE } else { chunks.max(1) };
        let counter = Counter::new(layout, options.len(), progress);
        let mut running = vec![true; options.len()];
        let mut total = self.empty_part(options, plans, layout);
        for wave_start in (0..chunks).step_by(wave as usize) {
            let wave_end = (wave_start + wave).min(chunks);
            let part = self.run_chunks(options, plans, layout, &running, wave_start..wave_end, &counter);
            total.merge(&part);
            for (running, tally) in running.iter_mut().zip(&total.tallies) {
                *running &= !self.precise_enough(tally);
            }
            if !running.contains(&true) {
                break;
            }
        }
        (total.tallies, total.comparison)
    }

    /// The tally of one option before any history.
    fn empty_tally(&self, service: &Service, plan: &Plan, layout: &Layout) -> Tally {
        Tally::new(
            plan.tiers.len(),
            self.horizon,
            layout.schedule.windows,
            self.economics(service, plan),
        )
    }

    /// The accumulators of a run of `options` before any history.
    fn empty_part(&self, options: &[Service], plans: &[Plan], layout: &Layout) -> Part {
        Part {
            tallies: options
                .iter()
                .zip(plans)
                .map(|(service, plan)| self.empty_tally(service, plan, layout))
                .collect(),
            comparison: Comparison::new(options.len()),
            outcomes: vec![Vec::new(); options.len()],
        }
    }

    /// Runs `chunks` of the options still `running`, in parallel: each worker runs
    /// whole chunks (every running option's histories of the chunk) into accumulators
    /// of its own, closing each chunk's partial sums, and the workers' accumulators
    /// are merged at the end. Every merge is exact, so the result is the same however
    /// rayon spread the chunks.
    fn run_chunks(
        &self,
        options: &[Service],
        plans: &[Plan],
        layout: &Layout,
        running: &[bool],
        chunks: std::ops::Range<u64>,
        counter: &Counter<'_>,
    ) -> Part {
        let schedule = layout.schedule;
        let histories = layout.histories();
        let per_chunk = layout.histories_per_chunk();
        let running_count = running.iter().filter(|r| **r).count() as u64;
        // Outcomes are kept for a comparison, or for the spread of the cost: not for one
        // option without costs.
        let record = plans.len() > 1 || self.costs.is_some();
        // Boxed: a tally is some 16 kB, and rayon's fold and reduce move theirs
        // through every level of its recursion, on worker stacks of 2 MB that may
        // also be running another run's jobs.
        let empty = || Box::new(self.empty_part(options, plans, layout));
        let total = chunks
            .into_par_iter()
            .fold(empty, |mut part, chunk| {
                let first = chunk * per_chunk;
                let last = (first + per_chunk).min(histories);
                let Part {
                    tallies,
                    comparison,
                    outcomes,
                } = &mut *part;
                for (k, plan) in plans.iter().enumerate() {
                    outcomes[k].clear();
                    if !running[k] {
                        continue;
                    }
                    let tally = &mut tallies[k];
                    let mut engine = Engine::new(plan, schedule, self.seed);
                    if record {
                        let economics = tally.economics().clone();
                        for history in first..last {
                            let mut recorder = Recorder::new(&mut *tally, &economics, self.horizon);
                            engine.run(history, &mut recorder);
                            outcomes[k].push(recorder.outcome());
                        }
                    } else {
                        for history in first..last {
                            engine.run(history, &mut *tally);
                        }
                    }
                    tally.close_chunk();
                }
                comparison.add_chunk(outcomes);
                counter.chunk_done(running_count);
                part
            })
            .reduce(empty, |mut a, b| {
                a.merge(&b);
                a
            });
        *total
    }
}

/// What a run, or any set of its chunks, accumulates: each option's tally and the
/// comparison of the options, and room for one chunk's outcomes.
struct Part {
    tallies: Vec<Tally>,
    comparison: Comparison,
    /// Per option, the outcomes of the chunk being run (scratch, not merged).
    outcomes: Vec<Vec<paired::Outcome>>,
}

impl Part {
    fn merge(&mut self, other: &Part) {
        for (mine, theirs) in self.tallies.iter_mut().zip(&other.tallies) {
            mine.merge(theirs);
        }
        self.comparison.merge(&other.comparison);
    }
}

/// Counts the option-chunks done by every worker and reports progress after every
/// [`WAVE`] chunks' worth of them (and at the end), in increasing order.
struct Counter<'a> {
    /// Option-chunks done.
    done: AtomicU64,
    options: usize,
    chunks: u64,
    windows_per_chunk: u64,
    windows: u64,
    /// The largest count reported so far, so that reports never go backwards.
    reported: Mutex<u64>,
    progress: &'a (dyn Fn(Progress) + Sync),
}

impl<'a> Counter<'a> {
    fn new(layout: &Layout, options: usize, progress: &'a (dyn Fn(Progress) + Sync)) -> Counter<'a> {
        Counter {
            done: AtomicU64::new(0),
            options,
            chunks: layout.chunks(),
            windows_per_chunk: layout.histories_per_chunk() * layout.schedule.windows,
            windows: layout.windows,
            reported: Mutex::new(0),
            progress,
        }
    }

    /// A chunk of `options` options is done.
    fn chunk_done(&self, options: u64) {
        let before = self.done.fetch_add(options, Ordering::Relaxed);
        let done = before + options;
        let all = self.chunks * self.options as u64;
        let step = WAVE * self.options as u64;
        if before / step == done / step && done != all {
            return;
        }
        // In windows: whole chunks, the last one short.
        let windows = (done * self.windows_per_chunk).min(self.windows * self.options as u64);
        let mut reported = self.reported.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows > *reported {
            *reported = windows;
            (self.progress)(Progress {
                options: self.options,
                done: windows,
                planned: self.windows * self.options as u64,
            });
        }
    }
}

/// What a report says of an option beyond its tally: its name and tiers, and what
/// its warnings name. Kept in shard files, so that a merge needs no model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct OptionFacts {
    pub(crate) name: String,
    /// Each tier's name and replica count, in series order.
    pub(crate) tiers: Vec<(String, u32)>,
    /// The tiers whose data a failure can destroy with no backup to restore it from.
    pub(crate) unprotected: Vec<String>,
    /// The tiers with no failure mode, and whether each has planned maintenance.
    pub(crate) never_fail: Vec<(String, bool)>,
}

impl OptionFacts {
    fn of(service: &Service) -> OptionFacts {
        let tiers = service.tiers();
        OptionFacts {
            name: service.name().to_owned(),
            tiers: tiers.iter().map(|t| (t.name().to_owned(), t.replicas())).collect(),
            unprotected: tiers
                .iter()
                .filter(|t| t.backup().is_none() && t.failures().iter().any(|m| m.destroys_data()))
                .map(|t| t.name().to_owned())
                .collect(),
            never_fail: tiers
                .iter()
                .filter(|t| t.failures().is_empty())
                .map(|t| (t.name().to_owned(), t.maintenance().is_some()))
                .collect(),
        }
    }
}

/// The totals of one measured window (one replication).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct History {
    /// The replication's index: the same index in a full run gives the same window.
    pub replication: u64,
    /// Service downtime \[h\].
    pub downtime_hours: f64,
    /// Service outages.
    pub outages: u64,
    /// Hours of data lost by restores.
    pub data_lost_hours: f64,
    /// Destructions of data restored from a backup.
    pub restores: u64,
    /// Destructions of data that nothing brought back (losses for good).
    pub unrecoverable: u64,
    /// Each outage's start and end \[h\] from the window's start, in time order (one
    /// running at the window's start or end is cut there).
    pub outage_intervals: Vec<[f64; 2]>,
    /// For each outage, whether it was planned throughout (maintenance, failover
    /// tests with nothing else down).
    pub outage_planned: Vec<bool>,
    /// What makes it notable, if it was picked as such (`median year`, `P90 year`,
    /// `worst of 1,000 years`: see [`Simulation::notable_histories`]).
    pub note: Option<String>,
}

/// Collects the windows of one history, outage by outage.
#[derive(Debug, Default)]
struct Trace {
    windows: Vec<History>,
    outages: Vec<[f64; 2]>,
    planned: Vec<bool>,
}

impl Observer for Trace {
    fn outage(&mut self, start: f64, end: f64, _cut: bool, _class: engine::Class, planned: bool) {
        self.outages.push([start, end]);
        self.planned.push(planned);
    }

    fn window(&mut self, window: &Window) {
        self.windows.push(History {
            replication: 0,
            downtime_hours: window.downtime,
            outages: window.outages,
            data_lost_hours: window.data_lost,
            restores: window.restores,
            unrecoverable: window.unrecoverable,
            outage_intervals: std::mem::take(&mut self.outages),
            outage_planned: std::mem::take(&mut self.planned),
            note: None,
        });
    }
}

impl Simulation {
    /// Three telling windows among the first `count` replications of `service`: the
    /// median, the P90 and the worst by downtime, in that order, each with its
    /// [`History::note`]. A few consecutive years rarely show the rare disaster a
    /// report is about; the worst of many does.
    ///
    /// # Errors
    /// As [`Simulation::histories`].
    ///
    /// ```
    /// use nines::{Distribution, FailureMode, Service, Simulation, Tier};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let crash = FailureMode::new("crash", Distribution::exponential(1000.0)?, Distribution::exponential(10.0)?);
    /// let service = Service::new("one", vec![Tier::builder("db").with_failure(crash).build()?])?;
    /// let simulation = Simulation::new().with_seed(3);
    /// let notable = simulation.notable_histories(&service, 500)?;
    /// let all = simulation.histories(&service, 0..500)?;
    /// let worst = all.iter().map(|h| h.downtime_hours).fold(0.0, f64::max);
    /// assert_eq!(notable[2].downtime_hours, worst);
    /// assert_eq!(notable[2].note.as_deref(), Some("worst of 500 years"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn notable_histories(&self, service: &Service, count: u64) -> Result<Vec<History>, SimError> {
        let all = self.histories(service, 0..count)?;
        if all.is_empty() {
            return Ok(all);
        }
        let mut order: Vec<usize> = (0..all.len()).collect();
        order.sort_by(|&a, &b| all[a].downtime_hours.total_cmp(&all[b].downtime_hours).then(a.cmp(&b)));
        let last = all.len() - 1;
        let unit = if (self.horizon - crate::HOURS_PER_YEAR).abs() < 1e-9 {
            "years"
        } else {
            "histories"
        };
        let picks = [
            (last / 2, "median year".to_owned()),
            ((last as f64 * 0.9).round() as usize, "P90 year".to_owned()),
            (
                last,
                format!("worst of {} {unit}", crate::report::format_money(all.len() as f64, "")),
            ),
        ];
        Ok(picks
            .into_iter()
            .map(|(rank, note)| {
                let mut history = all[order[rank]].clone();
                history.note = Some(note);
                history
            })
            .collect())
    }

    /// The most histories [`Simulation::histories`] returns at once.
    pub const MAX_HISTORIES: u64 = 100_000;

    /// The individual windows behind a report: replications `range` of `service`,
    /// exactly as [`Simulation::run`] simulates them, on the calling thread. For
    /// looking at a few years in detail, or checking an aggregate by hand. To see the
    /// windows of a run of several options, give the simulation the run's warm-up
    /// ([`Report::warm_up_hours`]).
    ///
    /// # Errors
    /// As [`Simulation::run`], and [`SimError::TooManyHistories`] for a range longer
    /// than [`Self::MAX_HISTORIES`].
    pub fn histories(&self, service: &Service, range: std::ops::Range<u64>) -> Result<Vec<History>, SimError> {
        self.validate()?;
        let count = range.end.saturating_sub(range.start);
        if count > Self::MAX_HISTORIES {
            return Err(SimError::TooManyHistories(count));
        }
        let plan = Plan::new(service);
        let layout = self.layout(std::slice::from_ref(&plan));
        let per_history = layout.schedule.windows;
        let mut engine = Engine::new(&plan, layout.schedule, self.seed);
        let mut out = Vec::with_capacity(count as usize);
        let mut replication = range.start;
        while replication < range.end {
            let history = replication / per_history;
            let mut trace = Trace::default();
            engine.run(history, &mut trace);
            for (window, mut totals) in trace.windows.into_iter().enumerate() {
                let index = history * per_history + window as u64;
                if range.contains(&index) {
                    totals.replication = index;
                    out.push(totals);
                }
            }
            replication = (history + 1) * per_history;
        }
        Ok(out)
    }
}

/// Why a simulation cannot run.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimError {
    /// The horizon is out of bounds.
    #[error(
        "the horizon is {0} h: it must be between 1 h and 1000 years (8760000 h); use e.g. 8760 (one year, the default)"
    )]
    Horizon(f64),
    /// Zero replications.
    #[error("0 replications: simulate at least 1 (10000 or more for stable tails)")]
    NoReplications,
    /// More replications than a run may ask for.
    #[error("{0} replications is more than the 10000000000 a run may ask for: use fewer, or shard the run")]
    TooManyReplications(u64),
    /// Zero threads.
    #[error("0 threads: use at least 1, or leave the thread count out to use every core")]
    NoThreads,
    /// More threads than a run may ask for.
    #[error("{0} threads is more than the 1024 a run may use: leave the thread count out to use every core")]
    TooManyThreads(usize),
    /// A warm-up out of bounds.
    #[error(
        "the warm-up is {0} h: it must be between 0 and 1000 years (8760000 h); leave it out to have it chosen from the model"
    )]
    WarmUp(f64),
    /// A precision target that is not a positive fraction.
    #[error("precision {0} is not a positive relative half-width: use e.g. 0.05 for ±5 % of the unavailability")]
    Precision(f64),
    /// A recovery time or point objective out of bounds.
    #[error("the {key} is {hours} h: it must be a duration from 0 to 1000 years, e.g. \"4h\"")]
    Objective {
        /// `rto` or `rpo`.
        key: &'static str,
        /// The value given.
        hours: f64,
    },
    /// Too many histories asked of [`Simulation::histories`].
    #[error("{0} histories asked for at once: at most 100000; ask for a shorter range")]
    TooManyHistories(u64),
    /// Invalid costs or SLA.
    #[error(transparent)]
    Costs(CostError),
    /// The thread pool could not be started.
    #[error("could not start the thread pool: {0}")]
    ThreadPool(String),
    /// A shard of a run with a precision target.
    #[error(
        "a shard cannot stop at a precision target: whether the target is reached depends on every shard, so it needs the whole run; give a replication count instead (-n, or `replications` without `precision` in [simulation])"
    )]
    PrecisionInShard,
    /// A shard index out of bounds.
    #[error(
        "shard {index} of {of}: the shard count must be from 1 to 1000000, and the index from 0 to one less than the count"
    )]
    ShardIndex {
        /// The index given.
        index: u64,
        /// The shard count given.
        of: u64,
    },
}
