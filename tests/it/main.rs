//! Integration tests: validation against exact results, reproducibility, scenario
//! files and their errors, comparisons, charts, the command line. The charts' tests
//! need the `charts` feature, and those of the command line (and of what only it does,
//! such as shards run as processes) the `cli` feature.

mod bounds;
#[cfg(feature = "charts")]
mod chart;
#[cfg(feature = "cli")]
mod cli;
mod compare;
mod coverage;
mod ctmc;
mod dependencies;
mod disruptions;
mod dist;
mod exports;
#[cfg(feature = "cli")]
mod golden;
mod in_service;
mod maintenance;
mod mutate;
mod paired;
mod protection;
mod reproducibility;
mod scenario;
mod shard;
mod sites;
mod validation;
