//! nines (crate docs are written later in this session).
#![deny(missing_docs)]

mod dist;
mod model;
mod report;
mod scenario;
mod sim;
mod stats;

pub use dist::{DistError, Distribution, Hours, format_hours, parse_hours};
pub use model::{FailureMode, ModelError, Scope, Service, Tier, TierBuilder};
pub use report::{Estimate, OptionReport, OutageDurations, Rate, Report, Spread, TierReport};
pub use scenario::{Format, Scenario, ScenarioError};
pub use sim::{CHUNK, SimError, Simulation};

/// Hours in a year (365 days): the unit behind "per year" and the `y` duration suffix.
pub const HOURS_PER_YEAR: f64 = 8760.0;
