//! The files for machines: the sitemap (split into files past the protocol's limit), the Atom
//! feed of the latest chapters, `robots.txt`, `.nojekyll` and GitHub Pages' `CNAME`.

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::output::Output;
use crate::site::*;

use super::views::SiteView;
use super::{Ctx, PageSpec, explore, paged, timeline};

/// The most URLs one sitemap file may list (the sitemaps protocol's limit). Past it,
/// `sitemap.xml` is a sitemap index of `sitemap-1.xml`, `sitemap-2.xml`, … of this many each.
pub const SITEMAP_URLS: usize = 50_000;

/// What `sitemap.xml` shows: the URLs of one sitemap file, or (for the index of a sitemap split
/// into files) the URLs of the files.
#[derive(Serialize)]
struct SitemapView<'a> {
    site: SiteView<'a>,
    urls: Vec<String>,
    sitemaps: Vec<String>,
}

/// How many sitemap files `sitemap.xml` indexes (0: it lists the URLs itself).
pub(super) fn sitemap_parts(site: &Site) -> usize {
    let n = sitemap_paths(site).len();
    if n > SITEMAP_URLS {
        n.div_ceil(SITEMAP_URLS)
    } else {
        0
    }
}

/// `sitemap.xml` (`k` = 0), or the file `sitemap-{k}.xml` of a sitemap split into files.
pub(super) fn sitemap_page<'a>(cx: &Ctx<'a>, k: usize) -> Result<PageSpec<'a>, Diagnostic> {
    let c = &cx.site.config;
    let paths = sitemap_paths(cx.site);
    let (urls, sitemaps, path) = sitemap_file(&paths, SITEMAP_URLS, k);
    let view = SitemapView {
        site: cx.site_view(),
        urls: urls.iter().map(|p| c.absolute(p)).collect(),
        sitemaps: sitemaps.iter().map(|p| c.absolute(p)).collect(),
    };
    Ok(PageSpec::template(&path, "sitemap.xml", view))
}

/// File `k` of the sitemap of `paths` at most `limit` URLs a file: (the site paths it lists,
/// the sitemap files it indexes, its path). `sitemap.xml` lists every path when they fit;
/// otherwise it indexes `sitemap-1.xml`, `sitemap-2.xml`…
fn sitemap_file(paths: &[String], limit: usize, k: usize) -> (Vec<String>, Vec<String>, String) {
    if paths.len() <= limit {
        return (paths.to_vec(), Vec::new(), "sitemap.xml".into());
    }
    let parts = paths.len().div_ceil(limit);
    if k == 0 {
        return (
            Vec::new(),
            (1..=parts).map(|i| format!("sitemap-{i}.xml")).collect(),
            "sitemap.xml".into(),
        );
    }
    let chunk = paths.chunks(limit).nth(k - 1).unwrap_or_default();
    (chunk.to_vec(), Vec::new(), format!("sitemap-{k}.xml"))
}

/// Every page's site-relative URL, for the sitemap.
pub(super) fn sitemap_paths(site: &Site) -> Vec<String> {
    let mut paths = vec![
        String::new(),
        "people/".into(),
        "timeline/".into(),
        "sources/".into(),
        explore::NETWORK_PATH.into(),
    ];
    paths.extend(site.chapters.iter().map(Chapter::url));
    paths.extend(site.people.iter().map(Person::url));
    paths.extend(super::standalone::own_pages(site).map(|i| site.pages[i].url()));
    if timeline::timeline_split(site) {
        paths.extend(
            timeline::timeline_pages(site)
                .into_iter()
                .map(|(page, _)| page.url()),
        );
    }
    paths.extend(
        (2..=page_count(site.people.len(), PEOPLE_PER_PAGE))
            .filter(|_| site.people.len() > PEOPLE_INDEX_LIMIT)
            .map(|k| page_url(super::people_index::PEOPLE_PATH, k)),
    );
    paths.extend((1..=paged::chapters_page_count(site)).map(|k| page_url(paged::CHAPTERS_PATH, k)));
    for x in 0..site.sources.len() {
        let first = paged::source_page_url(&site.sources[x].id);
        paths
            .extend((1..=paged::source_page_count(site, SourceIx(x))).map(|k| page_url(&first, k)));
    }
    paths.extend(super::world::sitemap_paths(site));
    paths
}

