//! Charts of a [`Report`]: SVG documents and PNG images a person reads beside the
//! table.
//!
//! Each function draws one chart from a report (and, for [`timeline`], a few
//! simulated histories) and returns a [`Chart`]: its file stem ([`Chart::name`]), its
//! title, a self-contained SVG document, and the same drawing as PNG on demand.
//! Nothing is written to disk; the caller decides where the bytes go.
//!
//! | chart | shows | in [`all`] |
//! |---|---|---|
//! | [`sweep`] | downtime (and cost) against the swept setting | for a sweep |
//! | [`cost`] | expected yearly cost per option, by part, with the P90 year | with costs |
//! | [`downtime`] | downtime per year as a distribution across years, against the SLA budget | always |
//! | [`recovery`] | how long the outages of each class of disruption last, against the RTO | when outages came from several classes, or with an RTO |
//! | [`data_loss`] | data lost per year: mean, P99 year, worst single loss, losses for good | when data was lost |
//! | [`tiers`] | which tier causes the downtime | with several tiers |
//! | [`importance`] | what each component would save if it never failed, ranked | when an option has its importance |
//! | [`timeline`] | a few simulated years, outage by outage | with histories |
//!
//! Charts are 1000 × 560 pixels (taller when many rows need room), and an option has
//! the same colour in every chart: its index in [`Report::options`] picks it from
//! twelve saturated colours (the first seven colour-blind-safe; a thirteenth option
//! takes the first's again, its line dashed). Cost parts are greys and tiers pale tints, so a bar's
//! part is never taken for an option. Text is set in DejaVu Sans, embedded in the crate, so a
//! PNG renders the same on a machine without fonts; SVGs name the generic
//! `sans-serif` family, and text in them is real text (searchable, selectable).
//! A chart depends only on its inputs: the same report gives the same bytes.
//!
//! ```
//! use nines::{Distribution, FailureMode, Service, Simulation, Tier};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let crash = FailureMode::new("crash", Distribution::exponential(1000.0)?, Distribution::exponential(10.0)?);
//! let service = Service::new("one server", vec![Tier::builder("database").with_failure(crash).build()?])?;
//! let report = Simulation::new().with_replications(500).with_seed(1).run(&service)?;
//! let chart = nines::chart::downtime(&report)?;
//! assert_eq!(chart.name(), "downtime");
//! assert!(chart.svg().starts_with("<svg") && chart.svg().contains("one server"));
//! assert!(chart.png()?.starts_with(b"\x89PNG"));
//! # Ok(())
//! # }
//! ```

use plotters::prelude::*;

use crate::{History, Report};

mod axis;
mod cost;
mod data_loss;
mod downtime;
mod draw;
mod importance;
mod raster;
mod recovery;
mod sweep;
mod tiers;
mod timeline;

use draw::{Area, DrawResult};

/// One chart: drawn once as SVG when it is made, and as PNG on demand.
#[derive(Debug, Clone)]
pub struct Chart {
    name: &'static str,
    title: String,
    subtitle: String,
    size: (u32, u32),
    svg: String,
    plot: Plot,
}

/// What each chart draws, kept so the PNG is drawn by the same code as the SVG.
#[derive(Debug, Clone)]
enum Plot {
    Downtime(downtime::Downtime),
    Cost(cost::Cost),
    Sweep(Box<sweep::SweepPlot>),
    Timeline(timeline::Timeline),
    Tiers(tiers::Tiers),
    DataLoss(data_loss::DataLoss),
    Recovery(recovery::Recovery),
    Importance(importance::Importance),
}

impl Plot {
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        match self {
            Plot::Downtime(p) => p.draw(root),
            Plot::Cost(p) => p.draw(root),
            Plot::Sweep(p) => p.draw(root),
            Plot::Timeline(p) => p.draw(root),
            Plot::Tiers(p) => p.draw(root),
            Plot::DataLoss(p) => p.draw(root),
            Plot::Recovery(p) => p.draw(root),
            Plot::Importance(p) => p.draw(root),
        }
    }

    /// The chart's height \[px\]; all are [`draw::WIDTH`] wide.
    fn height(&self) -> u32 {
        match self {
            Plot::Downtime(p) => p.height(),
            Plot::Cost(p) => p.height(),
            Plot::Sweep(p) => p.height(),
            Plot::Timeline(p) => p.height(),
            Plot::Tiers(p) => p.height(),
            Plot::DataLoss(p) => p.height(),
            Plot::Recovery(p) => p.height(),
            Plot::Importance(p) => p.height(),
        }
    }
}

