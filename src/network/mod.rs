//! The network of people: who appears with whom, in the same paragraph of a chapter or in the same
//! event, as a weighted graph; laid out deterministically and drawn as SVG markup at build time.
//! It reads the `Site` and returns markup and plain data; the pages around it belong to `render`.
//!
//! The whole network is a circle grouped by side (alphabetically within a side), with curved
//! edges through the middle: no randomness and no iteration, so two builds draw the same bytes,
//! and names sit outside the circle where they never overlap. Sides differ by shape as well as
//! colour. A person's neighbourhood is a smaller circle around them.

use std::collections::BTreeMap;
use std::f64::consts::{PI, TAU};
use std::fmt::Write as _;

use crate::site::{PersonIx, Site};
use crate::util::escape;

/// The whole-network drawing shows at most this many people (the most connected); the page says
/// how many were left out. Beyond that a circle of names stops being readable.
pub const MAX_NODES: usize = 150;

/// How many neighbours a person page draws (the strongest, as in `Person::companions`).
pub const EGO_NEIGHBOURS: usize = 8;

/// Two people who appear together: in how many paragraphs and how many events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub a: PersonIx,
    pub b: PersonIx,
    pub paragraphs: u32,
    pub events: u32,
}

impl Edge {
    pub fn weight(&self) -> u32 {
        self.paragraphs + self.events
    }

    pub fn other(&self, p: PersonIx) -> PersonIx {
        if self.a == p { self.b } else { self.a }
    }
}

/// The graph of the whole documentary.
#[derive(Debug)]
pub struct Graph {
    /// Sorted by `(a, b)`, with `a < b`.
    pub edges: Vec<Edge>,
    /// For each person: `(neighbour, edge index)`, strongest first, then by person index.
    pub adjacency: Vec<Vec<(PersonIx, usize)>>,
    /// The sides in display order (alphabetical, "Others" and no side last), as labels.
    pub sides: Vec<String>,
    /// Each person's index in `sides`.
    pub side_of: Vec<usize>,
    /// The people the whole-network drawing shows: those with connections, at most
    /// [`MAX_NODES`] of the strongest, by side and then name.
    pub drawn: Vec<PersonIx>,
}

impl Graph {
    pub fn new(site: &Site) -> Graph {
        let mut counts: BTreeMap<(PersonIx, PersonIx), (u32, u32)> = BTreeMap::new();
        for (&pair, &n) in &site.co_mentions {
            counts.entry(pair).or_default().0 += n;
        }
        for e in &site.events {
            let mut people = e.people.clone();
            people.sort_unstable();
            people.dedup();
            for (i, &a) in people.iter().enumerate() {
                for &b in &people[i + 1..] {
                    counts.entry((a, b)).or_default().1 += 1;
                }
            }
        }
        let edges: Vec<Edge> = counts
            .into_iter()
            .map(|((a, b), (paragraphs, events))| Edge {
                a,
                b,
                paragraphs,
                events,
            })
            .collect();
        let mut adjacency: Vec<Vec<(PersonIx, usize)>> = vec![Vec::new(); site.people.len()];
        for (i, e) in edges.iter().enumerate() {
            adjacency[e.a].push((e.b, i));
            adjacency[e.b].push((e.a, i));
        }
        for list in &mut adjacency {
            list.sort_by(|x, y| {
                edges[y.1]
                    .weight()
                    .cmp(&edges[x.1].weight())
                    .then(x.0.cmp(&y.0))
            });
        }
        let mut keyed: Vec<((bool, String), String)> = site
            .people
            .iter()
            .map(|p| (side_key(&p.side), side_label(&p.side)))
            .collect();
        keyed.sort();
        keyed.dedup_by(|x, y| x.0 == y.0);
        let side_of = site
            .people
            .iter()
            .map(|p| {
                let key = side_key(&p.side);
                keyed
                    .iter()
                    .position(|(k, _)| *k == key)
                    .expect("every side is listed")
            })
            .collect();
        let mut graph = Graph {
            edges,
            adjacency,
            sides: keyed.into_iter().map(|(_, label)| label).collect(),
            side_of,
            drawn: Vec::new(),
        };
        let mut drawn: Vec<PersonIx> = (0..site.people.len())
            .filter(|&p| !graph.adjacency[p].is_empty())
            .collect();
        if drawn.len() > MAX_NODES {
            drawn.sort_by_cached_key(|&p| (std::cmp::Reverse(graph.strength(p)), p));
            drawn.truncate(MAX_NODES);
        }
        drawn.sort_by_cached_key(|&p| (graph.side_of[p], sort_name(&site.people[p].name), p));
        graph.drawn = drawn;
        graph
    }

