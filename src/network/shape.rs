//! The marks of a drawing: the shape and colour of each side (so sides differ without colour),
//! a side's icon for legends, and numbers as SVG writes them. Where the marks go is `layout`'s,
//! and the drawings that use them are `draw`'s.

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
    pub(super) fn svg(self, x: f64, y: f64, r: f64, extra: &str) -> String {
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
pub(super) fn n(v: f64) -> Tenths {
    Tenths((v * 10.0).round() as i64)
}

#[derive(Clone, Copy)]
pub(super) struct Tenths(i64);

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

/// The fill of a side's shape (also the tone of its people's monograms).
pub fn colour(side: usize) -> &'static str {
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
