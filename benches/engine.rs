//! Engine speed: CPU time per simulated year of each benchmarked model on one thread,
//! from an as-new start and in service (the default, whose warm-up is simulated too),
//! and the cost of one exponential draw for scale.
//!
//! Run with `cargo bench --bench engine`. Each benchmark simulates `YEARS` measured
//! years per option, so criterion's throughput (elements/s) is simulated years per
//! second per option; the events per year of each model are printed first, so the
//! time per event can be compared with `exponential draw` measured in the same run.
//! Last, for the two exponential models, the cost of an event in draws is printed from
//! the two timed in turn, which a drift of the machine's speed does not move.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nines::{Distribution, FailureMode, Scenario, Service, Simulation, Start, Tier};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

const YEARS: u64 = 20_480;

fn scenario(name: &str) -> Scenario {
    Scenario::load(format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"))).expect("a shipped scenario")
}

fn exp(mean: f64) -> Distribution {
    Distribution::exponential(mean).expect("valid")
}

/// One database server: exponential failures with a mean of 1000 h, repairs of 10 h.
fn one_unit() -> Vec<Service> {
    let crash = FailureMode::new("host crash", exp(1000.0), exp(10.0));
    let database = Tier::builder("database").with_failure(crash).build().expect("valid");
    vec![Service::new("one unit", vec![database]).expect("valid")]
}

/// The same server twice, either enough.
fn one_of_two() -> Vec<Service> {
    let crash = FailureMode::new("host crash", exp(1000.0), exp(10.0));
    let database = Tier::builder("database")
        .with_replicas(2)
        .with_failure(crash)
        .build()
        .expect("valid");
    vec![Service::new("1 of 2", vec![database]).expect("valid")]
}

/// Three of five, with Weibull and lognormal modes.
fn three_of_five() -> Vec<Service> {
    let parse = |text: &str| text.parse::<Distribution>().expect("valid");
    let storage = Tier::builder("storage")
        .with_replicas(5)
        .with_required(3)
        .with_failure(FailureMode::new(
            "disk",
            parse("weibull(shape=1.5, scale=2000h)"),
            parse("lognormal(median=6h, sigma=0.8)"),
        ))
        .with_failure(FailureMode::new(
            "controller",
            parse("lognormal(median=4000h, sigma=1)"),
            parse("lognormal(median=2h, sigma=0.5)"),
        ))
        .build()
        .expect("valid");
    vec![Service::new("3 of 5", vec![storage]).expect("valid")]
}

fn engine(c: &mut Criterion) {
    let models: Vec<(&str, Vec<Service>)> = vec![
        ("one unit", one_unit()),
        ("1 of 2", one_of_two()),
        ("drilled failover", scenario("db-failover-drilled").options().to_vec()),
        ("backup only", scenario("db-backup-only").options().to_vec()),
        ("3 of 5 weibull lognormal", three_of_five()),
        ("EHR options", scenario("ehr").options().to_vec()),
    ];
    let mut group = c.benchmark_group("engine");
    group.sample_size(20);
    for (name, options) in &models {
        for start in [Start::New, Start::Steady] {
            let simulation = Simulation::new()
                .with_replications(YEARS)
                .with_seed(42)
                .with_threads(1)
                .with_start(start);
            let report = simulation.run_options(name, options).expect("runs");
            let events: f64 =
                report.options.iter().map(|o| o.events_per_replication).sum::<f64>() / report.options.len() as f64;
            eprintln!(
                "{name}, start {}: {events:.2} events per measured year per option; warm-up {:.0} h, {} years per history",
                start.as_str(),
                report.warm_up_hours,
                report.windows_per_history
            );
            group.throughput(Throughput::Elements(YEARS * options.len() as u64));
            group.bench_function(format!("{name}, start {}", start.as_str()), |b| {
                b.iter(|| black_box(simulation.run_options(name, black_box(options)).expect("runs")))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("baseline");
    group.throughput(Throughput::Elements(DRAWS));
    let exponential = exp(1000.0);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    group.bench_function("exponential draw", |b| b.iter(|| draws(&exponential, &mut rng)));
    group.finish();

    // The same two, timed in turn: the ratio of each pair is measured within
    // milliseconds, so that the machine's speed, which drifts on a shared machine,
    // cancels.
    for (name, options) in &models[..2] {
        draws_per_event(name, options);
    }
}

/// Exponential draws in the baseline.
const DRAWS: u64 = 10_000;

/// `DRAWS` draws of `exponential`, summed.
fn draws(exponential: &Distribution, rng: &mut Xoshiro256PlusPlus) -> f64 {
    let mut sum = 0.0;
    for _ in 0..DRAWS {
        sum += exponential.sample(rng);
    }
    black_box(sum)
}

/// What an event of `options` costs in exponential draws: a run of the model (as the
/// benchmark above, `start = "new"`) and 100 rounds of draws, timed in turn 31 times,
/// and the median of the 31 ratios.
fn draws_per_event(name: &str, options: &[Service]) {
    let simulation = Simulation::new()
        .with_replications(YEARS)
        .with_seed(42)
        .with_threads(1)
        .with_start(Start::New);
    let report = simulation.run_options(name, options).expect("runs");
    let events = report.options.iter().map(|o| o.events_per_replication).sum::<f64>();
    let exponential = exp(1000.0);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    const ROUNDS: u64 = 100;
    let mut ratios: Vec<f64> = (0..31)
        .map(|_| {
            let start = Instant::now();
            black_box(simulation.run_options(name, black_box(options)).expect("runs"));
            let per_event = start.elapsed().as_secs_f64() / (YEARS as f64 * events);
            let start = Instant::now();
            for _ in 0..ROUNDS {
                draws(&exponential, &mut rng);
            }
            let per_draw = start.elapsed().as_secs_f64() / (ROUNDS * DRAWS) as f64;
            per_event / per_draw
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    eprintln!(
        "{name}, start new: an event costs {:.2} exponential draws (the median of 31 pairs; \
         the middle half {:.2} to {:.2})",
        ratios[15], ratios[8], ratios[23]
    );
}

criterion_group! {
    name = benches;
    // No plots: they need system fonts, and the figures are what matters.
    config = Criterion::default().without_plots();
    targets = engine
}
criterion_main!(benches);