    /// Whether the whole-network drawing shows `p`.
    pub fn is_drawn(&self, p: PersonIx) -> bool {
        self.drawn.contains(&p)
    }

    /// Sum of the weights of a person's edges.
    pub fn strength(&self, p: PersonIx) -> u32 {
        self.adjacency[p]
            .iter()
            .map(|&(_, e)| self.edges[e].weight())
            .sum()
    }

    fn edge_between(&self, a: PersonIx, b: PersonIx) -> Option<&Edge> {
        let key = (a.min(b), a.max(b));
        self.edges
            .binary_search_by(|e| (e.a, e.b).cmp(&key))
            .ok()
            .map(|i| &self.edges[i])
    }
}

/// Sides sort as on the people page (alphabetical, "Others" last); no side counts as "Others".
fn side_key(side: &str) -> (bool, String) {
    crate::render::side_order(&side_label(side))
}

fn side_label(side: &str) -> String {
    let s = side.trim();
    if s.is_empty() {
        "Others".to_string()
    } else {
        s.to_string()
    }
}

/// How a side is drawn: a shape (so sides differ without colour) and a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
    Cross,
}

const SHAPES: [Shape; 6] = [
    Shape::Circle,
    Shape::Square,
    Shape::Triangle,
    Shape::Diamond,
    Shape::TriangleDown,
    Shape::Cross,
];
/// Mid-tone fills that read on light and dark paper; every shape also has an outline in the text
/// colour, so no fill needs to carry contrast on its own.
const COLOURS: [&str; 6] = [
    "#3d7cc9", "#d0672c", "#3a9a6a", "#b65fa0", "#c9a227", "#7a7f87",
];

impl Shape {
    pub fn for_side(side: usize) -> Shape {
        SHAPES[side % SHAPES.len()]
    }

    pub fn name(self) -> &'static str {
        match self {
            Shape::Circle => "circle",
            Shape::Square => "square",
            Shape::Triangle => "triangle",
            Shape::Diamond => "diamond",
            Shape::TriangleDown => "downward triangle",
            Shape::Cross => "cross",
        }
    }

    /// The shape centred on (x, y) with about the area of a circle of radius `r`.
    fn svg(self, x: f64, y: f64, r: f64, extra: &str) -> String {
        let p = |dx: f64, dy: f64| format!("{},{}", n(x + dx), n(y + dy));
        match self {
            Shape::Circle => format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{extra}/>",
                n(x),
                n(y),
                n(r)
            ),
            Shape::Square => {
                let h = r * 0.89;
                format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{extra}/>",
                    n(x - h),
                    n(y - h),
                    n(2.0 * h),
                    n(2.0 * h)
                )
            }
            Shape::Triangle | Shape::TriangleDown => {
                let s = if self == Shape::Triangle { 1.0 } else { -1.0 };
                let k = r * 1.35;
                format!(
                    "<path d=\"M{}L{}L{}Z\"{extra}/>",
                    p(0.0, -s * k),
                    p(k * 0.866, s * k * 0.5),
                    p(-k * 0.866, s * k * 0.5)
                )
            }
            Shape::Diamond => {
                let k = r * 1.25;
                format!(
                    "<path d=\"M{}L{}L{}L{}Z\"{extra}/>",
                    p(0.0, -k),
                    p(k, 0.0),
                    p(0.0, k),
                    p(-k, 0.0)
                )
            }
            Shape::Cross => {
                let (a, b) = (r * 1.2, r * 0.42);
                format!(
                    "<path d=\"M{}L{}L{}L{}L{}L{}L{}L{}L{}L{}L{}L{}Z\"{extra}/>",
                    p(-b, -a),
                    p(b, -a),
                    p(b, -b),
                    p(a, -b),
                    p(a, b),
                    p(b, b),
                    p(b, a),
                    p(-b, a),
                    p(-b, b),
                    p(-a, b),
                    p(-a, -b),
                    p(-b, -b)
                )
            }
        }
    }
}

