//! Tests of rendering Markdown: references, auto-links, ids, footnotes, links and words.

use super::*;

struct People;
const NAMES: [&str; 3] = ["John Kerry", "Naftali Bennett", "Bennett"];
const IDS: [&str; 3] = ["john-kerry", "naftali-bennett", "naftali-bennett"];

impl Resolver for People {
    fn resolve(&self, kind: RefKind, id: &str, anchor: Option<&str>) -> Result<Target, Problem> {
        match (kind, id) {
            (RefKind::Person, "john-kerry") => Ok(self.entity(Entity::person(0))),
            (RefKind::Chapter, "rome") => Ok(Target {
                url: format!(
                    "chapters/rome/{}",
                    anchor.map(|a| format!("#{a}")).unwrap_or_default()
                ),
                text: "Rome".into(),
                class: "ref-chapter",
                entity: None,
                anchor: anchor.map(|a| (0, a.to_string())),
            }),
            _ => Err(Problem::new(format!("unknown {kind:?} \"{id}\""), None)),
        }
    }
    fn entity(&self, e: Entity) -> Target {
        let index = e.ix;
        let id = if index == 0 {
            "john-kerry"
        } else {
            "naftali-bennett"
        };
        Target {
            url: format!("people/{id}/"),
            text: NAMES[index].into(),
            class: "ref-person",
            entity: Some(e),
            anchor: None,
        }
    }
}

fn matcher() -> NameMatcher {
    let names: Vec<(String, Entity)> = NAMES
        .iter()
        .zip(IDS)
        .map(|(n, id)| {
            (
                n.to_string(),
                Entity::person(usize::from(id != "john-kerry")),
            )
        })
        .collect();
    NameMatcher::new(&names).0
}

fn html(md: &str, mode: Autolink) -> Rendered {
    let m = matcher();
    render(
        md,
        &People,
        RenderOptions {
            autolink: Autolinks::all(mode),
            names: Some(&m),
            id_prefix: "",
            raw_html: true,
        },
    )
}

#[test]
fn references_resolve_with_relative_root() {
    let r = html(
        "See [[john-kerry]] and [[john-kerry|the secretary]].",
        Autolink::Off,
    );
    assert_eq!(
        r.html.at("../../"),
        "<p id=\"p-1\">See <a class=\"ref-person\" href=\"../../people/john-kerry/\">John Kerry</a> and <a class=\"ref-person\" href=\"../../people/john-kerry/\">the secretary</a>.</p>\n"
    );
    assert!(r.problems.is_empty());
}

#[test]
fn unknown_reference_is_a_located_problem() {
    let md = "Hello [[jon-kerry]] there.";
    let r = html(md, Autolink::Off);
    assert_eq!(r.problems.len(), 1);
    assert_eq!(&md[r.problems[0].range.clone()], "[[jon-kerry]]");
    assert!(
        r.html
            .at("\0")
            .contains("<span class=\"broken-link\">jon-kerry</span>")
    );
}

#[test]
fn character_references() {
    assert_eq!(char_ref("&amp;x"), Some(('&', 5)));
    assert_eq!(char_ref("&#x2F;"), Some(('/', 6)));
    assert_eq!(char_ref("&#47;"), Some(('/', 5)));
    assert_eq!(char_ref("&nbsp;"), Some(('\u{a0}', 6)));
    for none in [
        "&",
        "&unknown;",
        "&#xZZ;",
        "&#1114112;",
        "& amp",
        "&\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9};",
    ] {
        assert_eq!(char_ref(none), None, "{none:?}");
    }
}

