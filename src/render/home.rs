//! The home page: the documentary's introduction (the story in a minute, from
//! `content/pages/index.md`), its first chapters, the people it names most and its turning
//! points (the events marked `featured = true`) as a glimpse of the timeline.

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::site::*;

use super::views::{ChapterItem, EventRef, PageInfo, PageView, PersonRef, SiteView};
use super::{Ctx, PageSpec, paged};

#[derive(Serialize)]
pub(super) struct IndexView<'a> {
    site: SiteView<'a>,
    page: PageView,
    /// The first [`HOME_CHAPTERS`] chapters.
    chapters: Vec<ChapterItem>,
    /// The table of contents, when the home page cannot list every chapter.
    all_chapters: Option<String>,
    /// The story in a minute: `content/pages/index.md`, its title and text.
    intro: Option<Intro<'a>>,
    central: Vec<PersonRef<'a>>,
    glimpse: Vec<EventRef<'a>>,
    /// Are the glimpse's events the documentary's turning points (`featured = true`)?
    turning_points: bool,
    counts: Counts,
}

#[derive(Serialize)]
pub(super) struct Intro<'a> {
    title: &'a str,
    content: crate::markdown::HtmlAt<'a>,
}

#[derive(Serialize)]
pub(super) struct Counts {
    chapters: usize,
    people: usize,
    events: usize,
    sources: usize,
}

pub(super) fn index_page<'a>(cx: &Ctx<'a>) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let path = "";
    let root = "";
    let mut by_mentions: Vec<PersonIx> = (0..s.people.len())
        .map(PersonIx)
        .filter(|&p| s.people[p].mentions > 0)
        .collect();
    by_mentions.sort_by(|&a, &b| {
        s.people[b]
            .mentions
            .cmp(&s.people[a].mentions)
            .then(a.cmp(&b))
    });
    by_mentions.truncate(8);
    let glimpse: Vec<EventRef<'_>> = glimpse(s).into_iter().map(|e| cx.event(e, root)).collect();
    let ld = serde_json::json!({
        "@context": "https://schema.org", "@type": "WebSite",
        "name": s.config.title, "description": s.config.description, "url": s.config.base_url,
        "inLanguage": s.config.language,
    });
    let view = IndexView {
        site: cx.site_view(),
        page: cx.page(
            PageInfo {
                kind: "index",
                path,
                title: &s.config.title,
                description: &s.config.description,
                og_type: "website",
                section: "",
            },
            ld,
        ),
        chapters: (0..s.chapters.len().min(HOME_CHAPTERS))
            .map(|c| cx.chapter_item(ChapterIx(c), root))
            .collect(),
        all_chapters: paged::chapters_split(s).then(|| format!("{root}{}", paged::CHAPTERS_PATH)),
        central: by_mentions
            .into_iter()
            .map(|p| cx.person(p, root))
            .collect(),
        glimpse,
        turning_points: s.events.iter().any(|e| e.featured),
        intro: s.home_text().map(|p| Intro {
            title: &p.title,
            content: p.html.at_root(root),
        }),
        counts: Counts {
            chapters: s.chapters.len(),
            people: s.people.len(),
            events: s.events.len(),
            sources: s.sources.len(),
        },
    };
    Ok(PageSpec::template(path, "index.html", view))
}

/// How many events the home page's glimpse of the timeline shows at most.
pub(super) const GLIMPSE_EVENTS: usize = 12;

/// The events of the home page's glimpse, in timeline order: the turning points the documentary
/// marks `featured = true` (the first [`GLIMPSE_EVENTS`]), or, when it marks none, six events
/// spread evenly over the timeline.
pub(super) fn glimpse(s: &Site) -> Vec<EventIx> {
    let featured: Vec<EventIx> = (0..s.events.len())
        .map(EventIx)
        .filter(|&e| s.events[e].featured)
        .take(GLIMPSE_EVENTS)
        .collect();
    if !featured.is_empty() {
        return featured;
    }
    spread(s.events.len(), 6).into_iter().map(EventIx).collect()
}

/// `k` indices spread evenly over `0..n`.
pub(super) fn spread(n: usize, k: usize) -> Vec<usize> {
    if n <= k {
        return (0..n).collect();
    }
    let mut v: Vec<usize> = (0..k).map(|i| i * (n - 1) / (k - 1)).collect();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn spread_picks_evenly() {
        assert_eq!(super::spread(10, 3), vec![0, 4, 9]);
        assert_eq!(super::spread(2, 6), vec![0, 1]);
    }
}
