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
