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