#[test]
fn words_are_counted_as_split_whitespace_counts_them_in_any_mix() {
    let pieces = [
        "a",
        "word",
        " ",
        "  ",
        "\t",
        "\n",
        "\u{0b}",
        "\u{0c}",
        "\r",
        "\u{8}",
        "\u{e}",
        "\u{1f}",
        "!",
        "\u{7f}",
        "\u{1c}",
        "\u{a0}",
        "\u{85}",
        "\u{2003}",
        "\u{3000}",
        "é",
        "\u{201c}",
        "x\u{2028}y",
        "\u{1680}",
        "\u{feff}",
    ];
    let mut seed: u64 = 7;
    for _ in 0..5000 {
        let mut t = String::new();
        for _ in 0..(seed % 40) {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            t.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        assert_eq!(count_words(&t), t.split_whitespace().count(), "{t:?}");
    }
}

#[test]
fn words_are_counted_as_split_whitespace_counts_them() {
    for t in [
        "",
        " ",
        "one",
        " two  words ",
        "tab\tand\nnewline",
        "non\u{a0}breaking",
        "em\u{2003}space and\u{3000}ideographic",
        "caf\u{e9} \u{201c}quoted\u{201d} \u{2014} dash",
        "\u{85}next line",
        "\u{e1}\u{e9} \u{1680}ogham",
    ] {
        assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
    }
}

#[test]
fn autolink_first_mention_longest_name_whole_words() {
    let r = html(
        "# Bennett\n\nNaftali Bennett spoke. Bennett again. Bennettism no. John Kerry listened.",
        Autolink::First,
    );
    let h = r.html.at("\0");
    assert!(h.contains("<h1 id=\"bennett\">Bennett"), "{h}");
    assert!(h.contains("<a class=\"ref-person\" href=\"\0people/naftali-bennett/\">Naftali Bennett</a> spoke. Bennett again."), "{h}");
    assert!(h.contains("Bennettism no."));
    assert!(h.contains(">John Kerry</a> listened"));
    let got: Vec<(usize, Option<&str>, &str, usize)> = r
        .cast
        .iter()
        .map(|n| {
            (
                n.entity.ix,
                n.paragraph.as_deref(),
                n.sentence.as_str(),
                n.count,
            )
        })
        .collect();
    // Each person once, in order of first mention, with that mention's paragraph and
    // sentence, and a count of all mentions (the heading's is not one).
    assert_eq!(
        got,
        [
            (1, Some("p-1"), "Naftali Bennett spoke.", 2),
            (0, Some("p-1"), "John Kerry listened.", 1)
        ]
    );
    assert_eq!(r.pairs, [(0, 1)]);
}

#[test]
fn pairs_are_people_named_in_the_same_paragraph_once_per_paragraph() {
    let r = html(
        "John Kerry and Bennett, then Bennett and John Kerry again.\n\nBennett alone.\n\n- John Kerry in a list\n\nJohn Kerry and Naftali Bennett.",
        Autolink::First,
    );
    assert_eq!(r.pairs, [(0, 1), (0, 1)]);
    let got: Vec<(usize, Option<&str>, usize)> = r
        .cast
        .iter()
        .map(|n| (n.entity.ix, n.paragraph.as_deref(), n.count))
        .collect();
    assert_eq!(got, [(0, Some("p-1"), 4), (1, Some("p-1"), 4)]);
}

#[test]
fn names_are_found_only_as_whole_words() {
    let m = matcher();
    let found = |t: &str| {
        m.find(t)
            .map(|(r, p)| (t[r].to_string(), p.ix))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        found("Bennett"),
        [("Bennett".to_string(), 1)],
        "at the very start and end"
    );
    assert_eq!(
        found("John Kerry, Naftali Bennett."),
        [
            ("John Kerry".to_string(), 0),
            ("Naftali Bennett".to_string(), 1)
        ]
    );
    // Inside a word (after a letter, a non-ASCII letter, a digit or "_"), or running on into one.
    assert!(found("McBennett éBennett 2Bennett _Bennett Bennetts Bennett_x").is_empty());
    // A longer name that runs on into a word does not hide a shorter one after it.
    assert_eq!(
        found("Naftali Bennettism; Bennett"),
        [("Bennett".to_string(), 1)]
    );
    // After punctuation and typographic quotes.
    assert_eq!(
        found("“Bennett”—(John Kerry)"),
        [("Bennett".to_string(), 1), ("John Kerry".to_string(), 0)]
    );
}

#[test]
fn no_autolink_in_code_or_links() {
    let r = html(
        "`John Kerry` and [John Kerry](https://example.org) and John Kerry.",
        Autolink::First,
    );
    let h = r.html.at("\0");
    assert!(h.contains("<code>John Kerry</code>"));
    assert!(h.contains("<a href=\"https://example.org\">John Kerry</a>"));
    assert!(
        h.contains("and <a class=\"ref-person\" href=\"\0people/john-kerry/\">John Kerry</a>."),
        "{h}"
    );
}

#[test]
fn autolink_all_links_every_mention() {
    let r = html("John Kerry met John Kerry.", Autolink::All);
    assert_eq!(r.html.at("\0").matches("<a ").count(), 2);
}

#[test]
fn headings_get_ids_and_toc() {
    let r = html(
        "## In Rome {#rome}\n\n## In Rome\n\n## In Rome",
        Autolink::Off,
    );
    let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["rome", "in-rome", "in-rome-1"]);
}

