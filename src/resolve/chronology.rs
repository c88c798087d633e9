//! The timeline's order and pages. An event is placed by its `sort` date when it has one, else by
//! its date, at the first day that covers (coarser precision first). Events at the same place in
//! time come in the order the documentary tells them: by chapter (reading order; events no
//! chapter tells come last), then by the position of their section in that chapter (the chapter
//! as a whole before its first section), then by their order in the events files (files by name,
//! tables as written). Never by title or id.
//!
//! The pages (see [`TIMELINE_PAGE_LIMIT`]) are planned here too, before any Markdown is
//! rendered, because a `[[event:x]]` link names the page that shows its event. They depend on
//! the placement, the chapter and the file order, not on sections (only rendering finds those);
//! the timeline sorts by page first, so each page is one run of the timeline, and only where a
//! page break falls inside one day of one chapter does it fall by file order, not by section.
//!
//! And the check that keeps imprecise dates honest: a date known to a month, a year or a decade
//! sorts at the start of its span, so an event without `sort` that the timeline puts before an
//! event of its own chapter that the chapter tells first, placed more precisely and within its
//! span, is reported (`unplaced-event`), with the `sort` that would place it after. (Not an
//! event known only to a decade or century: the timeline gives it that heading, "The 1960s".)

use std::collections::BTreeMap;

use crate::date::{Date, SortKey};
use crate::diagnostics::{Diagnostic, Diagnostics, Warning};
use crate::load::{RawEvent, Sources};
use crate::site::{Event, TIMELINE_PAGE_LIMIT, TimelinePage};

/// An event's date as written: its `date`, with its `end` when it has one. `None` when it does
/// not parse (the problem is reported with the event).
pub(super) fn date_of(e: &RawEvent) -> Option<Date> {
    match &e.end {
        Some(end) => Date::parse(&format!("{}/{}", e.date.value.trim(), end.value.trim())).ok(),
        None => Date::parse(&e.date.value).ok(),
    }
}

/// Where the timeline places an event: its `sort` date, or its date.
fn placement(e: &RawEvent) -> Option<Date> {
    e.sort
        .as_ref()
        .and_then(|s| Date::parse(s.value.trim()).ok())
        .or_else(|| date_of(e))
}

/// What an event is ordered by once sections are known: its page, its placement, its chapter
/// (`usize::MAX` for none), its section's position (0 for the chapter as a whole) and its
/// position in the sources (file order).
pub(super) type Order = (TimelinePage, SortKey, usize, usize, usize);

/// The chapter value for an event no chapter tells: after every chapter.
pub(super) const UNTOLD: usize = usize::MAX;

/// The timeline page of each event of `sources` (by its position there); `chapter_of` finds a
/// chapter's position by its slug. An event whose date does not parse gets `All` (it is left
/// out of the timeline).
pub(super) fn pages(
    sources: &Sources,
    chapter_of: impl Fn(&str) -> Option<usize>,
) -> Vec<TimelinePage> {
    let keys: Vec<(SortKey, usize, usize)> = sources
        .events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let chapter = e
                .chapter
                .as_ref()
                .and_then(|c| chapter_of(c.value.split('#').next().unwrap_or("")))
                .unwrap_or(UNTOLD);
            Some((placement(e)?.sort_key(), chapter, i))
        })
        .collect();
    plan(keys, sources.events.len())
}

/// Pages for `n` events, of which `keys` are placed: (placement, chapter, position).
fn plan(mut keys: Vec<(SortKey, usize, usize)>, n: usize) -> Vec<TimelinePage> {
    let mut pages = vec![TimelinePage::All; n];
    if keys.len() <= TIMELINE_PAGE_LIMIT {
        return pages;
    }
    keys.sort_unstable();
    for year in keys.chunk_by(|a, b| a.0.0 == b.0.0) {
        let y = year[0].0.0;
        if year.len() <= TIMELINE_PAGE_LIMIT {
            for k in year {
                pages[k.2] = TimelinePage::year(y);
            }
            continue;
        }
        for month in year.chunk_by(|a, b| paging_month(a.0) == paging_month(b.0)) {
            for (part, run) in month.chunks(TIMELINE_PAGE_LIMIT).enumerate() {
                for k in run {
                    pages[k.2] = TimelinePage::Year {
                        year: y,
                        month: paging_month(k.0),
                        part: part as u32 + 1,
                    };
                }
            }
        }
    }
    pages
}

