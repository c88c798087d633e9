//! The maps on the world's pages, as views: every map of site.toml on the places index, each with
//! its caption and the list of the places it draws (its text equivalent), and a place's locator
//! map (the smallest map that holds it, the place highlighted). The places become
//! [`MapPoint`]s here; the drawing is `map`'s, and so is which places are areas (drawn as a
//! name, no mark): the list beside a map gives the areas apart, with their events, which size
//! no mark.

use serde::Serialize;

use crate::map::{self, Drawn, Map, MapPoint};
use crate::site::{Entry, Site};

/// A map as a page shows it.
#[derive(Serialize)]
pub(super) struct MapView {
    pub id: String,
    pub title: String,
    pub caption: String,
    /// The `<svg>` element.
    pub svg: String,
    /// The places drawn, in the order of their names: the text equivalent of the drawing.
    pub places: Vec<MapPlace>,
    /// The areas inside the map (countries, regions: a name without a mark, or, with no room
    /// for it, only listed), in the order of their names, with their events.
    pub areas: Vec<MapPlace>,
    /// How many places drawn have no name beside their mark (no room).
    pub unlabelled: usize,
    /// Places inside the bounds left out of the drawing (beyond `map::MAX_POINTS`).
    pub left_out: usize,
}

#[derive(Serialize)]
pub(super) struct MapPlace {
    pub name: String,
    pub url: String,
    pub events: usize,
}

/// Every place with coordinates, as a point (its URL relative to the site root): made once
/// per build, for every page that draws a map.
pub(super) fn points(site: &Site) -> Vec<MapPoint<'_>> {
    site.world
        .places
        .iter()
        .filter_map(|e| {
            let [lat, lon] = e.coordinates?;
            Some(MapPoint {
                id: &e.id,
                name: &e.name,
                url: &e.url,
                lat,
                lon,
                events: e.events.len(),
                kind: &e.category,
            })
        })
        .collect()
}

/// The places of `list` (indices into `points`), linked from `root`, in the order of their names.
fn listed(list: &[usize], points: &[MapPoint], root: &str) -> Vec<MapPlace> {
    let mut places: Vec<MapPlace> = list
        .iter()
        .map(|&i| MapPlace {
            name: points[i].name.to_string(),
            url: format!("{root}{}", points[i].url),
            events: points[i].events,
        })
        .collect();
    places.sort_by_key(|p| p.name.to_lowercase());
    places
}

fn view(m: &Map, drawn: Drawn, points: &[MapPoint], root: &str) -> MapView {
    MapView {
        id: m.spec.id.clone(),
        title: m.spec.title.clone(),
        caption: m.spec.caption.clone(),
        places: listed(&drawn.shown, points, root),
        areas: listed(&drawn.areas, points, root),
        svg: drawn.svg,
        unlabelled: drawn.unlabelled.len(),
        left_out: drawn.left_out,
    }
}

/// Every map that holds at least one place, for the places index (seen from `root`).
pub(super) fn all(site: &Site, points: &[MapPoint], root: &str) -> Vec<MapView> {
    site.maps
        .iter()
        .filter_map(|m| {
            let drawn = m.draw(points, root);
            let any = !drawn.shown.is_empty() || !drawn.areas.is_empty();
            any.then(|| view(m, drawn, points, root))
        })
        .collect()
}

/// A place's locator map: the smallest map that holds it, with it highlighted among the most
/// eventful places around. `None` without coordinates or a map that holds them.
pub(super) fn locator(site: &Site, points: &[MapPoint], e: &Entry, root: &str) -> Option<MapView> {
    let [lat, lon] = e.coordinates?;
    let m = map::holding(&site.maps, lat, lon)?;
    let drawn = m.locator(points, root, &e.id);
    Some(view(m, drawn, points, root))
}
