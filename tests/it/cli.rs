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
    for key in ["mean", "std_error"] {
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

/// A command line's words as a shell splits them: at spaces, except inside double
/// quotes, which are removed.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            c if c.is_whitespace() && !quoted => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// The `nines` command lines of the README on a shipped scenario, as written there
/// (code blocks and code spans alike; `cargo run --release -- ARGS` is `nines ARGS`).
fn readme_commands() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    let mut commands = Vec::new();
    for line in readme.lines() {
        for prefix in ["cargo run --release -- ", "nines "] {
            let Some(at) = line.find(prefix) else { continue };
            let rest = &line[at + prefix.len()..];
            let rest = rest.split(['`', '#']).next().unwrap_or_default();
            let words = shell_words(rest);
            let runs_a_file = words.len() >= 2
                && ["simulate", "compare", "sweep"].contains(&words[0].as_str())
                && words[1].starts_with("scenarios/")
                && words[1].ends_with(".toml")
                // `scenarios/<name>.toml` stands for each file of a table.
                && !words[1].contains('<');
            if runs_a_file && !commands.contains(&words) {
                commands.push(words);
            }
        }
    }
    commands
}

#[test]
fn every_command_line_in_the_readme_runs() {
    let commands = readme_commands();
    for wanted in ["simulate", "compare", "sweep"] {
        assert!(
            commands.iter().any(|c| c[0] == wanted),
            "the README shows no `nines {wanted}` on a shipped scenario: {commands:?}"
        );
    }
    let out_dir = std::env::temp_dir().join(format!("nines-readme-{}", std::process::id()));
    for (i, words) in commands.iter().enumerate() {
        // As written, but with few replications and `--out` into a temporary directory.
        let mut args: Vec<String> = Vec::new();
        let mut words = words.iter();
        let mut replications = false;
        while let Some(word) = words.next() {
            match word.as_str() {
                "-n" | "--replications" => {
                    words.next();
                    replications = true;
                    args.extend(["-n".to_owned(), "1000".to_owned()]);
                }
                "--out" => {
                    words.next();
                    args.extend(["--out".to_owned(), out_dir.join(i.to_string()).display().to_string()]);
                }
                file if file.starts_with("scenarios/") => {
                    args.push(format!("{}/{file}", env!("CARGO_MANIFEST_DIR")));
                }
                other => args.push(other.to_owned()),
            }
        }
        if !replications {
            args.extend(["-n".to_owned(), "1000".to_owned()]);
        }
        args.push("-q".to_owned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = nines(&args);
        assert!(
            out.status.success(),
            "README: `nines {}` fails: {}",
            commands[i].join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !out.stdout.is_empty(),
            "README: `nines {}` prints nothing",
            commands[i].join(" ")
        );
    }
    let _ = std::fs::remove_dir_all(&out_dir);
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
    assert!(String::from_utf8_lossy(&out.stderr).contains("from 1 to 1024"));
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
    for key in ["infrastructure", "total_p90"] {
        assert!(chosen["cost"][key].is_f64(), "cost.{key}");
    }
    for key in ["downtime", "data_loss", "unrecoverable", "total"] {
        assert!(chosen["cost"][key]["mean"].is_f64(), "cost.{key}.mean");
        assert!(chosen["cost"][key]["std_error"].is_f64(), "cost.{key}.std_error");
        assert_eq!(
            chosen["cost"][key]["ci95"].as_array().map(Vec::len),
            Some(2),
            "cost.{key}.ci95"
        );
    }
    assert!(chosen["sla"]["budget_hours"].is_f64());
    assert!(chosen["sla"]["breach_probability"]["mean"].is_f64());
    assert!(chosen["sla"]["breach_probability"]["std_error"].is_f64());
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
            "recovery.png",
            "recovery.svg",
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
    assert_eq!(html.matches("<figure").count(), 6, "every chart inline");
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
    // backup-only needs one replica: the sweep skips 2 with a warning naming the value
    // and what is wrong, and runs 1.
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["options"].as_array().expect("options").len(), 1);
    assert_eq!(json["options"][0]["name"], "replicas = 1");
    assert_eq!(json["sweep"]["values"], serde_json::json!(["1"]));
    let warnings = json["warnings"].to_string();
    assert!(
        warnings.contains("the sweep skipped replicas = 2")
            && warnings.contains("strategy \\\"backup-only\\\" means one replica"),
        "{warnings}"
    );
    // Every value invalid: nothing to run, and the error says why.
    let out = nines(&["sweep", &ehr(), "--set", "tier.database.replicas=2,3", "-n", "2000"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--set: tier.database.replicas: strategy \"backup-only\" means one replica")
    );
    // An option's setting: --option names the starting point.
    let out = nines(&[
        "sweep",
        &ehr(),
        "--option",
        "failover drilled monthly, with backups",
        "--set",
        "tier.database.replicas=2,3",
        "-n",
        "2000",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["options"].as_array().expect("options").len(), 2);
    assert_eq!(
        json["warnings"].as_array().map(Vec::len),
        Some(0),
        "{}",
        json["warnings"]
    );
    let out = nines(&["sweep", &ehr(), "--option", "nope", "--set", "tier.database.replicas=2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no option named \"nope\" to sweep"));

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

#[test]
fn numbers_on_the_command_line_are_explained() {
    let cases = [
        (
            ["--seed", "-1"],
            "the seed must be a whole number from 0 to 18446744073709551615",
        ),
        (
            ["--threads", "10000"],
            "the thread count must be a whole number from 1 to 1024",
        ),
        (["--threads", "0"], "from 1 to 1024"),
        (
            ["-n", "-5"],
            "the replication count must be a whole number of at least 1",
        ),
        (["--precision", "-0.05"], "the precision must be a positive fraction"),
    ];
    for (args, expected) in cases {
        let out = nines(&["simulate", &scenario(), args[0], args[1]]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr:?} should contain {expected:?}");
        assert!(
            !stderr.contains("-- -"),
            "no tip to pass the value after `--`: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

/// The names and bytes of every file in `dir`, sorted.
fn file_set(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("readable")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("readable file"),
            )
        })
        .collect();
    files.sort();
    files
}

fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|(name, _)| name.as_str()).collect()
}

