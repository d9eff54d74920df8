//! Scenario files: the TOML (or JSON) a person writes, and its validation into a model.
//!
//! The serde types here mirror the file format and are only data; [`Scenario`] is
//! built from them once, through the same validation as the Rust API, so a loaded
//! scenario is always valid. Every error names the file, the key path
//! (`tier[0].failure[1].every`) and what to do.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cost::{Costs, Sla};
use crate::dist::{Distribution, Hours};
use crate::model::{
    Backup, CrossSite, Dependency, Failover, FailureMode, Maintenance, ModelError, Replication, Rollout, Scope,
    Service, Site, StandbyFailures, Tier,
};
use crate::report::Report;
use crate::sim::{SimError, Simulation, Start};

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a scenario: a table with `name` and one or more [[tier]] tables"
)]
struct ScenarioFile {
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    simulation: SimulationFile,
    #[serde(default)]
    costs: Option<CostsFile>,
    #[serde(default)]
    sla: Option<SlaFile>,
    /// The name of the option the top-level tiers make, when there are `[[option]]`s.
    #[serde(default)]
    baseline: Option<String>,
    #[serde(default)]
    site: Vec<SiteFile>,
    #[serde(default)]
    dependency: Vec<DependencyFile>,
    #[serde(default)]
    tier: Vec<TierFile>,
    #[serde(default)]
    option: Vec<OptionFile>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a [[site]] table with a `name` and its [[site.failure]] modes"
)]
struct SiteFile {
    name: String,
    #[serde(default)]
    fixed_cost: Option<f64>,
    #[serde(default)]
    failure: Vec<SiteFailureFile>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a [[dependency]] table with a `name` and its [[dependency.failure]] modes"
)]
struct DependencyFile {
    name: String,
    #[serde(default = "one")]
    replicas: u32,
    #[serde(default = "one")]
    required: u32,
    #[serde(default)]
    repair_crews: Option<u32>,
    #[serde(default)]
    site: Option<String>,
    #[serde(default)]
    depends_on: Vec<String>,
    #[serde(default)]
    cost_per_replica: Option<f64>,
    #[serde(default)]
    fixed_cost: Option<f64>,
    #[serde(default)]
    maintenance: Option<MaintenanceFile>,
    #[serde(default)]
    failure: Vec<FailureFile>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a [[site.failure]] table with `name`, `every` and `repair`"
)]
struct SiteFailureFile {
    name: String,
    every: Distribution,
    repair: Distribution,
    #[serde(default)]
    destroys_data: bool,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a [costs] table, e.g. { currency = \"USD\", downtime_per_hour = 5000 }"
)]
struct CostsFile {
    #[serde(default)]
    currency: String,
    #[serde(default)]
    downtime_per_hour: f64,
    #[serde(default)]
    per_outage: f64,
    #[serde(default)]
    data_loss_per_hour: f64,
    #[serde(default)]
    unrecoverable_loss: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an [sla] table with `availability` (e.g. 0.9995) or `downtime_per_year` (e.g. \"4h\"), and optional `rto`, `rpo` and `exclude_planned`"
)]
struct SlaFile {
    availability: Option<f64>,
    downtime_per_year: Option<Hours>,
    rto: Option<Hours>,
    rpo: Option<Hours>,
    #[serde(default)]
    exclude_planned: bool,
}

/// An option: a name and what it changes in the baseline's tiers, by tier name.
#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an [[option]] table with a `name` and the tier keys it changes, e.g. tier.database.replicas = 2"
)]
struct OptionFile {
    name: String,
    #[serde(default)]
    tier: serde_json::Map<String, Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a [simulation] table with `horizon`, `replications` and `seed`, e.g. { horizon = \"1y\", replications = 10000 }"
)]
struct SimulationFile {
    horizon: Option<Hours>,
    replications: Option<u64>,
    seed: Option<u64>,
    start: Option<Start>,
    warm_up: Option<Hours>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a [[tier]] table with a `name` and [[tier.failure]] modes"
)]
struct TierFile {
    name: String,
    #[serde(default = "one")]
    replicas: u32,
    #[serde(default = "one")]
    required: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    repair_crews: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cost_per_replica: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fixed_cost: Option<f64>,
    #[serde(default)]
    strategy: Strategy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    failover: Option<FailoverFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    backup: Option<BackupFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    maintenance: Option<MaintenanceFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    replication: Option<ReplicationFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sites: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    placement: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    replica_depends_on: Vec<Vec<String>>,
    #[serde(default)]
    failure: Vec<FailureFile>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a [tier.replication] table, e.g. { lag = \"exp(mean=30s)\", cross_site_lag = \"exp(mean=5m)\" }"
)]
struct ReplicationFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    lag: Option<Distribution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cross_site_lag: Option<Distribution>,
}