/// A number for SVG: one decimal, no "-0", no ".0" (what `{}` prints for `v` rounded to tenths,
/// written from integers without an allocation: float formatting was most of drawing a
/// neighbourhood).
fn n(v: f64) -> Tenths {
    Tenths((v * 10.0).round() as i64)
}

#[derive(Clone, Copy)]
struct Tenths(i64);

impl std::fmt::Display for Tenths {
    /// Digits written right to left into a buffer and handed over at once (a drawing has
    /// hundreds of numbers, and nested formatting was most of its cost).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut buf = [0u8; 24];
        let mut k = buf.len();
        let mut put = |c: u8| {
            k -= 1;
            buf[k] = c;
        };
        let (mut whole, tenth) = (self.0.unsigned_abs() / 10, self.0.unsigned_abs() % 10);
        if tenth != 0 {
            put(b'0' + tenth as u8);
            put(b'.');
        }
        loop {
            put(b'0' + (whole % 10) as u8);
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        if self.0 < 0 {
            put(b'-');
        }
        f.write_str(std::str::from_utf8(&buf[k..]).expect("ASCII digits"))
    }
}

fn colour(side: usize) -> &'static str {
    // The colours cycle one step later than the shapes, so sides 0 and 6 still differ in one.
    COLOURS[(side + side / SHAPES.len()) % COLOURS.len()]
}

/// A small standalone icon of a side's shape, for legends.
pub fn side_icon(side: usize) -> String {
    format!(
        "<svg class=\"nw-icon\" width=\"16\" height=\"16\" viewBox=\"0 0 16 16\" aria-hidden=\"true\" focusable=\"false\">{}</svg>",
        Shape::for_side(side).svg(
            8.0,
            8.0,
            5.5,
            &format!(
                " fill=\"{}\" stroke=\"currentColor\" stroke-width=\"1.2\"",
                colour(side)
            )
        )
    )
}

/// One row of the network's table: a drawn person and their drawn connections, strongest first.
#[derive(Debug)]
pub struct Row {
    pub person: PersonIx,
    pub connections: Vec<(PersonIx, u32, u32)>,
}

/// The whole network, drawn.
#[derive(Debug)]
pub struct Network {
    /// The `<svg>` element.
    pub svg: String,
    /// The people drawn, in drawing order (by side, then name), with their connections among
    /// the people drawn: the same information as the drawing, for the table.
    pub rows: Vec<Row>,
    /// People with connections left out of the drawing (beyond [`MAX_NODES`]).
    pub left_out: usize,
    /// People who appear with no one.
    pub alone: Vec<PersonIx>,
    /// The sides drawn: (side index, label, people drawn).
    pub sides: Vec<(usize, String, usize)>,
}

