//! What Dossier says when it refuses a date: one line that quotes the text, names the rule it
//! breaks (a calendar fact, an EDTF level 2 feature, a notation that is not EDTF) and gives the
//! fix, which is offered only when it parses. Also the repairs for near misses: spaces, en
//! dashes, dates written month first, a lower-case x, short months and days, qualifiers moved to
//! the end. What is accepted is `parse.rs`'s.

use super::Prec;
use super::parse::{Cx, Side, exact};

pub(super) const EXAMPLES: &str = r#"write dates such as "2013-07-18", "2013-07", "2013", "1975~", "197X" or "2013-12-01/2013-12-10""#;
pub(super) const EMPTY: &str = r#"the date is empty; write one such as "2013-07-18""#;
pub(super) const SET: &str = r#"one of a set of dates ("[...]") is EDTF level 2, which Dossier does not take; give one date, or an interval such as "1667/1672""#;
pub(super) const LIST: &str = r#"a list of dates ("{...}") is EDTF level 2, which Dossier does not take; give each date its own event, or an interval such as "1960/1961-12""#;
pub(super) const PARENS: &str =
    r#"parentheses are not EDTF; put one "?", "~" or "%" at the end, for the whole date"#;
pub(super) const PART_QUALIFIER: &str = r#"a qualifier on one part of a date is EDTF level 2; put one "?", "~" or "%" at the end, for the whole date"#;
pub(super) const TWO_QUALIFIERS: &str =
    r#"give one qualifier, at the end ("%" says both uncertain "?" and approximate "~")"#;
pub(super) const OPEN_DOTS: &str = r#"".." is the open end of an interval: write "2013/.." (from 2013 on) or "../2014" (until 2014)"#;
pub(super) const NO_DATE: &str = r#"an interval needs a date at one end at least, as in "2013/.." (from 2013 on) or "../2014" (until 2014)"#;
pub(super) const SLASHES: &str =
    r#"an interval has one "/", between its two ends, as in "2013-12-01/2013-12-10""#;
pub(super) const X_LEVEL_2: &str = r#"unspecified digits ("X") in that place are EDTF level 2; level 1 takes X only for the last one or two digits of a year given alone ("201X", "20XX"), a whole month ("2013-XX") or a whole day ("2013-07-XX")"#;
pub(super) const X_YEAR: &str = r#"a year with no known digit ("XXXX") cannot be placed on the timeline; give its first two digits at least, as in "19XX""#;
pub(super) const NO_YEAR: &str =
    r#"a date starts with its year, in four digits, as in "2013-07-18""#;
pub(super) const MINUS_ZERO: &str =
    r#""-0000" is not a year: year zero is written "0000" (it is 1 BCE)"#;
pub(super) const TWO_DIGITS: &str = "months and days take two digits";
pub(super) const TOO_LONG: &str =
    r#"a date has a year, a month and a day at most, as in "2013-07-18""#;
pub(super) const TIME: &str = "Dossier places events by the day, without a time";
pub(super) const ORDER: &str = "the interval ends before it starts; write the earlier date first";
pub(super) const X_INTERVAL: &str = r#"unspecified digits ("X") in an interval's end are EDTF level 2; give each end at the precision it is known to"#;
pub(super) const DASH: &str = r#"an interval takes "/" between its two ends"#;

/// The text in quotes, control characters escaped, cut at 60 characters: one line, short.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::from('"');
    for (i, c) in s.chars().enumerate() {
        if i == 60 {
            out.push('…');
            break;
        }
        out.extend(c.escape_debug());
    }
    out.push('"');
    out
}