/// How a tier survives the failure of a replica.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(
    rename_all = "kebab-case",
    expecting = "a strategy: \"active-active\", \"failover\" or \"backup-only\""
)]
enum Strategy {
    /// Every replica serves (the default).
    #[default]
    ActiveActive,
    /// `required` replicas serve, the others stand by; see `[tier.failover]`.
    Failover,
    /// One replica whose replica-scope failures destroy its data, rebuilt from the
    /// latest backup: shorthand for `replicas = 1`, `destroys_data = true` on those
    /// modes, and a `[tier.backup]` table, which it requires.
    BackupOnly,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a [tier.failover] table, e.g. { detection = \"1m\", switchover = \"3m\" }"
)]
struct FailoverFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    detection: Option<Distribution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    switchover: Option<Distribution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    success: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manual_recovery: Option<Distribution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dormant_factor: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    standby_failures: Option<StandbyFailures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    test_every: Option<Hours>,
    #[serde(skip_serializing_if = "Option::is_none")]
    test_duration: Option<Distribution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cross_site: Option<CrossSiteFile>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a [tier.failover.cross_site] table, e.g. { detection = \"30m\", switchover = \"15m\" }"
)]
struct CrossSiteFile {
    #[serde(skip_serializing_if = "Option::is_none")]
    detection: Option<Distribution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    switchover: Option<Distribution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    success: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manual_recovery: Option<Distribution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    standby_failures: Option<StandbyFailures>,
    #[serde(skip_serializing_if = "Option::is_none")]
    test_every: Option<Hours>,
    #[serde(skip_serializing_if = "Option::is_none")]
    test_duration: Option<Distribution>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a [tier.backup] table with `every` and `restore`, e.g. { every = \"1d\", restore = \"2h\" }"
)]
struct BackupFile {
    every: Hours,
    restore: Distribution,
    #[serde(skip_serializing_if = "Option::is_none")]
    success: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    site: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a [tier.maintenance] table with `every` and `duration`, e.g. { every = \"30d\", duration = \"2h\", how = \"rolling\" }"
)]
struct MaintenanceFile {
    every: Hours,
    duration: Distribution,
    #[serde(default)]
    how: Rollout,
    #[serde(skip_serializing_if = "Option::is_none")]
    switchover: Option<Distribution>,
}

impl MaintenanceFile {
    fn to_model(&self) -> Maintenance {
        let mut model = Maintenance::new(self.every.get(), self.duration.clone()).with_rollout(self.how);
        if let Some(switchover) = &self.switchover {
            model = model.with_switchover(switchover.clone());
        }
        model
    }
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a [[tier.failure]] table with `name`, `every` and `repair`"
)]
struct FailureFile {
    name: String,
    every: Distribution,
    repair: Distribution,
    #[serde(default)]
    scope: Scope,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    destroys_data: Option<bool>,
}

/// A validated scenario: a service (the options of later versions), and the settings
/// to simulate it with.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    name: String,
    description: Option<String>,
    simulation: Simulation,
    options: Vec<Service>,
    /// The sites and dependencies every option shares.
    shared: Shared,
    /// The baseline's tiers as the file wrote them, for sweeps.
    baseline: Vec<TierFile>,
    /// Each `[[option]]`'s name and tier changes, for sweeps of an option.
    option_changes: Vec<(String, serde_json::Map<String, Value>)>,
    /// What the options sweep, if they are a sweep.
    sweep: Option<crate::report::Sweep>,
    /// What the reports must say beyond the model's own warnings: the values a sweep
    /// skipped.
    notes: Vec<String>,
}

/// What every option of a scenario shares: the sites its tiers stand in and the
/// dependencies they may stand on.
#[derive(Debug, Clone, PartialEq)]
struct Shared {
    sites: Vec<Site>,
    dependencies: Vec<Dependency>,
    /// Each dependency's failure mode names, as the file lists them, for errors.
    dependency_modes: Vec<Vec<String>>,
}

/// The format of a scenario text.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML, the format people write.
    Toml,
    /// JSON, for files that programs write.
    Json,
}

