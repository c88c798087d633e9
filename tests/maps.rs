//! The maps on the world's pages (tests/fixtures/world with two `[[map]]` tables and the
//! documentary's outlines): the places index draws every map that holds a place, each with its
//! caption and the list of its places; a place page has a locator map, the smallest that holds
//! it, with the place highlighted; a place outside every map has none; links work from each
//! page's depth; the site ships map.css; and two builds write the same bytes.

mod common;

use common::*;

const MAPS: &str = r#"
[[map]]
id = "world"
title = "From Washington to the Gulf"
outlines = "content/maps/world.geojson"
bounds = [[14.0, -92.0], [60.0, 60.0]]
caption = "World outlines: Natural Earth. Borders are drawn as the data draws them."

[[map]]
id = "region"
title = "Israel, the West Bank, Gaza and Jordan"
outlines = "content/maps/region.geojson"
bounds = [[29.4, 33.9], [33.5, 36.2]]
caption = "Region outlines: Natural Earth. Borders are drawn as the data draws them."
"#;

fn world_with_maps() -> Fixture {
    let f = Fixture::new("world");
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = std::fs::read_to_string(f.root().join("site.toml")).unwrap();
    f.write("site.toml", format!("{site}{MAPS}"));
    for m in ["world", "region"] {
        let rel = format!("content/maps/{m}.geojson");
        f.write(&rel, std::fs::read(repo.join(&rel)).unwrap());
    }
    f.write(
        "content/places/rome.toml",
        "name = \"Rome\"\nkind = \"city\"\ncoordinates = [41.903, 12.496]\n",
    );
    f.write(
        "content/places/sydney.toml",
        "name = \"Sydney\"\nkind = \"city\"\ncoordinates = [-33.87, 151.21]\n",
    );
    f
}

#[test]
fn the_places_index_draws_each_map_with_its_places_listed() {
    let f = world_with_maps();
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let doc = f.page("places/index.html");
    let maps: Vec<String> = doc
        .select(&sel("figure.map svg.map-svg"))
        .map(|s| s.value().attr("id").unwrap().to_string())
        .collect();
    assert_eq!(maps, ["map-world", "map-region"]);
    let captions = texts(&doc, "figure.map figcaption");
    assert!(
        captions[1]
            .contains("Region outlines: Natural Earth. Borders are drawn as the data draws them."),
        "{captions:?}"
    );
    // The lists beside the maps: the world map holds every place but Sydney; the region three.
    // Israel, a country, is an area: listed apart from the points, after them.
    let lists: Vec<Vec<(String, String)>> = doc
        .select(&sel("ul.map-places"))
        .map(|ul| {
            ul.select(&sel("a"))
                .map(|a| {
                    (
                        a.text().collect(),
                        a.value().attr("href").unwrap().to_string(),
                    )
                })
                .collect()
        })
        .collect();
    let names = |l: &Vec<(String, String)>| l.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&lists[0]), ["Jerusalem", "Ramallah", "Rome"]);
    assert_eq!(names(&lists[1]), ["Israel"]);
    assert_eq!(names(&lists[2]), ["Jerusalem", "Ramallah"]);
    assert_eq!(names(&lists[3]), ["Israel"]);
    assert!(lists[2].contains(&("Jerusalem".into(), "../places/jerusalem/".into())));
    assert_eq!(
        texts(&doc, "ul.map-areas li"),
        ["Areas:", "Israel (2 events)", "Areas:", "Israel (2 events)"]
    );
    // Each mark links to the place's page, from the index's depth; the area has no mark.
    let marks = links(&doc, "#map-region a.map-point");
    assert_eq!(marks.len(), 2);
    assert!(
        marks.iter().all(|(href, _)| href.starts_with("../places/")),
        "{marks:?}"
    );
    assert!(doc.html().contains("href=\"../map.css\""));
    assert!(f.tree().contains_key("map.css"));
}