/// A message for mistakes that are not EDTF at all but close to it: spaces, en dashes, a
/// lower-case x, a Unicode minus. `None` when no such change makes the text a date.
pub(super) fn repair(text: &str) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Some(EMPTY.into());
    }
    if trimmed.len() != text.len() {
        return Some(match exact(trimmed, 1) {
            Ok(_) => format!(
                "remove the spaces around the date: write {}",
                quote(trimmed)
            ),
            Err(why) => format!("remove the spaces around the date (and {why})"),
        });
    }
    let squeezed: String = text.split_whitespace().collect();
    let dashed: String = text
        .replace(" - ", "/")
        .replace(['–', '—'], "/")
        .split_whitespace()
        .collect();
    let tries = [
        (squeezed, "remove the spaces"),
        (dashed, DASH),
        (
            text.replace('x', "X"),
            "write unspecified digits as a capital X",
        ),
        (text.replace('−', "-"), r#"write the minus sign as "-""#),
    ];
    tries
        .into_iter()
        .find(|(t, _)| t != text && exact(t, 1).is_ok())
        .map(|(t, why)| format!("{why}: write {}", quote(&t)))
}

/// Each end's qualifiers gathered into one at its end; parentheses and spaces dropped.
pub(super) fn requalified(whole: &str) -> String {
    let ends: Vec<String> = whole
        .split('/')
        .map(|end| {
            if end == ".." {
                return end.to_string();
            }
            let has = |c: char| end.contains(c);
            let (a, u) = (has('~') || has('%'), has('?') || has('%'));
            let mut out: String = end
                .chars()
                .filter(|c| !"?~%()".contains(*c) && !c.is_whitespace())
                .collect();
            match (a, u) {
                (true, true) => out.push('%'),
                (true, false) => out.push('~'),
                (false, true) => out.push('?'),
                (false, false) => {}
            }
            out
        })
        .collect();
    ends.join("/")
}

/// Years padded to four digits, months and days to two.
pub(super) fn padded(whole: &str) -> String {
    let ends: Vec<String> = whole
        .split('/')
        .map(|end| {
            let body = end.trim_end_matches(['?', '~', '%']);
            let (sign, rest) = match body.strip_prefix('-') {
                Some(r) => ("-", r),
                None => ("", body),
            };
            let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
            let toks: Vec<String> = rest
                .split('-')
                .enumerate()
                .map(|(i, t)| match (i, t.len()) {
                    (0, 1..=3) if digits(t) => format!("{t:0>4}"),
                    (1.., 1) if digits(t) => format!("0{t}"),
                    _ => t.to_string(),
                })
                .collect();
            format!("{sign}{}{}", toks.join("-"), &end[body.len()..])
        })
        .collect();
    ends.join("/")
}

/// An interval's end without X: "2004-06-XX" as "2004-06", "196X" as "1960" at the start and
/// "1969" at the end.
pub(super) fn without_x(text: &str, side: &Side, at_start: bool) -> String {
    match side {
        Side::Known(p) if matches!(p.precision, Prec::Years(_)) => {
            let y = if at_start { p.first.y } else { p.last.y };
            let q = text.trim_start_matches(|c: char| c != '?' && c != '~' && c != '%');
            let sign = if y < 0 { "-" } else { "" };
            format!("{sign}{:04}{q}", y.abs())
        }
        _ => text.replace("-XX", ""),
    }
}

