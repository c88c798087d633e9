//! The network of people: who appears with whom, in the same paragraph of a chapter or in the same
//! event, as a weighted graph; laid out deterministically and drawn as SVG markup at build time.
//! It reads the `Site` and returns markup and plain data; the pages around it belong to `render`.
//!
//! The whole network is a circle grouped by side, each side an arc, its people ordered so that
//! lines are short and cross little (`order`), with curved edges through the middle: no
//! randomness, so two builds draw the same bytes, and names sit outside the circle, level, where
//! they never overlap. Sides differ by shape as well as colour. Ties seen once are drawn too but
//! marked weak: the page shows the repeated ones unless the reader asks for all. A person's
//! neighbourhood is a smaller circle around them.
//!
//! This file owns the graph (who is connected, how strongly, which side each person is on, who
//! the whole drawing shows and in what order); `order` orders the circle, `layout` places people,
//! `shape` draws marks and numbers, and `draw` writes the two drawings.

mod draw;
mod layout;
mod order;
mod shape;

use std::collections::BTreeMap;

use crate::site::{ByIx, PersonIx, Site};

pub use draw::{Network, Row, neighbourhood, network};
pub use shape::{Shape, colour as side_colour, side_icon};

/// The whole-network drawing shows at most this many people (the most connected); the page says
/// how many were left out. Beyond that a circle of names stops being readable.
pub const MAX_NODES: usize = 150;

/// How many neighbours a person page draws (the strongest, as in `Person::companions`).
pub const EGO_NEIGHBOURS: usize = 8;

/// A tie this strong or stronger is "repeated": the two appear together at least this often
/// (paragraphs and events together). The whole drawing shows repeated ties unless asked for all.
pub const REPEATED: u32 = 2;

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

    /// Whether the two appear together at least [`REPEATED`] times.
    pub fn is_repeated(&self) -> bool {
        self.weight() >= REPEATED
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
    pub adjacency: ByIx<PersonIx, Vec<(PersonIx, usize)>>,
    /// The sides in display order (alphabetical, "Others" and no side last), as labels.
    pub sides: Vec<String>,
    /// Each person's index in `sides`.
    pub side_of: ByIx<PersonIx, usize>,
    /// The people the whole-network drawing shows: those with connections, at most
    /// [`MAX_NODES`] of the strongest, by side and then name (the table's order).
    pub drawn: Vec<PersonIx>,
    /// The same people in the circle's order: by side, and within a side as `order` places them.
    pub ring: Vec<PersonIx>,
}

impl Graph {
    pub fn new(site: &Site) -> Graph {
        let edges = edges(site);
        let adjacency = adjacency(site.people.len(), &edges);
        let (sides, side_of) = sides(site);
        let mut graph = Graph {
            edges,
            adjacency,
            sides,
            side_of,
            drawn: Vec::new(),
            ring: Vec::new(),
        };
        graph.drawn = graph.choose_drawn(site);
        graph.ring = graph.ring_order(site.people.len());
        graph
    }

    /// The drawn people around the circle: each side's people (`drawn` is by side) reordered to
    /// cross less, with the ties among them weighing by their strength.
    fn ring_order(&self, people: usize) -> Vec<PersonIx> {
        let mut local = vec![usize::MAX; people];
        for (i, &p) in self.drawn.iter().enumerate() {
            local[p.ix()] = i;
        }
        let ties: Vec<order::Tie> = self
            .edges
            .iter()
            .filter_map(|e| {
                let (a, b) = (local[e.a.ix()], local[e.b.ix()]);
                (a != usize::MAX && b != usize::MAX).then_some((a, b, e.weight()))
            })
            .collect();
        let groups: Vec<Vec<usize>> = self
            .drawn
            .chunk_by(|&p, &q| self.side_of[p] == self.side_of[q])
            .scan(0, |start, run| {
                let group = (*start..*start + run.len()).collect();
                *start += run.len();
                Some(group)
            })
            .collect();
        let total = order::slots(&groups.iter().map(Vec::len).collect::<Vec<_>>()).1;
        order::order(&groups, self.drawn.len(), &ties, |k| {
            layout::slot_angle(k, total)
        })
        .into_iter()
        .flatten()
        .map(|i| self.drawn[i])
        .collect()
    }

