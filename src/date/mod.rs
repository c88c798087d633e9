//! Event dates: EDTF strings (ISO 8601-2, levels 0 and 1) parsed with `edtf-core`.
//! Owns validation, the sort key (a partial date sorts at the start of its span) and the
//! display at the date's own precision ("July 2013", "c. 1975", "the 1970s").

use edtf_core::{Bound, BoundDate, Date as EDate, Edtf, IntervalEndpoint, Precision};

const MONTHS: [&str; 12] = [
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

/// A validated event date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date {
    /// The EDTF text as written.
    pub edtf: String,
    start: Point,
    end: Option<Point>,
}

/// One dated point with its precision and qualifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Point {
    /// Earliest calendar day the point covers.
    earliest: BoundDate,
    precision: Prec,
    approximate: bool,
    uncertain: bool,
}

/// How finely a point is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Century,
    Decade,
    Year,
    Season(u8),
    Month,
    Day,
}

/// A date is what its text says: the points are read from it.
impl std::hash::Hash for Date {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.edtf.hash(state);
    }
}

/// The key the timeline sorts by: the first day covered, then coarser precision first.
pub type SortKey = (i64, u8, u8, u8);

impl Date {
    /// Parse an EDTF date. Errors say what is wrong in words a writer understands.
    pub fn parse(text: &str) -> Result<Date, String> {
        let t = text.trim();
        let parsed = Edtf::parse(t).map_err(|e| explain(t, e.message, e.offset))?;
        if parsed.level() > 1 {
            return Err(format!(
                "\"{t}\" uses EDTF level 2 features; use a level 0 or 1 date such as \"2013-07-18\", \"2013-07\", \"1975~\" or \"197X\""
            ));
        }
        match parsed {
            Edtf::Date(d) => Ok(Date {
                edtf: t.to_string(),
                start: point(&d)?,
                end: None,
            }),
            Edtf::Interval(iv) => {
                let (IntervalEndpoint::Date(a), IntervalEndpoint::Date(b)) = (iv.start, iv.end)
                else {
                    return Err(format!(
                        "\"{t}\" is an open or unknown interval; give both ends, as in \"2013-12-01/2013-12-10\""
                    ));
                };
                let (start, end) = (point(&a)?, point(&b)?);
                if end.earliest < start.earliest {
                    return Err(format!("\"{t}\" ends before it starts"));
                }
                Ok(Date {
                    edtf: t.to_string(),
                    start,
                    end: Some(end),
                })
            }
            Edtf::DateTime(_) => Err(format!(
                "\"{t}\" has a time of day; give the date only, as in \"2013-07-18\""
            )),
            Edtf::Set(_) => Err(format!(
                "\"{t}\" is a set of dates; give one date or an interval"
            )),
        }
    }

    pub fn sort_key(&self) -> SortKey {
        let p = &self.start;
        (
            p.earliest.year,
            p.earliest.month,
            p.earliest.day,
            p.precision.rank(),
        )
    }

    /// The year the date starts in (the timeline groups by it).
    pub fn year(&self) -> i64 {
        self.start.earliest.year
    }

    /// The month (1–12) the date starts in, when it is known to the month.
    pub fn month(&self) -> Option<u8> {
        (self.start.precision >= Prec::Month).then_some(self.start.earliest.month)
    }

    /// A value for `<time datetime="...">`: the start, at its precision.
    pub fn datetime(&self) -> String {
        let p = &self.start;
        let y = p.earliest.year;
        match p.precision {
            Prec::Day => format!("{y:04}-{:02}-{:02}", p.earliest.month, p.earliest.day),
            Prec::Month => format!("{y:04}-{:02}", p.earliest.month),
            _ => format!("{y:04}"),
        }
    }

    /// Human display at the date's precision: "July 18, 2013", "July 2013", "c. 1975",
    /// "the 1970s", "December 1–10, 2013".
    pub fn display(&self) -> String {
        let Some(end) = &self.end else {
            return self.start.display();
        };
        let (a, b) = (&self.start, end);
        let plain = |p: &Point| !p.approximate && !p.uncertain;
        if plain(a) && plain(b) && a.earliest.year == b.earliest.year {
            let y = a.earliest.year;
            match (a.precision, b.precision) {
                (Prec::Day, Prec::Day) if a.earliest.month == b.earliest.month => {
                    return format!(
                        "{} {}–{}, {y}",
                        month(a.earliest.month),
                        a.earliest.day,
                        b.earliest.day
                    );
                }
                (Prec::Day, Prec::Day) => {
                    return format!(
                        "{} {} – {} {}, {y}",
                        month(a.earliest.month),
                        a.earliest.day,
                        month(b.earliest.month),
                        b.earliest.day
                    );
                }
                (Prec::Month, Prec::Month) => {
                    return format!(
                        "{}–{} {y}",
                        month(a.earliest.month),
                        month(b.earliest.month)
                    );
                }
                _ => {}
            }
        }
        format!("{} – {}", a.display(), b.display())
    }

    /// True when the date covers more than one day or is qualified: shown with a hint.
    pub fn is_partial(&self) -> bool {
        self.end.is_some()
            || self.start.precision != Prec::Day
            || self.start.approximate
            || self.start.uncertain
    }
}

impl Prec {
    fn rank(self) -> u8 {
        match self {
            Prec::Century => 0,
            Prec::Decade => 1,
            Prec::Year => 2,
            Prec::Season(_) => 3,
            Prec::Month => 4,
            Prec::Day => 5,
        }
    }
}

