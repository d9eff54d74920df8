//! Expected yearly cost per option, by part: with an SLA, those that meet it first,
//! each group cheapest first.

use plotters::prelude::*;

use super::axis::{Axis, short_money, short_number};
use super::draw::{self, Area, DrawResult, Font, Legend, Name, NameColumn, Swatch};
use crate::Report;
use crate::report::SlaVerdict;

/// The parts' colours: infrastructure, downtime, data loss, from light to dark in
/// [`draw::COST_PARTS`], a family no option or tier colour belongs to.
const PARTS: [(RGBColor, &str); 3] = [
    (draw::COST_PARTS[0], "infrastructure"),
    (draw::COST_PARTS[1], "expected downtime cost"),
    (draw::COST_PARTS[2], "expected data-loss cost"),
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
    /// The SLA group the row belongs to (see [`group`]).
    group: u8,
}

/// Where an option's SLA verdict puts it: those that meet the SLA on average first,
/// then those too close to call, then those that miss it, then those without one.
fn group(sla: Option<&crate::report::SlaReport>) -> u8 {
    match sla.map(|s| s.verdict) {
        Some(SlaVerdict::Met) => 0,
        Some(SlaVerdict::TooCloseToCall) => 1,
        Some(_) => 2,
        None => 3,
    }
}

/// What the cost chart draws.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Cost {
    currency: String,
    rows: Vec<Row>,
    names: NameColumn,
    x: Axis,
    /// Whether some option has an SLA verdict (and the rows are grouped by it).
    judged: bool,
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
        // A stable sort: within each SLA group, the ranking's order (cheapest first).
        order.sort_by_key(|&i| group(report.options[i].sla.as_ref()));
        let judged = order.iter().any(|&i| report.options[i].sla.is_some());
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
                parts: [clean(c.infrastructure), clean(c.downtime.mean), clean(c.data_loss.mean)],
                total: clean(c.total.mean),
                p90: clean(c.total_p90),
                recommended,
                group: group(option.sla.as_ref()),
            });
            let mut notes = Vec::new();
            if recommended {
                notes.push(("recommended".to_owned(), CHOSEN));
            }
            if let Some(sla) = &option.sla {
                let color = match sla.verdict {
                    SlaVerdict::Met => draw::INK,
                    SlaVerdict::TooCloseToCall => draw::MUTED,
                    _ => draw::SLA,
                };
                notes.push((format!("SLA {}", sla.describe()), color));
            }
            names.push(Name {
                text: option.name.clone(),
                color: draw::option_color(i),
                bold: recommended,
                notes,
            });
        }
        let names = NameColumn::new(names, 360);
        // Linear, always: the parts stack, and only on a linear axis can each be read
        // against it (on a log axis a part's length would depend on what lies left).
        let largest = rows.iter().map(|r| r.total.max(r.p90)).fold(0.0, f64::max);
        let x = Axis::linear(0.0, largest, 6, short_number);
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
            judged,
            legend: Legend::new(entries),
        })
    }

    /// The chart's title: what the order is.
    pub(super) fn title(&self) -> String {
        if self.judged {
            "Expected cost per year, by SLA verdict, cheapest first".into()
        } else {
            "Expected cost per year, cheapest first".into()
        }
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
        let note_font = Font::new(draw::SMALL).with_color(draw::MUTED);
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
        draw::mesh(
            &mut chart,
            &format!("expected cost per year [{}]", self.currency),
            "",
            false,
        )?;
        let (x_pixels, _) = chart.plotting_area().get_pixel_range();
        let left = x_pixels.start;
        let slot = chart.backend_coord(&(self.x.bounds().0, 1.0)).1 - chart.backend_coord(&(self.x.bounds().0, 0.0)).1;
        let half_bar = (slot as f64 * 0.28).round() as i32;
        for (i, row) in self.rows.iter().enumerate() {
            let y = chart.backend_coord(&(self.x.bounds().0, i as f64 + 0.5)).1;
            if i > 0 && self.rows[i - 1].group != row.group {
                // A line between SLA groups, across the names and the bars.
                let at = chart.backend_coord(&(self.x.bounds().0, i as f64)).1;
                draw::line(root, (draw::MARGIN, at), (x_pixels.end, at), draw::MUTED, 1)?;
            }
            let end = chart.backend_coord(&(row.total, 0.0)).0.max(left);
            if row.total > 0.0 {
                // The parts stack: each ends where the running sum is on the axis.
                let mut from = left;
                let mut sum = 0.0;
                for (part, (color, _)) in row.parts.iter().zip(PARTS) {
                    sum += part;
                    let to = chart.backend_coord(&(sum.min(row.total), 0.0)).0.max(left);
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
