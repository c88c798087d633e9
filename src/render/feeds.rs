//! The files for machines: the sitemap (split into files past the protocol's limit), the Atom
//! feed of the latest chapters, `robots.txt`, `.nojekyll` and GitHub Pages' `CNAME`.

use crate::diagnostics::Diagnostic;
use crate::output::Output;
use crate::site::*;
use crate::util::escape;

use super::{explore, paged, timeline};

pub(super) fn xml(s: &str) -> String {
    escape::html(s)
}

/// The most URLs one sitemap file may list (the sitemaps protocol's limit). Past it,
/// `sitemap.xml` is a sitemap index of `sitemap-1.xml`, `sitemap-2.xml`, … of this many each.
pub const SITEMAP_URLS: usize = 50_000;

/// `sitemap.xml`: every page's URL, or the index of the sitemap files.
pub(super) fn sitemap(site: &Site) -> String {
    sitemap_files(&site.config, &sitemap_paths(site), SITEMAP_URLS)
        .swap_remove(0)
        .1
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

/// `sitemap-{k}.xml` of a sitemap split into files.
pub(super) fn sitemap_part<'a>(site: &Site, k: usize) -> Result<super::PageSpec<'a>, Diagnostic> {
    let (path, text) =
        sitemap_files(&site.config, &sitemap_paths(site), SITEMAP_URLS).swap_remove(k);
    Ok(super::PageSpec {
        path,
        content: super::Content::Bytes(text.into_bytes()),
    })
}

/// The sitemap files for `paths` at most `limit` URLs a file: `sitemap.xml` alone, or
/// `sitemap.xml` as an index followed by `sitemap-1.xml`, `sitemap-2.xml`…
pub(super) fn sitemap_files(
    c: &crate::config::Config,
    paths: &[String],
    limit: usize,
) -> Vec<(String, String)> {
    let urlset = |paths: &[String]| {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for p in paths {
            out.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                xml(&c.absolute(p))
            ));
        }
        out.push_str("</urlset>\n");
        out
    };
    if paths.len() <= limit {
        return vec![("sitemap.xml".into(), urlset(paths))];
    }
    let parts: Vec<(String, String)> = paths
        .chunks(limit)
        .enumerate()
        .map(|(i, chunk)| (format!("sitemap-{}.xml", i + 1), urlset(chunk)))
        .collect();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (name, _) in &parts {
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml(&c.absolute(name))
        ));
    }
    index.push_str("</sitemapindex>\n");
    let mut files = vec![("sitemap.xml".to_string(), index)];
    files.extend(parts);
    files
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
            .map(|k| page_url(paged::PEOPLE_PATH, k)),
    );
    paths.extend((1..=paged::chapters_page_count(site)).map(|k| page_url(paged::CHAPTERS_PATH, k)));
    for x in 0..site.sources.len() {
        let first = paged::source_page_url(&site.sources[x].id);
        paths.extend((1..=paged::source_page_count(site, x)).map(|k| page_url(&first, k)));
    }
    paths
}

/// How many chapters the Atom feed carries (the last ones, in reading order).
pub(super) const FEED_ENTRIES: usize = 20;

pub(super) fn atom(site: &Site) -> String {
    let c = &site.config;
    // A stable "updated" stamp: the latest event date (builds stay byte-identical).
    let updated = site
        .events
        .iter()
        .filter(|e| (1..=9999).contains(&e.date.year()))
        .max_by_key(|e| e.date.sort_key())
        .and_then(|e| e.date.datetime())
        .unwrap_or_else(|| "1970-01-01".into());
    let stamp = |d: &str| match d.len() {
        4 => format!("{d}-01-01T00:00:00Z"),
        7 => format!("{d}-01T00:00:00Z"),
        _ => format!("{d}T00:00:00Z"),
    };
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    out.push_str(&format!("  <title>{}</title>\n", xml(&c.title)));
    if !c.description.is_empty() {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", xml(&c.description)));
    }
    out.push_str(&format!(
        "  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}\"/>\n",
        xml(&c.base_url),
        xml(&c.absolute("atom.xml"))
    ));
    out.push_str(&format!(
        "  <id>{}</id>\n  <updated>{}</updated>\n",
        xml(&c.base_url),
        stamp(&updated)
    ));
    let author = if c.author.is_empty() {
        &c.title
    } else {
        &c.author
    };
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml(author)
    ));
    // The latest chapters only: a feed with every chapter's text would grow with the whole site.
    for ch in &site.chapters[site.chapters.len().saturating_sub(FEED_ENTRIES)..] {
        let url = c.absolute(&ch.url());
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n",
            xml(&ch.title),
            xml(&url),
            xml(&url)
        ));
        out.push_str(&format!("    <updated>{}</updated>\n", stamp(&updated)));
        if !ch.summary.is_empty() {
            out.push_str(&format!("    <summary>{}</summary>\n", xml(&ch.summary)));
        }
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            escape::html(&ch.html.at(&c.base_url))
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The small files every site has: `.nojekyll` (GitHub Pages serves folders starting with `_`),
/// `robots.txt`, and `CNAME` when site.toml names a domain.
pub(super) fn extras(site: &Site) -> Vec<Output> {
    let mut out = vec![
        Output {
            path: "sitemap.xml".into(),
            bytes: sitemap(site).into_bytes().into(),
        },
        Output {
            path: "atom.xml".into(),
            bytes: atom(site).into_bytes().into(),
        },
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
    use crate::diagnostics::{Diagnostics, SourceFile};

    #[test]
    fn a_sitemap_past_its_limit_becomes_an_index_of_files() {
        let mut diags = Diagnostics::default();
        let file = SourceFile::new(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://e.org/d/\"\n",
        );
        let c = crate::config::Config::parse(&file, &mut diags).unwrap();
        let paths: Vec<String> = (0..5).map(|i| format!("p{i}/")).collect();
        let one = sitemap_files(&c, &paths[..3], 3);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].1.matches("<url>").count(), 3);
        let files = sitemap_files(&c, &paths, 3);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        assert!(
            files[0].1.contains("<sitemapindex")
                && files[0]
                    .1
                    .contains("<loc>https://e.org/d/sitemap-2.xml</loc>")
        );
        assert_eq!(
            (
                files[1].1.matches("<url>").count(),
                files[2].1.matches("<url>").count()
            ),
            (3, 2)
        );
        assert!(files[2].1.contains("<loc>https://e.org/d/p4/</loc>"));
    }
}
