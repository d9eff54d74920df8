//! Scenario files from the fuzzer: raw TOML, raw JSON, or a mutant of a shipped
//! scenario; whatever loads is simulated briefly and printed in every format, and now
//! and then drawn as every chart. See `fuzz/README.md`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nines::Format;

/// The mutations and the property, shared with the property test in the normal suite.
#[path = "../../tests/it/mutate.rs"]
mod mutate;

fuzz_target!(init: {
    // One worker thread, started once: each run's pool of its own (`threads(1)`) left
    // exiting threads that LeakSanitizer reported as leaks.
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()
        .expect("the global thread pool starts once");
}, |data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    // One input in eight also draws the charts (SVG and PNG): they are the slow part.
    let charts = mode % 8 == 0;
    let (name, text, format) = match mode % 4 {
        0 => ("fuzz.toml".to_owned(), String::from_utf8_lossy(rest).into_owned(), Format::Toml),
        1 => ("fuzz.json".to_owned(), String::from_utf8_lossy(rest).into_owned(), Format::Json),
        _ => {
            let (seed, text) = mutate::mutant(rest);
            (format!("mutant-of-{seed}"), text, Format::Toml)
        }
    };
    if let Err(broken) = mutate::check(&name, &text, format, charts) {
        panic!("{broken}\n--- the input ({name}):\n{text}");
    }
});
