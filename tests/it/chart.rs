//! Charts: each chart of a real comparison and a real sweep names its title, options,
//! axes and SLA; PNGs decode to the stated size with text in them; the same report
//! gives the same bytes; charts that do not apply are `None`; odd reports still draw.

use std::sync::OnceLock;

use nines::chart::{self, Chart, ChartError};
use nines::{History, Report, Scenario};

/// The EHR comparison (five options, costs, an SLA) on 2000 replications, with three
/// histories per option.
pub(crate) fn ehr() -> &'static (Report, Vec<Vec<History>>) {
    static EHR: OnceLock<(Report, Vec<Vec<History>>)> = OnceLock::new();
    EHR.get_or_init(|| {
        let scenario = Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ehr.toml")).unwrap();
        let simulation = scenario.simulation().clone().with_replications(2000);
        let report = scenario.run_with(&simulation).unwrap();
        let histories = scenario
            .options()
            .iter()
            .map(|service| simulation.histories(service, 0..3).unwrap())
            .collect();
        (report, histories)
    })
}

/// A sweep of the failover drill interval (one tier, no costs, no SLA).
fn sweep() -> &'static Report {
    static SWEEP: OnceLock<Report> = OnceLock::new();
    SWEEP.get_or_init(|| {
        let base = Scenario::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/db-failover-untested.toml"
        ))
        .unwrap();
        let scenario = base.sweep("tier.database.failover.test_every=7d,30d,90d").unwrap();
        let simulation = scenario.simulation().clone().with_replications(2000);
        let mut report = scenario.run_with_progress(&simulation, &|_| {}).unwrap();
        // The report names its sweep whichever way it was run.
        report.sweep = scenario.swept().cloned();
        report
    })
}

/// Text as it appears in the SVG's character data (plotters escapes quotes too).
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[track_caller]
fn assert_has(chart: &Chart, texts: &[&str]) {
    for text in texts {
        assert!(
            chart.svg().contains(&xml(text)),
            "the {} chart's SVG lacks {text:?}",
            chart.name()
        );
    }
}

fn option_names(report: &Report) -> Vec<&str> {
    report.options.iter().map(|o| o.name.as_str()).collect()
}

#[test]
fn downtime_chart_names_options_axes_and_the_sla() {
    let (report, _) = ehr();
    let chart = chart::downtime(report).unwrap();
    assert_eq!(chart.name(), "downtime");
    assert_eq!(chart.size(), (1000, 560));
    assert!(chart.svg().starts_with("<svg") && chart.svg().trim_end().ends_with("</svg>"));
    assert_has(
        &chart,
        &[
            chart.title(),
            "downtime in a year (log scale)",
            "years with at most this downtime",
        ],
    );
    assert_has(&chart, &["SLA budget: 4 h 23 min a year", "0", "1 h", "1 d", "100 %"]);
    for option in &report.options {
        let breach = 100.0 * option.sla.unwrap().breach_probability.mean;
        assert_has(
            &chart,
            &[&format!("{} — {breach:.1} % of years over budget", option.name)],
        );
    }
}

#[test]
fn cost_chart_ranks_options_by_sla_verdict_then_cost_and_marks_the_recommendation() {
    let (report, _) = ehr();
    let chart = chart::cost(report).unwrap().expect("the EHR scenario has costs");
    assert_eq!(chart.name(), "cost");
    assert_eq!(chart.title(), "Expected cost per year, by SLA verdict, cheapest first");
    assert_has(&chart, &[chart.title(), "expected cost per year [USD]", "recommended"]);
    assert!(
        !chart.svg().contains("log scale"),
        "the parts stack, so the axis is linear"
    );
    assert_has(&chart, &option_names(report));
    assert_has(
        &chart,
        &[
            "infrastructure",
            "expected downtime cost",
            "expected data-loss cost",
            "P90",
        ],
    );
    // Each option's verdict beside it, worded as the report words it.
    for option in &report.options {
        let sla = option.sla.as_ref().expect("the EHR scenario has an SLA");
        assert_has(&chart, &[&format!("SLA {}", sla.describe())]);
    }
    // Those that meet the SLA first, then the rest; each group cheapest first.
    let verdict = |name: &str| report.option(name).unwrap().sla.unwrap().verdict;
    let mut expected: Vec<&String> = report.ranking.iter().collect();
    expected.sort_by_key(|name| verdict(name) != nines::SlaVerdict::Met);
    let at: Vec<usize> = expected
        .iter()
        .map(|name| chart.svg().find(&format!("\n{}\n", xml(name))).unwrap())
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{expected:?}");
}

