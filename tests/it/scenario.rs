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

/// The message of the error `text` must give, as from `test.toml`.
pub(crate) fn error(text: &str) -> String {
    match Scenario::parse(text, Format::Toml, "test.toml") {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// Asserts that `text` fails with a message holding every one of `expected`.
pub(crate) fn assert_error(text: &str, expected: &[&str]) {
    let message = error(text);
    for part in expected {
        assert!(message.contains(part), "{message:?} should contain {part:?}");
    }
}

#[test]
fn the_issue_example_loads_as_written() {
    let scenario = Scenario::parse(VALID, Format::Toml, "test.toml").expect("valid scenario");
    assert_eq!(scenario.name(), "single database server");
    assert_eq!(scenario.simulation().horizon(), 8760.0);
    assert_eq!(scenario.simulation().replications(), 100_000);
    assert_eq!(scenario.simulation().seed(), 42);
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
        &["simulation.horizon", "between 1 h and 1000 years"],
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
fn how_histories_start_is_checked() {
    let with = |line: &str| VALID.replace("seed = 42", &format!("seed = 42\n{line}"));
    let scenario = Scenario::parse(&with("start = \"new\""), Format::Toml, "test.toml").expect("valid");
    assert_eq!(scenario.simulation().start(), nines::Start::New);
    let scenario = Scenario::parse(&with("warm_up = \"2y\""), Format::Toml, "test.toml").expect("valid");
    assert_eq!(scenario.simulation().warm_up(), Some(2.0 * 8760.0));
    assert_error(
        &with("start = \"sometimes\""),
        &["test.toml: simulation.start", "sometimes", "steady", "new"],
    );
    assert_error(&with("warm_up = \"-1h\""), &["simulation.warm_up"]);
    assert_error(
        &with("warm_up = \"2000y\""),
        &[
            "test.toml: simulation.warm_up",
            "between 0 and 1000 years",
            "leave it out",
        ],
    );
}

#[test]
fn the_price_of_a_loss_for_good_is_checked() {
    let costs = |value: &str| format!("{VALID}\n[costs]\ncurrency = \"EUR\"\nunrecoverable_loss = {value}\n");
    let scenario = Scenario::parse(&costs("2e6"), Format::Toml, "test.toml").expect("valid");
    let rates = scenario.simulation().costs().expect("costs");
    assert_eq!(rates.unrecoverable_loss(), Some(2e6));
    assert_error(&costs("-1"), &["test.toml: costs.unrecoverable_loss", "from 0 to 1e15"]);
    assert_error(&costs("nan"), &["costs.unrecoverable_loss", "from 0 to 1e15"]);
    assert_error(&costs("inf"), &["costs.unrecoverable_loss", "from 0 to 1e15"]);
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

const FAILOVER: &str = r#"
name = "failover"
[[tier]]
name = "database"
replicas = 2
strategy = "failover"
[tier.failover]
detection = "1m"
switchover = "3m"
success = 0.97
manual_recovery = "1h"
dormant_factor = 0.5
standby_failures = "latent"
test_every = "30d"
test_duration = "5m"
[tier.backup]
every = "1d"
restore = "lognormal(median=3h, sigma=0.5)"
success = 0.95
[[tier.failure]]
name = "host crash"
every = "exp(mean=1000h)"
repair = "exp(mean=10h)"
[[tier.failure]]
name = "corruption"
scope = "tier"
every = "exp(mean=5y)"
repair = "1d"
destroys_data = true
"#;

#[test]
fn failover_and_backup_tables_load_into_the_model() {
    let scenario = Scenario::parse(FAILOVER, Format::Toml, "test.toml").expect("valid scenario");
    let tier = &scenario.service().tiers()[0];
    let failover = tier.failover().expect("a failover tier");
    assert_eq!(failover.detection().mean(), 1.0 / 60.0);
    assert_eq!(failover.switchover().mean(), 3.0 / 60.0);
    assert_eq!(failover.success(), 0.97);
    assert_eq!(failover.manual_recovery().map(|d| d.mean()), Some(1.0));
    assert_eq!(failover.dormant_factor(), 0.5);
    assert_eq!(failover.standby_failures(), nines::StandbyFailures::Latent);
    assert_eq!(failover.test_every(), Some(720.0));
    assert_eq!(failover.test_duration().map(|d| d.mean()), Some(5.0 / 60.0));
    let backup = tier.backup().expect("a backup policy");
    assert_eq!((backup.every(), backup.success()), (24.0, 0.95));
    assert!(tier.failures()[1].destroys_data());
    assert_eq!(tier.failures()[1].scope(), nines::Scope::Tier);
}

#[test]
fn a_failover_strategy_without_a_table_gets_instant_perfect_failover() {
    let text = FAILOVER.split("[tier.failover]").next().expect("head").to_owned()
        + "[[tier.failure]]\nname = \"crash\"\nevery = \"1000h\"\nrepair = \"1h\"\n";
    let scenario = Scenario::parse(&text, Format::Toml, "test.toml").expect("valid scenario");
    let failover = scenario.service().tiers()[0].failover().expect("a failover tier");
    assert_eq!((failover.detection().mean(), failover.success()), (0.0, 1.0));
}

#[test]
fn backup_only_is_one_replica_whose_failures_destroy_data() {
    let text = VALID.replace(
        "replicas = 1",
        "replicas = 1\nstrategy = \"backup-only\"\n[tier.backup]\nevery = \"1d\"\nrestore = \"4h\"",
    );
    let scenario = Scenario::parse(&text, Format::Toml, "test.toml").expect("valid scenario");
    let tier = &scenario.service().tiers()[0];
    assert!(tier.failures()[0].destroys_data());
    assert!(tier.backup().is_some() && tier.failover().is_none());
}

#[test]
fn failover_and_backup_errors_name_the_key_and_the_fix() {
    assert_error(
        &FAILOVER.replace("strategy = \"failover\"", ""),
        &["tier[0].failover", "needs `strategy = \"failover\"`"],
    );
    assert_error(
        &FAILOVER.replace("replicas = 2", "replicas = 1"),
        &["tier[0].replicas", "at least one standby"],
    );
    assert_error(
        &FAILOVER.replace("success = 0.97", "success = 1.5"),
        &["tier[0].failover.success", "between 0 and 1"],
    );
    assert_error(
        &FAILOVER.replace("manual_recovery = \"1h\"", ""),
        &["tier[0].failover.manual_recovery", "missing"],
    );
    assert_error(
        &FAILOVER.replace("dormant_factor = 0.5", "dormant_factor = 2"),
        &["tier[0].failover.dormant_factor"],
    );
    assert_error(
        &FAILOVER.replace("test_every = \"30d\"", "test_every = 0"),
        &["tier[0].failover.test_every"],
    );
    assert_error(
        &FAILOVER.replace("\"latent\"", "\"silent\""),
        &["tier[0].failover.standby_failures", "`latent`"],
    );
    assert_error(
        &FAILOVER.replace("strategy = \"failover\"", "strategy = \"hot\""),
        &["tier[0].strategy", "`failover`"],
    );
    assert_error(
        &FAILOVER.replace("detection = \"1m\"", "detectoin = \"1m\""),
        &["tier[0].failover", "`detectoin`"],
    );
    assert_error(
        &FAILOVER.replace("every = \"1d\"", ""),
        &["tier[0].backup", "missing field `every`"],
    );
    assert_error(
        &FAILOVER.replace("success = 0.95", "success = -1"),
        &["tier[0].backup.success"],
    );
    assert_error(
        &FAILOVER.replace("every = \"1d\"", "every = \"0h\""),
        &["tier[0].backup.every", "positive"],
    );
    let backup_only = VALID.replace("replicas = 1", "replicas = 2\nstrategy = \"backup-only\"");
    assert_error(&backup_only, &["tier[0].replicas", "one replica"]);
    let no_backup = VALID.replace("replicas = 1", "strategy = \"backup-only\"");
    assert_error(&no_backup, &["tier[0].backup", "needs a [tier.backup]"]);
    let contradiction = format!("{no_backup}destroys_data = false\n[tier.backup]\nevery = \"1d\"\nrestore = \"4h\"\n");
    assert_error(&contradiction, &["tier[0].failure[0].destroys_data", "backup-only"]);
}

/// A value of the wrong type is explained in the file's words, never with an internal
/// type name (`expected struct BackupFile`).
#[test]
fn wrong_types_are_explained_without_internal_names() {
    let tier = "[[tier]]\nname = \"db\"\n";
    let failure = "[[tier.failure]]\nname = \"crash\"\nevery = \"1000h\"\nrepair = \"1h\"\n";
    let cases = [
        (
            format!("name = \"s\"\nsimulation = 5\n{tier}{failure}"),
            "simulation",
            "a [simulation] table",
        ),
        (
            format!("name = \"s\"\ncosts = 5\n{tier}{failure}"),
            "costs",
            "a [costs] table",
        ),
        (
            format!("name = \"s\"\nsla = 5\n{tier}{failure}"),
            "sla",
            "an [sla] table",
        ),
        (
            format!("name = \"s\"\noption = [5]\n{tier}{failure}"),
            "option[0]",
            "an [[option]] table",
        ),
        ("name = \"s\"\ntier = [5]".to_owned(), "tier[0]", "a [[tier]] table"),
        (
            format!("name = \"s\"\n{tier}failure = [5]"),
            "tier[0].failure[0]",
            "a [[tier.failure]] table",
        ),
        (
            format!("name = \"s\"\n{tier}backup = 5\n{failure}"),
            "tier[0].backup",
            "a [tier.backup] table",
        ),
        (
            format!("name = \"s\"\n{tier}replicas = 2\nstrategy = \"failover\"\nfailover = 5\n{failure}"),
            "tier[0].failover",
            "a [tier.failover] table",
        ),
        (
            format!("name = \"s\"\n{tier}strategy = 5\n{failure}"),
            "tier[0].strategy",
            "wanted string",
        ),
        (
            format!("name = \"s\"\n{tier}{failure}scope = 5\n"),
            "tier[0].failure[0].scope",
            "wanted string",
        ),
        (
            format!(
                "name = \"s\"\n{tier}replicas = 2\nstrategy = \"failover\"\n[tier.failover]\nstandby_failures = 5\n{failure}"
            ),
            "tier[0].failover.standby_failures",
            "wanted string",
        ),
    ];
    for (text, key, expected) in &cases {
        let message = error(text);
        assert!(
            message.contains(&format!("test.toml: {key}")),
            "{message:?} should name {key}"
        );
        assert!(message.contains(expected), "{message:?} should contain {expected:?}");
        for internal in ["File", "struct ", "enum ", "Strategy", "StandbyFailures", "Scope"] {
            assert!(
                !message.contains(internal),
                "{message:?} names an internal type ({internal:?})"
            );
        }
    }
    // The same for JSON, and for a whole file of the wrong shape.
    let message = match Scenario::parse("5", Format::Json, "test.json") {
        Ok(_) => panic!("a number is not a scenario"),
        Err(e) => e.to_string(),
    };
    assert!(
        message.contains("test.json") && message.contains("a scenario: a table with `name`"),
        "{message}"
    );
}

/// A database on two sites, for the site errors below.
const SITES: &str = r#"
name = "two sites"
[[site]]
name = "main"
[[site.failure]]
name = "power"
every = "exp(mean=5y)"
repair = "4h"
[[site]]
name = "dr"
[[tier]]
name = "database"
replicas = 2
strategy = "failover"
sites = ["main", "dr"]
[tier.failover]
switchover = "3m"
[tier.failover.cross_site]
detection = "30m"
[tier.replication]
cross_site_lag = "exp(mean=5m)"
[tier.backup]
every = "1d"
restore = "2h"
site = "dr"
[[tier.failure]]
name = "host"
every = "exp(mean=4000h)"
repair = "4h"
"#;

#[test]
fn sites_load_and_their_mistakes_name_the_key_and_the_fix() {
    let scenario = Scenario::parse(SITES, Format::Toml, "test.toml").expect("valid");
    let service = scenario.service();
    assert_eq!(service.sites().len(), 2);
    let tier = &service.tiers()[0];
    assert_eq!((tier.replica_site(0), tier.replica_site(1)), (Some("main"), Some("dr")));
    assert_eq!(tier.backup().and_then(|b| b.site()), Some("dr"));
    assert!(tier.failover().and_then(|f| f.cross_site()).is_some());
    assert_error(
        &SITES.replace("sites = [\"main\", \"dr\"]", "sites = [\"main\", \"dr2\"]"),
        &[
            "test.toml: tier[0].sites[1]",
            "names site \"dr2\"",
            "[\"main\", \"dr\"]",
            "add a [[site]] named \"dr2\"",
        ],
    );
    assert_error(
        &SITES.replace(
            "sites = [\"main\", \"dr\"]",
            "sites = [\"main\", \"dr\"]\nplacement = [\"main\", \"dr\"]",
        ),
        &["test.toml: tier[0].placement", "both `sites` and `placement`"],
    );
    assert_error(
        &SITES.replace("sites = [\"main\", \"dr\"]", "placement = [\"main\", \"dr\", \"dr\"]"),
        &[
            "test.toml: tier[0].placement",
            "places 3 replicas but has 2",
            "give it 2 names",
        ],
    );
    assert_error(
        &SITES.replace("sites = [\"main\", \"dr\"]", "placement = [\"main\"]"),
        &["test.toml: tier[0].placement", "places 1 replica but has 2"],
    );
    assert_error(
        &SITES.replace("sites = [\"main\", \"dr\"]", "sites = [\"main\"]"),
        &[
            "test.toml: tier[0].failover.cross_site",
            "stand in one site",
            "remove the cross-site table",
        ],
    );
    assert_error(
        &SITES.replace("site = \"dr\"", "site = \"vault\""),
        &["test.toml: tier[0].backup.site", "names site \"vault\""],
    );
    assert_error(
        &SITES.replace("cross_site_lag = \"exp(mean=5m)\"", "cross_site_lag = \"-5m\""),
        &["test.toml: tier[0].replication.cross_site_lag"],
    );
    assert_error(
        &SITES.replace("[tier.replication]", "[tier.replication]\nlagg = \"1m\""),
        &["test.toml: tier[0].replication", "lagg"],
    );
    assert_error(
        &SITES.replace("name = \"dr\"\n[[tier]]", "name = \"main\"\n[[tier]]"),
        &["test.toml: site[1].name", "two sites are named \"main\""],
    );
    assert_error(
        &SITES.replace(
            "repair = \"4h\"\n[[site]]",
            "repair = \"4h\"\n[[site.failure]]\nname = \"power\"\nevery = \"1y\"\nrepair = \"1h\"\n[[site]]",
        ),
        &["test.toml: site[0].failure[1].name", "another failure mode of the site"],
    );
    assert_error(
        &SITES.replace(
            "[tier.failover.cross_site]",
            "[tier.failover.cross_site]\nsuccess = 1.5",
        ),
        &["test.toml: tier[0].failover.cross_site.success", "between 0 and 1"],
    );
    assert_error(
        &SITES.replace(
            "[tier.failover.cross_site]",
            "[tier.failover.cross_site]\nsuccess = 0.9",
        ),
        &["test.toml: tier[0].failover.cross_site.manual_recovery", "is missing"],
    );
    assert_error(
        &SITES.replace("every = \"exp(mean=5y)\"", "every = \"exp(mean=10s)\""),
        &[
            "test.toml: site[0].failure[0].every",
            "failure mode \"power\" of site \"main\"",
            "make `every` longer",
        ],
    );
}
