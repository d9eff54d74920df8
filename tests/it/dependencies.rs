//! Shared dependencies against exact results: tiers on one dependency, replicas on two
//! power feeds, a redundant dependency, a chain of dependencies; common random numbers
//! when one is added; their costs; and the scenario keys with their errors.
//! `|estimate − exact| ≤ 4·se`, fixed seeds, systems in service; `cargo test --release
//! --test it dependencies -- --nocapture` prints every comparison with its z-score.

use nines::{Dependency, FailureMode, Format, Scenario, Service, Simulation, Tier};

use crate::scenario::assert_error;
use crate::validation::{assert_close, exponential, in_service};

fn crash(mttf: f64, mttr: f64) -> FailureMode {
    FailureMode::new("crash", exponential(mttf), exponential(mttr))
}

/// A unit's steady-state availability.
fn unit(mttf: f64, mttr: f64) -> f64 {
    mttf / (mttf + mttr)
}

fn dependency(name: &str, mttf: f64, mttr: f64) -> nines::DependencyBuilder {
    Dependency::builder(name).with_failure(FailureMode::new("trips", exponential(mttf), exponential(mttr)))
}

#[test]
fn two_tiers_on_one_dependency_multiply_with_it() {
    // An application server and a database server on one power feed, everything
    // exponential and independent (a replica keeps ageing, and can fail, while the
    // feed is down): the service is up while all three are, A = a_app · a_db · a_feed.
    let app = Tier::builder("app")
        .with_depends_on(["power"])
        .with_failure(crash(1000.0, 10.0));
    let db = Tier::builder("db")
        .with_depends_on(["power"])
        .with_failure(crash(2000.0, 20.0));
    let power = dependency("power", 3000.0, 30.0).build().expect("valid dependency");
    let service = Service::with_dependencies(
        "one feed",
        Vec::new(),
        vec![power],
        vec![app.build().expect("valid"), db.build().expect("valid")],
    )
    .expect("valid service");
    let option = in_service(&service, 100_000, 5);
    let exact = unit(1000.0, 10.0) * unit(2000.0, 20.0) * unit(3000.0, 30.0);
    let a = option.availability;
    assert_close("two tiers on one feed: availability", a.mean, a.std_error, exact);
    let classes: Vec<&str> = option.disruptions.iter().map(|d| d.class.as_str()).collect();
    assert_eq!(classes, ["replica failure", "dependency failure"]);
    // A feed failure takes both tiers down at once: one outage, not two.
    let feed = &option.disruptions[1];
    assert!(
        (feed.outages as f64 / 100_000.0 - feed.events_per_year).abs() < 0.05 * feed.events_per_year,
        "{feed:?}"
    );
}

#[test]
fn two_replicas_on_two_feeds_survive_either() {
    // 1 of 2 active replicas, each on its own feed: a replica serves while it and its
    // feed are up, so A = 1 − (1 − a_r·a_f)².
    let tier = Tier::builder("db")
        .with_replicas(2)
        .with_replica_depends_on([["feed A"], ["feed B"]])
        .with_failure(crash(1000.0, 20.0))
        .build()
        .expect("valid tier");
    let feeds = vec![
        dependency("feed A", 2000.0, 50.0).build().expect("valid"),
        dependency("feed B", 2000.0, 50.0).build().expect("valid"),
    ];
    let service = Service::with_dependencies("two feeds", Vec::new(), feeds, vec![tier]).expect("valid");
    let option = in_service(&service, 200_000, 7);
    let pair = unit(1000.0, 20.0) * unit(2000.0, 50.0);
    let exact = 1.0 - (1.0 - pair) * (1.0 - pair);
    let a = option.availability;
    assert_close("two feeds: availability", a.mean, a.std_error, exact);

    // On one shared feed instead, the feed is a single point of failure:
    // A = a_f · (1 − (1 − a_r)²).
    let shared = Tier::builder("db")
        .with_replicas(2)
        .with_depends_on(["feed A"])
        .with_failure(crash(1000.0, 20.0))
        .build()
        .expect("valid tier");
    let feed = vec![dependency("feed A", 2000.0, 50.0).build().expect("valid")];
    let service = Service::with_dependencies("one feed", Vec::new(), feed, vec![shared]).expect("valid");
    let one = in_service(&service, 200_000, 7);
    let r = unit(1000.0, 20.0);
    let exact = unit(2000.0, 50.0) * (1.0 - (1.0 - r) * (1.0 - r));
    assert_close(
        "one feed: availability",
        one.availability.mean,
        one.availability.std_error,
        exact,
    );
    assert!(one.availability.mean < a.mean);
}

