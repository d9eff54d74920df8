//! A system in service, losses for good, and random streams keyed by names.
//!
//! With the default start, each history runs a warm-up that is simulated but not
//! measured: the windows measure the system in its steady (or, with drills, periodic)
//! regime, so steady-state exact values apply. Tolerances as in `validation.rs`:
//! `|estimate − exact| ≤ 4·se`, fixed seeds; `cargo test --release --test it
//! in_service -- --nocapture` prints every comparison with its z-score.

use nines::{
    Distribution, Failover, FailureMode, Format, HOURS_PER_YEAR, Scenario, Service, Simulation, StandbyFailures, Start,
    Tier,
};

use crate::ctmc::{evolve, generator, integrated_occupancy, steady_state};
use crate::validation::{assert_close, exponential};

fn scenarios() -> Vec<(String, Scenario)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("the scenarios directory")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path.file_stem().expect("a name").to_string_lossy().into_owned();
            (name, Scenario::load(&path).expect("a shipped scenario loads"))
        })
        .collect()
}

#[test]
fn a_single_unit_in_service_is_unavailable_mttr_over_mttf_plus_mttr() {
    // Exponential unit, MTTF 1000 h, MTTR 10 h, one-year windows of a unit in
    // service: U = MTTR/(MTTF + MTTR) exactly, not the as-new interval value (lower by
    // λ/((λ+μ)²·T)·(1 − e^{−(λ+μ)T}) ≈ 1.1e-5, about one standard error here).
    let crash = FailureMode::new("crash", exponential(1000.0), exponential(10.0));
    let service = Service::new(
        "unit",
        vec![Tier::builder("db").with_failure(crash).build().expect("valid")],
    )
    .expect("valid service");
    let report = Simulation::new()
        .with_replications(200_000)
        .with_seed(31)
        .run(&service)
        .expect("runs");
    assert!(report.warm_up_hours > 0.0, "the default start is in service");
    let u = report.options[0].unavailability;
    let exact = 10.0 / 1010.0;
    assert_close("single unit in service: unavailability", u.mean, u.std_error, exact);
    let transient = 0.001 / (0.101 * 0.101 * HOURS_PER_YEAR);
    println!(
        "the as-new value is lower by {transient:.3e}: {:.1} se",
        transient / u.std_error
    );
}

/// The chain of two active replicas whose host failures (rate `lh`, repair rate `mh`)
/// keep the data and whose disk losses (rate `ld`, rebuilt at rate `md`) destroy it,
/// with no backup. States: `(ok, a, b)` with each replica Up, in Host repair or in
/// Disk rebuild, and `(lost, x, o)`: the data lost for good, replica `x` rebuilding
/// it from nothing (the destroying mode's repair), the other `o` Up (healthy but
/// holding nothing), in Host repair or in Disk repair. A disk loss is a loss for good
/// when the other replica is not up; the tier is down in every lost state, whatever
/// the other replica does, until the rebuild ends.
fn rebuild_chain(lh: f64, mh: f64, ld: f64, md: f64) -> (Vec<Vec<f64>>, Vec<bool>) {
    let kinds = ['U', 'H', 'D'];
    let ok = |a: usize, b: usize| 3 * a + b;
    let lost = |x: usize, o: usize| 9 + 3 * x + o;
    let mut transitions = Vec::new();
    for a in 0..3 {
        for b in 0..3 {
            let state = [a, b];
            for i in 0..2 {
                let other = state[1 - i];
                let with = |kind: usize| {
                    let mut next = state;
                    next[i] = kind;
                    ok(next[0], next[1])
                };
                match kinds[state[i]] {
                    'U' => {
                        transitions.push((ok(a, b), with(1), lh));
                        if other == 0 {
                            transitions.push((ok(a, b), with(2), ld)); // rebuilt from the other
                        } else {
                            transitions.push((ok(a, b), lost(i, other), ld));
                        }
                    }
                    'H' => transitions.push((ok(a, b), with(0), mh)),
                    _ => transitions.push((ok(a, b), with(0), md)),
                }
            }
        }
    }
    for x in 0..2 {
        for o in 0..3 {
            let mut back = [0, 0];
            back[1 - x] = o;
            transitions.push((lost(x, o), ok(back[0], back[1]), md)); // the rebuild ends
            match o {
                0 => {
                    transitions.push((lost(x, 0), lost(x, 1), lh));
                    transitions.push((lost(x, 0), lost(x, 2), ld));
                }
                1 => transitions.push((lost(x, 1), lost(x, 0), mh)),
                _ => transitions.push((lost(x, 2), lost(x, 0), md)),
            }
        }
    }
    let up = (0..15).map(|s| s < 9 && (s / 3 == 0 || s % 3 == 0)).collect();
    (generator(15, &transitions), up)
}