#[test]
fn a_place_page_has_the_smallest_map_that_holds_it() {
    let f = world_with_maps();
    assert!(f.build().ok());
    let jer = f.page("places/jerusalem/index.html");
    let svg = jer
        .select(&sel("figure.map-locator svg"))
        .next()
        .expect("a locator map");
    assert_eq!(svg.value().attr("id"), Some("map-region-here"));
    let here: Vec<(String, String)> = links(&jer, "figure.map-locator a[aria-current=page]");
    assert_eq!(here.len(), 1);
    assert_eq!(here[0].0, "../../places/jerusalem/");
    let rome = f.page("places/rome/index.html");
    let svg = rome
        .select(&sel("figure.map-locator svg"))
        .next()
        .expect("a locator map");
    assert_eq!(svg.value().attr("id"), Some("map-world-here"));
    let sydney = f.page("places/sydney/index.html");
    assert!(
        sydney.select(&sel("figure.map-locator")).next().is_none(),
        "no map holds Sydney"
    );
    assert!(!sydney.html().contains("map.css"));
    // Organizations have no coordinates and no map.
    let plo = f.page("organizations/plo/index.html");
    assert!(plo.select(&sel("svg.map-svg")).next().is_none());
}

#[test]
fn an_area_is_named_without_a_mark_and_highlighted_on_its_own_page() {
    let f = world_with_maps();
    assert!(f.build().ok());
    let doc = f.page("places/index.html");
    let area: Vec<_> = doc.select(&sel("#map-region a.map-area")).collect();
    assert_eq!(area.len(), 1);
    assert_eq!(area[0].value().attr("href"), Some("../places/israel/"));
    assert_eq!(
        area[0].value().attr("aria-label"),
        Some("Israel (country): 2 events")
    );
    assert!(area[0].select(&sel("circle")).next().is_none(), "no mark");
    let name: Vec<String> = area[0]
        .select(&sel("text.map-area-label"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(name, ["Israel"], "its name is on the map");
    // Its page's locator map is the smallest that holds its coordinates, the name highlighted.
    let israel = f.page("places/israel/index.html");
    let here = links(&israel, "figure.map-locator a.map-area[aria-current=page]");
    assert_eq!(here.len(), 1, "{here:?}");
    assert_eq!(here[0].0, "../../places/israel/");
}

#[test]
fn a_map_says_which_kinds_are_areas() {
    // `area_kinds = []` on the region: Israel is a point there again, an area on the world map.
    let f = world_with_maps();
    let site = std::fs::read_to_string(f.root().join("site.toml")).unwrap();
    let site = site.replace(
        "bounds = [[29.4, 33.9], [33.5, 36.2]]",
        "bounds = [[29.4, 33.9], [33.5, 36.2]]\narea_kinds = []",
    );
    f.write("site.toml", site);
    assert!(f.build().ok());
    let doc = f.page("places/index.html");
    assert_eq!(links(&doc, "#map-region a.map-point").len(), 3);
    assert!(doc.select(&sel("#map-region a.map-area")).next().is_none());
    // (The world map lists it among its areas, named on the drawing or not.)
    assert_eq!(
        texts(&doc, "ul.map-areas a"),
        ["Israel"],
        "one list of areas: the world map's"
    );
}

#[test]
fn bad_area_kinds_are_located_errors() {
    let f = world_with_maps();
    let site = std::fs::read_to_string(f.root().join("site.toml")).unwrap();
    let site = site.replace(
        "bounds = [[29.4, 33.9], [33.5, 36.2]]",
        "bounds = [[29.4, 33.9], [33.5, 36.2]]\narea_kinds = [\"country\", \"\", \"COUNTRY\"]",
    );
    f.write("site.toml", site);
    let r = f.build();
    assert!(!r.ok());
    // Both, at the kind, and the map left out: no other error follows from them.
    assert_eq!(r.diagnostics.errors(), 2, "{}", messages(&r));
    let text = messages(&r);
    for want in [
        "site.toml:20:26: error: an empty area kind",
        "site.toml:20:30: error: the area kind \"COUNTRY\" is listed twice",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
}

#[test]
fn two_builds_draw_the_same_maps() {
    let (a, b) = (world_with_maps(), world_with_maps());
    assert!(a.build().ok() && b.build().ok());
    for page in [
        "places/index.html",
        "places/jerusalem/index.html",
        "places/rome/index.html",
    ] {
        assert_eq!(a.tree()[page], b.tree()[page], "{page}");
    }
}
