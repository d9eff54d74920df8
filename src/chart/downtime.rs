//! Downtime per year as cumulative distributions, one per option, against the SLA.

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::axis::Axis;
use super::draw::{self, Area, DrawResult, Font, Legend, Swatch};
use crate::Report;
use crate::report::human_hours;

/// One option's line.
#[derive(Debug, Clone, PartialEq)]
struct Series {
    color: RGBColor,
    /// Whether the line is dashed (an option whose colour an earlier one has).
    dashed: bool,
    points: Vec<(f64, f64)>,
}

/// What the downtime chart draws.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Downtime {
    /// Per option: its colour and its CDF as (hours, share of years) corners.
    series: Vec<Series>,
    x: Axis,
    y: Axis,
    /// The SLA's yearly budget \[h\].
    budget: Option<f64>,
    legend: Legend,
}

impl Downtime {
    pub(super) fn new(report: &Report) -> Downtime {
        let budget = report
            .options
            .iter()
            .find_map(|o| o.sla.map(|s| s.budget_hours))
            .filter(|b| b.is_finite() && *b >= 0.0);
        let values = report
            .options
            .iter()
            .flat_map(|o| o.downtime_percentiles_hours.iter().copied())
            .chain(budget)
            .filter(|v| v.is_finite());
        let (smallest, largest) = values.fold((f64::INFINITY, 0.0f64), |(s, l), v| {
            (if v > 0.0 { s.min(v) } else { s }, l.max(v))
        });
        let x = Axis::hours(smallest, largest);
        let series = report
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| Series {
                color: draw::option_color(i),
                dashed: draw::option_dashed(i),
                points: steps(&o.downtime_percentiles_hours, x.bounds().1),
            })
            .collect();
        let legend = Legend::new(
            report
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let label = match o.sla {
                        Some(sla) => format!(
                            "{} — {:.1} % of years over budget",
                            o.name,
                            100.0 * sla.breach_probability.mean
                        ),
                        None => format!(
                            "{} — median {}, P99 {}",
                            o.name,
                            human_hours(o.downtime_hours_per_year.p50),
                            human_hours(o.downtime_hours_per_year.p99)
                        ),
                    };
                    let swatch = if draw::option_dashed(i) {
                        Swatch::Dashed(draw::option_color(i))
                    } else {
                        Swatch::Line(draw::option_color(i))
                    };
                    (swatch, label)
                })
                .collect(),
        );
        let y = Axis::linear(0.0, 1.0, 5, |v| format!("{:.0} %", 100.0 * v));
        Downtime {
            series,
            x,
            y,
            budget,
            legend,
        }
    }

    pub(super) fn height(&self) -> u32 {
        // Room for a plot of at least 300 px under the legend.
        let needed = draw::BODY_TOP + 300 + 70 + self.legend.height(draw::LEGEND_WIDTH) + 16;
        draw::HEIGHT.max(needed as u32)
    }

    pub(super) fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let (_, height) = root.dim_in_pixel();
        let legend_height = self.legend.height(draw::LEGEND_WIDTH);
        let body = draw::strip(root, draw::BODY_TOP, legend_height + 16);
        let mut chart = ChartBuilder::on(&body)
            .margin_top(30)
            .margin_right(draw::MARGIN + 16)
            .margin_left(draw::MARGIN - 8)
            .x_label_area_size(62)
            .y_label_area_size(92)
            .build_cartesian_2d(self.x.clone(), self.y.clone())?;
        draw::mesh(
            &mut chart,
            "downtime in a year (log scale)",
            "years with at most this downtime",
            true,
        )?;
        for series in &self.series {
            let style = series.color.stroke_width(2);
            if series.dashed {
                let line = DashedPathElement::new(series.points.iter().copied(), 8, 5, style);
                chart.draw_series(std::iter::once(line))?;
            } else {
                chart.draw_series(std::iter::once(PathElement::new(series.points.clone(), style)))?;
            }
        }
        if let Some(budget) = self.budget {
            let top = chart.backend_coord(&(budget, 1.0));
            let bottom = chart.backend_coord(&(budget, 0.0));
            draw::dashed(root, &[(top.0, top.1 - 6), bottom], draw::SLA, 2)?;
            let label = format!("SLA budget: {} a year", human_hours(budget));
            let font = Font::new(draw::LABEL).bold().with_color(draw::SLA);
            draw::text(root, &label, (top.0, top.1 - 10), font, draw::CENTER_BOTTOM)?;
        }
        let legend_top = height as i32 - legend_height - 12;
        self.legend.draw(root, (draw::MARGIN, legend_top), draw::LEGEND_WIDTH)
    }
}

/// The cumulative distribution as corners of a step line, from the nearest-rank
/// percentiles 0..=100: the share of years with downtime at most x reaches p % at
/// the p-th percentile. The line runs from zero to `end` (the axis's end).
fn steps(percentiles: &[f64], end: f64) -> Vec<(f64, f64)> {
    let n = percentiles.len();
    if n < 2 {
        return Vec::new();
    }
    let mut points = vec![(0.0, 0.0)];
    let mut level = 0.0;
    for (j, &x) in percentiles.iter().enumerate() {
        if !x.is_finite() {
            continue;
        }
        points.push((x, level));
        level = j as f64 / (n - 1) as f64;
        points.push((x, level));
    }
    points.push((end, level));
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_rise_at_each_percentile() {
        let p = [0.0, 1.0, 3.0];
        assert_eq!(
            steps(&p, 10.0),
            [
                (0.0, 0.0),
                (0.0, 0.0),
                (0.0, 0.0),
                (1.0, 0.0),
                (1.0, 0.5),
                (3.0, 0.5),
                (3.0, 1.0),
                (10.0, 1.0)
            ]
        );
        assert!(steps(&[], 1.0).is_empty());
    }
}
