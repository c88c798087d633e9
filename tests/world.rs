//! The documentary's world (issue 19): places, organizations and glossary terms on the fixture
//! `tests/fixtures/world` (the `basic` documentary with three places, two organizations and a
//! term): their pages, the links the other pages make to them, search, sitemap, JSON-LD and the
//! print edition; each content error of `tests/fixtures/world-errors/<case>/` (laid over it)
//! located, with its fix; `place` as free text in a documentary without `content/places/`; and
//! the bounds of the pages at any size.

mod common;

use common::*;
use dossier::diagnostics::Severity;

fn world() -> Fixture {
    Fixture::new("world")
}

/// Lines of every diagnostic of `severity`: each message's first line, then its help lines.
fn lines(r: &dossier::Report, severity: Severity) -> Vec<String> {
    r.diagnostics
        .items
        .iter()
        .filter(|d| d.severity == severity)
        .flat_map(|d| {
            let text = d.to_string();
            let mut out = vec![text.lines().next().unwrap_or_default().to_string()];
            out.extend(
                text.lines()
                    .filter(|l| l.trim_start().starts_with("= help"))
                    .map(|l| l.trim().to_string()),
            );
            out
        })
        .collect()
}

#[test]
fn the_world_builds_with_no_warning_and_its_pages() {
    let f = world();
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    assert!(lines(&r, Severity::Warning).is_empty(), "{}", messages(&r));
    for page in [
        "places/",
        "places/jerusalem/",
        "places/israel/",
        "organizations/",
        "organizations/plo/",
        "glossary/",
    ] {
        let p = f.page(page);
        assert_eq!(texts(&p, "h1").len(), 1, "{page}");
    }
}

#[test]
fn a_place_page_has_its_infobox_events_mentions_people_and_places_within() {
    let f = world();
    assert!(f.build().ok());
    let p = f.page("places/jerusalem/");
    let infobox = texts(&p, ".infobox div");
    assert!(infobox.contains(&"Kindcity".to_string()), "{infobox:?}");
    assert!(infobox.contains(&"WithinIsrael".to_string()), "{infobox:?}");
    assert!(
        infobox.contains(&"Coordinates31.778° N, 35.235° E".to_string()),
        "{infobox:?}"
    );
    assert_eq!(
        links(&p, ".crumbs a"),
        [
            ("../../places/".into(), "Places".into()),
            ("../../places/israel/".into(), "Israel".into())
        ]
    );
    // Its events in timeline order, the sentence that mentions it, the people of its events.
    assert_eq!(
        texts(&p, ".own-timeline .title"),
        ["A month of talks", "Cabinet vote"]
    );
    assert_eq!(
        texts(&p, ".appearances blockquote"),
        ["The Israeli cabinet met in Jerusalem."]
    );
    assert_eq!(
        links(&p, ".appearances .appearance-head a"),
        [("../../chapters/the-talks/#p-3".into(), "The Talks".into())]
    );
    assert_eq!(
        texts(&p, ".companions .companion a"),
        ["John Kerry", "Mahmoud Abbas", "Naftali Bennett"]
    );
    // Israel holds Jerusalem, and its events (those in Jerusalem).
    let israel = f.page("places/israel/");
    assert_eq!(
        links(&israel, "#entry-contains + ul a"),
        [("../../places/jerusalem/".into(), "Jerusalem".into())]
    );
    assert_eq!(texts(&israel, ".own-timeline .title").len(), 2);
}

#[test]
fn indexes_group_places_by_kind_and_organizations_by_side() {
    let f = world();
    assert!(f.build().ok());
    let places = f.page("places/");
    assert_eq!(texts(&places, ".world-group h2"), ["City", "Country"]);
    assert_eq!(
        texts(&places, ".world-group a"),
        ["Jerusalem", "Ramallah", "Israel"]
    );
    let orgs = f.page("organizations/");
    assert_eq!(texts(&orgs, ".world-group h2"), ["Israel", "Palestinians"]);
    let plo = f.page("organizations/plo/");
    assert_eq!(texts(&plo, ".companions .companion a"), ["Mahmoud Abbas"]);
    assert!(texts(&plo, ".infobox div").contains(&"Also known asPLO".to_string()));
}

