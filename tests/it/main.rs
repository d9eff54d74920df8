//! Integration tests: validation against exact results, reproducibility, scenario
//! files and their errors, the command line.

mod cli;
mod compare;
mod ctmc;
mod dist;
mod golden;
mod reproducibility;
mod scenario;
mod validation;
