//! From degrees to the drawing's units: the equirectangular projection with its standard
//! parallel at the centre latitude of the map's bounds (Snyder, *Map Projections: A Working
//! Manual*, USGS 1987, p. 90: x = R (λ − λ₀) cos φ₁, y = R (φ − φ₀)), y growing downwards as
//! in SVG. Over a region or a continent it keeps shapes close to what readers know, and it is
//! exact to invert. Every drawing is [`WIDTH`] units wide; its height follows from the bounds.
//! Numbers are written with one decimal (tenths of a unit), so output is the same everywhere.

use crate::config::Bounds;

/// The width of every map in SVG units (its `viewBox`): at 320 px a label of
/// [`super::FONT`] units still reads at about 9 px.
pub const WIDTH: f64 = 400.0;

/// The projection of one map's bounds onto a `WIDTH` × `height` drawing.
#[derive(Debug, Clone, Copy)]
pub struct Projection {
    west: f64,
    north: f64,
    /// Units per degree of longitude (R cos φ₁).
    kx: f64,
    /// Units per degree of latitude (R).
    ky: f64,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    pub fn new(b: &crate::config::Bounds) -> Projection {
        let Bounds {
            south,
            west,
            north,
            east,
        } = *b;
        let cos = ((south + north) / 2.0).to_radians().cos().max(0.05);
        let kx = WIDTH / (east - west);
        let ky = kx / cos;
        Projection {
            west,
            north,
            kx,
            ky,
            width: WIDTH,
            height: ((north - south) * ky).round(),
        }
    }

    /// `(x, y)` of a latitude and longitude.
    pub fn at(&self, lat: f64, lon: f64) -> (f64, f64) {
        ((lon - self.west) * self.kx, (self.north - lat) * self.ky)
    }
}

/// A number in tenths of a unit, as the drawing writes it.
pub fn tenths(v: f64) -> i64 {
    (v * 10.0).round() as i64
}

/// Tenths written as a decimal, without a useless `.0` (`123`, `12.5`, `-0.3`).
pub fn write_tenths(out: &mut String, t: i64) {
    use std::fmt::Write as _;
    let sign = if t < 0 { "-" } else { "" };
    let a = t.unsigned_abs();
    let _ = if a.is_multiple_of(10) {
        write!(out, "{sign}{}", a / 10)
    } else {
        write!(out, "{sign}{}.{}", a / 10, a % 10)
    };
}

/// A coordinate of the drawing, rounded to tenths and written.
pub fn n(v: f64) -> String {
    let mut s = String::new();
    write_tenths(&mut s, tenths(v));
    s
}
