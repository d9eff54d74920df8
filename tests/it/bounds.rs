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
