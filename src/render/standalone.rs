//! A standalone page (`content/pages/about.md` → `about/`): its Markdown text, with a table of
//! contents when it has sections. The home page's text (`index.md`) is the home page's, not a
//! page of its own.

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::site::*;

use super::views::{PageInfo, PageView, SiteView, TocItem};
use super::{Ctx, PageSpec};

#[derive(Serialize)]
pub(super) struct StandaloneView<'a> {
    site: SiteView<'a>,
    page: PageView,
    title: &'a str,
    summary: &'a str,
    content: crate::markdown::HtmlAt<'a>,
    toc: Vec<TocItem>,
}

/// The standalone pages that have pages of their own (all but the home page's text), by their
/// position in `Site::pages`.
pub(super) fn own_pages(site: &Site) -> impl Iterator<Item = usize> + '_ {
    (0..site.pages.len()).filter(|&i| site.pages[i].slug != HOME_TEXT)
}

pub(super) fn standalone_page<'a>(cx: &Ctx<'a>, i: usize) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let p = &s.pages[i];
    let path = p.url();
    let ld = serde_json::json!({
        "@context": "https://schema.org", "@type": "WebPage", "name": p.title,
        "url": s.config.absolute(&path), "inLanguage": s.config.language,
        "isPartOf": {"@type": "WebSite", "name": s.config.title, "url": s.config.base_url},
    });
    let page = cx.page(
        PageInfo {
            kind: "page",
            path: &path,
            title: &p.title,
            description: &p.summary,
            og_type: "article",
            section: "page",
        },
        ld,
    );
    let view = StandaloneView {
        site: cx.site_view(),
        content: p.html.at_root(&page.root),
        page,
        title: &p.title,
        summary: &p.summary,
        toc: TocItem::sections(&p.toc),
    };
    Ok(PageSpec::template(&path, "page.html", view))
}
