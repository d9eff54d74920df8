//! Shards: one run split into disjoint ranges of chunks, each run anywhere (a Slurm
//! job array, a Kubernetes indexed Job, any batch engine), and merged into the report
//! a single process would have printed, bit for bit.
//!
//! A run of R replications has ⌈R / [`CHUNK`]⌉ chunks (fewer windows when histories
//! measure several; see [`Simulation`]). Shard `i` of `n` runs chunks
//! `⌊i·C/n⌋ .. ⌊(i+1)·C/n⌋`: a fixed, contiguous share (empty when there are more
//! shards than chunks; it still has to be merged). Its file holds the accumulators of
//! every option (which merge exactly, see [`crate::stats`]) with what a merge checks:
//! the model's fingerprint, the seed, the settings, the range and the version of
//! nines. A merge refuses shards of another model, seed, settings or version, and
//! shards that do not tile the run: a missing, duplicated or overlapping shard is
//! named.
//!
//! The file is JSON (`"format": "nines shard 2"`); sums are written exactly, as
//! hexadecimal fractions (`0x1dp-3` is 29/8), so that nothing rounds on the way.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::paired::Comparison;
use super::tally::Tally;
use super::{CHUNK, Layout, OptionFacts, SimError, Simulation, Start};
use crate::compare::Paired as _;
use crate::cost::{Costs, Sla};
use crate::model::Service;
use crate::report::{Report, Sweep};
use crate::scenario::{Format, Scenario, ScenarioError};

/// What a shard file says it is, first thing in the file.
const FORMAT: &str = "nines shard 2";

/// The most shards a run may be split into.
pub const MAX_SHARDS: u64 = 1_000_000;

/// One shard of a run: the accumulators of a fixed range of its chunks, for every
/// option, and what a merge checks. Written and read as JSON
/// ([`Shard::to_json`], [`Shard::load`]); merged with [`Shard::merge`].
///
/// ```
/// use nines::{Distribution, FailureMode, Service, Shard, Simulation, Tier};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let crash = FailureMode::new(
///     "host crash",
///     Distribution::exponential(1000.0)?,
///     Distribution::exponential(10.0)?,
/// );
/// let database = Tier::builder("database").with_failure(crash).build()?;
/// let service = Service::new("database", vec![database])?;
/// let simulation = Simulation::new().with_replications(5000).with_seed(7);
/// // Three shards, each of which could run on another machine...
/// let shards = (0..3)
///     .map(|i| simulation.run_shard("database", std::slice::from_ref(&service), i, 3))
///     .collect::<Result<Vec<Shard>, _>>()?;
/// // ...written to files and read back...
/// let shards = shards
///     .iter()
///     .map(|s| Shard::from_json(&s.to_json(), "shard.json"))
///     .collect::<Result<Vec<Shard>, _>>()?;
/// // ...merge into the report of one run, bit for bit.
/// let merged = Shard::merge(&shards)?;
/// assert_eq!(merged, simulation.run(&service)?);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Shard {
    data: ShardData,
    /// Where it was read from, for errors.
    origin: Option<String>,
}

/// What a shard file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShardData {
    format: String,
    /// The version of nines that ran it: shards merge only with the same version.
    version: String,
    /// A hash of the model (the scenario's name, every option, a sweep): shards merge
    /// only with shards of the same model.
    fingerprint: String,
    scenario: String,
    seed: u64,
    /// This is shard `index` of `of`.
    index: u64,
    of: u64,
    /// The chunks it ran, `[first, end)`, of `chunks` in the run.
    chunk_range: [u64; 2],
    chunks: u64,
    /// The replications (measured windows) it ran, `[first, end)`.
    replication_range: [u64; 2],
    settings: Settings,
    options: Vec<OptionShard>,
    /// The options side by side: their costs' and their differences' accumulators.
    comparison: Comparison,
    sweep: Option<Sweep>,
    notes: Vec<String>,
    /// The scenario file it was run from, if it was: for what a merge draws and
    /// describes beyond the report.
    source: Option<ScenarioSource>,
}

/// The settings of a run that its report depends on, beyond the seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// The replications asked for.
    replications_asked: u64,
    /// The replications of the whole run (whole histories).
    replications: u64,
    horizon_hours: f64,
    start: Start,
    warm_up_hours: f64,
    windows_per_history: u64,
    rto_hours: Option<f64>,
    rpo_hours: Option<f64>,
    costs: Option<CostSettings>,
    sla: Option<SlaSettings>,
    exclude_planned: bool,
}

