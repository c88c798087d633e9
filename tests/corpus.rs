//! The benchmark corpus (examples/gen-corpus.rs) end to end at small sizes: it builds without a
//! warning, every chapter and person gets a page, names are auto-linked, and past 500 events the
//! timeline is split by year with every link to an event landing on the page that shows it.

mod common;

#[allow(dead_code)]
#[path = "../examples/gen-corpus.rs"]
mod gen_corpus;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::*;
use scraper::{Html, Selector};

/// A generated corpus of `n` chapters in a temp dir, built.
fn corpus(n: usize) -> Fixture {
    let f = Fixture {
        dir: tempfile::tempdir().unwrap(),
    };
    let args = [
        "--chapters",
        &n.to_string(),
        "--out",
        &f.root().display().to_string(),
        "--seed",
        "7",
    ];
    gen_corpus::run(args.iter().map(|s| s.to_string()).collect()).unwrap();
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    assert!(
        r.diagnostics.items.is_empty(),
        "the corpus should build without warnings:\n{}",
        messages(&r)
    );
    f
}

fn stems(dir: &Path, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(ext).map(str::to_string))
        .collect();
    v.sort();
    v
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

#[test]
fn a_hundred_chapters_build_cleanly_with_a_page_each() {
    let f = corpus(100);
    let chapters = stems(&f.root().join("content/chapters"), ".md");
    let people = stems(&f.root().join("content/people"), ".toml");
    assert_eq!((chapters.len(), people.len()), (100, 50));
    for c in &chapters {
        // "00042-the-quiet-treaty-42" → chapters/the-quiet-treaty-42/
        let slug = c.split_once('-').unwrap().1;
        assert!(
            f.out()
                .join(format!("chapters/{slug}/index.html"))
                .is_file(),
            "{slug}"
        );
    }
    for p in &people {
        assert!(
            f.out().join(format!("people/{p}/index.html")).is_file(),
            "{p}"
        );
    }
    // 200 events on one timeline page.
    let timeline = f.page("timeline/");
    assert_eq!(timeline.select(&sel(".tl-event")).count(), 200);
    // Names written plainly are auto-linked: every chapter links people it never wrote as [[id]].
    let slug = chapters[10].split_once('-').unwrap().1;
    let text = fs::read_to_string(
        f.root()
            .join(format!("content/chapters/{}.md", chapters[10])),
    )
    .unwrap();
    let page = f.page(&format!("chapters/{slug}/"));
    let linked: Vec<String> = page
        .select(&sel(".prose a.ref-person"))
        .filter_map(|a| a.value().attr("href"))
        .map(|h| {
            h.trim_start_matches("../../people/")
                .trim_end_matches('/')
                .to_string()
        })
        .collect();
    assert!(
        linked.iter().any(|id| !text.contains(&format!("[[{id}"))),
        "no auto-linked name in {slug}: {linked:?}"
    );
}

#[test]
fn a_large_timeline_is_split_by_year_and_every_event_link_lands() {
    let f = corpus(300);
    // 600 events: timeline/ is an index of years, each year a page.
    let index = f.page("timeline/");
    let years: Vec<String> = index
        .select(&sel("main a"))
        .filter_map(|a| a.value().attr("href"))
        .map(str::to_string)
        .collect();
    assert!(years.len() >= 20, "{years:?}");
    assert!(
        years
            .iter()
            .all(|y| y.starts_with("../timeline/") && y.ends_with('/')),
        "{years:?}"
    );
    assert_eq!(index.select(&sel(".tl-event")).count(), 0);
    let mut shown: BTreeMap<String, String> = BTreeMap::new();
    for y in &years {
        let path = y.trim_start_matches("../");
        let page = f.page(path);
        for e in page.select(&sel(".tl-event")) {
            shown.insert(e.value().id().unwrap().to_string(), path.to_string());
        }
    }
    assert_eq!(shown.len(), 600, "every event is on exactly one year page");
    // Every link to an event, from chapters and people, names the page that shows it.
    let mut checked = 0;
    for dir in ["chapters", "people"] {
        for entry in fs::read_dir(f.out().join(dir)).unwrap() {
            let file = entry.unwrap().path().join("index.html");
            let Ok(text) = fs::read_to_string(&file) else {
                continue;
            };
            let doc = Html::parse_document(&text);
            for a in doc.select(&sel("a[href*='timeline/']")) {
                let href = a.value().attr("href").unwrap();
                let Some((page, id)) = href.trim_start_matches("../../").split_once('#') else {
                    continue;
                };
                // (A person's link to the timeline filtered to them carries the filter.)
                let page = page.split_once('?').map_or(page, |(p, _)| p);
                assert_eq!(
                    shown.get(id).map(String::as_str),
                    Some(page),
                    "{} links {href}",
                    file.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 600, "only {checked} event links found");
    // The year pages are in the sitemap.
    let sitemap = fs::read_to_string(f.out().join("sitemap.xml")).unwrap();
    assert!(
        years
            .iter()
            .all(|y| sitemap.contains(&format!("/{}</loc>", y.trim_start_matches("../"))))
    );
}

/// Every `.html` file of the output, with its path under it ("chapters/x/index.html").
fn html_files(out: &Path) -> Vec<(String, u64)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            (
                e.path().strip_prefix(out).unwrap().display().to_string(),
                e.metadata().unwrap().len(),
            )
        })
        .collect()
}

