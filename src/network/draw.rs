//! The two drawings as SVG markup: the whole network ([`network`], with the same information as
//! rows for its table) and a person's neighbourhood ([`neighbourhood`]). Every name and id is
//! escaped here. The points come from `layout` and the marks from `shape`; the pages around the
//! markup belong to `render`.

use std::fmt::Write as _;

use super::layout::{Ego, Ring};
use super::shape::{Shape, Tenths, colour, n};
use super::{EGO_NEIGHBOURS, Edge, Graph};
use crate::site::{PersonIx, Site};
use crate::util::escape;

/// One row of the network's table: a drawn person and their drawn connections, strongest first.
#[derive(Debug)]
pub struct Row {
    pub person: PersonIx,
    /// (person, paragraphs, events): repeated when there are at least [`super::REPEATED`].
    pub connections: Vec<(PersonIx, u32, u32)>,
}

/// The whole network, drawn.
#[derive(Debug)]
pub struct Network {
    /// The `<svg>` element: every tie among the people drawn, those seen once with the class
    /// `nw-weak` (the page hides them unless the reader asks for all).
    pub svg: String,
    /// The people drawn, by side and then name (the circle's order within a side differs), with
    /// their connections among the people drawn: the same information as the drawing, for the
    /// table.
    pub rows: Vec<Row>,
    /// The ties drawn: repeated ones, and those seen once.
    pub repeated: usize,
    pub weak: usize,
    /// People with connections left out of the drawing (beyond [`super::MAX_NODES`]).
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
        .map(PersonIx)
        .filter(|&p| g.adjacency[p].is_empty())
        .collect();
    let ring = Ring::new(site, g);
    let edges = edges_drawn(g, &ring);

    let mut svg = String::with_capacity(256 * (g.drawn.len() + edges.len()));
    let _ = write!(
        svg,
        "<svg class=\"nw\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"group\" aria-labelledby=\"nw-caption\">",
        w = n(ring.width),
        h = n(ring.height)
    );
    svg.push_str(NETWORK_STYLE);
    svg.push_str(
        "<g class=\"nw-edges\" aria-hidden=\"true\" fill=\"none\" stroke=\"currentColor\">",
    );
    draw_edges(&mut svg, site, &ring, &edges);
    svg.push_str("</g><g class=\"nw-nodes\">");
    draw_nodes(&mut svg, site, g, &ring, root);
    svg.push_str("</g></svg>");
    let repeated = edges.iter().filter(|e| e.is_repeated()).count();
    Network {
        svg,
        rows: rows(g, &ring),
        repeated,
        weak: edges.len() - repeated,
        left_out: connected - g.drawn.len(),
        alone,
        sides: sides_drawn(g),
    }
}

