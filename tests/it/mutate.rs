//! Mutants of the shipped scenarios, and what must hold for every one of them: it
//! loads and gives a report whose printed numbers are all finite, or it fails with an
//! error that names the file. Never a panic, a hang or gigabytes.
//!
//! A mutant is a shipped scenario changed by a list of choices (bytes): numbers set to
//! extreme values, keys dropped or duplicated, values of one key put in another, types
//! swapped, lines repeated. The property test below draws the choices with proptest;
//! the fuzz target (`fuzz/fuzz_targets/scenario.rs`, which includes this file) takes
//! them from the fuzzer, so both explore the same space.

use nines::{Format, Scenario};

/// The shipped scenarios, the seeds of every mutant.
pub const SEEDS: [(&str, &str); 8] = [
    ("single-server.toml", include_str!("../../scenarios/single-server.toml")),
    (
        "db-active-active.toml",
        include_str!("../../scenarios/db-active-active.toml"),
    ),
    (
        "db-backup-only.toml",
        include_str!("../../scenarios/db-backup-only.toml"),
    ),
    (
        "db-failover-backups.toml",
        include_str!("../../scenarios/db-failover-backups.toml"),
    ),
    (
        "db-failover-drilled.toml",
        include_str!("../../scenarios/db-failover-drilled.toml"),
    ),
    (
        "db-failover-untested.toml",
        include_str!("../../scenarios/db-failover-untested.toml"),
    ),
    ("ehr.toml", include_str!("../../scenarios/ehr.toml")),
    ("web-shop.toml", include_str!("../../scenarios/web-shop.toml")),
];

/// Numbers at and past every bound, and the values that break naive code.
const NUMBERS: [f64; 16] = [
    0.0,
    -1.0,
    1e-300,
    5e-324,
    1e300,
    1.5e308,
    1e15,
    1e16,
    1e9,
    1e10,
    4_294_967_295.0,
    1e-9,
    0.5,
    2.0,
    1e6,
    10_001.0,
];

/// Durations and distributions at and past every bound.
const TEXTS: [&str; 16] = [
    "1e-300h",
    "1s",
    "1e300h",
    "0",
    "-1h",
    "exp(mean=1e-12h)",
    "uniform(min=0h, max=1e-300h)",
    "gamma(shape=1e300, mean=1h)",
    "gamma(shape=0.001, mean=1e9h)",
    "weibull(shape=0.05, scale=1h)",
    "lognormal(median=1h, sigma=40)",
    "lognormal(mean=1h, p95=3.8h)",
    "empirical(0h, 1e9h)",
    "fixed(1e9h)",
    "exp(mean=1y)",
    "1e9h",
];

/// Ordinary values, so that many mutants still load and run.
const MILD_TEXTS: [&str; 8] = [
    "4h",
    "30d",
    "exp(mean=2000h)",
    "weibull(shape=1.5, scale=1000h)",
    "lognormal(median=6h, sigma=0.8)",
    "gamma(shape=2, mean=10h)",
    "uniform(min=1h, max=3h)",
    "empirical(2h, 3.5h, 8h)",
];

/// A stream of choices; past its end every choice is 0.
pub struct Choices<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Choices<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Choices { bytes, at: 0 }
    }

    fn byte(&mut self) -> u8 {
        let byte = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        byte
    }

    /// A number below `n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        let wide = usize::from(self.byte()) << 8 | usize::from(self.byte());
        wide % n
    }
}

