//! The pages that split a list which would otherwise grow with the whole documentary: the table
//! of contents (`chapters/`, `chapters/page/<k>/`), the people index split into pages, each
//! source's own page of citations, and the pagination they share. A child of `render`.

use serde::Serialize;

use super::people_index::{PEOPLE_PATH, PeopleIndex};
use super::views::{ChapterItem, Link, PageInfo, PageView, SiteView};
use super::{Ctx, PageSpec, root_for};
use crate::diagnostics::Diagnostic;
use crate::site::*;

/// Where a paginated list is and which page this is: a `<nav>` with the previous and next
/// pages (`rel`) and page numbers around the current one (`aria-current="page"`), so that the
/// navigation itself stays bounded however many pages there are.
#[derive(Serialize)]
pub(super) struct Pagination {
    /// The nav's accessible name: "Pages of the table of contents".
    label: String,
    current: usize,
    count: usize,
    prev: Option<String>,
    next: Option<String>,
    pages: Vec<PageNumber>,
}

#[derive(Serialize)]
struct PageNumber {
    number: usize,
    url: String,
    current: bool,
    /// Pages are left out before this one (an ellipsis is shown).
    gap_before: bool,
}

/// How many page numbers either side of the current one the pagination shows.
const PAGINATION_AROUND: usize = 2;

impl Pagination {
    /// Page `current` of `count` of the list whose first page is `first` (site-relative),
    /// with every URL relative to the current page's root `root`.
    pub(super) fn new(
        label: impl Into<String>,
        first: &str,
        current: usize,
        count: usize,
        root: &str,
    ) -> Pagination {
        let url = |k: usize| format!("{root}{}", page_url(first, k));
        let mut pages = Vec::new();
        let mut last_shown = 0;
        for k in 1..=count {
            if k == 1 || k == count || k.abs_diff(current) <= PAGINATION_AROUND {
                pages.push(PageNumber {
                    number: k,
                    url: url(k),
                    current: k == current,
                    gap_before: k > last_shown + 1,
                });
                last_shown = k;
            }
        }
        Pagination {
            label: label.into(),
            current,
            count,
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < count).then(|| url(current + 1)),
            pages,
        }
    }
}

/// The first URL of the table of contents.
pub(super) const CHAPTERS_PATH: &str = "chapters/";

/// Is there a table of contents apart from the home page's list?
pub(super) fn chapters_split(site: &Site) -> bool {
    site.chapters.len() > HOME_CHAPTERS
}

/// The pages of the table of contents: at least one (`chapters/` always exists, so the
/// navigation's "Chapters" is a page of its own on any host, even when the home page lists
/// every chapter too).
pub(super) fn chapters_page_count(site: &Site) -> usize {
    page_count(site.chapters.len(), CHAPTERS_PER_PAGE)
}

#[derive(Serialize)]
struct ChaptersView<'a> {
    site: SiteView<'a>,
    page: PageView,
    chapters: Vec<ChapterItem>,
    /// The position of the first chapter of the page (for `<ol start>`).
    start: usize,
    total: usize,
    pagination: Pagination,
}

/// Page `k` of the table of contents.
pub(super) fn chapters_page<'a>(cx: &Ctx<'a>, k: usize) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let path = page_url(CHAPTERS_PATH, k);
    let root = root_for(&path, s.config.base_path());
    let count = chapters_page_count(s);
    let range = (k - 1) * CHAPTERS_PER_PAGE..(k * CHAPTERS_PER_PAGE).min(s.chapters.len());
    let title = if k == 1 {
        "Chapters".to_string()
    } else {
        format!("Chapters, page {k}")
    };
    let ld = serde_json::json!({
        "@context": "https://schema.org", "@type": "ItemList", "name": format!("{title} · {}", s.config.title),
        "url": s.config.absolute(&path), "numberOfItems": s.chapters.len(),
        "itemListElement": range.clone().map(|c| serde_json::json!({
            "@type": "ListItem", "position": c + 1, "name": s.chapters[c].title, "url": s.config.absolute(&s.chapters[c].url()),
        })).collect::<Vec<_>>(),
    });
    let description = format!(
        "The {} chapters of {}, page {k} of {count}.",
        s.chapters.len(),
        s.config.title
    );
    let view = ChaptersView {
        site: cx.site_view(),
        page: cx.page(
            PageInfo {
                kind: "chapters",
                path: &path,
                title: &title,
                description: &description,
                og_type: "website",
                section: "chapters",
            },
            ld,
        ),
        start: range.start + 1,
        chapters: range
            .map(|c| cx.chapter_item(ChapterIx(c), &root))
            .collect(),
        total: s.chapters.len(),
        pagination: Pagination::new(
            "Pages of the table of contents",
            CHAPTERS_PATH,
            k,
            count,
            &root,
        ),
    };
    Ok(PageSpec::template(&path, "chapters.html", view))
}