#[test]
fn after_a_loss_for_good_the_tier_stays_down_until_the_rebuild() {
    // Two active replicas, host failures exp(500 h) repaired in exp(10 h), disk losses
    // exp(1000 h) that destroy the data, rebuilt in exp(100 h), no backup, as new, one
    // year. Before this rule the tier came back with the first replica repaired
    // (0.98864).
    let host = FailureMode::new("host", exponential(500.0), exponential(10.0));
    let disk = FailureMode::new("disk", exponential(1000.0), exponential(100.0)).with_destroys_data(true);
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_failure(host)
        .with_failure(disk)
        .build()
        .expect("valid");
    let service = Service::new("rebuild", vec![tier]).expect("valid service");
    let report = Simulation::new()
        .with_start(Start::New)
        .with_replications(100_000)
        .with_seed(41)
        .run(&service)
        .expect("runs");
    let (q, up) = rebuild_chain(1.0 / 500.0, 1.0 / 10.0, 1.0 / 1000.0, 1.0 / 100.0);
    let mut p0 = vec![0.0; 15];
    p0[0] = 1.0;
    let occupancy = integrated_occupancy(&q, &p0, HOURS_PER_YEAR);
    let exact: f64 = occupancy
        .iter()
        .zip(&up)
        .filter(|(_, up)| **up)
        .map(|(t, _)| t)
        .sum::<f64>()
        / HOURS_PER_YEAR;
    let a = report.options[0].availability;
    assert_close(
        "rebuild after a loss for good: availability",
        a.mean,
        a.std_error,
        exact,
    );
    println!(
        "issue figure 0.97873: z = {:+.2}; steady state of the chain: {:.6}",
        (a.mean - 0.97873) / a.std_error,
        steady_state(&q)
            .iter()
            .zip(&up)
            .filter(|(_, up)| **up)
            .map(|(p, _)| p)
            .sum::<f64>()
    );
    assert!(exact < 0.980, "the tier waits for the rebuild: {exact}");
    // Losses for good per year: λ_d × the hours a replica is up while the other is not.
    let losses: f64 = (0..9)
        .map(|s| {
            let (a, b) = (s / 3, s % 3);
            let exposed = u32::from(a == 0 && b != 0) + u32::from(b == 0 && a != 0);
            occupancy[s] * f64::from(exposed) / 1000.0
        })
        .sum();
    let u = report.options[0].unrecoverable_events_per_year;
    assert_close("rebuild: losses for good per year", u.mean, u.std_error, losses);
}

/// The failover pair of `drilled_failover` as a chain. States: 0 up with a healthy
/// standby, 1 up with the standby dead unnoticed, 2 up with the other replica in
/// repair, 3 down with both in repair. Failovers are instant and always work.
fn latent_pair_chain(lambda: f64, mu: f64) -> Vec<Vec<f64>> {
    generator(
        4,
        &[
            (0, 1, lambda),   // the standby fails silently
            (0, 2, lambda),   // the primary fails; the standby takes over
            (1, 3, lambda),   // the primary fails; the standby is found dead
            (2, 0, mu),       // the repair ends: a standby again
            (2, 3, lambda),   // the primary fails with no standby
            (3, 2, 2.0 * mu), // the first repair ends: it serves
        ],
    )
}

fn drilled_failover(test_every: Option<f64>) -> Service {
    let mut failover = Failover::new().with_standby_failures(StandbyFailures::Latent);
    if let Some(every) = test_every {
        failover = failover.with_test_every(every);
    }
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_failover(failover)
        .with_failure(FailureMode::new("crash", exponential(2000.0), exponential(20.0)))
        .build()
        .expect("valid");
    Service::new("latent pair", vec![tier]).expect("valid service")
}