/// `--out` into a 64 KiB filesystem: the write fails part-way, the previous set stays
/// whole, the error names the file, and the report still reaches stdout.
#[test]
fn out_on_a_full_disk_keeps_the_previous_set() {
    let mount = std::env::temp_dir().join(format!("nines-small-{}", std::process::id()));
    std::fs::create_dir_all(&mount).expect("mount point");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mount)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        // Mounting needs root; the failure itself is also tested without a mount, in the
        // unit tests of the output set.
        eprintln!("skipped: cannot mount a 64 KiB tmpfs here (not root?)");
        let _ = std::fs::remove_dir(&mount);
        return;
    }
    let out_dir = mount.join("out");
    let dir = out_dir.to_str().expect("UTF-8");
    // A previous set that fits (a whole one, charts and all, does not).
    std::fs::create_dir_all(&out_dir).expect("out");
    std::fs::write(out_dir.join("report.txt"), "the previous report").expect("write");
    std::fs::write(out_dir.join("report.csv"), "option\nprevious\n").expect("write");
    let before = file_set(&out_dir);
    // The EHR comparison's charts do not fit.
    let second = nines(&["compare", &ehr(), "-n", "200", "--out", dir, "--format", "csv"]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    let after = file_set_or_empty(&out_dir);
    let leftovers = std::fs::read_dir(&mount).expect("readable").count();
    let unmount = Command::new("umount").arg(&mount).status();
    assert_eq!(leftovers, 1, "only the directory itself, no staging directory");
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("error: cannot write {dir}/")), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the previous files in {dir} are untouched; the report went to stdout"
        )),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&second.stdout).starts_with("option,rank,recommended,"),
        "the report still reaches stdout"
    );
    assert!(after == before, "the previous set is untouched: {:?}", names(&after));
    assert!(unmount.is_ok_and(|s| s.success()), "unmounted");
    let _ = std::fs::remove_dir_all(&mount);
}

fn file_set_or_empty(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    if dir.is_dir() { file_set(dir) } else { Vec::new() }
}