/// [`Costs`], as a shard file holds them (validated when read back).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CostSettings {
    currency: String,
    downtime_per_hour: f64,
    per_outage: f64,
    data_loss_per_hour: f64,
    unrecoverable_loss: Option<f64>,
}

/// [`Sla`], as a shard file holds it (validated when read back).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum SlaSettings {
    Availability(f64),
    DowntimePerYear(f64),
}

/// One option's part of a shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionShard {
    facts: OptionFacts,
    tally: Tally,
}

/// The scenario file a shard was run from: its text, and the sweep applied to it, so
/// that a merge can rebuild the scenario (for the charts that simulate a few years
/// again, and the model's description in `report.html`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSource {
    /// Where the text came from (a file name), for errors.
    pub origin: String,
    /// Whether the text is JSON (else TOML).
    pub json: bool,
    /// The scenario file's text.
    pub text: String,
    /// The swept setting (`KEY=V1,V2,...`, see [`Scenario::sweep`]), if any.
    pub sweep: Option<String>,
    /// The option the sweep starts from ([`Scenario::sweep_option`]), if any.
    pub sweep_option: Option<String>,
}

impl ScenarioSource {
    /// The source of a scenario file's `text`, read from `origin`, as is.
    pub fn new(origin: impl Into<String>, format: Format, text: impl Into<String>) -> Self {
        ScenarioSource {
            origin: origin.into(),
            json: format == Format::Json,
            text: text.into(),
            sweep: None,
            sweep_option: None,
        }
    }

    /// The same with a sweep of `setting`, starting from `option` if given.
    pub fn with_sweep(mut self, setting: impl Into<String>, option: Option<String>) -> Self {
        self.sweep = Some(setting.into());
        self.sweep_option = option;
        self
    }

    /// The scenario: the text parsed, and swept if it was.
    ///
    /// # Errors
    /// [`ScenarioError`] as [`Scenario::parse`] and [`Scenario::sweep`].
    pub fn scenario(&self) -> Result<Scenario, ScenarioError> {
        let format = if self.json { Format::Json } else { Format::Toml };
        let scenario = Scenario::parse(&self.text, format, &self.origin)?;
        match (&self.sweep, &self.sweep_option) {
            (None, _) => Ok(scenario),
            (Some(setting), None) => scenario.sweep(setting),
            (Some(setting), Some(option)) => scenario.sweep_option(option, setting),
        }
    }
}

