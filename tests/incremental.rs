//! `dossier serve`'s incremental rebuilds, as a property: after any sequence of edits to any kind
//! of file (chapters, people, events, sources, templates, static files, site.toml), a rebuild
//! through serve's memo gives exactly what a fresh build of the same files gives: the same
//! diagnostics and, byte for byte, the same site. Edits include mistakes, so failed rebuilds and
//! the recovery from them are covered too. And an unchanged rebuild makes nothing again.

mod common;

use std::collections::BTreeMap;
use std::fs;

use common::*;
use dossier::output::Memory;
use dossier::pipeline::{self, Outcome};
use dossier::util::memo::Memo;
use proptest::prelude::*;

/// The outcome of a run into memory: its diagnostics, and the site when it built.
fn served(f: &Fixture, memo: &Memo) -> (String, Option<BTreeMap<String, Vec<u8>>>) {
    let mut o = f.options();
    o.mode.live_reload = true;
    let Outcome { report, done } =
        pipeline::run(&o, Memory::default(), memo).expect("no I/O error");
    let files = done.map(|files| {
        files
            .into_all()
            .map(|(path, body)| (path, body.read().unwrap()))
            .collect()
    });
    (report.diagnostics.to_string(), files)
}

/// One edit of the fixture, chosen by `op`, varied by `n`.
fn edit(f: &Fixture, op: u8, n: u32) {
    let read = |rel: &str| fs::read_to_string(f.root().join(rel)).unwrap_or_default();
    let k = n % 5;
    match op % 14 {
        // A chapter's text: a sentence naming people, a reference, a broken reference.
        0 => {
            let rel = "content/chapters/02-the-end.md";
            let line = [
                "Kerry called Abbas again.",
                "See [[naftali-bennett]].",
                "See [[no-one]].",
                "Bennett left.",
                "## A new section",
            ][k as usize];
            f.write(rel, format!("{}\n{line}\n", read(rel)));
        }
        // A chapter's title, or its front matter broken.
        1 => {
            let rel = "content/chapters/01-the-talks.md";
            let text = read(rel);
            let new = if k == 4 {
                text.replacen("+++\n", "+++\ndraft = \"yes\"\n", 1)
            } else {
                replace_line(&text, "title = ", &format!("title = \"The Talks {n}\""))
            };
            f.write(rel, new);
        }
        // A new chapter, or one removed.
        2 => {
            let rel = format!("content/chapters/0{}-extra.md", 3 + k % 3);
            if f.root().join(&rel).exists() {
                f.remove(&rel);
            } else {
                f.write(&rel, format!("+++\ntitle = \"Extra {n}\"\nsources = [\"report\"]\n+++\n\nKerry and Bennett met once more ({n}).\n"));
            }
        }
        // A person's name, aliases or summary.
        3 => {
            let rel = "content/people/naftali-bennett.toml";
            let text = read(rel);
            let new = match k {
                0 => replace_line(&text, "name = ", &format!("name = \"Naftali Bennett {n}\"")),
                1 => replace_line(&text, "aliases = ", "aliases = [\"Bennett\", \"Naftali\"]"),
                2 => replace_line(&text, "summary = ", &format!("summary = \"Partner {n}.\"")),
                3 => replace_line(&text, "name = ", "name = \"Naftali Bennett"),
                _ => replace_line(&text, "side = ", "side = \"Others\""),
            };
            f.write(rel, new);
        }
        // A new person (mentioned), or removed.
        4 => {
            let rel = "content/people/tzipi-livni.toml";
            if f.root().join(rel).exists() {
                f.remove(rel);
            } else {
                f.write(
                    rel,
                    format!("name = \"Tzipi Livni\"\nrole = \"Minister {n}\"\nside = \"Israel\"\n"),
                );
                let ch = "content/chapters/01-the-talks.md";
                if !read(ch).contains("Tzipi Livni") {
                    f.write(ch, format!("{}\nTzipi Livni took notes.\n", read(ch)));
                }
            }
        }
        // An event's date, title or people.
        5 => {
            let rel = "content/events/main.toml";
            let text = read(rel);
            let new = match k {
                0 => replace_first_line(
                    &text,
                    "summary = ",
                    &format!("summary = \"Summary {n}, as [[mahmoud-abbas]] saw it.\""),
                ),
                1 => replace_first_line(&text, "title = ", &format!("title = \"Vote {n}\"")),
                2 => replace_first_line(
                    &text,
                    "date = ",
                    &format!("date = \"{}-0{}\"", 2010 + n % 5, 1 + n % 9),
                ),
                3 => replace_first_line(&text, "date = ", "date = \"2013-13-45\""),
                _ => replace_first_line(
                    &text,
                    "people = ",
                    "people = [\"john-kerry\", \"naftali-bennett\"]",
                ),
            };
            f.write(rel, new);
        }
        // A new events file, or removed.
        6 => {
            let rel = "content/events/more.toml";
            if f.root().join(rel).exists() {
                f.remove(rel);
            } else {
                f.write(rel, format!("[[event]]\nid = \"extra-{n}\"\ndate = \"2014-0{}\"\ntitle = \"Extra\"\nchapter = \"the-end\"\npeople = [\"mahmoud-abbas\"]\n", 1 + n % 9));
            }
        }
        // A source's title.
        7 => {
            let rel = "content/sources.toml";
            f.write(
                rel,
                replace_first_line(
                    &read(rel),
                    "title = ",
                    &format!("title = \"The Report {n}\""),
                ),
            );
        }
        // A template: a page's text, every page's layout, a syntax error, a render error.
        8 | 9 => {
            let (name, from, to) = match k {
                0 => ("base.html", "</body>", format!("<!-- edit {n} --></body>")),
                1 => (
                    "person.html",
                    "{{ person.name }}",
                    format!("{{{{ person.name }}}} ({n})"),
                ),
                2 => (
                    "chapter.html",
                    "{{ chapter.title }}",
                    "{{ chapter.title }".to_string(),
                ),
                3 => (
                    "person.html",
                    "{{ person.name }}",
                    "{{ person.nmae }}".to_string(),
                ),
                _ => (
                    "index.html",
                    "</main>",
                    format!("<p>Edition {n}</p></main>"),
                ),
            };
            let rel = format!("templates/{name}");
            if f.root().join(&rel).exists() {
                f.remove(&rel);
            } else {
                let text = dossier::render::BUILTIN_TEMPLATES
                    .iter()
                    .find(|(t, _)| *t == name)
                    .unwrap()
                    .1;
                f.write(&rel, text.replacen(from, &to, 1));
            }
        }
        // A static file: added, changed, removed, or in a page's way.
        10 | 11 => {
            let rel = [
                "static/images/a.txt",
                "static/style.css",
                "static/people/index.html",
                "static/notes/b.txt",
                "static/images/a.txt",
            ][k as usize];
            if f.root().join(rel).exists() && n.is_multiple_of(2) {
                f.remove(rel);
            } else {
                f.write(rel, format!("body {{ margin: {n}px }}\n"));
            }
        }
        // site.toml: title, autolink, base URL, a broken value.
        _ => {
            let text = read("site.toml");
            let new = match k {
                0 => replace_line(&text, "title = ", &format!("title = \"Test Dossier {n}\"")),
                1 => replace_line(
                    &text,
                    "autolink = ",
                    [
                        "autolink = \"all\"",
                        "autolink = \"off\"",
                        "autolink = \"first\"",
                    ][n as usize % 3],
                ),
                2 => replace_line(
                    &text,
                    "base_url = ",
                    &format!("base_url = \"https://example.org/repo{}/\"", n % 3),
                ),
                3 => replace_line(&text, "autolink = ", "autolink = \"sometimes\""),
                _ => replace_line(&text, "base_url = ", "base_url = \"https://example.org/\""),
            };
            f.write("site.toml", new);
        }
    }
}

