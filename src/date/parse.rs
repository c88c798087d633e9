//! Reading EDTF text: the grammar of levels 0 and 1, written out by hand so that every refusal
//! can name its rule. (edtf-core, used before, refuses negative years with X digits such as
//! `-01XX`, which level 1 allows; it answers in byte offsets, "day must be two digits (or X)
//! @8"; and it takes years up to ±9.2 × 10^18, where a year's arithmetic overflows.) This file
//! owns what is accepted; what a refusal says, and the fixes, are `advice.rs`'s; the model is
//! `mod.rs`'s and the English `display.rs`'s.

use super::advice::*;
use super::display::{month_name, year_text};
use super::{Date, Missing, Point, Prec, Shape, Ymd};

/// Years take at most twelve digits either way (a trillion years: deep time, no overflow).
const MAX_DIGITS: usize = 12;

/// Parse, or say in one line what is wrong and how to fix it.
pub(super) fn parse(text: &str) -> Result<Date, String> {
    exact(text, 0).map_err(|reason| {
        let reason = repair(text).unwrap_or(reason);
        format!("invalid date {}: {reason}", quote(text))
    })
}

/// The grammar, without repairs. `depth` bounds the checking of suggested fixes.
pub(super) fn exact(text: &str, depth: u8) -> Result<Date, String> {
    let cx = Cx { whole: text, depth };
    if text.is_empty() {
        return Err(EMPTY.into());
    }
    cx.marks()?;
    if let Some(why) = cx.year_first() {
        return Err(why);
    }
    let shape = match text.bytes().filter(|&b| b == b'/').count() {
        0 => Shape::On(cx.point(text, 0)?),
        1 => cx.interval()?,
        _ => return Err(SLASHES.into()),
    };
    Ok(Date {
        edtf: text.to_string(),
        shape,
    })
}

/// The whole text being parsed, for messages and fixes.
pub(super) struct Cx<'a> {
    pub(super) whole: &'a str,
    pub(super) depth: u8,
}

/// One end of an interval.
pub(super) enum Side {
    Known(Point),
    Missing(Missing),
}

/// A year as read: its span of years and how many of its last digits are X.
struct Year {
    first: i64,
    last: i64,
    xs: u8,
}

