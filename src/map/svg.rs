//! The markup of a map: a frame, the outlines as paths, and each point as a link holding its
//! mark, its leader line and its name. Colours are the stylesheet's (`map.css`, with the
//! variables of `style.css`), so light and dark mode come from the page; the few presentation
//! attributes use `currentColor` and stand only where no stylesheet applies. Every text is
//! escaped here; numbers are tenths of a unit. Which points and in what order is decided here
//! too: inside the bounds, the most eventful first, at most [`MAX_POINTS`]; and which are
//! areas (the map's `area_kinds`), written as a link holding only their name.

use std::fmt::Write as _;

use super::labels::{self, Label, Mark, Rect};
use super::project::{Projection, n, tenths, write_tenths};
use super::{
    AREA_FONT, AREA_SPACING, Drawn, FONT, LOCATOR_AREAS, LOCATOR_POINTS, MAX_AREAS, MAX_LABELS,
    MAX_POINTS, MapPoint, MapSpec, Outlines,
};
use crate::util::escape;

/// Outline points closer than this (in units) to the last one kept are dropped.
const MIN_STEP: f64 = 0.6;

/// The outlines, projected for `spec`'s bounds: a group of paths hidden from assistive
/// technology (they are the background; the places are the content).
pub(super) fn land(spec: &MapSpec, outlines: &Outlines) -> String {
    let p = Projection::new(&spec.bounds);
    let mut svg = String::with_capacity(8 * 1024);
    svg.push_str("<g class=\"map-land\" aria-hidden=\"true\" fill=\"none\" stroke=\"currentColor\" stroke-width=\".5\" fill-rule=\"evenodd\">");
    for s in &outlines.shapes {
        outline(&mut svg, &p, s);
    }
    svg.push_str("</g>");
    svg
}

/// The map with `land` (from [`land`]) and the points and areas inside its bounds.
pub(super) fn draw(
    spec: &MapSpec,
    land: &str,
    points: &[MapPoint],
    root: &str,
    here: Option<&str>,
) -> Drawn {
    let p = Projection::new(&spec.bounds);
    let (shown, left_out) = chosen(spec, points, here, Chosen::Points);
    let (areas, _) = chosen(spec, points, here, Chosen::Areas);
    let marks: Vec<Mark> = shown
        .iter()
        .map(|&i| {
            let (x, y) = p.at(points[i].lat, points[i].lon);
            Mark {
                x,
                y,
                r: radius(points[i].events),
            }
        })
        .collect();
    let here_k = here.and_then(|h| shown.iter().position(|&i| points[i].id == h));
    let here_a = here.and_then(|h| areas.iter().position(|&i| points[i].id == h));
    let (placed, named) = place_names(&p, points, (&shown, &marks, here_k), (&areas, here_a));

    // A locator's ids differ from the map's, so a page may hold both.
    let id = escape::html(&spec.id) + if here.is_some() { "-here" } else { "" };
    let mut svg = String::with_capacity(land.len() + 256 * (shown.len() + areas.len()) + 512);
    open(&mut svg, spec, &p, &id);
    svg.push_str(land);
    if named.iter().any(Option::is_some) {
        svg.push_str("<g class=\"map-areas\">");
        for (k, label) in named.iter().enumerate() {
            if let Some(l) = label {
                area(&mut svg, &points[areas[k]], l, root, here_a == Some(k));
            }
        }
        svg.push_str("</g>");
    }
    svg.push_str("<g class=\"map-points\">");
    // Drawn in reverse priority: the highlighted and most eventful points end up on top.
    for k in (0..shown.len()).rev() {
        point(
            &mut svg,
            &points[shown[k]],
            marks[k],
            placed[k].as_ref(),
            root,
            here_k == Some(k),
        );
    }
    svg.push_str("</g>");
    close(&mut svg, &p);
    let without = |list: &[usize], labels: &[Option<Label>]| {
        sorted(
            (0..list.len())
                .filter(|&k| labels[k].is_none())
                .map(|k| list[k]),
        )
    };
    Drawn {
        svg,
        unlabelled: without(&shown, &placed),
        unnamed_areas: without(&areas, &named),
        shown: sorted(shown),
        left_out,
        areas: sorted(areas),
    }
}

fn sorted(v: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let mut v: Vec<usize> = v.into_iter().collect();
    v.sort_unstable();
    v
}

