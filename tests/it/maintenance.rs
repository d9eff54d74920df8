//! Planned maintenance against exact results: all at once, rolling, rolling with no
//! replica to spare, planned switchovers, a maintained dependency, drills that take
//! time; planned downtime told apart from unplanned, and the SLA and the downtime cost
//! with it left out; the scenario keys and their errors. `|estimate − exact| ≤ 4·se`,
//! fixed seeds; `cargo test --release --test it maintenance -- --nocapture` prints
//! every comparison with its z-score.

use nines::Distribution;
use nines::{
    Dependency, Failover, FailureMode, Format, Maintenance, OptionReport, Rollout, Scenario, Service, Simulation,
    Start, Tier,
};

use crate::scenario::assert_error;
use crate::validation::{assert_close, exponential};

const MONTH: f64 = 720.0;
const YEAR: f64 = 8760.0;

fn fixed(hours: f64) -> Distribution {
    Distribution::fixed(hours).expect("a valid duration")
}

/// Monthly maintenance of 2 hours per replica.
fn monthly(rollout: Rollout) -> Maintenance {
    Maintenance::new(MONTH, fixed(2.0)).with_rollout(rollout)
}

fn run(service: &Service, start: Start, replications: u64, seed: u64) -> OptionReport {
    Simulation::new()
        .with_start(start)
        .with_replications(replications)
        .with_seed(seed)
        .run(service)
        .expect("runs")
        .options
        .remove(0)
}

fn one_tier(tier: Tier) -> Service {
    Service::new("maintained", vec![tier]).expect("valid service")
}

#[test]
fn all_at_once_is_down_two_hours_in_every_720_and_all_of_it_is_planned() {
    let tier = Tier::builder("app")
        .with_replicas(2)
        .with_maintenance(monthly(Rollout::AllAtOnce))
        .build()
        .expect("valid tier");
    let service = one_tier(tier);
    // In service (rounds of random phase): 2/720 of the time, all planned.
    let option = run(&service, Start::Steady, 20_000, 1);
    let d = option.downtime_hours_per_year;
    assert_close(
        "all at once: planned downtime per year",
        d.planned.mean,
        d.planned.std_error,
        YEAR * 2.0 / MONTH,
    );
    assert_close(
        "all at once: availability",
        option.availability.mean,
        option.availability.std_error,
        1.0 - 2.0 / MONTH,
    );
    assert!((d.mean - d.planned.mean).abs() < 1e-9 * d.mean, "{d:?}");
    assert_eq!(d.unplanned.mean, 0.0);
    assert_eq!(option.availability.excluding_planned.mean, 1.0);
    assert_eq!(option.unplanned_outages_per_year.mean, 0.0);
    // From new, a year holds exactly 12 rounds: 24 hours every year.
    let option = run(&service, Start::New, 100, 2);
    let d = option.downtime_hours_per_year;
    assert_eq!((d.p50, d.max, d.planned.mean), (24.0, 24.0, 24.0));
    assert_eq!(option.outages_per_year.mean, 12.0);
    let classes: Vec<&str> = option.disruptions.iter().map(|c| c.class.as_str()).collect();
    assert_eq!(classes, ["maintenance"]);
}

#[test]
fn rolling_with_a_replica_to_spare_takes_nothing_down() {
    let tier = Tier::builder("app")
        .with_replicas(2)
        .with_maintenance(monthly(Rollout::Rolling))
        .build()
        .expect("valid tier");
    let option = run(&one_tier(tier), Start::Steady, 2_000, 3);
    assert_eq!(option.downtime_hours_per_year.max, 0.0);
    assert_eq!(option.availability.mean, 1.0);
}

#[test]
fn rolling_with_no_replica_to_spare_is_all_at_once() {
    let both = |rollout| {
        let tier = Tier::builder("app")
            .with_replicas(2)
            .with_required(2)
            .with_failure(FailureMode::new("crash", exponential(1000.0), exponential(10.0)))
            .with_maintenance(
                Maintenance::new(MONTH, Distribution::lognormal_mean_p95(2.0, 4.0).expect("valid"))
                    .with_rollout(rollout),
            )
            .build()
            .expect("valid tier");
        run(&one_tier(tier), Start::Steady, 5_000, 4)
    };
    let rolling = both(Rollout::Rolling);
    let all_at_once = both(Rollout::AllAtOnce);
    assert_eq!(rolling, all_at_once);
    assert!(rolling.downtime_hours_per_year.planned.mean > 0.0);
}

