//! Integration tests: validation against exact results, reproducibility, scenario
//! files and their errors, the command line.

mod cli;
mod ctmc;
mod dist;
mod reproducibility;
mod scenario;
mod validation;