/// The edges between people on the ring, weak ones first, so the strong ones are drawn on top.
fn edges_drawn<'g>(g: &'g Graph, ring: &Ring) -> Vec<&'g Edge> {
    let mut edges: Vec<&Edge> = g
        .edges
        .iter()
        .filter(|e| ring.contains(e.a) && ring.contains(e.b))
        .collect();
    edges.sort_by(|x, y| {
        x.weight()
            .cmp(&y.weight())
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    edges
}

/// Each edge as a curve through the middle, as wide as it is strong; those seen once are weak.
fn draw_edges(svg: &mut String, site: &Site, ring: &Ring, edges: &[&Edge]) {
    let max_w = edges.iter().map(|e| e.weight()).max().unwrap_or(1).max(1) as f64;
    for e in edges {
        let (ax, ay) = ring.at(e.a, ring.radius);
        let (bx, by) = ring.at(e.b, ring.radius);
        let (cx, cy) = ring.bend((ax, ay), (bx, by));
        let _ = write!(
            svg,
            "<path class=\"nw-edge{}\" data-a=\"{}\" data-b=\"{}\" stroke-width=\"{}\" d=\"M{},{}Q{},{} {},{}\"/>",
            if e.is_repeated() { "" } else { " nw-weak" },
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
}

/// Each person on the ring, in the circle's order, as a link to their page: their side's mark
/// and their name, level.
fn draw_nodes(svg: &mut String, site: &Site, g: &Graph, ring: &Ring, root: &str) {
    for &p in &g.ring {
        let person = &site.people[p];
        let side = g.side_of[p];
        let (all, repeated) = g.adjacency[p]
            .iter()
            .filter(|&&(q, _)| ring.contains(q))
            .fold((0, 0), |(all, rep), &(_, e)| {
                (all + 1, rep + usize::from(g.edges[e].is_repeated()))
            });
        let (x, y) = ring.at(p, ring.radius);
        let r = ring.node_radius(p);
        let (lx, ly, anchor) = ring.label(p, r);
        let _ = write!(
            svg,
            "<a class=\"nw-node\" href=\"{root}{url}\" data-id=\"{id}\"><title>{name}, {side_label}: appears with {count}, {repeated} of them at least twice</title>{shape}<text x=\"{lx}\" y=\"{ly}\" dy=\".32em\" text-anchor=\"{anchor}\">{name}</text></a>",
            url = escape::html(&person.url()),
            id = escape::html(&person.id),
            name = escape::html(&person.name),
            side_label = escape::html(&g.sides[side]),
            count = plural(all, "person", "people"),
            shape = Shape::for_side(side).svg(
                x,
                y,
                r,
                &format!(" class=\"nw-shape\" fill=\"{}\"", colour(side))
            ),
            lx = n(lx),
            ly = n(ly),
        );
    }
}

/// The table's rows: each drawn person, by side and name, with their connections on the ring.
fn rows(g: &Graph, ring: &Ring) -> Vec<Row> {
    g.drawn
        .iter()
        .map(|&p| Row {
            person: p,
            connections: g.adjacency[p]
                .iter()
                .filter(|&&(q, _)| ring.contains(q))
                .map(|&(q, e)| (q, g.edges[e].paragraphs, g.edges[e].events))
                .collect(),
        })
        .collect()
}

/// The sides drawn, in drawing order: (side index, label, people drawn).
fn sides_drawn(g: &Graph) -> Vec<(usize, String, usize)> {
    let mut sides: Vec<(usize, String, usize)> = Vec::new();
    for &p in &g.drawn {
        let s = g.side_of[p];
        match sides.last_mut() {
            Some(last) if last.0 == s => last.2 += 1,
            _ => sides.push((s, g.sides[s].clone(), 1)),
        }
    }
    sides
}

/// Styles of the whole-network drawing: outlines and labels in the text colour, and the
/// highlight that `network.js` switches on around a person.
const NETWORK_STYLE: &str = "<style>\
.nw{max-width:100%;height:auto;color:var(--ink,currentColor);font:11px/1 var(--sans,system-ui,sans-serif)}\
.nw-edge{stroke-opacity:.28}\
.nw-edge.nw-weak{stroke-dasharray:2 2}\
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
    let ego = Ego::new(around.len());
    let max_w = around
        .iter()
        .map(|&(_, e)| g.edges[e].weight())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let id = format!("ego-{}", person.id);
    let mut svg = format!(
        "<svg class=\"nw-ego\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" style=\"max-width:100%;height:auto\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{} and the people they appear with most</title><desc id=\"{id}-d\">{}</desc>",
        escape::html(&person.name),
        escape::html(&description(site, g, p, &around)),
        w = Ego::W,
        h = Ego::H,
        id = escape::html(&id),
    );
    svg.push_str("<g fill=\"none\" stroke=\"currentColor\" stroke-opacity=\".3\">");
    draw_ego_edges(&mut svg, g, &ego, &around, max_w);
    svg.push_str("</g><g stroke=\"currentColor\" stroke-width=\"1.2\" font-size=\"12\" font-family=\"system-ui, sans-serif\">");
    draw_ego_people(&mut svg, site, g, &ego, p, &around);
    svg.push_str("</g></svg>");
    Some(svg)
}

/// The text alternative of a neighbourhood: "A appears with B (3), C (2) and D (1)."
fn description(site: &Site, g: &Graph, p: PersonIx, around: &[(PersonIx, usize)]) -> String {
    let mut desc = format!("{} appears with ", site.people[p].name);
    for (i, &(q, e)) in around.iter().enumerate() {
        if i > 0 {
            desc.push_str(if i + 1 == around.len() { " and " } else { ", " });
        }
        let _ = write!(desc, "{} ({})", site.people[q].name, g.edges[e].weight());
    }
    desc.push('.');
    desc
}

/// The width of an edge of weight `wt` in a neighbourhood whose strongest edge weighs `max_w`.
fn ego_width(wt: u32, max_w: f64) -> Tenths {
    n(0.8 + 3.2 * (wt as f64 / max_w).sqrt())
}

/// The dashed edges among the neighbours, then the spokes from the centre to each of them.
fn draw_ego_edges(
    svg: &mut String,
    g: &Graph,
    ego: &Ego,
    around: &[(PersonIx, usize)],
    max_w: f64,
) {
    for (i, &(a, _)) in around.iter().enumerate() {
        for (j, &(b, _)) in around.iter().enumerate().skip(i + 1) {
            if let Some(e) = g.edge_between(a, b) {
                let ((ax, ay, _), (bx, by, _)) = (ego.at(i), ego.at(j));
                let _ = write!(
                    svg,
                    "<path stroke-dasharray=\"3 3\" stroke-width=\"{}\" d=\"M{},{}L{},{}\"/>",
                    ego_width(e.weight(), max_w),
                    n(ax),
                    n(ay),
                    n(bx),
                    n(by)
                );
            }
        }
    }
    for (i, &(_, e)) in around.iter().enumerate() {
        let (x, y, _) = ego.at(i);
        let _ = write!(
            svg,
            "<path stroke-opacity=\".55\" stroke-width=\"{}\" d=\"M{},{}L{},{}\"/>",
            ego_width(g.edges[e].weight(), max_w),
            n(Ego::CX),
            n(Ego::CY),
            n(x),
            n(y)
        );
    }
}

/// Each neighbour's mark and name, then the person's own, larger, in the middle.
fn draw_ego_people(
    svg: &mut String,
    site: &Site,
    g: &Graph,
    ego: &Ego,
    p: PersonIx,
    around: &[(PersonIx, usize)],
) {
    for (i, &(q, _)) in around.iter().enumerate() {
        let (x, y, _) = ego.at(i);
        let side = g.side_of[q];
        svg.push_str(&Shape::for_side(side).svg(x, y, 6.0, &format!(" fill=\"{}\"", colour(side))));
        let (tx, ty, anchor) = ego.label(i);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"currentColor\" stroke=\"none\">{}</text>",
            n(tx),
            n(ty),
            escape::html(&site.people[q].name)
        );
    }
    let side = g.side_of[p];
    svg.push_str(&Shape::for_side(side).svg(
        Ego::CX,
        Ego::CY,
        9.0,
        &format!(" fill=\"{}\" stroke-width=\"2\"", colour(side)),
    ));
    let _ = write!(
        svg,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"700\" fill=\"currentColor\" stroke=\"none\">{}</text>",
        n(Ego::CX),
        n(Ego::CY + 28.0),
        escape::html(&site.people[p].name)
    );
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
