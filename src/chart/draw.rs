//! What every chart shares: the font, colours, text, the title block, legends and
//! the column of option names beside a bar chart.

use std::sync::OnceLock;

use super::axis::Axis;
use plotters::coord::Shift;
use plotters::coord::cartesian::Cartesian2d;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, register_font};

/// A drawing area in pixels.
pub(super) type Area<DB> = DrawingArea<DB, Shift>;
/// What drawing on a backend returns.
pub(super) type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Default chart size \[px\].
pub(super) const WIDTH: u32 = 1000;
/// Default chart height \[px\]; charts with many rows grow.
pub(super) const HEIGHT: u32 = 560;
/// Left and right margin of the whole chart \[px\].
pub(super) const MARGIN: i32 = 24;
/// Where the body starts below the title and subtitle \[px\].
pub(super) const BODY_TOP: i32 = 84;

/// Width of a legend set across the chart under the title.
pub(super) const LEGEND_WIDTH: i32 = WIDTH as i32 - 2 * MARGIN;

/// Height of a chart of horizontal bars: the title, the legend, one slot per row and
/// the x axis below, and at least [`HEIGHT`].
pub(super) fn bar_chart_height(legend: &Legend, rows: usize, slot_height: i32) -> u32 {
    let needed = BODY_TOP + legend.height(LEGEND_WIDTH) + 24 + rows as i32 * slot_height + 70 + 12;
    HEIGHT.max(needed as u32)
}

/// Font sizes \[px\], as plotters takes them: the font's em is size / 1.24 (what
/// plotters' SVG writes as `font-size`, and what [`super::raster`] sets in PNGs).
pub(super) const TITLE: f64 = 28.0;
pub(super) const SUBTITLE: f64 = 17.0;
pub(super) const AXIS: f64 = 18.0;
pub(super) const LABEL: f64 = 16.0;
pub(super) const SMALL: f64 = 15.0;

pub(super) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(super) const MUTED: RGBColor = RGBColor(0x5f, 0x63, 0x68);
pub(super) const GRID: RGBColor = RGBColor(0xd6, 0xd6, 0xd6);
pub(super) const LIGHT_GRID: RGBColor = RGBColor(0xee, 0xee, 0xee);
pub(super) const BACKGROUND: RGBColor = RGBColor(0xff, 0xff, 0xff);
/// The SLA budget's colour.
pub(super) const SLA: RGBColor = RGBColor(0xb0, 0x1c, 0x2e);

// Three families of colours that never share a member, so that a bar's part is
// never taken for an option: options are saturated, cost parts are greys, tiers
// and other categories are pale tints.

/// Options' colours, by the option's index in the report: Okabe and Ito's
/// colour-blind-safe palette (its yellow, too faint on white, replaced) and four
/// more dark, saturated ones (after Paul Tol's muted scheme), so that up to twelve
/// options each have their own.
const OPTION_COLORS: [RGBColor; 12] = [
    RGBColor(0x00, 0x72, 0xb2),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0xcc, 0x79, 0xa7),
    RGBColor(0xe6, 0x9f, 0x00),
    RGBColor(0x56, 0xb4, 0xe9),
    RGBColor(0x6a, 0x3d, 0x9a),
    RGBColor(0x00, 0x00, 0x00),
    RGBColor(0x99, 0x99, 0x33),
    RGBColor(0x8c, 0x51, 0x0a),
    RGBColor(0x44, 0xaa, 0x99),
    RGBColor(0x88, 0x22, 0x55),
];

/// The colour of the option at `index` in the report, the same in every chart.
/// More than twelve options reuse the colours in order: bar charts name each option
/// beside its bar, lines of the second round are dashed ([`option_dashed`]), the
/// recovery chart (whose bars are named only in its legend) hatches their bars, and
/// the timeline heads each option's rows with its name.
pub(super) fn option_color(index: usize) -> RGBColor {
    OPTION_COLORS[index % OPTION_COLORS.len()]
}

/// Whether the option at `index` is drawn apart (dashed lines, hatched bars): options
/// past the twelfth, whose colour an earlier option already has.
pub(super) fn option_dashed(index: usize) -> bool {
    index >= OPTION_COLORS.len()
}

