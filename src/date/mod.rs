//! Event, person and source dates: EDTF (ISO 8601-2) levels 0 and 1, read by our own parser
//! (`parse.rs`, with `advice.rs` for what a refusal says) and shown in plain English
//! (`display.rs`). This module owns the model, the sort key, and the values machines read
//! (`<time datetime>`, ISO start and end for JSON-LD); it leaves the timeline's grouping and
//! ordering rules to `link` and `render`.
//!
//! **What is accepted.** Every level 0 and 1 form: `2013`, `2013-07`, `2013-07-29`; negative
//! years (`-0044`, astronomical numbering: `0000` is 1 BCE, `-0043` is 44 BCE); years beyond
//! four digits (`Y170000002`, `Y-170000002`, up to twelve digits either way); seasons `2013-21`
//! to `2013-24` (spring, summer, autumn, winter: March–May, June–August, September–November,
//! December–February); one `?` (uncertain), `~` (approximate) or `%` (both) at the end of a
//! date; `X` for the last one or two digits of a year given alone (`201X`, `20XX`, `-01XX`), a
//! whole month (`2013-XX`, `2013-XX-XX`) or a whole day (`2013-07-XX`); intervals `A/B` of any
//! of those, with an open end `..` (`2013-07/..`, `../2014`) or an unknown, empty one (`2013/`,
//! `/2014`), except `X`, which intervals take at level 2 only. An interval must not end before
//! it starts (its end's last day before its start's first day).
//!
//! **What is refused on purpose**, each with a one-line message that names the rule and the fix:
//! spaces anywhere (`" 2013"`); times of day (`2013-07-18T14:00`, level 0: events are placed by
//! day); two-digit centuries (`19`, edtf.js's reading of ISO 8601-1, not EDTF); intervals with no
//! date at either end (`/`, `../..`); years with no known digit (`XXXX`) or three unknown ones
//! (`1XXX`: level 1 allows one or two); years of more than twelve digits; one-digit months and
//! days (`2013-12-1`); and everything of level 2: a qualifier on one part (`?1945`,
//! `2004-06~-11`), `X` inside a part, beside a known month or day or in an interval
//! (`156X-12-25`, `2016-1X`, `2004-06-XX/2004-07-03`), seasons 25–41, sets `[..]` and lists
//! `{..}`, exponents (`Y17E7`) and significant digits (`1950S2`). Calendar mistakes
//! (`2013-02-30`, `2013-13`) and intervals that end before they start are refused as such.
//!
//! **How dates read.** At their precision: "July 18, 2013", "July 2013", "Spring 2013", "2013",
//! "the 1970s" (`197X`), "the 1900s" (`19XX`); a decade or century that could be misread, or
//! one before 1000, as a range ("2000–2009" for `200X`, "2000–2099" for `20XX`); years before 1
//! with their era ("44 BCE", "March 44 BCE", "1 BCE", "200–101 BCE" for `-01XX`), and so years
//! 1 to 999 ("September 14 CE", not a day in September); years from 10,000 on with thousands
//! separators. `~` reads "c. 1975", `?` "1975 (uncertain)".
//!
//! **How spans read.** One en dash between the two sides: without spaces when both sides are
//! one word or number ("1962–1967", "September–November 1969", "July 18–29, 2013"), with a
//! space on each side when either side has a space ("July 18 – August 2, 2013", "November 2013
//! – January 2014", "44 BCE – 14 CE"). What both ends share is written once, and a span of one
//! day, month, season or year reads as that one ("July 18, 2013"; `2013-07/2013-07` reads "July
//! 2013"). A qualified end is always written in full ("c. 1984 – 2004"). Open and unknown ends:
//! `2013-07/..` reads "from July 2013 on", `../2014` "until 2014", `2013-07/` "from July 2013
//! (end unknown)", `/2014` "until 2014 (start unknown)".
//!
//! **Sorting.** A date sorts at the first day it covers, coarser precision first on the same day
//! (`sort_key`); a date whose start is open or unknown sorts at the first day of its end. Every
//! accepted year fits twelve digits, so no arithmetic on it can overflow.

