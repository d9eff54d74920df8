//! What each class of disruption did, in every output: the table shows the targets
//! only when they are set, the CSV has the same header whatever the run and the
//! report's values in its cells, and a report read back from JSON with the recovery
//! objectives passes its checks (and one that contradicts them does not).

use std::sync::OnceLock;

use nines::{DisruptionReport, Format, Report, ReportError, Scenario};

/// Two sites, a failover pair across them with a cross-site failover and DR tests,
/// backups kept at the DR site; an RTO of 4 h and an RPO of 15 min.
pub(crate) const DR: &str = r#"
name = "dr test"
[simulation]
replications = 4000
seed = 3
[sla]
availability = 0.999
rto = "4h"
rpo = "15m"
[[site]]
name = "main"
[[site.failure]]
name = "power"
every = "exp(mean=2y)"
repair = "exp(mean=6h)"
[[site.failure]]
name = "fire"
every = "exp(mean=50y)"
repair = "30d"
destroys_data = true
[[site]]
name = "dr"
[[site.failure]]
name = "power"
every = "exp(mean=2y)"
repair = "exp(mean=6h)"
[[tier]]
name = "database"
replicas = 2
strategy = "failover"
placement = ["main", "dr"]
[tier.failover]
detection = "1m"
switchover = "3m"
standby_failures = "latent"
test_every = "30d"
[tier.failover.cross_site]
detection = "30m"
switchover = "15m"
success = 0.9
manual_recovery = "2h"
test_every = "1y"
test_duration = "1h"
[tier.replication]
cross_site_lag = "exp(mean=5m)"
[tier.backup]
every = "1d"
restore = "4h"
site = "dr"
[[tier.failure]]
name = "host"
every = "exp(mean=4000h)"
repair = "exp(mean=4h)"
"#;

fn run(text: &str) -> Report {
    Scenario::parse(text, Format::Toml, "dr.toml")
        .unwrap_or_else(|e| panic!("{e}"))
        .run()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The DR scenario's report, with its RTO and RPO.
pub(crate) fn dr() -> &'static Report {
    static DR_REPORT: OnceLock<Report> = OnceLock::new();
    DR_REPORT.get_or_init(|| run(DR))
}

/// The same scenario without an RTO (the RPO stays).
fn dr_without_rto() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| run(&DR.replace("rto = \"4h\"\n", "")))
}

/// The shipped EHR comparison (five options, costs, an SLA), on a few replications:
/// enough for its table's shape.
fn ehr() -> &'static Report {
    static EHR: OnceLock<Report> = OnceLock::new();
    EHR.get_or_init(|| {
        let scenario = Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ehr.toml")).unwrap();
        scenario
            .run_with(&scenario.simulation().clone().with_replications(500))
            .unwrap()
    })
}

/// One database server: one class of disruption, no data lost, no targets.
fn single() -> Report {
    let scenario = Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/single-server.toml")).unwrap();
    let simulation = scenario.simulation().clone().with_replications(500);
    scenario.run_with(&simulation).unwrap()
}

#[test]
fn the_report_carries_its_recovery_objectives() {
    let report = dr();
    assert_eq!(report.rto_hours, Some(4.0));
    assert_eq!(report.rpo_hours, Some(0.25));
    assert_eq!(dr_without_rto().rto_hours, None);
    assert_eq!(single().rpo_hours, None);
    // The scenario has every class but tier-wide failures and data destructions, and
    // each has a share within the RTO and the RPO.
    let classes: Vec<&str> = report.options[0].disruptions.iter().map(|d| d.class.as_str()).collect();
    assert_eq!(
        classes,
        ["replica failure", "site outage", "site disaster", "failover test"]
    );
    for d in &report.options[0].disruptions {
        assert!(d.within_rto.is_some() && d.within_rpo.is_some(), "{}", d.class);
    }
}

/// The two heading lines and the rows of the disruptions table in a table's text.
fn disruptions_table(text: &str) -> Option<Vec<&str>> {
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().position(|l| l.trim_start().starts_with("disruption "))?;
    Some(
        lines[header - 1..]
            .iter()
            .copied()
            .take_while(|l| !l.trim().is_empty())
            .collect(),
    )
}

