//! A map's base outlines: a GeoJSON file (a FeatureCollection, a Feature or a bare Geometry)
//! parsed with the `geojson` crate into plain rings of `[longitude, latitude]`. Polygons and
//! multipolygons become filled shapes, line strings open lines; points and empty geometries are
//! left out (places come from the documentary, not from the outlines). A file that is not JSON,
//! not GeoJSON or holds no outline is one located error. Drawing the rings is `svg`'s.

use std::sync::Arc;

use geojson::{GeoJson, Geometry, GeometryValue, Position};

use crate::diagnostics::{Diagnostic, SourceFile};

/// The shapes of one outlines file, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outlines {
    pub shapes: Vec<Shape>,
}

/// One feature's geometry: its rings (outer rings and holes alike, drawn with the even-odd
/// rule) or lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The feature's `name` property, if it has one (kept as `data-name` in the drawing).
    pub name: Option<String>,
    /// Each ring or line as `[longitude, latitude]` positions.
    pub parts: Vec<Vec<[f64; 2]>>,
    /// Filled (polygons) or stroked only (lines).
    pub closed: bool,
}

const HELP: &str = "the outlines are a GeoJSON FeatureCollection of Polygon or MultiPolygon \
                    features with [longitude, latitude] positions (the README shows how to make \
                    them from Natural Earth)";

impl Outlines {
    /// Parse an outlines file's text. Invalid JSON or GeoJSON is an error at its line and
    /// column; a file with no outline at all is an error about the file.
    pub fn parse(file: &Arc<SourceFile>) -> Result<Outlines, Diagnostic> {
        let geojson: GeoJson = file.text.parse().map_err(|e| error(file, e))?;
        let mut shapes = Vec::new();
        match geojson {
            GeoJson::FeatureCollection(fc) => {
                for f in fc.features {
                    let name = f
                        .properties
                        .as_ref()
                        .and_then(|p| p.get("name"))
                        .and_then(|n| n.as_str())
                        .map(str::to_string);
                    if let Some(g) = f.geometry {
                        collect(&g, name, &mut shapes);
                    }
                }
            }
            GeoJson::Feature(f) => {
                if let Some(g) = f.geometry {
                    collect(&g, None, &mut shapes);
                }
            }
            GeoJson::Geometry(g) => collect(&g, None, &mut shapes),
        }
        if let Some(bad) = shapes
            .iter()
            .flat_map(|s| &s.parts)
            .flatten()
            .find(|p| !(-180.0..=180.0).contains(&p[0]) || !(-90.0..=90.0).contains(&p[1]))
        {
            return Err(Diagnostic::in_file(
                &file.path,
                format!(
                    "the position [{}, {}] is not a [longitude, latitude] on the globe",
                    bad[0], bad[1]
                ),
            )
            .with_help("GeoJSON writes longitude first (-180 to 180), then latitude (-90 to 90)"));
        }
        if shapes.is_empty() {
            return Err(Diagnostic::in_file(
                &file.path,
                "the outlines file holds no polygon or line",
            )
            .with_help(HELP));
        }
        Ok(Outlines { shapes })
    }
}

/// A `geojson` error as a diagnostic: a JSON or GeoJSON syntax error at its line and column.
fn error(file: &Arc<SourceFile>, e: geojson::Error) -> Diagnostic {
    let what = match &e {
        geojson::Error::MalformedGeoJson(json) if json.line() > 0 => {
            let at = offset(file, json.line(), json.column());
            let msg = json.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            return Diagnostic::error(file.span(at..at), format!("invalid GeoJSON: {msg}"))
                .with_help(HELP);
        }
        other => other.to_string(),
    };
    Diagnostic::in_file(&file.path, format!("invalid GeoJSON: {what}")).with_help(HELP)
}

/// The byte offset of serde_json's 1-based line and column (a column counts bytes, and points
/// just past the offending character: the offset points at it).
fn offset(file: &SourceFile, line: usize, column: usize) -> usize {
    let start: usize = file
        .text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut at = (start + column.saturating_sub(1)).min(file.text.len());
    while !file.text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn collect(g: &Geometry, name: Option<String>, out: &mut Vec<Shape>) {
    let ring = |r: &Vec<Position>| -> Vec<[f64; 2]> { r.iter().map(|p| [p[0], p[1]]).collect() };
    let (parts, closed): (Vec<Vec<[f64; 2]>>, bool) = match &g.value {
        GeometryValue::Polygon { coordinates } => (coordinates.iter().map(ring).collect(), true),
        GeometryValue::MultiPolygon { coordinates } => {
            (coordinates.iter().flatten().map(ring).collect(), true)
        }
        GeometryValue::LineString { coordinates } => (vec![ring(coordinates)], false),
        GeometryValue::MultiLineString { coordinates } => {
            (coordinates.iter().map(ring).collect(), false)
        }
        GeometryValue::GeometryCollection { geometries } => {
            for g in geometries {
                collect(g, name.clone(), out);
            }
            return;
        }
        GeometryValue::Point { .. } | GeometryValue::MultiPoint { .. } => return,
    };
    let parts: Vec<Vec<[f64; 2]>> = parts.into_iter().filter(|p| p.len() >= 2).collect();
    if !parts.is_empty() {
        out.push(Shape {
            name,
            parts,
            closed,
        });
    }
}