#[test]
fn tiers_chart_names_tiers_and_single_points_of_failure() {
    let (report, _) = ehr();
    let chart = chart::tiers(report).unwrap();
    assert_eq!(chart.name(), "tiers");
    assert_has(
        &chart,
        &[
            chart.title(),
            "share of the service's downtime, by the tier that was down",
        ],
    );
    assert_has(&chart, &option_names(report));
    assert_has(
        &chart,
        &[
            "load balancer",
            "application",
            "database",
            "storage",
            "single point of failure",
        ],
    );
    assert_has(&chart, &["down per year"]);
}

#[test]
fn data_loss_chart_shows_mean_p99_and_worst() {
    let (report, _) = ehr();
    let chart = chart::data_loss(report).unwrap();
    assert_eq!(chart.name(), "data-loss");
    assert_has(&chart, &[chart.title(), "data lost, in hours of writes (log scale)"]);
    assert_has(&chart, &option_names(report));
    assert_has(&chart, &["mean per year", "P99 year", "worst single loss", "1 y"]);
}

#[test]
fn recovery_chart_shows_the_rto_and_the_share_within_it() {
    let report = crate::disruptions::dr();
    let chart = chart::recovery(report).unwrap().expect("the DR scenario had outages");
    assert_eq!(chart.name(), "recovery");
    assert_eq!(chart.title(), "Recovery time per kind of disruption, against the RTO");
    assert_has(
        &chart,
        &[
            chart.title(),
            "RTO 4 h",
            "within RTO · outages",
            "median outage",
            "P95 (1 outage in 20 lasts longer)",
            "longest",
            "how long the service was down, per outage the disruption started (log scale)",
        ],
    );
    assert_has(&chart, &option_names(report));
    // A group per class that started an outage, each with its share within the RTO.
    let option = &report.options[0];
    for d in &option.disruptions {
        assert!(d.outages > 0, "{}", d.class);
        let within = d.within_rto.unwrap();
        assert_has(&chart, &[&d.class]);
        if (0.001..0.999).contains(&within) {
            // A share of fewer than 100 outages says of how many.
            let of = if d.outages < 100 {
                format!(" of {}", d.outages)
            } else {
                String::new()
            };
            assert_has(&chart, &[&format!("{:.1} %{of} · ", 100.0 * within)]);
        }
    }
    let disaster = option.disruptions.iter().find(|d| d.class == "site disaster").unwrap();
    assert!(disaster.outages < 100, "{}", disaster.outages);
    // The RTO's line is labelled once.
    assert_eq!(chart.svg().matches("RTO 4 h").count(), 1);
    let (width, height, _) = decode(&chart.png().unwrap());
    assert_eq!((width, height), chart.size());
    assert!(chart::all(report, None).unwrap().iter().any(|c| c.name() == "recovery"));
}

#[test]
fn recovery_chart_is_absent_when_it_does_not_apply() {
    // Without an RTO the EHR options' outages come from three classes: the chart is
    // drawn, with the P95 beside each bar and no RTO.
    let (report, _) = ehr();
    let chart = chart::recovery(report).unwrap().unwrap();
    assert_eq!(chart.title(), "Recovery time per kind of disruption");
    assert_has(
        &chart,
        &[
            "P95 · outages",
            "replica failure",
            "tier-wide failure",
            "data destruction",
        ],
    );
    assert!(!chart.svg().contains("RTO"));
    // A failover test took no option down: it is not a group of the chart.
    assert!(!chart.svg().contains("failover test"));
    // One server: one class, no RTO: no recovery chart among all.
    let scenario = Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/single-server.toml")).unwrap();
    let single = scenario
        .run_with(&scenario.simulation().clone().with_replications(500))
        .unwrap();
    assert_eq!(single.options[0].disruptions.len(), 1);
    let names: Vec<String> = chart::all(&single, None)
        .unwrap()
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(names, ["downtime"]);
    // With an RTO but no outage anywhere, there is nothing to draw.
    let mut calm = crate::disruptions::dr().clone();
    for d in calm.options.iter_mut().flat_map(|o| &mut o.disruptions) {
        d.outages = 0;
    }
    assert!(chart::recovery(&calm).unwrap().is_none());
    assert!(chart::all(&calm, None).unwrap().iter().all(|c| c.name() != "recovery"));
}

