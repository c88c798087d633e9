//! The map as readers rely on it: points where they belong, names that never overlap, links
//! and names for every point, the same bytes for the same input, nothing outside the bounds,
//! colours from the stylesheet; and the outlines' errors at their line and column.

use std::sync::Arc;
use std::time::Instant;

use proptest::prelude::*;

use super::labels::{self, Mark, Rect};
use super::*;
use crate::diagnostics::SourceFile;

mod areas;

const REGION: &str = include_str!("../../content/maps/region.geojson");
const WORLD: &str = include_str!("../../content/maps/world.geojson");

fn spec(id: &str, b: [[f64; 2]; 2]) -> MapSpec {
    MapSpec {
        id: id.into(),
        title: "Israel, the West Bank, Gaza and Jordan".into(),
        outlines: format!("content/maps/{id}.geojson"),
        bounds: Bounds {
            south: b[0][0],
            west: b[0][1],
            north: b[1][0],
            east: b[1][1],
        },
        caption: "Outlines: Natural Earth.".into(),
        area_kinds: MapSpec::DEFAULT_AREA_KINDS
            .iter()
            .map(|k| k.to_string())
            .collect(),
    }
}

fn region() -> MapSpec {
    spec("region", [[29.4, 33.9], [33.5, 36.2]])
}

fn outlines(text: &str) -> Outlines {
    Outlines::parse(&SourceFile::new("content/maps/x.geojson", text)).unwrap()
}

/// The places of `tests/data/map-places.tsv` (tests/map_demo.rs draws the same).
#[path = "../../tests/data/map_places.rs"]
mod fixture;
use fixture::places as fixture_places;

fn five() -> Vec<MapPoint<'static>> {
    fixture_places().into_iter().take(5).collect()
}

