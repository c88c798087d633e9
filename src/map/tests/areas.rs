//! Areas on a map (a country, a region: the map's `area_kinds`): named without a mark, never
//! sized by their events, placed after the points' names and clear of them, listed when their
//! name has no room, highlighted on their own locator map.

use proptest::prelude::*;

use super::super::labels::{self, Mark, Rect};
use super::super::*;
use super::{REGION, assert_apart, attrs, five, outlines, region};

/// The five places and Israel, a country: an area.
fn with_an_area(events: usize) -> Vec<MapPoint<'static>> {
    let mut pts = five();
    pts.push(MapPoint {
        id: "israel",
        name: "Israel",
        url: "places/israel/",
        lat: 31.0,
        lon: 34.85,
        events,
        kind: "Country",
    });
    pts
}

/// Each `<a class="map-point` element of a drawing, whole.
fn point_links(svg: &str) -> Vec<&str> {
    svg.match_indices("<a class=\"map-point")
        .map(|(i, _)| &svg[i..i + svg[i..].find("</a>").unwrap()])
        .collect()
}

#[test]
fn an_area_is_named_without_a_mark_and_never_sized_by_its_events() {
    let pts = with_an_area(50);
    let d = draw(&region(), &outlines(REGION), &pts, "");
    assert_eq!(d.shown, [0, 1, 2, 3, 4], "the area is not a point");
    assert_eq!((d.areas.as_slice(), d.unnamed_areas.len()), (&[5][..], 0));
    assert_eq!(attrs(&d.svg, "cx").len(), 5, "five marks, none for Israel");
    let k = d.svg.find("data-id=\"israel\"").unwrap();
    let a = &d.svg[d.svg[..k].rfind("<a ").unwrap()..];
    let a = &a[..a.find("</a>").unwrap()];
    assert!(
        a.starts_with("<a class=\"map-area\" href=\"places/israel/\""),
        "{a}"
    );
    assert!(
        a.contains("aria-label=\"Israel (Country): 50 events\""),
        "{a}"
    );
    assert!(a.contains("<text class=\"map-area-label\"") && a.contains(">Israel</text>"));
    assert!(!a.contains("<circle"));
    // Drawn under the points, and its 50 events change nothing of theirs: not their size, not
    // where their names go.
    assert!(
        d.svg.find("class=\"map-areas\"").unwrap() < d.svg.find("class=\"map-points\"").unwrap()
    );
    let without = draw(&region(), &outlines(REGION), &five(), "");
    assert_eq!(point_links(&d.svg), point_links(&without.svg));
    assert_eq!(
        draw(&region(), &outlines(REGION), &with_an_area(0), "").shown,
        d.shown
    );
}

#[test]
fn a_map_without_area_kinds_draws_every_place_as_a_point() {
    let mut spec = region();
    spec.area_kinds.clear();
    let d = draw(&spec, &outlines(REGION), &with_an_area(3), "");
    assert_eq!((d.shown.len(), d.areas.len()), (6, 0));
    assert!(d.svg.contains("aria-label=\"Israel: 3 events\""));
    assert!(!d.svg.contains("map-area"));
}

#[test]
fn an_areas_name_with_no_room_is_left_off_the_drawing_but_listed() {
    // An area where the Jerusalem cluster leaves its name no room.
    let mut pts = with_an_area(1);
    pts[5].lat = 31.86;
    pts[5].lon = 35.3;
    pts[5].name = "A region with a very long name indeed";
    let d = draw(&region(), &outlines(REGION), &pts, "");
    assert_eq!(
        (d.areas.as_slice(), d.unnamed_areas.as_slice()),
        (&[5][..], &[5][..])
    );
    assert!(!d.svg.contains("israel"));
}

#[test]
fn a_locator_map_of_an_area_names_it_first_and_highlights_it() {
    let pts = with_an_area(2);
    let d = locator(&region(), &outlines(REGION), &pts, "../../", "israel");
    let k = d.svg.find("aria-current=\"page\"").unwrap();
    let a = d.svg[..k].rfind("<a ").unwrap();
    assert!(
        d.svg[a..k].starts_with("<a class=\"map-area map-here\" href=\"../../places/israel/\"")
    );
    assert_eq!(d.svg.matches("aria-current").count(), 1);
    assert_eq!(d.shown, [0, 1, 2, 3, 4], "with the points around it");
}

proptest! {
    #[test]
    fn areas_names_keep_clear_of_marks_and_names(
        pts in prop::collection::vec((0.0f64..400.0, 0.0f64..300.0, 1usize..20), 1..30),
        areas in prop::collection::vec((0.0f64..400.0, 0.0f64..300.0, 1usize..20), 1..15),
    ) {
        let marks: Vec<Mark> = pts.iter().map(|&(x, y, _)| Mark { x, y, r: 4.0 }).collect();
        let frame = Rect { x0: 1.0, y0: 1.0, x1: 399.0, y1: 299.0 };
        let mut placer = labels::Placer::new(&marks, frame);
        let mut placed: Vec<Option<labels::Label>> = (0..marks.len())
            .map(|i| placer.point(i, pts[i].2 as f64 * 6.0, FONT * 1.25))
            .collect();
        placed.extend(areas.iter().map(|&(x, y, len)| placer.area(x, y, len as f64 * 8.0, AREA_FONT * 1.25)));
        assert_apart(&marks, &placed, frame);
    }
}