/// A relative `href` followed from the page at `from` ("chapters/page/2/"), as a site path
/// ("chapters/x/#y"); `None` for links leaving the site.
fn follow(from: &str, href: &str) -> Option<String> {
    if href.contains(':') || href.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let (path, anchor) = href
        .split_once('#')
        .map_or((href, None), |(p, a)| (p, Some(a)));
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                assert!(parts.pop().is_some(), "{href} from {from} leaves the site");
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if !out.is_empty() {
        out.push('/');
    }
    if path.is_empty() {
        out = from.to_string();
    }
    Some(match anchor {
        Some(a) => format!("{out}#{a}"),
        None => out,
    })
}

/// The pages of a paginated list from its first page: each page's path and document, following
/// `rel="next"`, checking the pagination's markup on the way.
fn paginated(f: &Fixture, first: &str) -> Vec<(String, Html)> {
    let mut pages = Vec::new();
    let mut path = Some(first.to_string());
    while let Some(p) = path {
        let doc = f.page(&p);
        let k = pages.len() + 1;
        if let Some(nav) = doc.select(&sel("nav.pagination")).next() {
            assert!(
                nav.value()
                    .attr("aria-label")
                    .is_some_and(|l| l.starts_with("Pages of")),
                "{p}"
            );
            let current: Vec<String> = nav
                .select(&sel("a[aria-current='page']"))
                .map(|a| a.text().collect::<String>())
                .collect();
            assert_eq!(
                current,
                [format!("Page {k}")],
                "{p}: the current page is marked"
            );
            let prev = nav
                .select(&sel("a[rel='prev']"))
                .next()
                .and_then(|a| a.value().attr("href"))
                .map(|h| follow(&p, h).unwrap());
            assert_eq!(
                prev.is_some(),
                k > 1,
                "{p}: a link to the previous page from page {k}"
            );
            if let Some(prev) = prev {
                assert_eq!(
                    prev,
                    pages
                        .last()
                        .map(|(q, _): &(String, Html)| q.clone())
                        .unwrap(),
                    "{p}"
                );
            }
        }
        let next = doc
            .select(&sel("nav.pagination a[rel='next']"))
            .next()
            .and_then(|a| a.value().attr("href"))
            .map(|h| follow(&p, h).unwrap());
        pages.push((p, doc));
        path = next;
        assert!(pages.len() < 100, "pagination loops");
    }
    pages
}

/// Link targets (site paths) of the elements matching `selector` on a page at `from`.
fn targets(doc: &Html, from: &str, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|h| follow(from, h))
        .collect()
}

/// The ids of a built page.
fn ids(f: &Fixture, path: &str) -> std::collections::HashSet<String> {
    f.page(path)
        .select(&sel("[id]"))
        .map(|e| e.value().id().unwrap().to_string())
        .collect()
}

/// The bound no page may exceed, at these sizes.
const PAGE_BOUND: u64 = 1_000_000;

