//! Integration tests: validation against exact results, reproducibility, scenario
//! files and their errors, comparisons, charts, the command line.

mod bounds;
mod chart;
mod cli;
mod compare;
mod coverage;
mod ctmc;
mod dependencies;
mod disruptions;
mod dist;
mod exports;
mod golden;
mod in_service;
mod maintenance;
mod mutate;
mod protection;
mod reproducibility;
mod scenario;
mod shard;
mod sites;
mod validation;
