//! Golden output: `nines compare scenarios/ehr.toml --format json` must print exactly
//! the recorded report.
//!
//! The report depends only on the model, the seed, the replication count and the
//! version of nines and of its random-number crates (rand, rand_distr,
//! rand_xoshiro). When a deliberate change alters the numbers (a new report field, a
//! fix to the engine, an upgrade of those crates), check the new numbers, then
//! regenerate the file with
//!
//! ```text
//! NINES_BLESS=1 cargo test --release --test it golden
//! ```
//!
//! and commit it with the change that explains it.

use std::process::Command;

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/ehr-compare.json");

#[test]
fn ehr_comparison_matches_the_recorded_report() {
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ehr.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_nines"))
        .args(["compare", scenario, "--format", "json"])
        .output()
        .expect("nines runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let actual = String::from_utf8(out.stdout).expect("UTF-8");
    if std::env::var_os("NINES_BLESS").is_some() {
        std::fs::write(GOLDEN, &actual).expect("golden file written");
        return;
    }
    let expected = std::fs::read_to_string(GOLDEN).expect("golden file exists (regenerate with NINES_BLESS=1)");
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .map_or(0, |i| i + 1);
        panic!(
            "the EHR comparison differs from {GOLDEN} from line {line} on:\n  got:      {}\n  expected: {}\n\
             If the change is deliberate, regenerate it: NINES_BLESS=1 cargo test --release --test it golden",
            actual.lines().nth(line.saturating_sub(1)).unwrap_or(""),
            expected.lines().nth(line.saturating_sub(1)).unwrap_or("")
        );
    }
}