mod advice;
mod display;
mod parse;

/// The whole text being parsed, for messages and fixes.
struct Cx<'a> {
    whole: &'a str,
    depth: u8,
    /// Whether a text parses, at a depth of fixes (the parser, handed to the advice so that it
    /// offers only fixes that parse).
    parses: Parses,
}

/// The parser as the advice calls it: does `text` parse, `depth` fixes deep?
type Parses = fn(&str, u8) -> Result<(), String>;

/// One end of an interval.
enum Side {
    Known(Point),
    Missing(Missing),
}

#[cfg(test)]
mod corpus;

pub use display::{MONTHS, year_label};

/// A validated date, as written in an event, a person or a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date {
    /// The EDTF text as written (it has no spaces: those are refused).
    pub edtf: String,
    shape: Shape,
}

/// What the text says: one date, or an interval with its two ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One date: `2013-07-18`.
    On(Point),
    /// Both ends known: `2013-07-18/2013-07-29`.
    Span(Point, Point),
    /// A known start and no end: `2013-07/..` or `2013-07/`.
    From(Point, Missing),
    /// No start and a known end: `../2014` or `/2014`.
    Until(Missing, Point),
}

/// An interval's end that has no date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Missing {
    /// `..`: the interval runs on (or back) without a bound.
    Open,
    /// An empty end: the bound exists but is not known.
    Unknown,
}

/// One date with its precision and qualifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Point {
    /// The first day it covers.
    first: Ymd,
    /// The last day it covers.
    last: Ymd,
    precision: Prec,
    approximate: bool,
    uncertain: bool,
}

/// A calendar day (proleptic Gregorian, astronomical years), ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Ymd {
    y: i64,
    m: u8,
    d: u8,
}

/// How finely a point is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prec {
    /// A year with its last 1 (decade) or 2 (century) digits unspecified: `197X`, `19XX`.
    Years(u8),
    Year,
    /// Season code 21–24.
    Season(u8),
    Month,
    Day,
}

/// A date is what its text says.
impl std::hash::Hash for Date {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.edtf.hash(state);
    }
}

/// The key the timeline sorts by: the first day covered (year, month, day), then coarser
/// precision first.
pub type SortKey = (i64, u8, u8, u8);

impl Date {
    /// Parse an EDTF level 0 or 1 date. The error is one line of plain English that quotes the
    /// text, names the rule it breaks and says the fix, as in `invalid date "2013-12-1": months
    /// and days take two digits: write "2013-12-01"`.
    pub fn parse(text: &str) -> Result<Date, String> {
        parse::parse(text)
    }

    /// The EDTF text as written, for a `data-edtf` attribute.
    pub fn edtf(&self) -> &str {
        &self.edtf
    }

    /// The first day covered, then coarser precision first; a date with an open or unknown start
    /// sorts at its end. Total for every accepted date.
    pub fn sort_key(&self) -> SortKey {
        let p = self.anchor();
        (p.first.y, p.first.m, p.first.d, p.precision.rank())
    }

    /// The last day the date covers, as (year, month, day): its end's last day (its own for one
    /// date); `None` when its end is open or unknown. The timeline's gaps and a chapter's span
    /// read it.
    pub fn last_day(&self) -> Option<(i64, u8, u8)> {
        match self.shape {
            Shape::On(p) | Shape::Span(_, p) | Shape::Until(_, p) => {
                Some((p.last.y, p.last.m, p.last.d))
            }
            Shape::From(..) => None,
        }
    }

    /// The year the date sorts in (the timeline groups by it); astronomical: 0 is 1 BCE.
    pub fn year(&self) -> i64 {
        self.anchor().first.y
    }

    /// The month (1–12) the date sorts in, when that is known to the month.
    pub fn month(&self) -> Option<u8> {
        let p = self.anchor();
        matches!(p.precision, Prec::Month | Prec::Day).then_some(p.first.m)
    }

    /// The value for `<time datetime="...">`: the start at its precision ("2013-07"), or `None`
    /// when the start is open or unknown or before year 1 (HTML has no such years).
    pub fn datetime(&self) -> Option<String> {
        self.start_iso()
    }