/// `kill -9` at any moment of `--out`, many times over: the directory always holds one
/// whole set, of one run or the other, and nothing of the killed runs stays beside it.
#[test]
fn out_killed_at_any_moment_never_mixes_two_runs() {
    let root = std::env::temp_dir().join(format!("nines-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("scratch");
    let run = |seed: &str, dir: &std::path::Path| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_nines"));
        command
            .args(["compare", &ehr(), "-n", "200", "-q", "--seed", seed, "--out"])
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        command
    };
    // The two sets, written in full.
    let (a, b) = (root.join("a"), root.join("b"));
    assert!(run("1", &a).status().expect("runs").success());
    assert!(run("2", &b).status().expect("runs").success());
    let (set_a, set_b) = (file_set(&a), file_set(&b));
    assert_ne!(set_a, set_b);
    let target = root.join("out");
    assert!(run("1", &target).status().expect("runs").success());
    let started = std::time::Instant::now();
    let full = run("1", &target).status().map(|_| started.elapsed()).expect("runs");
    let mut finished = 0;
    for attempt in 0..40u32 {
        let seed = if attempt % 2 == 0 { "2" } else { "1" };
        let mut child = run(seed, &target).spawn().expect("spawns");
        // Spread the kills over the whole run, the write at its end included.
        let wait = full.mul_f64(f64::from(attempt % 20) / 19.0 * 1.1);
        std::thread::sleep(wait);
        if child.try_wait().expect("waits").is_some() {
            finished += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let now = file_set(&target);
        assert!(
            now == set_a || now == set_b,
            "attempt {attempt} (killed after {wait:?}) left a mixed set: {:?}",
            names(&now)
        );
    }
    // The next run cleans up whatever the killed ones left beside the directory.
    assert!(run("2", &target).status().expect("runs").success());
    assert!(file_set(&target) == set_b);
    let mut left: Vec<String> = std::fs::read_dir(&root)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["a", "b", "out"], "no staging or set-aside directory left");
    assert!(finished < 40, "some runs were killed before they finished");
    let _ = std::fs::remove_dir_all(&root);
}

/// A run that will take long says so at its first progress update, with the way to
/// make it shorter, even when stderr is not a terminal.
#[test]
fn a_long_run_says_so_within_seconds() {
    use std::io::BufRead as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_nines"))
        .args(["compare", &ehr(), "-n", "1000000000", "--threads", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    let stderr = child.stderr.take().expect("piped");
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let _ = send.send(line.unwrap_or_default());
        }
    });
    let wait = std::time::Duration::from_secs(30);
    // At once, from the model: the events the run will simulate.
    let first = receive.recv_timeout(std::time::Duration::from_secs(5));
    // At the first progress update: the time it will take.
    let second = receive.recv_timeout(wait);
    let _ = child.kill();
    let _ = child.wait();
    let first = first.expect("a line on stderr within 5 s");
    assert!(first.starts_with("nines: this run simulates about "), "{first}");
    assert!(
        first.contains("events (5 options × 1000000000 replications)"),
        "{first}"
    );
    let second = second.expect("a second line on stderr within 30 s");
    assert!(second.starts_with("nines: this run will take about "), "{second}");
    assert!(second.contains("5 options × 1000000000 replications"), "{second}");
    assert!(second.contains("fewer replications (-n)"), "{second}");
}