#[test]
fn a_failover_tier_switches_over_before_its_serving_replica_is_maintained() {
    // 1 of 2 with failover, nothing fails: each round maintains the standby, then
    // switches over to it (6 minutes) and maintains the other; from new, 12 rounds a
    // year: 1 h 12 min, all planned. Planned switchovers are not failover demands.
    let tier = |maintenance: Maintenance| {
        Tier::builder("db")
            .with_replicas(2)
            .with_failover(Failover::new().with_switchover(fixed(0.1)))
            .with_maintenance(maintenance)
            .build()
            .expect("valid tier")
    };
    let option = run(&one_tier(tier(monthly(Rollout::Rolling))), Start::New, 100, 5);
    let d = option.downtime_hours_per_year;
    assert!((d.max - 1.2).abs() < 1e-9 && (d.p50 - 1.2).abs() < 1e-9, "{d:?}");
    assert!((d.planned.mean - 1.2).abs() < 1e-9, "{d:?}");
    assert_eq!(option.failover.demands_per_year, 0.0);
    assert_eq!(option.failover.switchovers_per_year, 0.0);
    // A planned switchover of its own: 3 minutes.
    let quicker = monthly(Rollout::Rolling).with_switchover(fixed(0.05));
    let option = run(&one_tier(tier(quicker)), Start::New, 100, 5);
    assert!((option.downtime_hours_per_year.max - 0.6).abs() < 1e-9);
}

#[test]
fn planned_and_unplanned_downtime_of_independent_tiers_split_exactly() {
    // A database that crashes (exp 1000 h / exp 10 h) and an application tier patched
    // all at once (2 h a month), independent: the service is down unplanned while the
    // database is down, U_db of the time; planned while only the application is down,
    // (2/720)·(1 − U_db) of the time.
    let db = Tier::builder("db")
        .with_failure(FailureMode::new("crash", exponential(1000.0), exponential(10.0)))
        .build()
        .expect("valid");
    let app = Tier::builder("app")
        .with_replicas(2)
        .with_maintenance(monthly(Rollout::AllAtOnce))
        .build()
        .expect("valid");
    let service = Service::new("split", vec![app, db]).expect("valid");
    let option = run(&service, Start::Steady, 100_000, 6);
    let u_db = 10.0 / 1010.0;
    let d = option.downtime_hours_per_year;
    assert_close(
        "unplanned downtime",
        d.unplanned.mean,
        d.unplanned.std_error,
        u_db * YEAR,
    );
    assert_close(
        "planned downtime",
        d.planned.mean,
        d.planned.std_error,
        2.0 / MONTH * (1.0 - u_db) * YEAR,
    );
    let a = option.availability;
    assert_close("availability", a.mean, a.std_error, (1.0 - u_db) * (1.0 - 2.0 / MONTH));
    let e = a.excluding_planned;
    assert_close("availability excluding planned", e.mean, e.std_error, 1.0 - u_db);
    // An outage is unplanned if any of it is: the crashes (one per 1010 h).
    let outages = option.unplanned_outages_per_year;
    assert_close("unplanned outages", outages.mean, outages.std_error, YEAR / 1010.0);
}

#[test]
fn a_replica_in_maintenance_does_not_fail() {
    // One server, exponential crashes (100 h), patched all at once for 10 h a month:
    // it fails at rate 1/100 only while it is up and not in maintenance, so its
    // failures a year are that exposure / 100 h.
    let tier = Tier::builder("app")
        .with_failure(FailureMode::new("crash", exponential(100.0), fixed(1.0)))
        .with_maintenance(Maintenance::new(MONTH, fixed(10.0)).with_rollout(Rollout::AllAtOnce))
        .build()
        .expect("valid");
    let replications = 20_000;
    let option = run(&one_tier(tier), Start::Steady, replications, 7);
    let exposure = YEAR - option.downtime_hours_per_year.mean;
    let failures = option.tiers[0].failures_per_year;
    // Poisson counts: the standard error of the yearly mean.
    let se = (failures / replications as f64).sqrt();
    assert_close("failures a year", failures, se, exposure / 100.0);
    assert!(option.downtime_hours_per_year.planned.mean > 100.0);
}

#[test]
fn a_maintained_dependency_takes_what_stands_on_it_down_planned() {
    let array = Dependency::builder("storage array")
        .with_maintenance(monthly(Rollout::AllAtOnce))
        .build()
        .expect("valid dependency");
    let db = Tier::builder("db")
        .with_depends_on(["storage array"])
        .build()
        .expect("valid");
    let service = Service::with_dependencies("shared", Vec::new(), vec![array], vec![db]).expect("valid");
    let option = run(&service, Start::New, 100, 8);
    let d = option.downtime_hours_per_year;
    assert_eq!((d.max, d.planned.mean, d.unplanned.mean), (24.0, 24.0, 0.0));
}