#[test]
fn yearly_drills_in_service_match_the_periodic_chain() {
    // Latent standby failures, hot standby, drills once a year, a system in service:
    // at each drill a dead standby is found and goes to repair (state 1 → 2). The
    // state just after a drill has the periodic stationary law π = π·e^{QT}·D; the
    // windows start at a random phase, so the expected availability is the average
    // over a period from π. The textbook 1 − (1 − e^{−λT})/(λT) for the standby being
    // dead ignores that failovers renew it too: it is only an upper bound.
    let (lambda, mu, period) = (1.0 / 2000.0, 1.0 / 20.0, HOURS_PER_YEAR);
    let q = latent_pair_chain(lambda, mu);
    // The drill moves a dead standby to repair; renormalised against rounding.
    let drill = |p: &[f64]| {
        let moved = [p[0], 0.0, p[2] + p[1], p[3]].map(|x| x.max(0.0));
        let total: f64 = moved.iter().sum();
        moved.iter().map(|x| x / total).collect::<Vec<f64>>()
    };
    let mut pi = vec![1.0, 0.0, 0.0, 0.0];
    for _ in 0..200 {
        let (_, end) = evolve(&q, &pi, period);
        pi = drill(&end);
    }
    let (occupancy, end) = evolve(&q, &pi, period);
    assert!(
        drill(&end).iter().zip(&pi).all(|(a, b)| (a - b).abs() < 1e-14),
        "π is periodic"
    );
    let exact = 1.0 - occupancy[3] / period;
    let found_per_year = end[1] * HOURS_PER_YEAR / period;
    let report = Simulation::new()
        .with_replications(200_000)
        .with_seed(51)
        .run(&drilled_failover(Some(period)))
        .expect("runs");
    let option = &report.options[0];
    let a = option.availability;
    assert_close("yearly drills in service: availability", a.mean, a.std_error, exact);
    // Latent failures found per year: one drill a year finds a dead standby with
    // probability end[1]. The count per year is 0 or 1, so its standard error is that
    // of a proportion.
    let found = option.failover.latent_found_per_year;
    let se = (found * (1.0 - found) / option.replications as f64).sqrt();
    assert_close(
        "yearly drills in service: latent failures found per year",
        found,
        se,
        found_per_year,
    );
    let textbook = 1.0 - (1.0 - (-lambda * period).exp()) / (lambda * period);
    let dead = occupancy[1] / period;
    println!("P(standby dead) over a period {dead:.5}; the textbook bound {textbook:.5}");
    assert!(dead < textbook);
    // Never drilled, the same pair in service is the chain's steady state, measurably
    // worse: yearly drills are not "never drilled".
    let undrilled = 1.0 - steady_state(&q)[3];
    println!("never drilled: availability {undrilled:.7}; drilled yearly {exact:.7}");
    assert!(exact - undrilled > 8.0 * a.std_error, "the effect is too small to test");
    let report = Simulation::new()
        .with_replications(200_000)
        .with_seed(51)
        .run(&drilled_failover(None))
        .expect("runs");
    let a = report.options[0].availability;
    assert_close(
        "never drilled, in service: availability",
        a.mean,
        a.std_error,
        undrilled,
    );
}

#[test]
fn in_service_yearly_drills_differ_from_no_drills_in_a_shipped_scenario() {
    // The shipped untested failover pair, drilled once a year: with an as-new start and
    // a one-year horizon the drill came at the very end and found nothing; in service
    // it finds latent failures and the standby fails fewer demands.
    let base = Scenario::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/db-failover-untested.toml"
    ))
    .expect("loads");
    let sweep = base.sweep("tier.database.failover.test_every=1y").expect("a sweep");
    let simulation = base.simulation().clone().with_replications(50_000);
    let never = simulation.run(base.service()).expect("runs");
    let yearly = simulation.run(&sweep.options()[0]).expect("runs");
    let (never, yearly) = (&never.options[0], &yearly.options[0]);
    println!(
        "latent found per year: never {:.3}, yearly {:.3}; dead standbys per year: never {:.3}, yearly {:.3}",
        never.failover.latent_found_per_year,
        yearly.failover.latent_found_per_year,
        never.failover.dead_standby_per_year,
        yearly.failover.dead_standby_per_year
    );
    assert_eq!(never.failover.latent_found_per_year, 0.0);
    assert!(
        yearly.failover.latent_found_per_year > 0.05,
        "yearly drills find latent failures"
    );
    assert!(yearly.failover.dead_standby_per_year < never.failover.dead_standby_per_year);
    let as_new = simulation
        .clone()
        .with_start(Start::New)
        .run(&sweep.options()[0])
        .expect("runs");
    assert_eq!(
        as_new.options[0].failover.latent_found_per_year, 0.0,
        "from new, a one-year window ends before its first yearly drill finds anything"
    );
}