impl Chart {
    /// Draws the SVG and keeps what the PNG needs.
    fn new(name: &'static str, title: String, subtitle: String, plot: Plot) -> Result<Chart, ChartError> {
        draw::register_fonts().map_err(|reason| ChartError::Font { reason })?;
        let mut chart = Chart {
            name,
            title,
            subtitle,
            size: (draw::WIDTH, plot.height()),
            svg: String::new(),
            plot,
        };
        chart.svg = chart.render_svg()?;
        Ok(chart)
    }

    /// The chart's file stem: `downtime`, `recovery`, `cost`, `sweep`, `timeline`,
    /// `tiers`, `data-loss` or `importance`.
    pub fn name(&self) -> &str {
        self.name
    }

    /// The chart's title, as drawn at its top.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The chart as a complete SVG document (UTF-8, no external references; text is
    /// set in the viewer's `sans-serif` font).
    pub fn svg(&self) -> &str {
        &self.svg
    }

    /// The chart's size in pixels, (width, height): the SVG's and the PNG's.
    pub fn size(&self) -> (u32, u32) {
        self.size
    }

    /// The chart as a PNG image (8-bit RGB, [`Chart::size`] pixels), drawn now by the
    /// same code as the SVG, with the embedded font.
    ///
    /// # Errors
    /// [`ChartError::Draw`] if drawing fails and [`ChartError::Encode`] if PNG
    /// encoding fails; neither is expected for a chart that drew as SVG.
    pub fn png(&self) -> Result<Vec<u8>, ChartError> {
        let (width, height) = self.size;
        let mut pixels = vec![0u8; width as usize * height as usize * 3];
        {
            let root = raster::Raster::new(BitMapBackend::with_buffer(&mut pixels, self.size)).into_drawing_area();
            self.draw(&root).map_err(|e| self.draw_error("PNG", e))?;
            root.present().map_err(|e| self.draw_error("PNG", e))?;
        }
        let encode_error = |e: png::EncodingError| ChartError::Encode {
            chart: self.name,
            reason: e.to_string(),
        };
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(encode_error)?;
        writer.write_image_data(&pixels).map_err(encode_error)?;
        writer.finish().map_err(encode_error)?;
        Ok(bytes)
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> DrawResult<DB> {
        draw::heading(root, &self.title, &self.subtitle)?;
        self.plot.draw(root)
    }

    fn render_svg(&self) -> Result<String, ChartError> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, self.size).into_drawing_area();
            self.draw(&root).map_err(|e| self.draw_error("SVG", e))?;
            root.present().map_err(|e| self.draw_error("SVG", e))?;
        }
        // A <title> names the document for screen readers and browser tabs.
        if let Some(end) = svg.find('>') {
            let title = format!("\n<title>{}</title>", escape_xml(&self.title));
            svg.insert_str(end + 1, &title);
        }
        Ok(svg)
    }

    fn draw_error<E: std::error::Error + Send + Sync>(
        &self,
        format: &'static str,
        error: DrawingAreaErrorKind<E>,
    ) -> ChartError {
        ChartError::Draw {
            chart: self.name,
            format,
            reason: error.to_string(),
        }
    }
}

/// Text as XML character data, escaped as plotters escapes the SVG's text.
fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Why a chart could not be drawn.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The font embedded in the crate could not be loaded (a build problem, not a
    /// problem with the report).
    #[error("the embedded chart font could not be loaded: {reason}")]
    Font {
        /// What was wrong with it.
        reason: &'static str,
    },
    /// The drawing library failed to draw the chart.
    #[error("drawing the {chart} chart as {format} failed: {reason}")]
    Draw {
        /// The chart's name, e.g. `downtime`.
        chart: &'static str,
        /// `SVG` or `PNG`.
        format: &'static str,
        /// The drawing library's message.
        reason: String,
    },
    /// The PNG encoder failed.
    #[error("encoding the {chart} chart as PNG failed: {reason}")]
    Encode {
        /// The chart's name.
        chart: &'static str,
        /// The encoder's message.
        reason: String,
    },
    /// [`timeline`] was given a list of histories per option, but not as many lists
    /// as the report has options.
    #[error(
        "the timeline needs one list of histories per option, in the report's order: the report has {} but {} given",
        crate::report::count(*.options as u64, "option", "options"),
        crate::report::count(*.histories as u64, "list was", "lists were")
    )]
    Histories {
        /// Options in the report.
        options: usize,
        /// Lists of histories given.
        histories: usize,
    },
}

