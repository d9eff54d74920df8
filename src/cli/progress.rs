//! What a run shows while it works: on a terminal, a bar updated after every wave of
//! replications with the rate and the time left; anywhere, one line as soon as the
//! first update predicts a long run.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nines::Progress;

/// A run predicted to take longer than this is announced.
const LONG_RUN: Duration = Duration::from_secs(60);
/// A run expected to simulate more events than this is announced before it starts:
/// its first progress update (after a wave of 65,536 replications per option) may be
/// minutes away.
const MANY_EVENTS: f64 = 1e9;

/// The progress display of one run.
pub(crate) struct Display {
    bar: Option<ProgressBar>,
    /// Whether to say that a run will take long (not with `--quiet`).
    warn: bool,
    warned: AtomicBool,
    started: Instant,
    names: Vec<String>,
    /// Replications per option (the cap, with a precision target).
    planned: u64,
}

impl Display {
    /// A display for `names.len()` options of `planned` replications each, expected to
    /// simulate `events` events in all; the bar is drawn only when `terminal`, the
    /// long-run lines unless `quiet`.
    pub(crate) fn new(names: Vec<String>, planned: u64, events: f64, terminal: bool, quiet: bool) -> Display {
        if !quiet && events > MANY_EVENTS {
            eprintln!(
                "nines: this run simulates about {events:.1e} events ({}); it may take minutes or more: fewer \
                 replications (-n), a shorter horizon or a precision target (--precision 0.05) make it shorter",
                size(names.len() as u64, planned)
            );
        }
        let total = planned.saturating_mul(names.len() as u64);
        let bar = (terminal && !quiet).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>4} [{bar:16}] {percent:>3} % {wide_msg}")
                    .expect("a valid template")
                    .progress_chars("=> "),
            );
            bar.set_message(format!("starting: {} × {planned} replications", names.len()));
            // Ticks show the run is alive before the first wave ends.
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Display {
            bar,
            warn: !quiet,
            warned: AtomicBool::new(false),
            started: Instant::now(),
            names,
            planned,
        }
    }

    /// Takes one update from the engine.
    pub(crate) fn update(&self, p: Progress) {
        let options = self.names.len() as u64;
        let total = p.planned;
        let done = p.done;
        let elapsed = self.started.elapsed().as_secs_f64();
        let rate = if elapsed > 0.0 { done as f64 / elapsed } else { 0.0 };
        let left = (rate > 0.0).then(|| Duration::from_secs_f64(total.saturating_sub(done) as f64 / rate));
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.set_position(done);
            let what = if options == 1 {
                self.names.first().cloned().unwrap_or_default()
            } else {
                format!("{options} options side by side")
            };
            bar.set_message(format!(
                "{:.0} replications/s, {} left · {what}",
                rate,
                left.map_or_else(|| "?".to_owned(), duration),
            ));
        }
        if let Some(left) = left
            && self.warn
            && left > LONG_RUN
            && !self.warned.swap(true, Ordering::Relaxed)
        {
            let line = format!(
                "nines: this run will take about {} more ({:.0} replications/s, {}); fewer replications (-n) or a \
                 precision target (--precision 0.05) make it shorter",
                duration(left),
                rate,
                size(options, self.planned)
            );
            match &self.bar {
                Some(bar) => bar.println(line),
                None => eprintln!("{line}"),
            }
        }
    }

    /// Removes the bar.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The size of a run: `3 options × 10000 replications`, `1 option × 1 replication`.
fn size(options: u64, planned: u64) -> String {
    let count = |n: u64, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    format!(
        "{} × {}",
        count(options, "option", "options"),
        count(planned, "replication", "replications")
    )
}

/// `45 s`, `12 min`, `3 h 20 min`, `4.2 d`.
fn duration(d: Duration) -> String {
    let seconds = d.as_secs_f64();
    if seconds < 90.0 {
        format!("{seconds:.0} s")
    } else if seconds < 5400.0 {
        format!("{:.0} min", seconds / 60.0)
    } else if seconds < 172_800.0 {
        let minutes = (seconds / 60.0).round();
        format!("{} h {:02} min", (minutes / 60.0).floor(), minutes % 60.0)
    } else {
        format!("{:.1} d", seconds / 86_400.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_sizes_say_option_and_replication_in_the_singular_for_one() {
        assert_eq!(size(1, 1_000_000), "1 option × 1000000 replications");
        assert_eq!(size(5, 1), "5 options × 1 replication");
        assert_eq!(size(2, 3), "2 options × 3 replications");
    }

    #[test]
    fn durations_read_naturally() {
        let cases = [
            (5.0, "5 s"),
            (89.0, "89 s"),
            (600.0, "10 min"),
            (12_000.0, "3 h 20 min"),
            (400_000.0, "4.6 d"),
        ];
        for (seconds, text) in cases {
            assert_eq!(duration(Duration::from_secs_f64(seconds)), text);
        }
    }
}
