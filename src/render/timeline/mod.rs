//! The timeline: every event in the order `resolve` gave them (see `resolve::chronology`),
//! grouped into the documentary's named periods (`[[era]]`), then years (a decade or century
//! for an event known only to one), then months, each event one line that opens to its
//! summary, place, chapter, sources and dating note (`<details>`, no JavaScript needed). A rail
//! of periods, years and (for dense years) months with their counts, a strip of events per
//! month for the dense stretch (`overview`), filters by person, side and tag, and the sources
//! named once at the end. A long timeline is split into pages (see `TIMELINE_PAGE_LIMIT`), with
//! an index of years at `timeline/`.
//!
//! Its parts: `groups` (periods, years, months and the gaps between years), `rail` (the rail
//! and the overview strip), `span` (the span of a list of events, for chapters and people).

mod groups;
pub(super) mod outline;
mod rail;
mod span;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::site::*;
use crate::util::slug::slugify;

use super::views::{Link, PageInfo, PageView, SiteView, SourceItem};
use super::{Ctx, PageSpec, root_for, side_key, sort_name};

pub(super) use span::events_span;

use groups::EraSection;
use rail::{Overview, RailEra};

#[derive(Serialize)]
pub(super) struct TimelineView<'a> {
    site: SiteView<'a>,
    page: PageView,
    /// The page's heading: "Timeline", "Timeline: 2013", "Timeline: July 2013 (part 2)".
    heading: String,
    /// Events on this page, and on the whole timeline.
    total: usize,
    all: usize,
    /// The first and last year labels of the page ("1948", "2014").
    from: String,
    to: String,
    eras: Vec<EraSection<'a>>,
    /// The level of the year headings (2 without named periods, else 3); months one below.
    year_level: u8,
    month_level: u8,
    rail: Vec<RailEra>,
    overview: Option<Overview>,
    filter_people: Vec<FilterOption>,
    filter_sides: Vec<FilterOption>,
    filter_tags: Vec<FilterOption>,
    /// The sources of the page's events, each named once (the events give short labels).
    sources: Vec<SourceItem>,
    /// The timeline pages before and after this one, when it is split.
    prev: Option<Link>,
    next: Option<Link>,
}

#[derive(Serialize)]
pub(super) struct YearNav {
    year: i64,
    label: String,
    url: String,
    /// Events in that year.
    count: usize,
    /// The pages of a year split by month.
    months: Vec<MonthNav>,
}

#[derive(Serialize)]
pub(super) struct MonthNav {
    label: String,
    url: String,
    count: usize,
}

/// The index of a timeline split by year.
#[derive(Serialize)]
pub(super) struct TimelineYearsView<'a> {
    site: SiteView<'a>,
    page: PageView,
    years: Vec<YearNav>,
    total: usize,
}

#[derive(Serialize)]
pub(super) struct FilterOption {
    value: String,
    label: String,
    count: usize,
}

pub(super) use crate::date::MONTHS as MONTH_NAMES;

pub(super) fn year_label(year: i64) -> String {
    crate::date::year_label(year)
}

/// "July 2013".
pub(super) fn month_label(year: i64, month: u8) -> String {
    format!(
        "{} {}",
        MONTH_NAMES[usize::from(month.clamp(1, 12) - 1)],
        year_label(year)
    )
}

/// Is the timeline split into pages?
pub(super) fn timeline_split(site: &Site) -> bool {
    site.events.iter().any(|e| e.page != TimelinePage::All)
}

/// The timeline's pages and the events on each (events are in page order, so each page's events
/// are a contiguous range): one page, or one per year, with a year page for every year split by
/// month even when no event is known only to the year (it leads to the months).
pub(super) fn timeline_pages(site: &Site) -> Vec<(TimelinePage, std::ops::Range<usize>)> {
    let mut pages: Vec<(TimelinePage, std::ops::Range<usize>)> = Vec::new();
    for (i, e) in site.events.iter().enumerate() {
        match pages.last_mut() {
            Some((page, range)) if *page == e.page => range.end = i + 1,
            _ => {
                if let TimelinePage::Year {
                    year,
                    month: Some(_),
                    ..
                } = e.page
                    && pages
                        .last()
                        .is_none_or(|(p, _)| page_year(*p) != Some(year))
                {
                    pages.push((TimelinePage::year(year), i..i));
                }
                pages.push((e.page, i..i + 1));
            }
        }
    }
    if pages.is_empty() {
        pages.push((TimelinePage::All, 0..0));
    }
    pages
}