/// Downtime per year across simulated years, one cumulative distribution per option:
/// for each amount of downtime (x, hours on a symmetric log scale so that zero,
/// minutes and days all show), the share of years with at most that much (y). With an
/// SLA, a vertical line marks the yearly budget and each option's legend entry says
/// how often a year breaks it.
///
/// # Errors
/// [`ChartError`] if drawing fails (not expected for any report).
pub fn downtime(report: &Report) -> Result<Chart, ChartError> {
    let plot = downtime::Downtime::new(report);
    Chart::new(
        "downtime",
        "Downtime per year, across simulated years".into(),
        draw::subtitle(report),
        Plot::Downtime(plot),
    )
}

/// Expected yearly cost per option as horizontal bars: infrastructure, expected
/// downtime cost and expected data-loss cost stacked on a linear axis, with a
/// diamond at the P90 year's total and the recommended option named in bold and
/// outlined. The amounts are written beside each bar.
///
/// The order is the report's ranking (cheapest first) when no option has an SLA.
/// With one, the options that meet it on average come first, then those too close
/// to call, then those that miss it, each group cheapest first and set apart by a
/// line; the title says so, and under each name is its verdict with the share of
/// years over budget ([`SlaReport::describe`](crate::SlaReport::describe)).
///
/// `None` when no option has costs.
///
/// # Errors
/// [`ChartError`] if drawing fails (not expected for any report).
pub fn cost(report: &Report) -> Result<Option<Chart>, ChartError> {
    let Some(plot) = cost::Cost::new(report) else {
        return Ok(None);
    };
    let title = plot.title();
    Chart::new("cost", title, draw::subtitle(report), Plot::Cost(plot)).map(Some)
}

/// What the swept setting buys, titled and labelled in words (`failover.test_every`
/// reads "failover drill interval"), under a subtitle naming what the sweep started
/// from ("all else as in ..."): its values on x (as durations when they are, else
/// numbers, else categories in order; on a log axis when they span a factor of ten)
/// against downtime per year (mean and P90 year, with the SLA budget) and, with
/// costs, against the expected yearly cost in a second panel.
///
/// `None` unless the report is a sweep ([`Report::sweep`]).
///
/// # Errors
/// [`ChartError`] if drawing fails (not expected for any report).
pub fn sweep(report: &Report) -> Result<Option<Chart>, ChartError> {
    let Some(plot) = sweep::SweepPlot::new(report) else {
        return Ok(None);
    };
    let (title, subtitle) = (plot.title(), plot.subtitle(report));
    Chart::new("sweep", title, subtitle, Plot::Sweep(Box::new(plot))).map(Some)
}

/// A few simulated years per option, outage by outage: one row per history, grouped
/// by option, time across (days), each outage a bar in the option's colour. An
/// outage is drawn at least 2 pixels wide, so outages of seconds still show; outages
/// past the report's horizon are cut there.
///
/// `histories[i]` are histories of option `i` of the report (e.g. from
/// [`Simulation::notable_histories`](crate::Simulation::notable_histories), the
/// median, P90 and worst years, each labelled by its note, which `nines --out` and the
/// examples draw, or [`Simulation::histories`](crate::Simulation::histories)); a few
/// per option read best. Histories shorter than a year (the report's horizon) are laid end to end, as
/// many as fill a year, in one row. At most 8 rows are drawn per option; the
/// subtitle says when histories were left out.
///
/// # Errors
/// [`ChartError::Histories`] if `histories` does not have one entry per option;
/// otherwise [`ChartError`] if drawing fails (not expected).
pub fn timeline(report: &Report, histories: &[Vec<History>]) -> Result<Chart, ChartError> {
    if histories.len() != report.options.len() {
        return Err(ChartError::Histories {
            options: report.options.len(),
            histories: histories.len(),
        });
    }
    let plot = timeline::Timeline::new(report, histories);
    let subtitle = plot.subtitle(report);
    let notable = histories.iter().flatten().any(|h| h.note.is_some());
    let title = if notable {
        "A median, a bad and the worst simulated year, outage by outage"
    } else {
        "A few simulated years, outage by outage"
    };
    Chart::new("timeline", title.into(), subtitle, Plot::Timeline(plot))
}

/// Which tier causes each option's downtime: one bar per option splitting its
/// downtime among the tiers (time when several tiers were down is split equally),
/// tiers of a single replica hatched and outlined so a single point of failure stands
/// out, with each option's downtime per year beside its bar.
///
/// # Errors
/// [`ChartError`] if drawing fails (not expected for any report).
pub fn tiers(report: &Report) -> Result<Chart, ChartError> {
    let plot = tiers::Tiers::new(report);
    Chart::new(
        "tiers",
        "Which tier causes the downtime".into(),
        draw::subtitle(report),
        Plot::Tiers(plot),
    )
}

