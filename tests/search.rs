//! The search index as the search box reads it, on the `apollo` fixture: the text of a result is
//! the text the reader sees (references as their names, not their ids), and an entity's record
//! carries its name and aliases, whose words are flagged in the postings so the box can put the
//! entity a query names first; the page previews' cards say the same. (The index's layout
//! and bounds are tested in `explore.rs`.)

mod common;

use common::{Fixture, messages};

const EVENTS: &str = r#"[[event]]
id = "launch"
date = "1969-07-16"
title = "Launch from Cape Kennedy"
people = ["neil-armstrong", "michael-collins"]
chapter = "the-launch"
sources = ["press-kit"]

[[event]]
id = "landing"
date = "1969-07-20"
title = "The lunar module lands"
summary = "[[neil-armstrong]] takes manual control while [[michael-collins|Collins]] orbits, as [[chapter:the-launch]] foretold."
people = ["neil-armstrong"]
chapter = "eagle-has-landed"
sources = ["press-kit"]
"#;

fn built() -> Fixture {
    let f = Fixture::new("apollo");
    f.write("content/events/apollo.toml", EVENTS);
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    f
}

/// Every record of the index, in order.
fn documents(f: &Fixture) -> Vec<serde_json::Value> {
    let tree = f.tree();
    let json = |p: &str| -> serde_json::Value { serde_json::from_slice(&tree[p]).unwrap() };
    let meta = json("search/meta.json");
    let mut out = Vec::new();
    for i in 0..meta["chunks"].as_array().unwrap().len() {
        out.extend(
            json(&format!("search/doc/{i}.json"))["docs"]
                .as_array()
                .unwrap()
                .iter()
                .cloned(),
        );
    }
    out
}

#[test]
fn a_result_shows_references_as_the_reader_reads_them_not_their_ids() {
    let f = built();
    let docs = documents(&f);
    let landing = docs.iter().find(|d| d["title"] == "The lunar module lands");
    let text = landing.unwrap()["text"].as_str().unwrap();
    assert!(
        text.contains(
            "Neil Armstrong takes manual control while Collins orbits, as The Launch foretold."
        ),
        "{text}"
    );
    assert!(!text.contains("neil-armstrong"), "{text}");
    assert!(!text.contains("[["), "{text}");
}

#[test]
fn a_person_carries_their_name_and_aliases_and_their_name_words_are_flagged() {
    let f = built();
    let docs = documents(&f);
    let n = docs
        .iter()
        .position(|d| d["title"] == "Neil Armstrong")
        .unwrap();
    assert_eq!(
        docs[n]["names"],
        serde_json::json!(["Neil Armstrong", "Armstrong"])
    );
    let braun = docs.iter().find(|d| d["title"] == "Wernher von Braun");
    assert_eq!(
        braun.unwrap()["names"],
        serde_json::json!(["Wernher von Braun"])
    );
    assert!(
        docs.iter()
            .filter(|d| d["kind"] != "Person")
            .all(|d| d.get("names").is_none()),
        "only entities have names"
    );

    let tree = f.tree();
    let meta: serde_json::Value = serde_json::from_slice(&tree["search/meta.json"]).unwrap();
    assert_eq!(meta["version"], 2);
    assert_eq!(
        meta["groups"],
        serde_json::json!([
            ["Chapter", "Chapters", 2, 4, 0],
            ["Person", "People", 3, 4, 1],
            ["Event", "Events", 2, 5, 0]
        ])
    );
    // "armstrong": flagged (weight ≥ 128) in his record, not in the chapters or events naming him.
    let mut postings = Vec::new();
    for (path, bytes) in &tree {
        if path.starts_with("search/index/") {
            let shard: serde_json::Value = serde_json::from_slice(bytes).unwrap();
            for t in shard["terms"].as_array().unwrap() {
                if t[0] == "armstrong" {
                    let flat: Vec<u64> = (t[1].as_array().unwrap().iter())
                        .map(|v| v.as_u64().unwrap())
                        .collect();
                    let mut doc = 0;
                    for p in flat.chunks(2) {
                        doc += p[0];
                        postings.push((doc as usize, p[1]));
                    }
                }
            }
        }
    }
    assert!(postings.len() >= 3, "{postings:?}");
    for (doc, w) in postings {
        assert_eq!(
            w >= 128,
            doc == n,
            "{}: weight {w}",
            docs[doc]["title"].as_str().unwrap()
        );
    }
}

