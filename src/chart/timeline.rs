//! A few simulated years per option, outage by outage.

use plotters::prelude::*;

use super::axis::Axis;
use super::draw::{self, Area, DrawResult, Font};
use crate::report::human_hours;
use crate::{History, Report};

/// The narrowest an outage is drawn \[px\], so outages of seconds still show.
const MIN_WIDTH: i32 = 2;
/// A row's height and a header's, in row units.
const HEADER: f64 = 1.3;
/// Pixels per row unit at the least.
const ROW_PIXELS: i32 = 22;

/// Rows drawn per option at most; further histories are left out, and the subtitle
/// says so.
const MAX_ROWS: usize = 8;

/// One line of the chart.
#[derive(Debug, Clone, PartialEq)]
enum Line {
    /// An option's name over its rows.
    Header { color: RGBColor, name: String },
    /// One row of histories: its label, outages \[d\], where one history ends and
    /// the next begins \[d\], and a summary.
    Row {
        color: RGBColor,
        label: String,
        outages: Vec<[f64; 2]>,
        /// Per outage, whether it was planned throughout.
        planned: Vec<bool>,
        joins: Vec<f64>,
        summary: String,
    },
}

/// What the timeline draws.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Timeline {
    lines: Vec<Line>,
    x: Axis,
    x_desc: String,
    /// How each row is made, for the subtitle.
    rows: String,
    /// Whether some outage drawn is planned.
    any_planned: bool,
}

impl Timeline {
    /// `histories` has one entry per option (checked by the caller). Histories
    /// shorter than a year are laid end to end, as many as make a year, in a row.
    pub(super) fn new(report: &Report, histories: &[Vec<History>]) -> Timeline {
        let horizon = if report.horizon_hours.is_finite() && report.horizon_hours > 0.0 {
            report.horizon_hours
        } else {
            crate::HOURS_PER_YEAR
        };
        let yearly = (horizon - crate::HOURS_PER_YEAR).abs() < 1e-9;
        // At most as many histories a row as there are: a horizon of 1e-300 h would
        // ask for 8.8e303 (and overflow `MAX_ROWS * per_row`).
        let most = histories.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let per_row = if horizon < crate::HOURS_PER_YEAR {
            ((crate::HOURS_PER_YEAR / horizon + 1e-9).floor() as usize).clamp(1, most)
        } else {
            1
        };
        let mut lines = Vec::new();
        let mut left_out = false;
        for (i, (option, runs)) in report.options.iter().zip(histories).enumerate() {
            let color = draw::option_color(i);
            lines.push(Line::Header {
                color,
                name: option.name.clone(),
            });
            left_out |= runs.len() > MAX_ROWS.saturating_mul(per_row);
            for chunk in runs.chunks(per_row).take(MAX_ROWS) {
                let mut outages = Vec::new();
                let mut planned = Vec::new();
                for (k, history) in chunk.iter().enumerate() {
                    let start = k as f64 * horizon;
                    for (i, [a, b]) in history.outage_intervals.iter().enumerate() {
                        if a.is_finite() && b.is_finite() && *a < horizon && *b >= 0.0 {
                            outages.push([(start + a.max(0.0)) / 24.0, (start + b.min(horizon)) / 24.0]);
                            planned.push(history.outage_planned.get(i).copied().unwrap_or(false));
                        }
                    }
                }
                let count: usize = chunk.iter().map(|h| h.outage_intervals.len()).sum();
                let down: f64 = chunk.iter().map(|h| h.downtime_hours).sum();
                let summary = match count {
                    0 => "no outage".to_owned(),
                    1 => format!("1 outage · {}", human_hours(down)),
                    n => format!("{n} outages · {}", human_hours(down)),
                };
                let first = chunk.first().map_or(0, |h| h.replication + 1);
                let last = chunk.last().map_or(0, |h| h.replication + 1);
                let label = if let Some(note) = chunk.first().and_then(|h| h.note.clone()).filter(|_| chunk.len() == 1)
                {
                    note
                } else if chunk.len() > 1 {
                    format!("{first}–{last}")
                } else if yearly {
                    format!("year {first}")
                } else {
                    format!("history {first}")
                };
                lines.push(Line::Row {
                    color,
                    label,
                    outages,
                    planned,
                    joins: (1..chunk.len()).map(|k| k as f64 * horizon / 24.0).collect(),
                    summary,
                });
            }
        }
        let (x_desc, mut rows) = if yearly {
            (
                "day of the simulated year".to_owned(),
                "each row one simulated year".to_owned(),
            )
        } else if per_row > 1 {
            (
                "days, histories laid end to end".to_owned(),
                format!(
                    "each row {per_row} simulated histories of {} end to end",
                    human_hours(horizon)
                ),
            )
        } else {
            (
                "days since the start of the simulated history".to_owned(),
                format!("each row one simulated history of {}", human_hours(horizon)),
            )
        };
        if left_out {
            rows.push_str(&format!(" (the first {MAX_ROWS} rows of each option)"));
        }
        let any_planned = lines
            .iter()
            .any(|l| matches!(l, Line::Row { planned, .. } if planned.contains(&true)));
        Timeline {
            any_planned,
            lines,
            x: Axis::ticked(0.0, per_row as f64 * horizon / 24.0, 8, super::axis::tick_number),
            x_desc,
            rows,
        }
    }