/// The model's fingerprint: FNV-1a (128 bits) of the scenario's name, every option
/// as the simulator holds it, the sweep and the notes. Stable for one version of
/// nines (which is checked apart).
fn fingerprint(scenario: &str, options: &[Service], sweep: Option<&Sweep>, notes: &[String]) -> String {
    let text = format!("{scenario:?}\n{options:?}\n{sweep:?}\n{notes:?}");
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for &byte in text.as_bytes() {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    format!("{hash:032x}")
}

impl Simulation {
    /// Runs shard `index` of `of` of the run [`Simulation::run_options`] would make:
    /// its share of the chunks of replications (see [`Shard`]). Merging the `of`
    /// shards gives that run's report, bit for bit, whatever ran each shard.
    ///
    /// # Errors
    /// As [`Simulation::run`]; [`SimError::PrecisionInShard`] with a precision
    /// target (it needs the whole run); [`SimError::ShardIndex`] unless
    /// `index < of ≤` [`MAX_SHARDS`].
    pub fn run_shard(&self, scenario: &str, options: &[Service], index: u64, of: u64) -> Result<Shard, SimError> {
        self.shard_of(scenario, options, index, of, None, &[])
    }

    fn shard_of(
        &self,
        scenario: &str,
        options: &[Service],
        index: u64,
        of: u64,
        sweep: Option<&Sweep>,
        notes: &[String],
    ) -> Result<Shard, SimError> {
        self.validate()?;
        if self.precision.is_some() {
            return Err(SimError::PrecisionInShard);
        }
        if !((1..=MAX_SHARDS).contains(&of) && index < of) {
            return Err(SimError::ShardIndex { index, of });
        }
        let plans: Vec<super::Plan> = options.iter().map(super::Plan::new).collect();
        let layout = self.layout(&plans);
        let chunks = layout.chunks();
        let range = chunk_range(index, of, chunks);
        let replication_range = replications_of(range, layout.windows);
        let running = vec![true; options.len()];
        let counter = super::Counter::new(&layout, options.len(), &|_| {});
        let part =
            self.in_pool(|| self.run_chunks(options, &plans, &layout, &running, range[0]..range[1], &counter))?;
        let options_run = options
            .iter()
            .zip(part.tallies)
            .map(|(service, tally)| OptionShard {
                facts: OptionFacts::of(service),
                tally,
            })
            .collect();
        let data = ShardData {
            format: FORMAT.to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            fingerprint: fingerprint(scenario, options, sweep, notes),
            scenario: scenario.to_owned(),
            seed: self.seed,
            index,
            of,
            chunk_range: range,
            chunks,
            replication_range,
            settings: self.settings(&layout),
            options: options_run,
            comparison: part.comparison,
            sweep: sweep.cloned(),
            notes: notes.to_vec(),
            source: None,
        };
        Ok(Shard { data, origin: None })
    }

    fn settings(&self, layout: &Layout) -> Settings {
        Settings {
            replications_asked: self.replications,
            replications: layout.windows,
            horizon_hours: self.horizon,
            start: self.start,
            warm_up_hours: layout.schedule.warm_up,
            windows_per_history: layout.schedule.windows,
            rto_hours: self.rto,
            rpo_hours: self.rpo,
            costs: self.costs.as_ref().map(|c| CostSettings {
                currency: c.currency().to_owned(),
                downtime_per_hour: c.downtime_per_hour(),
                per_outage: c.per_outage(),
                data_loss_per_hour: c.data_loss_per_hour(),
                unrecoverable_loss: c.unrecoverable_loss(),
            }),
            sla: self.sla.map(|sla| match sla {
                Sla::Availability(a) => SlaSettings::Availability(a),
                Sla::DowntimePerYear(h) => SlaSettings::DowntimePerYear(h),
            }),
            exclude_planned: self.exclude_planned,
        }
    }
}

/// The replications of chunks `range` of a run of `replications`: a chunk holds
/// [`CHUNK`] windows (whole histories, since windows per history divide it).
fn replications_of(range: [u64; 2], replications: u64) -> [u64; 2] {
    range.map(|chunk| chunk.saturating_mul(CHUNK).min(replications))
}

/// Chunks `⌊i·C/n⌋ .. ⌊(i+1)·C/n⌋` of `C`.
fn chunk_range(index: u64, of: u64, chunks: u64) -> [u64; 2] {
    let at = |i: u64| (u128::from(i) * u128::from(chunks) / u128::from(of)) as u64;
    [at(index), at(index + 1)]
}

impl Scenario {
    /// Runs shard `index` of `of` of this scenario with `simulation` (see
    /// [`Simulation::run_shard`]); the merge gives what [`Scenario::run_with`] does,
    /// sweep and notes included.
    ///
    /// # Errors
    /// As [`Simulation::run_shard`].
    pub fn run_shard(&self, simulation: &Simulation, index: u64, of: u64) -> Result<Shard, SimError> {
        simulation.shard_of(self.name(), self.options(), index, of, self.swept(), self.notes())
    }
}

impl Shard {
    /// Records the scenario file the shard was run from (see [`ScenarioSource`]).
    pub fn with_source(mut self, source: ScenarioSource) -> Self {
        self.data.source = Some(source);
        self
    }

    /// The scenario file the shard was run from, if it was recorded.
    pub fn source(&self) -> Option<&ScenarioSource> {
        self.data.source.as_ref()
    }

    /// Shard `index()` of `of()`.
    pub fn index(&self) -> u64 {
        self.data.index
    }

    /// How many shards the run was split into.
    pub fn of(&self) -> u64 {
        self.data.of
    }

    /// The replications (measured windows) this shard ran, `start..end`.
    pub fn replications(&self) -> std::ops::Range<u64> {
        self.data.replication_range[0]..self.data.replication_range[1]
    }

    /// Whether its options are a sweep of one setting.
    pub fn is_sweep(&self) -> bool {
        self.data.sweep.is_some()
    }

    /// The shard as JSON, the format of shard files.
    pub fn to_json(&self) -> String {
        // Nothing in a shard fails to serialise: its numbers are finite or written
        // as text.
        serde_json::to_string(&self.data).unwrap_or_default() + "\n"
    }

    /// The largest shard file [`Shard::load`] reads: 256 MB (a shard of a run of a
    /// dozen options weighs well under a megabyte).
    pub const MAX_FILE_BYTES: u64 = 256 << 20;

    /// Reads a shard file.
    ///
    /// # Errors
    /// [`ShardError`] naming the file: it cannot be read, is not a shard file, is cut
    /// short or damaged.
    pub fn load(path: impl AsRef<Path>) -> Result<Shard, ShardError> {
        use std::io::Read as _;
        let path = path.as_ref();
        let origin = path.display().to_string();
        let read = |source| ShardError::Read {
            origin: origin.clone(),
            source,
        };
        // A file given by mistake (a disk image, a log) is refused without being
        // loaded: by its size, and (for what has no size, a pipe) by reading at most
        // one byte past the bound.
        let too_large = || ShardError::Corrupt {
            origin: origin.clone(),
            reason: format!(
                "it is larger than {} MB, which no shard file is",
                Shard::MAX_FILE_BYTES >> 20
            ),
        };
        let file = std::fs::File::open(path).map_err(read)?;
        if file.metadata().map_err(read)?.len() > Shard::MAX_FILE_BYTES {
            return Err(too_large());
        }
        let mut text = String::new();
        file.take(Shard::MAX_FILE_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(read)?;
        if text.len() as u64 > Shard::MAX_FILE_BYTES {
            return Err(too_large());
        }
        Shard::from_json(&text, &origin)
    }

    /// Reads a shard from its JSON; `origin` names it in errors.
    ///
    /// # Errors
    /// As [`Shard::load`].
    pub fn from_json(text: &str, origin: &str) -> Result<Shard, ShardError> {
        let corrupt = |reason: String| ShardError::Corrupt {
            origin: origin.to_owned(),
            reason,
        };
        // The format first, so that another kind of file gets a plain answer.
        let format = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.get("format").and_then(|f| f.as_str()).map(str::to_owned));
        if let Some(format) = &format
            && format != FORMAT
        {
            return Err(corrupt(format!("it is a \"{format}\" file, not a \"{FORMAT}\" one")));
        }
        let data: ShardData = serde_json::from_str(text).map_err(|e| {
            if e.is_eof() {
                ShardError::Truncated {
                    origin: origin.to_owned(),
                }
            } else {
                corrupt(e.to_string())
            }
        })?;
        let shard = Shard {
            data,
            origin: Some(origin.to_owned()),
        };
        shard.check().map_err(corrupt)?;
        Ok(shard)
    }

    /// Whether what was read back is a shard a run could have written.
    fn check(&self) -> Result<(), String> {
        if !((1..=MAX_SHARDS).contains(&self.data.of) && self.data.index < self.data.of) {
            return Err(format!("it says it is shard {} of {}", self.data.index, self.data.of));
        }
        if self.data.chunk_range != chunk_range(self.data.index, self.data.of, self.data.chunks) {
            return Err(format!(
                "its chunks {:?} are not those of shard {} of {}",
                self.data.chunk_range, self.data.index, self.data.of
            ));
        }
        let replications = self.data.settings.replications;
        if self.data.chunks != replications.div_ceil(CHUNK)
            || self.data.replication_range != replications_of(self.data.chunk_range, replications)
        {
            return Err(format!(
                "its replications {:?} are not those of its chunks {:?}",
                self.data.replication_range, self.data.chunk_range
            ));
        }
        if !(self.data.settings.windows_per_history.is_power_of_two()
            && self.data.settings.windows_per_history <= CHUNK)
        {
            return Err("its windows per history are not a run's".to_owned());
        }
        self.simulation().validate().map_err(|e| e.to_string())?;
        for option in &self.data.options {
            option
                .tally
                .check()
                .map_err(|e| format!("option \"{}\": {e}", option.facts.name))?;
            // The plan's tiers: the service's, then the shared components it simulates.
            if option.tally.tier_count() < option.facts.tiers.len() {
                return Err(format!(
                    "option \"{}\" has {} tiers and totals for only {}",
                    option.facts.name,
                    option.facts.tiers.len(),
                    option.tally.tier_count()
                ));
            }
            if option.tally.windows() != self.data.replication_range[1] - self.data.replication_range[0] {
                return Err(format!(
                    "option \"{}\" holds {} replications, not the {} of its range",
                    option.facts.name,
                    option.tally.windows(),
                    self.data.replication_range[1] - self.data.replication_range[0]
                ));
            }
        }
        if self.data.options.is_empty() {
            return Err("it holds no option".to_owned());
        }
        let histories =
            (self.data.replication_range[1] - self.data.replication_range[0]) / self.data.settings.windows_per_history;
        self.data.comparison.check(self.data.options.len(), histories)?;
        Ok(())
    }

    /// The name of the shard in errors: its file, or `shard i of n`.
    fn name(&self) -> String {
        match &self.origin {
            Some(origin) => origin.clone(),
            None => format!("shard {} of {}", self.data.index, self.data.of),
        }
    }

    /// The simulation settings the run had (on rayon's global pool), e.g. to simulate
    /// a few of its histories again ([`Simulation::histories`]).
    pub fn simulation(&self) -> Simulation {
        let s = &self.data.settings;
        let mut simulation = Simulation::new()
            .with_replications(s.replications_asked)
            .with_seed(self.data.seed)
            .with_horizon(s.horizon_hours)
            .with_start(s.start)
            .with_warm_up(s.warm_up_hours)
            .with_exclude_planned(s.exclude_planned);
        simulation.rto = s.rto_hours;
        simulation.rpo = s.rpo_hours;
        if let Some(c) = &s.costs {
            let mut costs = Costs::new(c.currency.clone())
                .with_downtime_per_hour(c.downtime_per_hour)
                .with_per_outage(c.per_outage)
                .with_data_loss_per_hour(c.data_loss_per_hour);
            if let Some(loss) = c.unrecoverable_loss {
                costs = costs.with_unrecoverable_loss(loss);
            }
            simulation = simulation.with_costs(costs);
        }
        if let Some(sla) = s.sla {
            simulation = simulation.with_sla(match sla {
                SlaSettings::Availability(a) => Sla::Availability(a),
                SlaSettings::DowntimePerYear(h) => Sla::DowntimePerYear(h),
            });
        }
        simulation
    }

    /// Merges the shards of one run into its report: the report a single process
    /// would have made, bit for bit. The shards may come in any order.
    ///
    /// # Errors
    /// [`MergeError`], naming the shard at fault (its file, for shards that were
    /// loaded): no shards; a shard of another version of nines, model, seed or
    /// settings; shards that do not tile the run (missing, duplicated or
    /// overlapping).
    pub fn merge(shards: &[Shard]) -> Result<Report, MergeError> {
        let Some(first) = shards.first() else {
            return Err(MergeError::NoShards);
        };
        let version = env!("CARGO_PKG_VERSION");
        for shard in shards {
            if shard.data.version != version {
                return Err(MergeError::Version {
                    shard: shard.name(),
                    found: shard.data.version.clone(),
                    expected: version.to_owned(),
                });
            }
        }
        for shard in &shards[1..] {
            if shard.data.fingerprint != first.data.fingerprint || shard.data.options.len() != first.data.options.len()
            {
                return Err(MergeError::OtherModel {
                    shard: shard.name(),
                    scenario: shard.data.scenario.clone(),
                    first: first.name(),
                    first_scenario: first.data.scenario.clone(),
                });
            }
            if shard.data.seed != first.data.seed {
                return Err(MergeError::OtherSeed {
                    shard: shard.name(),
                    seed: shard.data.seed,
                    first: first.name(),
                    first_seed: first.data.seed,
                });
            }
            if shard.data.settings != first.data.settings || shard.data.chunks != first.data.chunks {
                return Err(MergeError::OtherSettings {
                    shard: shard.name(),
                    first: first.name(),
                    differences: differences(&first.data.settings, &shard.data.settings),
                });
            }
        }
        tile(shards)?;
        let mut totals: Vec<Tally> = first.data.options.iter().map(|o| o.tally.clone()).collect();
        for shard in &shards[1..] {
            for (total, option) in totals.iter_mut().zip(&shard.data.options) {
                if !total.same_shape(&option.tally) {
                    return Err(MergeError::OtherSettings {
                        shard: shard.name(),
                        first: first.name(),
                        differences: format!("the accumulators of option \"{}\" differ", option.facts.name),
                    });
                }
                total.merge(&option.tally);
            }
        }
        let mut comparison = first.data.comparison.clone();
        for shard in &shards[1..] {
            comparison.merge(&shard.data.comparison);
        }
        let simulation = first.simulation();
        let layout = Layout {
            schedule: super::engine::Schedule {
                as_new: first.data.settings.start == Start::New,
                warm_up: first.data.settings.warm_up_hours,
                horizon: first.data.settings.horizon_hours,
                windows: first.data.settings.windows_per_history,
            },
            windows: first.data.settings.replications,
        };
        let facts: Vec<OptionFacts> = first.data.options.iter().map(|o| o.facts.clone()).collect();
        let reports = totals
            .iter()
            .zip(&facts)
            .enumerate()
            .map(|(k, (tally, facts))| tally.report(facts, simulation.costs.as_ref(), Some(comparison.costs(k))))
            .collect();
        let mut report = simulation.report(&first.data.scenario, &layout, &facts, reports, &comparison);
        report.sweep = first.data.sweep.clone();
        report.warnings.extend(first.data.notes.iter().cloned());
        Ok(report)
    }

    /// The scenario the shard was run from, rebuilt from its recorded source; `None`
    /// if it has none.
    ///
    /// # Errors
    /// [`MergeError::Source`] if the source no longer parses, or describes another
    /// model than the one the shard ran.
    pub fn scenario(&self) -> Result<Option<Scenario>, MergeError> {
        let Some(source) = &self.data.source else {
            return Ok(None);
        };
        let fail = |reason: String| MergeError::Source {
            shard: self.name(),
            reason,
        };
        let scenario = source.scenario().map_err(|e| fail(e.to_string()))?;
        let again = fingerprint(scenario.name(), scenario.options(), scenario.swept(), scenario.notes());
        if again != self.data.fingerprint {
            return Err(fail(
                "its recorded scenario file describes another model than the one it ran".to_owned(),
            ));
        }
        Ok(Some(scenario))
    }
}

/// The settings that differ between two shards, for people.
fn differences(first: &Settings, other: &Settings) -> String {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(first), serde_json::to_value(other))
    else {
        return "their settings".to_owned();
    };
    let differ: Vec<String> = a
        .iter()
        .filter(|(key, value)| b.get(*key) != Some(value))
        .map(|(key, value)| {
            format!(
                "{key} {} against {}",
                b.get(key).unwrap_or(&serde_json::Value::Null),
                value
            )
        })
        .collect();
    if differ.is_empty() {
        "their chunk counts".to_owned()
    } else {
        differ.join(", ")
    }
}

