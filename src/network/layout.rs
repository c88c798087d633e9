//! Where things sit in the two drawings, computed from the graph alone: no randomness and no
//! iteration, so two builds place every mark at the same point. The whole network is a
//! [`Ring`]: the people drawn around a circle by side, names level outside it. A neighbourhood is an
//! [`Ego`]: one person in the middle of an ellipse of their neighbours. What the graph is belongs
//! to `mod.rs`; the SVG written at these points is `draw`'s.

use std::collections::BTreeMap;
use std::f64::consts::{PI, TAU};

use super::Graph;
use crate::site::{PersonIx, Site};

/// The whole network's circle: the people of `Graph::ring` in order, clockwise from the top, an
/// empty slot after each side (when there is more than one), and room outside for the longest
/// name. Slots are spaced evenly in height on each half of the circle, not in angle, so that
/// names written level beside them are a line apart and never overlap.
pub(super) struct Ring<'a> {
    g: &'a Graph,
    slot_of: BTreeMap<PersonIx, usize>,
    slots: usize,
    /// The circle's radius.
    pub(super) radius: f64,
    /// The centre.
    pub(super) cx: f64,
    pub(super) cy: f64,
    /// The drawing's width and height.
    pub(super) width: f64,
    pub(super) height: f64,
    /// The strongest strength of a person drawn (at least 1), which has the largest mark.
    max_strength: f64,
}

/// The height of a line of names (11 px type): the least vertical distance between two slots.
const LINE: f64 = 14.0;

/// Room beside the circle before names start: past the largest mark.
const LABEL_GAP: f64 = 13.0;

/// Where slot `k` of `slots` is on the circle, as an angle clockwise from the x axis (SVG's y
/// points down): the first half of the slots down the right half of the circle from the top,
/// the rest up the left half, each evenly spaced in height.
pub(super) fn slot_angle(k: usize, slots: usize) -> f64 {
    let right = slots.div_ceil(2);
    let (j, m, side) = if k < right {
        (k, right, 1.0)
    } else {
        (k - right, slots - right, -1.0)
    };
    // The height of the slot, from -1 (top) to 1 (bottom), on its half.
    let h = side * (2.0 * (j as f64 + 0.5) / m.max(1) as f64 - 1.0);
    let t = h.clamp(-1.0, 1.0).asin();
    if side > 0.0 { t } else { PI - t }
}

impl<'a> Ring<'a> {
    pub(super) fn new(site: &Site, g: &'a Graph) -> Ring<'a> {
        let mut sizes: Vec<usize> = Vec::new();
        let mut slot_of: BTreeMap<PersonIx, usize> = BTreeMap::new();
        for run in g.ring.chunk_by(|&p, &q| g.side_of[p] == g.side_of[q]) {
            sizes.push(run.len());
        }
        let (first, slots) = super::order::slots(&sizes);
        let mut i = 0;
        for (s, &n) in sizes.iter().enumerate() {
            for k in 0..n {
                slot_of.insert(g.ring[i], first[s] + k);
                i += 1;
            }
        }
        // Each half holds half the slots, a line apart in height.
        let radius = (slots.div_ceil(2) as f64 * LINE / 2.0).max(110.0);
        let longest = g
            .ring
            .iter()
            .map(|&p| site.people[p].name.chars().count())
            .max()
            .unwrap_or(0) as f64;
        let label = (longest * 6.4).min(240.0);
        let max_strength = g
            .ring
            .iter()
            .map(|&p| g.strength(p))
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let (cx, cy) = (radius + LABEL_GAP + label + 4.0, radius + 12.0);
        Ring {
            g,
            slot_of,
            slots,
            radius,
            cx,
            cy,
            width: 2.0 * cx,
            height: 2.0 * cy,
            max_strength,
        }
    }

    /// Whether `p` is on the circle.
    pub(super) fn contains(&self, p: PersonIx) -> bool {
        self.slot_of.contains_key(&p)
    }

    /// The angle of `p`'s slot.
    pub(super) fn angle(&self, p: PersonIx) -> f64 {
        slot_angle(self.slot_of[&p], self.slots)
    }

    /// The point at distance `r` from the centre in the direction of `p`'s slot.
    pub(super) fn at(&self, p: PersonIx, r: f64) -> (f64, f64) {
        let t = self.angle(p);
        (self.cx + r * t.cos(), self.cy + r * t.sin())
    }

    /// The control point of the curve from `a` to `b`: their midpoint pulled towards the centre.
    pub(super) fn bend(&self, (ax, ay): (f64, f64), (bx, by): (f64, f64)) -> (f64, f64) {
        (
            self.cx + ((ax + bx) / 2.0 - self.cx) * 0.3,
            self.cy + ((ay + by) / 2.0 - self.cy) * 0.3,
        )
    }

    /// The radius of `p`'s mark: larger for stronger people.
    pub(super) fn node_radius(&self, p: PersonIx) -> f64 {
        3.5 + 4.5 * (self.g.strength(p) as f64 / self.max_strength).sqrt()
    }

    /// Where `p`'s name starts beyond a mark of radius `r`, and its text anchor: level with the
    /// mark and beside it, reading away from the circle (so names keep the slots' spacing).
    pub(super) fn label(&self, p: PersonIx, r: f64) -> (f64, f64, &'static str) {
        let (x, y) = self.at(p, self.radius);
        if self.angle(p).cos() < 0.0 {
            (x - r - 4.0, y, "end")
        } else {
            (x + r + 4.0, y, "start")
        }
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
    fn slots_are_a_line_apart_in_height_down_the_right_and_up_the_left() {
        for slots in [1usize, 2, 7, 56, 157] {
            let right = slots.div_ceil(2);
            let heights: Vec<f64> = (0..slots).map(|k| slot_angle(k, slots).sin()).collect();
            for k in 0..slots {
                let t = slot_angle(k, slots);
                // The right half goes down, the left half up: level names read away from the
                // circle on both.
                assert_eq!(t.cos() > 0.0, k < right, "{slots}: {k}");
            }
            for half in [&heights[..right], &heights[right..]] {
                let steps: Vec<f64> = half.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
                for s in &steps {
                    assert!(
                        (s - 2.0 / half.len() as f64).abs() < 1e-9,
                        "{slots}: {steps:?}"
                    );
                }
            }
            // With the radius a half-circle of lines (as `Ring` takes it), a slot is a line away.
            let radius = right as f64 * LINE / 2.0;
            assert!(radius * 2.0 / right as f64 >= LINE - 1e-9);
        }
    }

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
