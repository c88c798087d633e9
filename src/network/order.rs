//! The order of people around the whole network's circle. Sides stay arcs, in their order; within
//! a side, people move towards the people they appear with, so lines are shorter and cross less
//! than in alphabetical order. Deterministic and cheap: a fixed number of barycentric passes
//! (each person placed by the weighted mean direction of their neighbours), each scored by its
//! weighted crossings (counted in O(E log N)), keeping the best, the alphabetical one included, so
//! the result never crosses more than alphabetical order. Ties are broken by the previous order,
//! which starts alphabetical, so two builds give the same circle.
//!
//! It knows slots and numbers only: which people are drawn and where a slot is on the circle
//! belong to `mod.rs` and `layout`.

use std::f64::consts::PI;

/// How many passes: enough for the orders to settle on the documentary and the generated
/// corpora, few enough to stay a small part of a build.
const PASSES: usize = 12;

/// A tie between two nodes (indices into the nodes) and its weight.
pub(super) type Tie = (usize, usize, u32);

/// The circle's slots for groups of these sizes, in order: each group's nodes take consecutive
/// slots, and an empty slot follows each group when there is more than one (so sides are apart).
/// Returns each group's first slot and the number of slots.
pub(super) fn slots(sizes: &[usize]) -> (Vec<usize>, usize) {
    let gap = usize::from(sizes.len() > 1);
    let mut first = Vec::with_capacity(sizes.len());
    let mut at = 0;
    for &n in sizes {
        first.push(at);
        at += n + gap;
    }
    (first, at)
}

/// Each group's nodes in the order that crosses least of those tried. `groups` holds each
/// group's nodes (indices below `nodes`) in their first order; `angle(slot)` is where a slot is
/// on the circle. The result has the same groups with the same nodes, reordered.
pub(super) fn order(
    groups: &[Vec<usize>],
    nodes: usize,
    ties: &[Tie],
    angle: impl Fn(usize) -> f64,
) -> Vec<Vec<usize>> {
    let sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
    let (first, total) = slots(&sizes);
    let mut around: Vec<Vec<(usize, f64)>> = vec![Vec::new(); nodes];
    for &(a, b, w) in ties {
        around[a].push((b, f64::from(w)));
        around[b].push((a, f64::from(w)));
    }
    let angles: Vec<f64> = (0..total).map(&angle).collect();
    let angle = |k: usize| angles[k];
    let mut current = groups.to_vec();
    let mut slot = vec![0; nodes];
    let mut targets = vec![0.0; total];
    place(&current, &first, &mut slot);
    let mut best = (crossings(ties, &slot, total), current.clone());
    for _ in 0..PASSES {
        for (g, members) in current.iter_mut().enumerate() {
            let arc = arc(first[g], members.len(), &angle);
            for (k, t) in targets.iter_mut().enumerate() {
                *t = target(angles[k], arc);
            }
            let keys: Vec<(f64, usize)> = members
                .iter()
                .map(|&u| (pull(u, &around, &slot, &targets), slot[u]))
                .collect();
            let mut pairs: Vec<((f64, usize), usize)> =
                keys.into_iter().zip(members.iter().copied()).collect();
            pairs.sort_by(|x, y| x.0.0.total_cmp(&y.0.0).then(x.0.1.cmp(&y.0.1)));
            for (i, (_, u)) in pairs.into_iter().enumerate() {
                members[i] = u;
                slot[u] = first[g] + i;
            }
        }
        let score = crossings(ties, &slot, total);
        if score < best.0 {
            best = (score, current.clone());
        }
    }
    let mut best = best.1;
    place(&best, &first, &mut slot);
    for _ in 0..SWEEPS {
        if !sweep(&mut best, &first, &around, &mut slot, total) {
            break;
        }
    }
    best
}

/// How many times at most neighbours within a side are swapped where that uncrosses lines.
const SWEEPS: usize = 4;

