//! Where each point's name goes: a deterministic greedy placement. Points are taken in order
//! of priority (the highlighted place, then the most events, then the name); for each, the
//! positions around its mark are tried in a fixed order (right, left, the four diagonals,
//! above, below), first beside it, then twice further out with a leader line, and the first
//! position whose box stays inside the drawing and clear of every mark, every label already
//! placed and every leader line is taken. A name with no free position is left out of the
//! drawing (the point keeps its link and its name as a tooltip and in the list beside the map).
//! An area's name (a country, a region: no mark) is centred on its point, or just above or
//! below it, where free; areas are placed after the points' names, so they never push one out.
//!
//! Text widths are estimated from the characters (no font is read at build time),
//! generously, so that a real sans-serif label stays inside its box. The stylesheet may draw
//! labels smaller than [`super::FONT`] on wide screens: each box shrinks towards its anchor,
//! so labels that do not overlap at this size never overlap at a smaller one.

/// A box of the drawing: `x0 <= x1`, `y0 <= y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    fn inside(&self, o: &Rect) -> bool {
        self.x0 >= o.x0 && self.x1 <= o.x1 && self.y0 >= o.y0 && self.y1 <= o.y1
    }

    /// The point of the box nearest to (x, y).
    fn nearest(&self, x: f64, y: f64) -> (f64, f64) {
        (x.clamp(self.x0, self.x1), y.clamp(self.y0, self.y1))
    }

    fn hits_circle(&self, m: &Mark, pad: f64) -> bool {
        let (nx, ny) = self.nearest(m.x, m.y);
        (nx - m.x).hypot(ny - m.y) < m.r + pad
    }

    fn grown(&self, d: f64) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }
}

/// A point's mark: a circle.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub r: f64,
}

/// How a label's text is anchored at its `x` (SVG `text-anchor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A placed label: its anchor point (the text's vertical middle), its box, and a leader line
/// from the mark's edge to the box when it stands away from the mark.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Label {
    pub x: f64,
    pub y: f64,
    pub anchor: Anchor,
    pub rect: Rect,
    pub leader: Option<[(f64, f64); 2]>,
}

/// Space kept between a label and anything else.
const PAD: f64 = 1.5;
/// How much further out each ring of positions is than the last.
const RING: f64 = 14.0;

/// The directions tried, in order: (dx, dy) with the anchor a label takes there.
const DIRECTIONS: [(f64, f64, Anchor); 8] = [
    (1.0, 0.0, Anchor::Start),
    (-1.0, 0.0, Anchor::End),
    (0.71, -0.71, Anchor::Start),
    (0.71, 0.71, Anchor::Start),
    (-0.71, -0.71, Anchor::End),
    (-0.71, 0.71, Anchor::End),
    (0.0, -1.0, Anchor::Middle),
    (0.0, 1.0, Anchor::Middle),
];

/// The estimated width of `text` at `font` units: per-character widths of a sans-serif face,
/// rounded up.
pub fn text_width(text: &str, font: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | 'I' | '.' | ',' | '\'' | '’' | '|' | '!' | ':' | ';' => 0.3,
            'f' | 't' | 'r' | ' ' | '(' | ')' | '-' | '‘' => 0.38,
            'm' | 'w' | 'M' | 'W' | '@' => 0.92,
            'A'..='Z' => 0.72,
            '0'..='9' => 0.6,
            'a'..='z' => 0.58,
            c if (c as u32) >= 0x1100 && !c.is_alphabetic() => 1.0,
            c if (c as u32) >= 0x2E80 => 1.0,
            _ => 0.66,
        })
        .sum();
    em * font * 1.04 + 2.0
}

/// Place the labels of `marks` (names in `names`, same order), trying them in `order`, inside
/// `frame`; `font` is the label size in units and `bold` says which label is drawn bold (a
/// little wider). Returns each mark's label, or `None` where no position was free. (The drawing
/// uses a [`Placer`] itself, to place areas' names after the points'.)
#[cfg(test)]
pub fn place(
    marks: &[Mark],
    names: &[&str],
    order: &[usize],
    frame: Rect,
    font: f64,
    bold: Option<usize>,
) -> Vec<Option<Label>> {
    let mut placer = Placer::new(marks, frame);
    let mut out: Vec<Option<Label>> = vec![None; marks.len()];
    for &i in order {
        let scale = if bold == Some(i) { 1.1 } else { 1.0 };
        out[i] = placer.point(i, text_width(names[i], font) * scale, font * 1.25);
    }
    out
}

/// The placement under way: the marks, and the boxes and leader lines of the labels placed so
/// far, which every later label keeps clear of. Labels placed first win.
pub struct Placer<'m> {
    marks: &'m [Mark],
    frame: Rect,
    taken: Vec<Rect>,
    leaders: Vec<[(f64, f64); 2]>,
}