impl Cx<'_> {
    /// "{rule}: write {fix}" when the fix parses, else the rule alone.
    pub(super) fn with_fix(&self, rule: &str, fix: &str) -> String {
        if self.depth < 2 && fix != self.whole && exact(fix, self.depth + 1).is_ok() {
            format!("{rule}: write {}", quote(fix))
        } else {
            rule.to_string()
        }
    }

    /// The whole text with `old` (a slice of one end, starting at byte `at`) replaced.
    pub(super) fn with(&self, at: usize, old: &str, new: &str) -> String {
        format!(
            "{}{new}{}",
            &self.whole[..at],
            &self.whole[at + old.len()..]
        )
    }

    pub(super) fn unexpected(&self, at: usize) -> String {
        let c = self.whole[at..].chars().next().unwrap_or(' ');
        let n = self.whole[..at].chars().count() + 1;
        format!(
            "{} (character {n}) has no place in an EDTF date; {EXAMPLES}",
            quote(&c.to_string())
        )
    }

    /// "4/1/2014" and "4/2014": dates written month first.
    pub(super) fn year_first(&self) -> Option<String> {
        let parts: Vec<&str> = self.whole.split('/').collect();
        let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
            n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        let (&y, rest) = parts.split_last()?;
        if !digits(y, 4..=4)
            || !(1..=2).contains(&rest.len())
            || !rest.iter().all(|p| digits(p, 1..=2))
        {
            return None;
        }
        let n: Vec<u8> = rest.iter().map(|p| p.parse().unwrap_or(0)).collect();
        let ok = |s: &String| exact(s, 1).is_ok();
        let rule = "EDTF writes the year first, then the month and the day";
        let (fix, alt) = match n[..] {
            [m] => (format!("{y}-{m:02}"), None),
            [a, b] => (
                format!("{y}-{a:02}-{b:02}"),
                Some(format!("{y}-{b:02}-{a:02}")),
            ),
            _ => return None,
        };
        Some(match (ok(&fix), alt.filter(|a| ok(a) && *a != fix)) {
            (true, Some(alt)) => format!(
                "{rule}: write {} (or {} if {} is the day)",
                quote(&fix),
                quote(&alt),
                n[0]
            ),
            (true, None) => format!("{rule}: write {}", quote(&fix)),
            (false, Some(alt)) => format!("{rule}: write {}", quote(&alt)),
            (false, None) => format!("{rule}, as in \"2014-04-01\""),
        })
    }

    /// Level 2's exponent (`Y17E7`) and significant digits (`1950S2`, `Y171010000S3`).
    pub(super) fn exponent(
        &self,
        body: &str,
        sign: &str,
        digits: &str,
        at: usize,
    ) -> Option<String> {
        let num = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let (main, sd) = match digits.split_once('S') {
            Some((m, s)) if num(s) => (m, Some(s)),
            _ => (digits, None),
        };
        if let Some((sig, exp)) = main.split_once('E').filter(|(a, b)| num(a) && num(b)) {
            let full = (|| {
                sig.parse::<i64>()
                    .ok()?
                    .checked_mul(10i64.checked_pow(exp.parse().ok()?)?)
            })()
            .unwrap_or(i64::MAX);
            let why = "exponential years (\"E\") are EDTF level 2; write the year in full";
            return Some(self.with_fix(why, &self.with(at, body, &format!("Y{sign}{full}"))));
        }
        let sd = sd.filter(|_| num(main))?;
        let estimate = self.with(
            at,
            body,
            &format!("{}~", &body[..body.len() - digits.len() + main.len()]),
        );
        let why =
            format!("significant digits (\"S{sd}\") are EDTF level 2; write \"~\" for an estimate");
        Some(self.with_fix(&why, &estimate))
    }

    /// A year of one to three digits: "19" (ISO 8601-1's century), "197", "969-07-24".
    pub(super) fn short_year(
        &self,
        ytok: &str,
        sign: &str,
        more: bool,
        body: &str,
        at: usize,
    ) -> String {
        let why = "EDTF years take four digits";
        if more {
            return self.with_fix(why, &padded(self.whole));
        }
        let full = self.with(at, body, &format!("{sign}{ytok:0>4}"));
        let n: i64 = ytok.parse().unwrap_or(0);
        let unit = 10i64.pow(4 - ytok.len() as u32);
        // "19" may mean the 1900s (ISO 8601-1's century), "197" the 1970s; "800" is the year.
        if sign.is_empty() && (2..=3).contains(&ytok.len()) && n * unit <= 2099 {
            let xs = "X".repeat(4 - ytok.len());
            let some = self.with(at, body, &format!("{ytok}{xs}"));
            format!(
                "{why}: write {} for some year from {} to {}, or {} for the year {n}",
                quote(&some),
                n * unit,
                n * unit + unit - 1,
                quote(&full)
            )
        } else {
            self.with_fix(why, &full)
        }
    }

    pub(super) fn season_level_2(&self, code: u8, body: &str, at: usize) -> String {
        let why = format!(
            "season {code} is EDTF level 2 (seasons 25 to 41 are hemispheres' seasons, quarters, thirds and halves of a year); level 1 has 21 (spring), 22 (summer), 23 (autumn) and 24 (winter)"
        );
        let y = &body[..body.len() - 3];
        let (a, b) = match code {
            25..=28 => {
                return self.with_fix(&why, &self.with(at, body, &format!("{y}-{}", code - 4)));
            }
            29 => (9, 11),
            30 => (12, 14),
            31 => (3, 5),
            32 => (6, 8),
            33..=36 => ((code - 33) * 3 + 1, (code - 33) * 3 + 3),
            37..=39 => ((code - 37) * 4 + 1, (code - 37) * 4 + 4),
            _ => ((code - 40) * 6 + 1, (code - 40) * 6 + 6),
        };
        let y2 = match (b > 12, y.parse::<i64>()) {
            (true, Ok(n)) if n >= -1 => format!("{:04}", n + 1),
            (true, Ok(n)) => format!("-{:04}", -(n + 1)),
            _ => y.to_string(),
        };
        let months = format!("{y}-{a:02}/{y2}-{:02}", (b - 1) % 12 + 1);
        self.with_fix(&why, &self.with(at, body, &months))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::Date;

    pub(in crate::date) fn err(s: &str) -> String {
        match Date::parse(s) {
            Ok(d) => panic!("{s:?} was accepted: {}", d.display()),
            Err(e) => e,
        }
    }

    /// The reason alone, without `invalid date "...": `.
    pub(in crate::date) fn why(s: &str) -> String {
        let e = err(s);
        let prefix = format!("invalid date {}: ", super::quote(s));
        e.strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{e}"))
            .to_string()
    }

    #[test]
    fn short_months_days_and_years_are_padded() {
        assert_eq!(
            why("2013-12-1"),
            r#"months and days take two digits: write "2013-12-01""#
        );
        assert_eq!(
            why("1969-7-24"),
            r#"months and days take two digits: write "1969-07-24""#
        );
        assert_eq!(
            why("1969-7-16/1969-7-24"),
            r#"months and days take two digits: write "1969-07-16/1969-07-24""#
        );
        assert_eq!(
            why("969-07-24"),
            r#"EDTF years take four digits: write "0969-07-24""#
        );
        assert_eq!(
            why("19"),
            r#"EDTF years take four digits: write "19XX" for some year from 1900 to 1999, or "0019" for the year 19"#
        );
        assert_eq!(
            why("197~"),
            r#"EDTF years take four digits: write "197X~" for some year from 1970 to 1979, or "0197~" for the year 197"#
        );
        assert_eq!(why("-04"), r#"EDTF years take four digits: write "-0004""#);
        assert_eq!(why("800"), r#"EDTF years take four digits: write "0800""#);
        assert_eq!(
            why("12345"),
            r#"years of more than four digits start with "Y": write "Y12345""#
        );
    }

    #[test]
    fn spaces_are_refused_with_the_text_without_them() {
        assert_eq!(
            why(" 2013"),
            r#"remove the spaces around the date: write "2013""#
        );
        assert_eq!(
            why("2013-07 "),
            r#"remove the spaces around the date: write "2013-07""#
        );
        assert_eq!(
            why("2013 / 2014"),
            r#"remove the spaces: write "2013/2014""#
        );
        assert_eq!(
            why(" 2013-13"),
            "remove the spaces around the date (and there is no month 13)"
        );
        assert_eq!(
            why("  "),
            r#"the date is empty; write one such as "2013-07-18""#
        );
        assert_eq!(
            why(""),
            r#"the date is empty; write one such as "2013-07-18""#
        );
        assert!(why("July 2013").starts_with(r#""J" (character 1) has no place in an EDTF date"#));
    }

    #[test]
    fn near_misses_get_their_fix() {
        assert_eq!(
            why("2013–2014"),
            r#"an interval takes "/" between its two ends: write "2013/2014""#
        );
        assert_eq!(
            why("2013 - 2014"),
            r#"an interval takes "/" between its two ends: write "2013/2014""#
        );
        assert_eq!(
            why("2013-2014"),
            r#"an interval takes "/" between its two ends: write "2013/2014""#
        );
        assert_eq!(
            why("201x"),
            r#"write unspecified digits as a capital X: write "201X""#
        );
        assert_eq!(
            why("−0044"),
            r#"write the minus sign as "-": write "-0044""#
        );
        assert_eq!(
            why("4/1/2014"),
            r#"EDTF writes the year first, then the month and the day: write "2014-04-01" (or "2014-01-04" if 4 is the day)"#
        );
        assert_eq!(
            why("12/31/2017"),
            r#"EDTF writes the year first, then the month and the day: write "2017-12-31""#
        );
        assert_eq!(
            why("4/2014"),
            r#"EDTF writes the year first, then the month and the day: write "2014-04""#
        );
        assert_eq!(
            why("2013??"),
            r#"give one qualifier, at the end ("%" says both uncertain "?" and approximate "~"): write "2013?""#
        );
        assert_eq!(
            why("2013?~"),
            r#"give one qualifier, at the end ("%" says both uncertain "?" and approximate "~"): write "2013%""#
        );
    }

    #[test]
    fn times_of_day_are_refused_on_purpose() {
        assert_eq!(
            why("2016-05-02T16:54:59Z"),
            r#"Dossier places events by the day, without a time ("T16:54:59Z"); give the time in the event's text: write "2016-05-02""#
        );
        assert!(why("2004-01-01T10:10:10+05:00/2005").ends_with(r#"write "2004-01-01/2005""#));
        assert_eq!(why("2016-02-30T10:00"), "February 2016 has no day 30");
    }

    #[test]
    fn level_2_is_refused_naming_the_feature() {
        let fix = r#"put one "?", "~" or "%" at the end, for the whole date: write"#;
        assert!(why("?1945").ends_with(&format!(r#"{fix} "1945?""#)));
        assert!(why("2004?-06-~11").ends_with(&format!(r#"{fix} "2004-06-11%""#)));
        assert!(why("?1945/1959").ends_with(&format!(r#"{fix} "1945?/1959""#)));
        assert!(why("2004-(06)?-11").starts_with("parentheses are not EDTF"));
        assert!(why("[1667, 1668, 1670..1672]").starts_with("one of a set of dates"));
        assert!(why("{1960, 1961-12}").starts_with("a list of dates"));
        assert_eq!(
            why("Y17E7"),
            r#"exponential years ("E") are EDTF level 2; write the year in full: write "Y170000000""#
        );
        assert_eq!(
            why("1950S2"),
            r#"significant digits ("S2") are EDTF level 2; write "~" for an estimate: write "1950~""#
        );
        assert!(why("Y171010000S3").ends_with(r#"write "Y171010000~""#));
        assert!(why("2001-29").ends_with(r#"write "2001-09/2001-11""#));
        assert!(why("2001-30").ends_with(r#"write "2001-12/2002-02""#));
        assert!(why("2001-34").ends_with(r#"write "2001-04/2001-06""#));
        assert!(why("2001-41").ends_with(r#"write "2001-07/2001-12""#));
        assert!(why("2001-25").ends_with(r#"write "2001-21""#));
        for s in [
            "156X-12-25",
            "2016-1X",
            "2016-01-1X",
            "2X13",
            "201X-02",
            "1XXX",
        ] {
            assert!(
                why(s).starts_with(r#"unspecified digits ("X") in that place are EDTF level 2"#),
                "{s}"
            );
        }
        assert!(why("XXXX").contains("cannot be placed on the timeline"));
        assert!(why("XXXX-XX-23").contains("cannot be placed on the timeline"));
        assert!(why("2014-XX-15").starts_with("unspecified digits"));
    }

    #[test]
    fn messages_are_one_short_line() {
        let long = format!("2013\n{}", "9".repeat(500));
        let e = err(&long);
        assert!(!e.contains('\n') && e.chars().count() < 400, "{e}");
    }
}
