//! Every timeline page stays bounded whatever the content (issue 17): a timeline past 500
//! events is split by year, a year past 500 by month (its year page keeps the events known only
//! to the year), a month past 500 into numbered parts. A generated fixture crowds one year and
//! one day; every page holds at most 500 events, each event is on exactly one page, and every
//! link to an event lands on the page that shows it.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write;

use common::*;

const LIMIT: usize = 500;

/// The chronology fixture and, in its chapter "the talks", 1,150 events on July 19, 2013 (in
/// three sections), 60 known only to 2013 and 40 in 2012.
fn crowded() -> Fixture {
    let f = Fixture::new("chronology");
    let mut events = String::new();
    let mut add = |id: String, date: &str, section: &str| {
        let _ = write!(
            events,
            "[[event]]\nid = \"{id}\"\ndate = \"{date}\"\ntitle = \"Event {id}\"\nchapter = \"the-talks#{section}\"\nsources = [\"annals\"]\n\n"
        );
    };
    for k in 0..1_150 {
        add(
            format!("day-{k:04}"),
            "2013-07-19",
            ["first", "second", "third"][k % 3],
        );
    }
    for k in 0..60 {
        add(format!("year-{k:02}"), "2013", "first");
    }
    for k in 0..40 {
        add(
            format!("before-{k:02}"),
            &format!("2012-{:02}-15", 1 + k % 12),
            "first",
        );
    }
    f.write("content/events/crowd.toml", events);
    f
}

#[test]
fn a_crowded_year_is_split_by_month_and_a_crowded_month_into_parts() {
    let f = crowded();
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let tree = f.tree();
    // Every timeline page, with the events it shows.
    let mut shown: BTreeMap<String, String> = BTreeMap::new();
    let mut pages: BTreeMap<String, usize> = BTreeMap::new();
    for (path, bytes) in tree.iter().filter(|(p, _)| p.starts_with("timeline/")) {
        let doc = scraper::Html::parse_document(std::str::from_utf8(bytes).unwrap());
        let ids: Vec<String> = doc
            .select(&sel("li.tl-event"))
            .map(|e| e.value().attr("id").unwrap().to_string())
            .collect();
        let page = path.trim_end_matches("index.html").to_string();
        assert!(ids.len() <= LIMIT, "{page}: {} events", ids.len());
        assert!(bytes.len() < 1_500_000, "{page}: {} bytes", bytes.len());
        for id in &ids {
            assert!(
                shown.insert(id.clone(), page.clone()).is_none(),
                "{id} is on two pages"
            );
        }
        pages.insert(page, ids.len());
    }
    assert_eq!(shown.len(), 21 + 1_250, "every event is on one page");
    let expect = [
        ("timeline/", 0),
        ("timeline/2012/", 40),
        // Known only to 2013: the year page of a year split by month.
        ("timeline/2013/", 60),
        ("timeline/2013/02/", 1),
        ("timeline/2013/07/", 500),
        ("timeline/2013/07/page/2/", 500),
        ("timeline/2013/07/page/3/", 153),
        ("timeline/2013/11/", 1),
    ];
    for (page, n) in expect {
        assert_eq!(pages.get(page), Some(&n), "{page} in {pages:?}");
    }
    // The parts of July run in the timeline's order: July 18 on the first part, July 29 on the
    // last (the day of July 19 between them).
    assert_eq!(shown["leadership"], "timeline/2013/07/");
    assert_eq!(shown["letter"], "timeline/2013/07/page/3/");
    // The index of years lists the months of the split year.
    let index = f.page("timeline/");
    let months = links(&index, ".tl-year-months a");
    assert!(
        months
            .iter()
            .any(|(h, t)| h == "../timeline/2013/07/" && t == "July 2013"),
        "{months:?}"
    );
    // Each page leads to the next.
    let july = f.page("timeline/2013/07/page/2/");
    assert_eq!(
        links(&july, ".pager a"),
        [
            (
                "../../../../../timeline/2013/07/".to_string(),
                "← Earlier July 2013".to_string()
            ),
            (
                "../../../../../timeline/2013/07/page/3/".to_string(),
                "Later → July 2013, part 3".to_string()
            ),
        ]
    );
    // Every link to an event from a chapter or a biography lands on the page that shows it.
    let mut checked = 0;
    for (path, bytes) in tree
        .iter()
        .filter(|(p, _)| p.starts_with("chapters/") || p.starts_with("people/"))
    {
        let doc = scraper::Html::parse_document(std::str::from_utf8(bytes).unwrap());
        for (href, _) in links(&doc, "a[href*='timeline/']") {
            let Some((page, id)) = href.trim_start_matches("../../").split_once('#') else {
                continue;
            };
            let page = page.split_once('?').map_or(page, |(p, _)| p);
            assert_eq!(
                shown.get(id).map(String::as_str),
                Some(page),
                "{path}: {href}"
            );
            checked += 1;
        }
    }
    // A chapter lists at most 200 of its events (the rest are "more on the timeline"), so the
    // crowded chapter alone gives 200 links, each checked above.
    assert!(checked >= 200, "only {checked} event links");
    let sitemap = String::from_utf8(tree["sitemap.xml"].clone()).unwrap();
    assert!(sitemap.contains("https://example.org/timeline/2013/07/page/3/"));
}
