//! The span of a list of events in words, from the start of the earliest to the end of the
//! latest, with what both ends share written once ("July 18–29, 2013", "1948 – February
//! 2013"): a chapter's header shows the span of the events it tells, a person's page the span of
//! theirs. The dates are the events' own (not where `sort` places them).

use crate::date::Date;
use crate::site::{EventIx, Site};

use super::groups::point;

/// The first day of a date, and its precision rank (coarser first).
fn start(d: &Date) -> (i64, u8, u8, u8) {
    d.sort_key()
}

/// The last day of a date (its first, when its end is open or unknown).
fn end(d: &Date) -> (i64, u8, u8) {
    d.last_day().unwrap_or_else(|| {
        let (y, m, day, _) = d.sort_key();
        (y, m, day)
    })
}

/// The span of `events` in words, or `None` for no events.
pub(in crate::render) fn events_span(site: &Site, events: &[EventIx]) -> Option<String> {
    let dates = events.iter().map(|&e| &site.events[e].date);
    let first = dates.clone().min_by_key(|d| start(d))?;
    let last = dates.max_by_key(|d| end(d))?;
    if first == last || (point(first, true) == point(last, false)) {
        return Some(if first == last {
            first.display()
        } else {
            Date::parse(point(first, true)).map_or_else(|_| first.display(), |d| d.display())
        });
    }
    let text = format!("{}/{}", point(first, true), point(last, false));
    Some(match Date::parse(&text) {
        Ok(d) => d.display(),
        Err(_) => {
            let side =
                |t: &str, d: &Date| Date::parse(t).map_or_else(|_| d.display(), |p| p.display());
            format!(
                "{} – {}",
                side(point(first, true), first),
                side(point(last, false), last)
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(dates: &[&str]) -> String {
        let d: Vec<Date> = dates.iter().map(|s| Date::parse(s).unwrap()).collect();
        let first = d.iter().min_by_key(|d| start(d)).unwrap();
        let last = d.iter().max_by_key(|d| end(d)).unwrap();
        let text = format!("{}/{}", point(first, true), point(last, false));
        Date::parse(&text).map_or_else(|_| "refused".into(), |d| d.display())
    }

    #[test]
    fn a_span_writes_what_its_ends_share_once() {
        assert_eq!(
            span(&["2013-07-18", "2013-07-29", "2013-07-19/2013-07-28"]),
            "July 18–29, 2013"
        );
        assert_eq!(
            span(&["1948", "2013-02", "1996/1999"]),
            "1948 – February 2013"
        );
        assert_eq!(
            span(&["2014-04-24/2014-07", "2013-07/2014-04"]),
            "July 2013 – July 2014"
        );
        assert_eq!(span(&["1975~", "2013-02"]), "c. 1975 – February 2013");
    }
}
