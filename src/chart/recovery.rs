//! Recovery time per class of disruption, against the RTO: for each class that
//! started an outage, one bar per option from zero to the P95 outage, solid to the
//! median, with a marker at the longest, and the share within the RTO beside it.

use plotters::prelude::*;

use super::axis::{Axis, duration_label};
use super::draw::{self, Area, DrawResult, Font, Legend, Swatch};
use crate::Report;
use crate::report::{DisruptionReport, fixed, human_hours, share};

/// One option's bar in a class's group \[h\].
#[derive(Debug, Clone, PartialEq)]
struct Row {
    color: RGBColor,
    /// Hatched: an option past the twelfth, whose colour an earlier one has.
    hatched: bool,
    /// Median, P95 and longest outage the class started; `None` when it started none
    /// in this option.
    durations: Option<[f64; 3]>,
    /// What is written beside the bar.
    text: String,
}

/// One class of disruption: its name and a row per option.
#[derive(Debug, Clone, PartialEq)]
struct Group {
    class: &'static str,
    rows: Vec<Row>,
}

/// What the recovery chart draws.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Recovery {
    groups: Vec<Group>,
    x: Axis,
    /// The RTO \[h\], if the report has one.
    rto: Option<f64>,
    /// The heading of the texts beside the bars.
    header: &'static str,
    legend: Legend,
}

/// Fewer outages than this, and the text beside the bar says how many the share or
/// the P95 is of.
const FEW: u64 = 100;

/// Height of a row \[px\] when the chart grows to hold its rows.
const ROW: i32 = 30;
/// The gap between two classes, in rows.
const GAP: f64 = 0.7;
/// Room above the plot for the RTO's label \[px\].
const TOP_ROOM: i32 = 30;
/// Room under the plot for the axis's labels and title \[px\].
const AXIS_ROOM: i32 = 62;

/// A value drawn on the axis: finite and not negative, else zero.
fn clean(value: f64) -> f64 {
    if value.is_finite() { value.max(0.0) } else { 0.0 }
}

/// How often, for a rate per year: `2.18 a year`, `0.517 a year`, and for rare
/// events, `once in 120 years`.
fn how_often(per_year: f64) -> String {
    if !per_year.is_finite() || per_year < 0.0 {
        "-".to_owned()
    } else if per_year >= 1.0 || per_year == 0.0 {
        format!("{} a year", fixed(per_year, 2))
    } else if per_year >= 0.1 {
        format!("{} a year", fixed(per_year, 3))
    } else {
        let years = 1.0 / per_year;
        // Two significant digits: once in 12, 120 or 1,200 years.
        let magnitude = 10f64.powf(years.log10().floor() - 1.0).max(1.0);
        let rounded = (years / magnitude).round() * magnitude;
        format!("once in {} years", crate::report::format_money(rounded, ""))
    }
}

const CLASS_FONT: f64 = draw::LABEL;
const VALUE_FONT: f64 = draw::SMALL;

/// The width of the widest class name \[px\].
fn class_width(groups: &[Group]) -> i32 {
    let font = Font::new(CLASS_FONT).bold();
    groups.iter().map(|g| font.width(g.class)).max().unwrap_or(0)
}

/// The width of the widest text beside a bar \[px\].
fn value_width(groups: &[Group], header: &str) -> i32 {
    let font = Font::new(VALUE_FONT);
    let header = Font::new(VALUE_FONT).bold().width(header);
    groups
        .iter()
        .flat_map(|g| &g.rows)
        .map(|r| font.width(&r.text))
        .fold(header, i32::max)
}