#[test]
fn footnotes_are_numbered_and_collected_at_the_end() {
    let r = html(
        "Text[^a] and more[^b].\n\n[^b]: Second.\n[^a]: First.\n",
        Autolink::Off,
    );
    let h = r.html.at("\0");
    let first = h.find("<li id=\"fn-a\">").unwrap();
    let second = h.find("<li id=\"fn-b\">").unwrap();
    assert!(first < second, "{h}");
    assert!(h.contains("href=\"#fn-a\" aria-label=\"Note 1\">1</a>"));
}

#[test]
fn unsafe_urls_are_refused() {
    let r = html(
        "[x](javascript:alert(1)) [y](https://ok.org) [z](../rel/)",
        Autolink::Off,
    );
    assert_eq!(r.problems.len(), 1);
    assert!(!r.html.at("\0").contains("javascript:"));
    assert!(
        is_safe_url("#frag")
            && is_safe_url("a/b:c")
            && !is_safe_url(" JavaScript:x")
            && !is_safe_url("data:x")
    );
}

#[test]
fn chapter_anchor_references_are_collected_for_checking() {
    let r = html("See [[chapter:rome#hotel]].", Autolink::Off);
    assert_eq!(r.anchors, vec![(0, "hotel".to_string(), 4..26)]);
}

#[test]
fn line_breaks_are_spaces_in_context_sentences() {
    let r = html("Then John Kerry\nspoke at length.", Autolink::Off);
    assert_eq!(r.cast[0].sentence, "Then John Kerry spoke at length.");
}

#[test]
fn raw_html_is_text_unless_allowed_and_ids_are_escaped() {
    let m = matcher();
    let opts = RenderOptions {
        autolink: Autolinks::all(Autolink::Off),
        names: Some(&m),
        id_prefix: "\"><x-",
        raw_html: false,
    };
    let r = render(
        "Hi <b>there</b>[^n]\n\n<div onclick=\"x\">block</div>\n\n[^n]: Note.\n",
        &People,
        opts,
    );
    let h = r.html.at("\0");
    assert!(
        !h.contains("<b>") && !h.contains("<div") && !h.contains("\"><x"),
        "{h}"
    );
    assert!(
        h.contains("Hi &lt;b&gt;there&lt;/b&gt;")
            && h.contains("&lt;div onclick=\"x\"&gt;block&lt;/div&gt;"),
        "{h}"
    );
    assert!(h.contains("<p id=\"&quot;&gt;&lt;x-p-1\">"), "{h}");
    assert!(
        html("Hi <b>there</b>", Autolink::Off)
            .html
            .at("\0")
            .contains("Hi <b>there</b>")
    );
}

#[test]
fn sentence_context() {
    assert_eq!(
        sentence_at("First one. Then Kerry spoke at U.N. sessions. Last.", 16),
        "Then Kerry spoke at U.N. sessions."
    );
}

/// The ids of a text's elements, and its problems' messages.
fn ids_and_problems(md: &str) -> (Vec<String>, Vec<String>) {
    let r = html(md, Autolink::Off);
    (r.ids, r.problems.into_iter().map(|p| p.message).collect())
}

