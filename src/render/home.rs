//! The home page: the documentary's introduction, its first chapters, the people it names most
//! and a glimpse of the timeline.

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
    central: Vec<PersonRef<'a>>,
    glimpse: Vec<EventRef<'a>>,
    counts: Counts,
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
    let glimpse: Vec<EventRef<'_>> = spread(s.events.len(), 6)
        .into_iter()
        .map(|e| cx.event(EventIx(e), root))
        .collect();
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
        counts: Counts {
            chapters: s.chapters.len(),
            people: s.people.len(),
            events: s.events.len(),
            sources: s.sources.len(),
        },
    };
    Ok(PageSpec::template(path, "index.html", view))
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
