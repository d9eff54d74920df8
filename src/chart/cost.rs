//! Expected yearly cost per option, by part, cheapest first.

use plotters::prelude::*;

use super::axis::{Axis, short_money, short_number};
use super::draw::{self, Area, DrawResult, Font, Legend, Name, NameColumn, Swatch};
use crate::Report;

/// The parts' colours: infrastructure, downtime, data loss.
const PARTS: [(RGBColor, &str); 3] = [
    (RGBColor(0x9a, 0xa5, 0xb1), "infrastructure"),
    (RGBColor(0xf2, 0xa6, 0x4b), "expected downtime cost"),
    (RGBColor(0xc4, 0x4e, 0x52), "expected data-loss cost"),
];

/// A colour for the recommendation.
const CHOSEN: RGBColor = RGBColor(0x1b, 0x6e, 0x3a);

/// One option's bar.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    parts: [f64; 3],
    total: f64,
    p90: f64,
    recommended: bool,
}

/// What the cost chart draws.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Cost {
    currency: String,
    rows: Vec<Row>,
    names: NameColumn,
    x: Axis,
    log: bool,
    legend: Legend,
}

impl Cost {
    /// `None` when no option has costs.
    pub(super) fn new(report: &Report) -> Option<Cost> {
        // The ranking's order, then any option it leaves out in report order.
        let mut order: Vec<usize> = report
            .ranking
            .iter()
            .filter_map(|name| report.options.iter().position(|o| &o.name == name))
            .collect();
        let unranked: Vec<usize> = (0..report.options.len()).filter(|i| !order.contains(i)).collect();
        order.extend(unranked);
        order.retain(|&i| report.options[i].cost.is_some());
        let currency = report.options[*order.first()?].cost.as_ref()?.currency.clone();
        let chosen = report.recommendation.as_ref().map(|r| r.option.as_str());
        let clean = |v: f64| if v.is_finite() { v.max(0.0) } else { 0.0 };
        let mut rows = Vec::new();
        let mut names = Vec::new();
        for &i in &order {
            let option = &report.options[i];
            let Some(c) = &option.cost else { continue };
            let recommended = chosen == Some(option.name.as_str());
            rows.push(Row {
                parts: [clean(c.infrastructure), clean(c.downtime), clean(c.data_loss)],
                total: clean(c.total),
                p90: clean(c.total_p90),
                recommended,
            });
            let mut notes = Vec::new();
            let sla = option.sla.map(|s| match s.verdict {
                crate::report::SlaVerdict::Met => "meets the SLA on average",
                crate::report::SlaVerdict::TooCloseToCall => "SLA: too close to call",
                _ => "misses the SLA",
            });
            match (recommended, sla) {
                (true, Some(sla)) => notes.push((format!("recommended · {sla}"), CHOSEN)),
                (true, None) => notes.push(("recommended".to_owned(), CHOSEN)),
                (false, Some(sla)) => notes.push((sla.to_owned(), draw::MUTED)),
                (false, None) => {}
            }
            names.push(Name {
                text: option.name.clone(),
                color: draw::option_color(i),
                bold: recommended,
                notes,
            });
        }
        let names = NameColumn::new(names, 330);
        let smallest = rows
            .iter()
            .map(|r| r.total)
            .filter(|t| *t > 0.0)
            .fold(f64::INFINITY, f64::min);
        let largest = rows.iter().map(|r| r.total.max(r.p90)).fold(0.0, f64::max);
        let log = smallest.is_finite() && largest > 10.0 * smallest;
        let x = if log {
            // A decade below the cheapest, so even its bar has some length.
            Axis::log(smallest / 10.0, largest, short_number)
        } else {
            Axis::linear(0.0, largest, 6, short_number)
        };
        let mut entries: Vec<(Swatch, String)> =
            PARTS.iter().map(|(c, l)| (Swatch::Fill(*c), (*l).to_owned())).collect();
        entries.push((
            Swatch::Diamond(draw::INK),
            "total in a P90 year (1 year in 10 costs more)".into(),
        ));
        Some(Cost {
            currency,
            rows,
            names,
            x,
            log,
            legend: Legend::new(entries),
        })
    }