impl Scenario {
    /// Reads a scenario file: JSON if its name ends in `.json`, TOML otherwise.
    ///
    /// # Errors
    /// [`ScenarioError`] if the file cannot be read, does not parse, or describes an
    /// invalid model; the message names the file and the key path.
    pub fn load(path: impl AsRef<Path>) -> Result<Scenario, ScenarioError> {
        let path = path.as_ref();
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            origin: origin.clone(),
            source,
        })?;
        let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let format = if is_json { Format::Json } else { Format::Toml };
        Scenario::parse(&text, format, &origin)
    }

    /// Parses a scenario from text; `origin` names it in error messages (a file
    /// name, `"<stdin>"`).
    ///
    /// ```
    /// use nines::{Format, Scenario};
    ///
    /// let text = r#"
    ///     name = "single database server"
    ///     [simulation]
    ///     replications = 1000
    ///     [[tier]]
    ///     name = "database"
    ///     [[tier.failure]]
    ///     name = "host crash"
    ///     every = "exp(mean=1000h)"
    ///     repair = "exp(mean=10h)"
    /// "#;
    /// let scenario = Scenario::parse(text, Format::Toml, "example.toml").unwrap();
    /// assert_eq!(scenario.service().tiers()[0].name(), "database");
    ///
    /// let err = Scenario::parse(&text.replace("mean=10h", "mean=-10h"), Format::Toml, "bad.toml")
    ///     .unwrap_err();
    /// assert!(err.to_string().starts_with("bad.toml: tier[0].failure[0].repair:"), "{err}");
    /// ```
    ///
    /// # Errors
    /// As [`Scenario::load`].
    pub fn parse(text: &str, format: Format, origin: &str) -> Result<Scenario, ScenarioError> {
        let file: ScenarioFile = match format {
            Format::Toml => {
                let de = toml::Deserializer::parse(text).map_err(|e| ScenarioError::syntax(origin, e.to_string()))?;
                serde_path_to_error::deserialize(de).map_err(|e| ScenarioError::from_path(origin, e))?
            }
            Format::Json => {
                let mut de = serde_json::Deserializer::from_str(text);
                let file =
                    serde_path_to_error::deserialize(&mut de).map_err(|e| ScenarioError::from_path(origin, e))?;
                de.end().map_err(|e| ScenarioError::syntax(origin, e.to_string()))?;
                file
            }
        };
        file.validate(origin)
    }

    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The scenario's description, if it has one.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The simulation settings from the file (defaults where it has none).
    pub fn simulation(&self) -> &Simulation {
        &self.simulation
    }

    /// The service its top-level tiers describe: the baseline, and the first option.
    pub fn service(&self) -> &Service {
        &self.options[0]
    }

    /// What the options sweep, when the scenario is a [`Scenario::sweep`].
    pub fn swept(&self) -> Option<&crate::report::Sweep> {
        self.sweep.as_ref()
    }

    /// What the reports must say beyond the model's own warnings (the values a sweep
    /// skipped).
    pub(crate) fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The options to compare, each a service named after the option: the baseline
    /// first, then each `[[option]]` in the file's order.
    pub fn options(&self) -> &[Service] {
        &self.options
    }

    /// A scenario whose options are the baseline with one setting swept over several
    /// values: `setting` is `KEY=V1,V2,...`, the key a tier key path as an option
    /// writes it (`tier.database.replicas`, `tier.database.failover.test_every`,
    /// `tier.database.failure."host crash".repair`, `tier.database.cost_per_replica`)
    /// and each value as TOML writes it (`2`, `0.97`, `7d`, `"exp(mean=4h)"`; quotes
    /// are optional around strings, and commas inside parentheses do not split).
    ///
    /// ```
    /// use nines::{Format, Scenario};
    ///
    /// let text = r#"
    ///     name = "database"
    ///     [[tier]]
    ///     name = "database"
    ///     [[tier.failure]]
    ///     name = "host crash"
    ///     every = "exp(mean=1000h)"
    ///     repair = "exp(mean=10h)"
    /// "#;
    /// let scenario = Scenario::parse(text, Format::Toml, "db.toml").unwrap();
    /// let sweep = scenario.sweep("tier.database.replicas=1,2,3").unwrap();
    /// let names: Vec<&str> = sweep.options().iter().map(|o| o.name()).collect();
    /// assert_eq!(names, ["replicas = 1", "replicas = 2", "replicas = 3"]);
    /// assert_eq!(sweep.options()[2].tiers()[0].replicas(), 3);
    /// ```
    ///
    /// # Errors
    /// [`ScenarioError`] (with origin `--set`) if the setting is malformed, names no
    /// tier of the baseline or an unknown key, or every value makes an invalid model
    /// (the first value's error). A value that makes an invalid model while others do
    /// not is skipped: the other values run, and the report's warnings say which value
    /// was skipped and why.
    pub fn sweep(&self, setting: &str) -> Result<Scenario, ScenarioError> {
        self.sweep_of(None, setting)
    }

    /// As [`Scenario::sweep`], with `option` (the baseline's name or an `[[option]]`'s)
    /// as the starting point instead of the baseline: the option's changes, then the
    /// swept setting on top.
    ///
    /// # Errors
    /// As [`Scenario::sweep`], and [`ScenarioError`] if there is no option of that
    /// name.
    pub fn sweep_option(&self, option: &str, setting: &str) -> Result<Scenario, ScenarioError> {
        self.sweep_of(Some(option), setting)
    }

    fn sweep_of(&self, option: Option<&str>, setting: &str) -> Result<Scenario, ScenarioError> {
        let origin = "--set";
        let malformed = |message: String| ScenarioError::Value {
            origin: origin.to_owned(),
            key: setting.to_owned(),
            message,
        };
        let Some((key, values)) = setting.split_once('=') else {
            return Err(malformed(
                "write the setting as KEY=V1,V2,..., e.g. tier.database.replicas=1,2,3".to_owned(),
            ));
        };
        let path = key_path(key.trim()).map_err(&malformed)?;
        let (tier_name, rest) = match path.as_slice() {
            [first, tier, rest @ ..] if first == "tier" && !rest.is_empty() => (tier.clone(), rest.to_vec()),
            _ => {
                return Err(malformed(format!(
                    "`{key}` is not a tier setting: sweeps change what is built, a tier key such as tier.<tier name>.replicas, tier.<tier name>.failover.test_every or tier.<tier name>.cost_per_replica (the [costs] rates price every option alike: compare runs with different rates instead)"
                )));
            }
        };
        let values = split_values(values);
        if values.iter().any(|v| v.is_empty()) || values.is_empty() {
            return Err(malformed(
                "give one or more values separated by commas, e.g. =7d,30d,90d".to_owned(),
            ));
        }
        // The tiers the sweep starts from: the baseline's, or an option's.
        let base = match option {
            None => self.baseline.clone(),
            Some(name) if name == self.options[0].name() => self.baseline.clone(),
            Some(name) => {
                let Some((_, changes)) = self.option_changes.iter().find(|(n, _)| n == name) else {
                    let known: Vec<&str> = self.options.iter().map(Service::name).collect();
                    return Err(ScenarioError::Value {
                        origin: "--option".to_owned(),
                        key: name.to_owned(),
                        message: format!("there is no option named \"{name}\" to sweep: the options are {known:?}"),
                    });
                };
                changed_tiers(&self.baseline, changes, "", origin)?.0
            }
        };
        let label = rest.join(".");
        // Each value on its own: one that makes an invalid model is skipped and said
        // so, and the others run.
        let mut options = Vec::with_capacity(values.len());
        let mut kept = Vec::with_capacity(values.len());
        let mut skipped = Vec::new();
        for value in &values {
            let mut change = toml_value(value);
            for segment in rest.iter().rev() {
                let mut table = serde_json::Map::new();
                table.insert(segment.clone(), change);
                change = Value::Object(table);
            }
            let mut changes = serde_json::Map::new();
            changes.insert(tier_name.clone(), change);
            let name = format!("{label} = {value}");
            let built = changed_tiers(&base, &changes, "", origin)
                .and_then(|(tiers, places)| build_service(&name, &self.shared, &tiers, &places, origin));
            match built {
                Ok(service) => {
                    options.push(service);
                    kept.push(value.clone());
                }
                Err(error) => skipped.push((value.clone(), error)),
            }
        }
        if options.is_empty() {
            // Nothing to run: the first value's error says what is wrong (usually the
            // same for every value).
            return Err(skipped.swap_remove(0).1);
        }
        let notes = skipped
            .into_iter()
            .map(|(value, error)| format!("the sweep skipped {label} = {value}, an invalid model: {error}"))
            .collect();
        let of = match option {
            Some(option) if option != self.options[0].name() => format!("{label} of {tier_name} in \"{option}\""),
            _ => format!("{label} of {tier_name}"),
        };
        Ok(Scenario {
            name: format!("{}: {of}", self.name),
            description: self.description.clone(),
            simulation: self.simulation.clone(),
            options,
            shared: self.shared.clone(),
            baseline: self.baseline.clone(),
            option_changes: Vec::new(),
            sweep: Some(crate::report::Sweep {
                tier: tier_name,
                key: label,
                values: kept,
            }),
            notes,
        })
    }

    /// Runs the scenario with its own settings.
    ///
    /// # Errors
    /// [`SimError`] if the thread pool cannot be started.
    pub fn run(&self) -> Result<Report, SimError> {
        self.run_with(&self.simulation)
    }

    /// Runs the scenario with other settings (e.g. from the command line).
    ///
    /// # Errors
    /// [`SimError`] if the settings are invalid or the thread pool cannot be started.
    pub fn run_with(&self, simulation: &Simulation) -> Result<Report, SimError> {
        self.run_with_progress(simulation, &|_| {})
    }

    /// Runs the scenario with other settings, calling `progress` after every wave of
    /// replications.
    ///
    /// # Errors
    /// [`SimError`] if the settings are invalid or the thread pool cannot be started.
    pub fn run_with_progress(
        &self,
        simulation: &Simulation,
        progress: &(dyn Fn(crate::sim::Progress) + Sync),
    ) -> Result<Report, SimError> {
        let mut report = simulation.run_options_with_progress(&self.name, &self.options, progress)?;
        report.sweep = self.sweep.clone();
        report.warnings.extend(self.notes.iter().cloned());
        Ok(report)
    }
}

