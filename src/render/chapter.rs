//! A chapter's page: its text, table of contents, cast, the events it tells, its sources, and
//! the chapters before and after it.

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::site::*;

use super::views::{EventRef, Link, PageInfo, PageView, PersonRef, SiteView, SourceItem, TocItem};
use super::{Ctx, PageSpec};

#[derive(Serialize)]
pub(super) struct ChapterView<'a> {
    site: SiteView<'a>,
    page: PageView,
    chapter: ChapterBody<'a>,
    cast: Vec<PersonRef<'a>>,
    /// The first [`CHAPTER_EVENTS_SHOWN`] events the chapter tells, with their number and how
    /// many were left out: any number of events may name a chapter, and its page stays bounded.
    /// (The cast is not capped: it grows only with the chapter's own text.)
    events: Vec<EventRef<'a>>,
    events_total: usize,
    events_more: usize,
    sources: Vec<SourceItem>,
    prev: Option<Link>,
    /// How many chapters the documentary has ("Chapter 3 of 13").
    chapter_count: usize,
    /// The span of the events it tells: "July 18–29, 2013".
    span: Option<String>,
    next: Option<Link>,
}

#[derive(Serialize)]
pub(super) struct ChapterBody<'a> {
    number: u64,
    slug: String,
    title: String,
    summary: String,
    content: crate::markdown::HtmlAt<'a>,
    toc: Vec<TocItem>,
    minutes: usize,
    words: usize,
}

/// How many of the events it tells a chapter's page lists.
pub(super) const CHAPTER_EVENTS_SHOWN: usize = 200;

pub(super) fn chapter_page<'a>(cx: &Ctx<'a>, c: ChapterIx) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let ch = &s.chapters[c];
    let path = ch.url();
    let page = {
        let ld = serde_json::json!({
            "@context": "https://schema.org", "@type": "Article",
            "headline": ch.title, "description": ch.summary, "url": s.config.absolute(&path),
            "inLanguage": s.config.language, "wordCount": ch.words,
            "author": {"@type": "Organization", "name": if s.config.author.is_empty() { &s.config.title } else { &s.config.author }},
            "isPartOf": {"@type": "WebSite", "name": s.config.title, "url": s.config.base_url},
            "about": ch.people.iter().take(12).map(|&p| serde_json::json!({"@type": "Person", "name": s.people[p].name, "url": s.config.absolute(&s.people[p].url())})).collect::<Vec<_>>(),
            "citation": ch.sources.iter().map(|&x| s.sources[x].title.clone()).collect::<Vec<_>>(),
        });
        cx.page(
            PageInfo {
                kind: "chapter",
                path: &path,
                title: &ch.title,
                description: &ch.summary,
                og_type: "article",
                section: "chapters",
            },
            ld,
        )
    };
    let root = page.root.clone();
    let view = ChapterView {
        site: cx.site_view(),
        chapter: ChapterBody {
            number: ch.number,
            slug: ch.slug.clone(),
            title: ch.title.clone(),
            summary: ch.summary.clone(),
            content: ch.html.at_root(&root),
            toc: TocItem::sections(&ch.toc),
            minutes: ch.minutes(),
            words: ch.words,
        },
        cast: ch.people.iter().map(|&p| cx.person(p, &root)).collect(),
        events: (ch.events.iter().take(CHAPTER_EVENTS_SHOWN))
            .map(|&e| cx.event(e, &root))
            .collect(),
        events_total: ch.events.len(),
        events_more: ch.events.len().saturating_sub(CHAPTER_EVENTS_SHOWN),
        sources: ch
            .sources
            .iter()
            .map(|&x| cx.source_item(x, &root))
            .collect(),
        prev: c
            .ix()
            .checked_sub(1)
            .map(|p| cx.chapter_link(ChapterIx(p), &root)),
        next: (c.ix() + 1 < s.chapters.len())
            .then(|| cx.chapter_link(ChapterIx(c.ix() + 1), &root)),
        chapter_count: s.chapters.len(),
        span: super::timeline::events_span(s, &ch.events),
        page,
    };
    Ok(PageSpec::template(&path, "chapter.html", view))
}