impl Recovery {
    /// The chart of `report`; `None` when no option had an outage.
    pub(super) fn new(report: &Report) -> Option<Recovery> {
        let rto = report.rto_hours.filter(|h| h.is_finite() && *h >= 0.0);
        let outages = |o: &crate::OptionReport, class: &str| {
            o.disruptions
                .iter()
                .find(|d| d.class == class && d.outages > 0)
                .cloned()
        };
        let groups: Vec<Group> = DisruptionReport::CLASSES
            .iter()
            .filter(|class| report.options.iter().any(|o| outages(o, class).is_some()))
            .map(|&class| Group {
                class,
                rows: report
                    .options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| {
                        let color = draw::option_color(i);
                        let hatched = draw::option_dashed(i);
                        let Some(d) = outages(o, class) else {
                            return Row {
                                color,
                                hatched,
                                durations: None,
                                text: String::new(),
                            };
                        };
                        let years = o.replications as f64 * report.horizon_hours / crate::HOURS_PER_YEAR;
                        let rate = how_often(d.outages as f64 / years);
                        let h = &d.outage_hours;
                        // A share of a few outages is a rough one: say of how many.
                        let few = if d.outages < FEW {
                            format!(" of {}", d.outages)
                        } else {
                            String::new()
                        };
                        let text = match rto {
                            Some(_) => {
                                let within = d.within_rto.map_or_else(|| "-".to_owned(), share);
                                format!("{within}{few} · {rate}")
                            }
                            None => format!("{}{few} · {rate}", human_hours(h.p95)),
                        };
                        Row {
                            color,
                            hatched,
                            durations: Some([clean(h.p50), clean(h.p95), clean(h.max)]),
                            text,
                        }
                    })
                    .collect(),
            })
            .collect();
        if groups.is_empty() {
            return None;
        }
        let values = groups
            .iter()
            .flat_map(|g| &g.rows)
            .filter_map(|r| r.durations)
            .flatten()
            .chain(rto);
        let (smallest, largest) = values.fold((f64::INFINITY, 0.0f64), |(s, l), v| {
            (if v > 0.0 { s.min(v) } else { s }, l.max(v))
        });
        let mut entries: Vec<(Swatch, String)> = report
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let color = draw::option_color(i);
                let swatch = if draw::option_dashed(i) {
                    Swatch::Hatched(color)
                } else {
                    Swatch::Fill(color)
                };
                (swatch, o.name.clone())
            })
            .collect();
        entries.extend([
            (Swatch::Fill(draw::MUTED), "median outage".into()),
            (
                Swatch::Fill(draw::lighten(draw::MUTED, 0.6)),
                "P95 (1 outage in 20 lasts longer)".into(),
            ),
            (Swatch::Worst(draw::INK), "longest".into()),
        ]);
        // Tick labels at least 64 px apart on the plot: the chart's width less the
        // class names and the texts beside the bars.
        let header = if rto.is_some() {
            "within RTO · outages"
        } else {
            "P95 · outages"
        };
        let plot_width =
            draw::WIDTH as i32 - 2 * draw::MARGIN - class_width(&groups) - value_width(&groups, header) - 32;
        let apart = 64.0 / f64::from(plot_width.max(200));
        Some(Recovery {
            groups,
            header,
            x: Axis::hours_apart(smallest, largest, apart),
            rto,
            legend: Legend::new(entries),
        })
    }

    /// The rows and the gaps between classes, in rows.
    fn units(&self) -> f64 {
        let rows: usize = self.groups.iter().map(|g| g.rows.len()).sum();
        rows as f64 + GAP * self.groups.len().saturating_sub(1) as f64
    }

    /// Where row `row` of group `group` is centred, in rows from the top.
    fn position(&self, group: usize, row: usize) -> f64 {
        let before: usize = self.groups[..group].iter().map(|g| g.rows.len()).sum();
        (before + row) as f64 + GAP * group as f64 + 0.5
    }

    pub(super) fn height(&self) -> u32 {
        let body = (self.units() * f64::from(ROW)).ceil() as i32;
        let needed = draw::BODY_TOP + self.legend.height(draw::LEGEND_WIDTH) + 8 + TOP_ROOM + body + AXIS_ROOM + 20;
        draw::HEIGHT.max(needed as u32)
    }

    pub(super) fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let legend_height = self.legend.height(draw::LEGEND_WIDTH);
        self.legend
            .draw(root, (draw::MARGIN, draw::BODY_TOP), draw::LEGEND_WIDTH)?;
        let body = draw::strip(root, draw::BODY_TOP + legend_height + 8, 8);
        let class_font = Font::new(CLASS_FONT).bold();
        let class_width = class_width(&self.groups);
        let value_font = Font::new(VALUE_FONT);
        let value_width = value_width(&self.groups, self.header);
        let mut chart = ChartBuilder::on(&body)
            .margin_top(TOP_ROOM)
            .margin_left(draw::MARGIN)
            .margin_right(draw::MARGIN + value_width + 16)
            .x_label_area_size(AXIS_ROOM)
            .y_label_area_size(class_width + 16)
            .build_cartesian_2d(self.x.clone(), Axis::bare(self.units(), 0.0))?;
        draw::mesh(
            &mut chart,
            "how long the service was down, per outage the disruption started (log scale)",
            "",
            false,
        )?;
        let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
        let (left, right) = (x_pixels.start, x_pixels.end);
        let row_height = chart.backend_coord(&(0.0, 1.0)).1 - chart.backend_coord(&(0.0, 0.0)).1;
        let half = ((f64::from(row_height) * 0.28).round() as i32).clamp(4, 11);
        let x = |v: f64| chart.backend_coord(&(v, 0.0)).0.max(left);
        for (g, group) in self.groups.iter().enumerate() {
            // A rule between classes, and the class's name centred on its rows.
            if g > 0 {
                let y = chart.backend_coord(&(0.0, self.position(g, 0) - 0.5 - GAP / 2.0)).1;
                draw::line(root, (left - class_width - 16, y), (right, y), draw::GRID, 1)?;
            }
            let first = chart.backend_coord(&(0.0, self.position(g, 0))).1;
            let last = chart
                .backend_coord(&(0.0, self.position(g, group.rows.len().max(1) - 1)))
                .1;
            draw::text(
                root,
                group.class,
                (left - 12, (first + last) / 2),
                class_font,
                draw::RIGHT_CENTER,
            )?;
            for (r, row) in group.rows.iter().enumerate() {
                let y = chart.backend_coord(&(0.0, self.position(g, r))).1;
                let Some([median, p95, longest]) = row.durations else {
                    let font = Font::new(draw::SMALL).with_color(draw::MUTED);
                    draw::fill(root, (left, y - 1), (left + 6, y + 1), row.color)?;
                    draw::text(root, "no outages", (left + 12, y), font, draw::LEFT_CENTER)?;
                    continue;
                };
                let (top, bottom) = (y - half, y + half);
                if p95 > 0.0 {
                    let end = x(p95).max(left + 2);
                    draw::fill(root, (left, top), (end, bottom), draw::lighten(row.color, 0.6))?;
                    draw::outline(root, (left, top), (end, bottom), row.color, 1)?;
                }
                if median > 0.0 {
                    draw::fill(root, (left, top), (x(median).max(left + 2), bottom), row.color)?;
                }
                if row.hatched && p95 > 0.0 {
                    draw::hatch(root, (left, top), (x(p95).max(left + 2), bottom), draw::INK)?;
                }
                if longest > p95 {
                    // A whisker from the P95 to the longest, as in a box plot.
                    draw::line(root, (x(p95), y), (x(longest), y), row.color, 1)?;
                }
                if longest > 0.0 {
                    draw::worst_marker(root, (x(longest), bottom + 2), 2 * half + 12, draw::INK)?;
                }
                draw::text(root, &row.text, (right + 16, y), value_font, draw::LEFT_CENTER)?;
            }
        }
        let header_font = Font::new(VALUE_FONT).bold().with_color(draw::MUTED);
        let header_at = (right + 16, y_pixels.start - 8);
        draw::text(root, self.header, header_at, header_font, draw::LEFT_BOTTOM)?;
        if let Some(rto) = self.rto {
            let at = x(rto).min(right);
            let (top, bottom) = (y_pixels.start, y_pixels.end);
            draw::dashed(root, &[(at, top - 6), (at, bottom)], draw::SLA, 2)?;
            // Round durations as the axis writes them (`4 h`); a duration past the
            // ticks as the tables do, never as hundreds of digits.
            let label = if rto <= 876_000.0 {
                format!("RTO {}", duration_label(rto))
            } else {
                format!("RTO {}", human_hours(rto))
            };
            let font = Font::new(draw::LABEL).bold().with_color(draw::SLA);
            draw::text(root, &label, (at, top - 10), font, draw::CENTER_BOTTOM)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_say_how_often() {
        assert_eq!(how_often(2.1825), "2.18 a year");
        assert_eq!(how_often(0.517), "0.517 a year");
        assert_eq!(how_often(0.00825), "once in 120 years");
        assert_eq!(how_often(0.0208), "once in 48 years");
        assert_eq!(how_often(1e-5), "once in 100,000 years");
        assert_eq!(how_often(1e-300), "once in 1.000e300 years");
        assert_eq!(how_often(f64::INFINITY), "-");
        assert_eq!(how_often(f64::NAN), "-");
    }
}
