//! Inputs past sane bounds: each is refused with the file, the key path, the bound and
//! the fix, before anything runs (never a hang, an abort or gigabytes).

use crate::scenario::assert_error;

const VALID: &str = r#"
name = "bounds"
[simulation]
horizon = "1y"
replications = 100
seed = 1
[[tier]]
name = "database"
replicas = 2
[[tier.failure]]
name = "host crash"
every = "exp(mean=1000h)"
repair = "exp(mean=10h)"
"#;

const DURATION_BOUNDS: &str = "between 1e-9 h (3.6 µs) and 1e9 h (about 114,000 years)";

#[test]
fn durations_and_means_out_of_bounds_name_the_key_and_the_bound() {
    for (from, to, key) in [
        ("horizon = \"1y\"", "horizon = \"1e-300h\"", "simulation.horizon"),
        ("horizon = \"1y\"", "horizon = \"1e-310h\"", "simulation.horizon"),
        ("horizon = \"1y\"", "horizon = \"1e300h\"", "simulation.horizon"),
        ("horizon = \"1y\"", "horizon = 1e300", "simulation.horizon"),
        ("exp(mean=1000h)", "exp(mean=1e-12h)", "tier[0].failure[0].every"),
        (
            "exp(mean=1000h)",
            "uniform(min=0h, max=1e-300h)",
            "tier[0].failure[0].every",
        ),
        ("exp(mean=10h)", "exp(mean=1e300h)", "tier[0].failure[0].repair"),
        (
            "exp(mean=10h)",
            "gamma(shape=2, mean=1e10h)",
            "tier[0].failure[0].repair",
        ),
    ] {
        assert_error(&VALID.replace(from, to), &["test.toml", key, DURATION_BOUNDS]);
    }
    // A mean out of bounds from parameters that are each within them.
    assert_error(
        &VALID.replace("exp(mean=10h)", "lognormal(median=1h, sigma=8)"),
        &[
            "tier[0].failure[0].repair",
            "has a mean of",
            "1e9 h (about 114,000 years)",
            "smaller lognormal sigma",
        ],
    );
    // The gamma shape whose cdf and quantile never returned.
    assert_error(
        &VALID.replace("exp(mean=10h)", "gamma(shape=1e300, mean=1h)"),
        &[
            "tier[0].failure[0].repair",
            "shape = 1e300",
            "between 0.001 and 1000000",
        ],
    );
}

#[test]
fn model_bounds_name_the_key_the_bound_and_the_fix() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "replicas = 2",
            "replicas = 1000000000",
            &[
                "tier[0].replicas",
                "1000000000 replicas, more than the bound of 10000 per tier",
            ],
        ),
        (
            "exp(mean=1000h)",
            "exp(mean=1s)",
            &[
                "tier[0].failure[0].every",
                "more than the bound of 1e6",
                "failure mode \"host crash\" of tier \"database\"",
                "make `every` longer",
            ],
        ),
        (
            "replicas = 2",
            "replicas = 2\nstrategy = \"failover\"\n[tier.failover]\ntest_every = \"1s\"",
            &["tier[0].failover.test_every", "more than the bound of 1e6"],
        ),
        (
            "replicas = 2",
            "replicas = 2\n[tier.backup]\nevery = \"1s\"\nrestore = \"1h\"",
            &["tier[0].backup.every", "more than the bound of 1e6"],
        ),
        (
            "replicas = 2",
            "replicas = 2\nstrategy = \"failover\"\n[tier.failover]\ntest_every = \"1h\"\ntest_duration = \"2h\"",
            &[
                "tier[0].failover.test_duration",
                "as long as or longer than `test_every` = 1 h",
                "make `test_duration` shorter",
            ],
        ),
        (
            "replicas = 2",
            "replicas = 2\ncost_per_replica = 1.5e308",
            &["tier[0].cost_per_replica", "1.5e308", "from 0 to 1e15", "finite"],
        ),
        (
            "replicas = 2",
            "replicas = 2\nfixed_cost = 1e16",
            &["tier[0].fixed_cost", "1e16", "from 0 to 1e15"],
        ),
        (
            "seed = 1",
            "seed = 1\n[costs]\ndowntime_per_hour = 1e308",
            &["costs.downtime_per_hour", "1e308", "from 0 to 1e15"],
        ),
    ];
    for (from, to, expected) in cases {
        let text = VALID.replace(from, to);
        assert_ne!(text, VALID, "{from:?} is not in the scenario");
        let mut parts = vec!["test.toml"];
        parts.extend_from_slice(expected);
        assert_error(&text, &parts);
    }
    // An option's change is checked the same way, and named by the option's path.
    assert_error(
        &format!("{VALID}\n[[option]]\nname = \"huge\"\ntier.database.replicas = 4000000000\n"),
        &[
            "test.toml",
            "option[0].tier.database.replicas",
            "more than the bound of 10000",
        ],
    );
}

