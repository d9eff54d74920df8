//! Data lost per year: mean, P99 year and worst single loss per option, and how often
//! data is lost for good.

use plotters::prelude::*;

use super::axis::Axis;
use super::draw::{self, Area, DrawResult, Font, Legend, NameColumn, Swatch};
use crate::Report;
use crate::report::human_hours;

/// One option's bars \[h\].
#[derive(Debug, Clone, PartialEq)]
struct Row {
    color: RGBColor,
    mean: f64,
    p99: f64,
    worst: f64,
    /// Losses for good per year (not hours: nothing brings that data back).
    for_good: f64,
}

/// What the data-loss chart draws.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct DataLoss {
    rows: Vec<Row>,
    names: NameColumn,
    x: Axis,
    legend: Legend,
}

impl DataLoss {
    pub(super) fn new(report: &Report) -> DataLoss {
        let clean = |v: f64| if v.is_finite() { v.max(0.0) } else { 0.0 };
        let rows: Vec<Row> = report
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let d = &o.data_loss_hours_per_year;
                Row {
                    color: draw::option_color(i),
                    mean: clean(d.mean),
                    p99: clean(d.p99),
                    worst: clean(d.max_single_event),
                    for_good: clean(o.unrecoverable_events_per_year.mean),
                }
            })
            .collect();
        let values = rows.iter().flat_map(|r| [r.mean, r.p99, r.worst]);
        let (smallest, largest) = values.fold((f64::INFINITY, 0.0f64), |(s, l), v| {
            (if v > 0.0 { s.min(v) } else { s }, l.max(v))
        });
        let names = NameColumn::of_options(report, 330);
        let legend = Legend::new(vec![
            (Swatch::Fill(draw::MUTED), "mean per year".into()),
            (
                Swatch::Fill(draw::lighten(draw::MUTED, 0.6)),
                "P99 year (1 year in 100 loses more)".into(),
            ),
            (Swatch::Worst(draw::INK), "worst single loss".into()),
        ]);
        DataLoss {
            rows,
            names,
            x: Axis::hours(smallest, largest),
            legend,
        }
    }

    fn slot_height(&self) -> i32 {
        let lines = self.rows.iter().map(|r| Self::values(r).len()).max().unwrap_or(0) as i32;
        (self.names.row_height() + 16)
            .max(60)
            .max(lines * Font::new(draw::SMALL).line_height() + 12)
    }

    pub(super) fn height(&self) -> u32 {
        draw::bar_chart_height(&self.legend, self.rows.len(), self.slot_height())
    }

    /// The texts beside a row: the hours lost by restores, if any, and how often data
    /// is lost for good, if ever.
    fn values(row: &Row) -> Vec<String> {
        let mut values = Vec::new();
        if row.mean > 0.0 || row.p99 > 0.0 || row.worst > 0.0 {
            values.extend([
                format!("mean {}", human_hours(row.mean)),
                format!("P99 {}", human_hours(row.p99)),
                format!("worst {}", human_hours(row.worst)),
            ]);
        }
        if row.for_good > 0.0 {
            values.push(format!("lost for good {:.2}× a year", row.for_good));
        }
        values
    }

    pub(super) fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let legend_height = self.legend.height(draw::LEGEND_WIDTH);
        self.legend
            .draw(root, (draw::MARGIN, draw::BODY_TOP), draw::LEGEND_WIDTH)?;
        let top = draw::BODY_TOP + legend_height + 8;
        let body = draw::strip(root, top, 8);
        let value_font = Font::new(draw::SMALL);
        let value_width = self
            .rows
            .iter()
            .flat_map(Self::values)
            .map(|t| value_font.width(&t))
            .max()
            .unwrap_or(0);
        let n = self.rows.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&body)
            .margin_top(8)
            .margin_left(draw::MARGIN)
            .margin_right(draw::MARGIN + value_width + 20)
            .x_label_area_size(62)
            .y_label_area_size(self.names.width + 8)
            .build_cartesian_2d(self.x.clone(), Axis::bare(n, 0.0))?;
        draw::mesh(&mut chart, "data lost, in hours of writes (log scale)", "", false)?;
        let (x_pixels, _) = chart.plotting_area().get_pixel_range();
        let left = x_pixels.start;
        let slot = chart.backend_coord(&(0.0, 1.0)).1 - chart.backend_coord(&(0.0, 0.0)).1;
        let bar = (slot as f64 * 0.26).round() as i32;
        for (i, row) in self.rows.iter().enumerate() {
            let y = chart.backend_coord(&(0.0, i as f64 + 0.5)).1;
            let x = |v: f64| chart.backend_coord(&(v, 0.0)).0.max(left);
            if row.mean > 0.0 {
                draw::fill(root, (left, y - bar - 1), (x(row.mean).max(left + 2), y - 1), row.color)?;
            }
            if row.p99 > 0.0 {
                let (a, b) = ((left, y + 1), (x(row.p99).max(left + 2), y + bar + 1));
                draw::fill(root, a, b, draw::lighten(row.color, 0.6))?;
                draw::outline(root, a, b, row.color, 1)?;
            }
            if row.worst > 0.0 {
                draw::worst_marker(root, (x(row.worst), y + bar + 1), 2 * bar + 14, draw::INK)?;
            }
            if row.mean == 0.0 && row.p99 == 0.0 && row.worst == 0.0 {
                let font = Font::new(draw::LABEL).with_color(draw::MUTED);
                let text = if row.for_good > 0.0 {
                    "no restores: every loss is for good"
                } else {
                    "no data lost"
                };
                draw::text(root, text, (left + 12, y), font, draw::LEFT_CENTER)?;
            }
            self.names.draw_row(root, i, left - 8, y)?;
            let right = x_pixels.end + 20;
            let line = value_font.line_height();
            let values = Self::values(row);
            let first = -(line * (values.len() as i32 - 1)) / 2;
            for (k, t) in values.iter().enumerate() {
                draw::text(
                    root,
                    t,
                    (right, y + first + k as i32 * line),
                    value_font,
                    draw::LEFT_CENTER,
                )?;
            }
        }
        Ok(())
    }
}