fn assert_bounded_and_checked(f: &Fixture) {
    for (path, size) in html_files(&f.out()) {
        assert!(size < PAGE_BOUND, "{path} is {size} bytes");
    }
    let report = dossier::check(&f.options()).unwrap();
    assert!(
        report.diagnostics.items.is_empty(),
        "dossier check:\n{}",
        messages(&report)
    );
}

#[test]
fn a_long_documentary_has_a_paged_table_of_contents_and_print_volumes() {
    let f = corpus(120);
    let slugs: Vec<String> = stems(&f.root().join("content/chapters"), ".md")
        .iter()
        .map(|c| c.split_once('-').unwrap().1.to_string())
        .collect();
    // The home page lists the first 50 chapters and links to the table of contents.
    let home = f.page("");
    assert_eq!(home.select(&sel(".chapter-list > li")).count(), 50);
    let all = home
        .select(&sel("#chapters a[href='chapters/']"))
        .next()
        .expect("a link to every chapter");
    assert_eq!(
        all.text().collect::<String>().trim_end_matches(['→', ' ']),
        "All 120 chapters"
    );
    // Every chapter is reachable from there, once, in reading order, 100 a page.
    let pages = paginated(&f, "chapters/");
    assert_eq!(
        pages.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        ["chapters/", "chapters/page/2/"]
    );
    let listed: Vec<String> = pages
        .iter()
        .flat_map(|(p, doc)| targets(doc, p, ".chapter-list a"))
        .collect();
    let expected: Vec<String> = slugs.iter().map(|s| format!("chapters/{s}/")).collect();
    assert_eq!(listed, expected);
    assert_eq!(
        pages[1]
            .1
            .select(&sel("ol.chapter-list"))
            .next()
            .unwrap()
            .value()
            .attr("start"),
        Some("101")
    );

    // The print edition: print/ lists three volumes, which hold every chapter once, in order.
    let contents = f.page("print/");
    assert_eq!(contents.select(&sel(".print-chapter")).count(), 0);
    let volumes = targets(&contents, "print/", ".volume-list h2 a");
    assert_eq!(volumes, ["print/1/", "print/2/", "print/3/"]);
    let mut headings: Vec<String> = Vec::new();
    let mut cross = 0;
    for (v, volume) in volumes.iter().enumerate() {
        let doc = f.page(volume);
        let chapters = doc
            .select(&sel(".print-chapter h2"))
            .map(|h| h.value().id().unwrap().to_string())
            .collect::<Vec<_>>();
        assert_eq!(chapters.len(), [50, 50, 20][v], "{volume}");
        headings.extend(chapters);
        // Links between chapters land on an id: in this volume, or in the volume printing it.
        let here = ids(&f, volume);
        for a in doc.select(&sel(".print-chapter .prose a[href]")) {
            let href = a.value().attr("href").unwrap();
            if let Some(anchor) = href.strip_prefix('#') {
                assert!(here.contains(anchor), "{volume}: {href}");
            } else if let Some((other, anchor)) = href
                .strip_prefix("../")
                .and_then(|h| h.split_once("/#"))
                .filter(|(v, _)| v.bytes().all(|b| b.is_ascii_digit()))
            {
                assert_ne!(
                    format!("print/{other}/"),
                    *volume,
                    "a link within the volume is in-page: {href}"
                );
                assert!(
                    ids(&f, &format!("print/{other}/")).contains(anchor),
                    "{volume}: {href} lands nowhere"
                );
                cross += 1;
            }
        }
    }
    assert!(
        cross >= 2,
        "the chapters that open a volume link back to the one before: {cross}"
    );
    let expected: Vec<String> = slugs.iter().map(|s| format!("chapter-{s}")).collect();
    assert_eq!(
        headings, expected,
        "every chapter heading exactly once across the volumes, in order"
    );

    // Sitemap: the table of contents' pages.
    let sitemap = fs::read_to_string(f.out().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/chapters/</loc>") && sitemap.contains("/chapters/page/2/</loc>"));
    // The feed carries the last 20 chapters, the newest last.
    let atom = fs::read_to_string(f.out().join("atom.xml")).unwrap();
    let entries: Vec<&str> = atom
        .split("<entry>")
        .skip(1)
        .map(|e| {
            e.split("<id>")
                .nth(1)
                .unwrap()
                .split("</id>")
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(entries.len(), 20);
    assert!(
        entries[0].ends_with(&format!("/chapters/{}/", slugs[100]))
            && entries[19].ends_with(&format!("/chapters/{}/", slugs[119])),
        "{entries:?}"
    );
    assert_bounded_and_checked(&f);
}

#[test]
fn a_large_cast_has_a_paged_people_index_and_sources_their_own_pages() {
    let f = corpus(620);
    let people = stems(&f.root().join("content/people"), ".toml");
    assert_eq!(people.len(), 310);
    // Everyone is reachable from people/, through its pages, once; no page lists more than 200.
    let pages = paginated(&f, "people/");
    assert_eq!(pages.len(), 2);
    let mut listed: Vec<String> = Vec::new();
    for (p, doc) in &pages {
        let on_page = targets(doc, p, ".person-card h3 a");
        assert!(on_page.len() <= 200, "{p}: {}", on_page.len());
        listed.extend(on_page);
        // Each side's jump link lands on its heading, on whichever page the side starts.
        for side in targets(doc, p, "nav[aria-label='Sides'] a") {
            let (page, anchor) = side.split_once('#').unwrap();
            assert!(ids(&f, page).contains(anchor), "{p}: {side}");
        }
    }
    let mut sorted = listed.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), listed.len(), "nobody is listed twice");
    assert_eq!(
        sorted,
        people
            .iter()
            .map(|p| format!("people/{p}/"))
            .collect::<Vec<_>>()
    );
    // A biography's link to its side lands on the side's heading.
    for p in people.iter().step_by(37) {
        let from = format!("people/{p}/");
        let side = targets(&f.page(&from), &from, ".infobox a[href*='people/']");
        let (page, anchor) = side[0].split_once('#').unwrap();
        assert!(ids(&f, page).contains(anchor), "{from}: {}", side[0]);
    }

    // Sources cited by more than the sources page lists have their own page listing every citation.
    let sources = f.page("sources/");
    let mut with_page = 0;
    for entry in sources.select(&sel(".bibliography > li")) {
        let id = entry.value().id().unwrap();
        // "Cited by 248 events"
        let summaries: Vec<String> = entry
            .select(&sel("summary"))
            .map(|s| s.text().collect())
            .collect();
        let total: usize = summaries
            .iter()
            .find(|s| s.ends_with("events"))
            .map_or(0, |s| s.split(' ').nth(2).unwrap().parse().unwrap());
        let Some(more) = entry
            .select(&sel("a[href$='/']"))
            .find(|a| a.text().collect::<String>().contains(" more"))
        else {
            assert!(total <= 200, "{id}: {total} events and no link to the rest");
            continue;
        };
        with_page += 1;
        let first = follow("sources/", more.value().attr("href").unwrap()).unwrap();
        assert_eq!(first, format!("sources/{id}/"));
        let events: Vec<String> = paginated(&f, &first)
            .iter()
            .flat_map(|(p, doc)| targets(doc, p, "#cited-events + ul a"))
            .collect();
        assert_eq!(events.len(), total, "{id}: every citing event on its page");
        assert!(
            events.iter().all(|e| e.starts_with("timeline/")),
            "{events:?}"
        );
    }
    assert!(with_page >= 1, "no source has its own page");
    let sitemap = fs::read_to_string(f.out().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("/people/page/2/</loc>")
            && sitemap.contains("/sources/harbour-papers/</loc>")
    );
    assert_bounded_and_checked(&f);
}

#[test]
fn page_is_a_reserved_chapter_slug_and_person_id() {
    // `chapters/page/2/` and `people/page/2/` are pages of the split lists.
    let f = Fixture::new("basic");
    f.write(
        "content/chapters/03-page.md",
        "+++\ntitle = \"Page\"\nsources = [\"report\"]\n+++\n\nA chapter named page.\n",
    );
    f.write(
        "content/people/page.toml",
        "name = \"Page Turner\"\nrole = \"Printer\"\n",
    );
    let r = f.build();
    assert!(!r.ok());
    let text = messages(&r);
    assert!(
        text.contains(
            "content/chapters/03-page.md:1:1: error: the chapter slug \"page\" is reserved"
        ),
        "{text}"
    );
    assert!(
        text.contains("content/people/page.toml")
            && text.contains("the person id \"page\" is reserved for a generated page"),
        "{text}"
    );
}