#[test]
fn timeline_chart_shows_each_history() {
    let (report, histories) = ehr();
    let chart = chart::timeline(report, histories).unwrap();
    assert_eq!(chart.name(), "timeline");
    assert_has(
        &chart,
        &[chart.title(), "day of the simulated year", "year 1", "year 3"],
    );
    assert_has(&chart, &option_names(report));
    // Each outage is a bar: at least as many rectangles as outages.
    let outages: usize = histories.iter().flatten().map(|h| h.outage_intervals.len()).sum();
    assert!(outages > 0);
    assert!(chart.svg().matches("<rect").count() >= outages);
}

#[test]
fn timeline_lays_short_histories_end_to_end_and_caps_its_rows() {
    let scenario = Scenario::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/db-failover-untested.toml"
    ))
    .unwrap();
    let service = &scenario.options()[0];
    // Histories of 30 days: twelve to a row of 360 days.
    let month = scenario.simulation().clone().with_replications(200).with_horizon(720.0);
    let report = month.run(service).unwrap();
    let histories = vec![month.histories(service, 0..24).unwrap()];
    let chart = chart::timeline(&report, &histories).unwrap();
    assert_has(
        &chart,
        &["1–12", "13–24", "each row 12 simulated histories of 30.0 d end to end"],
    );
    assert_has(&chart, &["days, histories laid end to end"]);
    assert!(!chart.svg().contains("25–"));
    // Many years: the first rows only, and the subtitle says so.
    let year = scenario.simulation().clone().with_replications(200);
    let report = year.run(service).unwrap();
    let histories = vec![year.histories(service, 0..20).unwrap()];
    let chart = chart::timeline(&report, &histories).unwrap();
    assert_has(&chart, &["year 8", "(the first 8 rows of each option)"]);
    assert!(!chart.svg().contains("year 9"));
}