impl ScenarioFile {
    fn validate(self, origin: &str) -> Result<Scenario, ScenarioError> {
        let simulation = self.simulation_settings(origin)?;
        if self.tier.is_empty() {
            return Err(ScenarioError::Value {
                origin: origin.to_owned(),
                key: "tier".to_owned(),
                message:
                    "the scenario has no tier: add at least one [[tier]] with a name and its [[tier.failure]] modes"
                        .to_owned(),
            });
        }
        let baseline_name = match (&self.baseline, self.option.is_empty()) {
            (Some(name), _) => name.clone(),
            (None, true) => self.name.clone(),
            (None, false) => "baseline".to_owned(),
        };
        let sites = self.sites(origin)?;
        let shared = self.shared(sites, origin)?;
        let places: Vec<String> = (0..self.tier.len()).map(|i| format!("tier[{i}]")).collect();
        let mut options = vec![build_service(&baseline_name, &shared, &self.tier, &places, origin)?];
        for (index, option) in self.option.iter().enumerate() {
            if options.iter().any(|o| o.name() == option.name) {
                return Err(ScenarioError::Value {
                    origin: origin.to_owned(),
                    key: format!("option[{index}].name"),
                    message: format!(
                        "two options are named \"{}\" (the baseline is named \"{baseline_name}\"): give each a distinct name",
                        option.name
                    ),
                });
            }
            let (tiers, places) = changed_tiers(&self.tier, &option.tier, &format!("option[{index}]"), origin)?;
            options.push(build_service(&option.name, &shared, &tiers, &places, origin)?);
        }
        Ok(Scenario {
            name: self.name,
            description: self.description,
            simulation,
            options,
            shared,
            option_changes: self.option.into_iter().map(|o| (o.name, o.tier)).collect(),
            baseline: self.tier,
            sweep: None,
            notes: Vec::new(),
        })
    }

    /// The `[[dependency]]`s, each validated alone (what they name is checked with
    /// the tiers, by the service), with the sites.
    fn shared(&self, sites: Vec<Site>, origin: &str) -> Result<Shared, ScenarioError> {
        let mut dependencies = Vec::with_capacity(self.dependency.len());
        for (i, file) in self.dependency.iter().enumerate() {
            let mut builder = Dependency::builder(&file.name)
                .with_replicas(file.replicas)
                .with_required(file.required)
                .with_depends_on(&file.depends_on);
            if let Some(crews) = file.repair_crews {
                builder = builder.with_repair_crews(crews);
            }
            if let Some(site) = &file.site {
                builder = builder.with_site(site);
            }
            if let Some(cost) = file.cost_per_replica {
                builder = builder.with_cost_per_replica(cost);
            }
            if let Some(cost) = file.fixed_cost {
                builder = builder.with_fixed_cost(cost);
            }
            if let Some(maintenance) = &file.maintenance {
                builder = builder.with_maintenance(maintenance.to_model());
            }
            for failure in &file.failure {
                builder = builder.with_failure(
                    FailureMode::new(&failure.name, failure.every.clone(), failure.repair.clone())
                        .with_scope(failure.scope)
                        .with_destroys_data(failure.destroys_data.unwrap_or(false)),
                );
            }
            let dependency = builder.build().map_err(|e| {
                let (mode, key) = e.location();
                let mode = mode.and_then(|m| file.failure.iter().position(|f| f.name == m));
                ScenarioError::Model {
                    origin: origin.to_owned(),
                    key: match mode {
                        Some(j) => format!("dependency[{i}].failure[{j}].{key}"),
                        None => format!("dependency[{i}].{key}"),
                    },
                    source: Box::new(e),
                }
            })?;
            dependencies.push(dependency);
        }
        Ok(Shared {
            sites,
            dependencies,
            dependency_modes: self
                .dependency
                .iter()
                .map(|d| d.failure.iter().map(|f| f.name.clone()).collect())
                .collect(),
        })
    }

