//! Tests of resolving: sources made from strings (as `load` parses files), resolved into a site
//! step by step as the pipeline runs it, and the site and the diagnostics checked.

use super::*;
use crate::diagnostics::{Diagnostics, SourceFile};
use crate::load::{self, Sources};
use crate::site::{ChapterIx, PersonIx};

const SITE: &str = "title = \"T\"\nbase_url = \"https://example.org/\"\n";

/// A small documentary: files as (path, text).
fn sources(files: &[(&str, &str)], d: &mut Diagnostics) -> Sources {
    let mut s = Sources::default();
    for (path, text) in files {
        if path.starts_with("content/chapters/") {
            s.chapters.extend(load::parse_chapter(path, text, d));
        } else if path.starts_with("content/people/") {
            s.people.extend(load::parse_person(path, text, d));
        } else if path.starts_with("content/events/") {
            s.events.extend(load::parse_events(path, text, d));
        } else {
            s.sources.extend(load::parse_sources(path, text, d));
        }
    }
    s.people.sort_by(|a, b| a.id.value.cmp(&b.id.value));
    s
}

/// Resolve `files` as the pipeline does; the site and every problem found, as text.
fn resolve(files: &[(&str, &str)], broken: load::Broken) -> (Site, Vec<String>) {
    let mut d = Diagnostics::default();
    let config = Config::parse(&SourceFile::new("site.toml", SITE), &mut d).expect("site.toml");
    let mut s = sources(files, &mut d);
    s.broken = broken;
    let names = names(&s);
    let matcher = matcher(&names);
    let index = index(&s, names, matcher, &mut d);
    let texts = {
        let jobs = texts(&s, &index, &config);
        let rendered = jobs.iter().map(render_text).collect();
        Texts::new(&s, &jobs, rendered)
    };
    let site = site(s, config, &index, texts, &mut d);
    let lines = d
        .sorted()
        .items
        .iter()
        .map(|x| x.to_string().lines().next().unwrap_or("").to_string())
        .collect();
    (site, lines)
}

const KERRY: (&str, &str) = (
    "content/people/john-kerry.toml",
    "name = \"John Kerry\"\naliases = [\"Kerry\"]\n",
);
const ABBAS: (&str, &str) = (
    "content/people/mahmoud-abbas.toml",
    "name = \"Mahmoud Abbas\"\naliases = [\"Abbas\"]\n",
);
const SOURCE: (&str, &str) = (
    "content/sources.toml",
    "[[source]]\nid = \"report\"\ntitle = \"The Report\"\n",
);

fn chapter(text: &str) -> (&'static str, String) {
    (
        "content/chapters/01-rome.md",
        format!("+++\ntitle = \"Rome\"\nsources = [\"report\"]\n+++\n{text}"),
    )
}

#[test]
fn who_a_chapter_names_and_with_whom_becomes_the_cross_reference_index() {
    let ch = chapter("## Talks {#talks}\n\nKerry met Abbas. They talked.\n\nKerry left.\n");
    let events = (
        "content/events/a.toml",
        "[[event]]\nid = \"meeting\"\ndate = \"2013-07\"\ntitle = \"Meeting\"\npeople = [\"john-kerry\", \"mahmoud-abbas\"]\nchapter = \"rome#talks\"\n",
    );
    let (site, problems) = resolve(
        &[(ch.0, &ch.1), KERRY, ABBAS, SOURCE, events],
        load::Broken::default(),
    );
    assert_eq!(problems, Vec::<String>::new());
    let kerry = &site.people[PersonIx(0)];
    assert_eq!(kerry.id, "john-kerry");
    assert_eq!(kerry.mentions, 2);
    assert_eq!(kerry.appearances[0].chapter, ChapterIx(0));
    assert_eq!(kerry.appearances[0].paragraph.as_deref(), Some("p-1"));
    assert_eq!(kerry.appearances[0].sentence, "Kerry met Abbas.");
    // One shared paragraph and one shared event.
    assert_eq!(kerry.companions, [(PersonIx(1), 2)]);
    assert_eq!(site.co_mentions.get(&(PersonIx(0), PersonIx(1))), Some(&1));
    assert_eq!(site.chapters[0].events.len(), 1);
    assert_eq!(
        site.events[0].chapter,
        Some((ChapterIx(0), Some("talks".to_string())))
    );
    assert_eq!(site.sources[0].chapters, [ChapterIx(0)]);
}