/// Checks that the shards tile the run: each chunk in exactly one shard, and, for
/// shards of one split, every index once.
fn tile(shards: &[Shard]) -> Result<(), MergeError> {
    let mut order: Vec<&Shard> = shards.iter().collect();
    order.sort_by_key(|s| (s.data.chunk_range, s.data.of, s.data.index));
    for pair in order.windows(2) {
        if pair[0].data.index == pair[1].data.index && pair[0].data.of == pair[1].data.of {
            return Err(MergeError::Duplicate {
                first: pair[0].name(),
                second: pair[1].name(),
                index: pair[0].data.index,
                of: pair[0].data.of,
            });
        }
    }
    let of = shards[0].data.of;
    let total = shards[0].data.chunks;
    if shards.iter().all(|s| s.data.of == of) {
        let mut seen = vec![false; of as usize];
        for shard in shards {
            seen[shard.data.index as usize] = true;
        }
        let missing: Vec<u64> = (0..of).filter(|&i| !seen[i as usize]).collect();
        if !missing.is_empty() {
            return Err(MergeError::Missing { missing, of });
        }
        return Ok(());
    }
    // Shards of different splits: their ranges must still tile the run.
    let mut covered = 0;
    let mut last: Option<&Shard> = None;
    for shard in order {
        let [start, end] = shard.data.chunk_range;
        if start < covered {
            return Err(MergeError::Overlap {
                first: last.map_or_else(String::new, Shard::name),
                second: shard.name(),
            });
        }
        if start > covered {
            return Err(MergeError::Gap {
                replications: replications_of([covered, start], shards[0].data.settings.replications),
            });
        }
        if end > start {
            covered = end;
            last = Some(shard);
        }
    }
    if covered < total {
        return Err(MergeError::Gap {
            replications: replications_of([covered, total], shards[0].data.settings.replications),
        });
    }
    Ok(())
}

