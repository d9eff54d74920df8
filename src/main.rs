//! The `nines` command-line tool: simulate a scenario file, compare its options, sweep
//! a setting, and write the reports.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use nines::{History, Progress, Report, Scenario, Simulation};

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
    /// Simulate a scenario file (TOML, or JSON if it ends in .json) and print every option in full.
    Simulate(RunArgs),
    /// Compare a scenario's options: ranked by expected yearly cost, SLA met or not, and a recommendation.
    Compare(RunArgs),
    /// Run the baseline once per value of one setting, and compare what each value buys.
    Sweep {
        /// KEY=V1,V2,...: a tier key path and its values, e.g. tier.database.failover.test_every=7d,30d,90d,365d.
        #[arg(long = "set", value_name = "KEY=VALUES")]
        setting: String,
        #[command(flatten)]
        run: RunArgs,
    },
}

#[derive(Args)]
struct RunArgs {
    /// The scenario file.
    file: PathBuf,
    /// Replications (independent histories) per option; with --precision, the cap. Overrides the file.
    #[arg(long, short = 'n')]
    replications: Option<u64>,
    /// Seed; overrides the file's `simulation.seed`.
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: every core). The report is the same for any count.
    #[arg(long)]
    threads: Option<usize>,
    /// Keep adding replications until the 95 % half-width of each option's unavailability is
    /// within this fraction of it (e.g. 0.05), up to the replication count.
    #[arg(long)]
    precision: Option<f64>,
    /// What to print on stdout.
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Also write report.txt, .json, .csv, .md and .html and every chart (SVG and PNG) to this
    /// directory (created if needed); each file is written whole or not at all.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// No progress display (it is shown only when stderr is a terminal).
    #[arg(long, short = 'q')]
    quiet: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// A table for people.
    Table,
    /// One JSON object.
    Json,
    /// One row per option.
    Csv,
    /// Markdown to paste into a report.
    Markdown,
}

/// What a command prints as its table.
#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    /// Every option in full.
    Details,
    /// The ranked comparison.
    Comparison,
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
    let (run, view, setting) = match cli.command {
        Command::Simulate(run) => (run, View::Details, None),
        Command::Compare(run) => (run, View::Comparison, None),
        Command::Sweep { setting, run } => (run, View::Comparison, Some(setting)),
    };
    let mut scenario = Scenario::load(&run.file).map_err(|e| e.to_string())?;
    if let Some(setting) = &setting {
        scenario = scenario.sweep(setting).map_err(|e| e.to_string())?;
    }
    let simulation = settings(scenario.simulation(), &run);
    let show_progress = !run.quiet && std::io::stderr().is_terminal();
    let names: Vec<&str> = scenario.options().iter().map(|o| o.name()).collect();
    let progress = |p: Progress| {
        if show_progress {
            eprint!(
                "\r\x1b[2K[{}/{}] {}: {} of {} replications",
                p.option + 1,
                p.options,
                names[p.option],
                p.done,
                p.planned
            );
        }
    };
    let report = scenario
        .run_with_progress(&simulation, &progress)
        .map_err(|e| e.to_string())?;
    if show_progress {
        eprint!("\r\x1b[2K");
    }
    let table = match view {
        View::Details => report.to_string(),
        View::Comparison => report.comparison_table(),
    };
    if let Some(dir) = &run.out {
        write_reports(dir, &report, &table, &scenario, &simulation)?;
    }
    let text = match run.format.unwrap_or(OutputFormat::Table) {
        OutputFormat::Table => table,
        OutputFormat::Json => json(&report)? + "\n",
        OutputFormat::Csv => report.to_csv(),
        OutputFormat::Markdown => report.to_markdown(),
    };
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|e| format!("cannot write to stdout: {e}"))
}

fn json(report: &Report) -> Result<String, String> {
    serde_json::to_string_pretty(report).map_err(|e| format!("cannot write the report as JSON: {e}"))
}

/// The file's settings with the command line's overrides.
fn settings(file: &Simulation, run: &RunArgs) -> Simulation {
    let mut simulation = file.clone();
    if let Some(replications) = run.replications {
        simulation = simulation.replications(replications);
    }
    if let Some(seed) = run.seed {
        simulation = simulation.seed(seed);
    }
    if let Some(threads) = run.threads {
        simulation = simulation.threads(threads);
    }
    if let Some(precision) = run.precision {
        simulation = simulation.precision(precision);
    }
    simulation
}

/// Simulated years per option drawn in the outage timeline.
const TIMELINE_YEARS: u64 = 3;

/// Writes every format, every chart and the HTML page into `dir`, each through a
/// temporary file renamed into place, so a reader never sees a partial file.
fn write_reports(
    dir: &Path,
    report: &Report,
    table: &str,
    scenario: &Scenario,
    simulation: &Simulation,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let years = (TIMELINE_YEARS as f64 * nines::HOURS_PER_YEAR / simulation.horizon_hours()).ceil() as u64;
    // The run's warm-up, so the timeline shows years of the run itself.
    let simulation = simulation.clone().warm_up(report.warm_up_hours);
    let histories: Vec<Vec<History>> = scenario
        .options()
        .iter()
        .map(|service| simulation.histories(service, 0..years.max(1)))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let charts = nines::chart::all(report, Some(&histories)).map_err(|e| format!("cannot draw the charts: {e}"))?;
    let mut files = vec![
        ("report.txt".to_owned(), table.as_bytes().to_vec()),
        ("report.json".to_owned(), (json(report)? + "\n").into_bytes()),
        ("report.csv".to_owned(), report.to_csv().into_bytes()),
        ("report.md".to_owned(), report.to_markdown().into_bytes()),
        (
            "report.html".to_owned(),
            report.to_html(Some(scenario), &charts).into_bytes(),
        ),
    ];
    for chart in &charts {
        files.push((format!("{}.svg", chart.name()), chart.svg().as_bytes().to_vec()));
        let png = chart
            .png()
            .map_err(|e| format!("cannot draw {}.png: {e}", chart.name()))?;
        files.push((format!("{}.png", chart.name()), png));
    }
    for (name, content) in &files {
        write_atomically(&dir.join(name), content)?;
    }
    if std::io::stderr().is_terminal() {
        eprintln!("wrote {} files to {} (open report.html)", files.len(), dir.display());
    }
    Ok(())
}

fn write_atomically(path: &Path, content: &[u8]) -> Result<(), String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(content)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temporary, path));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write {}: {e}", path.display())
    })
}