#[test]
fn the_glossary_gives_every_term_an_anchor_its_definition_and_its_uses() {
    let f = world();
    assert!(f.build().ok());
    let g = f.page("glossary/");
    assert_eq!(texts(&g, "#two-state-solution dfn"), ["Two-state solution"]);
    assert_eq!(
        texts(&g, "#two-state-solution .prose"),
        ["A Palestinian state beside Israel."]
    );
    assert_eq!(
        links(&g, "#two-state-solution .used-in a"),
        [("../chapters/the-talks/#p-1".into(), "The Talks".into())]
    );
    // The print edition ends with it.
    let print = f.page("print/");
    assert_eq!(
        texts(&print, "#glossary-two-state-solution dfn"),
        ["Two-state solution"]
    );
}

#[test]
fn chapters_timeline_and_people_link_the_world() {
    let f = world();
    assert!(f.build().ok());
    let ch = f.page("chapters/the-talks/");
    // First mentions, by name, alias or lowercase term; [[term:x|text]] too.
    assert_eq!(
        links(
            &ch,
            ".prose a.ref-place, .prose a.ref-org, .prose a.ref-term"
        ),
        [
            ("../../places/ramallah/".to_string(), "Ramallah".to_string()),
            ("../../organizations/plo/".into(), "PLO".into()),
            (
                "../../glossary/#two-state-solution".into(),
                "two-state solution".into()
            ),
            (
                "../../organizations/cabinet/".into(),
                "Israeli cabinet".into()
            ),
            ("../../places/jerusalem/".into(), "Jerusalem".into()),
            (
                "../../glossary/#two-state-solution".into(),
                "two states".into()
            ),
        ]
    );
    let tl = f.page("timeline/");
    let places: Vec<(String, String)> = links(&tl, "dd a")
        .into_iter()
        .filter(|(u, _)| u.contains("places/"))
        .collect();
    assert_eq!(
        places,
        [
            ("../places/ramallah/".to_string(), "Ramallah".to_string()),
            ("../places/jerusalem/".into(), "Jerusalem".into()),
            ("../places/jerusalem/".into(), "Jerusalem".into()),
        ]
    );
    let abbas = f.page("people/mahmoud-abbas/");
    assert!(
        links(&abbas, ".infobox a").contains(&(
            "../../organizations/plo/".into(),
            "Palestine Liberation Organization".into()
        )),
        "{:?}",
        links(&abbas, ".infobox a")
    );
    let nav = texts(&f.page(""), ".site-nav a");
    assert_eq!(
        nav,
        [
            "Chapters",
            "People",
            "Timeline",
            "Places",
            "Organizations",
            "Glossary",
            "Sources"
        ]
    );
}

