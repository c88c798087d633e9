//! The generator end to end on small fixture sites: references, auto-linking, backlinks, the
//! timeline, sub-path links and the site's extra files, asserted on the parsed HTML.

mod common;

use std::collections::BTreeSet;
use std::fs;

use common::*;

fn built() -> Fixture {
    let f = Fixture::new("basic");
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    f
}

#[test]
fn references_resolve_to_relative_links() {
    let f = built();
    let doc = f.page("chapters/the-talks/");
    let prose = links(&doc, ".prose a:not(.anchor):not(.footnote-back)");
    assert!(
        prose.contains(&("../../people/john-kerry/".into(), "the secretary".into())),
        "{prose:?}"
    );
    assert!(
        prose.contains(&("../../timeline/#vote".into(), "Cabinet vote".into())),
        "{prose:?}"
    );
    assert!(
        prose.contains(&("../../chapters/the-end/#last-day".into(), "The End".into())),
        "{prose:?}"
    );
    assert!(
        prose.contains(&("../../sources/#report".into(), "The Report".into())),
        "{prose:?}"
    );
    // A reference inside an event summary resolves too, from the timeline's depth.
    let timeline = f.page("timeline/");
    let summary = links(&timeline, "#vote .event-summary a");
    assert_eq!(
        summary,
        vec![(
            "../people/john-kerry/".to_string(),
            "John Kerry".to_string()
        )]
    );
}

#[test]
fn autolink_takes_the_first_mention_and_the_longest_name() {
    let f = built();
    let doc = f.page("chapters/the-talks/");
    let to = |id: &str| links(&doc, &format!(".prose a[href='../../people/{id}/']"));
    // Kerry was already linked by the explicit reference: no second link.
    assert_eq!(to("john-kerry").len(), 1);
    // The alias "Abu Mazen" is the first mention of Mahmoud Abbas.
    assert_eq!(
        to("mahmoud-abbas"),
        vec![(
            "../../people/mahmoud-abbas/".to_string(),
            "Abu Mazen".to_string()
        )]
    );
    // "Naftali Bennett" wins over "Bennett", and only the first mention links.
    assert_eq!(
        to("naftali-bennett"),
        vec![(
            "../../people/naftali-bennett/".to_string(),
            "Naftali Bennett".to_string()
        )]
    );
    // Never inside headings or code.
    assert!(doc.select(&sel(".prose h2 a.ref-person")).next().is_none());
    assert_eq!(texts(&doc, ".prose code"), vec!["Bennett"]);
    // Each chapter links its own first mention.
    let end = f.page("chapters/the-end/");
    assert_eq!(
        links(&end, ".prose a.ref-person")
            .iter()
            .map(|l| l.1.as_str())
            .collect::<Vec<_>>(),
        ["Abbas", "Naftali Bennett", "Kerry"]
    );
}

#[test]
fn person_pages_show_backlinks_with_their_sentences() {
    let f = built();
    let doc = f.page("people/naftali-bennett/");
    assert_eq!(texts(&doc, "h1"), vec!["Naftali Bennett"]);
    let appear = links(&doc, ".appearances a");
    assert_eq!(
        appear,
        vec![
            (
                "../../chapters/the-talks/#p-2".to_string(),
                "The Talks".to_string()
            ),
            (
                "../../chapters/the-end/#p-1".to_string(),
                "The End".to_string()
            ),
        ]
    );
    let sentences = texts(&doc, ".appearances blockquote");
    assert_eq!(
        sentences,
        vec![
            "Naftali Bennett objected.",
            "Naftali Bennett cheered; Kerry sighed."
        ]
    );
    // The anchor exists and holds that sentence.
    let chapter = f.page("chapters/the-talks/");
    assert!(texts(&chapter, "#p-2")[0].starts_with("Naftali Bennett objected."));
    // The people they appear with, and their own timeline.
    let companions = texts(&doc, ".companions a");
    assert!(
        companions.contains(&"John Kerry".to_string()),
        "{companions:?}"
    );
    assert_eq!(
        texts(&doc, "#own-timeline + ol time, .event-strip time"),
        vec!["July 28, 2013"]
    );
}

