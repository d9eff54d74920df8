//! # nines: what each way of surviving failures buys
//!
//! `nines` simulates how a service fails and recovers, many thousands of years at a
//! time, and reports what that costs in downtime: availability with its confidence
//! interval, downtime per year and its tail, how often the service goes down and for
//! how long, and which tier is to blame.
//!
//! All times are hours (`f64`), written `\[h\]` in field docs. A year is 8760 h
//! ([`HOURS_PER_YEAR`]).
//!
//! ## The model
//!
//! A [`Service`] is a chain of [`Tier`]s in series: it is up when every tier is up.
//!
//! ```text
//!   request ──► [ load balancer ] ──► [ application ] ──► [ database ] ──► [ storage ]
//!                 2 replicas,           3 replicas,         1 replica
//!                 1 required            2 required          1 required
//! ```
//!
//! A tier is `replicas` identical components, of which `required` (k of n) must be up
//! for the tier to be up; all of them serve at once (active-active), so a failure is
//! absorbed instantly while k remain. Each tier has one or more [`FailureMode`]s,
//! competing risks with a time to failure (`every`) and a repair time (`repair`), each a
//! [`Distribution`]:
//!
//! - a [`Scope::Replica`] mode hits one replica at a time: each replica has its own
//!   clock, running from the moment it was new or last repaired (a repair is as good as
//!   new, and restarts all of the replica's clocks); the replica is down for the repair;
//! - a [`Scope::Tier`] mode hits the whole tier at once (a bad configuration push, an
//!   expired certificate): the tier has one clock for it, running from the start or
//!   from the end of that mode's last outage, and the tier is down for the repair.
//!
//! Repairs run in parallel, one per failed replica, unless the tier has
//! `repair_crews = r`: then failed replicas queue for r crews, first come, first
//! served. Tier-scope repairs are not queued (they are a rollback, not a hardware
//! repair). Replicas keep ageing while their tier or the service is down.
//!
//! ## A first run
//!
//! ```
//! use nines::{Distribution, FailureMode, Service, Simulation, Tier};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // One database server: a host crash every 1000 h on average, 10 h to repair.
//! let crash = FailureMode::new(
//!     "host crash",
//!     "exp(mean=1000h)".parse::<Distribution>()?,
//!     Distribution::exponential(10.0)?,
//! );
//! let single = Service::new("one server", vec![Tier::builder("database").failure(crash.clone()).build()?])?;
//! // Two servers, either one enough.
//! let pair = Service::new(
//!     "two servers",
//!     vec![Tier::builder("database").replicas(2).required(1).failure(crash).build()?],
//! )?;
//!
//! let simulation = Simulation::new().replications(4000).seed(42);
//! let one = &simulation.run(&single)?.options[0];
//! let two = &simulation.run(&pair)?.options[0];
//! println!("one server:  {:.1} h down per year", one.downtime_hours_per_year.mean);
//! println!("two servers: {:.2} h down per year", two.downtime_hours_per_year.mean);
//!
//! // Steady state: one server is down 10/1010 of the time, two at once about (10/1010)².
//! assert!((one.unavailability.point - 10.0 / 1010.0).abs() < 4.0 * one.unavailability.std_error + 1e-4);
//! assert!(two.downtime_hours_per_year.mean < one.downtime_hours_per_year.mean / 20.0);
//! # Ok(())
//! # }
//! ```
//!
//! The same model as a scenario file, which `nines simulate FILE` runs (see
//! [`Scenario`] for the format and its errors):
//!
//! ```toml
//! name = "single database server"
//! [simulation]
//! horizon = "1y"
//! replications = 100000
//! seed = 42
//! [[tier]]
//! name = "database"
//! replicas = 1
//! [[tier.failure]]
//! name = "host crash"
//! every = "exp(mean=1000h)"
//! repair = "exp(mean=10h)"
//! ```
//!
//! ## What is reported
//!
//! A [`Report`] has one [`OptionReport`] per option (here, one: the service). Each
//! replication is an independent history of `horizon` hours from an as-new start
//! (every replica new and up); "per year" is per replication scaled by 1 y / horizon.
//!
//! - **availability**: Σ uptime / (replications · horizon), with its standard error
//!   (from the spread of the per-replication availabilities) and 95 % interval;
//!   unavailability and nines = −log10(unavailability);
//! - **downtime per year**: mean, standard deviation, P50, P90, P99 and max;
//! - **outages** (maximal intervals with the service down): per year, their duration
//!   (mean, P50, P95, P99, max) and the service MTBF = uptime / outages. An outage
//!   still running at the horizon is cut there and counted in `cut_at_horizon`; an
//!   outage of zero length (a tier down and up at one instant) is not an outage;
//! - **per tier**: its own unavailability, its share of the service downtime (time
//!   when several tiers were down is split equally among them) and its failures per
//!   year.
//!
//! Percentiles come from a log-bucketed histogram and are within 0.2 % of the exact
//! nearest-rank order statistic; maxima and means are exact. Memory does not grow with
//! the replication count.
//!
//! ## Reproducibility
//!
//! A report depends only on the model, the seed, the replication count and the crate
//! version: it is bit-identical whatever the number of threads. Replication `i` draws
//! from random streams keyed by (seed, i, tier, replica, purpose), never by thread;
//! replications run in fixed chunks of [`CHUNK`] whose results are merged in index
//! order. Because every replica has streams of its own, two models run on one seed
//! share their random numbers where they agree (common random numbers).
//!
//! ## Where this crate fixes what DESIGN.md leaves open
//!
//! - Tier-scope failure modes have one clock per tier; their repairs are not queued
//!   for repair crews and do not renew the replicas.
//! - `destroys_data` is parsed but rejected with an error until data loss and backups
//!   are simulated.
//! - A failure mode's `every` must have a positive mean (a zero would fail endlessly
//!   at one instant); a repair may take no time.
//! - Without a seed, runs use [`Simulation::DEFAULT_SEED`]; the report always states
//!   the seed used.

#![deny(missing_docs)]

mod dist;
mod model;
mod report;
mod scenario;
mod sim;
mod stats;

pub use dist::{DistError, Distribution, Hours, format_hours, parse_hours};
pub use model::{Backup, Failover, FailureMode, ModelError, Scope, Service, StandbyFailures, Tier, TierBuilder};
pub use report::{DataLoss, Estimate, FailoverStats, OptionReport, OutageDurations, Rate, Report, Spread, TierReport};
pub use scenario::{Format, Scenario, ScenarioError};
pub use sim::{CHUNK, SimError, Simulation};

/// Hours in a year (365 days): the unit behind "per year" and the `y` duration suffix.
pub const HOURS_PER_YEAR: f64 = 8760.0;
