//! The maps of a site, drawn at build time as inline SVG: no tile server, no request, no script.
//! This module owns the drawing of one map from plain data: its [`MapSpec`] (from site.toml),
//! its base [`Outlines`] (parsed here from GeoJSON; `load` reads the file) and the places to
//! mark ([`MapPoint`]s, which the caller makes from its entities). [`draw`] is a pure function
//! of them; it keeps nothing between calls. Which places go on which page, the list of places
//! beside the drawing (its text equivalent) and the page around it belong to `render`.
//!
//! A place whose kind is an area on the map (a country, a region: [`MapSpec::is_area`]) is not
//! a point: it is drawn as its name in lighter type, centred on its coordinates, with no mark,
//! never sized by its events, and only where its name has room after the points' names.
//!
//! `project` turns degrees into units, `labels` places names without overlap, `svg` writes the
//! markup; `outlines` reads the GeoJSON.

mod labels;
mod outlines;
mod project;
mod svg;

#[cfg(test)]
mod tests;

use std::sync::Arc;

pub use crate::config::{Bounds, MapSpec};
pub use outlines::{Outlines, Shape};
pub use project::WIDTH;

/// A map of the site: its settings, its outlines, and the outlines drawn (once, for every
/// page that shows the map).
#[derive(Debug, Clone)]
pub struct Map {
    pub spec: MapSpec,
    pub outlines: Arc<Outlines>,
    /// The outlines as SVG markup, projected for `spec`'s bounds.
    land: Arc<str>,
}

impl Map {
    pub fn new(spec: MapSpec, outlines: Arc<Outlines>) -> Map {
        let land = svg::land(&spec, &outlines).into();
        Map {
            spec,
            outlines,
            land,
        }
    }

    /// [`draw`] this map (its outlines already drawn).
    pub fn draw(&self, points: &[MapPoint], root: &str) -> Drawn {
        svg::draw(&self.spec, &self.land, points, root, None)
    }

    /// [`locator`] on this map.
    pub fn locator(&self, points: &[MapPoint], root: &str, here: &str) -> Drawn {
        svg::draw(&self.spec, &self.land, points, root, Some(here))
    }
}

/// A place to mark on a map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapPoint<'a> {
    /// Its id (written as `data-id`, and how [`locator`] names the place it highlights).
    pub id: &'a str,
    pub name: &'a str,
    /// Its page, relative to the site root (`places/jerusalem/`).
    pub url: &'a str,
    /// Decimal degrees, WGS 84.
    pub lat: f64,
    pub lon: f64,
    /// How many events happened there: the mark's area grows with it.
    pub events: usize,
    /// Its kind as written (`city`, `country`): the map's `area_kinds` say which are areas.
    pub kind: &'a str,
}

/// A map, drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    /// The `<svg>` element.
    pub svg: String,
    /// The points drawn (inside the bounds, within [`MAX_POINTS`]), as indices into the points
    /// given, in the order given: the page lists these beside the map.
    pub shown: Vec<usize>,
    /// The points drawn without a name beside them (no free position): their name is in the
    /// mark's tooltip and in the list.
    pub unlabelled: Vec<usize>,
    /// Points inside the bounds left out beyond [`MAX_POINTS`].
    pub left_out: usize,
    /// The areas inside the bounds (at most [`MAX_AREAS`], or a locator's place and
    /// [`LOCATOR_AREAS`] others), as indices into the points given, in the order given: the
    /// page lists these as the map's areas, named on the drawing or not.
    pub areas: Vec<usize>,
    /// Those of `areas` whose name had no room: they are not on the drawing.
    pub unnamed_areas: Vec<usize>,
}

/// At most this many points are drawn on one map (the most eventful first).
pub const MAX_POINTS: usize = 300;
/// A locator map draws its place and at most this many others (the most eventful), for context.
pub const LOCATOR_POINTS: usize = 12;
/// At most this many points get a name beside their mark.
pub const MAX_LABELS: usize = 60;
/// The size of a label in units (the stylesheet may draw them smaller on wide screens).
pub const FONT: f64 = 13.0;
/// The size of an area's name in units (in capitals, spaced by [`AREA_SPACING`] em).
pub const AREA_FONT: f64 = 11.0;
pub const AREA_SPACING: f64 = 0.1;
/// At most this many areas are considered on one map (the most eventful first).
pub const MAX_AREAS: usize = 60;
/// A locator map names at most this many areas besides its place.
pub const LOCATOR_AREAS: usize = 6;

/// Draw `spec`'s map with its `outlines` and the `points` inside its bounds, as seen from a page
/// whose path to the site root is `root` (`../../`, or empty at the root).
pub fn draw(spec: &MapSpec, outlines: &Outlines, points: &[MapPoint], root: &str) -> Drawn {
    svg::draw(spec, &svg::land(spec, outlines), points, root, None)
}

/// A locator map: [`draw`], with the point whose id is `here` highlighted (drawn on top, its
/// name first to be placed, marked `aria-current="page"`) and at most [`LOCATOR_POINTS`] others.
pub fn locator(
    spec: &MapSpec,
    outlines: &Outlines,
    points: &[MapPoint],
    root: &str,
    here: &str,
) -> Drawn {
    svg::draw(spec, &svg::land(spec, outlines), points, root, Some(here))
}

/// The first map whose bounds hold a point (for a place page's locator map), preferring the
/// smallest such map.
pub fn holding(maps: &[Map], lat: f64, lon: f64) -> Option<&Map> {
    maps.iter()
        .filter(|m| m.spec.bounds.contains(lat, lon))
        .min_by(|a, b| area(&a.spec.bounds).total_cmp(&area(&b.spec.bounds)))
}

fn area(b: &Bounds) -> f64 {
    (b.north - b.south) * (b.east - b.west)
}