/// Swap two neighbours of a group wherever that removes weighted crossings: only the pairs of
/// their own lines change, so each swap is judged in O(deg u × deg v). Whether any was swapped.
fn sweep(
    groups: &mut [Vec<usize>],
    first: &[usize],
    around: &[Vec<(usize, f64)>],
    slot: &mut [usize],
    total: usize,
) -> bool {
    let mut swapped = false;
    for (g, members) in groups.iter_mut().enumerate() {
        for i in 1..members.len() {
            let (u, v) = (members[i - 1], members[i]);
            if swap_gain(u, v, around, slot, total) > 0.0 {
                members.swap(i - 1, i);
                slot[u] = first[g] + i;
                slot[v] = first[g] + i - 1;
                swapped = true;
            }
        }
    }
    swapped
}

/// How much weighted crossing swapping `u` and `v` (u just before v) removes. Their lines to
/// others, `u`–`p` and `v`–`q` (p ≠ q): with `u` first, they cross when `q` lies farther round
/// the circle from them than `p`; swapped, when it lies nearer. A line between u and v is
/// unchanged. `v`'s lines sorted by distance with running sums of weight: O(d log d).
fn swap_gain(
    u: usize,
    v: usize,
    around: &[Vec<(usize, f64)>],
    slot: &[usize],
    total: usize,
) -> f64 {
    let from = slot[u];
    let dist = |x: usize| (slot[x] + total - from) % total;
    let mut qs: Vec<(usize, f64)> = around[v]
        .iter()
        .filter(|&&(q, _)| q != u)
        .map(|&(q, w)| (dist(q), w))
        .collect();
    qs.sort_by_key(|q| q.0);
    let mut before = Vec::with_capacity(qs.len() + 1);
    before.push(0.0);
    for (i, q) in qs.iter().enumerate() {
        before.push(before[i] + q.1);
    }
    let all = before[qs.len()];
    let mut gain = 0.0;
    for &(p, wp) in &around[u] {
        if p == v {
            continue;
        }
        let dp = dist(p);
        let nearer = before[qs.partition_point(|q| q.0 < dp)];
        let farther = all - before[qs.partition_point(|q| q.0 <= dp)];
        gain += wp * (farther - nearer);
    }
    gain
}

/// The arc of a group of `n` slots from `first`: its centre and half its width (at least a
/// little, for a group of one).
fn arc(first: usize, n: usize, angle: &impl Fn(usize) -> f64) -> (f64, f64) {
    let centre = angle(first + n / 2);
    let half = wrap(angle(first) - centre)
        .abs()
        .max(wrap(angle(first + n - 1) - centre).abs());
    (centre, half.max(1e-3))
}

/// Every node's slot for groups in this order.
fn place(groups: &[Vec<usize>], first: &[usize], slot: &mut [usize]) {
    for (g, members) in groups.iter().enumerate() {
        for (i, &u) in members.iter().enumerate() {
            slot[u] = first[g] + i;
        }
    }
}

/// Where in its group `u`'s neighbours pull it, as a number that orders the group: the weighted
/// mean of each neighbour's [`target`] (given for each slot in `targets`).
fn pull(u: usize, around: &[Vec<(usize, f64)>], slot: &[usize], targets: &[f64]) -> f64 {
    let (mut sum, mut weight) = (0.0, 0.0);
    for &(v, w) in &around[u] {
        sum += w * targets[slot[v]];
        weight += w;
    }
    if weight > 0.0 {
        sum / weight
    } else {
        targets[slot[u]]
    }
}

/// Where in a group whose arc has centre `arc.0` and half-width `arc.1` a person tied to someone
/// at angle `t` belongs, from -1/half (the counter-clockwise end) to 1/half (the clockwise end).
/// Someone in the group: their own place. Someone outside: the nearer they are to an end, the
/// nearer that end; the farther, the nearer the middle (1/x for x from the centre), so that
/// chords to one side nest instead of crossing.
fn target(t: f64, (centre, half): (f64, f64)) -> f64 {
    let x = wrap(t - centre);
    if x.abs() <= half {
        x / (half * half)
    } else {
        1.0 / x
    }
}