impl Cx<'_> {
    /// Marks of level 2 and of other notations, anywhere in the text.
    fn marks(&self) -> Result<(), String> {
        let t = self.whole;
        if t.contains(['[', ']']) {
            return Err(SET.into());
        }
        if t.contains(['{', '}']) {
            return Err(LIST.into());
        }
        if t.contains(['(', ')']) {
            return Err(self.with_fix(PARENS, &requalified(t)));
        }
        if !t.contains('/') && t.contains("..") {
            return Err(OPEN_DOTS.into());
        }
        Ok(())
    }

    fn interval(&self) -> Result<Shape, String> {
        let Some((a, b)) = self.whole.split_once('/') else {
            return Err(SLASHES.into());
        };
        let slash = a.len();
        let (start, end) = (self.side(a, 0)?, self.side(b, slash + 1)?);
        if self.whole.contains('X') {
            let fix = format!(
                "{}/{}",
                without_x(a, &start, true),
                without_x(b, &end, false)
            );
            return Err(self.with_fix(X_INTERVAL, &fix));
        }
        Ok(match (start, end) {
            (Side::Known(p), Side::Known(q)) => {
                if q.last < p.first {
                    return Err(self.with_fix(ORDER, &format!("{b}/{a}")));
                }
                Shape::Span(p, q)
            }
            (Side::Known(p), Side::Missing(m)) => Shape::From(p, m),
            (Side::Missing(m), Side::Known(q)) => Shape::Until(m, q),
            (Side::Missing(_), Side::Missing(_)) => return Err(NO_DATE.into()),
        })
    }

    fn side(&self, s: &str, at: usize) -> Result<Side, String> {
        Ok(match s {
            "" => Side::Missing(Missing::Unknown),
            ".." => Side::Missing(Missing::Open),
            _ => Side::Known(self.point(s, at)?),
        })
    }

    /// One date, `s`, found at byte `at` of the whole text.
    fn point(&self, s: &str, at: usize) -> Result<Point, String> {
        let (body, approximate, uncertain) = self.qualifier(s)?;
        if body.contains(['?', '~', '%']) {
            return Err(self.with_fix(PART_QUALIFIER, &requalified(self.whole)));
        }
        if let Some(t) = body.find('T').filter(|&t| t > 0) {
            self.point(&body[..t], at)?;
            let why = format!(
                "{TIME} ({}); give the time in the event's text",
                quote(&body[t..])
            );
            return Err(self.with_fix(&why, &self.with(at, body, &body[..t])));
        }
        let p = match body.strip_prefix('Y') {
            Some(digits) => self.big_year(body, digits, at)?,
            None => self.calendar(body, at)?,
        };
        Ok(Point {
            approximate,
            uncertain,
            ..p
        })
    }

    /// Split the final `?`, `~` or `%` off a date.
    fn qualifier<'s>(&self, s: &'s str) -> Result<(&'s str, bool, bool), String> {
        let (a, u) = match s.bytes().last() {
            Some(b'?') => (false, true),
            Some(b'~') => (true, false),
            Some(b'%') => (true, true),
            _ => return Ok((s, false, false)),
        };
        let body = &s[..s.len() - 1];
        if body.ends_with(['?', '~', '%']) {
            return Err(self.with_fix(TWO_QUALIFIERS, &requalified(self.whole)));
        }
        Ok((body, a, u))
    }

    /// `Y` and more than four digits: `Y170000002`, `Y-170000002`. `body` starts with `Y`.
    fn big_year(&self, body: &str, rest: &str, at: usize) -> Result<Point, String> {
        let (sign, digits) = match rest.strip_prefix('-') {
            Some(d) => ("-", d),
            None => ("", rest),
        };
        if let Some(why) = self.exponent(body, sign, digits, at) {
            return Err(why);
        }
        if let Some(i) = digits.find(|c: char| !c.is_ascii_digit()) {
            if digits.as_bytes()[i] == b'-' && i > 0 {
                let year = &body[..body.len() - digits.len() + i];
                return Err(self.with_fix(
                    r#"a "Y" year stands alone, with no month or day"#,
                    &self.with(at, body, year),
                ));
            }
            return Err(self.unexpected(at + body.len() - digits.len() + i));
        }
        let sig = digits.trim_start_matches('0');
        if digits.is_empty() {
            return Err(r#""Y" starts a year of more than four digits, as in "Y12345""#.into());
        }
        if sig.len() > MAX_DIGITS {
            return Err(format!(
                "Dossier takes years of at most {MAX_DIGITS} digits either way (Y-999999999999 to Y999999999999)"
            ));
        }
        let v = sig.parse::<i64>().unwrap_or(0) * if sign == "-" { -1 } else { 1 };
        if v.abs() <= 9999 {
            let short = if v < 0 {
                format!("-{:04}", -v)
            } else {
                format!("{v:04}")
            };
            let why = r#""Y" marks years of more than four digits"#;
            return Err(self.with_fix(why, &self.with(at, body, &short)));
        }
        if sig.len() != digits.len() {
            let why = "write the year without leading zeros";
            return Err(self.with_fix(why, &self.with(at, body, &format!("Y{sign}{sig}"))));
        }
        Ok(year_point(v, v, 0))
    }

    /// A four-digit year, with a month or season and a day: `2013-07-18`, `-0044`, `201X`.
    fn calendar(&self, body: &str, at: usize) -> Result<Point, String> {
        let (sign, rest) = match body.strip_prefix('-') {
            Some(r) => ("-", r),
            None => ("", body),
        };
        if let Some(why) = self.exponent(body, sign, rest, at) {
            return Err(why);
        }
        if let Some(i) = body.find(|c: char| !(c.is_ascii_digit() || c == 'X' || c == '-')) {
            return Err(self.unexpected(at + i));
        }
        let mut toks = rest.split('-');
        let (ytok, mtok, dtok) = (toks.next().unwrap_or(""), toks.next(), toks.next());
        if toks.next().is_some() {
            return Err(TOO_LONG.into());
        }
        let year = self.year(ytok, sign, mtok.is_some(), body, at)?;
        let Some(mtok) = mtok else {
            return Ok(year_point(year.first, year.last, year.xs));
        };
        if year.xs > 0 {
            return Err(X_LEVEL_2.into());
        }
        let y = year.first;
        let month = self.month(mtok, dtok.is_none(), body, at)?;
        let Some(dtok) = dtok else {
            return Ok(match month {
                None => year_point(y, y, 0),
                Some(m) if m > 12 => season_point(y, m),
                Some(m) => month_point(y, m),
            });
        };
        match month {
            Some(m) if m > 12 => {
                let why = "a season (21 to 24) takes no day";
                Err(self.with_fix(why, &self.with(at, body, &format!("{sign}{ytok}-{mtok}"))))
            }
            Some(m) => self.day(y, m, dtok),
            None if dtok == "XX" => Ok(year_point(y, y, 0)),
            None if dtok.len() == 2 => Err(X_LEVEL_2.into()),
            None => self.day(y, 1, dtok).map(|_| year_point(y, y, 0)),
        }
    }

    /// The year token: four digits, the last one or two of which may be X.
    fn year(
        &self,
        ytok: &str,
        sign: &str,
        more: bool,
        body: &str,
        at: usize,
    ) -> Result<Year, String> {
        let xs = ytok.bytes().rev().take_while(|&b| b == b'X').count();
        let known = &ytok[..ytok.len() - xs];
        if ytok.is_empty() {
            return Err(NO_YEAR.into());
        }
        if known.contains('X') {
            return Err(X_LEVEL_2.into());
        }
        if ytok.len() > 4 && xs == 0 {
            let why = r#"years of more than four digits start with "Y""#;
            let digits = ytok.trim_start_matches('0');
            return Err(self.with_fix(why, &self.with(at, body, &format!("Y{sign}{digits}"))));
        }
        if ytok.len() < 4 && xs == 0 {
            return Err(self.short_year(ytok, sign, more, body, at));
        }
        if ytok.len() != 4 {
            return Err(r#"a year takes four digits, as in "2013" or "201X""#.into());
        }
        match xs {
            4 => return Err(X_YEAR.into()),
            3 => return Err(X_LEVEL_2.into()),
            _ => {}
        }
        if sign == "-" && ytok == "0000" {
            return Err(MINUS_ZERO.into());
        }
        let value = |fill: char| -> i64 {
            let s: String = ytok
                .chars()
                .map(|c| if c == 'X' { fill } else { c })
                .collect();
            s.parse().unwrap_or(0)
        };
        let (lo, hi) = (value('0'), value('9'));
        let (first, last) = if sign == "-" {
            // -0000 is no year: -000X runs from -0009 to -0001.
            (-hi, -lo.max(1))
        } else {
            (lo, hi)
        };
        Ok(Year {
            first,
            last,
            xs: xs as u8,
        })
    }

    /// The month token: `Some(1..=12)`, `Some(21..=24)` for a season, `None` for `XX`.
    fn month(&self, mtok: &str, last: bool, body: &str, at: usize) -> Result<Option<u8>, String> {
        let digits = mtok.bytes().all(|b| b.is_ascii_digit());
        if mtok.len() == 4 && digits && last && !self.whole.contains('/') {
            let ends = self.with(
                at,
                body,
                &body.replacen(&format!("-{mtok}"), &format!("/{mtok}"), 1),
            );
            return Err(self.with_fix(DASH, &ends));
        }
        if mtok.len() == 1 && digits {
            return Err(self.with_fix(TWO_DIGITS, &padded(self.whole)));
        }
        if mtok.len() != 2 {
            return Err(r#"a month takes two digits, as in "2013-07""#.into());
        }
        if mtok == "XX" {
            return Ok(None);
        }
        if !digits {
            return Err(X_LEVEL_2.into());
        }
        let m: u8 = mtok.parse().unwrap_or(0);
        match m {
            1..=12 | 21..=24 => Ok(Some(m)),
            25..=41 => Err(self.season_level_2(m, body, at)),
            _ => Err(format!("there is no month {m}")),
        }
    }

    /// The day token of year `y`, month `m`: `01` to the month's last day, or `XX`.
    fn day(&self, y: i64, m: u8, dtok: &str) -> Result<Point, String> {
        let digits = dtok.bytes().all(|b| b.is_ascii_digit());
        if dtok.len() == 1 && digits {
            return Err(self.with_fix(TWO_DIGITS, &padded(self.whole)));
        }
        if dtok.len() != 2 {
            return Err(r#"a day takes two digits, as in "2013-07-04""#.into());
        }
        if dtok == "XX" {
            return Ok(month_point(y, m));
        }
        if !digits {
            return Err(X_LEVEL_2.into());
        }
        let d: u8 = dtok.parse().unwrap_or(0);
        let last = days_in_month(y, m);
        if d == 0 {
            return Err("there is no day 0".into());
        }
        if d > last {
            let month = format!("{} {}", month_name(m), year_text(y, false));
            let leap = if m == 2 && d == 29 {
                format!(" ({} is not a leap year)", year_text(y, false))
            } else {
                String::new()
            };
            return Err(format!("{month} has no day {d}{leap}"));
        }
        let day = Ymd { y, m, d };
        Ok(Point {
            first: day,
            last: day,
            precision: Prec::Day,
            approximate: false,
            uncertain: false,
        })
    }
}

fn plain(first: Ymd, last: Ymd, precision: Prec) -> Point {
    Point {
        first,
        last,
        precision,
        approximate: false,
        uncertain: false,
    }
}

/// Years `first` to `last` (one year unless some digits are X).
fn year_point(first: i64, last: i64, xs: u8) -> Point {
    let precision = if xs == 0 { Prec::Year } else { Prec::Years(xs) };
    plain(
        Ymd {
            y: first,
            m: 1,
            d: 1,
        },
        Ymd {
            y: last,
            m: 12,
            d: 31,
        },
        precision,
    )
}

fn month_point(y: i64, m: u8) -> Point {
    plain(
        Ymd { y, m, d: 1 },
        Ymd {
            y,
            m,
            d: days_in_month(y, m),
        },
        Prec::Month,
    )
}

/// Seasons by months: spring March–May, summer June–August, autumn September–November,
/// winter December to the end of February.
fn season_point(y: i64, code: u8) -> Point {
    let start = 3 * (code - 21) + 3;
    let last = match code {
        24 => Ymd {
            y: y + 1,
            m: 2,
            d: days_in_month(y + 1, 2),
        },
        _ => Ymd {
            y,
            m: start + 2,
            d: days_in_month(y, start + 2),
        },
    };
    plain(Ymd { y, m: start, d: 1 }, last, Prec::Season(code))
}

fn days_in_month(y: i64, m: u8) -> u8 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if y.rem_euclid(4) == 0 && (y.rem_euclid(100) != 0 || y.rem_euclid(400) == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::super::Date;
    use super::super::advice::tests::{err, why};

    #[test]
    fn calendar_mistakes_name_the_problem() {
        assert_eq!(
            err("2013-02-30"),
            r#"invalid date "2013-02-30": February 2013 has no day 30"#
        );
        assert_eq!(
            err("2013-13"),
            r#"invalid date "2013-13": there is no month 13"#
        );
        assert_eq!(
            why("2013-02-29"),
            "February 2013 has no day 29 (2013 is not a leap year)"
        );
        assert_eq!(
            why("1900-02-29"),
            "February 1900 has no day 29 (1900 is not a leap year)"
        );
        assert!(Date::parse("2000-02-29").is_ok() && Date::parse("0000-02-29").is_ok());
        assert_eq!(why("-0043-02-30"), "February 44 BCE has no day 30");
        assert_eq!(why("2016-04-31"), "April 2016 has no day 31");
        assert_eq!(why("2016-05-00"), "there is no day 0");
        assert_eq!(why("2016-00"), "there is no month 0");
        assert_eq!(why("2016-13-XX"), "there is no month 13");
    }

    #[test]
    fn years_are_bounded_and_never_overflow() {
        for s in [
            "Y9223372036854775807",
            "Y-9223372036854775807",
            "Y-9223372036854775808",
            "Y99999999999999999999999",
        ] {
            assert!(
                why(s).starts_with("Dossier takes years of at most 12 digits"),
                "{s}"
            );
        }
        assert!(Date::parse("Y999999999999").is_ok());
        assert!(Date::parse("Y-999999999999/Y999999999999").is_ok());
        assert!(why("Y9E99999999").starts_with("exponential years"));
        assert_eq!(
            why("Y9999"),
            r#""Y" marks years of more than four digits: write "9999""#
        );
        assert_eq!(
            why("Y-170"),
            r#""Y" marks years of more than four digits: write "-0170""#
        );
        assert_eq!(
            why("Y012345"),
            r#"write the year without leading zeros: write "Y12345""#
        );
        assert_eq!(
            why("-0000"),
            r#""-0000" is not a year: year zero is written "0000" (it is 1 BCE)"#
        );
    }

    #[test]
    fn intervals_need_a_date_in_order() {
        assert_eq!(
            why("2014/2013"),
            r#"the interval ends before it starts; write the earlier date first: write "2013/2014""#
        );
        assert!(
            Date::parse("2013-07-18/2013-07").is_ok(),
            "ends within its start's month"
        );
        assert!(why("/").starts_with("an interval needs a date at one end at least"));
        assert!(why("../..").starts_with("an interval needs a date"));
        assert!(why("2013/2014/2015").starts_with("an interval has one \"/\""));
        assert!(why("2013..").starts_with(r#"".." is the open end of an interval"#));
        assert!(why("2013-21-05").starts_with("a season (21 to 24) takes no day"));
        let x = r#"unspecified digits ("X") in an interval's end are EDTF level 2; give each end at the precision it is known to: write"#;
        assert_eq!(
            why("2004-06-XX/2004-07-03"),
            format!(r#"{x} "2004-06/2004-07-03""#)
        );
        assert_eq!(why("196X~/197X"), format!(r#"{x} "1960~/1979""#));
        assert_eq!(why("2004-XX-XX/.."), format!(r#"{x} "2004/..""#));
    }
}
