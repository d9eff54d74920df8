//! `nines shard` and `nines merge`: a run split into shards, each run as its own
//! process, merges into exactly the report of one process; shards that do not belong
//! together are refused, naming the file and what to do. Those tests run the binary,
//! so they need the `cli` feature; the library's merge is tested without it.

#[cfg(feature = "cli")]
use std::path::{Path, PathBuf};
#[cfg(feature = "cli")]
use std::process::{Command, Output};

#[cfg(feature = "cli")]
fn nines(args: &[&str]) -> Output {
    nines_with(args, &[])
}

/// `nines ARGS` with `env` set and the batch engines' index variables cleared.
#[cfg(feature = "cli")]
fn nines_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nines"));
    command
        .args(args)
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("JOB_COMPLETION_INDEX");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("nines runs")
}

#[cfg(feature = "cli")]
fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[cfg(feature = "cli")]
fn fails(out: Output) -> String {
    assert!(
        !out.status.success(),
        "succeeded: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).expect("UTF-8")
}

/// The EHR scenario: five options, failover with drills, backups, costs and an SLA.
#[cfg(feature = "cli")]
fn ehr() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ehr.toml").to_owned()
}

/// A fresh temporary directory for one test.
#[cfg(feature = "cli")]
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nines-shard-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary directory");
    dir
}

/// Runs the `of` shards of `file` (with `extra` arguments) into `dir`, returning their
/// paths.
#[cfg(feature = "cli")]
fn shards(dir: &Path, file: &str, of: u64, extra: &[&str]) -> Vec<String> {
    (0..of)
        .map(|index| {
            let path = dir.join(format!("{of}-{index}.json")).display().to_string();
            let (of, index) = (of.to_string(), index.to_string());
            let mut args = vec!["shard", file, "--of", &of, "--index", &index, "--output", &path];
            args.extend(extra);
            ok(nines(&args));
            path
        })
        .collect()
}

#[cfg(feature = "cli")]
fn merge(paths: &[String], extra: &[&str]) -> Output {
    let mut args = vec!["merge"];
    args.extend(paths.iter().map(String::as_str));
    args.extend(extra);
    nines(&args)
}

/// 70,000 replications are 69 chunks: 64 shards of one or two chunks each.
#[cfg(feature = "cli")]
const N: &str = "70000";

