//! The timeline's sections: the named periods of `site.toml` (`[[era]]`), in each the years
//! (or the decade or century of an event known only to one: "The 1960s", never a year's
//! heading), in each year its months. Events stay in the order they come in; a group starts
//! wherever the placement of the next event leaves the current one. Between two years, the gap:
//! the years that no shown event covers (an event over several years covers them all, a decade
//! covers its ten), which the filter recomputes for what it shows.

use std::collections::HashSet;

use serde::Serialize;

use crate::config::Era;
use crate::site::Event;
use crate::util::slug::slugify;

use super::super::Ctx;
use super::super::views::EventRef;
use super::{month_label, year_label};

#[derive(Serialize)]
pub(super) struct EraSection<'a> {
    /// `era-the-talks`; "" for the section of a timeline without named periods.
    pub(super) id: String,
    pub(super) name: String,
    /// Its dates as the era gives them: "July 2013 – April 2014", "from May 2014 on".
    pub(super) span: String,
    pub(super) count: usize,
    pub(super) groups: Vec<YearGroup<'a>>,
}

#[derive(Serialize)]
pub(super) struct YearGroup<'a> {
    /// `y2013`, `y1960s` for a decade, `y1900c` for a century (with its period's id after it
    /// when the year runs on into a second period on the page).
    pub(super) id: String,
    /// The id without that: what the rail and the filter count it by.
    pub(super) key: String,
    /// "2013", "The 1960s".
    pub(super) label: String,
    /// The first and last year the group is about (a decade: 1960 and 1969).
    pub(super) start: i64,
    pub(super) end: i64,
    /// Years no event before it covers (drawn as a gap when > 0), and the text of that gap.
    pub(super) gap: i64,
    pub(super) gap_label: String,
    pub(super) count: usize,
    /// Whether the rail lists its months (it has more than [`DENSE`] events).
    pub(super) dense: bool,
    pub(super) months: Vec<MonthGroup<'a>>,
}

#[derive(Serialize)]
pub(super) struct MonthGroup<'a> {
    /// "" for the events known only to the year (or decade) that lead it.
    pub(super) label: String,
    /// `y2013-07`; "" without a label.
    pub(super) id: String,
    /// The id without a period's: what the rail, the strip and the filter count it by.
    pub(super) key: String,
    pub(super) month: u8,
    pub(super) events: Vec<Line<'a>>,
}

/// One event on the timeline.
#[derive(Serialize)]
pub(super) struct Line<'a> {
    pub(super) event: EventRef<'a>,
    /// The last year it covers, when that is after its group's last year (for the gaps).
    pub(super) last: Option<i64>,
    /// Where `sort` placed it, when it has one: "November 2013".
    pub(super) placed: Option<String>,
}

/// A year with more events than this has its months listed in the rail.
pub(super) const DENSE: usize = 12;

/// The group an event is placed in: (first year, how many years).
pub(super) fn group_of(e: &Event) -> (i64, i64) {
    let (y, _, _, rank) = e.placement().sort_key();
    match rank {
        0 => (y, 100),
        1 => (y, 10),
        _ => (y, 1),
    }
}

/// The month an event is placed in, when its placement is known to a season, month or day.
fn month_of(e: &Event) -> Option<u8> {
    let (_, m, _, rank) = e.placement().sort_key();
    (rank >= 3).then_some(m)
}

/// The events of `range`, in periods, years and months.
pub(super) fn eras<'a>(
    cx: &Ctx<'a>,
    range: std::ops::Range<usize>,
    root: &str,
) -> Vec<EraSection<'a>> {
    let mut b = Builder {
        eras: &cx.site.config.eras,
        out: Vec::new(),
        used: HashSet::new(),
        covered: None,
        era: None,
    };
    for e in range {
        let ev = &cx.site.events[e];
        let group = b.group(ev);
        let last = ev
            .date
            .last_day()
            .map(|(y, ..)| y)
            .filter(|&l| l > group.end);
        let end = group.end;
        b.covered = Some(b.covered.unwrap_or(i64::MIN).max(last.unwrap_or(end)));
        b.month(ev).events.push(Line {
            event: cx.event(crate::site::EventIx(e), root),
            last,
            placed: ev.sort.as_ref().map(|d| d.display()),
        });
    }
    b.out
}

/// The sections of a page as they are made, event by event.
struct Builder<'e, 'a> {
    eras: &'e [Era],
    out: Vec<EraSection<'a>>,
    /// The ids the page has given.
    used: HashSet<String>,
    /// The last year any event so far covers.
    covered: Option<i64>,
    /// The period of the last event (`Some(None)`: outside every period).
    era: Option<Option<usize>>,
}