/// The cost parts' colours, light to dark: infrastructure, expected downtime cost,
/// expected data-loss cost. Greys: no option or tier has one.
pub(super) const COST_PARTS: [RGBColor; 3] = [
    RGBColor(0xcf, 0xcf, 0xcf),
    RGBColor(0x93, 0x93, 0x93),
    RGBColor(0x4d, 0x4d, 0x4d),
];

/// Colours for categories that are neither options nor cost parts (tiers, kinds of
/// component): pale tints that dark text reads on, far lighter than any option's
/// colour.
const CATEGORY_COLORS: [RGBColor; 8] = [
    RGBColor(0xc6, 0xd4, 0xe1),
    RGBColor(0xe6, 0xd5, 0xb8),
    RGBColor(0xc8, 0xdc, 0xc0),
    RGBColor(0xe3, 0xc9, 0xd6),
    RGBColor(0xef, 0xe3, 0xa8),
    RGBColor(0xbf, 0xdc, 0xd7),
    RGBColor(0xd5, 0xcc, 0xe6),
    RGBColor(0xec, 0xc9, 0xb0),
];

/// The colour of category `index` (a tier in series order).
pub(super) fn category_color(index: usize) -> RGBColor {
    CATEGORY_COLORS[index % CATEGORY_COLORS.len()]
}

/// `color` mixed with white: `amount` 0 is the colour, 1 is white.
pub(super) fn lighten(color: RGBColor, amount: f64) -> RGBColor {
    let mix = |c: u8| (f64::from(c) + (255.0 - f64::from(c)) * amount).round() as u8;
    RGBColor(mix(color.0), mix(color.1), mix(color.2))
}

/// Registers the embedded DejaVu Sans as plotters' `sans-serif`, once per process.
/// plotters looks fonts up by family name in a process-wide table; the charts never
/// use system fonts, so PNGs render the same on a machine without any.
pub(super) fn register_fonts() -> Result<(), &'static str> {
    static REGISTERED: OnceLock<Result<(), &'static str>> = OnceLock::new();
    *REGISTERED.get_or_init(|| {
        let family = FontFamily::SansSerif.as_str();
        register_font(family, FontStyle::Normal, dejavu::sans::regular())
            .map_err(|_| "DejaVu Sans (regular) is not a valid font")?;
        register_font(family, FontStyle::Bold, dejavu::sans::bold())
            .map_err(|_| "DejaVu Sans (bold) is not a valid font")
    })
}

/// A text style.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Font {
    pub(super) size: f64,
    pub(super) bold: bool,
    pub(super) color: RGBColor,
}

impl Font {
    pub(super) fn new(size: f64) -> Font {
        Font {
            size,
            bold: false,
            color: INK,
        }
    }

    pub(super) fn bold(self) -> Font {
        Font { bold: true, ..self }
    }

    pub(super) fn with_color(self, color: RGBColor) -> Font {
        Font { color, ..self }
    }

    fn desc(&self) -> FontDesc<'static> {
        let style = if self.bold { FontStyle::Bold } else { FontStyle::Normal };
        FontDesc::new(FontFamily::SansSerif, self.size, style)
    }

    /// The plotters style, anchored at `anchor`.
    pub(super) fn style(&self, anchor: (HPos, VPos)) -> TextStyle<'static> {
        TextStyle {
            font: self.desc(),
            color: self.color.to_backend_color(),
            pos: Pos::new(anchor.0, anchor.1),
        }
    }

    /// The width of `text` \[px\] as the PNG sets it (an estimate from the
    /// character count if the font is missing).
    pub(super) fn width(&self, text: &str) -> i32 {
        match super::raster::text_width(text, self.size, self.bold) {
            Some(w) => w.ceil() as i32,
            None => (0.5 * self.size * text.chars().count() as f64) as i32,
        }
    }

    /// The height of a line of text \[px\].
    pub(super) fn line_height(&self) -> i32 {
        (self.size * 1.2).round() as i32
    }

    /// `text` broken at spaces into lines no wider than `max_width` (a word wider
    /// than that gets a line of its own).
    pub(super) fn wrap(&self, text: &str, max_width: i32) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        for word in text.split(' ') {
            match lines.last_mut() {
                Some(line) if self.width(&format!("{line} {word}")) <= max_width => {
                    line.push(' ');
                    line.push_str(word);
                }
                _ => lines.push(word.to_owned()),
            }
        }
        lines
    }
}

