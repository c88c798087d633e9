//! Dates in plain English: one point at its precision, a span with what its ends share written
//! once, open and unknown ends, years before 1 with their era. The rules are listed in the
//! module documentation of `date`; this file only applies them. Parsing is `parse.rs`'s.

use super::{Missing, Point, Prec, Shape};

/// The months' names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A year for readers, as the timeline heads its groups: "2013", "800 CE", "44 BCE", "1 BCE"
/// (year 0), "170,000,002".
pub fn year_label(year: i64) -> String {
    year_text(year, false)
}

/// The whole date.
pub(super) fn shape(s: &Shape) -> String {
    match s {
        Shape::On(p) => point(p, false),
        Shape::Span(a, b) => span(a, b),
        Shape::From(p, Missing::Open) => format!("from {} on", point(p, false)),
        Shape::From(p, Missing::Unknown) => format!("from {} (end unknown)", point(p, false)),
        Shape::Until(Missing::Open, p) => format!("until {}", point(p, false)),
        Shape::Until(Missing::Unknown, p) => format!("until {} (start unknown)", point(p, false)),
    }
}

pub(super) fn month_name(m: u8) -> &'static str {
    MONTHS[usize::from(m.clamp(1, 12) - 1)]
}

fn season_name(code: u8) -> &'static str {
    match code {
        21 => "Spring",
        22 => "Summer",
        23 => "Autumn",
        _ => "Winter",
    }
}

/// A year with its era: years up to 0 are BCE (0 is 1 BCE); years 1 to 999 are CE ("September
/// 14" would read as a day), and so are later ones with `ce`, for a span that starts BCE.
pub(super) fn year_text(y: i64, ce: bool) -> String {
    if y <= 0 {
        format!("{} BCE", grouped(1 - y))
    } else if ce || y < 1000 {
        format!("{} CE", grouped(y))
    } else {
        grouped(y)
    }
}

