//! The `nines` command-line tool: simulate a scenario file and print what it costs in
//! downtime.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use nines::{Scenario, Simulation};

#[derive(Parser)]
#[command(
    name = "nines",
    version,
    about = "Simulate how systems fail and recover, and what each way of surviving failures buys"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario file (TOML, or JSON if it ends in .json) and print its report.
    Simulate {
        /// The scenario file.
        file: PathBuf,
        /// Replications (independent histories); overrides the file's `simulation.replications`.
        #[arg(long, short = 'n')]
        replications: Option<u64>,
        /// Seed; overrides the file's `simulation.seed`.
        #[arg(long)]
        seed: Option<u64>,
        /// Worker threads (default: every core). The report is the same for any count.
        #[arg(long)]
        threads: Option<usize>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// A table for people.
    Table,
    /// One JSON object on stdout.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Simulate {
            file,
            replications,
            seed,
            threads,
            format,
        } => {
            let scenario = Scenario::load(&file).map_err(|e| e.to_string())?;
            let simulation = settings(scenario.simulation(), replications, seed, threads);
            let report = scenario.run_with(&simulation).map_err(|e| e.to_string())?;
            match format {
                OutputFormat::Table => print!("{report}"),
                OutputFormat::Json => {
                    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
                    println!("{json}");
                }
            }
            Ok(())
        }
    }
}

/// The file's settings with the command line's overrides.
fn settings(file: &Simulation, replications: Option<u64>, seed: Option<u64>, threads: Option<usize>) -> Simulation {
    let mut simulation = file.clone();
    if let Some(replications) = replications {
        simulation = simulation.replications(replications);
    }
    if let Some(seed) = seed {
        simulation = simulation.seed(seed);
    }
    if let Some(threads) = threads {
        simulation = simulation.threads(threads);
    }
    simulation
}
