//! Engine speed: CPU time per simulated replication-year of the reference model
//! (one unit, exponential failures with mean 1000 h and repairs with mean 10 h, horizon
//! one year), and the same cost per simulated event relative to one exponential draw.
//!
//! Run with `cargo bench --bench engine`. Divide the `replication-year` time by the
//! events per replication printed at the start to get the time per event, and compare
//! it with `exponential draw` measured in the same run.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nines::{Distribution, FailureMode, Service, Simulation, Tier};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

const REPLICATIONS: u64 = 20_000;

fn reference_service() -> Service {
    let crash = FailureMode::new(
        "host crash",
        Distribution::exponential(1000.0).expect("valid"),
        Distribution::exponential(10.0).expect("valid"),
    );
    let database = Tier::builder("database").failure(crash).build().expect("valid");
    Service::new("single database server", vec![database]).expect("valid")
}

fn engine(c: &mut Criterion) {
    let service = reference_service();
    let simulation = Simulation::new().replications(REPLICATIONS).seed(42).threads(1);
    let report = simulation.run(&service).expect("runs");
    eprintln!(
        "reference model: {:.2} events per replication-year",
        report.options[0].events_per_replication
    );

    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(REPLICATIONS));
    group.bench_function("replication-year, one thread", |b| {
        b.iter(|| black_box(simulation.run(black_box(&service)).expect("runs")))
    });
    group.finish();

    let exponential = Distribution::exponential(1000.0).expect("valid");
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let mut group = c.benchmark_group("baseline");
    const DRAWS: u64 = 10_000;
    group.throughput(Throughput::Elements(DRAWS));
    group.bench_function("exponential draw", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for _ in 0..DRAWS {
                sum += exponential.sample(&mut rng);
            }
            black_box(sum)
        })
    });
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
