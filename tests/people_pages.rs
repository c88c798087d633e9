//! Person pages that answer "who is this?" first (issue 20, section 5), on
//! `tests/fixtures/basic`: the biography before the infobox (which no longer repeats the name),
//! aliases as a list, monograms toned by side as the network draws sides, the link to the
//! person's filtered timeline, and the people index with a side's principals first.

mod common;

use common::*;

#[test]
fn a_person_page_reads_biography_first_and_lists_aliases_as_names() {
    let f = Fixture::new("basic");
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let doc = f.page("people/mahmoud-abbas/");
    let html = doc.html();
    // The biography's column comes before the infobox in reading order (phones show it first).
    assert!(
        html.find("class=\"person-main\"").unwrap() < html.find("class=\"person-aside\"").unwrap()
    );
    let terms = texts(&doc, ".infobox dt");
    assert!(!terms.contains(&"Name".to_string()), "{terms:?}");
    // "Abu Mazen, Abbas" read as "Surname, First name"; now each alias is its own item.
    assert_eq!(texts(&doc, ".infobox .aliases li"), ["Abu Mazen", "Abbas"]);
    // A link to the timeline filtered to them.
    let timeline: Vec<(String, String)> = links(&doc, ".person-dates a");
    assert!(
        timeline
            .iter()
            .any(|(u, _)| u.starts_with("../../timeline/") && u.contains("mahmoud-abbas")),
        "{timeline:?}"
    );
}

#[test]
fn monograms_take_their_side_s_colour() {
    let f = Fixture::new("basic");
    assert!(f.build().ok());
    let tone = |page: &str| {
        let doc = f.page(page);
        doc.select(&sel(".monogram-large"))
            .next()
            .and_then(|m| m.value().attr("style").map(str::to_string))
            .unwrap()
    };
    let (kerry, abbas, bennett) = (
        tone("people/john-kerry/"),
        tone("people/mahmoud-abbas/"),
        tone("people/naftali-bennett/"),
    );
    assert!(kerry.starts_with("--tone: #"), "{kerry}");
    assert!(kerry != abbas && abbas != bennett && kerry != bennett);
    // The same tone on the people index.
    let index = f.page("people/");
    let on_index: Vec<String> = index
        .select(&sel(".monogram"))
        .filter_map(|m| m.value().attr("style").map(str::to_string))
        .collect();
    assert!(on_index.contains(&kerry) && on_index.contains(&abbas));
}

#[test]
fn the_people_index_lists_a_side_s_principals_first() {
    let f = Fixture::new("basic");
    f.write(
        "content/people/alan-aaronson.toml",
        "name = \"Alan Aaronson\"\nrole = \"Historian\"\nside = \"United States\"\nsummary = \"Named once.\"\n",
    );
    let mut text = String::from("+++\ntitle = \"More\"\nsources = [\"report\"]\n+++\n\n");
    for _ in 0..6 {
        text.push_str("[[john-kerry|Kerry]] flew again.\n\n");
    }
    text.push_str("[[alan-aaronson]] wrote about it once.\n");
    f.write("content/chapters/03-more.md", text);
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let us: Vec<String> = texts(
        &f.page("people/"),
        "section[aria-labelledby=side-united-states] h3 a",
    );
    let names: Vec<&str> = us
        .iter()
        .map(String::as_str)
        .filter(|n| *n == "John Kerry" || *n == "Alan Aaronson")
        .collect();
    // Before: alphabetically by surname, Aaronson first.
    assert_eq!(names.first(), Some(&"John Kerry"), "{us:?}");
}