/// An angle brought into (-π, π].
fn wrap(t: f64) -> f64 {
    let t = t.rem_euclid(2.0 * PI);
    if t > PI { t - 2.0 * PI } else { t }
}

/// The weighted crossings of the ties drawn as chords between their nodes' slots (of `total`):
/// two chords cross when exactly one end of one lies strictly between the ends of the other; the
/// pair counts the product of their weights. Chords sorted by their first end, a Fenwick tree of
/// second ends: O(E log N).
pub(super) fn crossings(ties: &[Tie], slot: &[usize], total: usize) -> u64 {
    let mut chords: Vec<(usize, usize, u64)> = ties
        .iter()
        .map(|&(a, b, w)| {
            let (x, y) = (slot[a], slot[b]);
            (x.min(y), x.max(y), u64::from(w))
        })
        .filter(|c| c.0 != c.1)
        .collect();
    chords.sort_unstable();
    let mut tree = vec![0u64; total + 1];
    let sum = |tree: &[u64], mut i: usize| {
        // The weights at slots 0..i.
        let mut s = 0;
        while i > 0 {
            s += tree[i];
            i &= i - 1;
        }
        s
    };
    let mut crossed = 0;
    for run in chords.chunk_by(|x, y| x.0 == y.0) {
        // Chords that started before this run and end strictly inside (l, r) cross it.
        for &(l, r, w) in run {
            crossed += w * (sum(&tree, r) - sum(&tree, l + 1));
        }
        for &(_, r, w) in run {
            let mut i = r + 1;
            while i <= total {
                tree[i] += w;
                i += i & i.wrapping_neg();
            }
        }
    }
    crossed
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::TAU;

    fn even(total: usize) -> impl Fn(usize) -> f64 {
        move |k| TAU * k as f64 / total as f64
    }

    /// Every pair of chords looked at: what `crossings` counts quickly.
    fn crossings_by_pairs(ties: &[Tie], slot: &[usize]) -> u64 {
        let mut n = 0;
        for (i, &(a, b, w)) in ties.iter().enumerate() {
            let (l, r) = (slot[a].min(slot[b]), slot[a].max(slot[b]));
            for &(c, d, v) in &ties[i + 1..] {
                let inside = |s: usize| l < s && s < r;
                let (c, d) = (slot[c], slot[d]);
                if c != l && c != r && d != l && d != r && inside(c) != inside(d) {
                    n += u64::from(w * v);
                }
            }
        }
        n
    }

    /// Two sides of four: each person of one side tied to the "mirror" person of the other, with
    /// alphabetical order putting them so that every chord crosses every other.
    fn mirrored() -> (Vec<Vec<usize>>, Vec<Tie>) {
        let groups = vec![vec![0, 1, 2, 3], vec![4, 5, 6, 7]];
        let ties = vec![(0, 4, 2), (1, 5, 3), (2, 6, 1), (3, 7, 2), (0, 1, 1)];
        (groups, ties)
    }

    fn slots_of(groups: &[Vec<usize>], nodes: usize) -> (Vec<usize>, usize) {
        let sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
        let (first, total) = slots(&sizes);
        let mut slot = vec![0; nodes];
        place(groups, &first, &mut slot);
        (slot, total)
    }

    #[test]
    fn crossings_are_counted_as_pair_by_pair() {
        let (groups, ties) = mirrored();
        let (slot, total) = slots_of(&groups, 8);
        assert_eq!(
            crossings(&ties, &slot, total),
            crossings_by_pairs(&ties, &slot)
        );
        // Chords sharing an end do not cross; nested and apart ones neither.
        let slot: Vec<usize> = (0..8).collect();
        assert_eq!(crossings(&[(0, 4, 1), (0, 2, 1), (5, 7, 1)], &slot, 8), 0);
        assert_eq!(crossings(&[(0, 4, 2), (2, 6, 3)], &slot, 8), 6);
        // Many ties in a pseudo-random order: the same count either way.
        let ties: Vec<Tie> = (0..60)
            .map(|i| ((i * 7) % 23, (i * 11 + 5) % 23, 1 + (i % 4) as u32))
            .filter(|t| t.0 != t.1)
            .collect();
        let slot: Vec<usize> = (0..23).map(|i| (i * 5) % 23).collect();
        assert_eq!(
            crossings(&ties, &slot, 23),
            crossings_by_pairs(&ties, &slot)
        );
    }

    #[test]
    fn the_order_crosses_less_than_alphabetical_and_is_the_same_every_time() {
        let (groups, ties) = mirrored();
        let total = slots(&[4, 4]).1;
        let (alpha, _) = slots_of(&groups, 8);
        let before = crossings(&ties, &alpha, total);
        assert!(before > 0);
        let ordered = order(&groups, 8, &ties, even(total));
        let (slot, _) = slots_of(&ordered, 8);
        let after = crossings(&ties, &slot, total);
        assert_eq!(after, 0, "{ordered:?}: {before} -> {after}");
        // Sides keep their people and stay apart.
        let mut sorted = ordered.clone();
        sorted.iter_mut().for_each(|g| g.sort());
        assert_eq!(sorted, groups);
        assert_eq!(order(&groups, 8, &ties, even(total)), ordered);
    }

    #[test]
    fn the_order_never_crosses_more_than_the_order_it_was_given() {
        // Three sides of five, ties between pseudo-random people.
        let groups: Vec<Vec<usize>> = (0..3).map(|g| (g * 5..g * 5 + 5).collect()).collect();
        let ties: Vec<Tie> = (0..40)
            .map(|i| ((i * 7) % 15, (i * 4 + 3) % 15, 1 + (i % 3) as u32))
            .filter(|t| t.0 != t.1)
            .collect();
        let total = slots(&[5, 5, 5]).1;
        let (alpha, _) = slots_of(&groups, 15);
        let ordered = order(&groups, 15, &ties, even(total));
        let (slot, _) = slots_of(&ordered, 15);
        assert!(crossings(&ties, &slot, total) <= crossings(&ties, &alpha, total));
        assert_eq!(order(&groups, 15, &ties, even(total)), ordered);
    }

    #[test]
    fn a_swap_is_judged_as_counting_every_crossing_would() {
        let groups: Vec<Vec<usize>> = (0..3).map(|g| (g * 6..g * 6 + 6).collect()).collect();
        let ties: Vec<Tie> = (0..50)
            .map(|i| ((i * 5) % 18, (i * 7 + 2) % 18, 1 + (i % 4) as u32))
            .filter(|t| t.0 != t.1)
            .collect();
        let mut around: Vec<Vec<(usize, f64)>> = vec![Vec::new(); 18];
        for &(a, b, w) in &ties {
            around[a].push((b, f64::from(w)));
            around[b].push((a, f64::from(w)));
        }
        let (slot, total) = slots_of(&groups, 18);
        for g in &groups {
            for pair in g.windows(2) {
                let (u, v) = (pair[0], pair[1]);
                let mut swapped = slot.clone();
                swapped.swap(u, v);
                let want = crossings(&ties, &slot, total) as f64
                    - crossings(&ties, &swapped, total) as f64;
                assert_eq!(swap_gain(u, v, &around, &slot, total), want, "{u} {v}");
            }
        }
    }

    #[test]
    fn one_side_has_no_gap_and_several_have_one_after_each() {
        assert_eq!(slots(&[3]), (vec![0], 3));
        assert_eq!(slots(&[3, 2, 1]), (vec![0, 4, 7], 9));
    }
}