fn page_year(p: TimelinePage) -> Option<i64> {
    match p {
        TimelinePage::All => None,
        TimelinePage::Year { year, .. } => Some(year),
    }
}

/// The heading of a page of a split timeline: "2013", "July 2013", "July 2013, part 2".
fn page_scope(page: TimelinePage) -> Option<String> {
    let TimelinePage::Year { year, month, part } = page else {
        return None;
    };
    let what = match month {
        Some(m) => month_label(year, m),
        None => year_label(year),
    };
    Some(if part > 1 {
        format!("{what}, part {part}")
    } else {
        what
    })
}

pub(super) fn timeline_page<'a>(
    cx: &Ctx<'a>,
    page: TimelinePage,
    range: std::ops::Range<usize>,
) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let path = page.url();
    let root = root_for(&path, s.config.base_path());
    let events = &s.events[range.clone()];
    let scope = page_scope(page);
    let (title, description) = match &scope {
        None => (
            "Timeline".to_string(),
            format!("Every event of {}, in order.", s.config.title),
        ),
        Some(scope) => (
            format!("Timeline: {scope}"),
            format!("The events of {scope} in {}, in order.", s.config.title),
        ),
    };
    let ld = timeline_ld(s, events, &title, &path);
    let (filter_people, filter_sides, filter_tags) = filters(s, events);
    let eras = groups::eras(cx, range.clone(), &root);
    let year_level = if s.config.eras.is_empty() { 2 } else { 3 };
    let (prev, next) = neighbours(cx, page, &root);
    let view = TimelineView {
        site: cx.site_view(),
        page: cx.page(
            PageInfo {
                kind: "timeline",
                path: &path,
                title: &title,
                description: &description,
                og_type: "website",
                section: "timeline",
            },
            ld,
        ),
        heading: title,
        total: events.len(),
        all: s.events.len(),
        from: events
            .first()
            .map(|e| year_label(e.placement().year()))
            .unwrap_or_default(),
        to: events
            .last()
            .map(|e| year_label(e.placement().year()))
            .unwrap_or_default(),
        rail: rail::rail(cx, page, &eras, &root),
        overview: rail::overview(&eras),
        eras,
        year_level,
        month_level: year_level + 1,
        filter_people,
        filter_sides,
        filter_tags,
        sources: page_sources(cx, events, &root),
        prev,
        next,
    };
    Ok(PageSpec::template(&path, "timeline.html", view))
}

/// The pages before and after `page` on a split timeline.
fn neighbours(cx: &Ctx<'_>, page: TimelinePage, root: &str) -> (Option<Link>, Option<Link>) {
    if page == TimelinePage::All {
        return (None, None);
    }
    let pages = &rail::outline(cx).pages;
    let Some(at) = pages.iter().position(|(p, _)| *p == page) else {
        return (None, None);
    };
    let link = |p: TimelinePage| Link {
        title: page_scope(p).unwrap_or_default(),
        url: format!("{root}{}", p.url()),
    };
    (
        at.checked_sub(1).map(|i| link(pages[i].0)),
        pages.get(at + 1).map(|(p, _)| link(*p)),
    )
}

/// The sources the events of a page cite, in the order of the sources list.
fn page_sources(cx: &Ctx<'_>, events: &[Event], root: &str) -> Vec<SourceItem> {
    let mut cited = vec![false; cx.site.sources.len()];
    for e in events {
        for &x in &e.sources {
            cited[x.ix()] = true;
        }
    }
    (0..cited.len())
        .filter(|&x| cited[x])
        .map(|x| cx.source_item(crate::site::SourceIx(x), root))
        .collect()
}