/// `text` with its lines starting with `prefix` replaced by `line` (or `line` added).
fn replace_line(text: &str, prefix: &str, line: &str) -> String {
    if !text.lines().any(|l| l.starts_with(prefix)) {
        return format!("{line}\n{text}");
    }
    text.lines()
        .map(|l| if l.starts_with(prefix) { line } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn replace_first_line(text: &str, prefix: &str, line: &str) -> String {
    let mut done = false;
    text.lines()
        .map(|l| {
            if !done && l.starts_with(prefix) {
                done = true;
                line
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_rebuild_gives_what_a_fresh_build_gives(edits in prop::collection::vec((0u8..14, 0u32..1000), 1..7)) {
        let f = Fixture::new("basic");
        let memo = Memo::new();
        prop_assert_eq!(served(&f, &memo), served(&f, &Memo::off()));
        for (op, n) in edits {
            edit(&f, op, n);
            let (incremental, fresh) = (served(&f, &memo), served(&f, &Memo::off()));
            prop_assert_eq!(&incremental.0, &fresh.0, "diagnostics after edit {} {}", op, n);
            prop_assert!(incremental.1 == fresh.1, "the site after edit {} {} differs from a fresh build's", op, n);
        }
    }
}

#[test]
fn an_unchanged_rebuild_makes_nothing_again() {
    let f = Fixture::new("basic");
    let memo = Memo::new();
    let first = served(&f, &memo);
    assert!(first.1.is_some(), "{}", first.0);
    assert!(memo.made() > 10);
    let second = served(&f, &memo);
    assert_eq!(first, second);
    assert_eq!(
        memo.made(),
        0,
        "every parse, text and page came from the first build"
    );
}

#[test]
fn an_edit_to_one_chapter_renders_that_chapter_again_and_not_every_page() {
    let f = Fixture::new("basic");
    let memo = Memo::new();
    let first = served(&f, &memo);
    let all = memo.made();
    let rel = "content/chapters/02-the-end.md";
    f.write(
        rel,
        fs::read_to_string(f.root().join(rel)).unwrap().replacen(
            "Bennett cheered",
            "Bennett cheered loudly",
            1,
        ),
    );
    let second = served(&f, &memo);
    assert_eq!(second, served(&f, &Memo::off()));
    let (first, second) = (first.1.unwrap(), second.1.unwrap());
    assert_ne!(
        first["chapters/the-end/index.html"],
        second["chapters/the-end/index.html"]
    );
    // One file parsed, one text rendered, and the pages that show that text: the chapter, the
    // print edition, the feed, the people whose mention's sentence changed.
    assert!(
        memo.made() <= 7,
        "{} calls made again of the first build's {all}",
        memo.made()
    );
    assert!(all > 20, "the first build made every call: {all}");
}

#[test]
fn an_edited_map_outlines_file_is_read_again() {
    // `dossier serve` watches content/, where site.toml's [[map]] outlines must be: an edit
    // of the file is parsed again (a mistake reported, its fix accepted), and an unchanged
    // file is not.
    let f = Fixture::new("basic");
    let site = fs::read_to_string(f.root().join("site.toml")).unwrap();
    f.write(
        "site.toml",
        format!("{site}\n[[map]]\nid = \"region\"\ntitle = \"Region\"\noutlines = \"content/maps/region.geojson\"\nbounds = [[29.4, 33.9], [33.5, 36.2]]\ncaption = \"Test outlines.\"\n"),
    );
    let good = "{\"type\": \"Polygon\", \"coordinates\": [[[34.3, 31.3], [35.5, 33.1], [35.0, 29.5], [34.3, 31.3]]]}\n";
    f.write("content/maps/region.geojson", good);
    let memo = Memo::new();
    let first = served(&f, &memo);
    assert!(first.1.is_some(), "{}", first.0);
    served(&f, &memo);
    assert_eq!(
        memo.made(),
        0,
        "the unchanged outlines were not parsed again"
    );
    f.write(
        "content/maps/region.geojson",
        good.replace("[35.5, 33.1],", "[35.5, 33.1]"),
    );
    let broken = served(&f, &memo);
    assert!(broken.1.is_none());
    assert!(
        broken.0.starts_with("content/maps/region.geojson:1:"),
        "{}",
        broken.0
    );
    assert!(broken.0.contains("invalid GeoJSON"), "{}", broken.0);
    assert_eq!(
        broken.0,
        served(&f, &Memo::off()).0,
        "as a fresh build reports it"
    );
    f.write("content/maps/region.geojson", good);
    assert_eq!(served(&f, &memo), first);
}