/// The numbers of attribute `name` in each element that has it, in order.
fn attrs(svg: &str, name: &str) -> Vec<String> {
    let key = format!(" {name}=\"");
    svg.match_indices(&key)
        .map(|(i, _)| {
            let rest = &svg[i + key.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

fn viewbox(svg: &str) -> (f64, f64) {
    let vb = &attrs(svg, "viewBox")[0];
    let v: Vec<f64> = vb.split(' ').map(|x| x.parse().unwrap()).collect();
    (v[2], v[3])
}

#[test]
fn points_inside_the_bounds_land_inside_the_drawing_where_they_are() {
    let pts = five();
    let d = draw(&region(), &outlines(REGION), &pts, "../");
    let (w, h) = viewbox(&d.svg);
    assert_eq!(w, WIDTH);
    let cx: Vec<f64> = attrs(&d.svg, "cx")
        .iter()
        .map(|v| v.parse().unwrap())
        .collect();
    let cy: Vec<f64> = attrs(&d.svg, "cy")
        .iter()
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(cx.len(), 5);
    assert!(cx.iter().all(|x| (0.0..=w).contains(x)) && cy.iter().all(|y| (0.0..=h).contains(y)));
    let at = |id: &str| {
        let k = attrs(&d.svg, "data-id")
            .iter()
            .position(|x| x == id)
            .unwrap();
        (cx[k], cy[k])
    };
    let (jer, ram, amm, gaza) = (at("jerusalem"), at("ramallah"), at("amman"), at("gaza"));
    assert!(
        gaza.0 < jer.0 && jer.0 < amm.0,
        "west to east: Gaza, Jerusalem, Amman"
    );
    assert!(
        ram.1 < jer.1 && jer.1 < gaza.0.max(gaza.1),
        "Ramallah is north of Jerusalem"
    );
    assert_eq!(d.shown, [0, 1, 2, 3, 4]);
}

#[test]
fn points_outside_the_bounds_are_not_drawn() {
    let mut pts = five();
    pts.push(MapPoint {
        id: "davos",
        name: "Davos",
        url: "places/davos/",
        lat: 46.8,
        lon: 9.84,
        events: 4,
        kind: "city",
    });
    pts.push(MapPoint {
        id: "nowhere",
        name: "Nowhere",
        url: "x/",
        lat: f64::NAN,
        lon: 35.0,
        events: 1,
        kind: "",
    });
    let d = draw(&region(), &outlines(REGION), &pts, "");
    assert!(!d.svg.contains("Davos") && !d.svg.contains("Nowhere"));
    assert_eq!(d.shown, [0, 1, 2, 3, 4]);
    let world = spec("world", [[14.0, -92.0], [60.0, 60.0]]);
    let d = draw(&world, &outlines(WORLD), &pts, "");
    assert!(d.svg.contains("places/davos/"), "Davos is on the world map");
}

#[test]
fn every_point_is_a_link_to_its_page_with_its_name() {
    let pts = five();
    let d = draw(&region(), &outlines(REGION), &pts, "../../");
    assert!(
        d.svg
            .starts_with("<svg class=\"map-svg map-tall\" id=\"map-region\"")
    );
    assert!(
        d.svg
            .contains("role=\"group\" aria-labelledby=\"map-region-title\"")
    );
    assert!(
        d.svg.contains(
            "<title id=\"map-region-title\">Israel, the West Bank, Gaza and Jordan</title>"
        )
    );
    for p in &pts {
        assert!(
            d.svg.contains(&format!("href=\"../../{}\"", p.url)),
            "{}",
            p.name
        );
        assert!(
            d.svg.contains(&format!("aria-label=\"{}: ", p.name)),
            "{}",
            p.name
        );
    }
    assert!(d.svg.contains("aria-label=\"Jericho: 1 event\""));
    assert!(d.svg.contains("aria-label=\"Jerusalem: 9 events\""));
    // The five have room: each name is written beside its mark.
    assert!(d.unlabelled.is_empty(), "{:?}", d.unlabelled);
    assert_eq!(attrs(&d.svg, "text-anchor").len(), 5);
    // The outlines are decoration: hidden from assistive technology.
    assert!(d.svg.contains("<g class=\"map-land\" aria-hidden=\"true\""));
    assert!(d.svg.contains("data-name=\"Jordan\""));
}

#[test]
fn the_same_input_draws_the_same_bytes_whatever_the_order() {
    let pts = five();
    let o = outlines(REGION);
    let a = draw(&region(), &o, &pts, "");
    assert_eq!(a, draw(&region(), &o, &pts, ""));
    let mut reversed = pts.clone();
    reversed.reverse();
    let b = draw(&region(), &o, &reversed, "");
    assert_eq!(a.svg, b.svg);
    assert_eq!(b.shown, [0, 1, 2, 3, 4]);
    // Numbers have at most one decimal.
    for v in attrs(&a.svg, "cx").iter().chain(&attrs(&a.svg, "x")) {
        assert!(v.split('.').nth(1).is_none_or(|d| d.len() == 1), "{v}");
    }
}

#[test]
fn colours_come_from_the_stylesheet_so_dark_mode_works() {
    let d = draw(&region(), &outlines(REGION), &five(), "");
    for bad in ["#", "rgb(", "hsl(", "style="] {
        assert!(
            !d.svg.contains(bad),
            "the drawing has a fixed colour or inline style: {bad}"
        );
    }
    for class in [
        "map-sea",
        "map-land",
        "map-shape",
        "map-point",
        "map-mark",
        "map-label",
    ] {
        assert!(d.svg.contains(class), "{class}");
    }
    // Every colour the stylesheet gives a map part (outside print) is a variable of
    // style.css, which switches with prefers-color-scheme, or follows the text colour.
    let css = include_str!("../../static/map.css");
    let screen = &css[..css.find("@media print").unwrap()];
    let style = include_str!("../../static/style.css");
    let dark = &style[style.find("prefers-color-scheme: dark").unwrap()..];
    for decl in screen.split([';', '{', '}']) {
        let Some((prop, value)) = decl.split_once(':') else {
            continue;
        };
        if !["fill", "stroke", "color"].contains(&prop.trim()) {
            continue;
        }
        let value = value.trim();
        assert!(
            value.starts_with("var(--") || value == "currentColor" || value == "none",
            "{decl}"
        );
        if let Some(var) = value
            .strip_prefix("var(")
            .and_then(|v| v.split([',', ')']).next())
        {
            assert!(dark.contains(&format!("{var}:")), "{var} has no dark value");
        }
    }
}

#[test]
fn a_locator_map_highlights_its_place() {
    let pts = five();
    let d = locator(&region(), &outlines(REGION), &pts, "../../", "jericho");
    // Its ids are not the map's: a page may show both.
    assert!(
        d.svg.contains(" id=\"map-region-here\"")
            && d.svg.contains("aria-labelledby=\"map-region-here-title\"")
    );
    let k = d.svg.find("aria-current=\"page\"").unwrap();
    let a = d.svg[..k].rfind("<a ").unwrap();
    assert!(
        d.svg[a..k].contains("class=\"map-point map-here\"") && d.svg[a..k].contains("jericho")
    );
    assert_eq!(d.svg.matches("aria-current").count(), 1);
    // Drawn last, on top of the others.
    assert!(d.svg.rfind("<a ").unwrap() == a);
    assert!(d.unlabelled.is_empty());
}

#[test]
fn names_are_escaped() {
    let pts = [MapPoint {
        id: "x",
        name: "<b>\"A&B\"</b>",
        url: "places/x/?a=\"1\"",
        lat: 31.0,
        lon: 35.0,
        events: 0,
        kind: "building",
    }];
    let d = draw(&region(), &outlines(REGION), &pts, "");
    assert!(!d.svg.contains("<b>") && d.svg.contains("&lt;b&gt;&quot;A&amp;B&quot;"));
    assert!(d.svg.contains("href=\"places/x/?a=&quot;1&quot;\""));
}

#[test]
fn the_map_holding_a_point_is_the_smallest() {
    let o = Arc::new(outlines(REGION));
    let maps = [
        Map::new(spec("world", [[14.0, -92.0], [60.0, 60.0]]), Arc::clone(&o)),
        Map::new(region(), o),
    ];
    assert_eq!(holding(&maps, 31.778, 35.235).unwrap().spec.id, "region");
    assert_eq!(holding(&maps, 46.8, 9.84).unwrap().spec.id, "world");
    assert!(holding(&maps, -33.9, 151.2).is_none());
}

/// Check a placement: boxes inside the frame, apart from each other and from every mark.
fn assert_apart(marks: &[Mark], placed: &[Option<labels::Label>], frame: Rect) {
    let boxes: Vec<Rect> = placed.iter().flatten().map(|l| l.rect).collect();
    for (i, a) in boxes.iter().enumerate() {
        assert!(a.x0 >= frame.x0 && a.x1 <= frame.x1 && a.y0 >= frame.y0 && a.y1 <= frame.y1);
        for b in &boxes[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
        for m in marks {
            let (nx, ny) = (m.x.clamp(a.x0, a.x1), m.y.clamp(a.y0, a.y1));
            assert!(
                (nx - m.x).hypot(ny - m.y) >= m.r,
                "{a:?} covers the mark {m:?}"
            );
        }
    }
}

#[test]
fn crowded_names_do_not_overlap_and_some_stand_away_or_are_left_out() {
    // Thirty places within a few units of each other.
    let marks: Vec<Mark> = (0..30)
        .map(|k| Mark {
            x: 200.0 + f64::from(k % 6) * 7.0,
            y: 150.0 + f64::from(k / 6) * 7.0,
            r: 3.0,
        })
        .collect();
    let names: Vec<String> = (0..30).map(|k| format!("Place number {k}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let frame = Rect {
        x0: 1.0,
        y0: 1.0,
        x1: 399.0,
        y1: 299.0,
    };
    let order: Vec<usize> = (0..30).collect();
    let placed = labels::place(&marks, &names, &order, frame, FONT, None);
    assert_apart(&marks, &placed, frame);
    let away = placed
        .iter()
        .filter(|l| l.is_some_and(|l| l.leader.is_some()))
        .count();
    let left_out = placed.iter().filter(|l| l.is_none()).count();
    assert!(
        away > 0 && left_out > 0,
        "{away} stand away, {left_out} left out"
    );
    assert!(
        placed[0].is_some_and(|l| l.leader.is_none()),
        "the first is beside its mark"
    );
}

proptest! {
    #[test]
    fn placed_names_never_overlap(pts in prop::collection::vec((0.0f64..400.0, 0.0f64..300.0, 0usize..30, 1usize..20), 1..40)) {
        let marks: Vec<Mark> = pts.iter().map(|&(x, y, e, _)| Mark { x, y, r: 3.0 + (e as f64).sqrt() }).collect();
        let names: Vec<String> = pts.iter().map(|&(_, _, _, len)| "Wm".repeat(len / 2) + &"i".repeat(len % 2)).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let frame = Rect { x0: 1.0, y0: 1.0, x1: 399.0, y1: 299.0 };
        let order: Vec<usize> = (0..marks.len()).collect();
        let placed = labels::place(&marks, &names, &order, frame, FONT, None);
        assert_apart(&marks, &placed, frame);
    }
}

#[test]
fn invalid_geojson_is_an_error_at_its_line_and_column() {
    let bad = "{\"type\": \"FeatureCollection\", \"features\": [\n  {\"type\": \"Feature\", \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[0,0],[1,0],[1,1],[0,0]]]},}\n]}\n";
    let e = Outlines::parse(&SourceFile::new("content/maps/region.geojson", bad)).unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with("content/maps/region.geojson:2:"), "{text}");
    assert!(text.contains("invalid GeoJSON"), "{text}");

    let not_geojson = "{\"type\": \"Topology\", \"objects\": {}}";
    let e = Outlines::parse(&SourceFile::new("m.geojson", not_geojson))
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("m.geojson:1:") && e.contains("invalid GeoJSON"),
        "{e}"
    );

    let points = "{\"type\": \"Point\", \"coordinates\": [35.2, 31.7]}";
    let e = Outlines::parse(&SourceFile::new("m.geojson", points))
        .unwrap_err()
        .to_string();
    assert!(e.contains("holds no polygon or line"), "{e}");

    let swapped =
        "{\"type\": \"LineString\", \"coordinates\": [[31.7, 35.2], [31.9, 135.0], [12, 95]]}";
    let e = Outlines::parse(&SourceFile::new("m.geojson", swapped))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("[31.9, 135] is not a [longitude, latitude]"),
        "{e}"
    );
}

#[test]
fn the_documentary_outlines_parse() {
    let r = outlines(REGION);
    let names: Vec<&str> = r.shapes.iter().filter_map(|s| s.name.as_deref()).collect();
    for n in ["Egypt", "Israel", "Jordan", "Lebanon", "Palestine", "Syria"] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    assert!(outlines(WORLD).shapes.len() > 100);
}

/// The build time of the maps (printed with `--nocapture`, never asserted): the documentary's
/// two maps with its five places, and the world map with 300 places.
#[test]
fn map_build_time() {
    let t = Instant::now();
    let (r, w) = (outlines(REGION), outlines(WORLD));
    let parse = t.elapsed();
    let pts = five();
    let t = Instant::now();
    let a = draw(&region(), &r, &pts, "");
    let region_time = t.elapsed();
    let world = spec("world", [[14.0, -92.0], [60.0, 60.0]]);
    let t = Instant::now();
    let b = draw(&world, &w, &pts, "");
    let world_time = t.elapsed();
    // As pages draw them: the outlines drawn once per build, then each page's points.
    let (rm, wm) = (
        Map::new(region(), Arc::new(r.clone())),
        Map::new(world.clone(), Arc::new(w.clone())),
    );
    let t = Instant::now();
    for p in &pts {
        rm.locator(&pts, "../../", p.id);
        wm.locator(&pts, "../../", p.id);
    }
    let locators = t.elapsed() / (2 * pts.len() as u32);
    let names: Vec<String> = (0..400).map(|k| format!("Place {k}")).collect();
    let many: Vec<MapPoint> = (0..400)
        .map(|k| MapPoint {
            id: &names[k],
            name: &names[k],
            url: "p/",
            lat: 15.0 + (k * 37 % 450) as f64 / 10.0,
            lon: -90.0 + (k * 53 % 1500) as f64 / 10.0,
            events: k % 7,
            kind: "city",
        })
        .collect();
    let t = Instant::now();
    let c = draw(&world, &w, &many, "");
    let crowded = t.elapsed();
    eprintln!(
        "map build time: parse both outlines {parse:?}; region map {region_time:?} ({} bytes); world map {world_time:?} ({} bytes); a locator map, outlines drawn {locators:?}; world map with 400 places {crowded:?} ({} drawn, {} named, {} bytes)",
        a.svg.len(),
        b.svg.len(),
        c.shown.len(),
        c.shown.len() - c.unlabelled.len(),
        c.svg.len()
    );
    assert_eq!(c.shown.len(), MAX_POINTS);
    assert_eq!(c.left_out, 100);
}

#[test]
fn a_map_draws_what_draw_draws_and_a_locator_stays_small() {
    let m = Map::new(region(), Arc::new(outlines(REGION)));
    let pts = five();
    assert_eq!(
        m.draw(&pts, "../"),
        draw(&region(), &m.outlines, &pts, "../")
    );
    assert_eq!(
        m.locator(&pts, "", "gaza"),
        locator(&region(), &m.outlines, &pts, "", "gaza")
    );
    let names: Vec<String> = (0..40).map(|k| format!("p{k}")).collect();
    let many: Vec<MapPoint> = (0..40)
        .map(|k| MapPoint {
            id: &names[k],
            name: &names[k],
            url: "p/",
            lat: 30.0 + k as f64 * 0.08,
            lon: 35.0,
            events: k,
            kind: "",
        })
        .collect();
    let d = m.locator(&many, "", "p0");
    assert_eq!(d.shown.len(), LOCATOR_POINTS + 1);
    assert!(
        d.shown.contains(&0),
        "the place itself, though it has the fewest events"
    );
    assert_eq!(d.left_out, 40 - LOCATOR_POINTS - 1);
}