#[derive(Serialize)]
struct PeopleView<'a> {
    site: SiteView<'a>,
    page: PageView,
    /// Every side, for the jump links: where it starts and how many people it has.
    sides: Vec<SideNav>,
    /// The sides shown on this page, with the people of each that this page shows.
    groups: Vec<SideGroup<'a>>,
    /// `None` when everyone is on one page.
    pagination: Option<Pagination>,
    total: usize,
    /// The network of people (`people/network/`), relative to this page.
    network_url: String,
}

#[derive(Serialize)]
struct SideNav {
    side: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct SideGroup<'a> {
    side: String,
    id: String,
    /// The id of the group's heading: `side-<id>` where the side starts, `side-<id>-continued`
    /// on the pages after.
    anchor: String,
    continued: bool,
    /// Everyone of this side (on every page).
    count: usize,
    people: Vec<super::views::PersonRef<'a>>,
}

/// Page `k` of the people index (`people/` when everyone fits on one page).
pub(super) fn people_page<'a>(
    cx: &Ctx<'a>,
    index: &PeopleIndex,
    k: usize,
) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let path = page_url(PEOPLE_PATH, k);
    let root = root_for(&path, s.config.base_path());
    let range = if index.pages == 1 {
        0..index.order.len()
    } else {
        (k - 1) * PEOPLE_PER_PAGE..(k * PEOPLE_PER_PAGE).min(index.order.len())
    };
    let groups = side_groups(cx, index, range, &root);
    let here = |url: String| match url.split_once('#') {
        Some((page, anchor)) if page == path => format!("#{anchor}"),
        _ => format!("{root}{url}"),
    };
    let sides = (0..index.sides.len())
        .map(|x| SideNav {
            side: index.sides[x].label.clone(),
            url: here(index.side_url(x)),
            count: index.sides[x].len,
        })
        .collect();
    let title = if k == 1 {
        "People".to_string()
    } else {
        format!("People, page {k}")
    };
    let description = if index.pages == 1 {
        format!("Everyone in {}, by side.", s.config.title)
    } else {
        format!(
            "Everyone in {}, by side: page {k} of {}.",
            s.config.title, index.pages
        )
    };
    let ld = serde_json::json!({"@context": "https://schema.org", "@type": "CollectionPage", "name": format!("{title} · {}", s.config.title), "url": s.config.absolute(&path)});
    let view = PeopleView {
        site: cx.site_view(),
        page: cx.page(
            PageInfo {
                kind: "people",
                path: &path,
                title: &title,
                description: &description,
                og_type: "website",
                section: "people",
            },
            ld,
        ),
        sides,
        groups,
        pagination: (index.pages > 1).then(|| {
            Pagination::new(
                "Pages of the people index",
                PEOPLE_PATH,
                k,
                index.pages,
                &root,
            )
        }),
        total: s.people.len(),
        network_url: format!("{}network/", "../".repeat(path.matches('/').count() - 1)),
    };
    Ok(PageSpec::template(&path, "people.html", view))
}

/// The people of `range` of the index, grouped by side.
fn side_groups<'a>(
    cx: &Ctx<'a>,
    index: &PeopleIndex,
    range: std::ops::Range<usize>,
    root: &str,
) -> Vec<SideGroup<'a>> {
    let mut groups: Vec<SideGroup<'_>> = Vec::new();
    let mut last_side = None;
    for i in range {
        let p = index.order[i];
        let side = index.side_of[p];
        if last_side != Some(side) {
            last_side = Some(side);
            let r = &index.sides[side];
            let continued = i != r.start;
            let anchor = if continued {
                format!("side-{}-continued", r.id)
            } else {
                format!("side-{}", r.id)
            };
            groups.push(SideGroup {
                side: r.label.clone(),
                id: r.id.clone(),
                anchor,
                continued,
                count: r.len,
                people: Vec::new(),
            });
        }
        groups
            .last_mut()
            .expect("pushed above")
            .people
            .push(cx.person(p, root));
    }
    groups
}

/// The first URL of a source's own page.
pub(super) fn source_page_url(id: &str) -> String {
    format!("sources/{id}/")
}

/// Does source `x` have its own page (is it cited more than the sources page lists)?
pub(super) fn has_source_page(site: &Site, x: SourceIx) -> bool {
    let src = &site.sources[x];
    [src.chapters.len(), src.events.len(), src.people.len()]
        .into_iter()
        .any(|n| n > SOURCE_CITATIONS_SHOWN)
}

