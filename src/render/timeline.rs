//! The timeline: every event in order, grouped by year and month, with filters by person, side
//! and tag; split into a page per year when it is long, with an index of the years.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::site::*;
use crate::util::slug::slugify;

use super::views::{EventRef, PageInfo, PageView, SiteView};
use super::{Ctx, PageSpec, root_for, side_key, sort_name};

#[derive(Serialize)]
pub(super) struct TimelineView<'a> {
    site: SiteView<'a>,
    page: PageView,
    years: Vec<YearGroup<'a>>,
    /// Every year of the timeline: in-page anchors, or links to the year pages when split.
    year_nav: Vec<YearNav>,
    filter_people: Vec<FilterOption>,
    filter_sides: Vec<FilterOption>,
    filter_tags: Vec<FilterOption>,
    total: usize,
}

#[derive(Serialize)]
pub(super) struct YearGroup<'a> {
    year: i64,
    label: String,
    /// Years with no events since the previous group (a gap is drawn when > 0).
    gap: i64,
    months: Vec<MonthGroup<'a>>,
}

#[derive(Serialize)]
pub(super) struct MonthGroup<'a> {
    /// "" for events known only to the year.
    label: String,
    id: String,
    events: Vec<EventRef<'a>>,
}

#[derive(Serialize)]
pub(super) struct YearNav {
    year: i64,
    label: String,
    url: String,
    /// Events in that year.
    count: usize,
    /// Years with no events since the previous one.
    gap: i64,
    /// The year this page shows (split timelines only).
    current: bool,
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

pub(super) const MONTH_NAMES: [&str; 12] = [
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

pub(super) fn year_label(year: i64) -> String {
    crate::date::year_label(year)
}

/// Is the timeline split into a page per year?
pub(super) fn timeline_split(site: &Site) -> bool {
    site.events
        .iter()
        .any(|e| matches!(e.page, TimelinePage::Year(_)))
}

/// The timeline's pages and the events on each (events are in date order, so each page's
/// events are a contiguous range): one page, or one per year.
pub(super) fn timeline_pages(site: &Site) -> Vec<(TimelinePage, std::ops::Range<usize>)> {
    let mut pages: Vec<(TimelinePage, std::ops::Range<usize>)> = Vec::new();
    for (i, e) in site.events.iter().enumerate() {
        match pages.last_mut() {
            Some((page, range)) if *page == e.page => range.end = i + 1,
            _ => pages.push((e.page, i..i + 1)),
        }
    }
    if pages.is_empty() {
        pages.push((TimelinePage::All, 0..0));
    }
    pages
}

/// Every year with events, linked from a page whose path back to the root is `root`.
pub(super) fn year_nav(s: &Site, current: TimelinePage, root: &str) -> Vec<YearNav> {
    let mut out: Vec<YearNav> = Vec::new();
    for e in &s.events {
        let year = e.date.year();
        if let Some(last) = out.last_mut().filter(|y| y.year == year) {
            last.count += 1;
            continue;
        }
        let url = match e.page {
            TimelinePage::All => format!("#y{year}"),
            page => format!("{root}{}", page.url()),
        };
        let gap = out.last().map_or(0, |p| (year - p.year - 1).max(0));
        out.push(YearNav {
            year,
            label: year_label(year),
            url,
            count: 1,
            gap,
            current: current == TimelinePage::Year(year),
        });
    }
    out
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
    let (title, description) = match page {
        TimelinePage::All => (
            "Timeline".to_string(),
            format!("Every event of {}, in order.", s.config.title),
        ),
        TimelinePage::Year(y) => (
            format!("Timeline: {}", year_label(y)),
            format!(
                "The events of {} in {}, in order.",
                year_label(y),
                s.config.title
            ),
        ),
    };
    let ld = timeline_ld(s, events, &title, &path);
    let (filter_people, filter_sides, filter_tags) = filters(s, events);
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
        years: year_groups(cx, range, &root),
        year_nav: year_nav(s, page, &root),
        filter_people,
        filter_sides,
        filter_tags,
        total: events.len(),
    };
    Ok(PageSpec::template(&path, "timeline.html", view))
}

/// The events of `range`, by year and month.
fn year_groups<'a>(cx: &Ctx<'a>, range: std::ops::Range<usize>, root: &str) -> Vec<YearGroup<'a>> {
    let s = cx.site;
    let mut years: Vec<YearGroup<'_>> = Vec::new();
    let mut prev_year: Option<i64> = None;
    for e in range {
        let year = s.events[e].date.year();
        if years.last().is_none_or(|y| y.year != year) {
            let gap = prev_year.map_or(0, |p| (year - p - 1).max(0));
            years.push(YearGroup {
                year,
                label: year_label(year),
                gap,
                months: Vec::new(),
            });
            prev_year = Some(year);
        }
        let group = years.last_mut().expect("pushed above");
        let (label, id) = match s.events[e].date.month() {
            Some(m) => (
                format!("{} {year}", MONTH_NAMES[(m - 1) as usize]),
                format!("y{year}-{m:02}"),
            ),
            None => (String::new(), format!("y{year}")),
        };
        if group.months.last().is_none_or(|m| m.id != id) {
            group.months.push(MonthGroup {
                label,
                id,
                events: Vec::new(),
            });
        }
        group
            .months
            .last_mut()
            .expect("pushed above")
            .events
            .push(cx.event(EventIx(e), root));
    }
    years
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
            if !e.place.is_empty() { v["location"] = serde_json::json!({"@type": "Place", "name": e.place}); }
            if !e.summary_text.is_empty() { v["description"] = serde_json::json!(e.summary_text); }
            serde_json::json!({"@type": "ListItem", "position": i + 1, "item": v})
        }).collect::<Vec<_>>(),
    })
}

/// `timeline/` of a timeline split by year: the years, each with its number of events.
pub(super) fn timeline_years_page<'a>(cx: &Ctx<'a>) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let path = "timeline/";
    let years = year_nav(s, TimelinePage::All, "../");
    let ld = serde_json::json!({
        "@context": "https://schema.org", "@type": "ItemList", "name": format!("Timeline · {}", s.config.title),
        "url": s.config.absolute(path),
        "itemListElement": years.iter().enumerate().map(|(i, y)| serde_json::json!({
            "@type": "ListItem", "position": i + 1, "name": y.label,
            "url": s.config.absolute(&TimelinePage::Year(y.year).url()),
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