/// Thousands separators from 10,000 on ("2013" stays as it is).
fn grouped(n: i64) -> String {
    let digits = n.to_string();
    if n < 10_000 {
        return digits;
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// From year `a` to year `b`, era written once when both share it: "1962–1967", "100–44
/// BCE", "14–37 CE", "44 BCE – 14 CE".
fn year_range(a: i64, b: i64) -> String {
    if a >= 1 || b <= 0 {
        let era = match (b <= 0, a < 1000) {
            (true, _) => " BCE",
            (false, true) => " CE",
            (false, false) => "",
        };
        let (a, b) = if b <= 0 { (1 - a, 1 - b) } else { (a, b) };
        format!("{}–{}{era}", grouped(a), grouped(b))
    } else {
        format!("{} – {}", year_text(a, false), year_text(b, true))
    }
}

/// A point with its qualifiers: "c. 1975", "1975 (uncertain)".
fn point(p: &Point, ce: bool) -> String {
    let body = body(p, ce);
    let body = if p.approximate {
        // "c. 1600s", not "c. 1600s".
        format!("c. {}", body.strip_prefix("the ").unwrap_or(&body))
    } else {
        body
    };
    if p.uncertain {
        format!("{body} (uncertain)")
    } else {
        body
    }
}

/// A point without its qualifiers.
fn body(p: &Point, ce: bool) -> String {
    let (f, year) = (p.first, year_text(p.first.y, ce));
    match p.precision {
        Prec::Day => format!("{} {}, {year}", month_name(f.m), f.d),
        Prec::Month => format!("{} {year}", month_name(f.m)),
        Prec::Season(s) => format!("{} {year}", season_name(s)),
        Prec::Year => year,
        Prec::Years(x) => {
            // "the 1970s" only where it cannot be misread: 4 digits, and not "the 2000s" for
            // a decade (200X) or a century (20XX).
            let unit = if x == 1 { 100 } else { 1000 };
            if f.y >= 1000 && f.y % unit != 0 {
                format!("the {}s", f.y)
            } else {
                year_range(f.y, p.last.y)
            }
        }
    }
}

/// Both ends known: what they share written once.
fn span(a: &Point, b: &Point) -> String {
    if !a.qualified()
        && !b.qualified()
        && let Some(s) = collapsed(a, b)
    {
        return s;
    }
    let ce = a.first.y <= 0 && b.first.y >= 1;
    join(&point(a, false), &point(b, ce))
}

/// An en dash, spaced when either side has a space.
fn join(a: &str, b: &str) -> String {
    if a.contains(' ') || b.contains(' ') {
        format!("{a} – {b}")
    } else {
        format!("{a}–{b}")
    }
}

/// Two unqualified ends of the same precision, with their shared parts written once.
fn collapsed(a: &Point, b: &Point) -> Option<String> {
    let (x, y) = (a.first, b.first);
    let year = year_text(x.y, false);
    let same_year = x.y == y.y;
    Some(match (a.precision, b.precision) {
        (Prec::Year, Prec::Year) if same_year => year,
        (Prec::Year, Prec::Year) => year_range(x.y, y.y),
        (Prec::Month, Prec::Month) if same_year && x.m == y.m => body(a, false),
        (Prec::Month, Prec::Month) if same_year => {
            format!("{}–{} {year}", month_name(x.m), month_name(y.m))
        }
        (Prec::Season(s), Prec::Season(t)) if same_year && s == t => body(a, false),
        (Prec::Season(s), Prec::Season(t)) if same_year => {
            format!("{}–{} {year}", season_name(s), season_name(t))
        }
        (Prec::Day, Prec::Day) if x == y => body(a, false),
        (Prec::Day, Prec::Day) if same_year && x.m == y.m => {
            format!("{} {}–{}, {year}", month_name(x.m), x.d, y.d)
        }
        (Prec::Day, Prec::Day) if same_year => format!(
            "{} {} – {} {}, {year}",
            month_name(x.m),
            x.d,
            month_name(y.m),
            y.d
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::Date;
    use super::year_label;

    fn show(s: &str) -> String {
        Date::parse(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .display()
    }

    #[test]
    fn points_read_at_their_precision() {
        assert_eq!(show("2013-07-18"), "July 18, 2013");
        assert_eq!(show("2013-07"), "July 2013");
        assert_eq!(show("2013"), "2013");
        assert_eq!(show("2013-21"), "Spring 2013");
        assert_eq!(show("2013-24"), "Winter 2013");
        assert_eq!(show("2013-XX"), "2013");
        assert_eq!(show("2013-07-XX"), "July 2013");
        assert_eq!(show("2013-XX-XX"), "2013");
        assert_eq!(show("1975~"), "c. 1975");
        assert_eq!(show("1975?"), "1975 (uncertain)");
        assert_eq!(show("1975%"), "c. 1975 (uncertain)");
        assert_eq!(show("2013-07-18?"), "July 18, 2013 (uncertain)");
    }

    #[test]
    fn decades_and_centuries_read_as_words_only_where_unambiguous() {
        assert_eq!(show("197X"), "the 1970s");
        assert_eq!(show("19XX"), "the 1900s");
        assert_eq!(show("190X"), "1900–1909");
        assert_eq!(show("200X"), "2000–2009");
        assert_eq!(show("20XX"), "2000–2099");
        assert_eq!(show("099X"), "990–999 CE");
        assert_eq!(show("16XX~"), "c. 1600s");
    }

    #[test]
    fn years_before_one_carry_their_era() {
        assert_eq!(show("-0043"), "44 BCE");
        assert_eq!(show("-0043-03"), "March 44 BCE");
        assert_eq!(show("-0043-03-15"), "March 15, 44 BCE");
        assert_eq!(show("0000"), "1 BCE");
        assert_eq!(show("0001"), "1 CE");
        assert_eq!(show("0014-09"), "September 14 CE");
        assert_eq!(show("0014/0037"), "14–37 CE");
        assert_eq!(show("0014-07-18/0014-07-29"), "July 18–29, 14 CE");
        assert_eq!(show("-01XX"), "200–101 BCE");
        assert_eq!(show("-000X"), "10–2 BCE");
        assert_eq!(show("000X"), "1 BCE – 9 CE");
        assert_eq!(show("-0099/-0043"), "100–44 BCE");
        assert_eq!(show("-0043/0014"), "44 BCE – 14 CE");
        assert_eq!(
            show("-0043-03-15/0014-08-19"),
            "March 15, 44 BCE – August 19, 14 CE"
        );
        assert_eq!(show("Y-170000002"), "170,000,003 BCE");
        assert_eq!(show("Y170000002"), "170,000,002");
        assert_eq!(show("Y-999999999999"), "1,000,000,000,000 BCE");
        assert_eq!(year_label(-43), "44 BCE");
        assert_eq!(year_label(0), "1 BCE");
        assert_eq!(year_label(12015), "12,015");
        assert_eq!(year_label(800), "800 CE");
    }

    #[test]
    fn spans_write_shared_parts_once() {
        assert_eq!(show("2013-07-18/2013-07-18"), "July 18, 2013");
        assert_eq!(show("2013-07/2013-07"), "July 2013");
        assert_eq!(show("2013/2013"), "2013");
        assert_eq!(show("2013-21/2013-21"), "Spring 2013");
        assert_eq!(show("2013-07-18/2013-07-29"), "July 18–29, 2013");
        assert_eq!(show("2013-07-18/2013-08-02"), "July 18 – August 2, 2013");
        assert_eq!(
            show("2013-12-30/2014-01-02"),
            "December 30, 2013 – January 2, 2014"
        );
        assert_eq!(show("1962/1967"), "1962–1967");
        assert_eq!(show("1969-09/1969-11"), "September–November 1969");
        assert_eq!(show("2013-11/2014-01"), "November 2013 – January 2014");
        assert_eq!(show("2013-21/2013-23"), "Spring–Autumn 2013");
        assert_eq!(show("2013-24/2014-21"), "Winter 2013 – Spring 2014");
        assert_eq!(show("2013/2014-05"), "2013 – May 2014");
        assert_eq!(show("2013-07-18/2014"), "July 18, 2013 – 2014");
        assert_eq!(show("Y12015/Y12016"), "12,015–12,016");
    }

    #[test]
    fn qualified_ends_are_written_in_full() {
        assert_eq!(show("1984~/2004"), "c. 1984 – 2004");
        assert_eq!(show("1984~/2004~"), "c. 1984 – c. 2004");
        assert_eq!(
            show("2013-07-18?/2013-07-20"),
            "July 18, 2013 (uncertain) – July 20, 2013"
        );
    }

    #[test]
    fn open_and_unknown_ends_read_in_words() {
        assert_eq!(show("2013-07/.."), "from July 2013 on");
        assert_eq!(show("../2014"), "until 2014");
        assert_eq!(show("2013-07/"), "from July 2013 (end unknown)");
        assert_eq!(show("/2014"), "until 2014 (start unknown)");
        assert_eq!(show("1984~/.."), "from c. 1984 on");
    }
}