#[test]
fn the_table_shows_within_rto_only_with_an_rto() {
    let with = dr().to_string();
    assert!(
        with.lines().next().unwrap().ends_with("; RTO 4 h 00 min, RPO 15.0 min"),
        "{with}"
    );
    let table = disruptions_table(&with).expect("a disruptions table");
    let words = |line: &str| line.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        words(table[1]),
        [
            "disruption",
            "per",
            "year",
            "per",
            "year",
            "mean",
            "P95",
            "longest",
            "RTO",
            "mean",
            "P95",
            "most",
            "RPO"
        ],
        "{with}"
    );
    assert_eq!(words(table[0]).iter().filter(|w| *w == "within").count(), 2, "{with}");
    // A row per class, with the share within the RTO as a percentage.
    let site_outage = table
        .iter()
        .find(|l| l.trim_start().starts_with("site outage"))
        .unwrap();
    let d = dr().options[0]
        .disruptions
        .iter()
        .find(|d| d.class == "site outage")
        .unwrap();
    let within = format!("{:.1} %", 100.0 * d.within_rto.unwrap());
    assert!(site_outage.contains(&within), "{site_outage} lacks {within}");

    // Without an RTO: the same table without the column, and no RTO anywhere.
    let without = dr_without_rto();
    let text = without.to_string();
    let table = disruptions_table(&text).expect("a disruptions table");
    assert!(!words(table[1]).contains(&"RTO".to_owned()), "{text}");
    assert!(words(table[1]).contains(&"RPO".to_owned()), "{text}");
    for text in [text.clone(), without.to_markdown(), without.to_html(None, &[])] {
        assert!(!text.contains("RTO"), "{text}");
        assert!(text.contains("within RPO") || text.contains("RPO 15.0 min"), "{text}");
    }
    assert!(dr().to_markdown().contains("| within RTO |"));
    assert!(dr().to_html(None, &[]).contains("<th>within RTO</th>"));
    assert!(dr().comparison_table().contains("site disaster"));

    // One server, one class, nothing lost, no targets: no disruptions table at all.
    let single = single();
    for text in [single.to_string(), single.to_markdown(), single.comparison_table()] {
        assert!(!text.contains("disruption"), "{text}");
    }
    let html = single.to_html(None, &[]);
    assert!(!html.contains("<h2>Disruptions") && !html.contains("<table class=\"disruptions\""));
    assert!(dr().to_html(None, &[]).contains("<h2>Disruptions"));
}

const CLASS_COLUMNS: [&str; 6] = [
    "events_per_year",
    "outage_hours_mean",
    "outage_hours_p95",
    "within_rto",
    "data_loss_hours_mean",
    "within_rpo",
];

/// A CSV line's fields, unquoted.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

fn header(csv: &str) -> Vec<String> {
    fields(csv.lines().next().unwrap())
}

#[test]
fn the_csv_header_is_the_same_whatever_the_run() {
    let expected: Vec<String> = DisruptionReport::CLASSES
        .iter()
        .flat_map(|class| {
            CLASS_COLUMNS
                .iter()
                .map(move |c| format!("{}_{c}", class.replace(' ', "_")))
        })
        .collect();
    let ehr = ehr();
    let headers = [
        header(&dr().to_csv()),
        header(&dr_without_rto().to_csv()),
        header(&single().to_csv()),
        header(&ehr.to_csv()),
    ];
    for h in &headers {
        assert_eq!(h, &headers[0]);
        assert_eq!(h[h.len() - expected.len()..], expected[..]);
    }
    assert!(headers[0].contains(&"site_outage_within_rto".to_owned()));
    assert!(headers[0].contains(&"tier-wide_failure_events_per_year".to_owned()));
    // Every row has a cell under every heading.
    for report in [dr(), ehr] {
        let csv = report.to_csv();
        assert_eq!(csv.lines().count(), report.options.len() + 1);
        for line in csv.lines().skip(1) {
            assert_eq!(fields(line).len(), headers[0].len(), "{line}");
        }
    }
}

/// The cell under `column` of the first data row of `csv`.
fn cell(csv: &str, column: &str) -> String {
    let header = header(csv);
    let at = header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    fields(csv.lines().nth(1).unwrap()).swap_remove(at)
}