#[test]
fn spof_ranks_what_each_component_costs() {
    let out = nines(&[
        "spof",
        &ehr(),
        "-n",
        "2000",
        "--option",
        "failover drilled monthly, with backups",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].starts_with("  database (tier): single point of failure, down ")
            && lines[0].contains(" % of the downtime; if it never failed, ")
            && lines[0].ends_with(" USD"),
        "{text}"
    );

    let out = nines(&["spof", &ehr(), "-n", "2000", "--json", "--threads", "1"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let items = json["importance"].as_array().expect("importance");
    assert_eq!(items.len(), 4);
    assert_eq!(json["option"], "backup only");
    for item in items {
        let paired = item["downtime_removed_hours_per_year"]["std_error"]
            .as_f64()
            .expect("number");
        let unpaired = item["unpaired_std_error"].as_f64().expect("number");
        assert!(paired <= unpaired, "{item}");
    }
    // The same on two threads, to the bit.
    let two = nines(&["spof", &ehr(), "-n", "2000", "--json", "--threads", "2"]);
    assert_eq!(out.stdout, two.stdout);

    let out = nines(&["spof", &ehr(), "--option", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no option named \"nope\""));
}

#[test]
fn spof_out_writes_the_options_report_with_its_importance() {
    let dir = std::env::temp_dir().join(format!("nines-spof-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let hospital = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/hospital-shared-infrastructure.toml"
    );
    let option = "split feeds and a pair of core switches";
    let path = dir.to_str().expect("UTF-8");
    let args = ["spof", hospital, "-n", "1000", "--option", option, "--out", path];
    let out = nines(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the directory was created")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in [
        "importance.png",
        "importance.svg",
        "report.html",
        "report.json",
        "report.txt",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    // report.txt holds what was printed.
    let text = std::fs::read_to_string(dir.join("report.txt")).expect("txt");
    assert_eq!(text, String::from_utf8_lossy(&out.stdout));
    assert!(text.contains(&format!("\"{option}\"")), "{text}");
    // The JSON is a report of that option alone, with its importance under the key
    // `importance`, and reads back as a report.
    let json_text = std::fs::read_to_string(dir.join("report.json")).expect("json");
    let report: nines::Report = serde_json::from_str(&json_text).expect("a valid report");
    assert_eq!(report.options.len(), 1);
    assert_eq!(report.options[0].name, option);
    let importance = report.options[0].importance.as_ref().expect("importance");
    let json: serde_json::Value = serde_json::from_str(&json_text).expect("JSON");
    assert_eq!(
        json["options"][0]["importance"].as_array().map(Vec::len),
        Some(importance.len())
    );
    // The same numbers as `--json` prints, and the lines as printed.
    let printed = nines(&["spof", hospital, "-n", "1000", "--option", option, "--json"]);
    let printed: serde_json::Value = serde_json::from_slice(&printed.stdout).expect("JSON");
    assert_eq!(printed["importance"], json["options"][0]["importance"]);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(lines.len(), importance.len());
    // The report read back prints the same lines in its table, and its Markdown has the
    // ranked table, a row per component.
    let table = report.to_string();
    for line in &lines {
        assert!(table.contains(line), "{line} in {table}");
    }
    let markdown = std::fs::read_to_string(dir.join("report.md")).expect("markdown");
    let section = &markdown[markdown
        .find(&format!("### Single points of failure: {option}"))
        .expect("the section")..];
    assert_eq!(
        section
            .lines()
            .filter(|l| l.starts_with("| ") && l.contains(" | dependency | "))
            .count(),
        importance.iter().filter(|i| i.kind == "dependency").count()
    );
    // Feed A, under the storage array that every tier stands on, is still a single
    // point of failure with the switches paired.
    let feed = importance.iter().find(|i| i.component == "feed A").expect("feed A");
    assert!(feed.single_point_of_failure);
    // The page has the section, its table (a row per component) and the chart.
    let html = std::fs::read_to_string(dir.join("report.html")).expect("html");
    let section = &html[html.find("<h2>Single points of failure</h2>").expect("the section")..];
    let table = &section[..section.find("</table>").expect("its table")];
    assert_eq!(table.matches("<tr><td>").count(), importance.len());
    assert!(table.contains("<th>own unavailability</th>") && table.contains("<th>share of the downtime</th>"));
    assert!(table.contains("worth / year [USD]"));
    assert!(section.contains("alt=\"What each component would save if it never failed\""));
    // Read back, the importance is checked like the rest: the field at fault named.
    let invalid = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut value = json.clone();
        edit(&mut value);
        let error = serde_json::from_value::<nines::Report>(value).expect_err("an invalid report");
        error.to_string().split('`').nth(1).expect("a field").to_owned()
    };
    assert_eq!(
        invalid(&|v| v["options"][0]["importance"][1]["share_of_downtime"]["mean"] = 1.5.into()),
        "options[0].importance[1].share_of_downtime.mean"
    );
    assert_eq!(
        invalid(&|v| v["options"][0]["importance"][0]["kind"] = "meteor".into()),
        "options[0].importance[0].kind"
    );
    assert_eq!(
        invalid(&|v| v["options"][0]["importance"][0]["downtime_removed_hours_per_year"]["std_error"] = (-1.0).into()),
        "options[0].importance[0].downtime_removed_hours_per_year.std_error"
    );
    // Importance is not in reports that did not ask for it.
    let _ = std::fs::remove_dir_all(&dir);
    let plain = nines(&["simulate", hospital, "-n", "200", "--format", "json"]);
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("\"importance\""));
}
