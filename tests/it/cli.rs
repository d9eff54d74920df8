//! The `nines` command line, run as a user would.

use std::process::Command;

fn nines(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nines"))
        .args(args)
        .output()
        .expect("nines runs")
}

fn scenario() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/single-server.toml").to_owned()
}

#[test]
fn simulate_prints_json_with_the_documented_shape() {
    let out = nines(&[
        "simulate",
        &scenario(),
        "--replications",
        "2000",
        "--seed",
        "3",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON object");
    assert_eq!(json["scenario"], "single database server");
    assert_eq!(json["seed"], 3);
    assert_eq!(json["replications"], 2000);
    assert_eq!(json["horizon_hours"], 8760.0);
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    let option = &json["options"][0];
    assert_eq!(option["name"], "single database server");
    for key in ["point", "std_error"] {
        assert!(option["availability"][key].is_f64(), "availability.{key}");
    }
    assert_eq!(option["availability"]["ci95"].as_array().map(Vec::len), Some(2));
    for key in ["mean", "std", "p50", "p90", "p99", "max"] {
        assert!(
            option["downtime_hours_per_year"][key].is_f64(),
            "downtime_hours_per_year.{key}"
        );
    }
    assert!(option["outages_per_year"]["mean"].is_f64());
    for key in ["mean", "p50", "p95", "p99", "max"] {
        assert!(
            option["outage_duration_hours"][key].is_f64(),
            "outage_duration_hours.{key}"
        );
    }
    assert_eq!(option["tiers"][0]["name"], "database");
    assert!(option["tiers"][0]["unavailability"].is_f64());
    assert_eq!(option["tiers"][0]["downtime_share"], 1.0);
    for key in ["mean", "p99", "max_single_event"] {
        assert!(
            option["data_loss_hours_per_year"][key].is_f64(),
            "data_loss_hours_per_year.{key}"
        );
    }
    assert!(option["restore_events_per_year"]["mean"].is_f64());
    assert!(option["unrecoverable_events_per_year"]["mean"].is_f64());
    for key in ["demands_per_year", "failed_per_year", "latent_found_per_year"] {
        assert!(option["failover"][key].is_f64(), "failover.{key}");
    }
}

#[test]
fn every_shipped_scenario_runs() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    for entry in std::fs::read_dir(dir).expect("scenarios/ exists") {
        let path = entry.expect("readable entry").path();
        let path = path.to_str().expect("UTF-8 path");
        let out = nines(&["simulate", path, "-n", "500", "--format", "json"]);
        assert!(out.status.success(), "{path}: {}", String::from_utf8_lossy(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(json["replications"], 500, "{path}");
    }
}

#[test]
fn simulate_prints_a_table_by_default() {
    let out = nines(&["simulate", &scenario(), "-n", "1000"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(table.contains("availability"), "{table}");
    assert!(table.contains("downtime per year"), "{table}");
    assert!(table.contains("database"), "{table}");
}

#[test]
fn the_same_command_prints_the_same_json_for_any_thread_count() {
    let run = |threads: &str| {
        let out = nines(&[
            "simulate",
            &scenario(),
            "-n",
            "3000",
            "--threads",
            threads,
            "--format",
            "json",
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    assert_eq!(run("1"), run("3"));
}

#[test]
fn bad_input_fails_with_a_message_and_no_output() {
    let out = nines(&["simulate", "/nonexistent.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: /nonexistent.toml: cannot read the file"),
        "{stderr}"
    );

    let out = nines(&["simulate", &scenario(), "--threads", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 threads"));
}

fn ehr() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ehr.toml").to_owned()
}

#[test]
fn compare_ranks_options_and_names_the_recommendation() {
    let out = nines(&["compare", &ehr(), "-n", "3000", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let recommended = json["recommendation"]["option"].as_str().expect("a recommendation");
    let options = json["options"].as_array().expect("options");
    assert_eq!(options.len(), 5);
    let chosen = options
        .iter()
        .find(|o| o["name"] == recommended)
        .expect("the recommended option exists");
    for key in ["infrastructure", "downtime", "data_loss", "total", "total_p90"] {
        assert!(chosen["cost"][key].is_f64(), "cost.{key}");
    }
    for key in ["budget_hours", "breach_probability"] {
        assert!(chosen["sla"][key].is_f64(), "sla.{key}");
    }
    assert!(chosen["sla"]["met"].is_boolean());
    assert_eq!(json["ranking"].as_array().map(Vec::len), Some(5));

    let table = nines(&["compare", &ehr(), "-n", "3000"]);
    let table = String::from_utf8(table.stdout).expect("UTF-8");
    assert!(table.contains(&format!("Recommended: {recommended}:")), "{table}");
    assert!(table.contains("a single point of failure"), "{table}");
}

#[test]
fn out_writes_every_format_whole() {
    let dir = std::env::temp_dir().join(format!("nines-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let nested = dir.join("reports");
    let out = nines(&[
        "compare",
        &ehr(),
        "-n",
        "2000",
        "--out",
        nested.to_str().expect("UTF-8"),
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&nested)
        .expect("the directory was created")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "cost.png",
            "cost.svg",
            "data-loss.png",
            "data-loss.svg",
            "downtime.png",
            "downtime.svg",
            "report.csv",
            "report.html",
            "report.json",
            "report.md",
            "report.txt",
            "tiers.png",
            "tiers.svg",
            "timeline.png",
            "timeline.svg"
        ],
        "every report and chart, and no temporary file left"
    );
    let html = std::fs::read_to_string(nested.join("report.html")).expect("html");
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(html.contains("Recommended: <strong>"), "the recommendation");
    assert_eq!(html.matches("<figure").count(), 5, "every chart inline");
    assert!(
        !html.contains("<?xml"),
        "SVGs are inlined without their XML declaration"
    );
    assert!(
        html.contains("Assumptions") && html.contains("logical corruption"),
        "the scenario's assumptions"
    );
    for external in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(
            !html.contains(external),
            "the page loads nothing from the network: {external}"
        );
    }
    let csv = std::fs::read_to_string(nested.join("report.csv")).expect("csv");
    assert_eq!(csv, String::from_utf8(out.stdout).expect("UTF-8"), "stdout is the csv");
    assert_eq!(csv.lines().count(), 6, "a header and five options");
    assert!(csv.starts_with("option,rank,recommended,"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(nested.join("report.json")).expect("json")).expect("valid JSON");
    assert_eq!(json["replications"], 2000);
    let markdown = std::fs::read_to_string(nested.join("report.md")).expect("markdown");
    assert!(
        markdown.starts_with("## EHR service") && markdown.contains("**Recommended:"),
        "{markdown}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn out_into_a_file_fails_cleanly() {
    let file = std::env::temp_dir().join(format!("nines-not-a-dir-{}", std::process::id()));
    std::fs::write(&file, "x").expect("temp file");
    let out = nines(&["compare", &ehr(), "-n", "1000", "--out", file.to_str().expect("UTF-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot create"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&file).expect("untouched"), "x");
    let _ = std::fs::remove_file(&file);
}

#[test]
fn sweep_runs_one_option_per_value() {
    let out = nines(&[
        "sweep",
        &ehr(),
        "--set",
        "tier.database.replicas=1,2",
        "-n",
        "2000",
        "--format",
        "json",
    ]);
    // backup-only needs one replica: the sweep reports the value at fault.
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--set: tier.database.replicas: strategy \"backup-only\" means one replica")
    );

    let out = nines(&[
        "sweep",
        &ehr(),
        "--set",
        "tier.application.replicas=3,4,5",
        "-n",
        "2000",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let names: Vec<&str> = json["options"]
        .as_array()
        .expect("options")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(names, ["replicas = 3", "replicas = 4", "replicas = 5"]);
    let share = |i: usize| {
        json["options"][i]["tiers"][1]["unavailability"]
            .as_f64()
            .expect("number")
    };
    assert!(
        share(0) > share(1) && share(1) > share(2),
        "more application servers, less application downtime"
    );
}

#[test]
fn quiet_runs_print_no_progress() {
    let out = nines(&["compare", &ehr(), "-n", "1000", "--quiet"]);
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    // Not a terminal either: no progress even without --quiet.
    let out = nines(&["compare", &ehr(), "-n", "1000"]);
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}
