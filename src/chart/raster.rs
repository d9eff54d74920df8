//! Text for the PNGs: the embedded font, laid out and rasterised the way the SVG sets
//! it.
//!
//! plotters' own bitmap text drops each glyph's left side bearing and rounds every
//! advance down, so letters sit unevenly ("onl y"). [`Raster`] wraps its bitmap
//! backend and sets text itself with `ab_glyph`: at the SVG's font size (plotters'
//! size / 1.24), on the SVG's baseline for each anchor, with fractional advances
//! and kerning. Everything else goes to the bitmap backend unchanged.

use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef, GlyphId, PxScale, ScaleFont as _, point};
use plotters::prelude::BitMapBackend;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle,
};

/// The embedded DejaVu Sans, regular and bold; `None` if the bytes are not a font.
fn faces() -> Option<&'static (FontRef<'static>, FontRef<'static>)> {
    static FACES: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            let regular = FontRef::try_from_slice(dejavu::sans::regular()).ok()?;
            let bold = FontRef::try_from_slice(dejavu::sans::bold()).ok()?;
            Some((regular, bold))
        })
        .as_ref()
}

/// The font size the SVG sets for plotters' `size` (plotters-svg writes size / 1.24).
pub(super) fn em(size: f64) -> f32 {
    (size / 1.24) as f32
}

/// A line of text laid out in the embedded font.
struct Layout {
    font: &'static FontRef<'static>,
    scale: PxScale,
    /// Each glyph with its pen position \[px\].
    glyphs: Vec<(GlyphId, f32)>,
    /// The advance of the whole text \[px\].
    width: f32,
}

/// `text` at plotters' `size`, laid out; `None` if the font is missing.
fn layout(text: &str, size: f64, bold: bool) -> Option<Layout> {
    let (regular, heavy) = faces()?;
    let font = if bold { heavy } else { regular };
    let em = em(size);
    let scale = PxScale::from(em * font.height_unscaled() / font.units_per_em()?);
    let scaled = font.as_scaled(scale);
    let mut x = 0.0;
    let mut previous: Option<GlyphId> = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            x += scaled.kern(p, id);
        }
        glyphs.push((id, x));
        x += scaled.h_advance(id);
        previous = Some(id);
    }
    Some(Layout {
        font,
        scale,
        glyphs,
        width: x,
    })
}

/// The width of `text` \[px\] as the PNG sets it; `None` if the font is missing.
pub(super) fn text_width(text: &str, size: f64, bold: bool) -> Option<f32> {
    layout(text, size, bold).map(|l| l.width)
}

/// plotters' bitmap backend, with text set by [`layout`].
pub(super) struct Raster<'a> {
    inner: BitMapBackend<'a>,
}

impl<'a> Raster<'a> {
    pub(super) fn new(inner: BitMapBackend<'a>) -> Raster<'a> {
        Raster { inner }
    }
}

type Failure<'a> = DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> DrawingBackend for Raster<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), Failure<'a>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), Failure<'a>> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Failure<'a>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Failure<'a>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Failure<'a>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), Failure<'a>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), Failure<'a>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), Failure<'a>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<(), Failure<'a>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), Failure<'a>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let bold = matches!(style.style(), FontStyle::Bold);
        let Some(Layout {
            font,
            scale,
            glyphs,
            width,
        }) = layout(text, style.size(), bold)
        else {
            // Without the font, fall back to plotters' own text.
            return self.inner.draw_text(text, style, pos);
        };
        // Where the SVG puts the text relative to its anchor: text-anchor start /
        // middle / end, and dy 0.76em (top), 0.5ex (centre) or -0.5ex (bottom), taking
        // 1 ex as half an em.
        let em = em(style.size());
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let baseline = match anchor.v_pos {
            VPos::Top => 0.76 * em,
            VPos::Center => 0.25 * em,
            VPos::Bottom => -0.25 * em,
        };
        let transform = style.transform();
        let (w, h) = self.get_size();
        for (id, x) in glyphs {
            let glyph = id.with_scale_and_position(scale, point(dx + x, baseline));
            let Some(outlined) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outlined.px_bounds();
            let mut pixels = Vec::new();
            outlined.draw(|gx, gy, coverage| {
                let x = bounds.min.x as i32 + gx as i32;
                let y = bounds.min.y as i32 + gy as i32;
                pixels.push((x, y, coverage));
            });
            for (x, y, coverage) in pixels {
                let (x, y) = transform.transform(x, y);
                let (x, y) = (pos.0 + x, pos.1 + y);
                if coverage > 0.0 && x >= 0 && y >= 0 && x < w as i32 && y < h as i32 {
                    let alpha = color.alpha * f64::from(coverage.min(1.0));
                    self.inner.draw_pixel((x, y), BackendColor { alpha, rgb: color.rgb })?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_is_embedded_and_lays_out_text() {
        let narrow = text_width("il", 20.0, false).unwrap();
        let wide = text_width("WM", 20.0, false).unwrap();
        assert!(narrow > 0.0 && wide > 2.0 * narrow, "{narrow} {wide}");
        assert!(text_width("WM", 20.0, true).unwrap() > wide);
        assert_eq!(text_width("", 20.0, false), Some(0.0));
    }
}