#[test]
fn timeline_needs_histories_for_every_option() {
    let (report, histories) = ehr();
    let err = chart::timeline(report, &histories[..2]).unwrap_err();
    assert!(
        matches!(
            err,
            ChartError::Histories {
                options: 5,
                histories: 2
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("5 options but 2 lists"), "{err}");
    assert!(matches!(
        chart::all(report, Some(&histories[..1])),
        Err(ChartError::Histories { .. })
    ));
}

#[test]
fn sweep_chart_puts_the_values_on_x() {
    let report = sweep();
    let chart = chart::sweep(report).unwrap().expect("a sweep report");
    assert_eq!(chart.name(), "sweep");
    assert_eq!(
        chart.title(),
        "What the failover drill interval of the database buys: downtime"
    );
    assert_has(&chart, &[chart.title(), "7d", "30d", "90d"]);
    // The subtitle names what the sweep started from as such, not as what it swept.
    assert_has(
        &chart,
        &["All else as in \"database: failover, never tested\" · 2,000 simulated years per option"],
    );
    assert!(!chart.svg().contains("test_every"), "no configuration key in the words");
    assert_has(
        &chart,
        &[
            "failover drill interval of the database tier (log scale)",
            "downtime per year [h]",
        ],
    );
    assert_has(&chart, &["mean", "P90 year"]);
    // Without costs there is no cost panel.
    assert!(!chart.svg().contains("expected cost"));
}

#[test]
fn sweep_chart_with_costs_has_a_cost_panel_and_the_sla() {
    let scenario = Scenario::load(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ehr.toml"))
        .unwrap()
        .sweep("tier.storage.replicas=1,2")
        .unwrap();
    let simulation = scenario.simulation().clone().with_replications(500);
    let mut report = scenario.run_with_progress(&simulation, &|_| {}).unwrap();
    report.sweep = scenario.swept().cloned();
    let chart = chart::sweep(&report).unwrap().unwrap();
    assert_has(
        &chart,
        &[
            "expected cost per year [USD]",
            "SLA budget 4 h 23 min",
            "replica count of the storage tier",
        ],
    );
}

#[test]
fn charts_that_do_not_apply_are_none() {
    let (report, _) = ehr();
    assert!(chart::sweep(report).unwrap().is_none());
    assert!(chart::cost(sweep()).unwrap().is_none());
}

#[test]
fn all_gives_every_chart_that_applies_in_reading_order() {
    let (report, histories) = ehr();
    let names = |charts: Vec<Chart>| charts.iter().map(|c| c.name().to_owned()).collect::<Vec<_>>();
    assert_eq!(
        names(chart::all(report, Some(histories)).unwrap()),
        ["cost", "downtime", "recovery", "data-loss", "tiers", "timeline"]
    );
    assert_eq!(
        names(chart::all(report, None).unwrap()),
        ["cost", "downtime", "recovery", "data-loss", "tiers"]
    );
    // One tier: no tiers chart; no costs: no cost chart; outages from replica
    // failures and from data destructions: a recovery chart.
    assert_eq!(
        names(chart::all(sweep(), None).unwrap()),
        ["sweep", "downtime", "recovery", "data-loss"]
    );
}

/// The PNG's pixels (RGB), decoded.
fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

#[test]
fn pngs_have_the_charts_size_and_text() {
    let (report, histories) = ehr();
    let mut charts = chart::all(report, Some(histories)).unwrap();
    charts.extend(chart::sweep(sweep()).unwrap());
    for chart in &charts {
        let (width, height, pixels) = decode(&chart.png().unwrap());
        assert_eq!((width, height), chart.size(), "{}", chart.name());
        let pixel = |x: u32, y: u32| {
            let i = 3 * (y * width + x) as usize;
            [pixels[i], pixels[i + 1], pixels[i + 2]]
        };
        let count = |xs: std::ops::Range<u32>, ys: std::ops::Range<u32>, test: &dyn Fn([u8; 3]) -> bool| {
            ys.flat_map(|y| xs.clone().map(move |x| (x, y)))
                .filter(|&(x, y)| test(pixel(x, y)))
                .count()
        };
        let dark = |p: [u8; 3]| p.iter().all(|c| *c < 100);
        let white = |p: [u8; 3]| p == [255, 255, 255];
        // Not blank: a good share of the image is drawn.
        let drawn = count(0..width, 0..height, &|p| !white(p));
        assert!(
            drawn > (width * height / 50) as usize,
            "{}: {drawn} pixels drawn",
            chart.name()
        );
        // The title is set in dark text at the top left, and nothing is drawn above it.
        let title = count(24..400, 12..46, &dark);
        assert!(title > 400, "{}: {title} dark pixels in the title", chart.name());
        assert_eq!(count(0..width, 0..8, &|p| !white(p)), 0, "{}", chart.name());
        // Coloured pixels: options or categories drawn in colour.
        let colourful = count(0..width, 0..height, &|[r, g, b]| {
            r.abs_diff(g).max(g.abs_diff(b)).max(r.abs_diff(b)) > 60
        });
        assert!(colourful > 500, "{}: {colourful} coloured pixels", chart.name());
    }
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let (report, histories) = ehr();
    let first = chart::all(report, Some(histories)).unwrap();
    let second = chart::all(&report.clone(), Some(&histories.clone())).unwrap();
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.svg(), b.svg(), "{}", a.name());
        let png = a.png().unwrap();
        assert_eq!(png, b.png().unwrap(), "{}", a.name());
        assert_eq!(png, a.png().unwrap(), "{}", a.name());
    }
}

#[test]
fn odd_reports_still_draw() {
    let (report, histories) = ehr();
    // No options at all.
    let mut empty = report.clone();
    empty.options.clear();
    empty.ranking.clear();
    empty.recommendation = None;
    let charts = chart::all(&empty, Some(&[])).unwrap();
    assert_eq!(
        charts.iter().map(Chart::name).collect::<Vec<_>>(),
        ["downtime", "timeline"]
    );
    for chart in &charts {
        chart.png().unwrap();
    }
    // No downtime or data loss anywhere, NaNs, and a very long option name.
    let mut odd = report.clone();
    let long = "an option whose name goes on and on, far longer than any column should hold in one line".to_owned();
    odd.options[0].name = long.clone();
    for option in &mut odd.options {
        option.downtime_percentiles_hours = vec![0.0; 101];
        option.downtime_hours_per_year.estimate.mean = 0.0;
        option.data_loss_hours_per_year.estimate.mean = f64::NAN;
        option.data_loss_hours_per_year.p99 = 0.0;
        option.data_loss_hours_per_year.max_single_event = 0.0;
        for tier in &mut option.tiers {
            tier.downtime_share = 0.0;
        }
    }
    odd.options[1].cost.as_mut().unwrap().total.mean = f64::INFINITY;
    let mut empty_histories = histories.clone();
    empty_histories[2].clear();
    for chart in chart::all(&odd, Some(&empty_histories)).unwrap() {
        chart.png().unwrap();
        // A long name is wrapped onto lines, never cut: every word is there.
        for word in long.split(' ') {
            assert!(chart.svg().contains(&xml(word)), "{}: {word}", chart.name());
        }
    }
    let tiers = chart::tiers(&odd).unwrap();
    assert_has(&tiers, &["no downtime seen"]);
    let lost = chart::data_loss(&odd).unwrap();
    assert_has(&lost, &["no data lost"]);
}

/// Extreme values in a report (deserialised or built by a program, so nothing checked
/// them): every chart and every format finishes at once, small, and prints no NaN or
/// infinity and no number of hundreds of digits.
#[test]
fn extreme_values_draw_and_print_in_bounded_time_and_size() {
    let (base, histories) = ehr();
    let extremes = [1.5e308, f64::MAX, f64::INFINITY, f64::NAN, -1e300, 0.0, 5e-324, 1e-310];
    for (k, value) in extremes.into_iter().enumerate() {
        let mut report = base.clone();
        let started = std::time::Instant::now();
        for (i, option) in report.options.iter_mut().enumerate() {
            // A different field takes the value in each option, and every cost does.
            let cost = option.cost.as_mut().expect("the EHR scenario has costs");
            cost.total.mean = value;
            cost.infrastructure = value;
            cost.total_p90 = value;
            for d in &mut option.disruptions {
                d.outage_hours.max = value;
                d.outage_hours.p95 = value;
                d.data_loss_hours.mean = value;
                d.events_per_year = value;
                d.within_rto = Some(value);
            }
            match (i + k) % 4 {
                0 => option.downtime_hours_per_year.estimate.mean = value,
                1 => option.outages_per_year.mean = value,
                2 => option.availability.estimate.mean = value,
                _ => option.tiers[0].downtime_share = value,
            }
        }
        report.horizon_hours = if k % 2 == 0 { 1e-310 } else { value };
        report.rto_hours = Some(value);
        report.rpo_hours = Some(value);
        let charts = chart::all(&report, Some(histories)).expect("the charts draw");
        let mut total = 0;
        for c in &charts {
            total += c.svg().len() + c.png().expect("the PNG renders").len();
        }
        let texts = [
            report.to_string(),
            report.comparison_table(),
            report.to_markdown(),
            report.to_csv(),
            without_images(&report.to_html(None, &charts)),
        ];
        for text in &texts {
            total += text.len();
            for bad in ["NaN", "inf %", " inf ", ",inf", "of 0,", "of 0 per"] {
                assert!(!text.contains(bad), "value {value:e}: {bad:?} printed in\n{text}");
            }
            let longest_digits = text
                .split(|c: char| !c.is_ascii_digit())
                .map(str::len)
                .max()
                .unwrap_or(0);
            assert!(
                longest_digits <= 25,
                "value {value:e}: a number of {longest_digits} digits"
            );
        }
        assert!(total < 20_000_000, "value {value:e}: {total} bytes");
        assert!(
            started.elapsed().as_secs() < 20,
            "value {value:e}: {:?}",
            started.elapsed()
        );
    }
}

/// The hospital on shared infrastructure (its baseline, with costs) on 2000
/// replications, with the importance of its components.
fn hospital() -> &'static Report {
    static HOSPITAL: OnceLock<Report> = OnceLock::new();
    HOSPITAL.get_or_init(|| {
        let scenario = Scenario::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/hospital-shared-infrastructure.toml"
        ))
        .unwrap();
        let simulation = scenario.simulation().clone().with_replications(2000);
        let service = scenario.service();
        let mut report = simulation
            .run_options(scenario.name(), std::slice::from_ref(service))
            .unwrap();
        report.options[0].importance = Some(simulation.importance(service).unwrap());
        report
    })
}

