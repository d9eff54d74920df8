//! What a swept setting buys: downtime (and cost) against the setting's values.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{Axis, Scale, short_number};
use super::draw::{self, Area, DrawResult, Font, Legend, Swatch};
use crate::Report;
use crate::report::human_hours;

/// A swept key (a path within a tier, e.g. `failover.test_every`) in words
/// (`failover drill interval`): known keys by name, any other with its dots and
/// underscores as spaces.
pub(super) fn setting_words(key: &str) -> String {
    let known = match key {
        "replicas" => "replica count",
        "required" => "replicas required",
        "repair_crews" => "repair crew count",
        "cost_per_replica" => "cost per replica",
        "fixed_cost" => "fixed cost",
        "failover.test_every" => "failover drill interval",
        "failover.test_duration" => "failover drill duration",
        "failover.success" => "failover success rate",
        "failover.detection" => "failure detection time",
        "failover.switchover" => "switchover time",
        "failover.manual_recovery" => "manual recovery time",
        "failover.dormant_factor" => "standby's dormant failure factor",
        "failover.cross_site.test_every" => "cross-site failover drill interval",
        "failover.cross_site.success" => "cross-site failover success rate",
        "backup.every" => "backup interval",
        "backup.restore" => "restore time",
        "maintenance.every" => "maintenance interval",
        "replication.lag" => "replication lag",
        "replication.cross_site_lag" => "cross-site replication lag",
        _ => return key.replace(['.', '_'], " "),
    };
    known.to_owned()
}

/// The scenario (and option) a sweep started from, read back from the name the
/// sweep gives its scenario: `NAME: KEY of TIER`, or `NAME: KEY of TIER in "OPTION"`
/// (see `Scenario::sweep_option`). `None` for any other name.
fn base_of(name: &str, sweep: &crate::report::Sweep) -> Option<(String, Option<String>)> {
    let of = format!(": {} of {}", sweep.key, sweep.tier);
    if let Some(scenario) = name.strip_suffix(&of) {
        return Some((scenario.to_owned(), None));
    }
    let at = name.rfind(&format!("{of} in \""))?;
    let option = name[at + of.len() + 5..].strip_suffix('"')?;
    Some((name[..at].to_owned(), Some(option.to_owned())))
}

/// How the swept values are read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Values {
    /// Durations \[h\] (`7d`, `1y`).
    Durations,
    /// Plain numbers (`2`, `0.97`).
    Numbers,
    /// Anything else, in the sweep's order.
    Categories,
}

/// One panel: a quantity against the swept values.
#[derive(Debug, Clone, PartialEq)]
struct Panel {
    y: Axis,
    y_desc: String,
    mean: Vec<f64>,
    p90: Vec<f64>,
    /// A horizontal line (the SLA budget) and its label.
    budget: Option<(f64, String)>,
    /// Per point, the mean's value as text.
    labels: Vec<String>,
}

/// What the sweep chart draws.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SweepPlot {
    /// The swept setting in words, with its tier: `the replica count of the database`.
    setting: String,
    /// What the sweep started from: the scenario's name, and the option's when the
    /// sweep started from one (`None` when the report's name is not a sweep's).
    base: Option<(String, Option<String>)>,
    x: Axis,
    xs: Vec<f64>,
    x_desc: String,
    downtime: Panel,
    cost: Option<Panel>,
    legend: Legend,
}