    fn slot_height(&self) -> i32 {
        (self.names.row_height() + 16).max(56)
    }

    pub(super) fn height(&self) -> u32 {
        draw::bar_chart_height(&self.legend, self.rows.len(), self.slot_height())
    }

    /// The texts beside a bar: the expected total and the P90 year.
    fn values(&self, row: &Row) -> [String; 2] {
        [
            short_money(row.total, &self.currency),
            format!("P90 {}", short_money(row.p90, &self.currency)),
        ]
    }

    pub(super) fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let legend_height = self.legend.height(draw::LEGEND_WIDTH);
        self.legend
            .draw(root, (draw::MARGIN, draw::BODY_TOP), draw::LEGEND_WIDTH)?;
        let top = draw::BODY_TOP + legend_height + 8;
        let body = draw::strip(root, top, 8);
        let value_font = Font::new(draw::LABEL).bold();
        let note_font = Font::new(draw::SMALL).color(draw::MUTED);
        let value_width = self
            .rows
            .iter()
            .map(|r| {
                let [total, p90] = self.values(r);
                value_font.width(&total).max(note_font.width(&p90))
            })
            .max()
            .unwrap_or(0);
        let n = self.rows.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&body)
            .margin_top(8)
            .margin_left(draw::MARGIN)
            .margin_right(draw::MARGIN + value_width + 16)
            .x_label_area_size(62)
            .y_label_area_size(self.names.width + 8)
            .build_cartesian_2d(self.x.clone(), Axis::bare(n, 0.0))?;
        let scale = if self.log {
            ", log scale: a bar's colours split it by share"
        } else {
            ""
        };
        draw::mesh(
            &mut chart,
            &format!("expected cost per year [{}]{scale}", self.currency),
            "",
            false,
        )?;
        let (x_pixels, _) = chart.plotting_area().get_pixel_range();
        let left = x_pixels.start;
        let slot = chart.backend_coord(&(self.x.bounds().0, 1.0)).1 - chart.backend_coord(&(self.x.bounds().0, 0.0)).1;
        let half_bar = (slot as f64 * 0.28).round() as i32;
        for (i, row) in self.rows.iter().enumerate() {
            let y = chart.backend_coord(&(self.x.bounds().0, i as f64 + 0.5)).1;
            let end = chart.backend_coord(&(row.total, 0.0)).0.max(left);
            if row.total > 0.0 {
                let length = f64::from(end - left);
                let mut from = left;
                let mut sum = 0.0;
                for (part, (color, _)) in row.parts.iter().zip(PARTS) {
                    sum += part;
                    let to = left + (length * (sum / row.total).min(1.0)).round() as i32;
                    if to > from {
                        draw::fill(root, (from, y - half_bar), (to, y + half_bar), color)?;
                    }
                    from = to;
                }
                if row.recommended {
                    draw::outline(root, (left, y - half_bar - 2), (end, y + half_bar + 2), CHOSEN, 3)?;
                }
            }
            if row.p90 > 0.0 {
                let p90 = chart.backend_coord(&(row.p90, 0.0)).0;
                if p90 > end {
                    draw::line(root, (end, y), (p90, y), draw::INK, 1)?;
                }
                draw::diamond(root, (p90, y), 8, draw::INK)?;
            }
            self.names.draw_row(root, i, left - 8, y)?;
            let [total, p90] = self.values(row);
            let right = x_pixels.end + 16;
            draw::text(root, &total, (right, y - 9), value_font, draw::LEFT_CENTER)?;
            draw::text(root, &p90, (right, y + 10), note_font, draw::LEFT_CENTER)?;
        }
        Ok(())
    }
}
