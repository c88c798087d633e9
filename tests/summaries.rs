//! Summaries of the world's entries are Markdown (issue 20, section 5, as people's are: see
//! `people_pages.rs`), on `tests/fixtures/world`: emphasis and references shown as the reader
//! reads them on the entry's page and its index, as plain text with names (not ids) in search,
//! the preview card and the meta description, and an unknown reference one located error.

mod common;

use common::*;

const JERUSALEM: &str = "name = \"Jerusalem\"\nkind = \"city\"\nwithin = \"israel\"\ncoordinates = [31.778, 35.235]\nsummary = \"A *holy* city near [[place:ramallah]].\"\n";

#[test]
fn a_place_s_summary_is_markdown_as_the_reader_reads_it() {
    let f = Fixture::new("world");
    f.write("content/places/jerusalem.toml", JERUSALEM);
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let read = "A holy city near Ramallah.";
    let page = f.page("places/jerusalem/");
    assert_eq!(texts(&page, ".page-head .lede"), [read]);
    assert_eq!(texts(&page, ".page-head .lede em"), ["holy"]);
    assert_eq!(
        links(&page, ".page-head .lede a"),
        [("../../places/ramallah/".to_string(), "Ramallah".to_string())]
    );
    let description = page
        .select(&sel("meta[name=description]"))
        .next()
        .and_then(|m| m.value().attr("content").map(str::to_string));
    assert_eq!(description.as_deref(), Some(read));

    let index = f.page("places/");
    let item = texts(&index, "li .summary");
    assert!(item.iter().any(|t| t == read), "{item:?}");
    assert_eq!(texts(&index, "li .summary em"), ["holy"]);

    let tree = f.tree();
    let search: String = (tree.iter())
        .filter(|(p, _)| p.starts_with("search/doc/"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(search.contains(read), "the search record reads as the page");
    assert!(!search.contains("[[place:") && !search.contains("*holy*"));
    let card = (tree.iter())
        .filter(|(p, _)| p.starts_with("preview/") && !p.ends_with("meta.json"))
        .map(|(_, b)| serde_json::from_slice::<serde_json::Value>(b).unwrap())
        .find_map(|v| v.get("places/jerusalem/").cloned())
        .unwrap();
    assert_eq!(card[3], read);
}

#[test]
fn an_unknown_reference_in_a_place_s_summary_is_located() {
    let f = Fixture::new("world");
    f.write(
        "content/places/jerusalem.toml",
        JERUSALEM.replace("[[place:ramallah]]", "[[place:ramalah]]"),
    );
    let r = f.build();
    assert!(!r.ok());
    let errors: Vec<String> = (r.diagnostics.items.iter())
        .map(|d| d.to_string())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let first = errors[0].lines().next().unwrap();
    assert!(
        first.ends_with("content/places/jerusalem.toml:5:31: error: unknown place \"ramalah\""),
        "{first}"
    );
    assert!(
        errors[0].contains("did you mean \"ramallah\"?"),
        "{}",
        errors[0]
    );
}