/// Recovery time per class of disruption, against the RTO: for each class that
/// started a service outage in some option (in [`DisruptionReport::CLASSES`]' order),
/// one bar per option on a shared duration axis (a symmetric log scale, so that
/// minutes and weeks both show), solid to the median outage the class started,
/// lighter to the P95, with a marker at the longest. With an RTO
/// ([`Report::rto_hours`]) a dashed vertical line marks it, labelled `RTO 4 h`, and
/// beside each bar is the share of those outages within it
/// ([`DisruptionReport::within_rto`]); without one, the P95 (of how many outages,
/// when fewer than 100). Either way, beside it too, how often such outages come. An option whose disruptions of a class started
/// no outage says so in the class's group.
///
/// `None` when no option had an outage.
///
/// # Errors
/// [`ChartError`] if drawing fails (not expected for any report).
///
/// [`DisruptionReport::CLASSES`]: crate::DisruptionReport::CLASSES
/// [`DisruptionReport::within_rto`]: crate::DisruptionReport::within_rto
pub fn recovery(report: &Report) -> Result<Option<Chart>, ChartError> {
    let Some(plot) = recovery::Recovery::new(report) else {
        return Ok(None);
    };
    let title = if report.rto_hours.is_some() {
        "Recovery time per kind of disruption, against the RTO"
    } else {
        "Recovery time per kind of disruption"
    };
    Chart::new("recovery", title.into(), draw::subtitle(report), Plot::Recovery(plot)).map(Some)
}

/// Data lost per year (hours of writes, on a symmetric log scale): per option a bar
/// for the mean and one for the P99 year, and a marker at the worst single loss seen.
///
/// # Errors
/// [`ChartError`] if drawing fails (not expected for any report).
pub fn data_loss(report: &Report) -> Result<Chart, ChartError> {
    let plot = data_loss::DataLoss::new(report);
    Chart::new(
        "data-loss",
        "Data lost per year".into(),
        draw::subtitle(report),
        Plot::DataLoss(plot),
    )
}

/// What each component (tier, dependency, site) would save if it never failed: for
/// every option with its importance ([`OptionReport::importance`]), one horizontal
/// bar per component, ranked, as long as the downtime a year it removes, with the
/// paired 95 % interval as an error bar. The bar's colour says the kind of
/// component; a single point of failure is hatched and outlined, and named so
/// under the component's name. Beside each bar: the downtime removed ± the
/// interval's half-width, the component's share of the service's downtime and, with
/// costs, what it is worth a year. With several options, each component's name
/// says which option it belongs to.
///
/// `None` when no option has its importance.
///
/// # Errors
/// [`ChartError`] if drawing fails (not expected for any report).
///
/// [`OptionReport::importance`]: crate::OptionReport::importance
pub fn importance(report: &Report) -> Result<Option<Chart>, ChartError> {
    let Some(plot) = importance::Importance::new(report) else {
        return Ok(None);
    };
    Chart::new(
        "importance",
        "What each component would save if it never failed".into(),
        draw::subtitle(report),
        Plot::Importance(plot),
    )
    .map(Some)
}

/// Every chart that applies to the report, in reading order: the [`sweep`] (for a
/// sweep), the [`cost`] (with costs), [`downtime`], [`recovery`] (when some option's
/// outages came from more than one class of disruption, or the report has an RTO and
/// some outage), [`data_loss`] (when some option lost data), [`tiers`] (when the
/// service has more than one tier), [`importance`] (when an option has its
/// importance) and the [`timeline`] (with histories).
///
/// # Errors
/// As the functions of each chart; [`ChartError::Histories`] if `histories` is given
/// without one entry per option.
pub fn all(report: &Report, histories: Option<&[Vec<History>]>) -> Result<Vec<Chart>, ChartError> {
    let mut charts = Vec::new();
    charts.extend(sweep(report)?);
    charts.extend(cost(report)?);
    charts.push(downtime(report)?);
    let classes = |o: &crate::OptionReport| o.disruptions.iter().filter(|d| d.outages > 0).count();
    if report.rto_hours.is_some() || report.options.iter().any(|o| classes(o) > 1) {
        charts.extend(recovery(report)?);
    }
    let lost = report.options.iter().any(|o| {
        o.data_loss_hours_per_year.mean > 0.0
            || o.data_loss_hours_per_year.max_single_event > 0.0
            || o.unrecoverable_events_per_year.mean > 0.0
    });
    if lost {
        charts.push(data_loss(report)?);
    }
    if report.options.iter().any(|o| o.tiers.len() > 1) {
        charts.push(tiers(report)?);
    }
    charts.extend(importance(report)?);
    if let Some(histories) = histories {
        charts.push(timeline(report, histories)?);
    }
    Ok(charts)
}
