//! What each component would save if it never failed, ranked.

use plotters::prelude::*;

use super::axis::{Axis, short_money, tick_number};
use super::draw::{self, Area, DrawResult, Font, Legend, Name, NameColumn, Swatch};
use crate::Report;
use crate::report::human_hours;

/// The standard normal's 97.5 % quantile.
const Z: f64 = crate::report::Z_975;

/// The kinds of component, in legend order, each with its colour.
const KINDS: [&str; 3] = ["tier", "dependency", "site"];

/// The colour of a kind of component.
fn kind_color(kind: &str) -> RGBColor {
    draw::category_color(KINDS.iter().position(|k| *k == kind).unwrap_or(KINDS.len()))
}

/// One component's bar.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    kind: String,
    spof: bool,
    /// Downtime removed per year \[h\] and the paired 95 % half-width.
    removed: f64,
    half_width: f64,
    /// The component's share of the service's downtime.
    share: f64,
    /// Money removed per year, with its currency.
    money: Option<(f64, String)>,
}

/// What the importance chart draws.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Importance {
    rows: Vec<Row>,
    names: NameColumn,
    /// Hours per axis unit, and the unit's name.
    unit: (f64, &'static str),
    x: Axis,
    legend: Legend,
}

impl Importance {
    /// `None` when no option has its importance.
    pub(super) fn new(report: &Report) -> Option<Importance> {
        let with: Vec<usize> = (0..report.options.len())
            .filter(|&i| report.options[i].importance.is_some())
            .collect();
        if with.is_empty() {
            return None;
        }
        let several = with.len() > 1;
        let clean = |v: f64| if v.is_finite() { v } else { 0.0 };
        let mut rows = Vec::new();
        let mut names = Vec::new();
        for &i in &with {
            let option = &report.options[i];
            for item in option.importance.iter().flatten() {
                let removed = item.downtime_removed_hours_per_year;
                rows.push(Row {
                    kind: item.kind.clone(),
                    spof: item.single_point_of_failure,
                    removed: clean(removed.mean),
                    half_width: clean(Z * removed.std_error).max(0.0),
                    share: clean(item.share_of_downtime.mean),
                    money: item
                        .cost_removed_per_year
                        .zip(option.cost.as_ref())
                        .map(|(cost, c)| (clean(cost.mean), c.currency.clone())),
                });
                let mut notes = vec![if item.single_point_of_failure {
                    (format!("{} · single point of failure", item.kind), draw::SLA)
                } else {
                    (item.kind.clone(), draw::MUTED)
                }];
                if several {
                    notes.push((option.name.clone(), draw::option_color(i)));
                }
                names.push(Name {
                    text: item.component.clone(),
                    color: kind_color(&item.kind),
                    bold: item.single_point_of_failure,
                    notes,
                });
            }
        }
        let names = NameColumn::new(names, 330);
        let lowest = rows.iter().map(|r| r.removed - r.half_width).fold(0.0, f64::min);
        let highest = rows.iter().map(|r| r.removed + r.half_width).fold(0.0, f64::max);
        let reach = highest.max(-lowest);
        let unit = if reach < 1.0 {
            (1.0 / 60.0, "min")
        } else if reach < 72.0 {
            (1.0, "h")
        } else {
            (24.0, "d")
        };
        let x = Axis::linear(lowest / unit.0, highest / unit.0, 6, |v| {
            if v == 0.0 {
                "0".to_owned()
            } else {
                format!("{} {}", tick_number(v), unit.1)
            }
        });
        let mut entries: Vec<(Swatch, String)> = KINDS
            .iter()
            .filter(|k| rows.iter().any(|r| r.kind == **k))
            .map(|k| (Swatch::Fill(kind_color(k)), (*k).to_owned()))
            .collect();
        if rows.iter().any(|r| r.spof) {
            entries.push((
                Swatch::Hatched(draw::LIGHT_GRID),
                "hatched: a single point of failure (one failure of it takes the service down)".into(),
            ));
        }
        entries.push((
            Swatch::Whisker(draw::INK),
            "95 % interval of the paired difference".into(),
        ));
        Some(Importance {
            rows,
            names,
            unit,
            x,
            legend: Legend::new(entries),
        })
    }

    fn slot_height(&self) -> i32 {
        (self.names.row_height() + 16).max(52)
    }

    pub(super) fn height(&self) -> u32 {
        draw::bar_chart_height(&self.legend, self.rows.len(), self.slot_height())
    }

    /// The texts beside a bar: the downtime removed ± its half-width, and the share
    /// of the downtime and the money.
    fn values(row: &Row) -> [String; 2] {
        let removed = format!("{} ± {}", human_hours(row.removed), human_hours(row.half_width));
        let share = format!("{:.0} % of the downtime", 100.0 * row.share);
        let note = match &row.money {
            Some((money, currency)) => format!("{share} · {} a year", short_money(*money, currency)),
            None => share,
        };
        [removed, note]
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
                let [removed, note] = Importance::values(r);
                value_font.width(&removed).max(note_font.width(&note))
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
            "downtime a year the service would not have if the component never failed",
            "",
            false,
        )?;
        let (x_pixels, _) = chart.plotting_area().get_pixel_range();
        let at = |hours: f64| chart.backend_coord(&(hours / self.unit.0, 0.0)).0;
        let zero = at(0.0);
        let slot = chart.backend_coord(&(0.0, 1.0)).1 - chart.backend_coord(&(0.0, 0.0)).1;
        let half_bar = (slot as f64 * 0.28).round() as i32;
        for (i, row) in self.rows.iter().enumerate() {
            let y = chart.backend_coord(&(0.0, i as f64 + 0.5)).1;
            let end = at(row.removed);
            let (a, b) = ((zero.min(end), y - half_bar), (zero.max(end), y + half_bar));
            if b.0 > a.0 {
                draw::fill(root, a, b, kind_color(&row.kind))?;
                if row.spof {
                    draw::hatch(root, a, b, draw::INK)?;
                    draw::outline(root, a, b, draw::INK, 2)?;
                }
            }
            if row.half_width > 0.0 {
                let (from, to) = (at(row.removed - row.half_width), at(row.removed + row.half_width));
                draw::whisker(root, (from, to), y, half_bar / 2 + 2, draw::INK)?;
            }
            self.names.draw_row(root, i, x_pixels.start - 8, y)?;
            let [removed, note] = Importance::values(row);
            let right = x_pixels.end + 16;
            draw::text(root, &removed, (right, y - 9), value_font, draw::LEFT_CENTER)?;
            draw::text(root, &note, (right, y + 10), note_font, draw::LEFT_CENTER)?;
        }
        Ok(())
    }
}