#[cfg(feature = "cli")]
#[test]
fn merged_shards_give_the_single_process_report_bit_for_bit() {
    let dir = temp("bits");
    let single = ok(nines(&[
        "simulate",
        &ehr(),
        "-n",
        N,
        "--seed",
        "5",
        "--format",
        "json",
        "-q",
    ]));
    for threads in ["1", "2"] {
        for of in [1, 2, 7, 64] {
            let sub = dir.join(format!("t{threads}"));
            let paths = shards(&sub, &ehr(), of, &["-n", N, "--seed", "5", "--threads", threads]);
            // In any order.
            let mut reversed = paths.clone();
            reversed.reverse();
            let merged = ok(merge(&reversed, &["--format", "json"]));
            assert!(
                merged == single,
                "{of} shards on {threads} threads differ from one process"
            );
        }
    }
    // The tables too: `simulate` by default, `compare` with --view.
    let paths = shards(&dir.join("tables"), &ehr(), 3, &["-n", "5000"]);
    let table = ok(nines(&["simulate", &ehr(), "-n", "5000", "-q"]));
    assert_eq!(ok(merge(&paths, &[])), table);
    let comparison = ok(nines(&["compare", &ehr(), "-n", "5000", "-q"]));
    assert_eq!(ok(merge(&paths, &["--view", "compare"])), comparison);
    for format in ["csv", "markdown"] {
        let one = ok(nines(&["simulate", &ehr(), "-n", "5000", "-q", "--format", format]));
        assert_eq!(ok(merge(&paths, &["--format", format])), one, "{format}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "cli")]
#[test]
fn shards_of_a_sweep_merge_into_the_sweep() {
    let dir = temp("sweep");
    let set = "tier.database.backup.every=1h,1d";
    let args = [
        "-n",
        "3000",
        "--set",
        set,
        "--option",
        "failover drilled monthly, with backups",
    ];
    let paths = shards(&dir, &ehr(), 4, &args);
    let file = ehr();
    let mut sweep = vec!["sweep", file.as_str()];
    sweep.extend(args);
    sweep.push("-q");
    // A sweep prints its comparison by default.
    assert_eq!(ok(merge(&paths, &[])), ok(nines(&sweep)));
    sweep.extend(["--format", "json"]);
    let json = ok(merge(&paths, &["--format", "json"]));
    assert_eq!(json, ok(nines(&sweep)));
    assert!(json.contains("\"key\": \"backup.every\""), "{json}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "cli")]
#[test]
fn merge_out_writes_what_simulate_out_writes() {
    let dir = temp("out");
    let paths = shards(&dir.join("shards"), &ehr(), 2, &["-n", "2000"]);
    let one = dir.join("one");
    let merged = dir.join("merged");
    ok(nines(&[
        "simulate",
        &ehr(),
        "-n",
        "2000",
        "-q",
        "--out",
        &one.display().to_string(),
    ]));
    ok(merge(&paths, &["--out", &merged.display().to_string()]));
    let mut names: Vec<_> = std::fs::read_dir(&one)
        .expect("written")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    assert!(
        names.iter().any(|n| n == "report.html") && names.iter().any(|n| n == "timeline.svg"),
        "{names:?}"
    );
    for name in &names {
        let a = std::fs::read(one.join(name)).expect("read");
        let b = std::fs::read(merged.join(name)).unwrap_or_default();
        assert!(a == b, "{name:?} differs");
    }
    assert_eq!(std::fs::read_dir(&merged).expect("written").count(), names.len());
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "cli")]
#[test]
fn shards_that_do_not_belong_together_are_refused_by_name() {
    let dir = temp("errors");
    let paths = shards(&dir, &ehr(), 3, &["-n", "5000"]);
    let single_server = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/single-server.toml");
    let check = |paths: &[String], file: &str, wanted: &[&str]| {
        let err = fails(merge(paths, &[]));
        assert!(err.contains(file), "the error does not name {file}: {err}");
        for words in wanted {
            assert!(err.contains(words), "the error does not say \"{words}\": {err}");
        }
    };
    // Another model.
    let other = dir.join("other-model.json").display().to_string();
    ok(nines(&[
        "shard",
        single_server,
        "--of",
        "3",
        "--index",
        "1",
        "-n",
        "5000",
        "--output",
        &other,
    ]));
    check(
        &[paths[0].clone(), other.clone(), paths[2].clone()],
        &other,
        &["another model", "merge only the shards of one run"],
    );
    // Another seed.
    let seed = dir.join("seed.json").display().to_string();
    ok(nines(&[
        "shard",
        &ehr(),
        "--of",
        "3",
        "--index",
        "1",
        "-n",
        "5000",
        "--seed",
        "9",
        "--output",
        &seed,
    ]));
    check(
        &[paths[0].clone(), seed.clone(), paths[2].clone()],
        &seed,
        &["seed 9", "same --seed"],
    );
    // Other settings.
    let settings = dir.join("settings.json").display().to_string();
    ok(nines(&[
        "shard",
        &ehr(),
        "--of",
        "3",
        "--index",
        "1",
        "-n",
        "6000",
        "--output",
        &settings,
    ]));
    check(
        &[paths[0].clone(), settings.clone(), paths[2].clone()],
        &settings,
        &["other settings", "replications"],
    );
    // A missing shard.
    let err = fails(merge(&[paths[0].clone(), paths[2].clone()], &[]));
    assert!(err.contains("shard 1 of 3 is missing: run it"), "{err}");
    // A duplicated one: twice the same file, or a copy.
    check(
        &[paths[0].clone(), paths[1].clone(), paths[1].clone(), paths[2].clone()],
        &paths[1],
        &["both shard 1 of 3", "give each shard once"],
    );
    let copy = dir.join("copy.json").display().to_string();
    std::fs::copy(&paths[2], &copy).expect("copied");
    check(
        &[paths[0].clone(), paths[1].clone(), paths[2].clone(), copy.clone()],
        &copy,
        &["both shard 2 of 3"],
    );
    // Overlapping ranges: shard 0 of 2 holds half the run, shard 1 of 3 the middle third.
    let half = dir.join("half.json").display().to_string();
    ok(nines(&[
        "shard",
        &ehr(),
        "--of",
        "2",
        "--index",
        "0",
        "-n",
        "5000",
        "--output",
        &half,
    ]));
    check(
        &[half.clone(), paths[1].clone(), paths[2].clone()],
        &half,
        &["overlap", "one --of"],
    );
    // A corrupt file, a truncated one, another kind of file, a missing one.
    let text = std::fs::read_to_string(&paths[1]).expect("read");
    let truncated = dir.join("truncated.json").display().to_string();
    std::fs::write(&truncated, &text[..text.len() / 2]).expect("written");
    check(
        &[paths[0].clone(), truncated.clone(), paths[2].clone()],
        &truncated,
        &["cut short", "run that shard again"],
    );
    let corrupt = dir.join("corrupt.json").display().to_string();
    std::fs::write(&corrupt, text.replacen("\"seed\":", "\"sead\":", 1)).expect("written");
    check(
        &[paths[0].clone(), corrupt.clone(), paths[2].clone()],
        &corrupt,
        &["damaged", "run that shard again"],
    );
    let garbage = dir.join("garbage.json").display().to_string();
    std::fs::write(&garbage, "\u{1}\u{2} not json").expect("written");
    check(std::slice::from_ref(&garbage), &garbage, &["not a nines shard file"]);
    let report = dir.join("report.json").display().to_string();
    std::fs::write(
        &report,
        ok(nines(&["simulate", &ehr(), "-n", "1000", "-q", "--format", "json"])),
    )
    .expect("written");
    check(std::slice::from_ref(&report), &report, &["not a nines shard file"]);
    let absent = dir.join("absent.json").display().to_string();
    check(&[paths[0].clone(), absent.clone()], &absent, &["cannot read"]);
    // A file far larger than any shard (sparse: it takes no disk) is refused unread.
    let huge = dir.join("huge.json").display().to_string();
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(nines::Shard::MAX_FILE_BYTES + 1))
        .expect("a sparse file");
    check(
        std::slice::from_ref(&huge),
        &huge,
        &["larger than 256 MB", "not a nines shard file"],
    );
    // An edited sum: its exact text must be canonical.
    let edited = dir.join("edited.json").display().to_string();
    let at = text.find("\"0x").expect("an exact sum");
    std::fs::write(&edited, format!("{}\"0x0{}", &text[..at], &text[at + 3..])).expect("written");
    check(
        &[paths[0].clone(), edited.clone(), paths[2].clone()],
        &edited,
        &["damaged"],
    );
    // Another version of nines.
    let version = env!("CARGO_PKG_VERSION");
    let old = dir.join("old.json").display().to_string();
    let replaced = text.replacen(&format!("\"version\":\"{version}\""), "\"version\":\"0.0.1\"", 1);
    assert_ne!(replaced, text);
    std::fs::write(&old, replaced).expect("written");
    check(
        &[paths[0].clone(), old.clone(), paths[2].clone()],
        &old,
        &["written by nines 0.0.1", &format!("this is nines {version}")],
    );
    // What was given right still merges.
    ok(merge(&paths, &[]));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "cli")]
#[test]
fn the_index_comes_from_the_batch_engine() {
    let dir = temp("index");
    let output = |name: &str| dir.join(name).display().to_string();
    let index_of = |path: &str| {
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("written")).expect("JSON");
        json["index"].as_u64().expect("an index")
    };
    let args = |path: &str| {
        let args = ["shard", &ehr(), "--of", "4", "-n", "2000", "--output", path].map(str::to_owned);
        args.to_vec()
    };
    let run = |path: &str, env: &[(&str, &str)]| {
        let args = args(path);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        nines_with(&args, env)
    };
    let slurm = output("slurm.json");
    ok(run(&slurm, &[("SLURM_ARRAY_TASK_ID", "2")]));
    assert_eq!(index_of(&slurm), 2);
    let kubernetes = output("kubernetes.json");
    ok(run(&kubernetes, &[("JOB_COMPLETION_INDEX", "3")]));
    assert_eq!(index_of(&kubernetes), 3);
    // Slurm's comes first; --index before both.
    let both = output("both.json");
    ok(run(
        &both,
        &[("SLURM_ARRAY_TASK_ID", "1"), ("JOB_COMPLETION_INDEX", "3")],
    ));
    assert_eq!(index_of(&both), 1);
    let given = output("given.json");
    let mut with_index = args(&given);
    with_index.extend(["--index".to_owned(), "0".to_owned()]);
    let with_index: Vec<&str> = with_index.iter().map(String::as_str).collect();
    ok(nines_with(&with_index, &[("SLURM_ARRAY_TASK_ID", "1")]));
    assert_eq!(index_of(&given), 0);
    // With neither, an error says so, and writes nothing.
    let none = output("none.json");
    let err = fails(run(&none, &[]));
    assert!(
        err.contains("SLURM_ARRAY_TASK_ID") && err.contains("JOB_COMPLETION_INDEX") && err.contains("--index"),
        "{err}"
    );
    assert!(!Path::new(&none).exists());
    // An index past the count, e.g. a Slurm array numbered from 1.
    let err = fails(run(&none, &[("SLURM_ARRAY_TASK_ID", "4")]));
    assert!(
        err.contains("$SLURM_ARRAY_TASK_ID is 4") && err.contains("--array=0-3"),
        "{err}"
    );
    let err = fails(run(&none, &[("JOB_COMPLETION_INDEX", "x")]));
    assert!(err.contains("JOB_COMPLETION_INDEX is \"x\""), "{err}");
    // A precision target needs the whole run.
    let mut precise = args(&none);
    precise.extend([
        "--index".to_owned(),
        "0".to_owned(),
        "--precision".to_owned(),
        "0.05".to_owned(),
    ]);
    let precise: Vec<&str> = precise.iter().map(String::as_str).collect();
    let err = fails(nines(&precise));
    assert!(
        err.contains("--precision") && err.contains("whole run") && err.contains("-n"),
        "{err}"
    );
    assert!(!Path::new(&none).exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A model with maintenance (planned downtime left out of the SLA), failover with
/// drills, backups, a dependency and two options, in steady state.
const MAINTAINED: &str = r#"
name = "maintained"

[simulation]
replications = 9000
seed = 11

[costs]
currency = "EUR"
downtime_per_hour = 1000
data_loss_per_hour = 500

[sla]
downtime_per_year = "20h"
exclude_planned = true

[[dependency]]
name = "switch"
[[dependency.failure]]
name = "crash"
every = "exp(mean=20000h)"
repair = "exp(mean=4h)"

[[tier]]
name = "app"
replicas = 2
depends_on = ["switch"]
[tier.maintenance]
every = "30d"
duration = "2h"
how = "rolling"
[[tier.failure]]
name = "crash"
every = "weibull(shape=1.5, scale=3000h)"
repair = "exp(mean=3h)"

[[tier]]
name = "db"
strategy = "failover"
replicas = 2
failover = { detection = "1m", switchover = "3m", success = 0.97, manual_recovery = "1h", standby_failures = "latent", test_every = "30d" }
[tier.backup]
every = "1d"
restore = "exp(mean=3h)"
success = 0.95
[[tier.failure]]
name = "host"
every = "exp(mean=4000h)"
repair = "exp(mean=4h)"
[[tier.failure]]
name = "corruption"
every = "exp(mean=40000h)"
repair = "1d"
scope = "tier"
destroys_data = true

[[option]]
name = "drilled quarterly, three app servers"
tier.db.failover.test_every = "90d"
tier.app.replicas = 3
"#;

#[test]
fn the_library_merges_shards_of_a_maintained_model_bit_for_bit() {
    use nines::{Format, MergeError, Scenario, Shard};
    let scenario = Scenario::parse(MAINTAINED, Format::Toml, "maintained.toml").expect("a valid scenario");
    let single = scenario.run().expect("runs");
    assert!(single.options[0].downtime_hours_per_year.planned.mean > 0.0);
    let json = serde_json::to_string(&single).expect("serialises");
    for threads in [1, 2] {
        let simulation = scenario.simulation().clone().with_threads(threads);
        for of in [1, 3, 5, 13] {
            let shards: Vec<Shard> = (0..of)
                .map(|i| scenario.run_shard(&simulation, i, of).expect("runs"))
                .map(|shard| Shard::from_json(&shard.to_json(), "shard.json").expect("reads back"))
                .rev()
                .collect();
            let merged = Shard::merge(&shards).expect("merges");
            assert!(
                serde_json::to_string(&merged).expect("serialises") == json,
                "{of} shards on {threads} threads"
            );
        }
    }
    // Typed errors.
    let simulation = scenario.simulation().clone();
    let shard = |i: u64, of: u64| scenario.run_shard(&simulation, i, of).expect("runs");
    assert_eq!(Shard::merge(&[]), Err(MergeError::NoShards));
    assert!(matches!(
        Shard::merge(&[shard(0, 2)]),
        Err(MergeError::Missing { ref missing, of: 2 }) if missing == &[1]
    ));
    assert!(matches!(
        Shard::merge(&[shard(0, 2), shard(0, 2), shard(1, 2)]),
        Err(MergeError::Duplicate { index: 0, of: 2, .. })
    ));
    assert!(matches!(
        Shard::merge(&[shard(0, 2), shard(1, 3), shard(2, 3)]),
        Err(MergeError::Overlap { .. })
    ));
    let other_seed = scenario
        .run_shard(&simulation.clone().with_seed(12), 1, 2)
        .expect("runs");
    assert!(matches!(
        Shard::merge(&[shard(0, 2), other_seed]),
        Err(MergeError::OtherSeed {
            seed: 12,
            first_seed: 11,
            ..
        })
    ));
    let precise = scenario.run_shard(&simulation.clone().with_precision(0.1), 0, 2);
    assert!(matches!(precise, Err(nines::SimError::PrecisionInShard)), "{precise:?}");
    assert!(matches!(
        scenario.run_shard(&simulation, 2, 2),
        Err(nines::SimError::ShardIndex { index: 2, of: 2 })
    ));
}