impl<'a> Builder<'_, 'a> {
    /// The year group `ev` goes in (a new section or group when it leaves the last one),
    /// counted.
    fn group(&mut self, ev: &Event) -> &mut YearGroup<'a> {
        let (y, m, d, _) = ev.placement().sort_key();
        let era = self.eras.iter().position(|x| x.holds((y, m, d)));
        if self.era != Some(era) {
            self.era = Some(era);
            let mut next = section(self.eras, era, ev);
            next.id = unique(next.id, "", &mut self.used);
            self.out.push(next);
        }
        let section = self.out.last_mut().expect("pushed above");
        section.count += 1;
        let (start, span) = group_of(ev);
        if section
            .groups
            .last()
            .is_none_or(|g| (g.start, g.end - g.start + 1) != (start, span))
        {
            let gap = self.covered.map_or(0, |c| (start - c - 1).max(0));
            section.groups.push(YearGroup {
                id: unique(group_id(start, span), &section.id, &mut self.used),
                key: group_id(start, span),
                label: group_label(ev, start, span),
                start,
                end: start + span - 1,
                gap,
                gap_label: gap_label(start, gap),
                count: 0,
                dense: false,
                months: Vec::new(),
            });
        }
        let group = section.groups.last_mut().expect("pushed above");
        group.count += 1;
        group.dense = span == 1 && group.count > DENSE;
        group
    }

    /// The month group `ev` goes in, in the last year group (a new one when it leaves it).
    fn month(&mut self, ev: &Event) -> &mut MonthGroup<'a> {
        let section = self.out.last_mut().expect("made by group");
        let group = section.groups.last_mut().expect("made by group");
        let month = month_of(ev);
        if group
            .months
            .last()
            .is_none_or(|g| g.month != month.unwrap_or(0))
        {
            let key = month.map_or(String::new(), |m| format!("y{}-{m:02}", group.start));
            let id = if key.is_empty() {
                String::new()
            } else {
                unique(key.clone(), &section.id, &mut self.used)
            };
            group.months.push(MonthGroup {
                label: month.map_or(String::new(), |m| month_label(group.start, m)),
                id,
                key,
                month: month.unwrap_or(0),
                events: Vec::new(),
            });
        }
        group.months.last_mut().expect("pushed above")
    }
}

/// `id`, or, when the page has it already (a year or month that runs on into the next period),
/// `id` and the period's: `y2013-07-era-the-talks`.
fn unique(id: String, era: &str, used: &mut HashSet<String>) -> String {
    let id = if id.is_empty() || !used.contains(&id) {
        id
    } else if era.is_empty() {
        format!("{id}-{}", used.len())
    } else {
        format!("{id}-{era}")
    };
    if !id.is_empty() {
        used.insert(id.clone());
    }
    id
}

/// A new period's section, for the event `first` that opens it.
fn section<'a>(eras: &[Era], era: Option<usize>, first: &Event) -> EraSection<'a> {
    let (id, name, span) = match era {
        Some(i) => (
            format!("era-{}", slugify(&eras[i].name)),
            eras[i].name.clone(),
            era_span(&eras[i]),
        ),
        // Outside every named period (or with none named): the section is headed by its first
        // year when periods are named, and has no heading when none are.
        None if eras.is_empty() => (String::new(), String::new(), String::new()),
        None => {
            let (start, span) = group_of(first);
            let from = if span == 1 {
                year_label(start)
            } else {
                first.placement().display()
            };
            (
                format!("era-from-{}", slugify(&from)),
                format!("From {from}"),
                String::new(),
            )
        }
    };
    EraSection {
        id,
        name,
        span,
        count: 0,
        groups: Vec::new(),
    }
}

/// An era's dates in words: "1948–2012", "July 2013 – April 2014", "from May 2014 on".
fn era_span(era: &Era) -> String {
    let text = |d: &crate::date::Date| d.display();
    match (&era.start, &era.end) {
        (Some(a), Some(b)) => {
            match crate::date::Date::parse(&format!("{}/{}", point(a, true), point(b, false))) {
                Ok(d) => d.display(),
                Err(_) => format!("{} – {}", text(a), text(b)),
            }
        }
        (Some(a), None) => format!("from {} on", text(a)),
        (None, Some(b)) => format!("until {}", text(b)),
        (None, None) => String::new(),
    }
}

/// The start (or end) of a date as EDTF text: `2013-07` of `2013-07/2013-09`.
pub(super) fn point(d: &crate::date::Date, start: bool) -> &str {
    let t = d.edtf();
    match t.split_once('/') {
        Some((a, _)) if start && !a.is_empty() && a != ".." => a,
        Some((_, b)) if !start && !b.is_empty() && b != ".." => b,
        Some((a, b)) => {
            if a.is_empty() || a == ".." {
                b
            } else {
                a
            }
        }
        None => t,
    }
}

pub(super) fn group_id(start: i64, span: i64) -> String {
    match span {
        1 => format!("y{start}"),
        10 => format!("y{start}s"),
        _ => format!("y{start}c"),
    }
}

/// "2013"; for a decade or century, the words its first event's placement reads in, with a
/// capital: "The 1960s", "2000–2009".
pub(super) fn group_label(e: &Event, start: i64, span: i64) -> String {
    if span == 1 {
        return year_label(start);
    }
    let p = e.placement();
    let bare = p.edtf().trim_end_matches(['?', '~', '%']);
    let words = crate::date::Date::parse(bare).map_or_else(|_| p.display(), |d| d.display());
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => words,
    }
}

/// "11 years without events, 1949–1959"; "" when there is no gap.
fn gap_label(start: i64, gap: i64) -> String {
    match gap {
        0 => String::new(),
        1 => format!("1 year without events, {}", year_label(start - 1)),
        n => format!(
            "{n} years without events, {}–{}",
            year_label(start - n),
            year_label(start - 1)
        ),
    }
}
