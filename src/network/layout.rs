//! Where things sit in the two drawings, computed from the graph alone: no randomness and no
//! iteration, so two builds place every mark at the same point. The whole network is a
//! [`Ring`]: the people drawn around a circle by side, names outside it. A neighbourhood is an
//! [`Ego`]: one person in the middle of an ellipse of their neighbours. What the graph is belongs
//! to `mod.rs`; the SVG written at these points is `draw`'s.

use std::collections::BTreeMap;
use std::f64::consts::{PI, TAU};

use super::Graph;
use crate::site::{PersonIx, Site};

/// The whole network's circle: the people of `Graph::drawn` in order, an empty slot between two
/// sides (when there is more than one), and room outside for the longest name.
pub(super) struct Ring<'a> {
    g: &'a Graph,
    slot_of: BTreeMap<PersonIx, usize>,
    slots: usize,
    /// The circle's radius.
    pub(super) radius: f64,
    /// Half the drawing's width (and height): its centre on both axes.
    pub(super) half: f64,
    /// The drawing's width and height.
    pub(super) size: f64,
    /// The strongest strength of a person drawn (at least 1), which has the largest mark.
    max_strength: f64,
}

/// The length of the circle's arc for each slot.
const SLOT: f64 = 19.0;

impl<'a> Ring<'a> {
    pub(super) fn new(site: &Site, g: &'a Graph) -> Ring<'a> {
        let drawn = &g.drawn;
        let groups = {
            let mut s: Vec<usize> = drawn.iter().map(|&p| g.side_of[p]).collect();
            s.dedup();
            s.len()
        };
        let slots = drawn.len() + if groups > 1 { groups } else { 0 };
        let mut slot_of: BTreeMap<PersonIx, usize> = BTreeMap::new();
        let mut slot = 0;
        for (i, &p) in drawn.iter().enumerate() {
            if i > 0 && g.side_of[drawn[i - 1]] != g.side_of[p] {
                slot += 1;
            }
            slot_of.insert(p, slot);
            slot += 1;
        }
        let radius = (slots as f64 * SLOT / TAU).max(110.0);
        let longest = drawn
            .iter()
            .map(|&p| site.people[p].name.chars().count())
            .max()
            .unwrap_or(0) as f64;
        let label = (16.0 + longest * 6.4).min(240.0);
        let half = radius + label;
        let max_strength = drawn
            .iter()
            .map(|&p| g.strength(p))
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        Ring {
            g,
            slot_of,
            slots,
            radius,
            half,
            size: 2.0 * half,
            max_strength,
        }
    }

    /// Whether `p` is on the circle.
    pub(super) fn contains(&self, p: PersonIx) -> bool {
        self.slot_of.contains_key(&p)
    }

    /// The angle of `p`'s slot, from the top, clockwise.
    pub(super) fn angle(&self, p: PersonIx) -> f64 {
        -PI / 2.0 + TAU * self.slot_of[&p] as f64 / self.slots.max(1) as f64
    }

    /// The point at distance `r` from the centre in the direction of `p`'s slot.
    pub(super) fn at(&self, p: PersonIx, r: f64) -> (f64, f64) {
        let t = self.angle(p);
        (self.half + r * t.cos(), self.half + r * t.sin())
    }

    /// The control point of the curve from `a` to `b`: their midpoint pulled towards the centre.
    pub(super) fn bend(&self, (ax, ay): (f64, f64), (bx, by): (f64, f64)) -> (f64, f64) {
        let half = self.half;
        (
            half + ((ax + bx) / 2.0 - half) * 0.3,
            half + ((ay + by) / 2.0 - half) * 0.3,
        )
    }

    /// The radius of `p`'s mark: larger for stronger people.
    pub(super) fn node_radius(&self, p: PersonIx) -> f64 {
        3.5 + 4.5 * (self.g.strength(p) as f64 / self.max_strength).sqrt()
    }

    /// Where `p`'s name starts, beyond a mark of radius `r`, and how it turns: (x, y, degrees,
    /// text anchor). Names on the left half are turned half a circle, so none reads upside down.
    pub(super) fn label(&self, p: PersonIx, r: f64) -> (f64, f64, f64, &'static str) {
        let t = self.angle(p);
        let (lx, ly) = self.at(p, self.radius + r + 5.0);
        let (deg, anchor) = if t.cos() < -1e-9 {
            (t.to_degrees() + 180.0, "end")
        } else {
            (t.to_degrees(), "start")
        };
        (lx, ly, deg, anchor)
    }
}

/// A neighbourhood's ellipse: `k` neighbours around the centre, the first on the left.
pub(super) struct Ego {
    k: usize,
}

impl Ego {
    /// The drawing's width and height.
    pub(super) const W: f64 = 520.0;
    pub(super) const H: f64 = 250.0;
    /// The ellipse's vertical radius (its horizontal one is 1.35 times as long).
    const R: f64 = 88.0;
    /// The centre, where the person is.
    pub(super) const CX: f64 = Ego::W / 2.0;
    pub(super) const CY: f64 = Ego::H / 2.0;

    pub(super) fn new(k: usize) -> Ego {
        Ego { k }
    }

    /// Neighbour `i`'s point and angle: from the left, clockwise, turned half a step when the
    /// count is even (so two neighbours sit above and below the centre).
    pub(super) fn at(&self, i: usize) -> (f64, f64, f64) {
        let k = self.k as f64;
        let t = PI
            + TAU * i as f64 / k
            + if self.k.is_multiple_of(2) {
                PI / k
            } else {
                0.0
            };
        (
            Ego::CX + Ego::R * 1.35 * t.cos(),
            Ego::CY + Ego::R * t.sin(),
            t,
        )
    }

    /// Where neighbour `i`'s name goes, and its text anchor: beside the mark on the left and
    /// right, above or below it at the top and bottom.
    pub(super) fn label(&self, i: usize) -> (f64, f64, &'static str) {
        let (x, y, t) = self.at(i);
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
        (x + dx, y + dy, anchor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_odd_count_starts_at_the_left_and_an_even_one_half_a_step_on() {
        let ego = Ego::new(3);
        let (x, y, _) = ego.at(0);
        assert!(x < Ego::CX && (y - Ego::CY).abs() < 1e-9, "{x} {y}");
        assert_eq!(ego.label(0), (x - 10.0, y + 4.0, "end"));
        // Two neighbours: above and below the centre, named above and below their marks.
        let ego = Ego::new(2);
        let ((ax, ay, _), (bx, by, _)) = (ego.at(0), ego.at(1));
        assert!((ax - Ego::CX).abs() < 1e-9 && ay < Ego::CY, "{ax} {ay}");
        assert!((bx - Ego::CX).abs() < 1e-9 && by > Ego::CY, "{bx} {by}");
        assert_eq!(ego.label(0), (ax, ay - 12.0, "middle"));
        assert_eq!(ego.label(1), (bx, by + 20.0, "middle"));
    }
}