#[test]
fn unknown_references_ids_and_sections_are_located_errors_with_a_suggestion() {
    let ch = chapter("Kerry met [[mahmoud-abas]] in [[chapter:rome#nowhere]].\n");
    let events = (
        "content/events/a.toml",
        "[[event]]\nid = \"x\"\ndate = \"2013\"\ntitle = \"X\"\nchapter = \"rome\"\n\n[[event]]\nid = \"x\"\ndate = \"2014\"\ntitle = \"Y\"\nchapter = \"rom\"\n",
    );
    let (_, problems) = resolve(
        &[(ch.0, &ch.1), KERRY, ABBAS, SOURCE, events],
        load::Broken::default(),
    );
    assert_eq!(
        problems,
        [
            "content/chapters/01-rome.md:5:11: error: unknown person \"mahmoud-abas\"",
            "content/chapters/01-rome.md:5:31: error: chapter \"rome\" has no section \"#nowhere\"",
            "content/events/a.toml:8:6: error: duplicate event id \"x\"",
            "content/events/a.toml:11:11: error: unknown chapter \"rom\"",
            // The misspelt reference was his only mention.
            "content/people/mahmoud-abbas.toml:1:8: warning: Mahmoud Abbas (mahmoud-abbas) is never mentioned in a chapter",
        ]
    );
}

#[test]
fn references_to_what_failed_to_load_are_not_reported_again() {
    let ch = chapter("See [[gene-kranz]] and [[chapter:launch]].\n");
    let events = (
        "content/events/a.toml",
        "[[event]]\nid = \"e\"\ndate = \"1969\"\ntitle = \"E\"\npeople = [\"gene-kranz\"]\nchapter = \"launch\"\n",
    );
    let mut broken = load::Broken::default();
    broken.people.insert("gene-kranz".into());
    broken.chapters.insert("launch".into());
    let (site, problems) = resolve(&[(ch.0, &ch.1), KERRY, SOURCE, events], broken);
    // Not even the warnings: a broken chapter may mention anyone, and the event is told by one.
    assert_eq!(problems, Vec::<String>::new());
    assert!(site.events[0].people.is_empty() && site.events[0].chapter.is_none());
}

#[test]
fn events_are_in_timeline_order_and_loose_ends_are_warnings() {
    let ch = chapter("Kerry waited.\n");
    let events = (
        "content/events/a.toml",
        "[[event]]\nid = \"late\"\ndate = \"2014\"\ntitle = \"Late\"\nchapter = \"rome\"\n\n[[event]]\nid = \"early\"\ndate = \"2013-07-01\"\nchapter = \"rome\"\n\n[[event]]\nid = \"loose\"\ndate = \"2013-08\"\ntitle = \"Loose\"\n",
    );
    let (site, problems) = resolve(
        &[(ch.0, &ch.1), KERRY, ABBAS, SOURCE, events],
        load::Broken::default(),
    );
    let order: Vec<&str> = site.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(order, ["early", "loose", "late"]);
    assert_eq!(
        problems,
        [
            "content/events/a.toml:8:6: warning: event \"early\" has no title",
            "content/events/a.toml:13:6: warning: event \"loose\" is not told by any chapter",
            "content/people/mahmoud-abbas.toml:1:8: warning: Mahmoud Abbas (mahmoud-abbas) is never mentioned in a chapter",
        ]
    );
}

#[test]
fn reserved_ids_are_refused() {
    let reserved = ("content/people/network.toml", "name = \"Net Work\"\n");
    let events = (
        "content/events/a.toml",
        "[[event]]\nid = \"main\"\ndate = \"2013\"\ntitle = \"M\"\nchapter = \"rome\"\n\n[[event]]\nid = \"y2013-07\"\ndate = \"2013\"\ntitle = \"Y\"\nchapter = \"rome\"\n",
    );
    let ch = chapter("Net Work and Kerry.\n");
    let (_, problems) = resolve(
        &[(ch.0, &ch.1), KERRY, SOURCE, reserved, events],
        load::Broken::default(),
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("the person id \"network\" is reserved")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("the event id \"main\" is reserved")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("the event id \"y2013-07\" is reserved")),
        "{problems:?}"
    );
}