pub(super) const LEFT_TOP: (HPos, VPos) = (HPos::Left, VPos::Top);
pub(super) const LEFT_CENTER: (HPos, VPos) = (HPos::Left, VPos::Center);
pub(super) const LEFT_BOTTOM: (HPos, VPos) = (HPos::Left, VPos::Bottom);
pub(super) const RIGHT_CENTER: (HPos, VPos) = (HPos::Right, VPos::Center);
pub(super) const CENTER: (HPos, VPos) = (HPos::Center, VPos::Center);
pub(super) const CENTER_BOTTOM: (HPos, VPos) = (HPos::Center, VPos::Bottom);

/// The full-width strip of `root` from `top` to `bottom_margin` above its bottom.
pub(super) fn strip<DB: DrawingBackend>(root: &Area<DB>, top: i32, bottom_margin: i32) -> Area<DB> {
    let (width, height) = root.dim_in_pixel();
    let strip_height = (height as i32 - top - bottom_margin).max(1) as u32;
    root.clone().shrink((0, top), (width, strip_height))
}

/// Draws `text` with `font`, its `anchor` point at `at`.
pub(super) fn text<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    at: (i32, i32),
    font: Font,
    anchor: (HPos, VPos),
) -> DrawResult<DB> {
    area.draw_text(text, &font.style(anchor), at)
}

/// Draws a filled rectangle between two corners.
pub(super) fn fill<DB: DrawingBackend>(
    area: &Area<DB>,
    a: (i32, i32),
    b: (i32, i32),
    color: impl Into<ShapeStyle>,
) -> DrawResult<DB> {
    let style: ShapeStyle = color.into();
    area.draw(&Rectangle::new([a, b], style.filled()))
}

/// Draws a rectangle's outline, `width` pixels thick inside the rectangle (as four
/// filled strips, since plotters' SVG rectangles ignore the stroke width).
pub(super) fn outline<DB: DrawingBackend>(
    area: &Area<DB>,
    a: (i32, i32),
    b: (i32, i32),
    color: RGBColor,
    width: u32,
) -> DrawResult<DB> {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    let w = (width as i32).max(1);
    fill(area, (x0, y0), (x1, y0 + w), color)?;
    fill(area, (x0, y1 - w), (x1, y1), color)?;
    fill(area, (x0, y0), (x0 + w, y1), color)?;
    fill(area, (x1 - w, y0), (x1, y1), color)
}

/// Draws a straight line.
pub(super) fn line<DB: DrawingBackend>(
    area: &Area<DB>,
    a: (i32, i32),
    b: (i32, i32),
    color: impl Into<ShapeStyle>,
    width: u32,
) -> DrawResult<DB> {
    let style: ShapeStyle = color.into();
    area.draw(&PathElement::new(vec![a, b], style.stroke_width(width)))
}

/// Draws a dashed line.
pub(super) fn dashed<DB: DrawingBackend>(
    area: &Area<DB>,
    points: &[(i32, i32)],
    color: RGBColor,
    width: u32,
) -> DrawResult<DB> {
    area.draw(&DashedPathElement::new(
        points.iter().copied(),
        7,
        5,
        color.stroke_width(width),
    ))
}

/// Draws a diamond centred at `at`.
pub(super) fn diamond<DB: DrawingBackend>(
    area: &Area<DB>,
    at: (i32, i32),
    radius: i32,
    color: RGBColor,
) -> DrawResult<DB> {
    let (x, y) = at;
    let points = vec![(x, y - radius), (x + radius, y), (x, y + radius), (x - radius, y)];
    area.draw(&Polygon::new(points.clone(), color.filled()))?;
    let mut closed = points;
    closed.push((x, y - radius));
    area.draw(&PathElement::new(closed, WHITE.stroke_width(1)))
}

