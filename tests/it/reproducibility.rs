//! The reproducibility contract: a report depends only on the model, the seed and the
//! replication count, never on the thread count or on the run.

use nines::{Distribution, FailureMode, Scope, Service, Simulation, Tier};

/// A model that exercises every event kind: replica failures with two competing modes,
/// queued repairs, a tier-scope mode and several tiers.
fn service() -> Service {
    let exp = |mean| Distribution::exponential(mean).expect("valid mean");
    let app = Tier::builder("application")
        .with_replicas(3)
        .with_required(2)
        .with_repair_crews(1)
        .with_failure(FailureMode::new("crash", exp(300.0), exp(8.0)))
        .with_failure(FailureMode::new(
            "disk",
            Distribution::weibull(1.5, 2000.0).expect("valid"),
            "lognormal(median=6h, sigma=0.8)".parse().expect("valid"),
        ))
        .with_failure(FailureMode::new("bad deploy", exp(1500.0), exp(1.0)).with_scope(Scope::Tier))
        .build()
        .expect("valid tier");
    let db = Tier::builder("database")
        .with_failure(FailureMode::new("crash", exp(2000.0), exp(4.0)))
        .build()
        .expect("valid tier");
    Service::new("reproducible", vec![app, db]).expect("valid service")
}

fn json(simulation: &Simulation) -> String {
    let report = simulation.run(&service()).expect("runs");
    serde_json::to_string(&report).expect("serialises")
}

#[test]
fn same_seed_gives_identical_json() {
    // 5000 is not a multiple of the chunk size: the last chunk is partial.
    let simulation = Simulation::new().with_replications(5000).with_seed(11);
    assert_eq!(json(&simulation), json(&simulation));
}

#[test]
fn thread_count_does_not_change_the_report() {
    let simulation = Simulation::new().with_replications(5000).with_seed(12);
    let one = json(&simulation.clone().with_threads(1));
    assert_eq!(one, json(&simulation.clone().with_threads(2)), "1 vs 2 threads");
    assert_eq!(one, json(&simulation.with_threads(4)), "1 vs 4 threads");
}

#[test]
fn another_seed_gives_another_report() {
    let a = json(&Simulation::new().with_replications(2000).with_seed(1));
    let b = json(&Simulation::new().with_replications(2000).with_seed(2));
    assert_ne!(a, b);
}

#[test]
fn failover_drills_backups_and_restores_are_the_same_on_any_thread_count() {
    // The EHR options: failover with latent standbys and drills, backups, restores
    // through bad backups, losses for good, queued repairs, tier-wide modes; in service
    // (a warm-up, several years per history) and from new.
    let scenario = nines::Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ehr.toml")).expect("loads");
    for start in [nines::Start::Steady, nines::Start::New] {
        let simulation = scenario
            .simulation()
            .clone()
            .with_replications(5000)
            .with_seed(13)
            .with_start(start);
        let json = |threads: usize| {
            let report = scenario
                .run_with(&simulation.clone().with_threads(threads))
                .expect("runs");
            assert!(report.options.iter().any(|o| o.restore_events_per_year.mean > 0.0));
            assert!(report.options.iter().any(|o| o.failover.latent_found_per_year > 0.0));
            assert!(
                report
                    .options
                    .iter()
                    .any(|o| o.unrecoverable_events_per_year.mean > 0.0)
            );
            serde_json::to_string(&report).expect("serialises")
        };
        let one = json(1);
        assert_eq!(one, json(2), "{start:?}: 1 vs 2 threads");
        assert_eq!(one, json(4), "{start:?}: 1 vs 4 threads");
    }
}