impl SweepPlot {
    /// `None` unless the report is a sweep.
    pub(super) fn new(report: &Report) -> Option<SweepPlot> {
        let sweep = report.sweep.as_ref()?;
        let n = sweep.values.len().min(report.options.len());
        let values = &sweep.values[..n];
        let options = &report.options[..n];
        let (kind, xs) = read_values(values);
        let (x, log) = x_axis(kind, &xs, values);
        let scale = if log { " (log scale)" } else { "" };
        let setting = setting_words(&sweep.key);
        let x_desc = format!("{setting} of the {} tier{scale}", sweep.tier);

        let budget = options.iter().find_map(|o| o.sla.map(|s| s.budget_hours));
        let mean: Vec<f64> = options.iter().map(|o| o.downtime_hours_per_year.mean).collect();
        let p90: Vec<f64> = options.iter().map(|o| o.downtime_hours_per_year.p90).collect();
        let top = mean
            .iter()
            .chain(&p90)
            .chain(&budget)
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let downtime = Panel {
            y: Axis::linear(0.0, top * 1.1, 5, |v| format!("{} h", short_number(v))),
            y_desc: "downtime per year [h]".into(),
            labels: mean.iter().map(|v| human_hours(*v)).collect(),
            mean,
            p90,
            budget: budget.map(|b| (b, format!("SLA budget {}", human_hours(b)))),
        };
        let cost = options
            .iter()
            .map(|o| o.cost.as_ref())
            .collect::<Option<Vec<_>>>()
            .filter(|c| !c.is_empty())
            .map(|costs| {
                let currency = costs[0].currency.clone();
                let mean: Vec<f64> = costs.iter().map(|c| c.total.mean).collect();
                let p90: Vec<f64> = costs.iter().map(|c| c.total_p90).collect();
                let positive = mean.iter().chain(&p90).copied().filter(|v| *v > 0.0 && v.is_finite());
                let (lo, hi) = positive.fold((f64::INFINITY, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
                let log = lo.is_finite() && hi > 20.0 * lo;
                let y = if log {
                    Axis::log(lo, hi, short_number)
                } else {
                    Axis::linear(0.0, hi * 1.1, 5, short_number)
                };
                Panel {
                    y,
                    y_desc: format!("expected cost per year [{currency}]{}", if log { " (log)" } else { "" }),
                    labels: mean.iter().map(|v| short_number(*v)).collect(),
                    mean,
                    p90,
                    budget: None,
                }
            });
        let mut entries = vec![
            (Swatch::Line(draw::MUTED), "mean".to_owned()),
            (
                Swatch::Dashed(draw::MUTED),
                "P90 year (1 year in 10 is worse)".to_owned(),
            ),
        ];
        if budget.is_some() {
            entries.push((Swatch::Dashed(draw::SLA), "SLA budget".to_owned()));
        }
        Some(SweepPlot {
            setting: format!("the {setting} of the {}", sweep.tier),
            base: base_of(&report.scenario, sweep),
            x,
            xs,
            x_desc,
            downtime,
            cost,
            legend: Legend::new(entries),
        })
    }

    /// The chart's title.
    pub(super) fn title(&self) -> String {
        match self.cost {
            Some(_) => format!("What {} buys: downtime and cost", self.setting),
            None => format!("What {} buys: downtime", self.setting),
        }
    }

    /// The line under the title: what the sweep started from (whose name may name
    /// the setting's usual value, e.g. "drilled monthly", so it is quoted as the
    /// source of everything else), and what the run simulated.
    pub(super) fn subtitle(&self, report: &Report) -> String {
        let what = match &self.base {
            Some((scenario, None)) => format!("All else as in \"{scenario}\""),
            Some((scenario, Some(option))) => format!("All else as in \"{option}\" of \"{scenario}\""),
            None => report.scenario.clone(),
        };
        draw::subtitle_with(report, &what)
    }

    pub(super) fn height(&self) -> u32 {
        draw::HEIGHT
    }

    pub(super) fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let (width, _) = root.dim_in_pixel();
        let legend_height = self.legend.height(draw::LEGEND_WIDTH);
        self.legend
            .draw(root, (draw::MARGIN, draw::BODY_TOP), draw::LEGEND_WIDTH)?;
        let top = draw::BODY_TOP + legend_height + 4;
        let body = draw::strip(root, top, 8);
        match &self.cost {
            None => self.panel(root, &body, &self.downtime),
            Some(cost) => {
                let (left, right) = body.split_horizontally(width / 2);
                self.panel(root, &left, &self.downtime)?;
                self.panel(root, &right, cost)
            }
        }
    }

    fn panel<DB: DrawingBackend>(&self, root: &Area<DB>, area: &Area<DB>, panel: &Panel) -> DrawResult<DB> {
        let mut chart = ChartBuilder::on(area)
            .margin_top(24)
            .margin_left(draw::MARGIN - 8)
            .margin_right(draw::MARGIN + 8)
            .x_label_area_size(62)
            .y_label_area_size(96)
            .build_cartesian_2d(self.x.clone(), panel.y.clone())?;
        draw::mesh(&mut chart, &self.x_desc, &panel.y_desc, true)?;
        let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
        let points = |values: &[f64]| -> Vec<(i32, i32)> {
            self.xs
                .iter()
                .zip(values)
                .filter(|(_, v)| v.is_finite())
                .map(|(x, v)| chart.backend_coord(&(*x, *v)))
                .collect()
        };
        let mean = points(&panel.mean);
        let p90 = points(&panel.p90);
        if let Some((budget, label)) = &panel.budget {
            let y = chart.backend_coord(&(self.x.bounds().0, *budget)).1;
            draw::dashed(root, &[(x_pixels.start, y), (x_pixels.end, y)], draw::SLA, 2)?;
            let font = Font::new(draw::SMALL).bold().with_color(draw::SLA);
            // At the end of the line whose nearest point (and its value label) is
            // farther from it, so the two labels do not overlap.
            let clearance = |point: Option<&(i32, i32)>| point.map_or(i32::MAX, |p| (p.1 - y).abs());
            let (x, anchor) = if clearance(mean.first()) > clearance(mean.last()) {
                (x_pixels.start + 4, HPos::Left)
            } else {
                (x_pixels.end - 4, HPos::Right)
            };
            draw::text(root, label, (x, y - 10), font, (anchor, VPos::Center))?;
        }
        if p90.len() > 1 {
            draw::dashed(root, &p90, draw::MUTED, 2)?;
        }
        if mean.len() > 1 {
            root.draw(&PathElement::new(mean.clone(), draw::MUTED.stroke_width(3)))?;
        }
        let label_font = Font::new(draw::SMALL);
        for (i, (&at, label)) in mean.iter().zip(&panel.labels).enumerate() {
            let color = draw::option_color(i);
            if let Some(&q) = p90.get(i) {
                root.draw(&Circle::new(q, 5, color.filled()))?;
            }
            root.draw(&Circle::new(at, 7, color.filled()))?;
            // The value over the point when the P90 line leaves room, else under it
            // (unless that leaves the plot); kept inside the plot sideways.
            let w = label_font.width(label) / 2 + 3;
            let h = label_font.line_height() / 2;
            let room_above = p90.get(i).is_none_or(|q| at.1 - q.1 >= 2 * h + 22);
            let room_below = at.1 + 2 * h + 14 < y_pixels.end;
            let y = if room_above || !room_below {
                at.1 - h - 9
            } else {
                at.1 + h + 9
            };
            let x = at.0.clamp(
                x_pixels.start + w + 2,
                (x_pixels.end - w - 2).max(x_pixels.start + w + 2),
            );
            draw::fill(root, (x - w, y - h), (x + w, y + h), WHITE)?;
            draw::text(root, label, (x, y), label_font, draw::CENTER)?;
        }
        Ok(())
    }
}

/// How to read the values, and each one's position on x: durations when they all
/// parse as durations and some have a unit, numbers when they all are numbers, else
/// categories 0, 1, 2, ...
fn read_values(values: &[String]) -> (Values, Vec<f64>) {
    let numbers: Option<Vec<f64>> = values
        .iter()
        .map(|v| v.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect();
    if let Some(numbers) = numbers {
        return (Values::Numbers, numbers);
    }
    let hours: Option<Vec<f64>> = values.iter().map(|v| crate::parse_hours(v).ok()).collect();
    if let Some(hours) = hours {
        return (Values::Durations, hours);
    }
    (Values::Categories, (0..values.len()).map(|i| i as f64).collect())
}

/// The x axis, ticked at the values as written; log when positive values span a
/// factor of ten.
fn x_axis(kind: Values, xs: &[f64], labels: &[String]) -> (Axis, bool) {
    let ticks: Vec<(f64, String)> = xs.iter().copied().zip(labels.iter().cloned()).collect();
    let (lo, hi) = xs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(*v), h.max(*v)));
    if !lo.is_finite() {
        return (Axis::bare(0.0, 1.0), false);
    }
    match kind {
        Values::Categories => (Axis::new(Scale::Linear, -0.5, hi + 0.5, ticks), false),
        Values::Durations | Values::Numbers if lo > 0.0 && hi >= 10.0 * lo => {
            // Pad by a fifth of the span on each side, in log terms.
            let pad = (hi / lo).powf(0.08);
            (Axis::new(Scale::Log, lo / pad, hi * pad, ticks), true)
        }
        Values::Durations | Values::Numbers => {
            let pad = if hi > lo {
                (hi - lo) * 0.08
            } else {
                lo.abs().max(1.0) * 0.5
            };
            (Axis::new(Scale::Linear, lo - pad, hi + pad, ticks), false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn settings_read_in_words() {
        assert_eq!(setting_words("failover.test_every"), "failover drill interval");
        assert_eq!(setting_words("replicas"), "replica count");
        // An unknown key still reads without dots and underscores.
        assert_eq!(
            setting_words("failover.cross_site.detection"),
            "failover cross site detection"
        );
    }

    #[test]
    fn the_sweeps_base_is_read_back_from_its_name() {
        let sweep = crate::report::Sweep::new("database", "failover.test_every", strings(&["7d"]));
        assert_eq!(
            base_of("db: drilled monthly: failover.test_every of database", &sweep),
            Some(("db: drilled monthly".to_owned(), None))
        );
        assert_eq!(
            base_of("EHR: failover.test_every of database in \"a, b\"", &sweep),
            Some(("EHR".to_owned(), Some("a, b".to_owned())))
        );
        assert_eq!(base_of("a report built by hand", &sweep), None);
    }

    #[test]
    fn values_are_durations_numbers_or_categories() {
        let (kind, xs) = read_values(&strings(&["7d", "30d", "1y"]));
        assert_eq!(kind, Values::Durations);
        assert_eq!(xs, [168.0, 720.0, 8760.0]);
        let (kind, xs) = read_values(&strings(&["1", "2", "3"]));
        assert_eq!(kind, Values::Numbers);
        assert_eq!(xs, [1.0, 2.0, 3.0]);
        let (kind, xs) = read_values(&strings(&["failover", "active-active"]));
        assert_eq!(kind, Values::Categories);
        assert_eq!(xs, [0.0, 1.0]);
    }

    #[test]
    fn wide_spans_get_a_log_axis_ticked_at_the_values() {
        let labels = strings(&["7d", "30d", "90d", "1y"]);
        let (_, xs) = read_values(&labels);
        let (axis, log) = x_axis(Values::Durations, &xs, &labels);
        assert!(log);
        let ticks: Vec<&str> = axis.ticks().iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(ticks, ["7d", "30d", "90d", "1y"]);
        let (_, log) = x_axis(Values::Numbers, &[1.0, 2.0, 3.0], &strings(&["1", "2", "3"]));
        assert!(!log);
    }
}