    /// The people the whole drawing shows: those with connections, the [`MAX_NODES`] strongest
    /// if there are more, by side, then surname, then index.
    fn choose_drawn(&self, site: &Site) -> Vec<PersonIx> {
        let mut drawn: Vec<PersonIx> = (0..site.people.len())
            .map(PersonIx)
            .filter(|&p| !self.adjacency[p].is_empty())
            .collect();
        if drawn.len() > MAX_NODES {
            drawn.sort_by_cached_key(|&p| (std::cmp::Reverse(self.strength(p)), p));
            drawn.truncate(MAX_NODES);
        }
        drawn.sort_by_cached_key(|&p| (self.side_of[p], sort_name(&site.people[p].name), p));
        drawn
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

/// Every pair of people who appear together, sorted by `(a, b)`: the paragraphs that mention
/// both (`Site::co_mentions`) and the events that name both.
fn edges(site: &Site) -> Vec<Edge> {
    let mut counts: BTreeMap<(PersonIx, PersonIx), (u32, u32)> = BTreeMap::new();
    for (&pair, &n) in &site.co_mentions {
        counts.entry(pair).or_default().0 += n;
    }
    // (The pairs companions count too: none from an event that names a crowd.)
    let mut pairs = Vec::new();
    for e in &site.events {
        let mut people: Vec<usize> = e.people.iter().map(|p| p.ix()).collect();
        people.sort_unstable();
        people.dedup();
        pairs.clear();
        crate::markdown::add_pairs(&people, &mut pairs);
        for &(a, b) in &pairs {
            counts.entry((PersonIx(a), PersonIx(b))).or_default().1 += 1;
        }
    }
    counts
        .into_iter()
        .map(|((a, b), (paragraphs, events))| Edge {
            a,
            b,
            paragraphs,
            events,
        })
        .collect()
}

/// Each of `people` people's neighbours with the edge's index, strongest first, then by index.
fn adjacency(people: usize, edges: &[Edge]) -> ByIx<PersonIx, Vec<(PersonIx, usize)>> {
    let mut adjacency: Vec<Vec<(PersonIx, usize)>> = vec![Vec::new(); people];
    for (i, e) in edges.iter().enumerate() {
        adjacency[e.a.ix()].push((e.b, i));
        adjacency[e.b.ix()].push((e.a, i));
    }
    for list in &mut adjacency {
        list.sort_by(|x, y| {
            edges[y.1]
                .weight()
                .cmp(&edges[x.1].weight())
                .then(x.0.cmp(&y.0))
        });
    }
    ByIx::new(adjacency)
}

/// The sides' labels in display order, and each person's index among them.
fn sides(site: &Site) -> (Vec<String>, ByIx<PersonIx, usize>) {
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
    let side_of = ByIx::new(side_of);
    (keyed.into_iter().map(|(_, label)| label).collect(), side_of)
}

/// Sides sort as on the people page (alphabetical, "Others" last); no side counts as "Others".
fn side_key(side: &str) -> (bool, String) {
    crate::site::side_order(&side_label(side))
}

fn side_label(side: &str) -> String {
    let s = side.trim();
    if s.is_empty() {
        "Others".to_string()
    } else {
        s.to_string()
    }
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
    fn a_tie_is_repeated_from_two_shared_paragraphs_or_events() {
        let edge = |paragraphs, events| Edge {
            a: PersonIx(0),
            b: PersonIx(1),
            paragraphs,
            events,
        };
        assert!(!edge(1, 0).is_repeated());
        assert!(!edge(0, 1).is_repeated());
        assert!(edge(1, 1).is_repeated());
        assert!(edge(2, 0).is_repeated());
        assert!(edge(0, 5).is_repeated());
    }
}