#[test]
fn a_dependency_that_fails_during_its_maintenance_makes_that_downtime_unplanned() {
    // A dependency under every replica, patched all at once for 2 h a month, that also
    // trips (exp 500 h, repaired in exp 5 h), independently: the service is down
    // unplanned while it is tripped (a trip during maintenance outlasts it), planned
    // while it is only in maintenance. Its trips do not stop during maintenance (a
    // tier-wide mode), so U_trip = 5/505 exactly and the planned share is
    // (2/720)·(1 − U_trip).
    let array = Dependency::builder("array")
        .with_failure(FailureMode::new("trips", exponential(500.0), exponential(5.0)).with_scope(nines::Scope::Tier))
        .with_maintenance(monthly(Rollout::AllAtOnce))
        .build()
        .expect("valid");
    let db = Tier::builder("db")
        .with_replicas(2)
        .with_depends_on(["array"])
        .build()
        .expect("valid");
    let service = Service::with_dependencies("shared", Vec::new(), vec![array], vec![db]).expect("valid");
    let option = run(&service, Start::Steady, 100_000, 9);
    let u = 5.0 / 505.0;
    let d = option.downtime_hours_per_year;
    assert_close("unplanned downtime", d.unplanned.mean, d.unplanned.std_error, u * YEAR);
    assert_close(
        "planned downtime",
        d.planned.mean,
        d.planned.std_error,
        2.0 / MONTH * (1.0 - u) * YEAR,
    );
}

#[test]
fn drills_that_take_time_are_planned_downtime() {
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_failover(Failover::new().with_test_every(MONTH).with_test_duration(fixed(1.0)))
        .build()
        .expect("valid");
    let option = run(&one_tier(tier), Start::New, 100, 10);
    let d = option.downtime_hours_per_year;
    assert_eq!((d.max, d.planned.mean, d.unplanned.mean), (12.0, 12.0, 0.0));
    let classes: Vec<&str> = option.disruptions.iter().map(|c| c.class.as_str()).collect();
    assert_eq!(classes, ["failover test"]);
}

const PATCHED: &str = r#"
name = "patched"

[simulation]
replications = 200
start = "new"

[costs]
currency = "EUR"
downtime_per_hour = 1000

[sla]
downtime_per_year = "20h"

[[tier]]
name = "app"
replicas = 2
cost_per_replica = 5000

[tier.maintenance]
every = "30d"
duration = "2h"
how = "all-at-once"
"#;

fn patched(sla_extra: &str) -> OptionReport {
    let text = PATCHED.replace(
        "downtime_per_year = \"20h\"",
        &format!("downtime_per_year = \"20h\"\n{sla_extra}"),
    );
    let scenario = Scenario::parse(&text, Format::Toml, "patched.toml").expect("valid scenario");
    scenario.run().expect("runs").options.remove(0)
}

#[test]
fn the_sla_and_the_downtime_cost_count_planned_downtime_unless_told_not_to() {
    // 24 hours of patching a year against a budget of 20.
    let counted = patched("");
    let sla = counted.sla.expect("an SLA");
    assert!(!sla.met && !sla.excludes_planned);
    assert_eq!(sla.breach_probability.mean, 1.0);
    let cost = counted.cost.as_ref().expect("costs");
    assert!((cost.downtime.mean - 24.0 * 1000.0 - 0.0).abs() < 1e-6, "{cost:?}");

    let excluded = patched("exclude_planned = true");
    let sla = excluded.sla.expect("an SLA");
    assert!(sla.met && sla.excludes_planned);
    assert_eq!(sla.breach_probability.mean, 0.0);
    assert_eq!(excluded.cost.as_ref().expect("costs").downtime.mean, 0.0);
    // The availability both ways, whatever the SLA says.
    assert_eq!(excluded.availability, counted.availability);
    assert_eq!(excluded.availability.excluding_planned.mean, 1.0);
}

#[test]
fn the_table_says_what_is_planned_and_what_the_sla_counts() {
    let scenario = Scenario::parse(PATCHED, Format::Toml, "patched.toml").expect("valid");
    let text = scenario.run().expect("runs").to_string();
    assert!(text.contains("without planned downtime"), "{text}");
    assert!(text.contains("of which planned 24 h 00 min, unplanned 0"), "{text}");
    assert!(text.contains("(planned downtime counted)"), "{text}");
}