#[test]
fn ids_made_from_headings_never_collide_with_another_id_of_the_page() {
    let (ids, problems) = ids_and_problems(
        "## Same\n\n## Same\n\n## Same 1\n\n## Footnotes\n\n## Main\n\n## Rome\n\n## Later {#rome}\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let headings: Vec<&String> = ids.iter().filter(|i| !i.starts_with("p-")).collect();
    assert_eq!(
        headings,
        [
            "same",
            "same-1",
            "same-1-1",
            "footnotes-1",
            "main-1",
            "rome-1",
            "rome"
        ]
    );
}

#[test]
fn an_authors_id_is_never_renamed_and_a_taken_one_is_an_error() {
    let (ids, problems) = ids_and_problems(
        "## One {#same}\n\n## Two {#same}\n\n## Three {#main}\n\n## Four {#p-2}\n",
    );
    assert_eq!(
        ids.iter().filter(|i| *i == "same").count(),
        2,
        "kept as written: {ids:?}"
    );
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].contains("\"same\" is already used on this page, by another heading"));
    assert!(
        problems[1].contains("\"main\" is already used on this page, by the page's own element")
    );
    assert!(problems[2].contains("\"p-2\" is already used on this page, by a paragraph"));
}

#[test]
fn footnote_labels_match_whatever_their_case_and_slugs_stay_distinct() {
    let r = html(
        "A[^Note] b[^!] c[^?].\n\n[^note]: One.\n[^!]: Two.\n[^?]: Three.\n",
        Autolink::Off,
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let notes: Vec<&String> = r.ids.iter().filter(|i| i.starts_with("fn-")).collect();
    assert_eq!(notes.len(), 3, "{:?}", r.ids);
    let unique: std::collections::HashSet<&&String> = notes.iter().collect();
    assert_eq!(unique.len(), 3, "{notes:?}");
    let h = r.html.at("");
    assert!(
        h.contains("aria-label=\"Note 1\">1</a>") && h.contains("One."),
        "{h}"
    );
}

#[test]
fn a_note_defined_twice_is_an_error() {
    let (_, problems) = ids_and_problems("A[^a].\n\n[^a]: One.\n\n[^A]: Again.\n");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("the note [^A] is defined twice"),
        "{problems:?}"
    );
}

#[test]
fn only_a_real_scheme_makes_a_link_absolute() {
    let r = html(
        "[at](12:30) [b](foo\\)\\:) [c](javascript:x) [d](java&#x09;script:x)",
        Autolink::Off,
    );
    let problems: Vec<&str> = r.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems.iter().all(|p| p.starts_with("unsafe link")));
    assert!(r.html.at("").contains("<a href=\"12:30\">at</a>"));
    assert!(
        is_safe_url("12:30")
            && is_safe_url("a/b:c")
            && !is_safe_url("java\tscript:x")
            && !is_safe_url(" JavaScript:x")
    );
}

#[test]
fn a_reference_inside_a_links_text_or_an_images_description_is_reported() {
    for md in [
        "[the report by [[john-kerry]]](https://e.org)",
        "![photo of [[john-kerry]]](a.png)",
    ] {
        let (_, problems) = ids_and_problems(md);
        assert_eq!(problems.len(), 1, "{md}: {problems:?}");
        assert!(
            problems[0].contains("is inside a link's text or an image's description"),
            "{problems:?}"
        );
    }
}

/// People `p0`, `p1`, … as many as asked for (issue 17, item 12).
struct Crowd;

impl Resolver for Crowd {
    fn resolve(&self, kind: RefKind, id: &str, _: Option<&str>) -> Result<Target, Problem> {
        match (kind, id.strip_prefix('p').and_then(|n| n.parse().ok())) {
            (RefKind::Person, Some(n)) => Ok(self.entity(Entity::person(n))),
            _ => Err(Problem::new("unknown", None)),
        }
    }
    fn entity(&self, e: Entity) -> Target {
        let index = e.ix;
        Target {
            url: format!("people/p{index}/"),
            text: format!("Person P{index}"),
            class: "ref-person",
            entity: Some(e),
            anchor: None,
        }
    }
}