/// The month whose page shows a date in a year split by month: the month it starts in, when it
/// is known to the season, month or day (`None`: the year's own page).
fn paging_month(key: SortKey) -> Option<u8> {
    (key.3 >= 3).then_some(key.1)
}

/// True when a date's start covers more than a day, or it is approximate or uncertain: it sorts
/// at the start of a span it may not belong at.
pub(super) fn imprecise(d: &Date) -> bool {
    d.sort_key().3 < 5 || d.approximate() || d.uncertain()
}

/// The first day of a date, as (year, month, day).
fn first_day(d: &Date) -> (i64, u8, u8) {
    let (y, m, day, _) = d.sort_key();
    (y, m, day)
}

/// How far the check looks ahead of an imprecise event within its chapter (a bound for
/// pathological content; real chapters tell far fewer events).
const LOOK_AHEAD: usize = 512;

/// Warn of every imprecise event without `sort` that `events` (in timeline order) places before
/// an event of the same chapter that the chapter tells first and that falls within its span.
/// `told[i]` is event `i`'s (chapter, section, position) and `spans[i]` where its date is written.
pub(super) fn check_placement(
    events: &[Event],
    told: &[(usize, usize, usize)],
    spans: &[&crate::diagnostics::Span],
    chapter_slugs: &[&str],
    diags: &mut Diagnostics,
) {
    let mut by_chapter: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, t) in told.iter().enumerate() {
        if t.0 != UNTOLD {
            by_chapter.entry(t.0).or_default().push(i);
        }
    }
    for list in by_chapter.values() {
        for (k, &e) in list.iter().enumerate() {
            let ev = &events[e];
            // A decade or century has its own heading, which says what it is known to.
            if ev.sort.is_some() || !imprecise(&ev.date) || ev.date.sort_key().3 < 2 {
                continue;
            }
            let first = first_day(&ev.date);
            let last = ev.date.last_day().unwrap_or((i64::MAX, 12, 31));
            let rank = ev.date.sort_key().3;
            let mut before = None;
            for &f in list[k + 1..].iter().take(LOOK_AHEAD) {
                let at = events[f].placement().sort_key();
                let day = (at.0, at.1, at.2);
                if day > last {
                    break;
                }
                // Only an event placed more precisely says where in the span the story is.
                if day >= first && at.3 > rank && (told[f].1, told[f].2) < (told[e].1, told[e].2) {
                    before = Some(f);
                }
            }
            if let Some(f) = before {
                diags.push(unplaced(ev, &events[f], chapter_slugs[told[e].0], spans[e]));
            }
        }
    }
}

fn unplaced(e: &Event, f: &Event, chapter: &str, span: &crate::diagnostics::Span) -> Diagnostic {
    Diagnostic::warning(
        span.clone(),
        Warning::UnplacedEvent,
        format!(
            "event \"{}\" ({}) comes before \"{}\" ({}) on the timeline, but chapter \"{chapter}\" tells it after",
            e.id,
            e.date.display(),
            f.id,
            f.placement().display()
        ),
    )
    .with_help(format!(
        "a date known only to the {} sorts at its start; add `sort = \"{}\"` (or the date the sources support) to place it where the story has it",
        precision_word(&e.date),
        start_text(f.placement())
    ))
}

fn precision_word(d: &Date) -> &'static str {
    match d.sort_key().3 {
        0 => "century",
        1 => "decade",
        2 => "year",
        3 => "season",
        4 => "month",
        _ => "day",
    }
}

/// The EDTF text of a date's start: `2013-11` of `2013-11/2014-01`.
fn start_text(d: &Date) -> &str {
    match d.edtf().split_once('/') {
        Some((a, b)) if a.is_empty() || a == ".." => b,
        Some((a, _)) => a,
        None => d.edtf(),
    }
}

