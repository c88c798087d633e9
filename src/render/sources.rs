//! The sources page (every source, with what cites it) and the page for a missing page (404).

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::site::*;

use super::views::{Link, PageInfo, PageView, SiteView, SourceItem};
use super::{Ctx, PageSpec, paged};

#[derive(Serialize)]
pub(super) struct SourcesView<'a> {
    site: SiteView<'a>,
    page: PageView,
    sources: Vec<SourceEntry>,
}

#[derive(Serialize)]
pub(super) struct SourceEntry {
    source: SourceItem,
    /// The first [`SOURCE_CITATIONS_SHOWN`] of each list, with how many were left out.
    chapters: Vec<Link>,
    chapters_more: usize,
    events: Vec<Link>,
    events_total: usize,
    events_more: usize,
    people: Vec<Link>,
    people_total: usize,
    people_more: usize,
    /// The source's own page listing every citation, when some were left out here.
    all_url: Option<String>,
}

#[derive(Serialize)]
pub(super) struct NotFoundView<'a> {
    site: SiteView<'a>,
    page: PageView,
}

pub(super) fn sources_page<'a>(cx: &Ctx<'a>) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let path = "sources/";
    let root = "../";
    let ld = serde_json::json!({"@context": "https://schema.org", "@type": "CollectionPage", "name": format!("Sources · {}", s.config.title), "url": s.config.absolute(path)});
    let view = SourcesView {
        site: cx.site_view(),
        page: cx.page(
            PageInfo {
                kind: "sources",
                path,
                title: "Sources",
                description: &format!("The sources {} is drawn from.", s.config.title),
                og_type: "website",
                section: "sources",
            },
            ld,
        ),
        sources: (0..s.sources.len())
            .map(|x| {
                let x = SourceIx(x);
                let src = &s.sources[x];
                let more = |n: usize| n.saturating_sub(SOURCE_CITATIONS_SHOWN);
                SourceEntry {
                    source: cx.source_item(x, root),
                    chapters: src
                        .chapters
                        .iter()
                        .take(SOURCE_CITATIONS_SHOWN)
                        .map(|&c| cx.chapter_link(c, root))
                        .collect(),
                    chapters_more: more(src.chapters.len()),
                    events: src
                        .events
                        .iter()
                        .take(SOURCE_CITATIONS_SHOWN)
                        .map(|&e| Link {
                            title: s.events[e].title.clone(),
                            url: format!("{root}{}", s.events[e].url()),
                        })
                        .collect(),
                    events_total: src.events.len(),
                    events_more: more(src.events.len()),
                    people: src
                        .people
                        .iter()
                        .take(SOURCE_CITATIONS_SHOWN)
                        .map(|&p| Link {
                            title: s.people[p].name.clone(),
                            url: format!("{root}{}", s.people[p].url()),
                        })
                        .collect(),
                    people_total: src.people.len(),
                    people_more: more(src.people.len()),
                    all_url: paged::has_source_page(s, x)
                        .then(|| format!("{root}{}", paged::source_page_url(&src.id))),
                }
            })
            .collect(),
    };
    Ok(PageSpec::template(path, "sources.html", view))
}

pub(super) fn not_found_page<'a>(cx: &Ctx<'a>) -> Result<PageSpec<'a>, Diagnostic> {
    let path = "404.html";
    let ld = serde_json::json!({"@context": "https://schema.org", "@type": "WebPage", "name": "Page not found"});
    let view = NotFoundView {
        site: cx.site_view(),
        page: cx.page(
            PageInfo {
                kind: "404",
                path,
                title: "Page not found",
                description: "",
                og_type: "website",
                section: "",
            },
            ld,
        ),
    };
    Ok(PageSpec::template(path, "404.html", view))
}