fn roll_call(people: usize) -> Rendered {
    let text: Vec<String> = (0..people).map(|i| format!("[[p{i}]]")).collect();
    render(
        &format!("{}.\n\nThen [[p0]] and [[p1]].", text.join(" ")),
        &Crowd,
        RenderOptions {
            autolink: Autolinks::all(Autolink::First),
            names: None,
            id_prefix: "",
            raw_html: true,
        },
    )
}

#[test]
fn a_paragraph_naming_a_crowd_ties_no_pairs_and_costs_linear_time() {
    // Up to the limit of a scene, every pair, once per paragraph.
    let r = roll_call(PARAGRAPH_PEOPLE_MAX);
    assert_eq!(
        r.pairs.len(),
        PARAGRAPH_PEOPLE_MAX * (PARAGRAPH_PEOPLE_MAX - 1) / 2 + 1
    );
    // Past it (a list), none but the next paragraph's; everyone is still in the cast, counted.
    let r = roll_call(PARAGRAPH_PEOPLE_MAX + 1);
    assert_eq!(r.pairs, [(0, 1)]);
    assert_eq!(r.cast.len(), PARAGRAPH_PEOPLE_MAX + 1);
    assert_eq!((r.cast[0].count, r.cast[2].count), (2, 1));
    // The issue's case: 10,000 people in one paragraph made 50 million pairs (64 s, 9.4 GB).
    let r = roll_call(10_000);
    assert_eq!(r.pairs, [(0, 1)]);
    assert_eq!(r.cast.len(), 10_000);
    assert_eq!(r.cast[9_999].paragraph.as_deref(), Some("p-1"));
    assert!(r.cast[9_999].sentence.starts_with("…Person P9"));
    assert!(r.cast[9_999].sentence.ends_with("Person P9999."));
}

#[test]
fn a_sentence_is_looked_for_near_its_mention_only() {
    let long = "word ".repeat(1_000);
    let text = format!("Before. {long}Kerry spoke. After.");
    let at = text.find("Kerry").unwrap();
    let s = sentence_at(&text, at);
    assert!(
        s.starts_with("…word word") && s.ends_with("word Kerry spoke."),
        "{s}"
    );
    assert!(s.len() < 200, "{s}");
    // A sentence that starts within reach is the same as ever.
    let text = format!("Before. {}Kerry spoke. After.", "word ".repeat(300));
    let s = sentence_at(&text, text.find("Kerry").unwrap());
    assert!(s.starts_with("word word") && s.ends_with("word…"), "{s}");
    let text = format!("Before. Kerry {}spoke. After.", "word ".repeat(1_000));
    let s = sentence_at(&text, text.find("Kerry").unwrap());
    assert!(s.starts_with("Kerry word") && s.ends_with('…'), "{s}");
}

#[test]
fn the_automaton_of_names_costs_little_memory_per_name() {
    // 100,000 aliases of non-ASCII letters: as a DFA, about 20 KB each (2.4 GB).
    let mut seed = 7u32;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    let letters: Vec<char> = ('\u{c0}'..='\u{24f}')
        .chain('\u{391}'..='\u{3a9}')
        .chain('\u{410}'..='\u{44f}')
        .chain('\u{4e00}'..='\u{4fff}')
        .collect();
    let mut word = || -> String {
        (0..3 + next() % 5)
            .map(|_| letters[next() as usize % letters.len()])
            .collect()
    };
    let names: Vec<(String, Entity)> = (0..100_000)
        .map(|i| (format!("{} {}", word(), word()), Entity::person(i / 10)))
        .collect();
    let bytes: usize = names.iter().map(|(n, _)| n.len()).sum();
    let (m, _) = NameMatcher::new(&names);
    let per_byte = m.memory_usage() as f64 / bytes as f64;
    assert!(
        per_byte < 40.0,
        "{per_byte:.0} bytes of automaton per byte of names"
    );
    let text = format!("Here {} spoke.", names[12_345].0);
    let found: Vec<usize> = m.find(&text).map(|(_, p)| p.ix).collect();
    assert_eq!(found, [1_234]);
}
