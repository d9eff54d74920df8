//! The `nines` command-line tool: simulate a scenario file, compare its options, sweep
//! a setting, and write the reports.

mod cli;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use nines::{History, Progress, Report, Scenario, ScenarioSource, Shard, Simulation};

/// The most worker threads a run may ask for: more only costs memory and start-up
/// time on any machine this runs on (the report is the same for any count).
const MAX_THREADS: usize = 1024;

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
    /// Compare a scenario's options: ranked by expected yearly cost, each against the recommended one on the same simulated years (a paired difference with its 95 % margin), the SLA verdict, and a recommendation that says when the numbers cannot separate it from the runner-up.
    Compare(RunArgs),
    /// Vary one setting of the baseline (the top-level tiers), or of --option: run it once per value, and
    /// compare what each value buys.
    Sweep {
        /// KEY=V1,V2,...: a key of one of the tiers and its values, e.g. tier.database.backup.every=1h,6h,1d
        /// or tier.database.failover.test_every=7d,30d,90d (a failover tier). A value that makes an invalid
        /// model is skipped with a warning; the others run.
        #[arg(long = "set", value_name = "KEY=VALUES")]
        setting: String,
        /// Sweep this option's setting (by name) instead of the baseline's.
        #[arg(long, value_name = "NAME")]
        option: Option<String>,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Find the single points of failure: run the model again with each tier, dependency and site
    /// perfect (on the same random numbers), and rank them by the downtime (and money) a year each
    /// would save; with each one's own downtime (while nothing it stands on was down) and its share
    /// of the service's downtime.
    Spof(SpofArgs),
    /// Run one shard of a run, for a batch cluster: shard I of N runs a fixed, contiguous share of the
    /// replications of every option and writes a shard file; `nines merge` turns all N into the report
    /// `nines simulate` would have printed, bit for bit.
    #[command(after_help = "Examples:\n  \
        nines shard scenarios/ehr.toml --of 8 --index 3 --output shards/3.json\n  \
        in a Slurm job array (sbatch --array=0-7): nines shard scenarios/ehr.toml --of 8 --output shards/$SLURM_ARRAY_TASK_ID.json\n  \
        then: nines merge shards/*.json")]
    Shard(ShardArgs),
    /// Merge the shard files of one run into its report, printed (and written with --out) exactly as
    /// `nines simulate` (or `compare`, `sweep`: --view) prints it for a single-process run.
    Merge(MergeArgs),
}

/// `nines shard`: one shard of a run.
#[derive(Args)]
struct ShardArgs {
    /// The scenario file.
    file: PathBuf,
    /// How many shards the run is split into, 1 to 1000000 (more shards than chunks of 1024
    /// replications leaves some empty; they still have to be merged).
    #[arg(long, value_name = "N", value_parser = parse_shard_count)]
    of: u64,
    /// This shard's index, 0 to N - 1. Default: $SLURM_ARRAY_TASK_ID (a Slurm job array), else
    /// $JOB_COMPLETION_INDEX (a Kubernetes indexed Job).
    #[arg(long, value_name = "I", value_parser = parse_shard_index)]
    index: Option<u64>,
    /// Where to write the shard file (written whole or not at all; its directory is created).
    #[arg(long, value_name = "PATH")]
    output: PathBuf,
    #[command(flatten)]
    counts: Counts,
    /// Not for shards: a precision target needs the whole run. Give a replication count (-n).
    #[arg(long, value_name = "FRACTION", allow_hyphen_values = true)]
    precision: Option<String>,
    /// Shard a sweep: KEY=V1,V2,... as for `nines sweep --set`.
    #[arg(long = "set", value_name = "KEY=VALUES")]
    setting: Option<String>,
    /// With --set: sweep this option's setting (by name) instead of the baseline's.
    #[arg(long, value_name = "NAME", requires = "setting")]
    option: Option<String>,
}

/// `nines merge`: shard files into a report.
#[derive(Args)]
struct MergeArgs {
    /// The shard files of one run, every one of them, in any order.
    #[arg(required = true, value_name = "PATH")]
    shards: Vec<PathBuf>,
    /// What to print on stdout.
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Also write report.txt, .json, .csv, .md and .html and every chart (SVG and PNG) to this
    /// directory, as `nines simulate --out` does.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Which command's table to print: simulate (every option in full) or compare (the ranked
    /// comparison; sweep prints the same). Default: sweep for shards of a sweep, else simulate.
    #[arg(long, value_enum)]
    view: Option<MergeView>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MergeView {
    /// Every option in full, as `nines simulate`.
    Simulate,
    /// The ranked comparison, as `nines compare`.
    Compare,
    /// The comparison of the swept values, as `nines sweep`.
    Sweep,
}

/// `nines spof`: the model's components, each run again perfect.
#[derive(Args)]
struct SpofArgs {
    /// The scenario file.
    file: PathBuf,
    /// The option to examine, by name (default: the baseline, the top-level tiers).
    #[arg(long, value_name = "NAME")]
    option: Option<String>,
    #[command(flatten)]
    counts: Counts,
    /// Print JSON (`{"importance": [...]}`) instead of lines for people.
    #[arg(long)]
    json: bool,
    /// Also write the option's report to this directory, with its importance: report.txt (these lines),
    /// .json (key `importance` of the option), .csv, .md, .html (a section "Single points of failure")
    /// and every chart (the `importance` chart among them) as SVG and PNG, as one set: all of them
    /// replace what it held, or none (it must be new, empty, or hold only files nines wrote).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// How much to run, on how many threads: what every command takes.
#[derive(Args)]
struct Counts {
    /// Replications (independent histories) per option, the cap with --precision; overrides the file.
    #[arg(long, short = 'n', allow_hyphen_values = true, value_parser = parse_replications)]
    replications: Option<u64>,
    /// Seed, a whole number from 0 to 18446744073709551615; overrides the file's `simulation.seed`.
    #[arg(long, allow_hyphen_values = true, value_parser = parse_seed)]
    seed: Option<u64>,
    /// Worker threads, 1 to 1024 (default: every core). The result is the same for any count.
    #[arg(long, allow_hyphen_values = true, value_parser = parse_threads)]
    threads: Option<usize>,
}

impl Counts {
    /// The file's settings with these applied.
    fn apply(&self, file: &Simulation) -> Simulation {
        let mut simulation = file.clone();
        if let Some(replications) = self.replications {
            simulation = simulation.with_replications(replications);
        }
        if let Some(seed) = self.seed {
            simulation = simulation.with_seed(seed);
        }
        if let Some(threads) = self.threads {
            simulation = simulation.with_threads(threads);
        }
        simulation
    }
}

#[derive(Args)]
struct RunArgs {
    /// The scenario file.
    file: PathBuf,
    #[command(flatten)]
    counts: Counts,
    /// Keep adding replications until the 95 % half-width of each option's unavailability is
    /// within this fraction of it (e.g. 0.05), up to the replication count.
    #[arg(long, allow_hyphen_values = true, value_parser = parse_precision)]
    precision: Option<f64>,
    /// What to print on stdout.
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Also write report.txt, .json, .csv, .md and .html and every chart (SVG and PNG) to this
    /// directory, as one set: all of them replace what it held, or none (it must be new, empty,
    /// or hold only files nines wrote).
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
        Command::Spof(args) => return spof(&args),
        Command::Shard(args) => return shard(&args),
        Command::Merge(args) => return merge(&args),
        Command::Simulate(run) => (run, View::Details, None),
        Command::Compare(run) => (run, View::Comparison, None),
        Command::Sweep { setting, option, run } => (run, View::Comparison, Some((setting, option))),
    };
    let mut scenario = Scenario::load(&run.file).map_err(|e| e.to_string())?;
    if let Some((setting, option)) = &setting {
        scenario = match option {
            Some(option) => scenario.sweep_option(option, setting),
            None => scenario.sweep(setting),
        }
        .map_err(|e| e.to_string())?;
    }
    let simulation = settings(scenario.simulation(), &run);
    let names = scenario.options().iter().map(|o| o.name().to_owned()).collect();
    let years = simulation.horizon() / nines::HOURS_PER_YEAR;
    let events = scenario
        .options()
        .iter()
        .map(|o| o.expected_events_per_year() * years * simulation.replications() as f64)
        .sum();
    let display = cli::progress::Display::new(
        names,
        simulation.replications(),
        events,
        std::io::stderr().is_terminal(),
        run.quiet,
    );
    let progress = |p: Progress| display.update(p);
    let report = scenario.run_with_progress(&simulation, &progress);
    display.finish();
    let report = report.map_err(|e| e.to_string())?;
    let out = run.out.as_deref().map(|dir| (dir, &scenario, &simulation));
    emit(&report, view, run.format, out)
}

/// Prints `report` as `view` in `format`, and writes every file to the directory of
/// `out` (with the scenario and settings it came from).
fn emit(
    report: &Report,
    view: View,
    format: Option<OutputFormat>,
    out: Option<(&Path, &Scenario, &Simulation)>,
) -> Result<(), String> {
    let table = match view {
        View::Details => report.to_string(),
        View::Comparison => report.comparison_table(),
    };
    // The files first, then stdout whatever became of them: a failed write loses no run.
    let written = match out {
        Some((dir, scenario, simulation)) => {
            write_reports(dir, report, &table, scenario, scenario.options(), simulation)
        }
        None => Ok(()),
    };
    let text = match format.unwrap_or(OutputFormat::Table) {
        OutputFormat::Table => table,
        OutputFormat::Json => json(report)? + "\n",
        OutputFormat::Csv => report.to_csv(),
        OutputFormat::Markdown => report.to_markdown(),
    };
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|e| format!("cannot write to stdout: {e}"))?;
    written.map_err(|e| format!("{e}; the report went to stdout"))
}

/// `nines shard`: runs one shard and writes its file.
fn shard(args: &ShardArgs) -> Result<(), String> {
    if args.precision.is_some() {
        return Err(
            "--precision: a shard cannot stop at a precision target, which needs the whole run (whether it is reached \
             depends on every shard); give a replication count instead, e.g. -n 1000000"
                .to_owned(),
        );
    }
    let index = shard_index(args.index, args.of, |name| std::env::var(name).ok())?;
    let origin = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file).map_err(|e| format!("cannot read {origin}: {e}"))?;
    let is_json = args.file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let format = if is_json {
        nines::Format::Json
    } else {
        nines::Format::Toml
    };
    let mut source = ScenarioSource::new(&origin, format, text);
    if let Some(setting) = &args.setting {
        source = source.with_sweep(setting, args.option.clone());
    }
    let scenario = source.scenario().map_err(|e| e.to_string())?;
    let simulation = args.counts.apply(scenario.simulation());
    let shard = scenario
        .run_shard(&simulation, index, args.of)
        .map_err(|e| e.to_string())?
        .with_source(source);
    write_whole(&args.output, shard.to_json().as_bytes())?;
    let range = shard.replications();
    eprintln!(
        "nines: shard {index} of {} (replications {} to {}) written to {}",
        args.of,
        range.start,
        range.end,
        args.output.display()
    );
    Ok(())
}

/// The shard index: `--index`, else `$SLURM_ARRAY_TASK_ID`, else `$JOB_COMPLETION_INDEX`
/// (read with `var`), below `of`.
fn shard_index(given: Option<u64>, of: u64, var: impl Fn(&str) -> Option<String>) -> Result<u64, String> {
    const VARS: [&str; 2] = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];
    let (index, from) = match given {
        Some(index) => (index, "--index".to_owned()),
        None => {
            let Some((name, value)) = VARS.iter().find_map(|name| var(name).map(|v| (*name, v))) else {
                return Err(format!(
                    "--index is not given, and neither SLURM_ARRAY_TASK_ID (set in a Slurm job array) nor \
                     JOB_COMPLETION_INDEX (set in a Kubernetes indexed Job) is set: give --index I (0 to {})",
                    of - 1
                ));
            };
            let index = parse_shard_index(&value).map_err(|e| format!("{name} is \"{value}\": {e}"))?;
            (index, format!("${name}"))
        }
    };
    if index >= of {
        return Err(format!(
            "{from} is {index}, but the shards of a run split in {of} are numbered 0 to {}: start the job array at 0 \
             (sbatch --array=0-{}), or split in more shards (--of)",
            of - 1,
            of - 1
        ));
    }
    Ok(index)
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file beside it,
/// synced, then renamed over it.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let shown = path.display();
    let Some(name) = path.file_name() else {
        return Err(format!(
            "cannot write {shown}: --output must name a file, e.g. --output shards/0.json"
        ));
    };
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let temporary = parent.join(format!(".{}.nines-{}.tmp", name.to_string_lossy(), std::process::id()));
    let written = std::fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temporary, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(format!("cannot write {shown}: {e}; nothing was written there"));
    }
    Ok(())
}

/// `nines merge`: shard files into the report.
fn merge(args: &MergeArgs) -> Result<(), String> {
    let shards = args
        .shards
        .iter()
        .map(Shard::load)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let report = Shard::merge(&shards).map_err(|e| e.to_string())?;
    let sweep = shards[0].is_sweep();
    let view = match args.view {
        Some(MergeView::Simulate) => View::Details,
        Some(MergeView::Compare | MergeView::Sweep) => View::Comparison,
        None if sweep => View::Comparison,
        None => View::Details,
    };
    let Some(dir) = &args.out else {
        return emit(&report, view, args.format, None);
    };
    let scenario = shards[0].scenario().map_err(|e| e.to_string())?.ok_or_else(|| {
        format!(
            "--out: {} does not hold the scenario file it was run from, which the charts and report.html need; \
                 merge without --out, or run the shards with `nines shard`",
            args.shards[0].display()
        )
    })?;
    let simulation = shards[0].simulation();
    emit(&report, view, args.format, Some((dir, &scenario, &simulation)))
}

/// `--of`: 1 to [`nines::MAX_SHARDS`].
fn parse_shard_count(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if (1..=nines::MAX_SHARDS).contains(&n) => Ok(n),
        _ => Err(format!(
            "the shard count must be a whole number from 1 to {}, e.g. --of 8",
            nines::MAX_SHARDS
        )),
    }
}

/// `--index` (or its variable): a whole number from 0.
fn parse_shard_index(text: &str) -> Result<u64, String> {
    text.trim()
        .parse()
        .map_err(|_| "a shard index must be a whole number from 0 to the shard count - 1, e.g. --index 0".to_owned())
}

/// `--seed`: clap alone suggests `-- -1` for `--seed -1`, which is no seed either.
fn parse_seed(text: &str) -> Result<u64, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("the seed must be a whole number from 0 to {}, e.g. --seed 42", u64::MAX))
}

/// `--replications`: a whole number of at least 1.
fn parse_replications(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("the replication count must be a whole number of at least 1, e.g. -n 10000".to_owned()),
    }
}

/// `--threads`: 1 to [`MAX_THREADS`].
fn parse_threads(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(format!(
            "the thread count must be a whole number from 1 to {MAX_THREADS} (more only costs memory; the \
             report is the same for any count), or leave --threads out to use every core"
        )),
    }
}

/// `--precision`: a positive fraction.
fn parse_precision(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(p) if p.is_finite() && p > 0.0 => Ok(p),
        _ => Err(
            "the precision must be a positive fraction of the unavailability, e.g. --precision 0.05 for ±5 %"
                .to_owned(),
        ),
    }
}

fn json(report: &Report) -> Result<String, String> {
    serde_json::to_string_pretty(report).map_err(|e| format!("cannot write the report as JSON: {e}"))
}

/// `nines spof`: each component's importance, ranked.
fn spof(args: &SpofArgs) -> Result<(), String> {
    let scenario = Scenario::load(&args.file).map_err(|e| e.to_string())?;
    let service = match &args.option {
        None => scenario.service(),
        Some(name) => scenario.options().iter().find(|o| o.name() == name).ok_or_else(|| {
            let known: Vec<&str> = scenario.options().iter().map(|o| o.name()).collect();
            format!("--option: there is no option named \"{name}\": the options are {known:?}")
        })?,
    };
    // A precision target in the file is not used: every run has the replication count.
    let simulation = args.counts.apply(scenario.simulation());
    let importance = simulation.importance(service).map_err(|e| e.to_string())?;
    let currency = simulation.costs().map_or("", |c| c.currency());
    let mut text = format!(
        "{}: what each component's failures cost \"{}\" ({} replications, seed {}; ± 95 % of the paired difference)\n\n",
        scenario.name(),
        service.name(),
        nines::format_money(simulation.replications() as f64, ""),
        simulation.seed()
    );
    if importance.is_empty() {
        text.push_str("  nothing in the model can fail\n");
    }
    for item in &importance {
        text.push_str(&format!("  {}\n", item.describe(currency)));
    }
    // The files first, then stdout whatever became of them: a failed write loses no run.
    let written = match &args.out {
        Some(dir) => {
            let services = std::slice::from_ref(service);
            simulation
                .run_options(scenario.name(), services)
                .map_err(|e| e.to_string())
                .and_then(|mut report| {
                    report.options[0].importance = Some(importance.clone());
                    write_reports(dir, &report, &text, &scenario, services, &simulation)
                })
        }
        None => Ok(()),
    };
    if args.json {
        let json = serde_json::json!({
            "scenario": scenario.name(),
            "option": service.name(),
            "replications": simulation.replications(),
            "seed": simulation.seed(),
            "importance": importance,
        });
        text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())? + "\n";
    }
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(|e| format!("cannot write to stdout: {e}"))?;
    written.map_err(|e| format!("{e}; the importance went to stdout"))
}

/// The file's settings with the command line's overrides.
fn settings(file: &Simulation, run: &RunArgs) -> Simulation {
    let mut simulation = run.counts.apply(file);
    if let Some(precision) = run.precision {
        simulation = simulation.with_precision(precision);
    }
    simulation
}

/// Simulated years per option drawn in the outage timeline.
const TIMELINE_YEARS: u64 = 3;
/// The most histories per option simulated for the outage timeline, whatever the
/// horizon: three years of one-second histories would be 94.6 million.
const TIMELINE_MAX_HISTORIES: u64 = 400;
/// The timeline's median, P90 and worst years are those of this many simulated years.
const TIMELINE_NOTABLE_OF: u64 = 1_000;

/// Writes every format, every chart and the HTML page into `dir` as one set (see
/// [`cli::output`]): a reader sees the whole previous set or the whole new one.
/// `services` are the report's options, in its order (for the timeline).
fn write_reports(
    dir: &Path,
    report: &Report,
    table: &str,
    scenario: &Scenario,
    services: &[nines::Service],
    simulation: &Simulation,
) -> Result<(), String> {
    // `as u64` saturates (NaN to 0), and the count is bounded either way.
    let wanted = (TIMELINE_YEARS as f64 * nines::HOURS_PER_YEAR / simulation.horizon()).ceil() as u64;
    let count = wanted.clamp(1, TIMELINE_MAX_HISTORIES);
    // The run's warm-up, so the timeline shows years of the run itself.
    let simulation = simulation.clone().with_warm_up(report.warm_up_hours);
    // Years of a year or more: the median, P90 and worst of many, so that the rare bad
    // year the report is about shows; shorter windows: enough in a row to fill a year.
    let histories: Vec<Vec<History>> = services
        .iter()
        .map(|service| {
            if simulation.horizon() >= nines::HOURS_PER_YEAR {
                simulation.notable_histories(service, TIMELINE_NOTABLE_OF)
            } else {
                simulation.histories(service, 0..count)
            }
        })
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
    cli::output::write_set(dir, &files)?;
    if std::io::stderr().is_terminal() {
        eprintln!("wrote {} files to {} (open report.html)", files.len(), dir.display());
    }
    Ok(())
}
