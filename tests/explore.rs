//! Exploring the documentary (issue 8): the network of people and each person's neighbourhood,
//! the print edition, and the search index, on the `explore` fixture. Counts below are worked
//! out by hand from the fixture's text: who is named in the same paragraph, who shares an event.

mod common;

use std::collections::{BTreeMap, HashSet};

use common::*;
use scraper::Html;

fn built() -> Fixture {
    let f = Fixture::new("explore");
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    f
}

fn attr(doc: &Html, css: &str, name: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| e.value().attr(name).unwrap_or("").to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Network

#[test]
fn the_network_draws_everyone_who_appears_with_someone_linking_each_to_their_page() {
    let f = built();
    let doc = f.page("people/network/");
    assert_eq!(texts(&doc, "h1"), ["Who appears with whom"]);
    let nodes = links(&doc, "svg.nw a.nw-node");
    let hrefs: Vec<&str> = nodes.iter().map(|(h, _)| h.as_str()).collect();
    // Grouped by side (Harbour, Ship, Others) around the circle; within a side, in the order
    // that crosses least (Bruno, tied to Ada five times, beside her). Eliza Stone is named only
    // in a paragraph of her own and takes part in no event: she is not drawn.
    assert_eq!(
        hrefs,
        [
            "../../people/ada-lindqvist/",
            "../../people/bruno-okafor/",
            "../../people/celia-marsh/",
            "../../people/dmitri-vance/"
        ]
    );
    assert_eq!(
        texts(&doc, "svg.nw a.nw-node > title")[1],
        "Bruno Okafor, Ship: appears with 3 people, 3 of them at least twice"
    );
    assert_eq!(
        texts(&doc, "svg.nw a.nw-node > title")[0],
        "Ada Lindqvist, Harbour: appears with 2 people, 1 of them at least twice"
    );
    assert_eq!(
        texts(&doc, "svg.nw a.nw-node > text"),
        [
            "Ada Lindqvist",
            "Bruno Okafor",
            "Celia Marsh",
            "Dmitri Vance"
        ]
    );
    // Names are level (the rotated labels were hard to read).
    assert!(
        attr(&doc, "svg.nw a.nw-node > text", "transform")
            .iter()
            .all(String::is_empty)
    );
    assert_eq!(
        links(&doc, ".nw-alone a"),
        [(
            "../../people/eliza-stone/".to_string(),
            "Eliza Stone".to_string()
        )]
    );
    // One line per pair, each naming its two people, hidden from assistive technology (the
    // table says the same).
    let mut pairs: Vec<(String, String)> = doc
        .select(&sel(".nw-edges path.nw-edge"))
        .map(|e| {
            (
                e.value().attr("data-a").unwrap().into(),
                e.value().attr("data-b").unwrap().into(),
            )
        })
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("ada-lindqvist", "bruno-okafor"),
            ("ada-lindqvist", "celia-marsh"),
            ("bruno-okafor", "celia-marsh"),
            ("bruno-okafor", "dmitri-vance"),
            ("celia-marsh", "dmitri-vance")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // Ada and Celia share one paragraph only: their tie is weak, hidden unless the reader asks
    // for all ties.
    assert_eq!(
        attr(&doc, ".nw-edge.nw-weak", "data-a")
            .into_iter()
            .zip(attr(&doc, ".nw-edge.nw-weak", "data-b"))
            .collect::<Vec<_>>(),
        [("ada-lindqvist".to_string(), "celia-marsh".to_string())]
    );
    assert_eq!(attr(&doc, ".nw-edges", "aria-hidden"), ["true"]);
    assert_eq!(attr(&doc, "svg.nw", "aria-labelledby"), ["nw-caption"]);
    assert_eq!(doc.select(&sel("#nw-caption")).count(), 1);
}

#[test]
fn sides_differ_by_shape_not_only_by_colour() {
    let f = built();
    let doc = f.page("people/network/");
    // The element (and outline) of each node's shape, keyed by person.
    let shape = |id: &str| {
        let a = doc
            .select(&sel(&format!("a.nw-node[data-id=\"{id}\"] .nw-shape")))
            .next()
            .unwrap();
        let d = a.value().attr("d").map(|d| {
            d.chars()
                .filter(|c| c.is_ascii_alphabetic())
                .collect::<String>()
        });
        (a.value().name().to_string(), d)
    };
    assert_eq!(
        shape("bruno-okafor"),
        shape("celia-marsh"),
        "one side, one shape"
    );
    let sides = [
        shape("ada-lindqvist"),
        shape("bruno-okafor"),
        shape("dmitri-vance"),
    ];
    assert_ne!(sides[0], sides[1]);
    assert_ne!(sides[1], sides[2]);
    assert_ne!(sides[0], sides[2]);
    // The legend names each side with its shape in words.
    assert_eq!(
        texts(&doc, ".nw-legend li"),
        [
            "Harbour (circle, 1 person)",
            "Ship (square, 2 people)",
            "Others (triangle, 1 person)"
        ]
    );
}

#[test]
fn the_table_says_what_the_drawing_shows_with_counts() {
    let f = built();
    let doc = f.page("people/network/");
    assert_eq!(
        texts(&doc, ".nw-table thead th"),
        ["Person", "Appears with"]
    );
    // A group of rows per side, headed by the side.
    let mut rows: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for tbody in doc.select(&sel(".nw-table tbody")) {
        let side = tbody
            .select(&sel("tr.nw-side th[scope=rowgroup]"))
            .map(|th| th.text().collect::<String>().trim().to_string())
            .collect::<String>();
        for tr in tbody.select(&sel("tr[id]")) {
            let with = tr
                .select(&sel(".nw-links li"))
                .map(|li| {
                    li.text()
                        .collect::<String>()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            let id = tr.value().attr("id").unwrap().to_string();
            rows.insert(id, (side.clone(), with));
        }
    }
    assert_eq!(rows.len(), 4);
    // Bruno and Ada: three paragraphs (chapter 1 twice, chapter 3 once) and two events.
    assert_eq!(
        rows["n-bruno-okafor"],
        (
            "Ship".to_string(),
            vec![
                "Ada Lindqvist 5".to_string(),
                "Celia Marsh 4".into(),
                "Dmitri Vance 2".into()
            ]
        )
    );
    assert_eq!(
        rows["n-dmitri-vance"].1,
        ["Bruno Okafor 2", "Celia Marsh 2"]
    );
    assert_eq!(
        rows["n-ada-lindqvist"],
        (
            "Harbour".to_string(),
            vec!["Bruno Okafor 5".to_string(), "Celia Marsh 1".into()]
        )
    );
    // The tie seen once is marked weak in the table as in the drawing, from both ends; the page
    // says how many are hidden and offers to show them.
    assert_eq!(
        texts(&doc, ".nw-links li.nw-weak a"),
        ["Celia Marsh", "Ada Lindqvist"]
    );
    assert_eq!(
        texts(&doc, ".nw-view .nw-only-repeated"),
        [
            "The drawing and the table show the 4 ties of people who appear together at least twice; 1 weaker tie, seen once, is hidden."
        ]
    );
    assert_eq!(
        texts(&doc, ".nw-toggle label[for=nw-all]"),
        ["Show all ties, also the 1 seen once"]
    );
    assert_eq!(attr(&doc, ".nw-toggle input#nw-all", "type"), ["checkbox"]);
    assert_eq!(
        attr(&doc, ".network-page", "class"),
        ["network-page nw-repeated"]
    );
    let bruno_ada = doc
        .select(&sel("#n-bruno-okafor .nw-links .count"))
        .next()
        .unwrap();
    assert_eq!(
        bruno_ada.value().attr("title"),
        Some("3 paragraphs, 2 events")
    );
    let table_links: Vec<String> = attr(&doc, ".nw-table tbody th a", "href");
    assert_eq!(table_links[0], "../../people/ada-lindqvist/");
}

#[test]
fn person_pages_count_companions_as_the_network_counts_ties() {
    // Issue 20: "Companions on person pages use the same counts" as the network.
    let f = built();
    let network = f.page("people/network/");
    for id in [
        "ada-lindqvist",
        "bruno-okafor",
        "celia-marsh",
        "dmitri-vance",
    ] {
        let row = texts(&network, &format!("#n-{id} .nw-links li"));
        let page = f.page(&format!("people/{id}/"));
        let companions: Vec<String> = page
            .select(&sel(".companions li"))
            .map(|li| {
                let name: String = li
                    .select(&sel(".companion a"))
                    .next()
                    .unwrap()
                    .text()
                    .collect();
                let count: String = li
                    .select(&sel(".count"))
                    .next()
                    .unwrap()
                    .text()
                    .take(1)
                    .collect();
                format!("{name} {count}")
            })
            .collect();
        assert!(!companions.is_empty(), "{id}");
        assert_eq!(companions, row[..companions.len()], "{id}");
    }
}

#[test]
fn each_person_page_shows_their_neighbourhood() {
    let f = built();
    let doc = f.page("people/bruno-okafor/");
    let svg = doc
        .select(&sel(".person-network svg.nw-ego"))
        .next()
        .expect("a neighbourhood drawing");
    assert_eq!(svg.value().attr("role"), Some("img"));
    let desc: String = svg.select(&sel("desc")).next().unwrap().text().collect();
    assert_eq!(
        desc,
        "Bruno Okafor appears with Ada Lindqvist (5), Celia Marsh (4) and Dmitri Vance (2)."
    );
    // Three neighbours around Bruno, and the lines between those who appear together too: Ada and Celia (a
    // paragraph of chapter 1), Celia and Dmitri (the storm); Ada and Dmitri never meet.
    assert_eq!(
        texts(&Html::parse_fragment(&svg.html()), "text"),
        [
            "Ada Lindqvist",
            "Celia Marsh",
            "Dmitri Vance",
            "Bruno Okafor"
        ]
    );
    assert_eq!(svg.select(&sel("path[stroke-dasharray]")).count(), 2);
    assert_eq!(
        links(&doc, ".person-network a"),
        [(
            "../../people/network/#n-bruno-okafor".to_string(),
            "Bruno Okafor in the network of everyone".to_string()
        )]
    );
    // Someone who appears with no one has no neighbourhood to show.
    assert_eq!(
        f.page("people/eliza-stone/")
            .select(&sel(".person-network"))
            .count(),
        0
    );
}

#[test]
fn the_network_page_is_in_the_sitemap_and_the_same_on_every_build() {
    let f = built();
    let sitemap = std::fs::read_to_string(f.out().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/explore/people/network/</loc>"));
    assert!(
        !sitemap.contains("/print/"),
        "the print edition repeats the chapters"
    );
    let first = f.tree();
    let r = f.build();
    assert!(r.ok());
    let second = f.tree();
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{path} differs between two builds");
    }
}

// ---------------------------------------------------------------------------------------------
// Print edition

#[test]
fn the_print_edition_has_every_chapter_in_order_under_one_title() {
    let f = built();
    let doc = f.page("print/");
    assert_eq!(texts(&doc, "h1"), ["Explore Fixture"]);
    assert_eq!(
        texts(&doc, ".print-chapter > header h2"),
        ["The Harbour", "The Crossing", "The Return"]
    );
    assert_eq!(
        texts(&doc, ".print-chapter-number"),
        ["Chapter 1", "Chapter 2", "Chapter 3"]
    );
    // Chapter sections sit one level below their chapter.
    assert_eq!(
        texts(&doc, ".print-chapter .prose h3"),
        [
            "The ledger #",
            "Waiting #",
            "Notes",
            "The storm #",
            "Notes",
            "Home #"
        ]
    );
    assert_eq!(
        doc.select(&sel(".print-chapter .prose h2, .print-chapter .prose h1"))
            .count(),
        0
    );
    assert_eq!(
        links(&doc, ".print-toc > ol > li > a"),
        [
            ("#chapter-the-harbour", "The Harbour"),
            ("#chapter-the-crossing", "The Crossing"),
            ("#chapter-the-return", "The Return")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert!(
        texts(&doc, ".print-chapter .prose")
            .iter()
            .any(|t| t.contains("Okafor read the ledger twice."))
    );
}

#[test]
fn the_print_edition_ids_are_unique_and_every_anchor_link_lands_on_the_page() {
    let f = built();
    let doc = f.page("print/");
    let ids: Vec<String> = attr(&doc, "[id]", "id");
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids in {ids:?}");
    let hrefs = attr(&doc, "a[href]", "href");
    let anchors: Vec<&String> = hrefs.iter().filter(|h| h.starts_with('#')).collect();
    assert!(anchors.len() > 10);
    for a in &anchors {
        assert!(
            unique.contains(&a[1..].to_string()),
            "link to {a} has no target on the page"
        );
    }
    // Links between chapters became anchors: none leads to a chapter page any more.
    // (The navigation's "Chapters" leads to the table of contents, `chapters/`, from every page.)
    assert!(
        !hrefs
            .iter()
            .any(|h| h.contains("chapters/") && h != "../chapters/"),
        "{hrefs:?}"
    );
    let prose = links(&doc, ".print-chapter .prose a:not(.anchor)");
    assert!(
        prose.contains(&(
            "#the-crossing--storm".to_string(),
            "The Crossing".to_string()
        )),
        "{prose:?}"
    );
    assert!(prose.contains(&(
        "#chapter-the-crossing".to_string(),
        "The Crossing".to_string()
    )));
    assert!(prose.contains(&(
        "#the-harbour--ledger".to_string(),
        "The Harbour".to_string()
    )));
    // Footnotes stay paired within their chapter.
    assert!(prose.iter().any(|(h, _)| h == "#the-harbour--fn-count"));
    assert!(prose.iter().any(|(h, _)| h == "#the-crossing--fn-wind"));
    // People stay links, relative to print/, also when the author wrote the link by hand
    // relative to the chapter's page (../../people/…).
    assert!(prose.contains(&(
        "../people/ada-lindqvist/".to_string(),
        "Ada Lindqvist".to_string()
    )));
    assert!(
        prose.contains(&(
            "../people/bruno-okafor/".to_string(),
            "the captain".to_string()
        )),
        "{prose:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Search

/// The search index's files, parsed.
struct Index {
    tree: BTreeMap<String, Vec<u8>>,
    meta: serde_json::Value,
}

impl Index {
    fn json(&self, path: &str) -> serde_json::Value {
        serde_json::from_slice(&self.tree[&format!("search/{path}")])
            .unwrap_or_else(|e| panic!("search/{path}: {e}"))
    }

    /// Every document, in order, from the chunks meta.json lists.
    fn documents(&self) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        for (i, first) in self.meta["chunks"].as_array().unwrap().iter().enumerate() {
            let chunk = self.json(&format!("doc/{i}.json"));
            assert_eq!(&chunk["first"], first);
            assert_eq!(
                out.len() as u64,
                first.as_u64().unwrap(),
                "chunks follow each other"
            );
            out.extend(chunk["docs"].as_array().unwrap().iter().cloned());
        }
        out
    }

    /// What the search box does for a word: pick the shard from meta.json's ranges, find the
    /// term, undo the delta encoding. (document number, weight) pairs.
    fn lookup(&self, term: &str) -> Vec<(u64, u64)> {
        let shards = self.meta["shards"].as_array().unwrap();
        let Some(shard) = shards.iter().rev().find(|s| s[0].as_str().unwrap() <= term) else {
            return Vec::new();
        };
        let index = self.json(&format!("index/{}", shard[1].as_str().unwrap()));
        let Some(entry) = index["terms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e[0] == term)
        else {
            return Vec::new();
        };
        let flat: Vec<u64> = entry[1]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap())
            .collect();
        let mut doc = 0;
        flat.chunks(2)
            .map(|p| {
                doc += p[0];
                (doc, p[1])
            })
            .collect()
    }
}

fn search_index(f: &Fixture) -> Index {
    let tree = f.tree();
    let meta = serde_json::from_slice(&tree["search/meta.json"]).unwrap();
    Index { tree, meta }
}

#[test]
fn the_search_index_holds_chapters_people_and_events_in_small_files() {
    let f = built();
    let ix = search_index(&f);
    assert_eq!(ix.meta["version"], 2);
    assert_eq!(ix.meta["documents"], 11, "3 chapters, 5 people, 3 events");
    assert_eq!(
        ix.meta["groups"],
        serde_json::json!([
            ["Chapter", "Chapters", 3, 4, 0],
            ["Person", "People", 5, 4, 1],
            ["Event", "Events", 3, 5, 0]
        ])
    );
    assert!(
        !ix.tree.keys().any(|k| k.contains("pagefind")),
        "no Pagefind files"
    );

    let docs = ix.documents();
    let urls: Vec<(&str, &str)> = docs
        .iter()
        .map(|r| (r["url"].as_str().unwrap(), r["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        urls,
        [
            ("chapters/the-harbour/", "Chapter"),
            ("chapters/the-crossing/", "Chapter"),
            ("chapters/the-return/", "Chapter"),
            ("people/ada-lindqvist/", "Person"),
            ("people/bruno-okafor/", "Person"),
            ("people/celia-marsh/", "Person"),
            ("people/dmitri-vance/", "Person"),
            ("people/eliza-stone/", "Person"),
            ("timeline/#meeting", "Event"),
            ("timeline/#storm", "Event"),
            ("timeline/#return", "Event"),
        ]
    );
    let harbour = &docs[0];
    assert_eq!(harbour["title"], "The Harbour");
    let text = harbour["text"].as_str().unwrap();
    assert_eq!(
        text,
        "The Harbour. Ada Lindqvist and Bruno Okafor meet at the harbour. Ada Lindqvist met Bruno Okafor at the harbour at dawn. Lindqvist had brought the ledger."
    );
    // Sections are findable on their own: each heading with an id, with the text under it. The
    // heading anchors ("#"), footnote markers and back links ("↩") are not part of the text.
    let sections: Vec<(&str, &str)> = harbour["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s[1].as_str().unwrap(), s[0].as_str().unwrap()))
        .collect();
    assert_eq!(
        sections,
        [
            ("ledger", "The ledger"),
            ("waiting", "Waiting"),
            ("footnotes", "Notes")
        ]
    );
    assert_eq!(
        harbour["sections"][0][2],
        "Okafor read the ledger twice. Lindqvist and Okafor agreed on the figures, and Celia Marsh watched them from the quay. What happened next is told in The Crossing."
    );
    assert_eq!(harbour["sections"][2][2], "The ledger had ninety pages.");
    let all = serde_json::to_string(&docs).unwrap();
    assert_eq!(
        all.matches('#').count(),
        3,
        "only the events' urls have a #: {all}"
    );
    assert!(!all.contains('↩') && !all.contains("People in this chapter"));
    let storm = &docs[9];
    assert_eq!(storm["title"], "The storm");
    assert_eq!(
        storm["text"],
        "The storm. May 3, 1890. At sea. A gale off the cape. Bruno Okafor, Celia Marsh, Dmitri Vance."
    );
    assert!(
        docs[4]["text"]
            .as_str()
            .unwrap()
            .starts_with("Bruno Okafor. Okafor. Captain. Sails the ship."),
        "{}",
        docs[4]["text"]
    );

    // Looking a word up as the search box does finds the documents that hold it, the one
    // named so first by weight.
    let ledger: Vec<u64> = ix.lookup("ledger").iter().map(|p| p.0).collect();
    assert_eq!(
        ledger,
        [0, 1, 3, 8],
        "the Harbour and the Crossing, Ada (keeps the ledger), the meeting"
    );
    let okafor = ix.lookup("okafor");
    let best = okafor.iter().max_by_key(|p| p.1 & 127).unwrap();
    assert_eq!(
        best.0, 4,
        "Bruno Okafor's own record weighs most: {okafor:?}"
    );
    assert_eq!(
        ix.lookup("lantern").iter().map(|p| p.0).collect::<Vec<_>>(),
        [1, 6]
    );
    assert!(ix.lookup("zzyzx").is_empty());
    // Every word of every document is in the index, in the shard its range says.
    for (n, d) in docs.iter().enumerate() {
        let mut text = d["text"].as_str().unwrap().to_lowercase();
        for s in d["sections"].as_array().into_iter().flatten() {
            text.push_str(
                &format!(" {} {}", s[0].as_str().unwrap(), s[2].as_str().unwrap()).to_lowercase(),
            );
        }
        for word in text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            assert!(
                ix.lookup(word).iter().any(|p| p.0 == n as u64),
                "{word} of document {n}"
            );
        }
    }
    // No file is one big download.
    for (path, bytes) in &ix.tree {
        if path.starts_with("search/") {
            assert!(bytes.len() < 100_000, "{path} is {} bytes", bytes.len());
        }
    }
}

#[test]
fn every_page_has_the_search_box_and_no_page_carries_indexing_marks() {
    let f = built();
    for (path, root) in [
        ("", ""),
        ("chapters/the-harbour/", "../../"),
        ("people/network/", "../../"),
        ("print/", "../"),
        ("timeline/", "../"),
    ] {
        let doc = f.page(path);
        assert_eq!(
            attr(&doc, "form.search[role=search]", "data-root"),
            [root],
            "{path}"
        );
        assert_eq!(
            attr(&doc, "form.search input[type=search]", "aria-keyshortcuts"),
            ["/"],
            "{path}"
        );
        assert_eq!(
            texts(&doc, "label[for=search-input]"),
            ["Search the documentary"],
            "{path}"
        );
    }
    // The index is built from the site itself: pages need no marks for an indexer.
    let tree = f.tree();
    for (path, bytes) in tree.iter().filter(|(p, _)| p.ends_with(".html")) {
        assert!(
            !String::from_utf8_lossy(bytes).contains("data-pagefind"),
            "{path}"
        );
    }
    // The search script, its styles and the network script ship with every site.
    for file in [
        "search.js",
        "search.css",
        "network.js",
        "network.css",
        "print.css",
        "timeline.css",
    ] {
        assert!(tree.contains_key(file), "{file}");
    }
}