#[test]
fn doubling_the_warm_up_moves_no_shipped_scenario() {
    for (name, scenario) in scenarios() {
        let simulation = scenario.simulation().clone().with_replications(20_000);
        let default = scenario.run_with(&simulation).expect("runs");
        let longer = scenario
            .run_with(&simulation.clone().with_warm_up(2.0 * default.warm_up_hours))
            .expect("runs");
        assert_eq!(default.start, Start::Steady, "{name}");
        assert!(longer.warm_up_hours == 2.0 * default.warm_up_hours);
        for (a, b) in default.options.iter().zip(&longer.options) {
            let what = format!("{name}, {}", a.name);
            let compare = |quantity: &str, x: f64, se_x: f64, y: f64, se_y: f64| {
                let se = (se_x * se_x + se_y * se_y).sqrt();
                let z = if se > 0.0 { (x - y) / se } else { 0.0 };
                println!("{what}: {quantity}: {x:.6e} vs {y:.6e}, z = {z:+.2}");
                assert!(
                    (x - y).abs() <= 3.0 * se + 1e-12,
                    "{what}: {quantity} moved by {z:.2} standard errors when the warm-up doubled"
                );
            };
            let (ua, ub) = (a.unavailability, b.unavailability);
            compare("unavailability", ua.mean, ua.std_error, ub.mean, ub.std_error);
            // Downtime per year is the unavailability times the hours of a year.
            let (da, db) = (a.downtime_hours_per_year.mean, b.downtime_hours_per_year.mean);
            compare(
                "downtime per year",
                da,
                ua.std_error * HOURS_PER_YEAR,
                db,
                ub.std_error * HOURS_PER_YEAR,
            );
            let (la, lb) = (a.data_loss_hours_per_year, b.data_loss_hours_per_year);
            compare("data lost per year", la.mean, la.std_error, lb.mean, lb.std_error);
            let (fa, fb) = (a.unrecoverable_events_per_year, b.unrecoverable_events_per_year);
            compare("losses for good per year", fa.mean, fa.std_error, fb.mean, fb.std_error);
        }
    }
}

#[test]
fn the_yearly_cost_of_losing_data_for_good_does_not_grow_with_the_horizon() {
    let scenario = Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ehr.toml")).expect("loads");
    let option = scenario
        .options()
        .iter()
        .find(|o| o.name() == "active-active, no backups")
        .expect("the option")
        .clone();
    let cost = |horizon: f64, replications: u64| {
        let report = scenario
            .simulation()
            .clone()
            .with_horizon(horizon)
            .with_replications(replications)
            .run(&option)
            .expect("runs");
        let option = &report.options[0];
        let cost = option.cost.as_ref().expect("costs");
        let price = scenario
            .simulation()
            .costs()
            .and_then(|c| c.unrecoverable_loss())
            .expect("a price");
        // No restores without backups: the data-loss cost is the losses for good.
        assert_eq!(option.data_loss_hours_per_year.mean, 0.0);
        // (the first summed history by history, the second from the mean count).
        let (a, b) = (cost.data_loss.mean, cost.unrecoverable.mean);
        assert!((a - b).abs() <= 1e-12 * a.abs().max(b.abs()), "{a} against {b}");
        (
            cost.data_loss.mean,
            price * option.unrecoverable_events_per_year.std_error,
        )
    };
    let (one, se_one) = cost(HOURS_PER_YEAR, 40_000);
    let (five, se_five) = cost(5.0 * HOURS_PER_YEAR, 8_000);
    let se = (se_one * se_one + se_five * se_five).sqrt();
    println!("data-loss cost per year: 1-year windows {one:.0}, 5-year windows {five:.0}, se {se:.0}");
    assert!(one > 0.0 && (one - five).abs() <= 4.0 * se, "{one} vs {five} (se {se})");
}