    /// The `[[site]]`s, validated.
    fn sites(&self, origin: &str) -> Result<Vec<Site>, ScenarioError> {
        let mut sites = Vec::with_capacity(self.site.len());
        for (i, file) in self.site.iter().enumerate() {
            let mut builder = Site::builder(&file.name);
            if let Some(cost) = file.fixed_cost {
                builder = builder.with_fixed_cost(cost);
            }
            for failure in &file.failure {
                builder = builder.with_failure(
                    FailureMode::new(&failure.name, failure.every.clone(), failure.repair.clone())
                        .with_destroys_data(failure.destroys_data),
                );
            }
            let site = builder.build().map_err(|e| {
                let (_, key) = e.location();
                ScenarioError::Model {
                    origin: origin.to_owned(),
                    key: format!("site[{i}].{key}"),
                    source: Box::new(e),
                }
            })?;
            if sites.iter().any(|s: &Site| s.name() == site.name()) {
                return Err(ScenarioError::Model {
                    origin: origin.to_owned(),
                    key: format!("site[{i}].name"),
                    source: Box::new(ModelError::DuplicateSite {
                        site: site.name().to_owned(),
                    }),
                });
            }
            sites.push(site);
        }
        Ok(sites)
    }

    /// The `[simulation]`, `[costs]` and `[sla]` settings.
    fn simulation_settings(&self, origin: &str) -> Result<Simulation, ScenarioError> {
        let mut simulation = Simulation::new();
        if let Some(horizon) = self.simulation.horizon {
            simulation = simulation.with_horizon(horizon.get());
        }
        if let Some(replications) = self.simulation.replications {
            simulation = simulation.with_replications(replications);
        }
        if let Some(seed) = self.simulation.seed {
            simulation = simulation.with_seed(seed);
        }
        if let Some(start) = self.simulation.start {
            simulation = simulation.with_start(start);
        }
        if let Some(warm_up) = self.simulation.warm_up {
            simulation = simulation.with_warm_up(warm_up.get());
        }
        let has_tier_costs = self
            .tier
            .iter()
            .any(|t| t.cost_per_replica.is_some() || t.fixed_cost.is_some());
        if let Some(costs) = &self.costs {
            let mut rates = Costs::new(&costs.currency)
                .with_downtime_per_hour(costs.downtime_per_hour)
                .with_per_outage(costs.per_outage)
                .with_data_loss_per_hour(costs.data_loss_per_hour);
            if let Some(cost) = costs.unrecoverable_loss {
                rates = rates.with_unrecoverable_loss(cost);
            }
            simulation = simulation.with_costs(rates);
        } else if has_tier_costs {
            simulation = simulation.with_costs(Costs::new(""));
        }
        let settings_error = |key: &str, source: SimError| ScenarioError::Settings {
            origin: origin.to_owned(),
            key: key.to_owned(),
            source,
        };
        if let Some(sla) = &self.sla {
            let objectives = sla.rto.is_some() || sla.rpo.is_some();
            let budget = match (sla.availability, sla.downtime_per_year) {
                (Some(availability), None) => Some(Sla::Availability(availability)),
                (None, Some(hours)) => Some(Sla::DowntimePerYear(hours.get())),
                (None, None) if objectives => None,
                _ => {
                    return Err(ScenarioError::Value {
                        origin: origin.to_owned(),
                        key: "sla".to_owned(),
                        message: "give exactly one of `availability` (e.g. 0.9995) or `downtime_per_year` (e.g. \"4h\"), and, if you like, an `rto` and an `rpo` (e.g. \"4h\" and \"15m\")"
                            .to_owned(),
                    });
                }
            };
            if let Some(sla) = budget {
                simulation = simulation.with_sla(sla);
            }
            if let Some(rto) = sla.rto {
                simulation = simulation.with_rto(rto.get());
            }
            if let Some(rpo) = sla.rpo {
                simulation = simulation.with_rpo(rpo.get());
            }
            simulation = simulation.with_exclude_planned(sla.exclude_planned);
        }
        simulation.validate().map_err(|e| {
            let key = match &e {
                SimError::Horizon(_) => "simulation.horizon".to_owned(),
                SimError::WarmUp(_) => "simulation.warm_up".to_owned(),
                SimError::Objective { key, .. } => format!("sla.{key}"),
                SimError::Costs(crate::cost::CostError::InvalidRate { key, .. }) => format!("costs.{key}"),
                SimError::Costs(crate::cost::CostError::Availability(_)) => "sla.availability".to_owned(),
                SimError::Costs(_) => "sla.downtime_per_year".to_owned(),
                _ => "simulation.replications".to_owned(),
            };
            settings_error(&key, e)
        })?;
        Ok(simulation)
    }
}