/// The filters a page offers: the people, sides and tags of its events, with how many each.
fn filters(
    s: &Site,
    events: &[Event],
) -> (Vec<FilterOption>, Vec<FilterOption>, Vec<FilterOption>) {
    let mut people_counts: BTreeMap<PersonIx, usize> = BTreeMap::new();
    let mut sides: BTreeMap<(bool, String), (String, usize)> = BTreeMap::new();
    let mut tags: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for ev in events {
        let mut seen = Vec::new();
        for &p in &ev.people {
            *people_counts.entry(p).or_insert(0) += 1;
            let side = &s.people[p].side;
            if !seen.contains(side) {
                seen.push(side.clone());
                let label = if side.is_empty() {
                    "Others".to_string()
                } else {
                    side.clone()
                };
                sides.entry(side_order(side)).or_insert((label, 0)).1 += 1;
            }
        }
        for tag in &ev.tags {
            tags.entry(slugify(tag)).or_insert((tag.to_string(), 0)).1 += 1;
        }
    }
    let mut people_counts: Vec<(PersonIx, usize)> = people_counts.into_iter().collect();
    people_counts.sort_by_cached_key(|a| sort_name(&s.people[a.0].name));
    let option = |value: String, label: String, count: usize| FilterOption {
        value,
        label,
        count,
    };
    (
        people_counts
            .into_iter()
            .map(|(p, n)| option(s.people[p].id.clone(), s.people[p].name.clone(), n))
            .collect(),
        sides
            .into_values()
            .map(|(label, n)| option(side_key(&label), label, n))
            .collect(),
        tags.into_iter()
            .map(|(value, (label, n))| option(value, label, n))
            .collect(),
    )
}

/// A timeline page's JSON-LD: an `ItemList` of its events.
fn timeline_ld(s: &Site, events: &[Event], title: &str, path: &str) -> serde_json::Value {
    serde_json::json!({
        "@context": "https://schema.org", "@type": "ItemList", "name": format!("{title} · {}", s.config.title),
        "url": s.config.absolute(path),
        "itemListElement": events.iter().enumerate().map(|(i, e)| {
            let mut v = serde_json::json!({"@type": "Event", "name": e.title, "url": s.config.absolute(&e.url())});
            if let Some(d) = e.date.start_iso() { v["startDate"] = serde_json::json!(d); }
            if let Some(d) = e.date.end_iso() { v["endDate"] = serde_json::json!(d); }
            if !e.places.is_empty() {
                v["location"] = e.places.iter().map(|&p| {
                    let p = &s.world.places[p];
                    serde_json::json!({"@type": "Place", "name": p.name, "url": s.config.absolute(&p.url)})
                }).collect();
            } else if !e.place.is_empty() { v["location"] = serde_json::json!({"@type": "Place", "name": e.place}); }
            if !e.summary_text.is_empty() { v["description"] = serde_json::json!(e.summary_text); }
            serde_json::json!({"@type": "ListItem", "position": i + 1, "item": v})
        }).collect::<Vec<_>>(),
    })
}

/// Every year of a split timeline, with its events and (for a year split by month) its months,
/// each linked from a page whose path back to the root is `root`.
fn year_index(s: &Site, root: &str) -> Vec<YearNav> {
    let mut out: Vec<YearNav> = Vec::new();
    for (page, range) in timeline_pages(s) {
        let TimelinePage::Year { year, month, part } = page else {
            continue;
        };
        if out.last().is_none_or(|y| y.year != year) {
            out.push(YearNav {
                year,
                label: year_label(year),
                url: format!("{root}{}", TimelinePage::year(year).url()),
                count: 0,
                months: Vec::new(),
            });
        }
        let y = out.last_mut().expect("pushed above");
        y.count += range.len();
        if let Some(m) = month {
            match y.months.last_mut() {
                Some(last) if part > 1 => last.count += range.len(),
                _ => y.months.push(MonthNav {
                    label: month_label(year, m),
                    url: format!("{root}{}", page.url()),
                    count: range.len(),
                }),
            }
        }
    }
    out
}

/// `timeline/` of a split timeline: the years, each with its number of events (and its months).
pub(super) fn timeline_years_page<'a>(cx: &Ctx<'a>) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let path = "timeline/";
    let years = year_index(s, "../");
    let ld = serde_json::json!({
        "@context": "https://schema.org", "@type": "ItemList", "name": format!("Timeline · {}", s.config.title),
        "url": s.config.absolute(path),
        "itemListElement": years.iter().enumerate().map(|(i, y)| serde_json::json!({
            "@type": "ListItem", "position": i + 1, "name": y.label,
            "url": s.config.absolute(&TimelinePage::year(y.year).url()),
        })).collect::<Vec<_>>(),
    });
    let view = TimelineYearsView {
        site: cx.site_view(),
        page: cx.page(
            PageInfo {
                kind: "timeline",
                path,
                title: "Timeline",
                description: &format!("Every event of {}, year by year.", s.config.title),
                og_type: "website",
                section: "timeline",
            },
            ld,
        ),
        years,
        total: s.events.len(),
    };
    Ok(PageSpec::template(path, "timeline-years.html", view))
}
