//! Charts need the `charts` feature (on by default), which this build leaves out: no
//! chart can be drawn, and [`Report::to_html`](crate::Report::to_html) takes no charts
//! (`&[]`).

use std::convert::Infallible;

/// A chart, of which this build (without the `charts` feature) can make none: the type
/// is here so that [`Report::to_html`](crate::Report::to_html) has the same signature
/// with and without the feature.
#[derive(Debug, Clone)]
pub struct Chart {
    none: Infallible,
}

impl Chart {
    /// The chart's file stem (never called: there is no chart to call it on).
    pub fn name(&self) -> &str {
        match self.none {}
    }

    /// The chart's title.
    pub fn title(&self) -> &str {
        match self.none {}
    }

    /// The chart as a standalone SVG document.
    pub fn svg(&self) -> &str {
        match self.none {}
    }

    /// The chart as a PNG image.
    ///
    /// # Errors
    /// Never: there is no chart to draw.
    pub fn png(&self) -> Result<Vec<u8>, Infallible> {
        match self.none {}
    }
}