/// The names on the drawing, placed in order of priority: a highlighted area's first, then the
/// points' (`shown` is in order of priority; at most [`MAX_LABELS`]), then the other areas',
/// which so never push a point's name out. Returns the points' labels and the areas', in the
/// order of `shown` and `areas`.
fn place_names(
    p: &Projection,
    points: &[MapPoint],
    (shown, marks, here_k): (&[usize], &[Mark], Option<usize>),
    (areas, here_a): (&[usize], Option<usize>),
) -> (Vec<Option<Label>>, Vec<Option<Label>>) {
    let frame = Rect {
        x0: 1.0,
        y0: 1.0,
        x1: p.width - 1.0,
        y1: p.height - 1.0,
    };
    let mut placer = labels::Placer::new(marks, frame);
    let mut named: Vec<Option<Label>> = vec![None; areas.len()];
    let mut name_area = |placer: &mut labels::Placer, k: usize| {
        let pt = &points[areas[k]];
        let (x, y) = p.at(pt.lat, pt.lon);
        let bold = if here_a == Some(k) { 1.1 } else { 1.0 };
        let w = area_width(pt.name) * bold;
        named[k] = placer.area(x, y, w, AREA_FONT * 1.25);
    };
    if let Some(k) = here_a {
        name_area(&mut placer, k);
    }
    let placed = (0..shown.len())
        .map(|k| {
            (k < MAX_LABELS).then(|| {
                let bold = if here_k == Some(k) { 1.1 } else { 1.0 };
                let w = labels::text_width(points[shown[k]].name, FONT) * bold;
                placer.point(k, w, FONT * 1.25)
            })?
        })
        .collect();
    for k in (0..areas.len()).filter(|&k| here_a != Some(k)) {
        name_area(&mut placer, k);
    }
    (placed, named)
}

/// The width of an area's name: in capitals, spaced by [`AREA_SPACING`].
fn area_width(name: &str) -> f64 {
    let upper = name.to_uppercase();
    labels::text_width(&upper, AREA_FONT) + AREA_SPACING * AREA_FONT * upper.chars().count() as f64
}

/// The opening of the drawing: the `<svg>` element with its title, and the sea.
fn open(svg: &mut String, spec: &MapSpec, p: &Projection, id: &str) {
    let shape = if p.height > p.width {
        "map-tall"
    } else {
        "map-wide"
    };
    let _ = write!(
        svg,
        "<svg class=\"map-svg {shape}\" id=\"map-{id}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"group\" aria-labelledby=\"map-{id}-title\" font-size=\"{font}\">\
<title id=\"map-{id}-title\">{title}</title>\
<rect class=\"map-sea\" x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"none\"/>",
        w = n(p.width),
        h = n(p.height),
        font = n(FONT),
        title = escape::html(&spec.title),
    );
}

/// The frame around the drawing, and its end.
fn close(svg: &mut String, p: &Projection) {
    let _ = write!(
        svg,
        "<rect class=\"map-frame\" x=\".5\" y=\".5\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"currentColor\" aria-hidden=\"true\"/></svg>",
        n(p.width - 1.0),
        n(p.height - 1.0)
    );
}

/// What [`chosen`] chooses: the points, or the areas.
#[derive(Clone, Copy, PartialEq)]
enum Chosen {
    Points,
    Areas,
}

/// The points (or the areas) inside the bounds, in order of priority (the highlighted one,
/// then the most events, then by name and id), at most [`MAX_POINTS`] (a locator's place and
/// [`LOCATOR_POINTS`] others; for areas [`MAX_AREAS`] and [`LOCATOR_AREAS`]); and how many
/// were left out.
fn chosen(
    spec: &MapSpec,
    points: &[MapPoint],
    here: Option<&str>,
    which: Chosen,
) -> (Vec<usize>, usize) {
    let mut inside: Vec<usize> = (0..points.len())
        .filter(|&i| {
            let pt = &points[i];
            pt.lat.is_finite()
                && pt.lon.is_finite()
                && spec.bounds.contains(pt.lat, pt.lon)
                && spec.is_area(pt.kind) == (which == Chosen::Areas)
        })
        .collect();
    let priority = |&a: &usize, &b: &usize| {
        let (pa, pb) = (&points[a], &points[b]);
        let here_first = (Some(pb.id) == here).cmp(&(Some(pa.id) == here));
        here_first
            .then(pb.events.cmp(&pa.events))
            .then(pa.name.cmp(pb.name))
            .then(pa.id.cmp(pb.id))
            .then(a.cmp(&b))
    };
    let max = match (which, here.is_some()) {
        (Chosen::Points, true) => LOCATOR_POINTS + 1,
        (Chosen::Points, false) => MAX_POINTS,
        (Chosen::Areas, true) => LOCATOR_AREAS + 1,
        (Chosen::Areas, false) => MAX_AREAS,
    };
    let left_out = inside.len().saturating_sub(max);
    // The first `max` found in linear time, then only they are sorted: a locator on each of
    // many place pages costs little more than a scan of the places.
    if left_out > 0 {
        inside.select_nth_unstable_by(max - 1, priority);
        inside.truncate(max);
    }
    inside.sort_by(priority);
    (inside, left_out)
}

/// A mark's radius: its area grows with the number of events, from 3 units (none) to 11.
fn radius(events: usize) -> f64 {
    (3.0 + 1.6 * (events as f64).sqrt()).min(11.0)
}

