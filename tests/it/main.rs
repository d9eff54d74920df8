//! Integration tests: validation against exact results, reproducibility, scenario
//! files and their errors, the command line.

mod cli;
mod dist;
mod reproducibility;
mod scenario;