    /// The start as ISO 8601 at its precision ("2013-07-18", "2013-07", "2013"; a season or a
    /// year with X digits gives its first year), or `None` when open, unknown or before year 1.
    pub fn start_iso(&self) -> Option<String> {
        match self.shape {
            Shape::On(p) | Shape::Span(p, _) | Shape::From(p, _) => p.iso(),
            Shape::Until(..) => None,
        }
    }

    /// The end of an interval as ISO 8601 at its precision, or `None` for a single date, an open
    /// or unknown end, or one before year 1.
    pub fn end_iso(&self) -> Option<String> {
        match self.shape {
            Shape::Span(_, p) | Shape::Until(_, p) => p.iso(),
            Shape::On(_) | Shape::From(..) => None,
        }
    }

    /// True when any part is approximate (`~` or `%`).
    pub fn approximate(&self) -> bool {
        self.points().any(|p| p.approximate)
    }

    /// True when any part is uncertain (`?` or `%`).
    pub fn uncertain(&self) -> bool {
        self.points().any(|p| p.uncertain)
    }

    /// Plain English at the date's precision: "July 18, 2013", "c. 1975", "the 1970s", "July
    /// 18–29, 2013", "from July 2013 on" (the module documentation has the rules).
    pub fn display(&self) -> String {
        display::shape(&self.shape)
    }

    /// True when the date covers more than one day or is qualified: shown with a hint.
    pub fn is_partial(&self) -> bool {
        match self.shape {
            Shape::On(p) => p.first != p.last || p.qualified(),
            Shape::Span(a, b) => a.first != b.last || a.qualified() || b.qualified(),
            Shape::From(..) | Shape::Until(..) => true,
        }
    }

    /// The point the date sorts and groups by: its start, or its end when it has no start.
    fn anchor(&self) -> &Point {
        match &self.shape {
            Shape::On(p) | Shape::Span(p, _) | Shape::From(p, _) | Shape::Until(_, p) => p,
        }
    }

    fn points(&self) -> impl Iterator<Item = &Point> {
        let (a, b) = match &self.shape {
            Shape::On(p) | Shape::From(p, _) | Shape::Until(_, p) => (p, None),
            Shape::Span(p, q) => (p, Some(q)),
        };
        std::iter::once(a).chain(b)
    }
}

impl Prec {
    fn rank(self) -> u8 {
        match self {
            Prec::Years(x) => 2 - x.min(2),
            Prec::Year => 2,
            Prec::Season(_) => 3,
            Prec::Month => 4,
            Prec::Day => 5,
        }
    }
}

impl Point {
    fn qualified(&self) -> bool {
        self.approximate || self.uncertain
    }