/// Draws an interval as a horizontal line from `x.0` to `x.1` at height `y`, with
/// end caps `cap` pixels above and below.
pub(super) fn whisker<DB: DrawingBackend>(
    area: &Area<DB>,
    x: (i32, i32),
    y: i32,
    cap: i32,
    color: RGBColor,
) -> DrawResult<DB> {
    line(area, (x.0, y), (x.1, y), color, 2)?;
    for end in [x.0, x.1] {
        line(area, (end, y - cap), (end, y + cap), color, 2)?;
    }
    Ok(())
}

/// Draws diagonal hatching inside a rectangle (the mark of a single replica).
pub(super) fn hatch<DB: DrawingBackend>(
    area: &Area<DB>,
    a: (i32, i32),
    b: (i32, i32),
    color: RGBColor,
) -> DrawResult<DB> {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    let (w, h) = (x1 - x0, y1 - y0);
    if w <= 0 || h <= 0 {
        return Ok(());
    }
    // Lines x - y = c for c from -h to w, clipped to the rectangle.
    let mut c = -h + 4;
    while c < w {
        let start = (x0 + c.max(0), y1 - (c.max(0) - c));
        let run = (w - c.max(0)).min(h - (c.max(0) - c));
        let end = (start.0 + run, start.1 - run);
        area.draw(&PathElement::new(vec![start, end], color.mix(0.8).stroke_width(2)))?;
        c += 9;
    }
    Ok(())
}

/// A legend's key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Swatch {
    /// A filled square.
    Fill(RGBColor),
    /// A filled square with diagonal hatching.
    Hatched(RGBColor),
    /// A solid line.
    Line(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
    /// A diamond marker.
    Diamond(RGBColor),
    /// A vertical tick with a triangle on top (a worst case).
    Worst(RGBColor),
    /// An interval with end caps.
    Whisker(RGBColor),
}

const SWATCH_WIDTH: i32 = 26;

impl Swatch {
    /// Draws the key in a box whose vertical centre is `y`, from `x` rightwards.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, x: i32, y: i32) -> DrawResult<DB> {
        let square = |area: &Area<DB>, c: RGBColor| fill(area, (x + 5, y - 8), (x + 21, y + 8), c);
        match *self {
            Swatch::Fill(c) => square(area, c),
            Swatch::Hatched(c) => {
                square(area, c)?;
                hatch(area, (x + 5, y - 8), (x + 21, y + 8), INK)?;
                outline(area, (x + 5, y - 8), (x + 21, y + 8), INK, 2)
            }
            Swatch::Line(c) => line(area, (x, y), (x + SWATCH_WIDTH, y), c, 3),
            Swatch::Dashed(c) => dashed(area, &[(x, y), (x + SWATCH_WIDTH, y)], c, 2),
            Swatch::Diamond(c) => diamond(area, (x + 13, y), 7, c),
            Swatch::Worst(c) => worst_marker(area, (x + 13, y + 8), 16, c),
            Swatch::Whisker(c) => whisker(area, (x + 3, x + SWATCH_WIDTH - 3), y, 6, c),
        }
    }
}

/// The worst-case marker: a vertical tick of `height` ending at `base`, a triangle on
/// top pointing down at it.
pub(super) fn worst_marker<DB: DrawingBackend>(
    area: &Area<DB>,
    base: (i32, i32),
    height: i32,
    color: RGBColor,
) -> DrawResult<DB> {
    let (x, y) = base;
    line(area, (x, y), (x, y - height + 6), color, 2)?;
    area.draw(&Polygon::new(
        vec![(x - 6, y - height), (x + 6, y - height), (x, y - height + 8)],
        color.filled(),
    ))
}

/// Legend entries laid out left to right, wrapping onto new rows; an entry wider
/// than the legend wraps onto several lines.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Legend {
    entries: Vec<(Swatch, String)>,
    font: Font,
}

const LEGEND_GAP: i32 = 28;

/// Where a legend entry goes: its offset from the legend's corner and its lines.
struct Placed {
    x: i32,
    y: i32,
    lines: Vec<String>,
}

impl Legend {
    pub(super) fn new(entries: Vec<(Swatch, String)>) -> Legend {
        Legend {
            entries,
            font: Font::new(LABEL),
        }
    }