/// Draw the whole network as seen from a page whose path to the site root is `root`.
pub fn network(site: &Site, g: &Graph, root: &str) -> Network {
    let connected = g.adjacency.iter().filter(|a| !a.is_empty()).count();
    let alone: Vec<PersonIx> = (0..site.people.len())
        .filter(|&p| g.adjacency[p].is_empty())
        .collect();
    let drawn = &g.drawn;
    let mut slot_of: BTreeMap<PersonIx, usize> = BTreeMap::new();
    let groups = {
        let mut s: Vec<usize> = drawn.iter().map(|&p| g.side_of[p]).collect();
        s.dedup();
        s.len()
    };
    let slots = drawn.len() + if groups > 1 { groups } else { 0 };
    let mut slot = 0;
    for (i, &p) in drawn.iter().enumerate() {
        if i > 0 && g.side_of[drawn[i - 1]] != g.side_of[p] {
            slot += 1;
        }
        slot_of.insert(p, slot);
        slot += 1;
    }

    const SLOT: f64 = 19.0;
    let radius = (slots as f64 * SLOT / TAU).max(110.0);
    let longest = drawn
        .iter()
        .map(|&p| site.people[p].name.chars().count())
        .max()
        .unwrap_or(0) as f64;
    let label = (16.0 + longest * 6.4).min(240.0);
    let half = radius + label;
    let size = 2.0 * half;
    let angle = |p: PersonIx| -PI / 2.0 + TAU * slot_of[&p] as f64 / slots.max(1) as f64;
    let at = |p: PersonIx, r: f64| {
        let t = angle(p);
        (half + r * t.cos(), half + r * t.sin())
    };
    let max_strength = drawn
        .iter()
        .map(|&p| g.strength(p))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let node_r = |p: PersonIx| 3.5 + 4.5 * (g.strength(p) as f64 / max_strength).sqrt();

    let mut edges: Vec<&Edge> = g
        .edges
        .iter()
        .filter(|e| slot_of.contains_key(&e.a) && slot_of.contains_key(&e.b))
        .collect();
    let max_w = edges.iter().map(|e| e.weight()).max().unwrap_or(1).max(1) as f64;
    // Weak edges first, so the strong ones are drawn on top.
    edges.sort_by(|x, y| {
        x.weight()
            .cmp(&y.weight())
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });

    let mut svg = String::with_capacity(256 * (drawn.len() + edges.len()));
    let _ = write!(
        svg,
        "<svg class=\"nw\" viewBox=\"0 0 {s} {s}\" width=\"{s}\" height=\"{s}\" role=\"group\" aria-labelledby=\"nw-caption\">",
        s = n(size)
    );
    svg.push_str(NETWORK_STYLE);
    svg.push_str(
        "<g class=\"nw-edges\" aria-hidden=\"true\" fill=\"none\" stroke=\"currentColor\">",
    );
    for e in &edges {
        let (ax, ay) = at(e.a, radius);
        let (bx, by) = at(e.b, radius);
        let (cx, cy) = (
            half + ((ax + bx) / 2.0 - half) * 0.3,
            half + ((ay + by) / 2.0 - half) * 0.3,
        );
        let _ = write!(
            svg,
            "<path class=\"nw-edge\" data-a=\"{}\" data-b=\"{}\" stroke-width=\"{}\" d=\"M{},{}Q{},{} {},{}\"/>",
            escape::html(&site.people[e.a].id),
            escape::html(&site.people[e.b].id),
            n(0.6 + 2.6 * (e.weight() as f64 / max_w).sqrt()),
            n(ax),
            n(ay),
            n(cx),
            n(cy),
            n(bx),
            n(by)
        );
    }
    svg.push_str("</g><g class=\"nw-nodes\">");
    let mut rows = Vec::with_capacity(drawn.len());
    for &p in drawn {
        let person = &site.people[p];
        let side = g.side_of[p];
        let connections: Vec<(PersonIx, u32, u32)> = g.adjacency[p]
            .iter()
            .filter(|(q, _)| slot_of.contains_key(q))
            .map(|&(q, e)| (q, g.edges[e].paragraphs, g.edges[e].events))
            .collect();
        let (x, y) = at(p, radius);
        let r = node_r(p);
        let t = angle(p);
        let (lx, ly) = at(p, radius + r + 5.0);
        let (deg, anchor) = if t.cos() < -1e-9 {
            (t.to_degrees() + 180.0, "end")
        } else {
            (t.to_degrees(), "start")
        };
        let _ = write!(
            svg,
            "<a class=\"nw-node\" href=\"{root}{url}\" data-id=\"{id}\"><title>{name}, {side_label}: appears with {count}</title>{shape}<text x=\"{lx}\" y=\"{ly}\" dy=\".32em\" text-anchor=\"{anchor}\" transform=\"rotate({deg} {lx} {ly})\">{name}</text></a>",
            url = escape::html(&person.url()),
            id = escape::html(&person.id),
            name = escape::html(&person.name),
            side_label = escape::html(&g.sides[side]),
            count = plural(connections.len(), "person", "people"),
            shape = Shape::for_side(side).svg(
                x,
                y,
                r,
                &format!(" class=\"nw-shape\" fill=\"{}\"", colour(side))
            ),
            lx = n(lx),
            ly = n(ly),
            deg = n(deg),
        );
        rows.push(Row {
            person: p,
            connections,
        });
    }
    svg.push_str("</g></svg>");
    let mut sides: Vec<(usize, String, usize)> = Vec::new();
    for &p in drawn {
        let s = g.side_of[p];
        match sides.last_mut() {
            Some(last) if last.0 == s => last.2 += 1,
            _ => sides.push((s, g.sides[s].clone(), 1)),
        }
    }
    Network {
        svg,
        rows,
        left_out: connected - drawn.len(),
        alone,
        sides,
    }
}

