//! Where the story starts (issue 20, section 3), on `tests/fixtures/basic`: the home page's
//! text from `content/pages/index.md`, its turning points from events marked `featured`,
//! standalone pages in the menus their front matter names, `chapters/` on a documentary short
//! enough for the home page to list every chapter, and the last chapter's way onward.

mod common;

use common::*;

fn built(f: &Fixture) {
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
}

const ABOUT: &str = "+++\ntitle = \"About this documentary\"\nsummary = \"How it is made.\"\nmenu = \"footer\"\norder = 2\n+++\n\n## The sources {#sources}\n\nTwo accounts, told by [[john-kerry]]'s staff.\n";

#[test]
fn the_home_page_tells_the_story_from_its_markdown_text() {
    let f = Fixture::new("basic");
    f.write(
        "content/pages/index.md",
        "+++\ntitle = \"The story in a minute\"\n+++\n\n[[john-kerry]] tried, and *failed*.\n",
    );
    built(&f);
    let home = f.page("");
    assert_eq!(texts(&home, ".home-intro h2"), ["The story in a minute"]);
    assert_eq!(
        texts(&home, ".home-intro p"),
        ["John Kerry tried, and failed."]
    );
    assert_eq!(
        links(&home, ".home-intro a"),
        [("people/john-kerry/".to_string(), "John Kerry".to_string())]
    );
    // The introduction comes before the chapters: the story before the table of contents.
    let html = home.html();
    assert!(html.find("home-intro").unwrap() < html.find("home-chapters").unwrap());
    // index.md is the home page's text, not a page of its own.
    assert!(!f.out().join("index/index.html").exists());
}

#[test]
fn the_glimpse_of_the_timeline_shows_the_featured_events_in_order() {
    let f = Fixture::new("basic");
    built(&f);
    let before = texts(&f.page(""), ".home-timeline h2");
    assert_eq!(before, ["A glimpse of the timeline"]);
    let events = std::fs::read_to_string(f.root().join("content/events/main.toml")).unwrap();
    let events = events
        .replace(
            "title = \"A month of talks\"",
            "title = \"A month of talks\"\nfeatured = true",
        )
        .replace(
            "title = \"Cabinet vote\"",
            "title = \"Cabinet vote\"\nfeatured = true",
        );
    f.write("content/events/main.toml", events);
    built(&f);
    let home = f.page("");
    assert_eq!(texts(&home, ".home-timeline h2"), ["Turning points"]);
    assert_eq!(
        texts(&home, ".home-timeline .date-strip .title"),
        ["A month of talks", "Cabinet vote"]
    );
}

