//! The places of `map-places.tsv` (fixed coordinates, general knowledge; made-up event counts)
//! as map points: one reading shared by the map module's unit tests (`src/map/tests.rs`) and
//! the demo page (`tests/map_demo.rs`), which each bring `MapPoint` into scope.

use super::MapPoint;

pub fn places() -> Vec<MapPoint<'static>> {
    include_str!("map-places.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&'static str> = l.split('\t').collect();
            MapPoint {
                id: f[0],
                name: f[1],
                url: f[2],
                kind: f[3],
                lat: f[4].parse().unwrap(),
                lon: f[5].parse().unwrap(),
                events: f[6].parse().unwrap(),
            }
        })
        .collect()
}
