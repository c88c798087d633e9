//! The timeline's ways in: the rail (the named periods, their years, decades and centuries with
//! how many events each holds, and the months of a dense year) and the overview, a strip of
//! bars, one per month of the dense stretch, each linking to its month, drawn at build time as
//! inline SVG. The strip is a picture of what the rail says in words (its months and counts),
//! so it is hidden from assistive technology and its bars are not in the tab order.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::site::TimelinePage;

use super::super::Ctx;
use super::groups::{self, EraSection, YearGroup};
use super::outline::{Outline, OutlineYear};
use super::{MONTH_NAMES, month_label, timeline_pages};

#[derive(Serialize)]
pub(super) struct RailEra {
    pub(super) name: String,
    pub(super) url: String,
    pub(super) years: Vec<RailYear>,
}

#[derive(Serialize)]
pub(super) struct RailYear {
    pub(super) label: String,
    pub(super) url: String,
    pub(super) count: usize,
    /// The group's id when it is on this page (the filter recounts it), else "".
    pub(super) key: String,
    pub(super) months: Vec<RailMonth>,
}

#[derive(Serialize)]
pub(super) struct RailMonth {
    /// "Jul"
    pub(super) short: String,
    /// "July 2013"
    pub(super) label: String,
    pub(super) url: String,
    pub(super) count: usize,
    pub(super) key: String,
}

/// The overview strip: its SVG, and the months it covers, in words.
#[derive(Serialize)]
pub(super) struct Overview {
    pub(super) svg: String,
    pub(super) from: String,
    pub(super) to: String,
}

/// The rail of a page showing `eras`: on a timeline of one page, its own sections; on a split
/// one, every year of the timeline (linking to its page) with the months of this page's years.
pub(super) fn rail(
    cx: &Ctx<'_>,
    page: TimelinePage,
    eras: &[EraSection<'_>],
    root: &str,
) -> Vec<RailEra> {
    let here = |e: &EraSection<'_>| RailEra {
        name: e.name.clone(),
        url: if e.id.is_empty() {
            String::new()
        } else {
            format!("#{}", e.id)
        },
        years: e.groups.iter().map(year_here).collect(),
    };
    if page == TimelinePage::All {
        return eras.iter().map(here).collect();
    }
    let on_page: BTreeMap<&str, &YearGroup<'_>> = eras
        .iter()
        .flat_map(|e| e.groups.iter())
        .map(|g| (g.key.as_str(), g))
        .collect();
    let mut out: Vec<RailEra> = Vec::new();
    for y in &outline(cx).years {
        if out.last().is_none_or(|r| r.name != y.era) {
            out.push(RailEra {
                name: y.era.clone(),
                url: String::new(),
                years: Vec::new(),
            });
        }
        let years = &mut out.last_mut().expect("pushed above").years;
        years.push(match on_page.get(y.id.as_str()) {
            Some(g) if y.page == page => year_here(g),
            _ => RailYear {
                url: format!("{root}{}#{}", y.page.url(), y.id),
                label: y.label.clone(),
                count: y.count,
                key: String::new(),
                months: Vec::new(),
            },
        });
    }
    out
}

/// The timeline's outline, made by the first page that asks.
pub(super) fn outline<'c>(cx: &Ctx<'c>) -> &'c Outline {
    cx.timeline_outline.get_or_init(|| {
        let pages = timeline_pages(cx.site);
        let mut years: Vec<OutlineYear> = Vec::new();
        for (p, range) in &pages {
            for e in &cx.site.events[range.clone()] {
                let (y, m, d, _) = e.placement().sort_key();
                let era = cx.site.config.eras.iter().find(|x| x.holds((y, m, d)));
                let era = era.map_or("", |x| x.name.as_str());
                let (start, span) = groups::group_of(e);
                match years.last_mut() {
                    Some(last) if last.era == era && last.id == groups::group_id(start, span) => {
                        last.count += 1
                    }
                    _ => years.push(OutlineYear {
                        era: era.to_string(),
                        id: groups::group_id(start, span),
                        label: groups::group_label(e, start, span),
                        count: 1,
                        page: *p,
                    }),
                }
            }
        }
        Outline { pages, years }
    })
}