/// Every place in a TOML value, as a path of keys and indices.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn places(value: &toml::Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(path.clone());
    match value {
        toml::Value::Table(table) => {
            for (key, child) in table {
                path.push(Step::Key(key.clone()));
                places(child, path, out);
                path.pop();
            }
        }
        toml::Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(Step::Index(index));
                places(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at<'v>(value: &'v mut toml::Value, path: &[Step]) -> Option<&'v mut toml::Value> {
    let mut current = value;
    for step in path {
        current = match (step, current) {
            (Step::Key(key), toml::Value::Table(table)) => table.get_mut(key)?,
            (Step::Index(index), toml::Value::Array(items)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(current)
}

fn strings(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(text) => out.push(text.clone()),
        toml::Value::Table(table) => table.values().for_each(|v| strings(v, out)),
        toml::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        _ => {}
    }
}

fn number(value: f64) -> toml::Value {
    if value.fract() == 0.0 && value.abs() < 9e18 {
        toml::Value::Integer(value as i64)
    } else {
        toml::Value::Float(value)
    }
}

/// One change at one place.
fn mutate_once(root: &mut toml::Value, choices: &mut Choices<'_>) {
    let mut all = Vec::new();
    places(root, &mut Vec::new(), &mut all);
    let mut pool = Vec::new();
    strings(root, &mut pool);
    let path = all[choices.below(all.len())].clone();
    let op = choices.below(11);
    let pick_number = NUMBERS[choices.below(NUMBERS.len())];
    let pick_text = TEXTS[choices.below(TEXTS.len())];
    let pick_string = pool.get(choices.below(pool.len().max(1))).cloned().unwrap_or_default();
    // Removing a key needs the parent.
    if op == 0
        && let Some((Step::Key(key), parent)) = path.split_last()
    {
        if let Some(toml::Value::Table(table)) = at(root, parent) {
            table.remove(key);
        }
        return;
    }
    let Some(target) = at(root, &path) else {
        return;
    };
    match (op, &mut *target) {
        (1 | 2, toml::Value::Integer(_) | toml::Value::Float(_)) => *target = number(pick_number),
        (1, toml::Value::String(_)) => *target = toml::Value::String(pick_text.to_owned()),
        (2, toml::Value::String(_)) => *target = toml::Value::String(pick_string),
        (3, toml::Value::Array(items)) if !items.is_empty() => {
            // A repeated tier, failure mode or option: repeated names.
            let copy = items[choices.below(items.len())].clone();
            items.push(copy);
        }
        (4, toml::Value::Table(table)) => {
            // A key of another table, or a new key, with an extreme value.
            let keys = [
                "replicas",
                "required",
                "every",
                "repair",
                "horizon",
                "replications",
                "cost_per_replica",
                "test_every",
                "test_duration",
                "success",
                "strategy",
            ];
            let key = keys[choices.below(keys.len())];
            let value = if choices.byte().is_multiple_of(2) {
                number(pick_number)
            } else {
                toml::Value::String(pick_text.to_owned())
            };
            table.insert(key.to_owned(), value);
        }
        (5, _) => {
            // Another type.
            *target = match choices.below(4) {
                0 => toml::Value::Boolean(true),
                1 => toml::Value::String(pick_string),
                2 => toml::Value::Array(Vec::new()),
                _ => number(pick_number),
            };
        }
        // Mild changes: a number doubled, halved or one more; an ordinary duration.
        (6..=9, toml::Value::Integer(n)) => *n = [n.saturating_mul(2), *n / 2, n.saturating_add(1), *n][op - 6],
        (6..=9, toml::Value::Float(x)) => *x = [*x * 2.0, *x / 2.0, *x + 1.0, *x][op - 6],
        (6..=9, toml::Value::String(text)) => *text = MILD_TEXTS[choices.below(MILD_TEXTS.len())].to_owned(),
        _ => {
            if let toml::Value::Integer(_) | toml::Value::Float(_) = target {
                *target = number(pick_number);
            } else if let toml::Value::String(_) = target {
                *target = toml::Value::String(pick_text.to_owned());
            }
        }
    }
}

/// A mutant: which seed, and its text.
pub fn mutant(bytes: &[u8]) -> (&'static str, String) {
    let mut choices = Choices::new(bytes);
    let (name, seed) = SEEDS[choices.below(SEEDS.len())];
    let mut root: toml::Value = toml::from_str(seed).expect("a shipped scenario is TOML");
    for _ in 0..1 + choices.below(3) {
        mutate_once(&mut root, &mut choices);
    }
    let mut text = toml::to_string(&root).unwrap_or_default();
    // Now and then a repeated line: a duplicate key, or a repeated table header.
    if choices.byte().is_multiple_of(16) {
        let lines: Vec<&str> = text.lines().collect();
        if !lines.is_empty() {
            let line = lines[choices.below(lines.len())].to_owned();
            text.push('\n');
            text.push_str(&line);
            text.push('\n');
        }
    }
    (name, text)
}

/// The simulations a check may run: enough to draw every output, few enough that
/// thousands of checks take seconds.
const REPLICATIONS: u64 = 8;
/// The most events a check's simulation may expect (estimated from the model), so that
/// a valid but heavy mutant (a horizon of 1e9 h) only loads.
const MAX_EVENTS: f64 = 2e5;

/// What a check did, for statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The text was refused, with an error naming the file.
    Refused,
    /// It loaded but is too heavy to simulate here.
    Loaded,
    /// It loaded, ran and printed finite numbers in every format.
    Reported,
}

/// Loads `text` as the file `name` and, when it loads, runs it briefly and prints every
/// format (and, with `charts` and the `charts` feature, draws every chart). The error
/// says what broke the property.
pub fn check(name: &str, text: &str, format: Format, charts: bool) -> Result<Outcome, String> {
    let scenario = match Scenario::parse(text, format, name) {
        Ok(scenario) => scenario,
        Err(e) => {
            let message = e.to_string();
            return if message.contains(name) {
                Ok(Outcome::Refused)
            } else {
                Err(format!("the error does not name the file {name}: {message}"))
            };
        }
    };
    // Rayon's global pool: a pool per check would start threads that are still exiting
    // when the fuzzer checks for leaks. The fuzz target makes that pool one thread.
    let simulation = scenario.simulation().clone().with_replications(REPLICATIONS);
    let years = simulation.horizon() / nines::HOURS_PER_YEAR;
    let events: f64 = scenario
        .options()
        .iter()
        .map(|o| o.expected_events_per_year() * years.max(1.0) * REPLICATIONS as f64)
        .sum();
    if events.is_nan() || events > MAX_EVENTS {
        return Ok(Outcome::Loaded);
    }
    let report = scenario
        .run_with(&simulation)
        .map_err(|e| format!("a valid scenario failed to run: {e}"))?;
    let mut texts = vec![
        ("table", report.to_string()),
        ("comparison", report.comparison_table()),
        ("markdown", report.to_markdown()),
        ("csv", report.to_csv()),
    ];
    let json = serde_json::to_string(&report).map_err(|e| format!("the report is not JSON: {e}"))?;
    // What the simulator writes holds the invariants a report read back must hold.
    serde_json::from_str::<nines::Report>(&json).map_err(|e| format!("the report does not read back: {e}"))?;
    #[cfg(feature = "charts")]
    let drawn = if charts {
        let histories: Vec<_> = scenario
            .options()
            .iter()
            .map(|o| simulation.histories(o, 0..2))
            .collect::<Result<_, _>>()
            .map_err(|e| format!("histories failed: {e}"))?;
        let drawn = nines::chart::all(&report, Some(&histories)).map_err(|e| format!("the charts failed: {e}"))?;
        for chart in &drawn {
            chart
                .png()
                .map_err(|e| format!("the PNG of {} failed: {e}", chart.name()))?;
        }
        drawn
    } else {
        Vec::new()
    };
    #[cfg(not(feature = "charts"))]
    let drawn: Vec<nines::chart::Chart> = {
        let _ = charts;
        Vec::new()
    };
    texts.push(("html", report.to_html(Some(&scenario), &drawn)));
    for (what, text) in &texts {
        if let Some((bad, context)) = non_finite(text) {
            return Err(format!("the {what} output prints {bad}: …{context}…"));
        }
    }
    if json.contains("NaN") || json.len() > 10_000_000 {
        return Err("the JSON report prints NaN or is huge".to_owned());
    }
    Ok(Outcome::Reported)
}

/// The first NaN, inf or Infinity that `text` prints as a number, with the text around
/// it. Words such as "infrastructure" hold "inf", and the base64 of an inline chart's
/// PNG may hold "/inf/" or "+NaN+": neither is a number.
fn non_finite(text: &str) -> Option<(&'static str, String)> {
    let text = without_base64(text);
    for bad in ["NaN", "inf", "Infinity"] {
        let found = text.match_indices(bad).find(|&(i, _)| {
            let before = text[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after = text[i + bad.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            before && after
        });
        if let Some((i, _)) = found {
            let start = text.floor_char_boundary(i.saturating_sub(80));
            let end = text.ceil_char_boundary((i + bad.len() + 80).min(text.len()));
            return Some((bad, text[start..end].to_owned()));
        }
    }
    None
}

/// `text` without the payload of its base64 data URIs.
fn without_base64(text: &str) -> String {
    const MARK: &str = ";base64,";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        let (head, tail) = rest.split_at(at + MARK.len());
        out.push_str(head);
        rest = tail.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='));
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::RngSeed;

    proptest! {
        // A fixed seed, so that a failure (in CI too) fails again when rerun; for other
        // mutants, set PROPTEST_RNG_SEED (and PROPTEST_CASES), which take precedence.
        #![proptest_config(ProptestConfig {
            cases: 3000,
            failure_persistence: None,
            rng_seed: RngSeed::Fixed(20_261_201),
            ..ProptestConfig::default()
        })]

        /// Every mutant of a shipped scenario either reports finite numbers or fails
        /// with an error that names the file.
        #[test]
        fn every_mutant_reports_finite_numbers_or_names_the_file(
            bytes in proptest::collection::vec(any::<u8>(), 0..64)
        ) {
            let (seed, text) = mutant(&bytes);
            let name = format!("mutant-of-{seed}");
            let charts = bytes.first().is_some_and(|b| b % 32 == 0);
            if let Err(broken) = check(&name, &text, Format::Toml, charts) {
                prop_assert!(false, "{broken}\n--- the choices: {bytes:?}\n--- the mutant:\n{text}");
            }
        }
    }

    /// A mutant of db-active-active.toml whose HTML report, with the charts drawn, holds
    /// "/inf/" in the base64 of a chart's PNG: that is no number. (The tier is named
    /// "1e300h".)
    #[test]
    fn a_chart_s_base64_is_not_read_as_a_number() {
        let bytes = [
            32, 1, 26, 251, 2, 242, 146, 109, 80, 254, 126, 162, 148, 213, 195, 196, 186, 68, 213, 16, 100, 162, 36,
            192, 152,
        ];
        let (seed, text) = mutant(&bytes);
        assert_eq!(seed, "db-active-active.toml");
        assert!(text.contains("name = \"1e300h\""), "{text}");
        assert_eq!(check(seed, &text, Format::Toml, true), Ok(Outcome::Reported), "{text}");
    }

    /// Infinities and NaN are found as numbers, but not inside words nor in the payload
    /// of a data URI.
    #[test]
    fn non_finite_numbers_are_found_outside_words_and_base64() {
        assert_eq!(non_finite("uptime: inf %").map(|(bad, _)| bad), Some("inf"));
        assert_eq!(non_finite("<td>NaN</td>").map(|(bad, _)| bad), Some("NaN"));
        assert_eq!(non_finite("infrastructure, Infinityish"), None);
        let html = "<img src=\"data:image/png;base64,AB/inf/+NaN+C=\" alt=\"inf\">";
        assert_eq!(non_finite(html).map(|(bad, _)| bad), Some("inf"));
        assert_eq!(non_finite(&html.replace("alt=\"inf\"", "alt=\"x\"")), None);
    }

    /// 24 well-mixed bytes from `i` (SplitMix64).
    fn spread(i: u32) -> Vec<u8> {
        let mut state = u64::from(i);
        (0..3)
            .flat_map(|_| {
                state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                (z ^ (z >> 31)).to_le_bytes()
            })
            .collect()
    }

    /// The mutants cover all three outcomes, so the property above is not vacuous.
    #[test]
    fn mutants_are_refused_loaded_and_reported() {
        let mut seen = [0usize; 3];
        for i in 0..600u32 {
            let (seed, text) = mutant(&spread(i));
            let outcome = check(seed, &text, Format::Toml, false).unwrap_or_else(|e| panic!("{e}\n{text}"));
            seen[outcome as usize] += 1;
        }
        println!("refused, loaded, reported: {seen:?}");
        assert!(seen[Outcome::Refused as usize] >= 50, "{seen:?}");
        assert!(seen[Outcome::Reported as usize] >= 50, "{seen:?}");
    }
}
