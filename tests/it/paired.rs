//! Paired comparisons: each option against the recommended one, history by history on
//! the same simulated years; the standard error of that difference against the one two
//! independent runs would give; and a recommendation that says when the numbers cannot
//! separate it from its runner-up.

use nines::{Distribution, FailureMode, HOURS_PER_YEAR, Scenario, Service, Simulation, Sla, Start, Tier};

fn scenario(text: &str) -> Scenario {
    Scenario::parse(text, nines::Format::Toml, "test.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// A web tier in front of a single database that dominates the downtime; the options
/// change only the web tier.
const SHOP: &str = r#"
name = "shop"
baseline = "two web servers"
[simulation]
replications = 20000
seed = 5
start = "new"
[costs]
currency = "EUR"
downtime_per_hour = 1
[sla]
downtime_per_year = "100h"
[[tier]]
name = "web"
replicas = 2
cost_per_replica = 100
[[tier.failure]]
name = "crash"
every = "exp(mean=2000h)"
repair = "exp(mean=20h)"
[[tier]]
name = "database"
cost_per_replica = 1000
[[tier.failure]]
name = "host crash"
every = "exp(mean=1000h)"
repair = "exp(mean=10h)"

[[option]]
name = "one web server"
tier.web.replicas = 1

[[option]]
name = "three web servers"
tier.web.replicas = 3
"#;

#[test]
fn options_that_share_most_components_differ_far_more_precisely_than_they_are_known() {
    let report = scenario(SHOP).run().expect("runs");
    // Two web servers are cheapest and meet the SLA.
    let recommended = &report.recommendation.as_ref().expect("a recommendation").option;
    assert_eq!(recommended, "two web servers");
    let best = report.option("two web servers").expect("the option");
    assert!(
        best.versus_recommended.is_none(),
        "the recommended option is not set against itself"
    );
    for name in ["one web server", "three web servers"] {
        let option = report.option(name).expect("the option");
        let versus = option.versus_recommended.as_ref().expect("compared");
        assert_eq!(versus.recommended, "two web servers");
        assert_eq!(versus.histories, option.replications);
        // The difference is the difference of the means, history by history.
        let downtime = versus.downtime_hours_per_year;
        let expected = option.downtime_hours_per_year.mean - best.downtime_hours_per_year.mean;
        assert!(
            (downtime.estimate.mean - expected).abs() <= 1e-9 * expected.abs().max(1.0),
            "{name}: {} against {expected}",
            downtime.estimate.mean
        );
        let cost = versus.cost_per_year.expect("priced");
        let expected =
            option.cost.as_ref().expect("priced").total.mean - best.cost.as_ref().expect("priced").total.mean;
        assert!(
            (cost.estimate.mean - expected).abs() <= 1e-6 * expected.abs().max(1.0),
            "{name}: {} against {expected}",
            cost.estimate.mean
        );
        // The database's downtime is the same in every option, year by year, and
        // cancels. Against a third web server, which changes little, the paired error
        // is a small fraction of the unpaired one; against a single web server, whose
        // own outages add a spread of their own, less so.
        let ratio = downtime.paired_to_unpaired().expect("some spread");
        println!("{name}: paired/unpaired standard error of the downtime difference {ratio:.3}");
        let bound = if name == "three web servers" { 0.2 } else { 0.9 };
        assert!(ratio < bound, "{name}: paired/unpaired {ratio}");
        assert_eq!(
            cost.paired_to_unpaired(),
            Some(cost.estimate.std_error / cost.unpaired_std_error)
        );
    }
}

/// `n` active replicas of a unit with exponential failures (1000 h) and repairs (10 h),
/// `required` of them needed, with unlimited repair crews.
fn units(name: &str, n: u32, required: u32) -> Service {
    let crash = FailureMode::new(
        "crash",
        Distribution::exponential(1000.0).expect("valid"),
        Distribution::exponential(10.0).expect("valid"),
    );
    let tier = Tier::builder("db")
        .with_replicas(n)
        .with_required(required)
        .with_failure(crash)
        .build()
        .expect("valid tier");
    Service::new(name, vec![tier]).expect("valid service")
}

#[test]
fn the_paired_difference_of_two_redundancy_levels_holds_the_exact_value() {
    // In service, a unit is down 10/1010 of the time, and 1-of-2 units (independent,
    // unlimited crews) (10/1010)²: the difference of their downtime per year is exact.
    let q = 10.0 / 1010.0;
    let exact = (q - q * q) * HOURS_PER_YEAR;
    let simulation = Simulation::new()
        .with_replications(20_000)
        .with_seed(11)
        .with_sla(Sla::DowntimePerYear(200.0));
    let report = simulation
        .run_options("units", &[units("one of two", 2, 1), units("one", 1, 1)])
        .expect("runs");
    assert_eq!(
        report.recommendation.as_ref().expect("recommended").option,
        "one of two"
    );
    let versus = report.options[1].versus_recommended.as_ref().expect("compared");
    let d = versus.downtime_hours_per_year;
    let z = (d.estimate.mean - exact) / d.estimate.std_error;
    assert!(
        z.abs() < 4.0,
        "difference {} h, exact {exact} h, z = {z:.2}",
        d.estimate.mean
    );
    assert!(d.estimate.ci95[0] < d.estimate.mean && d.estimate.mean < d.estimate.ci95[1]);
    // The second replica fails on its own streams; the first is common to both: the
    // pairing still removes much of the single unit's spread.
    let ratio = d.paired_to_unpaired().expect("spread");
    assert!(ratio < 1.0, "paired/unpaired {ratio}");
}

/// Two failover options that differ only in how often their standby is drilled, both
/// within the SLA: too close for 2,000 replications to tell apart.
const DRILLS: &str = r#"
name = "drills"
baseline = "drilled every 30 days"
[simulation]
replications = 2000
seed = 3
[costs]
currency = "EUR"
downtime_per_hour = 1000
[sla]
downtime_per_year = "100h"
[[tier]]
name = "database"
replicas = 2
strategy = "failover"
cost_per_replica = 1000
[tier.failover]
switchover = "5m"
success = 0.95
manual_recovery = "2h"
test_every = "30d"
test_duration = "10m"
standby_failures = "latent"
[[tier.failure]]
name = "host crash"
every = "exp(mean=2000h)"
repair = "exp(mean=10h)"

[[option]]
name = "drilled every 31 days"
tier.database.failover.test_every = "31d"
"#;

#[test]
fn a_recommendation_the_numbers_cannot_separate_from_its_runner_up_says_so() {
    let report = scenario(DRILLS).run().expect("runs");
    let recommendation = report.recommendation.as_ref().expect("recommended");
    let runner_up = report
        .options
        .iter()
        .find(|o| o.name != recommendation.option)
        .expect("two options");
    let cost = runner_up
        .versus_recommended
        .as_ref()
        .expect("compared")
        .cost_per_year
        .expect("priced");
    assert!(cost.inconclusive(), "{:?}", cost.estimate);
    let reason = &recommendation.reason;
    assert!(
        reason.contains(&format!("the numbers cannot separate it from {}", runner_up.name))
            && reason.contains("replications would tell them apart"),
        "{reason}"
    );
    // The count it names: n·((z₉₇.₅ + z₈₀)·se/d)², rounded up to two digits.
    let factor = ((1.959_963_984_540_054 + 0.841_621_233_572_914_3) * cost.estimate.std_error
        / cost.estimate.mean.abs())
    .powi(2);
    let needed = report.replications as f64 * factor;
    println!("{reason}\nneeded about {needed:.0}");
    let digits = |n: f64| nines::format_money(n, "");
    let magnitude = 10f64.powi(needed.log10().floor() as i32 - 1);
    assert!(
        reason.contains(&format!(
            "about {} replications",
            digits((needed / magnitude).ceil() * magnitude)
        )),
        "{reason}"
    );
    // The comparison table says the same.
    let table = report.to_string();
    assert!(table.contains("cannot separate"), "{table}");
    assert!(table.contains("are paired"), "{table}");
}

#[test]
fn identical_options_are_never_told_apart_and_the_recommendation_says_no_count_would() {
    let simulation = Simulation::new()
        .with_replications(2000)
        .with_seed(4)
        .with_start(Start::New)
        .with_costs(nines::Costs::new("EUR").with_downtime_per_hour(100.0))
        .with_sla(Sla::DowntimePerYear(200.0));
    let report = simulation
        .run_options("twins", &[units("one", 1, 1), units("the same again", 1, 1)])
        .expect("runs");
    let versus = report.options[1].versus_recommended.as_ref().expect("compared");
    let cost = versus.cost_per_year.expect("priced");
    assert_eq!((cost.estimate.mean, cost.estimate.std_error), (0.0, 0.0));
    assert!(cost.unpaired_std_error > 0.0);
    let reason = &report.recommendation.as_ref().expect("recommended").reason;
    assert!(
        reason.contains("fares exactly the same in every simulated year: no replication count would tell them apart"),
        "{reason}"
    );
}

#[test]
fn options_that_differ_clearly_are_separated_without_a_caveat() {
    let report = scenario(SHOP).run().expect("runs");
    let reason = &report.recommendation.as_ref().expect("recommended").reason;
    assert!(!reason.contains("cannot separate"), "{reason}");
}

#[test]
fn beyond_the_most_options_paired_the_report_says_it_compared_means_alone() {
    let options: Vec<Service> = (0..=nines::MAX_PAIRED_OPTIONS)
        .map(|k| units(&format!("option {k}"), 1, 1))
        .collect();
    let run = |options: &[Service]| {
        Simulation::new()
            .with_replications(64)
            .with_seed(1)
            .with_sla(Sla::DowntimePerYear(200.0))
            .run_options("many", options)
            .expect("runs")
    };
    let report = run(&options);
    assert!(report.options.iter().all(|o| o.versus_recommended.is_none()));
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("compared on their means alone")),
        "{:?}",
        report.warnings
    );
    // One option fewer is paired.
    let report = run(&options[1..]);
    assert_eq!(
        report.options.iter().filter(|o| o.versus_recommended.is_some()).count(),
        nines::MAX_PAIRED_OPTIONS - 1
    );
}