impl Point {
    fn display(&self) -> String {
        let y = self.earliest.year;
        let year = if y < 0 {
            format!("{} BCE", 1 - y)
        } else {
            y.to_string()
        };
        let body = match self.precision {
            Prec::Day => format!(
                "{} {}, {year}",
                month(self.earliest.month),
                self.earliest.day
            ),
            Prec::Month => format!("{} {year}", month(self.earliest.month)),
            Prec::Season(s) => format!("{} {year}", season(s)),
            Prec::Year => year,
            Prec::Decade => format!("the {y}s"),
            Prec::Century => format!("the {y}s"),
        };
        let body = if self.approximate {
            format!("c. {body}")
        } else {
            body
        };
        if self.uncertain {
            format!("{body} (uncertain)")
        } else {
            body
        }
    }
}

fn month(m: u8) -> &'static str {
    MONTHS[(m.clamp(1, 12) - 1) as usize]
}

fn season(code: u8) -> &'static str {
    match code {
        21 | 25 | 29 => "Spring",
        22 | 26 | 30 => "Summer",
        23 | 27 | 31 => "Autumn",
        24 | 28 | 32 => "Winter",
        _ => "Part of",
    }
}

fn point(d: &EDate) -> Result<Point, String> {
    let bounds = Edtf::Date(*d).bounds();
    let Bound::Date(earliest) = bounds.earliest else {
        return Err("the date is out of the range Dossier can place on a timeline".into());
    };
    let year_unspecified = d.year.has_unspecified();
    let precision = if year_unspecified {
        match d.year.kind {
            edtf_core::YearKind::Standard { digits, .. } if digits[2].is_none() => Prec::Century,
            _ => Prec::Decade,
        }
    } else {
        match d.precision() {
            Precision::Day if d.day.is_some_and(|f| f.has_unspecified()) => {
                if d.month.is_some_and(|f| f.has_unspecified()) {
                    Prec::Year
                } else {
                    Prec::Month
                }
            }
            Precision::Day => Prec::Day,
            Precision::Month if d.month.is_some_and(|f| f.has_unspecified()) => Prec::Year,
            Precision::Month => Prec::Month,
            Precision::Season => Prec::Season(d.month.and_then(|m| m.value()).unwrap_or(21)),
            Precision::Year => Prec::Year,
        }
    };
    Ok(Point {
        earliest,
        precision,
        approximate: d.is_approximate(),
        uncertain: d.is_uncertain(),
    })
}

/// Turn edtf-core's terse messages into advice for the common mistakes.
fn explain(text: &str, message: &str, offset: usize) -> String {
    let parts: Vec<&str> = text.split('-').collect();
    if parts.len() >= 2 && parts[0].len() == 4 && parts[0].chars().all(|c| c.is_ascii_digit()) {
        if let Ok(m) = parts[1].parse::<u32>() {
            if !(1..=12).contains(&m) && parts[1].len() == 2 {
                return format!("invalid date \"{text}\": there is no month {m}");
            }
            if let Some(Ok(d)) = parts.get(2).map(|d| d.parse::<u32>()) {
                return format!(
                    "invalid date \"{text}\": {} {} has no day {d}",
                    month(m as u8),
                    parts[0]
                );
            }
        }
    }
    format!(
        "invalid date \"{text}\": {message} (at character {}); write EDTF such as \"2013-07-18\", \"2013-07\", \"2013\", \"1975~\", \"197X\" or \"2013-12-01/2013-12-10\"",
        offset + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn displays_at_precision() {
        assert_eq!(d("2013-07-18").display(), "July 18, 2013");
        assert_eq!(d("2013-07").display(), "July 2013");
        assert_eq!(d("2013").display(), "2013");
        assert_eq!(d("1975~").display(), "c. 1975");
        assert_eq!(d("197X").display(), "the 1970s");
        assert_eq!(d("2013-12-01/2013-12-10").display(), "December 1–10, 2013");
        assert_eq!(
            d("2013-11/2014-01").display(),
            "November 2013 – January 2014"
        );
    }

    #[test]
    fn partial_dates_sort_at_the_start_of_their_span() {
        let mut v = vec![
            d("2013-07-18"),
            d("2013-07"),
            d("2013"),
            d("197X"),
            d("2012-12-31"),
        ];
        v.sort_by_key(Date::sort_key);
        let order: Vec<_> = v.iter().map(|x| x.edtf.as_str()).collect();
        assert_eq!(
            order,
            ["197X", "2012-12-31", "2013", "2013-07", "2013-07-18"]
        );
    }

    #[test]
    fn rejects_impossible_dates_with_advice() {
        assert_eq!(
            Date::parse("2013-02-30").unwrap_err(),
            "invalid date \"2013-02-30\": February 2013 has no day 30"
        );
        assert_eq!(
            Date::parse("2013-13").unwrap_err(),
            "invalid date \"2013-13\": there is no month 13"
        );
        assert!(
            Date::parse("July 2013")
                .unwrap_err()
                .starts_with("invalid date \"July 2013\"")
        );
    }

    #[test]
    fn datetime_attribute_uses_the_start() {
        assert_eq!(d("2013-07").datetime(), "2013-07");
        assert_eq!(d("197X").datetime(), "1970");
        assert_eq!(d("2013-12-01/2013-12-10").datetime(), "2013-12-01");
    }
}