/// The page previews' card for `url`, found as `preview.js` finds it (meta.json, then the shard
/// the URL's hash names).
fn card(f: &Fixture, url: &str) -> serde_json::Value {
    let tree = f.tree();
    let meta: serde_json::Value = serde_json::from_slice(&tree["preview/meta.json"]).unwrap();
    assert_eq!(meta["version"], 1);
    let n = meta["shards"].as_u64().unwrap() as u32;
    let k = dossier::preview::hash(url) % n;
    let shard: serde_json::Value =
        serde_json::from_slice(&tree[&format!("preview/{k}.json")]).unwrap();
    shard[url].clone()
}

#[test]
fn preview_cards_say_what_a_link_leads_to_as_the_reader_reads_it() {
    let f = built();
    assert_eq!(
        card(&f, "people/neil-armstrong/"),
        serde_json::json!(["Person", "Neil Armstrong", "Commander", ""])
    );
    assert_eq!(
        card(&f, "timeline/#landing"),
        serde_json::json!([
            "Event",
            "The lunar module lands",
            "July 20, 1969",
            "Neil Armstrong takes manual control while Collins orbits, as The Launch foretold."
        ])
    );
    let chapter = card(&f, "chapters/eagle-has-landed/");
    assert_eq!(chapter[0], "Chapter");
    assert_eq!(chapter[1], "The Eagle Has Landed");
    assert_eq!(chapter[2], "Chapter 2 · 1 min read");
    assert_eq!(chapter[3], "The lunar module reaches the surface.");
    // Every card is in one shard, each file small.
    let tree = f.tree();
    let cards: usize = (tree.iter())
        .filter(|(p, _)| p.starts_with("preview/") && !p.ends_with("meta.json"))
        .map(|(_, b)| {
            assert!(b.len() < 50_000);
            let v: serde_json::Value = serde_json::from_slice(b).unwrap();
            v.as_object().unwrap().len()
        })
        .sum();
    assert_eq!(cards, 2 + 3 + 2, "chapters, people, events");
}

#[test]
fn the_words_of_names_are_listed_by_length_for_typos_in_their_first_letter() {
    // The index is sharded by first letters: "Nrmstrong" would be looked for among the words
    // in "n" only. The words of entities' names, by length, let the box find it anyway.
    let f = built();
    let tree = f.tree();
    let meta: serde_json::Value = serde_json::from_slice(&tree["search/meta.json"]).unwrap();
    let lengths: Vec<u64> = (meta["names"].as_array().unwrap().iter())
        .map(|n| n.as_u64().unwrap())
        .collect();
    let files: Vec<u64> = (tree.keys())
        .filter_map(|p| {
            p.strip_prefix("search/names/")?
                .strip_suffix(".json")?
                .parse()
                .ok()
        })
        .collect();
    assert_eq!(lengths, files, "meta.json lists the files there are");
    let words = |n: usize| -> serde_json::Value {
        serde_json::from_slice(&tree[&format!("search/names/{n}.json")]).unwrap()
    };
    // Neil Armstrong (alias Armstrong), Michael Collins (Collins), Wernher von Braun: words of
    // four letters or more, each once, sorted.
    assert_eq!(words(4), serde_json::json!(["neil"]));
    assert_eq!(words(5), serde_json::json!(["braun"]));
    assert_eq!(
        words(7),
        serde_json::json!(["collins", "michael", "wernher"])
    );
    assert_eq!(words(9), serde_json::json!(["armstrong"]));
    assert!(
        !tree.contains_key("search/names/3.json"),
        "\"von\" is too short for a typo"
    );
}