/// One small report, as the simulator writes it.
fn small_report() -> nines::Report {
    let scenario = nines::Scenario::parse(VALID, nines::Format::Toml, "test.toml").expect("valid");
    scenario.run().expect("runs")
}

#[test]
fn the_library_refuses_settings_past_their_bounds() {
    use nines::{SimError, Simulation};
    let scenario = nines::Scenario::parse(VALID, nines::Format::Toml, "test.toml").expect("valid");
    let service = scenario.service();
    let run = |simulation: Simulation| simulation.with_replications(10).run(service).unwrap_err();
    assert!(matches!(
        run(Simulation::new().with_horizon(1e-320)),
        SimError::Horizon(_)
    ));
    assert!(matches!(
        run(Simulation::new().with_horizon(f64::NAN)),
        SimError::Horizon(_)
    ));
    assert!(matches!(
        run(Simulation::new().with_horizon(1e300)),
        SimError::Horizon(_)
    ));
    assert!(matches!(
        run(Simulation::new().with_threads(10_000)),
        SimError::TooManyThreads(10_000)
    ));
    assert!(matches!(run(Simulation::new().with_warm_up(-1.0)), SimError::WarmUp(_)));
    let too_many = Simulation::new().with_replications(u64::MAX).run(service).unwrap_err();
    assert!(matches!(too_many, SimError::TooManyReplications(_)), "{too_many}");
    let err = Simulation::new().histories(service, 0..u64::MAX).unwrap_err();
    assert!(matches!(err, SimError::TooManyHistories(_)));
    assert!(err.to_string().contains("at most 100000"), "{err}");
    let message = run(Simulation::new().with_horizon(1e-320)).to_string();
    assert!(message.contains("between 1 h and 1000 years"), "{message}");
}

#[test]
fn a_report_read_back_is_checked() {
    let report = small_report();
    report.check().expect("a report the simulator wrote holds");
    let json = serde_json::to_value(&report).expect("serialises");
    let back: nines::Report = serde_json::from_value(json.clone()).expect("reads back");
    assert_eq!(back, report);
    let broken: &[(&str, serde_json::Value, &str)] = &[
        (
            "/options/0/availability/mean",
            1.5.into(),
            "options[0].availability.mean",
        ),
        (
            "/options/0/downtime_hours_per_year/p99",
            (-1.0).into(),
            "downtime_hours_per_year.p99",
        ),
        (
            "/options/0/downtime_percentiles_hours/3",
            1e9.into(),
            "downtime_percentiles_hours",
        ),
        (
            "/options/0/unrecoverable_probability/mean",
            2.0.into(),
            "unrecoverable_probability",
        ),
        (
            "/options/0/tiers/0/downtime_share",
            (-0.5).into(),
            "tiers[0].downtime_share",
        ),
        ("/horizon_hours", 1e-320.into(), "horizon_hours"),
        ("/replications", 0.into(), "replications"),
        ("/options", serde_json::json!([]), "options"),
    ];
    for (pointer, value, field) in broken {
        let mut changed = json.clone();
        *changed.pointer_mut(pointer).expect("the field exists") = value.clone();
        let err = serde_json::from_value::<nines::Report>(changed)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(field) && err.contains("invalid report"),
            "{pointer}: {err}"
        );
    }
    // NaN has no JSON form: serde writes null, which is not a number either.
    let mut changed = json.clone();
    *changed.pointer_mut("/options/0/outages_per_year/mean").expect("exists") = serde_json::Value::Null;
    assert!(serde_json::from_value::<nines::Report>(changed).is_err());
}