/// Styles of the whole-network drawing: outlines and labels in the text colour, and the
/// highlight that `network.js` switches on around a person.
const NETWORK_STYLE: &str = "<style>\
.nw{max-width:100%;height:auto;color:var(--ink,currentColor);font:11px/1 var(--sans,system-ui,sans-serif)}\
.nw-edge{stroke-opacity:.28}\
.nw-shape{stroke:currentColor;stroke-width:1.2}\
.nw-node{color:var(--ink,currentColor)}\
.nw-node text{fill:currentColor}\
.nw-node:hover,.nw-node:focus-visible{color:var(--accent,currentColor)}\
.nw-node:hover text,.nw-node:focus-visible text{font-weight:700}\
.nw-node:focus-visible{outline:none}\
.nw-node:focus-visible .nw-shape{stroke-width:3}\
.nw.is-lit .nw-edge{stroke-opacity:.05}\
.nw.is-lit .nw-edge.is-on{stroke-opacity:.85}\
.nw.is-lit .nw-node{opacity:.3}\
.nw.is-lit .nw-node.is-on{opacity:1}\
.nw.is-lit .nw-node.is-centre text{font-weight:700}\
</style>";

/// A person's neighbourhood: them in the middle, their strongest connections around them, and
/// the connections among those. An image (`role="img"`) with a text alternative; the page lists
/// the same people as links. `None` when they appear with no one.
pub fn neighbourhood(site: &Site, g: &Graph, p: PersonIx) -> Option<String> {
    let around: Vec<(PersonIx, usize)> = g.adjacency[p]
        .iter()
        .take(EGO_NEIGHBOURS)
        .copied()
        .collect();
    if around.is_empty() {
        return None;
    }
    let person = &site.people[p];
    let (w, h, r) = (520.0, 250.0, 88.0);
    let (cx, cy) = (w / 2.0, h / 2.0);
    let k = around.len() as f64;
    // Start at the left so two neighbours sit left and right, not above and below.
    let pos = |i: usize| {
        let t = PI + TAU * i as f64 / k + if around.len() % 2 == 0 { PI / k } else { 0.0 };
        (cx + r * 1.35 * t.cos(), cy + r * t.sin(), t)
    };
    let max_w = around
        .iter()
        .map(|&(_, e)| g.edges[e].weight())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let width = |wt: u32| n(0.8 + 3.2 * (wt as f64 / max_w).sqrt());
    let mut desc = format!("{} appears with ", person.name);
    for (i, &(q, e)) in around.iter().enumerate() {
        if i > 0 {
            desc.push_str(if i + 1 == around.len() { " and " } else { ", " });
        }
        let _ = write!(desc, "{} ({})", site.people[q].name, g.edges[e].weight());
    }
    desc.push('.');
    let id = format!("ego-{}", person.id);
    let mut svg = format!(
        "<svg class=\"nw-ego\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" style=\"max-width:100%;height:auto\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{} and the people they appear with most</title><desc id=\"{id}-d\">{}</desc>",
        escape::html(&person.name),
        escape::html(&desc),
        id = escape::html(&id),
    );
    svg.push_str("<g fill=\"none\" stroke=\"currentColor\" stroke-opacity=\".3\">");
    for (i, &(a, _)) in around.iter().enumerate() {
        for (j, &(b, _)) in around.iter().enumerate().skip(i + 1) {
            if let Some(e) = g.edge_between(a, b) {
                let ((ax, ay, _), (bx, by, _)) = (pos(i), pos(j));
                let _ = write!(
                    svg,
                    "<path stroke-dasharray=\"3 3\" stroke-width=\"{}\" d=\"M{},{}L{},{}\"/>",
                    width(e.weight()),
                    n(ax),
                    n(ay),
                    n(bx),
                    n(by)
                );
            }
        }
    }
    for (i, &(_, e)) in around.iter().enumerate() {
        let (x, y, _) = pos(i);
        let _ = write!(
            svg,
            "<path stroke-opacity=\".55\" stroke-width=\"{}\" d=\"M{},{}L{},{}\"/>",
            width(g.edges[e].weight()),
            n(cx),
            n(cy),
            n(x),
            n(y)
        );
    }
    svg.push_str("</g><g stroke=\"currentColor\" stroke-width=\"1.2\" font-size=\"12\" font-family=\"system-ui, sans-serif\">");
    for (i, &(q, _)) in around.iter().enumerate() {
        let (x, y, t) = pos(i);
        let side = g.side_of[q];
        svg.push_str(&Shape::for_side(side).svg(x, y, 6.0, &format!(" fill=\"{}\"", colour(side))));
        let (anchor, dx) = if t.cos() < -0.2 {
            ("end", -10.0)
        } else if t.cos() > 0.2 {
            ("start", 10.0)
        } else {
            ("middle", 0.0)
        };
        let dy = if anchor == "middle" {
            if t.sin() < 0.0 { -12.0 } else { 20.0 }
        } else {
            4.0
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"currentColor\" stroke=\"none\">{}</text>",
            n(x + dx),
            n(y + dy),
            escape::html(&site.people[q].name)
        );
    }
    let side = g.side_of[p];
    svg.push_str(&Shape::for_side(side).svg(
        cx,
        cy,
        9.0,
        &format!(" fill=\"{}\" stroke-width=\"2\"", colour(side)),
    ));
    let _ = write!(
        svg,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"700\" fill=\"currentColor\" stroke=\"none\">{}</text>",
        n(cx),
        n(cy + 28.0),
        escape::html(&person.name)
    );
    svg.push_str("</g></svg>");
    Some(svg)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Surname first, as the people page sorts.
fn sort_name(name: &str) -> (String, String) {
    (
        name.split_whitespace().last().unwrap_or("").to_lowercase(),
        name.to_lowercase(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        for (v, want) in [
            (1.25, "1.3"),
            (-0.01, "0"),
            (-0.0, "0"),
            (120.0, "120"),
            (-12.36, "-12.4"),
            (-0.05, "-0.1"),
            (0.95, "1"),
            (99.96, "100"),
            (12345.67, "12345.7"),
            (-1000.0, "-1000"),
            (7.04, "7"),
        ] {
            assert_eq!(n(v).to_string(), want, "{v}");
        }
    }

    #[test]
    fn shapes_differ_for_the_first_six_sides() {
        let drawn: Vec<String> = (0..6)
            .map(|s| Shape::for_side(s).svg(0.0, 0.0, 5.0, ""))
            .collect();
        for (i, a) in drawn.iter().enumerate() {
            for b in &drawn[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // The seventh side repeats a shape but not its colour.
        assert_eq!(Shape::for_side(6), Shape::for_side(0));
        assert_ne!(colour(6), colour(0));
    }
}