/// The heights at which `text` is drawn, from its SVG elements.
fn text_ys(chart: &Chart, text: &str) -> Vec<i32> {
    let svg = chart.svg();
    let needle = format!("\n{}\n</text>", xml(text));
    svg.match_indices(&needle)
        .map(|(at, _)| {
            let element = &svg[svg[..at].rfind("<text ").unwrap()..at];
            let y = &element[element.find(" y=\"").unwrap() + 4..];
            y[..y.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

/// The height at which `text` is drawn, once.
fn text_y(chart: &Chart, text: &str) -> i32 {
    match text_ys(chart, text)[..] {
        [y] => y,
        ref ys => panic!("the {} chart draws {text:?} at {ys:?}", chart.name()),
    }
}

#[test]
fn importance_chart_ranks_components_and_marks_single_points_of_failure() {
    let report = hospital();
    let items = report.options[0].importance.as_ref().unwrap();
    let chart = chart::importance(report)
        .unwrap()
        .expect("a report with importance has the chart");
    assert_eq!(chart.name(), "importance");
    assert_has(
        &chart,
        &[
            chart.title(),
            "downtime a year the service would not have if the component never failed",
            "95 % interval of the paired difference",
            "hatched: a single point of failure (one failure of it takes the service down)",
            "tier",
            "dependency",
        ],
    );
    // One row per component, top to bottom in ranked order: most downtime removed
    // first.
    assert!(items.len() >= 4, "{items:?}");
    let removed: Vec<f64> = items.iter().map(|i| i.downtime_removed_hours_per_year.mean).collect();
    assert!(removed.windows(2).all(|w| w[0] >= w[1]), "{removed:?}");
    let rows: Vec<i32> = items.iter().map(|i| text_y(&chart, &i.component)).collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "rows at {rows:?}");
    // Each single point of failure, and only those, is named so under its name, in
    // its row; the others name their kind alone.
    let spof = chart.svg().matches("· single point of failure").count();
    assert_eq!(spof, items.iter().filter(|i| i.single_point_of_failure).count());
    assert!(
        spof >= 1,
        "the shared switch, array and feed are single points of failure"
    );
    let marks: Vec<i32> = ["tier", "dependency", "site"]
        .iter()
        .flat_map(|kind| text_ys(&chart, &format!("{kind} · single point of failure")))
        .collect();
    for (item, row) in items.iter().zip(&rows) {
        let marked = marks.iter().any(|&y| y > *row && y < row + 30);
        assert_eq!(
            marked, item.single_point_of_failure,
            "{}: its row at {row}, marks at {marks:?}",
            item.component
        );
    }
    // Beside each bar, its share of the downtime and what it is worth.
    let storage = items.iter().find(|i| i.component == "storage array").unwrap();
    assert!(storage.single_point_of_failure);
    assert_has(
        &chart,
        &[&format!(
            "{:.0} % of the downtime",
            100.0 * storage.share_of_downtime.mean
        )],
    );
    assert!(chart.svg().contains(" USD a year"));
    let (width, height, _) = decode(&chart.png().unwrap());
    assert_eq!((width, height), chart.size());
    // In every chart of the report, after the tiers.
    let names: Vec<String> = chart::all(report, None)
        .unwrap()
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(names.last().map(String::as_str), Some("importance"), "{names:?}");
}

#[test]
fn importance_chart_needs_an_option_with_its_importance_and_names_options() {
    let (report, _) = ehr();
    assert!(chart::importance(report).unwrap().is_none());
    // Two options with their importance: each component's row names its option.
    let hospital = hospital();
    let mut two = hospital.clone();
    let mut second = two.options[0].clone();
    second.name = "a copy".into();
    two.options.push(second);
    let chart = chart::importance(&two).unwrap().unwrap();
    let items = hospital.options[0].importance.as_ref().unwrap();
    assert_eq!(
        chart.svg().matches(&format!("\n{}\n</text>", xml("a copy"))).count(),
        items.len()
    );
}

/// A page with its inline images' base64 left out (random letters may spell `NaN`).
fn without_images(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("base64,") {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        rest = &rest[rest.find('"').unwrap_or(rest.len())..];
    }
    out + rest
}

#[test]
fn report_html_embeds_each_chart_as_a_png() {
    let (report, histories) = ehr();
    let charts = chart::all(report, Some(histories)).expect("the charts draw");
    let html = report.to_html(None, &charts);
    // One inline PNG per chart, drawn in the charts' own font whatever the reader has.
    assert_eq!(html.matches("<img src=\"data:image/png;base64,").count(), charts.len());
    assert!(
        !html.contains("<svg"),
        "no inline SVG, whose text would fall back to a system font"
    );
    for chart in &charts {
        assert!(
            html.contains(&format!("alt=\"{}\"", chart.title())),
            "{}",
            chart.title()
        );
    }
}

/// The EHR report with its options copied into twelve, named `option a` to
/// `option l`, ranked in that order.
fn twelve_options() -> Report {
    options(12)
}

/// The EHR report with its options copied into `n` (at most 26), named `option a`,
/// `option b` and so on, ranked in that order.
fn options(n: usize) -> Report {
    let (ehr, _) = ehr();
    let mut report = ehr.clone();
    report.options = (0..n)
        .map(|i| {
            let mut option = ehr.options[i % ehr.options.len()].clone();
            option.name = format!("option {}", char::from(b'a' + i as u8));
            option
        })
        .collect();
    report.ranking = report.options.iter().map(|o| o.name.clone()).collect();
    report.recommendation = None;
    report
}

/// The colour of the key drawn just before the first text that is `label` or starts
/// with `label` and a dash: a polyline's stroke or a rectangle's fill, as `#RRGGBB`.
fn key_color(chart: &Chart, label: &str) -> String {
    let svg = chart.svg();
    let label = xml(label);
    let at = [format!("\n{label}\n"), format!("\n{label} —")]
        .iter()
        .filter_map(|l| svg.find(l.as_str()))
        .min()
        .unwrap_or_else(|| panic!("the {} chart lacks {label:?}", chart.name()));
    let text = svg[..at].rfind("<text").unwrap();
    let key = svg[..text].trim_end().rsplit('\n').next().unwrap();
    let attribute = if key.starts_with("<polyline") {
        "stroke=\""
    } else {
        "fill=\""
    };
    let start = key.find(attribute).unwrap_or_else(|| panic!("no colour in {key}")) + attribute.len();
    key[start..start + 7].to_owned()
}

#[track_caller]
fn assert_distinct(colors: &[(String, String)]) {
    for (i, (a, color_a)) in colors.iter().enumerate() {
        for (b, color_b) in &colors[i + 1..] {
            assert_ne!(color_a, color_b, "{a:?} and {b:?} share a colour");
        }
    }
}

#[test]
fn twelve_options_parts_and_tiers_never_share_a_colour() {
    let report = twelve_options();
    let names = option_names(&report);
    let downtime = chart::downtime(&report).unwrap();
    let cost = chart::cost(&report).unwrap().unwrap();
    let tiers = chart::tiers(&report).unwrap();
    // The downtime chart's legend: one line per option.
    let options: Vec<(String, String)> = names.iter().map(|n| (n.to_string(), key_color(&downtime, n))).collect();
    assert_distinct(&options);
    // The same colour beside the option's name in the cost and tiers charts.
    for (name, color) in &options {
        assert_eq!(&key_color(&cost, name), color, "{name} in the cost chart");
        assert_eq!(&key_color(&tiers, name), color, "{name} in the tiers chart");
    }
    // Options, cost parts and tiers: all different.
    let mut all = options.clone();
    for part in ["infrastructure", "expected downtime cost", "expected data-loss cost"] {
        all.push((part.to_owned(), key_color(&cost, part)));
    }
    for tier in &report.options[0].tiers {
        all.push((tier.name.clone(), key_color(&tiers, &tier.name)));
    }
    assert_eq!(all.len(), 12 + 3 + report.options[0].tiers.len());
    assert_distinct(&all);
}

/// The rectangles of `color` in an SVG at least `min_height` tall, as (x, y, width).
fn rects(svg: &str, color: &str, min_height: i32) -> Vec<(i32, i32, i32)> {
    let number = |line: &str, name: &str| -> i32 {
        let start = line.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    svg.lines()
        .filter(|l| l.starts_with("<rect") && l.contains(&format!("fill=\"{color}\"")))
        .map(|l| (number(l, "x"), number(l, "y"), number(l, "width"), number(l, "height")))
        .filter(|r| r.3 >= min_height)
        .map(|(x, y, w, _)| (x, y, w))
        .collect()
}

#[test]
fn cost_chart_stacks_the_parts_on_a_linear_axis() {
    // Totals from 100 k to 10 M: a span that once put the bars on a log axis.
    let mut report = twelve_options();
    for (i, option) in report.options.iter_mut().enumerate() {
        let scale = 10f64.powf(i as f64 / 5.5) * 1e5;
        let cost = option.cost.as_mut().unwrap();
        (cost.infrastructure, cost.downtime.mean, cost.data_loss.mean) = (0.2 * scale, 0.5 * scale, 0.3 * scale);
        cost.total.mean = scale;
        cost.total_p90 = 1.5 * scale;
        option.sla = None;
    }
    let chart = chart::cost(&report).unwrap().unwrap();
    assert_eq!(chart.title(), "Expected cost per year, cheapest first");
    assert!(!chart.svg().contains("log scale"));
    // Each part's length in pixels, per bar (bars are taller than the legend's keys).
    let parts: Vec<Vec<(i32, i32, i32)>> = ["infrastructure", "expected downtime cost", "expected data-loss cost"]
        .iter()
        .map(|part| rects(chart.svg(), &key_color(&chart, part), 20))
        .collect();
    assert!(parts.iter().all(|p| p.len() == 12), "{parts:?}");
    let dearest = report.options[11].cost.as_ref().unwrap().total.mean;
    let pixels_per_unit = f64::from(parts.iter().map(|p| p[11].2).sum::<i32>()) / dearest;
    for (i, option) in report.options.iter().enumerate() {
        let cost = option.cost.as_ref().unwrap();
        let mut left = parts[0][i].0;
        for (part, value) in parts
            .iter()
            .zip([cost.infrastructure, cost.downtime.mean, cost.data_loss.mean])
        {
            let (x, _, width) = part[i];
            // Stacked: each part starts where the one before ends...
            assert!((x - left).abs() <= 1, "option {i}: a part starts at {x}, not {left}");
            left = x + width;
            // ...and is as long as its amount on the axis (rounding: 2 px).
            let expected = value * pixels_per_unit;
            assert!(
                (f64::from(width) - expected).abs() <= 2.0,
                "option {i}: a part of {value} is {width} px, not {expected:.1} px: the axis is not linear"
            );
        }
    }
}

#[test]
fn a_thirteenth_option_takes_the_first_colour_with_a_dashed_line() {
    let report = options(13);
    let chart = chart::downtime(&report).unwrap();
    assert_eq!(key_color(&chart, "option m"), key_color(&chart, "option a"));
    // A legend key's pieces: the polylines between the entry before and the label.
    let pieces = |name: &str| {
        let at = chart.svg().find(&format!("\n{name} —")).unwrap();
        let before = &chart.svg()[..at];
        let text = before.rfind("<text").unwrap();
        let previous = before[..text].rfind("</text>").unwrap();
        before[previous..text].matches("<polyline").count()
    };
    assert_eq!(pieces("option a"), 1, "a solid line");
    assert!(
        pieces("option m") > 1,
        "a dashed line, in {} pieces",
        pieces("option m")
    );
}

#[test]
fn the_recovery_chart_hatches_options_past_the_twelfth() {
    // Hatching is drawn as translucent strokes: none with twelve options, some for
    // the bars and legend keys of the thirteenth and fourteenth.
    let hatching = |report: &Report| {
        let chart = chart::recovery(report).unwrap().expect("outages to draw");
        chart.svg().matches("opacity=\"0.8\"").count()
    };
    assert_eq!(hatching(&twelve_options()), 0);
    let fourteen = options(14);
    let lines = hatching(&fourteen);
    assert!(lines > 0, "no hatching for options 13 and 14");
    // More bars hatched, more lines: both options' bars in every class.
    assert!(lines > hatching(&options(13)), "{lines}");
}