    /// ISO 8601 at the point's precision (the first year of an X year), from year 1 on.
    fn iso(&self) -> Option<String> {
        let Ymd { y, m, d } = self.first;
        if y < 1 {
            return None;
        }
        Some(match self.precision {
            Prec::Day => format!("{y:04}-{m:02}-{d:02}"),
            Prec::Month => format!("{y:04}-{m:02}"),
            Prec::Years(_) | Prec::Year | Prec::Season(_) => format!("{y:04}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn partial_dates_sort_at_the_start_of_their_span() {
        let mut v = [
            d("2013-07-18"),
            d("2013-07"),
            d("2013"),
            d("197X"),
            d("2012-12-31"),
            d("19XX"),
            d("2013-21"),
        ];
        v.sort_by_key(Date::sort_key);
        let order: Vec<_> = v.iter().map(|x| x.edtf.as_str()).collect();
        assert_eq!(
            order,
            [
                "19XX",
                "197X",
                "2012-12-31",
                "2013",
                "2013-21",
                "2013-07",
                "2013-07-18"
            ]
        );
    }

    #[test]
    fn open_and_unknown_starts_sort_at_their_end() {
        assert_eq!(d("../2014").sort_key(), d("2014").sort_key());
        assert_eq!(d("/2014-03").sort_key(), d("2014-03").sort_key());
        assert_eq!(d("2013-07/..").sort_key(), d("2013-07").sort_key());
        assert_eq!(d("../2014-03").year(), 2014);
        assert_eq!(d("../2014-03").month(), Some(3));
    }

    #[test]
    fn years_before_one_and_far_ones_sort_without_overflow() {
        let keys: Vec<SortKey> = [
            "Y-999999999999",
            "-9999",
            "-01XX",
            "-0043",
            "0000",
            "Y999999999999",
        ]
        .iter()
        .map(|s| d(s).sort_key())
        .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert_eq!(d("-01XX").year(), -199);
        assert_eq!(d("Y-999999999999").year(), -999_999_999_999);
    }

    #[test]
    fn datetime_is_the_start_from_year_one() {
        assert_eq!(d("2013-07").datetime().as_deref(), Some("2013-07"));
        assert_eq!(d("197X").datetime().as_deref(), Some("1970"));
        assert_eq!(
            d("2013-12-01/2013-12-10").datetime().as_deref(),
            Some("2013-12-01")
        );
        assert_eq!(d("0001-03").datetime().as_deref(), Some("0001-03"));
        assert_eq!(d("Y170000002").datetime().as_deref(), Some("170000002"));
        assert_eq!(d("0000").datetime(), None);
        assert_eq!(d("-0043-03-15").datetime(), None);
        assert_eq!(d("../2014").datetime(), None);
    }

    #[test]
    fn iso_ends_for_json_ld() {
        let iso = |s: &str| (d(s).start_iso(), d(s).end_iso());
        let some = |s: &str| Some(s.to_string());
        assert_eq!(iso("2013-07-18"), (some("2013-07-18"), None));
        assert_eq!(iso("2013-07/2014"), (some("2013-07"), some("2014")));
        assert_eq!(iso("196X"), (some("1960"), None));
        assert_eq!(iso("2013-23/2013-24"), (some("2013"), some("2013")));
        assert_eq!(iso("2013-07/.."), (some("2013-07"), None));
        assert_eq!(iso("/2014-03-02"), (None, some("2014-03-02")));
        assert_eq!(iso("-0043/0014"), (None, some("0014")));
        assert_eq!(iso("2013-XX-XX"), (some("2013"), None));
        assert_eq!(iso("2013-07-XX"), (some("2013-07"), None));
    }

    #[test]
    fn qualifiers_are_exposed() {
        let q = |s: &str| (d(s).approximate(), d(s).uncertain());
        assert_eq!(q("2013"), (false, false));
        assert_eq!(q("2013~"), (true, false));
        assert_eq!(q("2013?"), (false, true));
        assert_eq!(q("2013%"), (true, true));
        assert_eq!(q("2012/2013~"), (true, false));
        assert_eq!(q("2012?/.."), (false, true));
    }

    #[test]
    fn partial_means_more_than_a_day_or_qualified() {
        assert!(!d("2013-07-18").is_partial());
        assert!(d("2013-07-18~").is_partial());
        assert!(d("2013-07-XX").is_partial());
        assert!(!d("2013-07-18/2013-07-18").is_partial());
        assert!(d("2013-07-18/2013-07-19").is_partial());
        assert!(d("2013-07-18/..").is_partial());
    }

    /// The fuzz target's checks (fuzz/fuzz_targets/date.rs) over every string of up to four
    /// characters from the EDTF alphabet.
    #[test]
    fn every_short_string_is_read_or_refused_in_one_line() {
        let alphabet = ['0', '1', '2', '9', 'X', '-', '/', '.', '?', '%', 'Y', ' '];
        let mut level = vec![String::new()];
        for _ in 0..4 {
            level = (level.iter())
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            for t in &level {
                match Date::parse(t) {
                    Ok(d) => {
                        assert!(!d.display().is_empty(), "{t}");
                        let _ = (d.sort_key(), d.datetime(), d.end_iso(), d.month());
                    }
                    Err(e) => assert!(e.starts_with("invalid date") && !e.contains('\n')),
                }
            }
        }
    }

    #[test]
    fn the_text_is_kept_for_data_edtf() {
        assert_eq!(d("1984?/2004-06~").edtf(), "1984?/2004-06~");
    }
}