/// Check an event's `sort` date against its date: it must fall within it. An error when not.
pub(super) fn check_sort(
    sort: &Date,
    date: &Date,
    span: &crate::diagnostics::Span,
    diags: &mut Diagnostics,
) -> bool {
    let at = first_day(sort);
    let open_start = date.edtf().starts_with("..") || date.edtf().starts_with('/');
    let inside =
        (open_start || at >= first_day(date)) && date.last_day().is_none_or(|last| at <= last);
    if !inside {
        diags.push(
            Diagnostic::error(
                span.clone(),
                format!(
                    "the sort date \"{}\" ({}) is outside the event's date ({})",
                    sort.edtf(),
                    sort.display(),
                    date.display()
                ),
            )
            .with_help("`sort` places an event within its own date; to move it, correct `date`"),
        );
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> SortKey {
        Date::parse(s).unwrap().sort_key()
    }

    #[test]
    fn a_short_timeline_is_one_page() {
        let keys = (0..TIMELINE_PAGE_LIMIT)
            .map(|i| (key("2013"), 0, i))
            .collect();
        assert!(
            plan(keys, TIMELINE_PAGE_LIMIT)
                .iter()
                .all(|p| *p == TimelinePage::All)
        );
    }

    #[test]
    fn a_long_timeline_is_split_by_year_then_month_then_part() {
        // 10 events in 2012, 3 known only to 2013, 1,100 in July 2013 and 5 in a season.
        let mut keys = Vec::new();
        let mut push = |d: &str, n: usize| {
            for _ in 0..n {
                let i = keys.len();
                keys.push((key(d), 0, i));
            }
        };
        push("2012-05-01", 10);
        push("2013", 3);
        push("2013-07-18", 1_100);
        push("2013-23", 5);
        let n = keys.len();
        let pages = plan(keys, n);
        let year = |y| TimelinePage::year(y);
        let july = |part| TimelinePage::Year {
            year: 2013,
            month: Some(7),
            part,
        };
        assert_eq!(pages[0], year(2012));
        assert_eq!(pages[10], year(2013));
        assert_eq!(pages[13], july(1));
        assert_eq!(pages[13 + 500], july(2));
        assert_eq!(pages[13 + 1_000], july(3));
        assert_eq!(
            pages[n - 1],
            TimelinePage::Year {
                year: 2013,
                month: Some(9),
                part: 1
            }
        );
        let mut count: BTreeMap<TimelinePage, usize> = BTreeMap::new();
        for p in &pages {
            *count.entry(*p).or_default() += 1;
        }
        assert!(
            count.values().all(|&c| c <= TIMELINE_PAGE_LIMIT),
            "{count:?}"
        );
        assert_eq!(july(2).url(), "timeline/2013/07/page/2/");
        assert_eq!(year(-43).url(), "timeline/44-bce/");
    }

    #[test]
    fn imprecise_means_more_than_a_day_at_the_start_or_qualified() {
        let imp = |s: &str| imprecise(&Date::parse(s).unwrap());
        assert!(imp("2013") && imp("2013-11") && imp("196X") && imp("2013-11/2013-12"));
        assert!(imp("2013-07-18~"));
        assert!(!imp("2013-07-18") && !imp("2013-07-19/2013-07-28"));
    }

    #[test]
    fn a_sort_date_must_fall_within_the_date() {
        let d = |s: &str| Date::parse(s).unwrap();
        let span = crate::diagnostics::SourceFile::new("e.toml", "x").span(0..1);
        let mut diags = Diagnostics::default();
        assert!(check_sort(&d("2013-11"), &d("2013"), &span, &mut diags));
        assert!(check_sort(
            &d("2014-06"),
            &d("2014-04-24/2014-07"),
            &span,
            &mut diags
        ));
        assert!(check_sort(
            &d("2014-06"),
            &d("2014-04/.."),
            &span,
            &mut diags
        ));
        assert!(diags.items.is_empty());
        assert!(!check_sort(&d("2014-02"), &d("2013"), &span, &mut diags));
        assert!(!check_sort(
            &d("2014-04-01"),
            &d("2014-04-24/2014-07"),
            &span,
            &mut diags
        ));
        let text = diags.items[0].to_string();
        assert!(
            text.contains(
                "the sort date \"2014-02\" (February 2014) is outside the event's date (2013)"
            ),
            "{text}"
        );
    }
}