#[test]
fn csv_cells_are_the_reports_values() {
    for report in [dr(), dr_without_rto()] {
        let csv = report.to_csv();
        let option = &report.options[0];
        for class in DisruptionReport::CLASSES {
            let name = class.replace(' ', "_");
            let get = |column: &str| cell(&csv, &format!("{name}_{column}"));
            let number = |column: &str| -> Option<f64> {
                let text = get(column);
                (!text.is_empty()).then(|| text.parse().unwrap_or_else(|e| panic!("{column}: {text}: {e}")))
            };
            match option.disruptions.iter().find(|d| d.class == class) {
                None => {
                    for column in CLASS_COLUMNS {
                        assert_eq!(get(column), "", "{class} did not happen: {column} is empty");
                    }
                }
                Some(d) => {
                    assert_eq!(number("events_per_year"), Some(d.events_per_year), "{class}");
                    let started = d.outages > 0;
                    assert_eq!(
                        number("outage_hours_mean"),
                        started.then_some(d.outage_hours.mean),
                        "{class}"
                    );
                    assert_eq!(
                        number("outage_hours_p95"),
                        started.then_some(d.outage_hours.p95),
                        "{class}"
                    );
                    assert_eq!(number("within_rto"), d.within_rto.filter(|_| started), "{class}");
                    assert_eq!(number("data_loss_hours_mean"), Some(d.data_loss_hours.mean), "{class}");
                    assert_eq!(number("within_rpo"), d.within_rpo, "{class}");
                }
            }
        }
        assert_eq!(
            report.rto_hours.is_some(),
            !cell(&csv, "site_outage_within_rto").is_empty()
        );
    }
}

#[test]
fn a_report_read_back_from_json_with_its_objectives_passes_its_checks() {
    let report = dr();
    let json = serde_json::to_string_pretty(report).unwrap();
    assert!(
        json.contains("\"rto_hours\": 4.0") && json.contains("\"rpo_hours\": 0.25"),
        "{json}"
    );
    let back: Report = serde_json::from_str(&json).unwrap();
    back.check().unwrap();
    assert_eq!((back.rto_hours, back.rpo_hours), (Some(4.0), Some(0.25)));
    assert_eq!(back.options[0].disruptions.len(), report.options[0].disruptions.len());
    for (read, written) in back.options[0].disruptions.iter().zip(&report.options[0].disruptions) {
        assert_eq!(read.class, written.class);
        assert_eq!(read.outages, written.outages);
        assert!((read.within_rto.unwrap() - written.within_rto.unwrap()).abs() < 1e-15);
        assert!((read.within_rpo.unwrap() - written.within_rpo.unwrap()).abs() < 1e-15);
    }

    let field = |error: ReportError| match error {
        ReportError::Invalid { field, .. } => field,
        other => panic!("{other:?}"),
    };
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let read = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut value = value.clone();
        edit(&mut value);
        serde_json::from_value::<Report>(value)
    };
    let invalid = |edit: &dyn Fn(&mut serde_json::Value)| {
        let error = read(edit).expect_err("an invalid report");
        let text = error.to_string();
        text.split('`').nth(1).unwrap_or(&text).to_owned()
    };
    // A negative or infinite target, a share without its target, a target without
    // its shares, an unknown class, classes out of order.
    assert_eq!(invalid(&|v| v["rto_hours"] = (-1.0).into()), "rto_hours");
    assert_eq!(invalid(&|v| v["rpo_hours"] = 1e300.into()), "rpo_hours");
    assert_eq!(
        invalid(&|v| v["rto_hours"] = serde_json::Value::Null),
        "options[0].disruptions[0].within_rto"
    );
    assert_eq!(
        invalid(&|v| v["options"][0]["disruptions"][2]["within_rpo"] = serde_json::Value::Null),
        "options[0].disruptions[2].within_rpo"
    );
    assert_eq!(
        invalid(&|v| v["options"][0]["disruptions"][1]["class"] = "meteor".into()),
        "options[0].disruptions[1].class"
    );
    assert_eq!(
        invalid(&|v| v["options"][0]["disruptions"].as_array_mut().unwrap().swap(0, 1)),
        "options[0].disruptions[1].class"
    );
    // The recorded EHR comparison (tier-wide failures, data destructions) reads back too.
    let golden =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/ehr-compare.json")).unwrap();
    let ehr: Report = serde_json::from_str(&golden).unwrap();
    assert_eq!((ehr.rto_hours, ehr.rpo_hours), (None, None));
    // The checks are the same on a report built in a program.
    let mut built = report.clone();
    built.options[0].disruptions[0].within_rto = Some(1.5);
    assert_eq!(
        field(built.check().unwrap_err()),
        "options[0].disruptions[0].within_rto"
    );

    // A report written before the objectives existed reads as one without them.
    let older = read(&|v| {
        let object = v.as_object_mut().unwrap();
        object.remove("rto_hours");
        object.remove("rpo_hours");
        for d in object["options"][0]["disruptions"].as_array_mut().unwrap() {
            d["within_rto"] = serde_json::Value::Null;
            d["within_rpo"] = serde_json::Value::Null;
        }
    })
    .expect("an older report reads");
    assert_eq!((older.rto_hours, older.rpo_hours), (None, None));
}