/// Why a shard file cannot be read.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    /// The file cannot be read.
    #[error("cannot read the shard file {origin}: {source}")]
    Read {
        /// The file.
        origin: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file ends early.
    #[error(
        "{origin} is cut short (the job that wrote it may have been killed, or a copy was incomplete): run that shard again"
    )]
    Truncated {
        /// The file.
        origin: String,
    },
    /// The file is not a shard file, or is damaged.
    #[error("{origin} is not a nines shard file, or is damaged ({reason}): run that shard again")]
    Corrupt {
        /// The file.
        origin: String,
        /// What is wrong.
        reason: String,
    },
}

/// Why shards cannot be merged. Each names the shard at fault (its file, for shards
/// read with [`Shard::load`]) and what to do.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no shards to merge: give every shard file of the run")]
    NoShards,
    /// A shard of another version of nines.
    #[error(
        "{shard} was written by nines {found}, and this is nines {expected}: results depend on the version, so merge with nines {found}, or run every shard again with nines {expected}"
    )]
    Version {
        /// The shard.
        shard: String,
        /// Its version.
        found: String,
        /// This version.
        expected: String,
    },
    /// A shard of another model.
    #[error(
        "{shard} is a shard of another model (\"{scenario}\") than {first} (\"{first_scenario}\"): merge only the shards of one run"
    )]
    OtherModel {
        /// The shard.
        shard: String,
        /// Its scenario's name.
        scenario: String,
        /// The first shard given.
        first: String,
        /// The first shard's scenario's name.
        first_scenario: String,
    },
    /// A shard run with another seed.
    #[error(
        "{shard} was run with seed {seed}, {first} with seed {first_seed}: merge only the shards of one run (same --seed)"
    )]
    OtherSeed {
        /// The shard.
        shard: String,
        /// Its seed.
        seed: u64,
        /// The first shard given.
        first: String,
        /// The first shard's seed.
        first_seed: u64,
    },
    /// A shard run with other settings.
    #[error(
        "{shard} was run with other settings than {first} ({differences}): merge only the shards of one run (same file, -n and settings)"
    )]
    OtherSettings {
        /// The shard.
        shard: String,
        /// The first shard given.
        first: String,
        /// What differs.
        differences: String,
    },
    /// The same shard twice.
    #[error("{first} and {second} are both shard {index} of {of}: give each shard once")]
    Duplicate {
        /// One file.
        first: String,
        /// The other.
        second: String,
        /// The shard's index.
        index: u64,
        /// Shards in the split.
        of: u64,
    },
    /// Shards missing from a split.
    #[error("{} missing: run {} and merge all {of}", missing_list(.missing, *.of), if .missing.len() == 1 { "it" } else { "them" })]
    Missing {
        /// The indices missing.
        missing: Vec<u64>,
        /// Shards in the split.
        of: u64,
    },
    /// Shards of different splits that overlap.
    #[error(
        "{first} and {second} overlap (shards of different splits of the run): merge the shards of one split (one --of)"
    )]
    Overlap {
        /// One file.
        first: String,
        /// The other.
        second: String,
    },
    /// Replications no shard ran.
    #[error(
        "no shard holds replications {} to {}: give the shard that ran them, or merge the shards of one split (one --of)",
        .replications[0], .replications[1]
    )]
    Gap {
        /// The replications missing, `[start, end)`.
        replications: [u64; 2],
    },
    /// A shard's recorded scenario file cannot be used.
    #[error("{shard}: {reason}")]
    Source {
        /// The shard.
        shard: String,
        /// Why.
        reason: String,
    },
}

/// `shard 3 of 8 is` or `shards 3, 5 of 8 are`, with at most ten indices.
fn missing_list(missing: &[u64], of: u64) -> String {
    let shown: Vec<String> = missing.iter().take(10).map(u64::to_string).collect();
    let more = if missing.len() > 10 {
        format!(" and {} more", missing.len() - 10)
    } else {
        String::new()
    };
    if missing.len() == 1 {
        format!("shard {} of {of} is", shown[0])
    } else {
        format!("shards {}{more} of {of} are", shown.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shards_of_a_split_tile_the_chunks() {
        for chunks in [0, 1, 2, 7, 69, 1000] {
            for of in [1, 2, 3, 7, 64, 1000] {
                let mut next = 0;
                for index in 0..of {
                    let [start, end] = chunk_range(index, of, chunks);
                    assert_eq!(start, next, "{chunks} chunks, shard {index} of {of}");
                    assert!(end >= start && end - start <= chunks.div_ceil(of));
                    next = end;
                }
                assert_eq!(next, chunks);
            }
        }
        // No overflow on the way.
        assert_eq!(chunk_range(3, 4, u64::MAX), [13_835_058_055_282_163_711, u64::MAX]);
    }
}