/// How many chapters the Atom feed carries (the last ones, in reading order).
pub(super) const FEED_ENTRIES: usize = 20;

#[derive(Serialize)]
struct FeedView<'a> {
    site: SiteView<'a>,
    feed: FeedInfo<'a>,
    entries: Vec<FeedEntry<'a>>,
}

#[derive(Serialize)]
struct FeedInfo<'a> {
    title: &'a str,
    subtitle: &'a str,
    url: &'a str,
    self_url: String,
    updated: String,
    author: &'a str,
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    url: String,
    updated: String,
    published: Option<String>,
    summary: &'a str,
    /// The chapter's HTML, its links absolute.
    content: String,
}

/// `atom.xml`: the latest chapters (a feed with every chapter's text would grow with the site).
/// Its dates are publication dates, never the story's: each chapter's `published` and `updated`
/// (front matter), else site.toml's `published`; the feed's own `updated` is its latest entry's.
/// With no date given anywhere, the Unix epoch stands in (an Atom feed must carry one, and a
/// build must not depend on the day it runs).
pub(super) fn feed_page<'a>(cx: &Ctx<'a>) -> Result<PageSpec<'a>, Diagnostic> {
    let site = cx.site;
    let c = &site.config;
    let entries: Vec<FeedEntry<'a>> = site.chapters
        [site.chapters.len().saturating_sub(FEED_ENTRIES)..]
        .iter()
        .map(|ch| {
            let published = ch.published.as_deref().or(c.published.as_deref());
            FeedEntry {
                title: &ch.title,
                url: c.absolute(&ch.url()),
                updated: stamp(ch.updated.as_deref().or(published)),
                published: published.map(|d| stamp(Some(d))),
                summary: &ch.summary,
                content: ch.html.absolute(&c.base_url, &c.absolute(&ch.url())),
            }
        })
        .collect();
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| stamp(c.published.as_deref()));
    let view = FeedView {
        site: cx.site_view(),
        feed: FeedInfo {
            title: &c.title,
            subtitle: &c.description,
            url: &c.base_url,
            self_url: c.absolute("atom.xml"),
            updated,
            author: if c.author.is_empty() {
                &c.title
            } else {
                &c.author
            },
        },
        entries,
    };
    Ok(PageSpec::template("atom.xml", "atom.xml", view))
}

/// A publication day (`YYYY-MM-DD`, checked when loaded) as an Atom timestamp; none: the epoch.
fn stamp(day: Option<&str>) -> String {
    format!("{}T00:00:00Z", day.unwrap_or("1970-01-01"))
}

/// The small files every site has: `.nojekyll` (GitHub Pages serves folders starting with `_`),
/// `robots.txt`, and `CNAME` when site.toml names a domain.
pub(super) fn extras(site: &Site) -> Vec<Output> {
    let mut out = vec![
        Output {
            path: ".nojekyll".into(),
            bytes: Vec::new().into(),
        },
        Output {
            path: "robots.txt".into(),
            bytes: format!(
                "User-agent: *\nAllow: /\nSitemap: {}\n",
                site.config.absolute("sitemap.xml")
            )
            .into_bytes()
            .into(),
        },
    ];
    if let Some(cname) = &site.config.cname {
        out.push(Output {
            path: "CNAME".into(),
            bytes: format!("{cname}\n").into_bytes().into(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitemap_past_its_limit_becomes_an_index_of_files() {
        let paths: Vec<String> = (0..5).map(|i| format!("p{i}/")).collect();
        assert_eq!(
            sitemap_file(&paths[..3], 3, 0),
            (paths[..3].to_vec(), vec![], "sitemap.xml".to_string())
        );
        assert_eq!(
            sitemap_file(&paths, 3, 0),
            (
                vec![],
                vec!["sitemap-1.xml".to_string(), "sitemap-2.xml".into()],
                "sitemap.xml".to_string()
            )
        );
        assert_eq!(sitemap_file(&paths, 3, 1).0, paths[..3]);
        assert_eq!(
            sitemap_file(&paths, 3, 2),
            (paths[3..].to_vec(), vec![], "sitemap-2.xml".to_string())
        );
    }
}
