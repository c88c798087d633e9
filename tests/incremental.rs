//! `dossier serve`'s incremental rebuilds: with its cache, a rebuild after edits gives exactly the
//! pages a fresh build of the edited sources gives, whatever was edited (a chapter, a person's
//! name that other pages show, a template), and it reads and re-renders only what changed.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::sync::Arc;

use common::*;
use dossier::cache::Cache;
use dossier::write::Body;

/// The site serve would show, by path: its pages and static files (the search index is made
/// separately by serve and left out here).
fn served(f: &Fixture, cache: &Arc<Cache>) -> BTreeMap<String, Vec<u8>> {
    let mut o = f.options();
    o.mode.live_reload = true;
    let (report, built) = dossier::build_for_serve(&o, cache).expect("no I/O error");
    assert!(report.ok(), "{}", messages(&report));
    let (_, files) = built.expect("a good build returns its files");
    files
        .into_iter()
        .map(|(path, body)| {
            let bytes = match body {
                Body::Bytes(b) => b.to_vec(),
                Body::Static(b) => b.to_vec(),
                Body::File(p) => fs::read(p).unwrap(),
            };
            (path, bytes)
        })
        .collect()
}

/// What a fresh `dossier build` of the same sources writes (with serve's reload script, and
/// without the search index and the build marker, which serve does not serve).
fn fresh(f: &Fixture) -> BTreeMap<String, Vec<u8>> {
    let mut o = f.options();
    o.mode.live_reload = true;
    let r = dossier::build(&o).expect("no I/O error");
    assert!(r.ok(), "{}", messages(&r));
    f.tree()
        .into_iter()
        .filter(|(p, _)| !p.starts_with("search/") && p != dossier::write::MARKER)
        .collect()
}

fn assert_same(got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in want {
        assert!(got[path] == *bytes, "{path} differs from a fresh build's");
    }
}

fn edit(f: &Fixture, rel: &str, from: &str, to: &str) {
    let path = f.root().join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn rebuilds_with_the_cache_give_what_a_fresh_build_gives() {
    let f = Fixture::new("basic");
    let cache = Arc::new(Cache::default());
    let first = served(&f, &cache);
    assert_same(&first, &fresh(&f));
    assert!(cache.pages.len() > 5, "pages are remembered");

    // A chapter's text: that chapter is rendered again, and what shows it (the print edition,
    // the people it names), not the whole site.
    edit(
        &f,
        "content/chapters/02-the-end.md",
        "Bennett",
        "Naftali Bennett, again,",
    );
    let second = served(&f, &cache);
    assert_same(&second, &fresh(&f));
    assert_ne!(
        second["chapters/the-end/index.html"],
        first["chapters/the-end/index.html"]
    );
    assert_eq!(
        cache.markdown.made(),
        1,
        "one chapter's Markdown rendered again"
    );
    assert_eq!(cache.files.read(), 1, "one file read again");
    let pages = second.keys().filter(|p| p.ends_with(".html")).count();
    assert!(
        cache.pages.made() < pages / 2,
        "{} of {pages} pages rendered again",
        cache.pages.made()
    );

    // A name that chapters, the timeline and other people's pages show.
    edit(
        &f,
        "content/people/naftali-bennett.toml",
        "name = \"Naftali Bennett\"",
        "name = \"Naftali B. Bennett\"",
    );
    let third = served(&f, &cache);
    assert_same(&third, &fresh(&f));
    assert_eq!(
        cache.names.made(),
        1,
        "a new name makes a new automaton of names"
    );
    let talks = String::from_utf8(third["chapters/the-talks/index.html"].clone()).unwrap();
    assert!(
        talks.contains("Naftali B. Bennett"),
        "the chapter shows the new name"
    );

    // A template every page uses.
    let base = dossier::render::BUILTIN_TEMPLATES
        .iter()
        .find(|(n, _)| *n == "base.html")
        .unwrap()
        .1;
    f.write(
        "templates/base.html",
        base.replacen("</body>", "<!-- edited --></body>", 1),
    );
    let fourth = served(&f, &cache);
    assert_same(&fourth, &fresh(&f));
    assert!(
        String::from_utf8(fourth["index.html"].clone())
            .unwrap()
            .contains("<!-- edited -->")
    );
}

#[test]
fn an_unchanged_rebuild_renders_nothing_again() {
    let f = Fixture::new("basic");
    let cache = Arc::new(Cache::default());
    let first = served(&f, &cache);
    assert!(cache.pages.made() > 5);
    let second = served(&f, &cache);
    assert_eq!(first, second);
    assert_eq!(
        cache.pages.made(),
        0,
        "every page came from the first build"
    );
    assert_eq!(
        cache.markdown.made() + cache.fragments.made(),
        0,
        "and all the Markdown"
    );
    assert_eq!(cache.names.made(), 0, "and the automaton of names");
    assert_eq!(cache.files.read(), 0, "no file was read again");

    // A file the watcher reports is read again even when its size and time look the same.
    cache
        .files
        .forget(&[f.root().join("content/people/naftali-bennett.toml")]);
    let third = served(&f, &cache);
    assert_eq!(cache.files.read(), 1);
    assert_eq!(third, first);
}

/// The pages that differ between two file sets, and those only one of them has.
fn differing(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let paths: std::collections::BTreeSet<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|p| a.get(*p) != b.get(*p))
        .collect();
    paths.into_iter().cloned().collect()
}