#[test]
fn a_paragraph_listing_people_does_not_make_them_companions() {
    // Before: a sentence listing seven people tied each to the six others, in the network and
    // among each person's companions ("Albright appears with 11 people").
    let f = Fixture::new("basic");
    let names = [
        "ann-a", "bob-b", "cyd-c", "dan-d", "eve-e", "fay-f", "gus-g",
    ];
    for n in names {
        let (first, last) = n.split_once('-').unwrap();
        f.write(
            &format!("content/people/{n}.toml"),
            format!("name = \"{first} {last}\"\nside = \"Others\"\nsummary = \"Listed.\"\n"),
        );
    }
    let list: Vec<String> = names.iter().map(|n| format!("[[{n}]]")).collect();
    f.write(
        "content/chapters/03-predecessors.md",
        format!(
            "+++\ntitle = \"Predecessors\"\nsources = [\"report\"]\n+++\n\nBefore him came {}.\n\n[[ann-a]] and [[bob-b]] met twice.\n",
            list.join(", ")
        ),
    );
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let ann = f.page("people/ann-a/");
    assert_eq!(texts(&ann, ".companions .companion a"), ["bob b"]);
    let network = f.page("people/network/");
    let row: Vec<String> = links(&network, "#n-ann-a .nw-links a")
        .into_iter()
        .map(|l| l.1)
        .collect();
    assert_eq!(row, ["bob b"]);
    assert!(links(&network, "#n-cyd-c .nw-links a").is_empty());
}

/// Every record of the search index.
fn search_documents(f: &Fixture) -> Vec<serde_json::Value> {
    let tree = f.tree();
    let json = |p: &str| -> serde_json::Value { serde_json::from_slice(&tree[p]).unwrap() };
    let chunks = json("search/meta.json")["chunks"].as_array().unwrap().len();
    (0..chunks)
        .flat_map(|i| {
            json(&format!("search/doc/{i}.json"))["docs"]
                .as_array()
                .unwrap()
                .clone()
        })
        .collect()
}

#[test]
fn a_person_s_summary_is_markdown_as_the_reader_reads_it() {
    // Before: the summary was shown as written, asterisks and `[[mahmoud-abbas]]` included.
    let f = Fixture::new("basic");
    f.write(
        "content/people/john-kerry.toml",
        "name = \"John Kerry\"\naliases = [\"Kerry\"]\nrole = \"Secretary of State\"\nside = \"United States\"\nsummary = \"The *mediator* who met [[mahmoud-abbas]].\"\nsources = [\"report\"]\n",
    );
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let read = "The mediator who met Mahmoud Abbas.";
    let page = f.page("people/john-kerry/");
    assert_eq!(texts(&page, ".person-head .lede"), [read]);
    assert_eq!(texts(&page, ".person-head .lede em"), ["mediator"]);
    assert_eq!(
        links(&page, ".person-head .lede a"),
        [(
            "../../people/mahmoud-abbas/".to_string(),
            "Mahmoud Abbas".to_string()
        )]
    );
    let meta = |css: &str| {
        page.select(&sel(css))
            .next()
            .and_then(|m| m.value().attr("content").map(str::to_string))
    };
    assert_eq!(meta("meta[name=description]").as_deref(), Some(read));
    let ld = texts(&page, "script[type='application/ld+json']").join("");
    assert!(ld.contains(&format!("\"description\":\"{read}\"")), "{ld}");

    let index = f.page("people/");
    let card = "section[aria-labelledby=side-united-states] .person-card .summary";
    assert_eq!(texts(&index, card), [read]);
    assert_eq!(texts(&index, &format!("{card} em")), ["mediator"]);
    assert_eq!(
        links(&index, &format!("{card} a")),
        [(
            "../people/mahmoud-abbas/".to_string(),
            "Mahmoud Abbas".to_string()
        )]
    );

    let docs = search_documents(&f);
    let kerry = docs.iter().find(|d| d["title"] == "John Kerry").unwrap();
    let text = kerry["text"].as_str().unwrap();
    assert!(text.contains(read), "{text}");
    assert!(!text.contains("[[") && !text.contains('*'), "{text}");

    let tree = f.tree();
    let cards = tree
        .iter()
        .filter(|(p, _)| p.starts_with("preview/") && !p.ends_with("meta.json"))
        .map(|(_, b)| serde_json::from_slice::<serde_json::Value>(b).unwrap())
        .find_map(|v| v.get("people/john-kerry/").cloned())
        .unwrap();
    assert_eq!(cards[3], read);
}