#[test]
fn sitemap_json_ld_and_search_include_the_world() {
    let f = world();
    assert!(f.build().ok());
    let sitemap = std::fs::read_to_string(f.out().join("sitemap.xml")).unwrap();
    for url in [
        "places/",
        "places/jerusalem/",
        "organizations/plo/",
        "glossary/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/{url}</loc>")),
            "{url}"
        );
    }
    let page = std::fs::read_to_string(f.out().join("places/jerusalem/index.html")).unwrap();
    assert!(page.contains(r#""@type":"Place""#), "{page}");
    assert!(
        page.contains(r#""geo":{"@type":"GeoCoordinates","latitude":31.778,"longitude":35.235}"#)
    );
    let org = std::fs::read_to_string(f.out().join("organizations/plo/index.html")).unwrap();
    assert!(org.contains(r#""@type":"Organization""#));
    let g = std::fs::read_to_string(f.out().join("glossary/index.html")).unwrap();
    assert!(g.contains(r#""@type":"DefinedTerm""#));
    let meta = std::fs::read_to_string(f.out().join("search/meta.json")).unwrap();
    assert!(
        meta.contains(concat!(
            r#""groups":[["Chapter","Chapters",2,4,0],["Person","People",3,4,1],"#,
            r#"["Event","Events",6,5,0],["Place","Places",3,4,1],"#,
            r#"["Organization","Organizations",2,4,1],["Term","Glossary",1,4,1]]"#
        )),
        "{meta}"
    );
}

#[test]
fn without_content_places_an_events_place_is_free_text_and_no_world_page_is_made() {
    let f = Fixture::new("basic");
    assert!(f.build().ok());
    let tl = f.page("timeline/");
    assert!(texts(&tl, "dd").contains(&"Jerusalem".to_string()));
    assert!(!f.out().join("places").exists());
    assert!(!f.out().join("glossary").exists());
    assert_eq!(
        texts(&f.page(""), ".site-nav a"),
        ["Chapters", "People", "Timeline", "Sources"]
    );
    let meta = std::fs::read_to_string(f.out().join("search/meta.json")).unwrap();
    assert!(
        meta.contains(r#""counts":{"Chapter":2,"Person":2,"Event":6}"#) || !meta.contains("Place"),
        "{meta}"
    );
}

#[test]
fn autolink_by_kind_turns_off_one_kind() {
    let f = world();
    let site = std::fs::read_to_string(f.root().join("site.toml")).unwrap();
    f.write(
        "site.toml",
        format!("{site}autolink_by_kind = {{ places = \"off\" }}\n"),
    );
    assert!(f.build().ok());
    let ch = f.page("chapters/the-talks/");
    assert!(links(&ch, ".prose a.ref-place").is_empty());
    assert_eq!(links(&ch, ".prose a.ref-org").len(), 2);
    // Still mentions: the place page keeps its sentence.
    assert_eq!(
        texts(&f.page("places/jerusalem/"), ".appearances blockquote").len(),
        1
    );
}

/// `tests/fixtures/world-errors/<case>/` over the world: every error and help line.
fn errors(case: &str) -> Vec<String> {
    let f = world();
    f.overlay(&fixtures().join("world-errors").join(case));
    let r = f.build();
    assert!(!r.ok());
    lines(&r, Severity::Error)
}

#[test]
fn each_mistake_is_one_located_error_with_its_fix() {
    let cases: &[(&str, &[&str])] = &[
        (
            "unknown-field",
            &[
                "content/places/ramallah.toml:3:1: error: unknown key \"coords\" in a place file",
                "= help: known keys: name, aliases, kind, within, coordinates, summary, description, sources, note",
            ],
        ),
        (
            "bad-coordinates",
            &[
                "content/places/ramallah.toml:3:15: error: latitude 135.2 is out of range: it must be between -90 and 90",
                "= help: latitude comes first: did you mean [31.9, 135.2]?",
            ],
        ),
        (
            "unknown-within",
            &[
                "content/places/ramallah.toml:2:10: error: unknown place \"israe\"",
                "= help: did you mean \"israel\"?",
            ],
        ),
        (
            "within-cycle",
            &[
                "content/places/israel.toml:2:10: error: places within each other: israel within jerusalem within israel",
                "= help: a place is within a larger one: remove `within` from one of them",
            ],
        ),
        (
            "unknown-source",
            &[
                "content/organizations/cabinet.toml:2:12: error: unknown source \"reprot\"",
                "= help: did you mean \"report\"?",
            ],
        ),
        (
            "unknown-organization",
            &[
                "content/people/mahmoud-abbas.toml:6:18: error: unknown organization \"pol\"",
                "= help: did you mean \"plo\"?",
                "content/people/mahmoud-abbas.toml:6:25: error: unknown organization \"PLO\"",
                "= help: did you mean \"plo\"? (\"PLO\" is an alias of Palestine Liberation Organization; references take the id)",
            ],
        ),
        (
            "unknown-event-place",
            &[
                "content/events/main.toml:7:11: error: unknown place \"Jerusalem\"",
                "= help: did you mean \"jerusalem\"? (references take the place's id, not its name)",
                "content/events/main.toml:7:24: error: unknown place \"gaza\"",
                "= help: events name places by id (content/places/<id>.toml): create it with `dossier new place gaza`",
            ],
        ),
        (
            "unknown-references",
            &[
                "content/glossary/two-state-solution.toml:2:22: error: unknown place \"israil\"",
                "= help: did you mean \"israel\"?",
                "content/glossary/two-state-solution.toml:2:43: error: unknown organization \"hamas\"",
                "= help: create it with `dossier new organization hamas`",
                "content/glossary/two-state-solution.toml:2:61: error: unknown term \"settlement\"",
                "= help: create it with `dossier new term settlement`",
            ],
        ),
    ];
    for (case, expected) in cases {
        assert_eq!(&errors(case), expected, "case {case}");
    }
}

#[test]
fn an_entity_an_event_or_a_person_refers_to_is_not_unmentioned() {
    let f = world();
    f.write("content/places/nablus.toml", "name = \"Nablus\"\n");
    f.write(
        "content/organizations/shin-bet.toml",
        "name = \"Shin Bet\"\n",
    );
    let r = f.build();
    assert!(r.ok());
    let before = lines(&r, Severity::Warning).len();
    assert_eq!(before, 4, "{:?}", lines(&r, Severity::Warning));
    // An event there, and a person who belongs to it: neither is forgotten any more.
    let events = std::fs::read_to_string(f.root().join("content/events/main.toml")).unwrap();
    f.write(
        "content/events/main.toml",
        format!("{events}\n[[event]]\nid = \"in-nablus\"\ndate = \"2013\"\ntitle = \"In Nablus\"\nplace = \"nablus\"\n"),
    );
    let r = f.build();
    let warnings = lines(&r, Severity::Warning).join("\n");
    assert!(!warnings.contains("(nablus)"), "{warnings}");
}

#[test]
fn an_entity_nothing_mentions_is_a_warning() {
    let f = world();
    f.write("content/places/gaza.toml", "name = \"Gaza\"\n");
    let r = f.build();
    assert!(r.ok());
    assert_eq!(
        lines(&r, Severity::Warning),
        [
            "content/places/gaza.toml:1:8: warning: the place Gaza (gaza) is never mentioned: no chapter names it, and no event or person refers to it",
            "= help: name it in a chapter, or link it with [[place:gaza]]",
        ]
    );
}

#[test]
fn a_name_two_entities_share_is_linked_to_neither() {
    let f = world();
    // "Ramallah" is now also an organization's alias.
    f.write(
        "content/organizations/pa.toml",
        "name = \"Palestinian Authority\"\naliases = [\"Ramallah\"]\n",
    );
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let ch = f.page("chapters/the-talks/");
    assert!(!links(&ch, ".prose a").iter().any(|(_, t)| t == "Ramallah"));
}

#[test]
fn pages_stay_bounded_with_many_places_and_events() {
    let f = world();
    let mut events = String::new();
    for i in 0..650 {
        f.write(
            &format!("content/places/p{i:04}.toml"),
            format!("name = \"Place {i:04}\"\nkind = \"site\"\nwithin = \"ramallah\"\n"),
        );
        events.push_str(&format!(
            "[[event]]\nid = \"e{i}\"\ndate = \"2013-08-01\"\ntitle = \"E{i}\"\nplace = \"p{i:04}\"\nchapter = \"the-end\"\n\n"
        ));
    }
    f.write("content/events/many.toml", events);
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    // 653 places: three index pages of at most 300.
    assert_eq!(texts(&f.page("places/"), ".world-group li").len(), 300);
    assert_eq!(
        texts(&f.page("places/page/3/"), ".world-group li").len(),
        53
    );
    // Ramallah holds 650 places and their 650 events (and one of its own): 200 of each shown.
    let ramallah = f.page("places/ramallah/");
    assert_eq!(texts(&ramallah, ".own-timeline li").len(), 200);
    assert_eq!(texts(&ramallah, "#entry-contains + ul li").len(), 200);
    assert!(
        texts(&ramallah, ".more")
            .iter()
            .any(|t| t == "And 451 more events on the timeline."),
        "{:?}",
        texts(&ramallah, ".more")
    );
}