#[test]
fn a_chapters_text_shows_only_on_its_page_its_print_page_and_the_feed() {
    // What serve's shortcut relies on, checked on fresh builds: an edit to a chapter's text
    // that names no one new, adds no heading and keeps its reading time changes no other page.
    let f = Fixture::new("basic");
    let before = fresh(&f);
    edit(
        &f,
        "content/chapters/02-the-end.md",
        "things had looked better.",
        "things had looked a great deal better.",
    );
    let after = fresh(&f);
    assert_eq!(
        differing(&before, &after),
        [
            "atom.xml",
            "chapters/the-end/index.html",
            "print/index.html"
        ]
    );
}

#[test]
fn an_edit_to_a_chapters_text_renders_its_page_and_print_page_only() {
    let f = Fixture::new("basic");
    let cache = Arc::new(Cache::default());
    let first = served(&f, &cache);
    let html = first.keys().filter(|p| p.ends_with(".html")).count();

    edit(
        &f,
        "content/chapters/02-the-end.md",
        "things had looked better.",
        "things had looked a great deal better.",
    );
    let second = served(&f, &cache);
    assert_same(&second, &fresh(&f));
    // The chapter's page, the print page, and the chapter as the print page shows it.
    assert_eq!(
        cache.pages.made(),
        3,
        "only what shows the chapter's text is rendered again"
    );

    // Once more (the pages kept by the shortcut stay kept)...
    edit(
        &f,
        "content/chapters/02-the-end.md",
        "a great deal better",
        "much better",
    );
    assert_same(&served(&f, &cache), &fresh(&f));
    assert_eq!(cache.pages.made(), 3);

    // ...so that an edit other pages show (the time to read the chapter) re-renders those pages
    // from their remembered views, not every page from scratch.
    let long = format!("\n\n{}\n", "Then more words came. ".repeat(100));
    let path = f.root().join("content/chapters/02-the-end.md");
    fs::write(&path, fs::read_to_string(&path).unwrap() + &long).unwrap();
    let fourth = served(&f, &cache);
    assert_same(&fourth, &fresh(&f));
    let index = String::from_utf8(fourth["index.html"].clone()).unwrap();
    assert!(
        index.contains("2 min read")
            && !String::from_utf8_lossy(&first["index.html"]).contains("2 min read"),
        "the home page shows the new reading time"
    );
    assert!(
        cache.pages.made() < html / 2,
        "{} of {html} pages rendered again",
        cache.pages.made()
    );
}

#[test]
fn a_chapters_text_edited_with_something_other_pages_show_is_not_taken_from_the_cache() {
    // Both at once: the site's outline changes (so every view is fingerprinted), and the
    // chapter's page differs from the last build's only in its text (same words, same length).
    let f = Fixture::new("basic");
    let cache = Arc::new(Cache::default());
    served(&f, &cache);
    edit(
        &f,
        "content/chapters/02-the-end.md",
        "things had looked better.",
        "things had looked calmer.",
    );
    edit(
        &f,
        "content/chapters/01-the-talks.md",
        "summary = \"",
        "summary = \"Again: ",
    );
    let second = served(&f, &cache);
    assert_same(&second, &fresh(&f));
    assert!(
        String::from_utf8_lossy(&second["chapters/the-end/index.html"]).contains("looked calmer")
    );
}
