//! The documentary's two maps (site.toml's `[[map]]` tables and the outlines in content/maps/)
//! drawn with fixed places, without any place entity: the map module on its own, as a page
//! would show it (the drawing in a figure with its caption, the list of places beside it as
//! its text equivalent). The page is written to `$MAP_DEMO_OUT` (else a folder under the
//! target dir) with style.css and map.css beside it, for the browser test
//! `tests/browser/map.test.mjs` (Nu checker, axe, screenshots, labels measured in Chromium).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dossier::diagnostics::Diagnostics;
use dossier::load::maps;
use dossier::map::{self, Map, MapPoint};
use dossier::util::escape::html;
use dossier::util::memo::Memo;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The documentary's maps, loaded as the pipeline loads them.
fn documentary_maps() -> Vec<Map> {
    let mut d = Diagnostics::default();
    let config = dossier::load::site_config(repo(), None, &mut d).expect("site.toml loads");
    let (files, problems) = maps::read(repo(), &config);
    d.extend(problems);
    let memo = Memo::off();
    let parsed = files.iter().map(|f| memo.call(f, maps::parse)).collect();
    let maps = maps::maps(parsed, &mut d);
    assert!(!d.has_errors(), "{d}");
    maps
}

/// Fixed places (coordinates: general knowledge) with made-up event counts: the places of
/// `tests/data/map-places.tsv`, which the map module's unit tests draw too.
#[path = "data/map_places.rs"]
mod fixture;
use fixture::places;

fn figure(m: &Map, drawn: &map::Drawn, points: &[MapPoint], out: &mut String) {
    let _ = write!(
        out,
        "<section class=\"map-section\" aria-labelledby=\"h-{id}\"><h2 id=\"h-{id}\">{title}</h2>\
<figure class=\"map\">{svg}<figcaption>{caption}</figcaption></figure>\
<ul class=\"map-places\" aria-label=\"Places on the map {title}\">",
        id = html(&m.spec.id),
        title = html(&m.spec.title),
        svg = drawn.svg,
        caption = html(&m.spec.caption),
    );
    for &i in &drawn.shown {
        let p = &points[i];
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a> <span class=\"map-count\">({} event{})</span></li>",
            html(p.url),
            html(p.name),
            p.events,
            if p.events == 1 { "" } else { "s" }
        );
    }
    out.push_str("</ul>");
    if !drawn.areas.is_empty() {
        let _ = write!(
            out,
            "<ul class=\"map-places map-areas\" aria-label=\"Areas on the map {}\">",
            html(&m.spec.title)
        );
        for &i in &drawn.areas {
            let _ = write!(
                out,
                "<li><a href=\"{}\">{}</a></li>",
                html(points[i].url),
                html(points[i].name)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
}

fn page(maps: &[Map], points: &[MapPoint]) -> String {
    let mut body = String::new();
    for m in maps {
        let drawn = m.draw(points, "");
        figure(m, &drawn, points, &mut body);
    }
    let here = map::holding(maps, 31.857, 35.444).expect("a map holds Jericho");
    let drawn = here.locator(points, "", "jericho");
    body.push_str("<h2>A locator map: Jericho</h2>");
    body.push_str(&format!(
        "<figure class=\"map map-locator\">{}<figcaption>{}</figcaption></figure>",
        drawn.svg,
        html(&here.spec.caption)
    ));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>Maps: a demonstration</title>\n<meta name=\"color-scheme\" content=\"light dark\">\n\
<link rel=\"stylesheet\" href=\"style.css\">\n<link rel=\"stylesheet\" href=\"map.css\">\n</head>\n\
<body>\n<main id=\"main\" class=\"wrap\" style=\"max-width:48rem;margin:0 auto;padding:0 1.25rem\">\n<h1>Maps: a demonstration</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )
}

fn out_dir() -> PathBuf {
    std::env::var_os("MAP_DEMO_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("map-demo"))
}

#[test]
fn the_documentary_maps_draw_the_places_they_hold() {
    let maps = documentary_maps();
    let ids: Vec<&str> = maps.iter().map(|m| m.spec.id.as_str()).collect();
    assert_eq!(ids, ["world", "region"]);
    let points = places();
    let world = map::draw(&maps[0].spec, &maps[0].outlines, &points, "");
    let region = map::draw(&maps[1].spec, &maps[1].outlines, &points, "");
    assert_eq!(
        region.shown,
        [0, 1, 2, 3, 4],
        "the region holds the five nearby places only"
    );
    assert_eq!(
        world.shown,
        (0..10).collect::<Vec<_>>(),
        "the world map holds every place"
    );
    // Israel, a country, is an area: named without a mark, on both maps, listed apart.
    for d in [&world, &region] {
        assert_eq!(d.areas, [10]);
    }
    assert!(
        region.unnamed_areas.is_empty(),
        "Israel is named on the region"
    );
    assert!(
        region
            .svg
            .contains("<a class=\"map-area\" href=\"places/israel/\"")
    );
    for p in &points[5..10] {
        assert!(
            world.svg.contains(&format!("aria-label=\"{}: ", p.name)),
            "{}",
            p.name
        );
        assert!(
            !world
                .unlabelled
                .contains(&points.iter().position(|q| q.id == p.id).unwrap()),
            "{} is named",
            p.name
        );
    }
    let dir = out_dir();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), page(&maps, &points)).unwrap();
    for css in ["style.css", "map.css"] {
        std::fs::copy(repo().join("static").join(css), dir.join(css)).unwrap();
    }
    eprintln!("map demonstration: {}", dir.join("index.html").display());
}