/// One shape as a path: each ring projected, points closer than [`MIN_STEP`] to the last kept
/// dropped, the first point absolute and the rest relative, in tenths. Shapes wholly outside the
/// drawing are left out.
fn outline(svg: &mut String, p: &Projection, shape: &super::Shape) {
    let mut d = String::new();
    let (mut lo_x, mut lo_y, mut hi_x, mut hi_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for part in &shape.parts {
        let pts: Vec<(f64, f64)> = part.iter().map(|q| p.at(q[1], q[0])).collect();
        let mut kept: Vec<(i64, i64)> = Vec::with_capacity(pts.len());
        let mut last: Option<(f64, f64)> = None;
        for (k, &(x, y)) in pts.iter().enumerate() {
            let far = last.is_none_or(|(lx, ly)| (x - lx).hypot(y - ly) >= MIN_STEP);
            if far || k + 1 == pts.len() {
                kept.push((tenths(x), tenths(y)));
                last = Some((x, y));
                (lo_x, lo_y, hi_x, hi_y) = (lo_x.min(x), lo_y.min(y), hi_x.max(x), hi_y.max(y));
            }
        }
        kept.dedup();
        if kept.len() < if shape.closed { 3 } else { 2 } {
            continue;
        }
        let (mut px, mut py) = kept[0];
        d.push('M');
        write_tenths(&mut d, px);
        d.push(' ');
        write_tenths(&mut d, py);
        d.push('l');
        for &(x, y) in &kept[1..] {
            write_tenths(&mut d, x - px);
            d.push(' ');
            write_tenths(&mut d, y - py);
            d.push(' ');
            (px, py) = (x, y);
        }
        d.pop();
        if shape.closed {
            d.push('z');
        }
    }
    let outside = hi_x < 0.0 || hi_y < 0.0 || lo_x > p.width || lo_y > p.height;
    if d.is_empty() || outside {
        return;
    }
    let class = if shape.closed {
        "map-shape"
    } else {
        "map-line"
    };
    let name = shape
        .name
        .as_deref()
        .map(|s| format!(" data-name=\"{}\"", escape::html(s)))
        .unwrap_or_default();
    let _ = write!(svg, "<path class=\"{class}\"{name} d=\"{d}\"/>");
}

/// The number of events as an accessible name ends: "", ": 1 event", ": 4 events".
fn events_said(events: usize) -> String {
    match events {
        0 => String::new(),
        1 => ": 1 event".into(),
        k => format!(": {k} events"),
    }
}

/// An area: a link to its page holding its name, centred where [`labels::Placer::area`] put
/// it, no mark. Its accessible name says its kind, so a reader knows it is not a point.
fn area(svg: &mut String, pt: &MapPoint, l: &Label, root: &str, here: bool) {
    let name = escape::html(pt.name);
    let (class, current) = if here {
        ("map-area map-here", " aria-current=\"page\"")
    } else {
        ("map-area", "")
    };
    let _ = write!(
        svg,
        "<a class=\"{class}\" href=\"{root}{url}\" data-id=\"{id}\" aria-label=\"{name} ({kind}){events}\"{current}><title>{name} ({kind}){events}</title>\
<text class=\"map-area-label\" x=\"{x}\" y=\"{y}\" dy=\".35em\" text-anchor=\"middle\" fill=\"currentColor\">{name}</text></a>",
        url = escape::html(pt.url),
        id = escape::html(pt.id),
        kind = escape::html(pt.kind.trim()),
        events = events_said(pt.events),
        x = n(l.x),
        y = n(l.y),
    );
}

/// A point: a link to its page holding its mark, its leader line and its name.
fn point(svg: &mut String, pt: &MapPoint, m: Mark, label: Option<&Label>, root: &str, here: bool) {
    let name = escape::html(pt.name);
    let events = events_said(pt.events);
    let (class, current) = if here {
        ("map-point map-here", " aria-current=\"page\"")
    } else {
        ("map-point", "")
    };
    let _ = write!(
        svg,
        "<a class=\"{class}\" href=\"{root}{url}\" data-id=\"{id}\" aria-label=\"{name}{events}\"{current}><title>{name}{events}</title>\
<circle class=\"map-mark\" cx=\"{x}\" cy=\"{y}\" r=\"{r}\" fill=\"currentColor\"/>",
        url = escape::html(pt.url),
        id = escape::html(pt.id),
        x = n(m.x),
        y = n(m.y),
        r = n(m.r),
    );
    if let Some(l) = label {
        if let Some([(x0, y0), (x1, y1)]) = l.leader {
            let _ = write!(
                svg,
                "<path class=\"map-leader\" d=\"M{} {}L{} {}\" stroke=\"currentColor\" aria-hidden=\"true\"/>",
                n(x0),
                n(y0),
                n(x1),
                n(y1)
            );
        }
        let _ = write!(
            svg,
            "<text class=\"map-label\" x=\"{}\" y=\"{}\" dy=\".35em\" text-anchor=\"{}\" fill=\"currentColor\">{name}</text>",
            n(l.x),
            n(l.y),
            l.anchor.svg()
        );
    }
    svg.push_str("</a>");
}