/// The baseline's tiers with an option's changes (tier name → changes), and where
/// each came from (`tier[0]`, or `{prefix}.tier.database` for a changed one;
/// `tier.database` with an empty prefix).
fn changed_tiers(
    baseline: &[TierFile],
    changes: &serde_json::Map<String, Value>,
    prefix: &str,
    origin: &str,
) -> Result<(Vec<TierFile>, Vec<String>), ScenarioError> {
    let value_error = |key: String, message: String| ScenarioError::Value {
        origin: origin.to_owned(),
        key,
        message,
    };
    for name in changes.keys() {
        if !baseline.iter().any(|t| &t.name == name) {
            let known: Vec<&str> = baseline.iter().map(|t| t.name.as_str()).collect();
            return Err(value_error(
                if prefix.is_empty() {
                    format!("tier.{name}")
                } else {
                    format!("{prefix}.tier.{name}")
                },
                format!("there is no tier named \"{name}\" to change: the tiers are {known:?}"),
            ));
        }
    }
    let mut tiers = Vec::with_capacity(baseline.len());
    let mut places = Vec::with_capacity(baseline.len());
    for (i, tier) in baseline.iter().enumerate() {
        let Some(change) = changes.get(&tier.name) else {
            tiers.push(tier.clone());
            places.push(format!("tier[{i}]"));
            continue;
        };
        let place = if prefix.is_empty() {
            format!("tier.{}", tier.name)
        } else {
            format!("{prefix}.tier.{}", tier.name)
        };
        let mut merged = serde_json::to_value(tier).map_err(|e| value_error(place.clone(), e.to_string()))?;
        apply_changes(&mut merged, change, &place).map_err(|(key, message)| value_error(key, message))?;
        let changed: TierFile = serde_path_to_error::deserialize(merged)
            .map_err(|e| value_error(format!("{place}.{}", e.path()), e.inner().to_string()))?;
        tiers.push(changed);
        places.push(place);
    }
    Ok((tiers, places))
}

/// Applies an option's changes to a tier (as a JSON value): tables merge key by key,
/// `failure` as a table changes failure modes by name, `backup = "none"` and
/// `maintenance = "none"` remove the backup policy and the maintenance, anything else
/// replaces.
fn apply_changes(tier: &mut Value, changes: &Value, place: &str) -> Result<(), (String, String)> {
    let Value::Object(changes) = changes else {
        return Err((
            place.to_owned(),
            "an option changes a tier with keys, e.g. `tier.database.replicas = 2`".to_owned(),
        ));
    };
    let Value::Object(tier) = tier else {
        return Err((place.to_owned(), "the tier is not a table".to_owned()));
    };
    for (key, change) in changes {
        let at = format!("{place}.{key}");
        match (key.as_str(), change) {
            ("name", _) => {
                return Err((
                    at,
                    "an option cannot rename a tier: options are matched to tiers by name".to_owned(),
                ));
            }
            ("backup" | "maintenance", Value::String(none)) if none == "none" => {
                tier.remove(key);
            }
            ("failure", Value::Object(modes)) => {
                let Some(Value::Array(failures)) = tier.get_mut("failure") else {
                    return Err((at, "the tier has no failure modes to change".to_owned()));
                };
                for (mode, mode_changes) in modes {
                    let target = failures
                        .iter_mut()
                        .find(|f| f.get("name").and_then(Value::as_str) == Some(mode.as_str()));
                    let Some(target) = target else {
                        return Err((
                            format!("{at}.{mode}"),
                            format!("the tier has no failure mode named \"{mode}\" to change"),
                        ));
                    };
                    if mode_changes.get("name").is_some() {
                        return Err((
                            format!("{at}.{mode}.name"),
                            "an option cannot rename a failure mode".to_owned(),
                        ));
                    }
                    merge(target, mode_changes);
                }
            }
            _ => match tier.get_mut(key) {
                Some(existing) => merge(existing, change),
                None => {
                    tier.insert(key.clone(), change.clone());
                }
            },
        }
    }
    Ok(())
}

