//! Which tier causes each option's downtime.

use plotters::prelude::*;

use super::axis::Axis;
use super::draw::{self, Area, DrawResult, Font, Legend, NameColumn, Swatch};
use crate::Report;
use crate::report::human_hours;

/// One option's bar.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    /// Per tier: index into the tier names, share of the downtime, whether it has a
    /// single replica.
    segments: Vec<(usize, f64, bool)>,
    /// Mean downtime per year \[h\].
    downtime: f64,
}

/// What the tiers chart draws.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tiers {
    tiers: Vec<String>,
    rows: Vec<Row>,
    names: NameColumn,
    legend: Legend,
}

impl Tiers {
    pub(super) fn new(report: &Report) -> Tiers {
        let mut tiers: Vec<String> = Vec::new();
        for t in report.options.iter().flat_map(|o| &o.tiers) {
            if !tiers.contains(&t.name) {
                tiers.push(t.name.clone());
            }
        }
        let rows = report
            .options
            .iter()
            .map(|o| Row {
                segments: o
                    .tiers
                    .iter()
                    .map(|t| {
                        let index = tiers.iter().position(|n| n == &t.name).unwrap_or(0);
                        let share = if t.downtime_share.is_finite() {
                            t.downtime_share.clamp(0.0, 1.0)
                        } else {
                            0.0
                        };
                        (index, share, t.replicas == 1)
                    })
                    .collect(),
                downtime: o.downtime_hours_per_year.mean,
            })
            .collect();
        let names = NameColumn::of_options(report, 330);
        let mut entries: Vec<(Swatch, String)> = tiers
            .iter()
            .enumerate()
            .map(|(i, t)| (Swatch::Fill(draw::category_color(i)), t.clone()))
            .collect();
        entries.push((
            Swatch::Hatched(draw::LIGHT_GRID),
            "hatched: a tier of one replica (a single point of failure)".into(),
        ));
        Tiers {
            tiers,
            rows,
            names,
            legend: Legend::new(entries),
        }
    }

    fn slot_height(&self) -> i32 {
        (self.names.row_height() + 16).max(52)
    }

    pub(super) fn height(&self) -> u32 {
        draw::bar_chart_height(&self.legend, self.rows.len(), self.slot_height())
    }

    pub(super) fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let legend_height = self.legend.height(draw::LEGEND_WIDTH);
        self.legend
            .draw(root, (draw::MARGIN, draw::BODY_TOP), draw::LEGEND_WIDTH)?;
        let top = draw::BODY_TOP + legend_height + 8;
        let body = draw::strip(root, top, 8);
        let value_font = Font::new(draw::LABEL).bold();
        let note_font = Font::new(draw::SMALL).with_color(draw::MUTED);
        let value_width = self
            .rows
            .iter()
            .map(|r| value_font.width(&human_hours(r.downtime)))
            .chain([note_font.width("down per year")])
            .max()
            .unwrap_or(0);
        let n = self.rows.len().max(1) as f64;
        let x = Axis::linear(0.0, 1.0, 5, |v| format!("{:.0} %", 100.0 * v));
        let mut chart = ChartBuilder::on(&body)
            .margin_top(8)
            .margin_left(draw::MARGIN)
            .margin_right(draw::MARGIN + value_width + 16)
            .x_label_area_size(62)
            .y_label_area_size(self.names.width + 8)
            .build_cartesian_2d(x, Axis::bare(n, 0.0))?;
        draw::mesh(
            &mut chart,
            "share of the service's downtime, by the tier that was down",
            "",
            false,
        )?;
        let (x_pixels, _) = chart.plotting_area().get_pixel_range();
        let slot = chart.backend_coord(&(0.0, 1.0)).1 - chart.backend_coord(&(0.0, 0.0)).1;
        let half_bar = (slot as f64 * 0.3).round() as i32;
        let inside = Font::new(draw::SMALL);
        for (i, row) in self.rows.iter().enumerate() {
            let y = chart.backend_coord(&(0.0, i as f64 + 0.5)).1;
            let mut sum = 0.0;
            let mut from = x_pixels.start;
            for &(tier, share, single) in &row.segments {
                sum += share;
                let to = chart.backend_coord(&(sum.min(1.0), 0.0)).0;
                if to <= from {
                    continue;
                }
                let (a, b) = ((from, y - half_bar), (to, y + half_bar));
                draw::fill(root, a, b, draw::category_color(tier))?;
                if single {
                    draw::hatch(root, a, b, draw::INK)?;
                    draw::outline(root, a, b, draw::INK, 2)?;
                }
                // The tier's name and share inside when they fit, else the share.
                let percent = format!("{:.0} %", 100.0 * share);
                let named = format!("{} {percent}", self.tiers[tier]);
                let room = to - from - 10;
                let label = [named, percent].into_iter().find(|l| inside.width(l) <= room);
                if let Some(label) = label {
                    let center = ((from + to) / 2, y);
                    let w = inside.width(&label) / 2 + 4;
                    let h = inside.line_height() / 2 + 1;
                    if single {
                        // A plain background so the text reads over the hatching.
                        draw::fill(
                            root,
                            (center.0 - w, center.1 - h),
                            (center.0 + w, center.1 + h),
                            draw::category_color(tier),
                        )?;
                    }
                    draw::text(root, &label, center, inside, draw::CENTER)?;
                }
                from = to;
            }
            if row.segments.iter().all(|s| s.1 == 0.0) {
                let font = Font::new(draw::LABEL).with_color(draw::MUTED);
                draw::text(
                    root,
                    "no downtime seen",
                    (x_pixels.start + 12, y),
                    font,
                    draw::LEFT_CENTER,
                )?;
            }
            self.names.draw_row(root, i, x_pixels.start - 8, y)?;
            let right = x_pixels.end + 16;
            draw::text(
                root,
                &human_hours(row.downtime),
                (right, y - 9),
                value_font,
                draw::LEFT_CENTER,
            )?;
            draw::text(root, "down per year", (right, y + 10), note_font, draw::LEFT_CENTER)?;
        }
        Ok(())
    }
}
