//! Integration tests: validation against exact results, reproducibility, scenario
//! files and their errors, the command line.

mod cli;
mod ctmc;
mod dist;
mod protection;
mod reproducibility;
mod scenario;
mod validation;