#[test]
fn maintenance_errors_name_the_key_and_the_fix() {
    let with = |table: &str| PATCHED.replace("every = \"30d\"\nduration = \"2h\"\nhow = \"all-at-once\"", table);
    assert_error(
        &with("every = \"30d\"\nduration = \"31d\""),
        &["tier[0].maintenance.duration", "not shorter than `every`"],
    );
    assert_error(
        &with("every = \"1d\"\nduration = \"13h\"\nhow = \"rolling\""),
        &[
            "tier[0].maintenance.duration",
            "2 replicas, one at a time",
            "all-at-once",
        ],
    );
    assert_error(
        &with("every = \"30d\"\nduration = \"2h\"\nhow = \"rolled\""),
        &[
            "maintenance.how",
            "unknown variant `rolled`, expected `rolling` or `all-at-once`",
        ],
    );
    assert_error(
        &with("every = \"30d\"\nduration = \"2h\"\nswitchover = \"5m\""),
        &["tier[0].maintenance.switchover", "no failover"],
    );
    assert_error(
        &with("every = \"30d\"\nduration = \"2h\"\nwindow = \"sunday\""),
        &["maintenance", "unknown field `window`"],
    );
    assert_error(&with("duration = \"2h\""), &["maintenance", "every"]);
}

#[test]
fn histories_mark_planned_outages_and_the_timeline_draws_them_apart() {
    // Patched all at once, and a database that crashes: the patching outages are
    // planned, the crashes not (nor a crash during patching).
    let db = Tier::builder("db")
        .with_failure(FailureMode::new("crash", exponential(500.0), exponential(10.0)))
        .build()
        .expect("valid");
    let app = Tier::builder("app")
        .with_replicas(2)
        .with_maintenance(monthly(Rollout::AllAtOnce))
        .build()
        .expect("valid");
    let service = Service::new("split", vec![app, db]).expect("valid");
    let simulation = Simulation::new().with_seed(11).with_replications(1_000);
    let histories = simulation.histories(&service, 0..20).expect("runs");
    let (mut planned, mut unplanned) = (0, 0);
    for history in &histories {
        assert_eq!(history.outage_planned.len(), history.outage_intervals.len());
        for (&[a, b], &p) in history.outage_intervals.iter().zip(&history.outage_planned) {
            if p {
                // A patching round alone: 2 hours, unless cut at the year's edge.
                assert!(b - a <= 2.0 + 1e-9, "{a}..{b}");
                planned += 1;
            } else {
                unplanned += 1;
            }
        }
    }
    assert!(
        planned >= 20 * 11 && unplanned > 20 * 5,
        "{planned} planned, {unplanned} unplanned"
    );
    #[cfg(feature = "charts")]
    {
        let report = simulation.run(&service).expect("runs");
        let histories = [histories];
        let chart = nines::chart::timeline(&report, &histories).expect("draws");
        assert!(chart.svg().contains("planned ones short and pale"));
    }
}

#[test]
fn the_timeline_shows_the_median_p90_and_worst_years() {
    // A rare, long outage: the worst of 1,000 years holds one, a few years in a row
    // most likely do not.
    let db = Tier::builder("db")
        .with_failure(FailureMode::new("crash", exponential(1000.0), exponential(10.0)))
        .with_failure(FailureMode::new("flood", exponential(50.0 * YEAR), fixed(500.0)).with_scope(nines::Scope::Tier))
        .build()
        .expect("valid");
    let service = Service::new("rare", vec![db]).expect("valid");
    let simulation = Simulation::new().with_seed(5).with_replications(1_000);
    let notable = simulation.notable_histories(&service, 1_000).expect("runs");
    let all = simulation.histories(&service, 0..1_000).expect("runs");
    let mut downtimes: Vec<f64> = all.iter().map(|h| h.downtime_hours).collect();
    downtimes.sort_by(f64::total_cmp);
    let notes: Vec<&str> = notable.iter().map(|h| h.note.as_deref().unwrap_or("")).collect();
    assert_eq!(notes, ["median year", "P90 year", "worst of 1,000 years"]);
    assert_eq!(notable[0].downtime_hours, downtimes[499]);
    assert_eq!(notable[1].downtime_hours, downtimes[899]);
    assert_eq!(notable[2].downtime_hours, downtimes[999]);
    assert!(notable[2].downtime_hours > 400.0, "the worst year holds the flood");
    #[cfg(feature = "charts")]
    {
        let report = simulation.run(&service).expect("runs");
        let histories = [notable];
        let chart = nines::chart::timeline(&report, &histories).expect("draws");
        assert!(chart.title().contains("worst"));
        assert!(chart.svg().contains("worst of 1,000 years"));
    }
}