    fn entry_height(&self, lines: usize) -> i32 {
        lines.max(1) as i32 * self.font.line_height() + 8
    }

    /// Each entry's place within `width`, and the legend's height.
    fn layout(&self, width: i32) -> (Vec<Placed>, i32) {
        let text_max = width - SWATCH_WIDTH - 8;
        let (mut x, mut y, mut row_height) = (0, 0, 0);
        let mut placed = Vec::with_capacity(self.entries.len());
        for (_, label) in &self.entries {
            let lines = if self.font.width(label) > text_max {
                self.font.wrap(label, text_max)
            } else {
                vec![label.clone()]
            };
            let text_width = lines.iter().map(|l| self.font.width(l)).max().unwrap_or(0);
            let w = SWATCH_WIDTH + 8 + text_width;
            if x > 0 && x + w > width {
                x = 0;
                y += row_height;
                row_height = 0;
            }
            row_height = row_height.max(self.entry_height(lines.len()));
            placed.push(Placed { x, y, lines });
            x += w + LEGEND_GAP;
        }
        (placed, y + row_height)
    }

    /// The legend's height \[px\] within `width`; 0 without entries.
    pub(super) fn height(&self, width: i32) -> i32 {
        self.layout(width).1
    }

    /// Draws the legend with its top left corner at `origin`, within `width`.
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, origin: (i32, i32), width: i32) -> DrawResult<DB> {
        let line = self.font.line_height();
        let first = self.entry_height(1) / 2;
        for ((swatch, _), placed) in self.entries.iter().zip(self.layout(width).0) {
            let (x, y) = (origin.0 + placed.x, origin.1 + placed.y + first);
            swatch.draw(area, x, y)?;
            for (k, text_line) in placed.lines.iter().enumerate() {
                let at = (x + SWATCH_WIDTH + 8, y + k as i32 * line);
                text(area, text_line, at, self.font, LEFT_CENTER)?;
            }
        }
        Ok(())
    }
}

/// Draws the background, the title and the subtitle.
pub(super) fn heading<DB: DrawingBackend>(area: &Area<DB>, title: &str, subtitle: &str) -> DrawResult<DB> {
    area.fill(&BACKGROUND)?;
    text(area, title, (MARGIN, 14), Font::new(TITLE).bold(), LEFT_TOP)?;
    text(
        area,
        subtitle,
        (MARGIN, 52),
        Font::new(SUBTITLE).with_color(MUTED),
        LEFT_TOP,
    )
}

/// The line under a chart's title: the scenario and what the run simulated.
pub(super) fn subtitle(report: &crate::Report) -> String {
    subtitle_with(report, &report.scenario)
}

/// The line under a chart's title: `what` (the scenario, in words) and what the run
/// simulated.
pub(super) fn subtitle_with(report: &crate::Report, what: &str) -> String {
    let years = report.horizon_hours / crate::HOURS_PER_YEAR;
    let one = report.replications == 1;
    let runs = if (years - 1.0).abs() < 1e-9 {
        format!(
            "{} simulated year{} per option",
            group_thousands(report.replications),
            if one { "" } else { "s" }
        )
    } else {
        format!(
            "{} simulated histor{} of {} per option",
            group_thousands(report.replications),
            if one { "y" } else { "ies" },
            crate::report::human_horizon(report.horizon_hours)
        )
    };
    format!("{what} · {runs} · seed {}", report.seed)
}

/// 100000 as `100,000`.
fn group_thousands(n: u64) -> String {
    crate::report::format_money(n as f64, "")
}

/// Options' names in a column left of a bar chart, each with its colour, wrapped to
/// fit, with optional smaller lines under the name.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NameColumn {
    /// Per row: the name's lines, its colour, whether it is emphasised, and notes.
    rows: Vec<NameRow>,
    /// The column's width \[px\], swatch included.
    pub(super) width: i32,
}

/// An option's name in a [`NameColumn`].
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Name {
    /// The name.
    pub(super) text: String,
    /// The option's colour, shown in a square beside the name.
    pub(super) color: RGBColor,
    /// Whether the name is set in bold.
    pub(super) bold: bool,
    /// Smaller lines under the name, each with its colour.
    pub(super) notes: Vec<(String, RGBColor)>,
}