#[test]
fn unrelated_parts_leave_the_random_numbers_of_the_others_alone() {
    // A tier that never fails put in front, then also a failure mode that never fires
    // (its fixed life is longer than any history) added to the database: every number
    // of the database, and of the service, stays the same to the bit (common random
    // numbers keyed by names, not positions).
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/db-failover-backups.toml"
    ))
    .expect("reads");
    let front = "[[tier]]\nname = \"load balancer\"\nreplicas = 2\n\n";
    let in_front = text.replacen("[[tier]]\n", &format!("{front}[[tier]]\n"), 1);
    let never = "\n[[tier.failure]]\nname = \"meteor\"\nevery = \"1e9h\"\nrepair = \"1h\"\n";
    let with_mode = format!("{in_front}{never}");
    let base = Scenario::parse(&text, Format::Toml, "base.toml").expect("parses");
    let json = |option: &nines::OptionReport| {
        let mut value = serde_json::to_value(option).expect("serialises");
        let object = value.as_object_mut().expect("an object");
        let tiers = object.remove("tiers").expect("tiers");
        object.remove("name");
        (value, tiers)
    };
    let simulation = base.simulation().clone().with_replications(20_000);
    let report = simulation.run(base.service()).expect("runs");
    let (service_a, tiers_a) = json(&report.options[0]);
    // A fixed life of 1e9 h is not exponential, so by the default rule the model would
    // remember its start for the longest warm-up: keep the warm-up the base run used.
    let simulation = simulation.with_warm_up(report.warm_up_hours);
    for (what, text) in [
        ("a tier in front", &in_front),
        ("and a mode that never fires", &with_mode),
    ] {
        let more = Scenario::parse(text, Format::Toml, "more.toml").expect("parses");
        assert_eq!(more.service().tiers().len(), 2);
        let other = simulation.run(more.service()).expect("runs");
        let (service_b, tiers_b) = json(&other.options[0]);
        assert_eq!(service_a, service_b, "{what}: the service's numbers");
        assert_eq!(tiers_a[0], tiers_b[1], "{what}: the database's numbers");
        assert_eq!(other.options[0].tiers[0].failures_per_year, 0.0);
    }
    // Without a fixed warm-up, a tier that never fails does not change the warm-up.
    let more = Scenario::parse(&in_front, Format::Toml, "more.toml").expect("parses");
    let simulation = base.simulation().clone().with_replications(20_000);
    assert_eq!(
        simulation.run(more.service()).expect("runs").warm_up_hours,
        report.warm_up_hours
    );
}

#[test]
fn a_restore_through_thousands_of_bad_backups_costs_what_it_tries() {
    // A backup every minute, none restorable but the as-new one: a restore tries every
    // backup since t = 0 (the next restore skips them in one step). Each attempt takes
    // an hour, so a restore outlasts the year: the attempts past its end are counted
    // without being timed.
    let tier = Tier::builder("db")
        .with_failure(FailureMode::new("disk", exponential(2000.0), exponential(1.0)).with_destroys_data(true))
        .with_backup(nines::Backup::new(1.0 / 60.0, Distribution::fixed(1.0).expect("valid")).with_success(0.0))
        .build()
        .expect("valid tier");
    let service = Service::new("every minute", vec![tier]).expect("valid");
    let report = Simulation::new()
        .with_start(Start::New)
        .with_replications(2000)
        .with_seed(61)
        .run(&service)
        .expect("runs");
    let option = &report.options[0];
    // Almost every year has a restore (P(a failure in the year) = 1 − e^{−8760/2000} ≈
    // 0.99), which tries every backup taken up to the failure, 60 an hour: about
    // 60 × 1930 h ≈ 1.2e5 on average. A restore after n minutes takes n hours, so only
    // the very first minutes allow a second one.
    let restores = option.restore_events_per_year.mean;
    assert!(restores > 0.97, "{restores}");
    assert!(option.bad_backups_per_year > 1e5, "{}", option.bad_backups_per_year);
    assert!(option.data_loss_hours_per_year.max_single_event > 1000.0);
}