impl<'m> Placer<'m> {
    pub fn new(marks: &'m [Mark], frame: Rect) -> Placer<'m> {
        Placer {
            marks,
            frame,
            taken: Vec::new(),
            leaders: Vec::new(),
        }
    }

    /// Is `l` inside the frame and clear of every mark, label and leader line so far (its own
    /// leader clear too, `own` being its mark)?
    fn free(&self, l: &Label, own: Option<usize>) -> bool {
        l.rect.inside(&self.frame)
            && !self.taken.iter().any(|t| t.overlaps(&l.rect.grown(PAD)))
            && !self.marks.iter().any(|m| l.rect.hits_circle(m, PAD))
            && !self.leaders.iter().any(|s| crosses(&l.rect, *s))
            && l.leader
                .is_none_or(|s| own.is_some_and(|i| leader_clear(s, i, self.marks, &self.taken)))
    }

    fn take(&mut self, l: Label) -> Option<Label> {
        self.taken.push(l.rect);
        self.leaders.extend(l.leader);
        Some(l)
    }

    /// The label of mark `i`, `w` × `h` units: the first free position around it (beside it,
    /// then further out with a leader line), or `None`.
    pub fn point(&mut self, i: usize, w: f64, h: f64) -> Option<Label> {
        let m = self.marks[i];
        let found = (0..3)
            .flat_map(|ring| DIRECTIONS.iter().map(move |d| (ring, d)))
            .map(|(ring, &d)| candidate(m, w, h, ring as f64 * RING, d))
            .find(|l| self.free(l, Some(i)))?;
        self.take(found)
    }

    /// The name of an area, `w` × `h` units, centred on its point (`x`, `y`) without a mark,
    /// or moved up or down by most of its height: the first free position, or `None`.
    pub fn area(&mut self, x: f64, y: f64, w: f64, h: f64) -> Option<Label> {
        let found = [0.0, -0.8, 0.8]
            .into_iter()
            .map(|dy| {
                let y = y + dy * h;
                Label {
                    x,
                    y,
                    anchor: Anchor::Middle,
                    rect: Rect {
                        x0: x - w / 2.0,
                        y0: y - h / 2.0,
                        x1: x + w / 2.0,
                        y1: y + h / 2.0,
                    },
                    leader: None,
                }
            })
            .find(|l| self.free(l, None))?;
        self.take(found)
    }
}

/// The label of a mark `m` in direction (dx, dy), `extra` units further out than beside it.
fn candidate(m: Mark, w: f64, h: f64, extra: f64, (dx, dy, anchor): (f64, f64, Anchor)) -> Label {
    let gap = m.r + 3.0 + extra;
    let x = m.x + dx * gap;
    // Above and below, the box's near edge is `gap` away; on the sides, its middle is level
    // with the direction (raised or lowered by a third of its height on the diagonals).
    let y = m.y + dy * gap + dy.signum() * h * if dx == 0.0 { 0.5 } else { 0.3 };
    let (x0, x1) = match anchor {
        Anchor::Start => (x, x + w),
        Anchor::End => (x - w, x),
        Anchor::Middle => (x - w / 2.0, x + w / 2.0),
    };
    let rect = Rect {
        x0,
        y0: y - h / 2.0,
        x1,
        y1: y + h / 2.0,
    };
    let leader = (extra > 0.0).then(|| {
        let (nx, ny) = rect.nearest(m.x, m.y);
        let d = (nx - m.x).hypot(ny - m.y).max(1e-9);
        let from = (m.x + (nx - m.x) / d * m.r, m.y + (ny - m.y) / d * m.r);
        let to = (nx - (nx - m.x) / d * 1.5, ny - (ny - m.y) / d * 1.5);
        [from, to]
    });
    Label {
        x,
        y,
        anchor,
        rect,
        leader,
    }
}

/// Does the segment pass through the box? (Sampled: leader lines are short.)
fn crosses(r: &Rect, [(x0, y0), (x1, y1)]: [(f64, f64); 2]) -> bool {
    (0..=16).any(|k| {
        let t = f64::from(k) / 16.0;
        let (x, y) = (x0 + t * (x1 - x0), y0 + t * (y1 - y0));
        x > r.x0 && x < r.x1 && y > r.y0 && y < r.y1
    })
}

/// A leader line must cross no label already placed and no other mark.
fn leader_clear(s: [(f64, f64); 2], own: usize, marks: &[Mark], taken: &[Rect]) -> bool {
    !taken.iter().any(|t| crosses(&t.grown(PAD), s))
        && !marks.iter().enumerate().any(|(j, m)| {
            j != own && {
                let box_ = Rect {
                    x0: m.x - m.r,
                    y0: m.y - m.r,
                    x1: m.x + m.r,
                    y1: m.y + m.r,
                };
                crosses(&box_, s)
            }
        })
}