/// How many pages source `x`'s own page takes (0 when it has none).
pub(super) fn source_page_count(site: &Site, x: SourceIx) -> usize {
    if !has_source_page(site, x) {
        return 0;
    }
    let src = &site.sources[x];
    page_count(
        src.chapters.len() + src.events.len() + src.people.len(),
        SOURCE_CITATIONS_PER_PAGE,
    )
}

#[derive(Serialize)]
struct SourceView<'a> {
    site: SiteView<'a>,
    page: PageView,
    source: super::views::SourceItem,
    /// This page's share of the citations, chapters first, then events, then biographies.
    chapters: Vec<Link>,
    events: Vec<Link>,
    people: Vec<Link>,
    chapters_total: usize,
    events_total: usize,
    people_total: usize,
    pagination: Pagination,
}

/// Page `k` of source `x`'s own page: every chapter, event and biography citing it, in pages of
/// [`SOURCE_CITATIONS_PER_PAGE`].
pub(super) fn source_page<'a>(
    cx: &Ctx<'a>,
    x: SourceIx,
    k: usize,
) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let src = &s.sources[x];
    let first = source_page_url(&src.id);
    let path = page_url(&first, k);
    let root = root_for(&path, s.config.base_path());
    let count = source_page_count(s, x);
    // One sequence of citations cut into pages: chapters, then events, then biographies.
    let (c, e) = (src.chapters.len(), src.events.len());
    let range = (k - 1) * SOURCE_CITATIONS_PER_PAGE..k * SOURCE_CITATIONS_PER_PAGE;
    let part = |start: usize, len: usize| {
        range.start.clamp(start, start + len) - start..range.end.clamp(start, start + len) - start
    };
    let chapters = src.chapters[part(0, c)]
        .iter()
        .map(|&ch| cx.chapter_link(ch, &root))
        .collect();
    let events = src.events[part(c, e)]
        .iter()
        .map(|&ev| Link {
            title: s.events[ev].title.clone(),
            url: format!("{root}{}", s.events[ev].url()),
        })
        .collect();
    let people = src.people[part(c + e, src.people.len())]
        .iter()
        .map(|&p| Link {
            title: s.people[p].name.clone(),
            url: format!("{root}{}", s.people[p].url()),
        })
        .collect();
    let title = if k == 1 {
        src.title.clone()
    } else {
        format!("{}, page {k}", src.title)
    };
    let ld = serde_json::json!({
        "@context": "https://schema.org", "@type": "CreativeWork", "name": src.title, "url": s.config.absolute(&path),
        "isPartOf": {"@type": "CollectionPage", "url": s.config.absolute("sources/")},
    });
    let description = format!("Where {} cites {}.", s.config.title, src.title);
    let view = SourceView {
        site: cx.site_view(),
        page: cx.page(
            PageInfo {
                kind: "source",
                path: &path,
                title: &title,
                description: &description,
                og_type: "website",
                section: "sources",
            },
            ld,
        ),
        source: cx.source_item(x, &root),
        chapters,
        events,
        people,
        chapters_total: c,
        events_total: e,
        people_total: src.people.len(),
        pagination: Pagination::new(
            format!("Pages of citations of {}", src.title),
            &first,
            k,
            count,
            &root,
        ),
    };
    Ok(PageSpec::template(&path, "source.html", view))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(p: &Pagination) -> Vec<String> {
        p.pages
            .iter()
            .map(|n| {
                format!(
                    "{}{}{}",
                    if n.gap_before { "…" } else { "" },
                    n.number,
                    if n.current { "*" } else { "" }
                )
            })
            .collect()
    }

    #[test]
    fn pagination_shows_the_ends_and_the_pages_around_the_current_one() {
        let p = Pagination::new("x", "chapters/", 1, 3, "../");
        assert_eq!(numbers(&p), ["1*", "2", "3"]);
        assert_eq!(
            (p.prev, p.next.as_deref()),
            (None, Some("../chapters/page/2/"))
        );
        assert_eq!(p.pages[0].url, "../chapters/");
        let p = Pagination::new("x", "chapters/", 50, 100, "../../../");
        assert_eq!(numbers(&p), ["1", "…48", "49", "50*", "51", "52", "…100"]);
        assert_eq!(
            (p.prev.as_deref(), p.next.as_deref()),
            (
                Some("../../../chapters/page/49/"),
                Some("../../../chapters/page/51/")
            )
        );
        let p = Pagination::new("x", "chapters/", 4, 4, "");
        assert_eq!(numbers(&p), ["1", "2", "3", "4*"]);
        assert_eq!(p.next, None);
    }
}