    /// The line under the title.
    pub(super) fn subtitle(&self, report: &Report) -> String {
        format!(
            "{} · {}; outages drawn at least {MIN_WIDTH} px wide{}",
            report.scenario,
            self.rows,
            if self.any_planned {
                ", planned ones short and pale"
            } else {
                ""
            }
        )
    }

    fn units(&self) -> f64 {
        self.lines
            .iter()
            .map(|l| match l {
                Line::Header { .. } => HEADER,
                Line::Row { .. } => 1.0,
            })
            .sum()
    }

    pub(super) fn height(&self) -> u32 {
        let needed = draw::BODY_TOP + 16 + (self.units() * f64::from(ROW_PIXELS)).ceil() as i32 + 62 + 16;
        draw::HEIGHT.max(needed as u32)
    }

    pub(super) fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        let top = draw::BODY_TOP;
        let body = draw::strip(root, top, 8);
        let label_font = Font::new(draw::LABEL).with_color(draw::MUTED);
        let summary_font = Font::new(draw::SMALL).with_color(draw::MUTED);
        let mut label_width = 0;
        let mut summary_width = 0;
        for line in &self.lines {
            if let Line::Row { label, summary, .. } = line {
                label_width = label_width.max(label_font.width(label));
                summary_width = summary_width.max(summary_font.width(summary));
            }
        }
        let units = self.units().max(1.0);
        let mut chart = ChartBuilder::on(&body)
            .margin_top(8)
            .margin_left(draw::MARGIN - 8)
            .margin_right(draw::MARGIN + summary_width + 12)
            .x_label_area_size(62)
            .y_label_area_size(label_width + 16)
            .build_cartesian_2d(self.x.clone(), Axis::bare(units, 0.0))?;
        draw::mesh(&mut chart, &self.x_desc, "", false)?;
        let (x_pixels, _) = chart.plotting_area().get_pixel_range();
        let unit = chart.backend_coord(&(0.0, 1.0)).1 - chart.backend_coord(&(0.0, 0.0)).1;
        let header_font = Font::new(draw::LABEL).bold();
        let mut at = 0.0;
        for line in &self.lines {
            match line {
                Line::Header { color, name } => {
                    let y = chart.backend_coord(&(0.0, at + HEADER * 0.55)).1;
                    let font = header_font.with_color(*color);
                    let w = font.width(name);
                    let h = font.line_height() / 2;
                    draw::fill(
                        root,
                        (x_pixels.start + 1, y - h),
                        (x_pixels.start + w + 12, y + h),
                        WHITE,
                    )?;
                    draw::text(root, name, (x_pixels.start + 6, y), font, draw::LEFT_CENTER)?;
                    at += HEADER;
                }
                Line::Row {
                    color,
                    label,
                    outages,
                    planned,
                    joins,
                    summary,
                } => {
                    let y = chart.backend_coord(&(0.0, at + 0.5)).1;
                    let band = (f64::from(unit) * 0.12).round().max(1.0) as i32;
                    draw::fill(
                        root,
                        (x_pixels.start, y - band),
                        (x_pixels.end, y + band),
                        draw::lighten(*color, 0.8),
                    )?;
                    let half = (f64::from(unit) * 0.34).round().max(3.0) as i32;
                    for join in joins {
                        let x = chart.backend_coord(&(*join, 0.0)).0;
                        draw::line(root, (x, y - half), (x, y + half), draw::GRID, 1)?;
                    }
                    for ([a, b], &planned) in outages.iter().zip(planned) {
                        let from = chart.backend_coord(&(*a, 0.0)).0;
                        let to = chart.backend_coord(&(*b, 0.0)).0.max(from + MIN_WIDTH);
                        if planned {
                            // Planned downtime (maintenance, tests): half as tall and
                            // pale, so that failures stand out however narrow.
                            let low = half / 2;
                            draw::fill(root, (from, y - low), (to, y + low), draw::lighten(*color, 0.45))?;
                        } else {
                            draw::fill(root, (from, y - half), (to, y + half), *color)?;
                        }
                    }
                    draw::text(root, label, (x_pixels.start - 10, y), label_font, draw::RIGHT_CENTER)?;
                    draw::text(root, summary, (x_pixels.end + 12, y), summary_font, draw::LEFT_CENTER)?;
                    at += 1.0;
                }
            }
        }
        Ok(())
    }
}