#[test]
fn a_redundant_dependency_and_a_chain_of_them() {
    // The feeds as one dependency of 2 replicas, 1 required, under a switch that
    // stands on them: a tier on the switch is up while it, the switch and one feed are.
    let power = Dependency::builder("power")
        .with_replicas(2)
        .with_required(1)
        .with_failure(FailureMode::new("trips", exponential(500.0), exponential(50.0)))
        .build()
        .expect("valid");
    let switch = dependency("switch", 4000.0, 8.0)
        .with_depends_on(["power"])
        .build()
        .expect("valid");
    let tier = Tier::builder("app")
        .with_depends_on(["switch"])
        .with_failure(crash(1000.0, 10.0))
        .build()
        .expect("valid");
    let service = Service::with_dependencies("chain", Vec::new(), vec![power, switch], vec![tier]).expect("valid");
    let option = in_service(&service, 200_000, 13);
    let feed = unit(500.0, 50.0);
    let exact = unit(1000.0, 10.0) * unit(4000.0, 8.0) * (1.0 - (1.0 - feed) * (1.0 - feed));
    let a = option.availability;
    assert_close("a chain of dependencies: availability", a.mean, a.std_error, exact);
}

#[test]
fn a_dependency_that_never_fails_changes_no_number() {
    // Common random numbers: a dependency's streams are its own, so standing a tier on
    // one that never fails leaves every result as it was, to the bit.
    let tier = |depends: bool| {
        let builder = Tier::builder("db")
            .with_replicas(2)
            .with_required(1)
            .with_failure(crash(1000.0, 20.0));
        let builder = if depends {
            builder.with_depends_on(["rack"])
        } else {
            builder
        };
        builder.build().expect("valid")
    };
    let without = Service::new("db", vec![tier(false)]).expect("valid");
    let rack = Dependency::builder("rack").build().expect("valid");
    let with = Service::with_dependencies("db", Vec::new(), vec![rack], vec![tier(true)]).expect("valid");
    let (a, b) = (in_service(&without, 20_000, 3), in_service(&with, 20_000, 3));
    assert_eq!(a.availability, b.availability);
    assert_eq!(a.downtime_hours_per_year, b.downtime_hours_per_year);
    assert_eq!(a.tiers, b.tiers);
}

#[test]
fn a_dependency_costs_what_it_says() {
    let tier = Tier::builder("db")
        .with_depends_on(["array"])
        .with_cost_per_replica(1000.0)
        .with_failure(crash(1000.0, 20.0))
        .build()
        .expect("valid");
    let array = dependency("array", 1e5, 8.0)
        .with_replicas(2)
        .with_cost_per_replica(40_000.0)
        .with_fixed_cost(5_000.0)
        .build()
        .expect("valid");
    let service = Service::with_dependencies("db", Vec::new(), vec![array], vec![tier]).expect("valid");
    assert_eq!(service.infrastructure_cost(), 1000.0 + 2.0 * 40_000.0 + 5_000.0);
}

const SHARED: &str = r#"
name = "shared infrastructure"
[simulation]
replications = 2000
[[dependency]]
name = "core switch"
cost_per_replica = 20000
depends_on = ["power"]
[[dependency.failure]]
name = "switch failure"
every = "exp(mean=5y)"
repair = "4h"
[[dependency]]
name = "power"
replicas = 2
required = 1
[[dependency.failure]]
name = "feed trips"
every = "exp(mean=1y)"
repair = "lognormal(median=2h, sigma=0.8)"
[[tier]]
name = "application"
replicas = 2
depends_on = ["core switch"]
[[tier.failure]]
name = "host failure"
every = "exp(mean=4000h)"
repair = "4h"
[[tier]]
name = "database"
replicas = 2
strategy = "failover"
replica_depends_on = [["core switch"], ["core switch"]]
[[tier.failure]]
name = "host failure"
every = "exp(mean=4000h)"
repair = "4h"
"#;

