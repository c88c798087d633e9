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
    let f = Fixture { dir: tempfile::tempdir().unwrap() };
    let args = ["--chapters", &n.to_string(), "--out", &f.root().display().to_string(), "--seed", "7"];
    gen_corpus::run(args.iter().map(|s| s.to_string()).collect()).unwrap();
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    assert!(r.diagnostics.items.is_empty(), "the corpus should build without warnings:\n{}", messages(&r));
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
        assert!(f.out().join(format!("chapters/{slug}/index.html")).is_file(), "{slug}");
    }
    for p in &people {
        assert!(f.out().join(format!("people/{p}/index.html")).is_file(), "{p}");
    }
    // 200 events on one timeline page.
    let timeline = f.page("timeline/");
    assert_eq!(timeline.select(&sel(".tl-event")).count(), 200);
    // Names written plainly are auto-linked: every chapter links people it never wrote as [[id]].
    let slug = chapters[10].split_once('-').unwrap().1;
    let text = fs::read_to_string(f.root().join(format!("content/chapters/{}.md", chapters[10]))).unwrap();
    let page = f.page(&format!("chapters/{slug}/"));
    let linked: Vec<String> = page
        .select(&sel(".prose a.ref-person"))
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("../../people/").trim_end_matches('/').to_string())
        .collect();
    assert!(linked.iter().any(|id| !text.contains(&format!("[[{id}"))), "no auto-linked name in {slug}: {linked:?}");
}

#[test]
fn a_large_timeline_is_split_by_year_and_every_event_link_lands() {
    let f = corpus(300);
    // 600 events: timeline/ is an index of years, each year a page.
    let index = f.page("timeline/");
    let years: Vec<String> = index.select(&sel("main a")).filter_map(|a| a.value().attr("href")).map(str::to_string).collect();
    assert!(years.len() >= 20, "{years:?}");
    assert!(years.iter().all(|y| y.starts_with("../timeline/") && y.ends_with('/')), "{years:?}");
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
            let Ok(text) = fs::read_to_string(&file) else { continue };
            let doc = Html::parse_document(&text);
            for a in doc.select(&sel("a[href*='timeline/']")) {
                let href = a.value().attr("href").unwrap();
                let Some((page, id)) = href.trim_start_matches("../../").split_once('#') else { continue };
                assert_eq!(shown.get(id).map(String::as_str), Some(page), "{} links {href}", file.display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 600, "only {checked} event links found");
    // The year pages are in the sitemap.
    let sitemap = fs::read_to_string(f.out().join("sitemap.xml")).unwrap();
    assert!(years.iter().all(|y| sitemap.contains(&format!("/{}</loc>", y.trim_start_matches("../")))));
}