#[test]
fn timeline_orders_mixed_precision_dates() {
    let f = built();
    let doc = f.page("timeline/");
    let ids: Vec<String> = doc
        .select(&sel("li.event"))
        .map(|e| e.value().attr("id").unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        ["seventies", "circa", "year", "july", "vote", "signing"]
    );
    let dates = texts(&doc, "li.event time");
    assert_eq!(
        dates,
        [
            "the 1970s",
            "c. 1975",
            "2013",
            "July 2013",
            "July 28, 2013",
            "April 1, 2014"
        ]
    );
    let attrs: Vec<&str> = doc
        .select(&sel("li.event time"))
        .map(|e| e.value().attr("datetime").unwrap())
        .collect();
    assert_eq!(
        attrs,
        [
            "1970",
            "1975",
            "2013",
            "2013-07",
            "2013-07-28",
            "2014-04-01"
        ]
    );
    // Grouped by year, with a heading per year, and the decade under its own.
    assert_eq!(
        texts(&doc, "h2[id^='y']"),
        ["The 1970s", "1975", "2013", "2014"]
    );
}

#[test]
fn every_link_resolves_under_a_sub_path() {
    let f = Fixture::new("basic");
    let r = f.build_with_base("https://user.github.io/repo/");
    assert!(r.ok(), "{}", messages(&r));
    let tree = f.tree();
    let pages: Vec<&String> = tree.keys().filter(|p| p.ends_with(".html")).collect();
    assert!(pages.len() >= 9, "{pages:?}");
    let mut checked = 0;
    for page in pages {
        let html = scraper::Html::parse_document(std::str::from_utf8(&tree[page]).unwrap());
        // The URL the page is served at, under the sub-path.
        let page_url = format!("/repo/{}", page.trim_end_matches("index.html"));
        for el in html.select(&sel("a[href], link[href], script[src], img[src]")) {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if url.starts_with("https://")
                || url.starts_with("http://")
                || url.starts_with("mailto:")
            {
                if el.value().attr("rel") == Some("canonical") {
                    assert!(
                        url.starts_with("https://user.github.io/repo/"),
                        "{page}: {url}"
                    );
                }
                continue;
            }
            let (path, frag) = url.split_once('#').unwrap_or((url, ""));
            // A query (the timeline's filter) is read by the page's script, not the server.
            let path = path.split_once('?').map_or(path, |(p, _)| p);
            let resolved = if path.is_empty() {
                page_url.clone()
            } else {
                resolve(&page_url, path)
            };
            let rel = resolved
                .strip_prefix("/repo/")
                .unwrap_or_else(|| panic!("{page}: {url} leaves the sub-path ({resolved})"));
            let file = if rel.is_empty() || rel.ends_with('/') {
                format!("{rel}index.html")
            } else {
                rel.to_string()
            };
            let bytes = tree
                .get(&file)
                .unwrap_or_else(|| panic!("{page}: broken link {url} ({file})"));
            if !frag.is_empty() {
                let target = scraper::Html::parse_document(std::str::from_utf8(bytes).unwrap());
                assert!(
                    target
                        .select(&sel(&format!("[id='{frag}']")))
                        .next()
                        .is_some(),
                    "{page}: missing anchor {url}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    // 404.html is served at any depth, so it links from the base path.
    let nf = f.page("404.html");
    assert!(
        links(&nf, "main a")
            .iter()
            .all(|(h, _)| h.starts_with("/repo/"))
    );
}

/// Resolve a relative URL path against a page URL (both absolute paths).
fn resolve(base: &str, rel: &str) -> String {
    if rel.starts_with('/') {
        return rel.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop(); // the page's own name ("" for a folder)
    for seg in rel.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn site_files_for_pages_feeds_and_crawlers() {
    let f = Fixture::new("basic");
    f.write(
        "site.toml",
        fs::read_to_string(f.root().join("site.toml")).unwrap() + "cname = \"docs.example.org\"\n",
    );
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let tree = f.tree();
    for needed in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        ".nojekyll",
        "people/index.html",
        "timeline/index.html",
        "sources/index.html",
        "style.css",
    ] {
        assert!(tree.contains_key(needed), "missing {needed}");
    }
    assert_eq!(tree["CNAME"], b"docs.example.org\n");
    let sitemap = String::from_utf8(tree["sitemap.xml"].clone()).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/chapters/the-talks/</loc>"));
    let atom = String::from_utf8(tree["atom.xml"].clone()).unwrap();
    assert_eq!(atom.matches("<entry>").count(), 2);
    // The home page lists chapters in order with summaries.
    let home = f.page("");
    assert_eq!(
        texts(&home, ".chapter-list .chapter-title"),
        ["The Talks", "The End"]
    );
    // The people index groups by side.
    let people = f.page("people/");
    assert_eq!(
        texts(&people, "main h2"),
        ["Israel", "Palestinians", "United States"]
    );
    // Sources list what cites them.
    let sources = f.page("sources/");
    assert_eq!(
        texts(&sources, "#report p:nth-of-type(2) a"),
        ["The Talks", "The End"]
    );
}

#[test]
fn metadata_on_every_page() {
    let f = built();
    for path in [
        "",
        "chapters/the-talks/",
        "people/",
        "people/john-kerry/",
        "timeline/",
        "sources/",
    ] {
        let doc = f.page(path);
        assert_eq!(doc.select(&sel("head > title")).count(), 1, "{path}");
        for css in [
            "meta[name=description]",
            "link[rel=canonical]",
            "meta[property='og:title']",
            "script[type='application/ld+json']",
        ] {
            assert!(doc.select(&sel(css)).next().is_some(), "{path}: {css}");
        }
        let ld: String = doc
            .select(&sel("script[type='application/ld+json']"))
            .next()
            .unwrap()
            .text()
            .collect();
        let v: serde_json::Value = serde_json::from_str(&ld).unwrap();
        let expected = match path {
            "chapters/the-talks/" => "Article",
            "people/john-kerry/" => "Person",
            "timeline/" => "ItemList",
            _ => "",
        };
        if !expected.is_empty() {
            assert_eq!(v["@type"], expected, "{path}");
        }
    }
}

#[test]
fn drafts_are_left_out_unless_asked() {
    let f = Fixture::new("basic");
    f.write(
        "content/chapters/03-draft.md",
        "+++\ntitle = \"Draft\"\ndraft = true\nsources = [\"report\"]\n+++\nSoon.\n",
    );
    assert!(f.build().ok());
    assert!(!f.out().join("chapters/draft").exists());
    let mut o = f.options();
    o.drafts = true;
    assert!(dossier::build(&o).unwrap().ok());
    assert!(f.out().join("chapters/draft/index.html").exists());
}

#[test]
fn two_builds_are_byte_identical() {
    let f = built();
    let first = f.tree();
    assert!(f.build().ok());
    assert_eq!(first, f.tree());
    let names: BTreeSet<&String> = first.keys().collect();
    assert!(names.iter().all(|n| !n.contains("dossier-tmp")));
}

/// The feed is read outside the site, so every URL in it is absolute: its links, its entries'
/// in-page links (footnotes, sections) and the chapters' links written relative to their page.
#[test]
fn every_url_in_the_feed_is_absolute() {
    let f = Fixture::new("basic");
    f.write(
        "content/chapters/03-notes.md",
        "+++\ntitle = \"Notes\"\nsources = [\"report\"]\n+++\n\nSee [the end](../the-end/), [below](#later) and a note.[^n]\n\n## Later\n\nKerry.\n\n[^n]: A note.\n",
    );
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let feed = std::fs::read_to_string(f.out().join("atom.xml")).unwrap();
    let urls: Vec<&str> = feed
        .split("href=\"")
        .skip(1)
        .chain(feed.split("href=&quot;").skip(1))
        .chain(feed.split("src=&quot;").skip(1))
        .collect();
    assert!(urls.len() > 6, "{feed}");
    for u in urls {
        assert!(
            u.starts_with("https://example.org/"),
            "a relative URL in the feed: {}",
            &u[..u.len().min(60)]
        );
    }
    assert!(
        feed.contains("https://example.org/chapters/notes/#later"),
        "{feed}"
    );
    assert!(
        feed.contains("https://example.org/chapters/notes/../the-end/"),
        "{feed}"
    );
}
