//! Scenario files: the TOML (or JSON) a person writes, and its validation into a model.
//!
//! The serde types here mirror the file format and are only data; [`Scenario`] is
//! built from them once, through the same validation as the Rust API, so a loaded
//! scenario is always valid. Every error names the file, the key path
//! (`tier[0].failure[1].every`) and what to do.

use std::fmt;
use std::path::Path;

use serde::Deserialize;

use crate::dist::{Distribution, Hours};
use crate::model::{Backup, Failover, FailureMode, ModelError, Scope, Service, StandbyFailures, Tier};
use crate::report::Report;
use crate::sim::{SimError, Simulation};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    simulation: SimulationFile,
    #[serde(default)]
    tier: Vec<TierFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SimulationFile {
    horizon: Option<Hours>,
    replications: Option<u64>,
    seed: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TierFile {
    name: String,
    #[serde(default = "one")]
    replicas: u32,
    #[serde(default = "one")]
    required: u32,
    #[serde(default)]
    repair_crews: Option<u32>,
    #[serde(default)]
    strategy: Strategy,
    #[serde(default)]
    failover: Option<FailoverFile>,
    #[serde(default)]
    backup: Option<BackupFile>,
    #[serde(default)]
    failure: Vec<FailureFile>,
}

/// How a tier survives the failure of a replica.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FailoverFile {
    detection: Option<Distribution>,
    switchover: Option<Distribution>,
    success: Option<f64>,
    manual_recovery: Option<Distribution>,
    dormant_factor: Option<f64>,
    standby_failures: Option<StandbyFailures>,
    test_every: Option<Hours>,
    test_duration: Option<Distribution>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BackupFile {
    every: Hours,
    restore: Distribution,
    success: Option<f64>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FailureFile {
    name: String,
    every: Distribution,
    repair: Distribution,
    #[serde(default)]
    scope: Scope,
    #[serde(default)]
    destroys_data: Option<bool>,
}

/// A validated scenario: a service (the options of later versions), and the settings
/// to simulate it with.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    name: String,
    description: Option<String>,
    simulation: Simulation,
    service: Service,
}

/// The format of a scenario text.
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

    /// The service the scenario describes.
    pub fn service(&self) -> &Service {
        &self.service
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
        simulation.run_options(&self.name, std::slice::from_ref(&self.service))
    }
}

impl ScenarioFile {
    fn validate(self, origin: &str) -> Result<Scenario, ScenarioError> {
        let mut simulation = Simulation::new();
        if let Some(Hours(horizon)) = self.simulation.horizon {
            simulation = simulation.horizon(horizon);
        }
        if let Some(replications) = self.simulation.replications {
            simulation = simulation.replications(replications);
        }
        if let Some(seed) = self.simulation.seed {
            simulation = simulation.seed(seed);
        }
        simulation.validate().map_err(|e| {
            let key = match e {
                SimError::Horizon(_) => "simulation.horizon",
                _ => "simulation.replications",
            };
            ScenarioError::Settings {
                origin: origin.to_owned(),
                key: key.to_owned(),
                source: e,
            }
        })?;
        if self.tier.is_empty() {
            return Err(ScenarioError::Value {
                origin: origin.to_owned(),
                key: "tier".to_owned(),
                message:
                    "the scenario has no tier: add at least one [[tier]] with a name and its [[tier.failure]] modes"
                        .to_owned(),
            });
        }
        let model_error = |tier: Option<usize>, e: ModelError| {
            let (mode, key) = e.location();
            let key = key.as_str();
            let key = match (tier, mode.and_then(|m| tier.and_then(|i| mode_index(&self.tier[i], m)))) {
                (Some(i), Some(j)) => format!("tier[{i}].failure[{j}].{key}"),
                (Some(i), None) => format!("tier[{i}].{key}"),
                (None, _) => key.to_owned(),
            };
            ScenarioError::Model {
                origin: origin.to_owned(),
                key,
                source: e,
            }
        };
        let mut tiers = Vec::with_capacity(self.tier.len());
        for (index, tier) in self.tier.iter().enumerate() {
            let built = tier
                .to_model(index, origin)?
                .build()
                .map_err(|e| model_error(Some(index), e))?;
            tiers.push(built);
        }
        let service = Service::new(&self.name, tiers).map_err(|e| {
            // Service-level errors name a tier only for a repeated name: point at the repeat.
            let repeat = match &e {
                ModelError::DuplicateTier { tier } => self.tier.iter().rposition(|t| &t.name == tier),
                _ => None,
            };
            model_error(repeat, e)
        })?;
        Ok(Scenario {
            name: self.name,
            description: self.description,
            simulation,
            service,
        })
    }
}

impl TierFile {
    /// The tier's builder, with what the file says; errors that only the file can
    /// have (a strategy that contradicts a table) are reported here, the rest when
    /// the builder validates.
    fn to_model(&self, index: usize, origin: &str) -> Result<crate::model::TierBuilder, ScenarioError> {
        let at = |key: &str, message: String| ScenarioError::Value {
            origin: origin.to_owned(),
            key: format!("tier[{index}].{key}"),
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
            .replicas(self.replicas)
            .required(self.required);
        if let Some(crews) = self.repair_crews {
            builder = builder.repair_crews(crews);
        }
        if self.strategy == Strategy::Failover {
            builder = builder.failover(
                self.failover
                    .as_ref()
                    .map_or_else(Failover::new, FailoverFile::to_model),
            );
        }
        if let Some(backup) = &self.backup {
            let mut model = Backup::new(backup.every.0, backup.restore.clone());
            if let Some(success) = backup.success {
                model = model.with_success(success);
            }
            builder = builder.backup(model);
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
            builder = builder.failure(
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
        if let Some(Hours(every)) = self.test_every {
            failover = failover.with_test_every(every);
        }
        if let Some(duration) = &self.test_duration {
            failover = failover.with_test_duration(duration.clone());
        }
        failover
    }
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
        source: ModelError,
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