/// A group of this page in the rail, with its months when it is dense.
fn year_here(g: &YearGroup<'_>) -> RailYear {
    RailYear {
        label: g.label.clone(),
        url: format!("#{}", g.id),
        count: g.count,
        key: g.id.clone(),
        months: if g.dense {
            g.months
                .iter()
                .filter(|m| !m.id.is_empty())
                .map(|m| RailMonth {
                    short: MONTH_NAMES[usize::from(m.month.clamp(1, 12) - 1)][..3].to_string(),
                    label: m.label.clone(),
                    url: format!("#{}", m.id),
                    count: m.events.len(),
                    key: m.id.clone(),
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// At most this many years of months in the strip (the densest run of them, if there are more).
const STRIP_YEARS: i64 = 10;

/// The overview of the dense stretch of `eras`: every month from the first dense year to the
/// last (at most [`STRIP_YEARS`] years), or `None` when no year is dense.
pub(super) fn overview(eras: &[EraSection<'_>]) -> Option<Overview> {
    // Events per (year, month) of this page, and the first id of each month on it.
    let mut months: BTreeMap<(i64, u8), (usize, &str)> = BTreeMap::new();
    let mut dense: Vec<i64> = Vec::new();
    for g in eras.iter().flat_map(|e| e.groups.iter()) {
        if g.end != g.start {
            continue;
        }
        if g.dense {
            dense.push(g.start);
        }
        for m in g.months.iter().filter(|m| m.month > 0) {
            let entry = months.entry((g.start, m.month)).or_insert((0, &m.key));
            entry.0 += m.events.len();
        }
    }
    let (&first, &last) = (dense.iter().min()?, dense.iter().max()?);
    let per_year = |y: i64| -> usize {
        (1..=12)
            .map(|m| months.get(&(y, m)).map_or(0, |c| c.0))
            .sum()
    };
    let from = if last - first < STRIP_YEARS {
        first
    } else {
        (first..=last - STRIP_YEARS + 1)
            .max_by_key(|&a| ((a..a + STRIP_YEARS).map(per_year).sum::<usize>(), -a))
            .unwrap_or(first)
    };
    let to = last.min(from + STRIP_YEARS - 1);
    let cells: Vec<((i64, u8), usize, &str)> = (from..=to)
        .flat_map(|y| (1..=12).map(move |m| (y, m)))
        .map(|k| {
            let (n, id) = months.get(&k).copied().unwrap_or((0, ""));
            (k, n, id)
        })
        .collect();
    Some(Overview {
        svg: strip(&cells),
        from: month_label(from, 1),
        to: month_label(to, 12),
    })
}

/// Bar geometry, in SVG units: a month's width, the tallest bar, the label row below.
const CELL: usize = 10;
const BAR: usize = 36;
const LABELS: usize = 12;

/// The strip's SVG: a bar per month (a link to it when it has events), a tick and the year
/// under each January.
fn strip(cells: &[((i64, u8), usize, &str)]) -> String {
    let max = cells.iter().map(|c| c.1).max().unwrap_or(0).max(1);
    let width = cells.len() * CELL;
    let mut svg = String::with_capacity(cells.len() * 160);
    let _ = write!(
        svg,
        r#"<svg class="tl-strip" viewBox="0 0 {width} {}" aria-hidden="true" focusable="false" data-max="{max}">"#,
        BAR + LABELS + 2
    );
    for (i, &((y, m), n, id)) in cells.iter().enumerate() {
        let x = i * CELL;
        if m == 1 {
            let _ = write!(
                svg,
                r#"<line class="tl-strip-tick" x1="{x}" x2="{x}" y1="0" y2="{}"/><text x="{}" y="{}">{}</text>"#,
                BAR + 3,
                x + 1,
                BAR + LABELS,
                super::year_label(y)
            );
        }
        if n == 0 {
            let _ = write!(
                svg,
                r#"<rect class="tl-strip-none" x="{}" y="{}" width="{}" height="1"/>"#,
                x + 1,
                BAR,
                CELL - 2
            );
            continue;
        }
        let h = (n * BAR).div_ceil(max).max(2);
        let _ = write!(
            svg,
            r##"<a href="#{id}" tabindex="-1" data-key="{id}"><rect x="{}" y="{}" width="{}" height="{h}" data-n="{n}"/><title>{}: {n} event{}</title></a>"##,
            x + 1,
            BAR - h,
            CELL - 2,
            month_label(y, m),
            if n == 1 { "" } else { "s" }
        );
    }
    svg.push_str("</svg>");
    svg
}