/// Merges `change` into `target`: tables key by key, anything else replaced.
fn merge(target: &mut Value, change: &Value) {
    match (target, change) {
        (Value::Object(target), Value::Object(change)) => {
            for (key, value) in change {
                match target.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (target, change) => *target = change.clone(),
    }
}

/// Validates tiers into a service; `places` names where each tier came from in the
/// file (`tier[0]`, `option[1].tier.database`) for error messages.
fn build_service(
    name: &str,
    shared: &Shared,
    tiers: &[TierFile],
    places: &[String],
    origin: &str,
) -> Result<Service, ScenarioError> {
    let model_error = |tier: Option<usize>, e: ModelError| {
        let (mode, key) = e.location();
        let key = match (tier, mode.and_then(|m| tier.and_then(|i| mode_index(&tiers[i], m)))) {
            (Some(i), Some(j)) => format!("{}.failure[{j}].{key}", places[i]),
            (Some(i), None) => format!("{}.{key}", places[i]),
            (None, _) => key,
        };
        ScenarioError::Model {
            origin: origin.to_owned(),
            key,
            source: Box::new(e),
        }
    };
    let mut built = Vec::with_capacity(tiers.len());
    for (index, tier) in tiers.iter().enumerate() {
        let tier = tier
            .to_model(&places[index], origin)?
            .build()
            .map_err(|e| model_error(Some(index), e))?;
        built.push(tier);
    }
    let sites = &shared.sites;
    let dependencies = &shared.dependencies;
    Service::with_dependencies(name, sites.to_vec(), dependencies.to_vec(), built).map_err(|e| {
        let at = |key: String| ScenarioError::Model {
            origin: origin.to_owned(),
            key,
            source: Box::new(e.clone()),
        };
        let dependency = |name: &str| dependencies.iter().position(|d| d.name() == name).unwrap_or(0);
        match &e {
            // The busiest source of events may be a site's or a dependency's failure mode.
            ModelError::TooManyEvents {
                owner: "site",
                tier: site,
                mode,
                ..
            } => {
                let i = sites.iter().position(|s| s.name() == site).unwrap_or(0);
                let j = sites
                    .get(i)
                    .and_then(|s| s.failures().iter().position(|m| Some(m.name()) == mode.as_deref()))
                    .unwrap_or(0);
                return at(format!("site[{i}].failure[{j}].every"));
            }
            ModelError::TooManyEvents {
                owner: "dependency",
                tier: name,
                mode,
                ..
            } => {
                let i = dependency(name);
                let j = shared.dependency_modes[i]
                    .iter()
                    .position(|m| Some(m.as_str()) == mode.as_deref())
                    .unwrap_or(0);
                return at(format!("dependency[{i}].failure[{j}].every"));
            }
            ModelError::DuplicateDependency { dependency: name } => {
                // The repeat: the dependency's, or the tier's if a tier takes its name.
                if let Some(i) = tiers.iter().position(|t| &t.name == name) {
                    return at(format!("{}.name", places[i]));
                }
                let i = dependencies.iter().rposition(|d| d.name() == name).unwrap_or(0);
                return at(format!("dependency[{i}].name"));
            }
            ModelError::InvalidDependency {
                dependency: name, key, ..
            } => return at(format!("dependency[{}].{key}", dependency(name))),
            ModelError::UnknownDependency {
                owner: "dependency",
                name,
                key,
                ..
            } => return at(format!("dependency[{}].{key}", dependency(name))),
            ModelError::DependencyCycle { cycle } => {
                return at(format!("dependency[{}].depends_on", dependency(&cycle[0])));
            }
            _ => {}
        }
        // Service-level errors that name a tier point at it (at the repeat of a repeated
        // name).
        let repeat = match &e {
            ModelError::DuplicateTier { tier } => tiers.iter().rposition(|t| &t.name == tier),
            ModelError::TooManyEvents { tier, .. }
            | ModelError::UnknownSite { tier, .. }
            | ModelError::UnknownDependency { name: tier, .. } => tiers.iter().position(|t| &t.name == tier),
            _ => None,
        };
        model_error(repeat, e)
    })
}

impl TierFile {
    /// The tier's builder, with what the file says; errors that only the file can
    /// have (a strategy that contradicts a table) are reported here, the rest when
    /// the builder validates.
    fn to_model(&self, place: &str, origin: &str) -> Result<crate::model::TierBuilder, ScenarioError> {
        let at = |key: &str, message: String| ScenarioError::Value {
            origin: origin.to_owned(),
            key: format!("{place}.{key}"),
            message,
        };
        let backup_only = self.strategy == Strategy::BackupOnly;
        if backup_only {
            if self.replicas != 1 {
                return Err(at(
                    "replicas",
                    format!(
                        "strategy \"backup-only\" means one replica, but `replicas` is {}: use strategy \"active-active\" or \"failover\" for more",
                        self.replicas
                    ),
                ));
            }
            if self.backup.is_none() {
                return Err(at(
                    "backup",
                    "strategy \"backup-only\" needs a [tier.backup] table with `every` and `restore`".to_owned(),
                ));
            }
        }
        if self.failover.is_some() && self.strategy != Strategy::Failover {
            return Err(at(
                "failover",
                "a [tier.failover] table needs `strategy = \"failover\"` in the tier: add it, or remove the table"
                    .to_owned(),
            ));
        }
        let mut builder = Tier::builder(&self.name)
            .with_replicas(self.replicas)
            .with_required(self.required);
        if let Some(crews) = self.repair_crews {
            builder = builder.with_repair_crews(crews);
        }
        if let Some(cost) = self.cost_per_replica {
            builder = builder.with_cost_per_replica(cost);
        }
        if let Some(cost) = self.fixed_cost {
            builder = builder.with_fixed_cost(cost);
        }
        if self.strategy == Strategy::Failover {
            builder = builder.with_failover(
                self.failover
                    .as_ref()
                    .map_or_else(Failover::new, FailoverFile::to_model),
            );
        }
        if let Some(backup) = &self.backup {
            let mut model = Backup::new(backup.every.get(), backup.restore.clone());
            if let Some(success) = backup.success {
                model = model.with_success(success);
            }
            if let Some(site) = &backup.site {
                model = model.with_site(site);
            }
            builder = builder.with_backup(model);
        }
        if let Some(maintenance) = &self.maintenance {
            builder = builder.with_maintenance(maintenance.to_model());
        }
        if let Some(replication) = &self.replication {
            let mut model = Replication::new();
            if let Some(lag) = &replication.lag {
                model = model.with_lag(lag.clone());
            }
            if let Some(lag) = &replication.cross_site_lag {
                model = model.with_cross_site_lag(lag.clone());
            }
            builder = builder.with_replication(model);
        }
        if !self.sites.is_empty() {
            builder = builder.with_sites(&self.sites);
        }
        if !self.placement.is_empty() {
            builder = builder.with_placement(&self.placement);
        }
        if !self.depends_on.is_empty() {
            builder = builder.with_depends_on(&self.depends_on);
        }
        if !self.replica_depends_on.is_empty() {
            builder = builder.with_replica_depends_on(&self.replica_depends_on);
        }
        for (j, failure) in self.failure.iter().enumerate() {
            let destroys_data = match (backup_only && failure.scope == Scope::Replica, failure.destroys_data) {
                (true, Some(false)) => {
                    return Err(at(
                        &format!("failure[{j}].destroys_data"),
                        "is false, but under strategy \"backup-only\" a replica failure destroys the data (it is rebuilt from a backup): remove the key, or use strategy \"active-active\"".to_owned(),
                    ));
                }
                (true, _) => true,
                (false, given) => given.unwrap_or(false),
            };
            builder = builder.with_failure(
                FailureMode::new(&failure.name, failure.every.clone(), failure.repair.clone())
                    .with_scope(failure.scope)
                    .with_destroys_data(destroys_data),
            );
        }
        Ok(builder)
    }
}

impl FailoverFile {
    fn to_model(&self) -> Failover {
        let mut failover = Failover::new();
        if let Some(detection) = &self.detection {
            failover = failover.with_detection(detection.clone());
        }
        if let Some(switchover) = &self.switchover {
            failover = failover.with_switchover(switchover.clone());
        }
        if let Some(success) = self.success {
            failover = failover.with_success(success);
        }
        if let Some(manual) = &self.manual_recovery {
            failover = failover.with_manual_recovery(manual.clone());
        }
        if let Some(factor) = self.dormant_factor {
            failover = failover.with_dormant_factor(factor);
        }
        if let Some(kind) = self.standby_failures {
            failover = failover.with_standby_failures(kind);
        }
        if let Some(every) = self.test_every {
            failover = failover.with_test_every(every.get());
        }
        if let Some(duration) = &self.test_duration {
            failover = failover.with_test_duration(duration.clone());
        }
        if let Some(cross) = &self.cross_site {
            failover = failover.with_cross_site(cross.to_model());
        }
        failover
    }
}

impl CrossSiteFile {
    fn to_model(&self) -> CrossSite {
        let mut cross = CrossSite::new();
        if let Some(detection) = &self.detection {
            cross = cross.with_detection(detection.clone());
        }
        if let Some(switchover) = &self.switchover {
            cross = cross.with_switchover(switchover.clone());
        }
        if let Some(success) = self.success {
            cross = cross.with_success(success);
        }
        if let Some(manual) = &self.manual_recovery {
            cross = cross.with_manual_recovery(manual.clone());
        }
        if let Some(kind) = self.standby_failures {
            cross = cross.with_standby_failures(kind);
        }
        if let Some(every) = self.test_every {
            cross = cross.with_test_every(every.get());
        }
        if let Some(duration) = &self.test_duration {
            cross = cross.with_test_duration(duration.clone());
        }
        cross
    }
}

/// Splits a key path at dots outside double quotes: `tier."load balancer".replicas`.
fn key_path(key: &str) -> Result<Vec<String>, String> {
    let mut segments = vec![String::new()];
    let mut quoted = false;
    for c in key.chars() {
        match c {
            '"' => quoted = !quoted,
            '.' if !quoted => segments.push(String::new()),
            c => segments.last_mut().expect("never empty").push(c),
        }
    }
    if quoted {
        return Err(format!("unbalanced quote in `{key}`"));
    }
    if segments.iter().any(|s| s.trim().is_empty()) {
        return Err(format!("empty segment in `{key}`: write e.g. tier.database.replicas"));
    }
    Ok(segments.into_iter().map(|s| s.trim().to_owned()).collect())
}

/// Splits values at commas outside parentheses and quotes.
fn split_values(values: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let (mut depth, mut quoted) = (0i32, false);
    for c in values.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        out.last_mut().expect("never empty").push(c);
    }
    out.into_iter().map(|v| v.trim().trim_matches('"').to_owned()).collect()
}

/// A value as TOML reads it (`2`, `0.97`, `true`), else as a string (`7d`).
fn toml_value(text: &str) -> Value {
    toml::from_str::<toml::Table>(&format!("v = {text}"))
        .ok()
        .and_then(|table| table.get("v").and_then(|v| serde_json::to_value(v).ok()))
        .unwrap_or_else(|| Value::String(text.to_owned()))
}

/// The index of the first failure mode of `tier` named `mode`; for a duplicate name,
/// the second one (the one at fault).
fn mode_index(tier: &TierFile, mode: &str) -> Option<usize> {
    let mut matches = tier
        .failure
        .iter()
        .enumerate()
        .filter(|(_, f)| f.name == mode)
        .map(|(j, _)| j);
    let first = matches.next();
    matches.next().or(first)
}

/// A scenario that cannot be used: each variant names the file (or other origin), the
/// key path at fault (`tier[0].failure[1].every`) where there is one, and why.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file cannot be read.
    #[error("{origin}: cannot read the file: {source}")]
    Read {
        /// The file.
        origin: String,
        /// Why.
        source: std::io::Error,
    },
    /// The text is not valid TOML or JSON.
    #[error("{origin}: {message}")]
    Syntax {
        /// The file.
        origin: String,
        /// The parser's message, with the line and column.
        message: String,
    },
    /// A key is unknown, missing, of the wrong type, or has an invalid value.
    #[error("{origin}: {key}: {message}")]
    Value {
        /// The file.
        origin: String,
        /// The key path, e.g. `tier[0].failure[1].every` (`.` for the top level).
        key: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The values parse, but do not make a valid model.
    #[error("{origin}: {key}: {source}")]
    Model {
        /// The file.
        origin: String,
        /// The key path at fault.
        key: String,
        /// Why the model is invalid.
        source: Box<ModelError>,
    },
    /// The `[simulation]` settings are invalid.
    #[error("{origin}: {key}: {source}")]
    Settings {
        /// The file.
        origin: String,
        /// The key path at fault.
        key: String,
        /// Why the settings are invalid.
        source: SimError,
    },
}

impl ScenarioError {
    fn syntax(origin: &str, message: String) -> Self {
        ScenarioError::Syntax {
            origin: origin.to_owned(),
            message: message.trim_end().to_owned(),
        }
    }

    fn from_path<E: fmt::Display>(origin: &str, error: serde_path_to_error::Error<E>) -> Self {
        ScenarioError::Value {
            origin: origin.to_owned(),
            key: error.path().to_string(),
            message: error.inner().to_string().trim_end().to_owned(),
        }
    }
}
