//! Scenario files: the shipped ones load, and every kind of bad input gets an error that
//! names the file, the key path and the fix.

use nines::{Format, Scenario};

const VALID: &str = r#"
name = "single database server"
[simulation]
horizon = "1y"
replications = 100000
seed = 42
[[tier]]
name = "database"
replicas = 1
[[tier.failure]]
name = "host crash"
every = "exp(mean=1000h)"
repair = "exp(mean=10h)"
"#;

fn error(text: &str) -> String {
    match Scenario::parse(text, Format::Toml, "test.toml") {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

fn assert_error(text: &str, expected: &[&str]) {
    let message = error(text);
    for part in expected {
        assert!(message.contains(part), "{message:?} should contain {part:?}");
    }
}

#[test]
fn the_issue_example_loads_as_written() {
    let scenario = Scenario::parse(VALID, Format::Toml, "test.toml").expect("valid scenario");
    assert_eq!(scenario.name(), "single database server");
    assert_eq!(scenario.simulation().horizon_hours(), 8760.0);
    assert_eq!(scenario.simulation().replication_count(), 100_000);
    assert_eq!(scenario.simulation().seed_value(), 42);
    let tier = &scenario.service().tiers()[0];
    assert_eq!((tier.name(), tier.replicas(), tier.required()), ("database", 1, 1));
    assert_eq!(tier.failures()[0].every().mean(), 1000.0);
    assert_eq!(tier.failures()[0].repair().mean(), 10.0);
}

#[test]
fn json_describes_the_same_scenario() {
    let json = r#"{"name": "single database server",
        "simulation": {"horizon": "1y", "replications": 100000, "seed": 42},
        "tier": [{"name": "database", "replicas": 1,
                  "failure": [{"name": "host crash", "every": "exp(mean=1000h)", "repair": "exp(mean=10h)"}]}]}"#;
    let from_json = Scenario::parse(json, Format::Json, "test.json").expect("valid JSON scenario");
    let from_toml = Scenario::parse(VALID, Format::Toml, "test.toml").expect("valid TOML scenario");
    assert_eq!(from_json, from_toml);
}

#[test]
fn shipped_scenarios_load() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("scenarios/ exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
            count += 1;
        }
    }
    assert!(count >= 1, "no scenario in {dir}");
}

#[test]
fn unknown_keys_are_rejected_with_their_path() {
    assert_error(
        &VALID.replace("replicas = 1", "replica = 1"),
        &["test.toml", "tier[0]", "unknown field `replica`", "replicas"],
    );
    assert_error(
        &VALID.replace("seed = 42", "seed = 42\nsead = 1"),
        &["simulation", "unknown field `sead`"],
    );
    assert_error(
        &VALID.replace("name = \"host crash\"", "name = \"host crash\"\nmtbf = 3"),
        &["tier[0].failure[0]", "`mtbf`"],
    );
}

#[test]
fn wrong_types_are_rejected_with_their_path() {
    assert_error(
        &VALID.replace("replicas = 1", "replicas = \"two\""),
        &["tier[0].replicas", "invalid type"],
    );
    assert_error(
        &VALID.replace("replications = 100000", "replications = -5"),
        &["simulation.replications"],
    );
    assert_error(&VALID.replace("replicas = 1", "replicas = 1.5"), &["tier[0].replicas"]);
}

#[test]
fn missing_required_keys_are_named() {
    assert_error(
        &VALID.replace("repair = \"exp(mean=10h)\"", ""),
        &["tier[0].failure[0]", "missing field `repair`"],
    );
    assert_error(
        &VALID.replace("name = \"database\"", ""),
        &["tier[0]", "missing field `name`"],
    );
    assert_error(
        &VALID.replace("name = \"single database server\"", ""),
        &["missing field `name`"],
    );
}

#[test]
fn invalid_models_name_the_key_and_the_fix() {
    assert_error(
        &VALID.replace("replicas = 1", "replicas = 2\nrequired = 3"),
        &[
            "test.toml: tier[0].required:",
            "requires 3 of 2",
            "between 1 and `replicas` (2)",
        ],
    );
    assert_error(
        &VALID.replace("replicas = 1", "replicas = 0"),
        &["tier[0].replicas", "0 replicas"],
    );
    assert_error(
        &VALID.replace("replicas = 1", "repair_crews = 0"),
        &["tier[0].repair_crews", "at least 1"],
    );
    assert_error(
        &VALID.replace("horizon = \"1y\"", "horizon = 0"),
        &["simulation.horizon", "positive"],
    );
    assert_error(
        &VALID.replace("replications = 100000", "replications = 0"),
        &["simulation.replications"],
    );
    let no_tier = VALID.split("[[tier]]").next().expect("has a head");
    assert_error(no_tier, &["test.toml: tier:", "no tier"]);
    let duplicate_mode =
        format!("{VALID}\n[[tier.failure]]\nname = \"host crash\"\nevery = \"1000h\"\nrepair = \"1h\"\n");
    assert_error(
        &duplicate_mode,
        &["tier[0].failure[1].name", "two failure modes named \"host crash\""],
    );
    let duplicate_tier = format!("{VALID}\n[[tier]]\nname = \"database\"\n");
    assert_error(&duplicate_tier, &["tier[1].name", "two tiers are named \"database\""]);
}

#[test]
fn invalid_distributions_name_the_key() {
    assert_error(&VALID.replace("mean=10h", "mean=-10h"), &["tier[0].failure[0].repair"]);
    assert_error(
        &VALID.replace("exp(mean=1000h)", "weibull(shape=0, scale=1000h)"),
        &["tier[0].failure[0].every", "shape"],
    );
    assert_error(
        &VALID.replace("\"exp(mean=1000h)\"", "nan"),
        &["tier[0].failure[0].every"],
    );
    assert_error(
        &VALID.replace("\"exp(mean=1000h)\"", "-5"),
        &["tier[0].failure[0].every"],
    );
    assert_error(
        &VALID.replace("exp(mean=1000h)", "expo(mean=1000h)"),
        &["tier[0].failure[0].every", "expo"],
    );
    assert_error(&VALID.replace("\"1y\"", "\"1yr\""), &["simulation.horizon", "1yr"]);
}

#[test]
fn syntax_errors_name_the_file_and_line() {
    assert_error("name = \"x\"\n[[tier]\n", &["test.toml", "line 2"]);
    let message = match Scenario::parse("{\"name\": ", Format::Json, "test.json") {
        Ok(_) => panic!("truncated JSON parsed"),
        Err(e) => e.to_string(),
    };
    assert!(message.contains("test.json") && message.contains("line 1"), "{message}");
}

#[test]
fn a_missing_file_is_reported_with_its_path() {
    let message = Scenario::load("/nonexistent/dir/scenario.toml")
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("/nonexistent/dir/scenario.toml: cannot read the file"),
        "{message}"
    );
}