#[test]
fn dependencies_load_from_a_scenario_file_and_run() {
    let scenario = Scenario::parse(SHARED, Format::Toml, "shared.toml").unwrap_or_else(|e| panic!("{e}"));
    let service = scenario.service();
    let names: Vec<&str> = service.dependencies().iter().map(|d| d.name()).collect();
    assert_eq!(names, ["core switch", "power"]);
    assert_eq!(service.dependencies()[0].depends_on(), ["power"]);
    assert_eq!(service.dependencies()[1].replicas(), 2);
    assert_eq!(service.tiers()[0].depends_on(), ["core switch"]);
    assert_eq!(service.tiers()[1].replica_dependencies(1), ["core switch"]);
    assert_eq!(service.infrastructure_cost(), 20_000.0);
    let report = scenario.run().expect("runs");
    let option = &report.options[0];
    assert!(
        option
            .disruptions
            .iter()
            .any(|d| d.class == "dependency failure" && d.outages > 0)
    );
    // The tiers are reported, not the dependencies (they are not in the request path).
    assert_eq!(option.tiers.len(), 2);
}

#[test]
fn dependency_mistakes_name_the_key_and_the_fix() {
    let with = |from: &str, to: &str| {
        assert!(SHARED.contains(from), "{from}");
        SHARED.replacen(from, to, 1)
    };
    assert_error(
        &with(r#"depends_on = ["core switch"]"#, r#"depends_on = ["core swich"]"#),
        &[
            "tier[0].depends_on[0]",
            "dependency \"core swich\"",
            "add a [[dependency]] named",
        ],
    );
    assert_error(
        &with(
            r#"replica_depends_on = [["core switch"], ["core switch"]]"#,
            r#"replica_depends_on = [["core switch"]]"#,
        ),
        &[
            "tier[1].replica_depends_on",
            "needs 2 (the tier's `replicas`), not 1",
            "one list of dependencies per replica",
        ],
    );
    assert_error(
        &with(r#"depends_on = ["power"]"#, r#"depends_on = ["nope"]"#),
        &["dependency[0].depends_on[0]", "\"nope\""],
    );
    assert_error(
        &with(
            "required = 1\n[[dependency.failure]]",
            "required = 1\ndepends_on = [\"core switch\"]\n[[dependency.failure]]",
        ),
        &["dependency[0].depends_on", "cycle", "core switch → power → core switch"],
    );
    assert_error(
        &with(
            "repair = \"4h\"\n[[dependency]]",
            "repair = \"4h\"\ndestroys_data = true\n[[dependency]]",
        ),
        &["dependency[0].failure[0].destroys_data", "holds none"],
    );
    assert_error(
        &with("cost_per_replica = 20000", "cost_per_replica = 20000\nsite = \"main\""),
        &["dependency[0].site", "\"main\"", "add a [[site]]"],
    );
    assert_error(
        &with(
            "replicas = 2\nrequired = 1\n[[dependency.failure]]",
            "replicas = 2\nrequired = 3\n[[dependency.failure]]",
        ),
        &["dependency[1].required", "dependency \"power\" requires 3 of 2"],
    );
    assert_error(
        &with("name = \"power\"", "name = \"database\""),
        &[
            "tier[1].name",
            "\"database\"",
            "unique among a service's tiers and dependencies",
        ],
    );
    assert_error(
        &with("name = \"power\"\nreplicas = 2", "name = \"power\"\nsite_of = 2"),
        &["dependency[1]", "site_of"],
    );
}

#[test]
fn importance_of_tiers_in_series_matches_the_product_form() {
    // Three independent tiers in series at steady state: perfecting tier i removes
    // H·Π_{j≠i} a_j·(1 − a_i) hours of downtime a year. Estimated on the same random
    // numbers, history by history, the difference is far less noisy than two
    // independent runs would make it.
    let units = [(1000.0, 10.0), (2000.0, 16.0), (800.0, 6.0)];
    let tiers = units
        .iter()
        .enumerate()
        .map(|(i, &(mttf, mttr))| {
            Tier::builder(format!("tier {i}"))
                .with_failure(crash(mttf, mttr))
                .build()
                .expect("valid")
        })
        .collect();
    let service = Service::new("series", tiers).expect("valid");
    let importance = Simulation::new()
        .with_replications(50_000)
        .with_seed(17)
        .importance(&service)
        .expect("runs");
    assert_eq!(importance.len(), 3);
    let a: Vec<f64> = units.iter().map(|&(f, r)| unit(f, r)).collect();
    for item in &importance {
        let i: usize = item.component["tier ".len()..].parse().expect("tier i");
        let others: f64 = (0..3).filter(|&j| j != i).map(|j| a[j]).product();
        let exact = nines::HOURS_PER_YEAR * others * (1.0 - a[i]);
        let removed = item.downtime_removed_hours_per_year;
        assert_close(
            &format!("{}: downtime removed", item.component),
            removed.mean,
            removed.std_error,
            exact,
        );
        let ratio = removed.std_error / item.unpaired_std_error;
        println!(
            "{}: paired standard error {:.4} h, unpaired {:.4} h, ratio {ratio:.3}",
            item.component, removed.std_error, item.unpaired_std_error
        );
        assert!(ratio < 0.7, "{}: paired/unpaired = {ratio}", item.component);
        assert!(item.single_point_of_failure, "a lone server is one");
        assert_eq!(item.kind, "tier");
        // Its own unavailability is that of a lone unit.
        let u = item.unavailability;
        assert_close(
            &format!("{}: own unavailability", item.component),
            u.mean,
            u.std_error,
            1.0 - a[i],
        );
        assert_eq!(item.cost_removed_per_year, None);
    }
    // Ranked by downtime removed: the tier with the most downtime first.
    let removed: Vec<f64> = importance
        .iter()
        .map(|i| i.downtime_removed_hours_per_year.mean)
        .collect();
    assert!(removed.windows(2).all(|w| w[0] >= w[1]), "{removed:?}");
    assert_eq!(importance[0].component, "tier 0");
    // In series, the service is down exactly while some tier is: the shares of the
    // downtime add up to all of it.
    let shares: f64 = importance.iter().map(|i| i.share_of_downtime.mean).sum();
    assert!((shares - 1.0).abs() < 1e-9, "the shares add up to {shares}");
    // Exactly, tier i's share is E[1{i down} / (tiers down)] / P(some tier down), over
    // the 8 states of three independent tiers.
    let mut exact_share = [0.0; 3];
    let mut down_probability = 0.0;
    for state in 1..8u32 {
        let p: f64 = (0..3)
            .map(|j| if state & (1 << j) != 0 { 1.0 - a[j] } else { a[j] })
            .product();
        down_probability += p;
        for (j, share) in exact_share.iter_mut().enumerate() {
            if state & (1 << j) != 0 {
                *share += p / f64::from(state.count_ones());
            }
        }
    }
    for item in &importance {
        let i: usize = item.component["tier ".len()..].parse().expect("tier i");
        let exact = exact_share[i] / down_probability;
        let share = item.share_of_downtime;
        assert_close(
            &format!("{}: share of the downtime", item.component),
            share.mean,
            share.std_error,
            exact,
        );
    }
}

#[test]
fn importance_finds_the_shared_feed() {
    // Two servers, either enough, both on one feed: the feed is a single point of
    // failure, the servers are not; on two feeds, no feed is.
    let build = |feeds: [&str; 2]| {
        let tier = Tier::builder("app")
            .with_replicas(2)
            .with_replica_depends_on([[feeds[0]], [feeds[1]]])
            .with_cost_per_replica(1000.0)
            .with_failure(crash(1000.0, 20.0))
            .build()
            .expect("valid");
        let feeds = vec![
            dependency("A", 4000.0, 8.0).build().expect("valid"),
            dependency("B", 4000.0, 8.0).build().expect("valid"),
        ];
        Service::with_dependencies("feeds", Vec::new(), feeds, vec![tier]).expect("valid")
    };
    let simulation = Simulation::new()
        .with_replications(20_000)
        .with_seed(3)
        .with_costs(nines::Costs::new("EUR").with_downtime_per_hour(1000.0));
    let one = simulation.importance(&build(["A", "A"])).expect("runs");
    let names: Vec<(&str, bool)> = one
        .iter()
        .map(|i| (i.component.as_str(), i.single_point_of_failure))
        .collect();
    // Feed B carries nothing here: it is not a component of this service.
    assert_eq!(names, [("A", true), ("app", false)]);
    let feed = &one[0];
    assert_eq!(feed.kind, "dependency");
    // Its downtime removed is nearly all the service's, worth the downtime rate.
    let cost = feed.cost_removed_per_year.expect("priced");
    assert!((cost.mean - 1000.0 * feed.downtime_removed_hours_per_year.mean).abs() < 1e-6 * cost.mean.max(1.0));
    // Exactly: the hours the feed is down while a server could serve, H·u_f·(1 − u_r²).
    let (u_feed, u_server) = (1.0 - unit(4000.0, 8.0), 1.0 - unit(1000.0, 20.0));
    let exact = nines::HOURS_PER_YEAR * u_feed * (1.0 - u_server * u_server);
    let removed = feed.downtime_removed_hours_per_year;
    assert_close(
        "the shared feed: downtime removed",
        removed.mean,
        removed.std_error,
        exact,
    );
    // Its own unavailability, at steady state: a lone exponential unit's.
    let u = feed.unavailability;
    assert_close("the shared feed: own unavailability", u.mean, u.std_error, u_feed);
    // The servers are down of their own accord only while both have failed and the
    // feed is up: while it is down, they are stopped by it.
    let app = &one[1];
    let u = app.unavailability;
    let exact = (1.0 - u_feed) * u_server * u_server;
    assert_close(
        "the servers on the feed: own unavailability",
        u.mean,
        u.std_error,
        exact,
    );
    // The service is down while the feed is: all that time falls to the feed (the
    // servers it stops are not down of their own accord), history by history; the
    // rest to the servers.
    let feed_hours = feed.share_of_downtime.mean * feed.downtime_hours_per_year;
    let own_hours = feed.unavailability.mean * nines::HOURS_PER_YEAR;
    assert!(
        (feed_hours - own_hours).abs() < 1e-9 * own_hours,
        "{feed_hours} h against {own_hours} h"
    );
    assert!(
        (feed.share_of_downtime.mean + app.share_of_downtime.mean - 1.0).abs() < 1e-9,
        "{one:?}"
    );
    let two = simulation.importance(&build(["A", "B"])).expect("runs");
    assert!(two.iter().all(|i| !i.single_point_of_failure), "{two:?}");
    // On two feeds, each feed is down of its own accord while it is down, whatever
    // the servers do.
    for feed in two.iter().filter(|i| i.kind == "dependency") {
        let u = feed.unavailability;
        assert_close(
            &format!("feed {}: own unavailability", feed.component),
            u.mean,
            u.std_error,
            u_feed,
        );
    }
}

#[test]
fn a_dependency_nothing_stands_on_is_neither_simulated_nor_paid_for() {
    // Options share the file's dependencies; one that no tier of an option stands on
    // (a second switch an option does not use) changes nothing in it.
    let tier = || {
        Tier::builder("db")
            .with_replicas(2)
            .with_failure(crash(1000.0, 20.0))
            .build()
            .expect("valid")
    };
    let spare = dependency("spare switch", 500.0, 10.0)
        .with_cost_per_replica(9_000.0)
        .build()
        .expect("valid");
    let with = Service::with_dependencies("db", Vec::new(), vec![spare], vec![tier()]).expect("valid");
    let without = Service::new("db", vec![tier()]).expect("valid");
    assert_eq!(with.dependencies_used().count(), 0);
    assert_eq!(with.infrastructure_cost(), without.infrastructure_cost());
    let (a, b) = (in_service(&with, 5_000, 1), in_service(&without, 5_000, 1));
    assert_eq!(a.availability, b.availability);
    assert_eq!(a.disruptions, b.disruptions);
}