#[test]
fn a_standalone_page_is_rendered_and_linked_from_its_menu() {
    let f = Fixture::new("basic");
    f.write("content/pages/about.md", ABOUT);
    f.write(
        "content/pages/colophon.md",
        "+++\ntitle = \"Colophon\"\nmenu = \"nav\"\n+++\nSet in the reader's own fonts.\n",
    );
    f.write(
        "content/pages/credits.md",
        "+++\ntitle = \"Credits\"\n+++\nNobody.\n",
    );
    built(&f);
    let about = f.page("about/");
    assert_eq!(texts(&about, "h1"), ["About this documentary"]);
    assert_eq!(texts(&about, ".page-head .lede"), ["How it is made."]);
    assert!(texts(&about, ".prose h2")[0].starts_with("The sources"));
    assert_eq!(
        links(&about, ".prose p a"),
        [(
            "../people/john-kerry/".to_string(),
            "John Kerry".to_string()
        )]
    );
    // In the footer of every page (the current one marked), and in the nav for `menu = "nav"`.
    for (page, root) in [
        ("", ""),
        ("chapters/the-talks/", "../../"),
        ("about/", "../"),
    ] {
        let doc = f.page(page);
        let footer = links(&doc, ".site-footer a");
        assert!(
            footer.contains(&(format!("{root}about/"), "About this documentary".into())),
            "{page}: {footer:?}"
        );
        assert!(
            !footer
                .iter()
                .any(|(_, t)| t == "Colophon" || t == "Credits")
        );
        let nav = links(&doc, ".site-nav a");
        assert_eq!(
            nav.last().unwrap(),
            &(format!("{root}colophon/"), "Colophon".to_string())
        );
    }
    let current: Vec<_> = about
        .select(&sel(".site-footer a[aria-current=page]"))
        .collect();
    assert_eq!(current.len(), 1);
    // A page in no menu is still made (and in the sitemap).
    assert_eq!(texts(&f.page("credits/"), "h1"), ["Credits"]);
    let sitemap = std::fs::read_to_string(f.out().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://example.org/about/") && sitemap.contains("/credits/"));
}

#[test]
fn a_page_with_bad_front_matter_or_a_bad_reference_is_reported_where_it_is() {
    let f = Fixture::new("basic");
    f.write(
        "content/pages/about.md",
        "+++\ntitle = \"About\"\nmenu = \"top\"\n+++\n\nSee [[john-kery]].\n",
    );
    f.write("content/pages/people.md", "+++\ntitle = \"People\"\n+++\n");
    let r = dossier::check(&f.options()).unwrap();
    let m = messages(&r);
    assert!(
        m.contains("content/pages/about.md:3:8: error: unknown menu \"top\""),
        "{m}"
    );
    assert!(m.contains("content/pages/about.md:6:5"), "{m}");
    assert!(m.contains("john-kerry"), "a did-you-mean: {m}");
    assert!(
        m.contains("content/pages/people.md") && m.contains("the site makes people/ itself"),
        "{m}"
    );
}

#[test]
fn a_short_documentary_still_has_a_table_of_contents() {
    let f = Fixture::new("basic");
    built(&f);
    let toc = f.page("chapters/");
    assert_eq!(texts(&toc, "h1"), ["Chapters"]);
    assert_eq!(toc.select(&sel(".chapter-list > li")).count(), 2);
    // The navigation's "Chapters" leads there, from every page.
    let home = f.page("");
    assert!(links(&home, ".site-nav a").contains(&("chapters/".into(), "Chapters".into())));
    let ch = f.page("chapters/the-talks/");
    assert!(links(&ch, ".crumbs a").contains(&("../../chapters/".into(), "Chapters".into())));
}

#[test]
fn the_last_chapter_says_where_to_go_next() {
    let f = Fixture::new("basic");
    f.write("content/pages/about.md", ABOUT);
    built(&f);
    let last = f.page("chapters/the-end/");
    let onward: Vec<String> = links(&last, ".where-next a")
        .into_iter()
        .map(|l| l.0)
        .collect();
    assert_eq!(
        onward,
        [
            "../../timeline/",
            "../../people/",
            "../../people/network/",
            "../../sources/",
            "../../about/"
        ]
    );
    assert_eq!(
        f.page("chapters/the-talks/")
            .select(&sel(".where-next"))
            .count(),
        0
    );
}

/// The `<tag>` values of the feed, in order.
fn feed_values(f: &Fixture, tag: &str) -> Vec<String> {
    let atom = std::fs::read_to_string(f.out().join("atom.xml")).unwrap();
    atom.split(&format!("<{tag}>"))
        .skip(1)
        .map(|s| s.split(&format!("</{tag}>")).next().unwrap().to_string())
        .collect()
}

#[test]
fn the_feed_is_dated_by_publication_never_by_the_story() {
    // The fixture's story happens in 2013; its chapters were published in 2026.
    let f = Fixture::new("basic");
    let site = std::fs::read_to_string(f.root().join("site.toml")).unwrap();
    f.write("site.toml", format!("{site}published = \"2026-03-01\"\n"));
    let first = std::fs::read_to_string(f.root().join("content/chapters/01-the-talks.md")).unwrap();
    f.write(
        "content/chapters/01-the-talks.md",
        first.replacen(
            "+++\n",
            "+++\npublished = \"2026-01-10\"\nupdated = \"2026-02-02\"\n",
            1,
        ),
    );
    built(&f);
    // The feed's own date is its latest entry's; each entry has its chapter's dates, and a
    // chapter without its own is dated by site.toml's `published`.
    assert_eq!(
        feed_values(&f, "updated"),
        [
            "2026-03-01T00:00:00Z",
            "2026-02-02T00:00:00Z",
            "2026-03-01T00:00:00Z"
        ]
    );
    assert_eq!(
        feed_values(&f, "published"),
        ["2026-01-10T00:00:00Z", "2026-03-01T00:00:00Z"]
    );
    let all = std::fs::read_to_string(f.out().join("atom.xml")).unwrap();
    assert!(!all.contains("2013-"), "{all}");
}

#[test]
fn a_publication_date_that_is_not_a_day_is_reported_where_it_is() {
    let f = Fixture::new("basic");
    let first = std::fs::read_to_string(f.root().join("content/chapters/01-the-talks.md")).unwrap();
    f.write(
        "content/chapters/01-the-talks.md",
        first.replacen("+++\n", "+++\npublished = \"March 2026\"\n", 1),
    );
    let r = dossier::check(&f.options()).unwrap();
    let m = messages(&r);
    assert!(
        m.contains("content/chapters/01-the-talks.md:2:13: error: \"March 2026\" is not a day"),
        "{m}"
    );
}

#[test]
fn a_feed_without_publication_dates_does_not_take_the_story_s() {
    // Before: every entry was dated by the latest event of the story (2013-07-28).
    let f = Fixture::new("basic");
    built(&f);
    let atom = std::fs::read_to_string(f.out().join("atom.xml")).unwrap();
    assert!(!atom.contains("2013-"), "{atom}");
    assert!(
        feed_values(&f, "updated")
            .iter()
            .all(|u| u == "1970-01-01T00:00:00Z")
    );
}