impl Name {
    /// A plain name in the option's colour.
    pub(super) fn plain(text: &str, color: RGBColor) -> Name {
        Name {
            text: text.to_owned(),
            color,
            bold: false,
            notes: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct NameRow {
    lines: Vec<String>,
    color: RGBColor,
    bold: bool,
    notes: Vec<(String, RGBColor)>,
}

const NAME_FONT: f64 = LABEL;
const NOTE_FONT: f64 = SMALL;

impl NameColumn {
    /// A column of the report's option names, each in its option's colour, at most
    /// `max_width` wide.
    pub(super) fn of_options(report: &crate::report::Report, max_width: i32) -> NameColumn {
        let names = report
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| Name::plain(&o.name, option_color(i)))
            .collect();
        NameColumn::new(names, max_width)
    }

    /// A column for these names, at most `max_width` wide.
    pub(super) fn new(rows: Vec<Name>, max_width: i32) -> NameColumn {
        let text_max = max_width - 30;
        let rows: Vec<NameRow> = rows
            .into_iter()
            .map(|name| {
                let font = Font::new(NAME_FONT);
                let font = if name.bold { font.bold() } else { font };
                NameRow {
                    lines: font.wrap(&name.text, text_max),
                    color: name.color,
                    bold: name.bold,
                    notes: name.notes,
                }
            })
            .collect();
        let widest = rows
            .iter()
            .flat_map(|r| {
                let font = Font::new(NAME_FONT);
                let font = if r.bold { font.bold() } else { font };
                let notes = r.notes.iter().map(|(n, _)| Font::new(NOTE_FONT).width(n));
                r.lines.iter().map(move |l| font.width(l)).chain(notes)
            })
            .max()
            .unwrap_or(0);
        NameColumn {
            rows,
            width: (widest + 30).min(max_width),
        }
    }

    /// The height \[px\] the tallest row needs.
    pub(super) fn row_height(&self) -> i32 {
        self.rows
            .iter()
            .map(|r| {
                r.lines.len() as i32 * Font::new(NAME_FONT).line_height()
                    + r.notes.len() as i32 * Font::new(NOTE_FONT).line_height()
            })
            .max()
            .unwrap_or(0)
    }

    /// Draws row `i` right-aligned against `right` (the axis), centred on `y`.
    pub(super) fn draw_row<DB: DrawingBackend>(&self, area: &Area<DB>, i: usize, right: i32, y: i32) -> DrawResult<DB> {
        let Some(row) = self.rows.get(i) else { return Ok(()) };
        let name_font = Font::new(NAME_FONT);
        let name_font = if row.bold { name_font.bold() } else { name_font };
        let note_font = Font::new(NOTE_FONT);
        let height =
            row.lines.len() as i32 * name_font.line_height() + row.notes.len() as i32 * note_font.line_height();
        let mut top = y - height / 2;
        let text_right = right - 28;
        fill(area, (right - 22, y - 7), (right - 8, y + 7), row.color)?;
        for l in &row.lines {
            text(
                area,
                l,
                (text_right, top + name_font.line_height() / 2),
                name_font,
                RIGHT_CENTER,
            )?;
            top += name_font.line_height();
        }
        for (note, color) in &row.notes {
            text(
                area,
                note,
                (text_right, top + note_font.line_height() / 2),
                note_font.with_color(*color),
                RIGHT_CENTER,
            )?;
            top += note_font.line_height();
        }
        Ok(())
    }
}

/// Draws the grid, the axes, their tick labels and their titles.
pub(super) fn mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<Axis, Axis>>,
    x_desc: &str,
    y_desc: &str,
    y_grid: bool,
) -> DrawResult<DB> {
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x_desc)
        .label_style(Font::new(LABEL).style(CENTER))
        .axis_desc_style(Font::new(AXIS).style(CENTER))
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(LIGHT_GRID.stroke_width(1))
        .axis_style(MUTED.stroke_width(1))
        .x_labels(100)
        .y_labels(100);
    if !y_desc.is_empty() {
        mesh.y_desc(y_desc);
    }
    if !y_grid {
        mesh.disable_y_mesh();
    }
    mesh.draw()
}
