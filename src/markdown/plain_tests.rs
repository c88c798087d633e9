//! Tests of `plain`: the plain text of rendered Markdown and of HTML.
use super::*;

/// The plain text of HTML as the renderer writes it (or an author does).
fn of_html(html: &str) -> (String, Vec<Section>) {
    let mut c = Collector::default();
    c.html(html);
    let p = c.finish();
    (p.intro, p.sections)
}

#[test]
fn the_renderers_own_pieces_read_without_the_tokenizer_read_as_with_it() {
    let pieces = [
        "<p id=\"\u{1}p-1\">",
        "</p>\n",
        "<a class=\"ref-person\" href=\"\0people/ada/\">Ada &amp; Co</a>",
        "<a class=\"ref-place\" href=\"\0places/x/\">Tel Aviv</a>",
        // Not the renderer's shapes: read by the tokenizer either way.
        "<p id=\"a\" class=\"b\">",
        "<a class=\"footnote-back\" href=\"#x\">back</a>",
        "<a class=\"x\" href=\"y\"><em>z</em></a>",
        "<p>",
        "<a class=\"ref-person\" href=\"\0people/ada/\">",
        "Ada &amp; Co",
        "</a>",
        "A &lt;b&gt; \n c",
        " <a class=\"anchor\" href=\"#\u{1}x\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h\u{3}2>\n",
    ];
    for before in ["", "Intro"] {
        let mut fast = Collector::default();
        let mut slow = Collector::default();
        fast.text(before, false);
        slow.text(before, false);
        for piece in pieces {
            if !fast.own_html(piece) {
                fast.html(&crate::markdown::unmarked(piece));
            }
            slow.html(&crate::markdown::unmarked(piece));
            fast.text("word", false);
            slow.text("word", false);
            assert_eq!(fast.buf, slow.buf, "after {piece:?}");
            assert_eq!(fast.pieces, slow.pieces);
        }
    }
    let mut c = Collector::default();
    assert!(c.own_html("</p>\n") && c.own_html("<p id=\"\u{1}p-2\">"));
    assert!(c.own_html("<a class=\"ref-person\" href=\"\0people/ada/\">Ada</a>"));
    assert!(!c.own_html("<a class=\"footnote-back\" href=\"#x\">back</a>"));
    assert!(!c.own_html("<p id=\"a\" class=\"b\">"));
    assert!(c.own_html("</a>") && c.own_html("Ada") && c.own_html("<a class=\"x\" href=\"y\">"));
}

/// The HTML `markdown.rs` writes for a chapter with headings, a footnote and a link.
const CHAPTER: &str = concat!(
    "<p id=\"p-1\"><a class=\"ref-person\" href=\"\0people/ada/\">Ada</a> met Bruno &amp; Co. at dawn &lt;6am&gt;.</p>\n",
    "<h2 id=\"ledger\">The &quot;ledger&quot; <a class=\"anchor\" href=\"#ledger\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h2>\n",
    "<p id=\"p-2\">Okafor read it twice.<sup class=\"footnote-ref\"><a id=\"fnref-count\" href=\"#fn-count\">1</a></sup> ",
    "It&#39;s &#x201C;fine&#8221;.</p><ul><li>one</li><li>two</li></ul>\n",
    "<h3 id=\"wait-ing\">Waiting<a class=\"anchor\" href=\"#wait-ing\" aria-hidden=\"true\"><span>#</span></a></h3>\n",
    "<p>Marsh <em>kept</em> her counsel.<br>Then left.</p><!-- a <p>comment</p> --><script>var x = '<p>';</script>\n",
    "<section class=\"footnotes\" aria-labelledby=\"footnotes\">\n<h2 id=\"footnotes\">Notes</h2>\n<ol>\n",
    "<li id=\"fn-count\"><p id=\"p-4\">Ninety pages.</p>\n<a class=\"footnote-back\" href=\"#fnref-count\" aria-label=\"Back\">↩</a></li>\n</ol>\n</section>\n",
);

#[test]
fn the_tag_stripper_keeps_the_text_and_splits_it_at_headings() {
    let (intro, sections) = of_html(CHAPTER);
    assert_eq!(intro, "Ada met Bruno & Co. at dawn <6am>.");
    let got: Vec<(&str, &str, &str)> = sections
        .iter()
        .map(|s| (s.anchor.as_str(), s.title.as_str(), s.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "ledger",
                "The \"ledger\"",
                "Okafor read it twice. It's \u{201c}fine\u{201d}. one two"
            ),
            ("wait-ing", "Waiting", "Marsh kept her counsel. Then left."),
            ("footnotes", "Notes", "Ninety pages."),
        ]
    );
}

#[test]
fn lone_ampersands_and_unknown_entities_stay_as_written() {
    assert_eq!(
        of_html("<p>A & B &bogus; &#99999999; &amp</p>").0,
        "A & B &bogus; &#99999999; &amp"
    );
}

#[test]
fn a_tag_ends_at_the_first_angle_bracket_outside_quotes() {
    assert_eq!(
        of_html("<p title=\"a > b\" class='c>d'>kept <b>bold</b></p><p data-x=\"never closed>lost")
            .0,
        "kept bold"
    );
    assert_eq!(
        of_html("<p>a</p><p id='x").0,
        "a",
        "a tag that never ends runs to the end"
    );
}

#[test]
fn headings_without_ids_stay_in_the_text_and_an_unclosed_heading_ends_the_text() {
    let (intro, sections) = of_html("<h2>Plain</h2><p>a</p><h2 id=\"x\">Title <em>here</em>");
    assert_eq!(intro, "Plain a");
    assert_eq!(
        sections,
        [Section {
            title: "Title here".into(),
            anchor: "x".into(),
            text: String::new()
        }]
    );
}

#[test]
fn a_rendered_chapter_reads_as_its_html_does() {
    struct None_;
    impl crate::markdown::Resolver for None_ {
        fn resolve(
            &self,
            _: crate::markdown::RefKind,
            id: &str,
            _: Option<&str>,
        ) -> Result<crate::markdown::Target, crate::markdown::Problem> {
            Err(crate::markdown::Problem::new(id, None))
        }
        fn entity(&self, _: crate::markdown::Entity) -> crate::markdown::Target {
            unreachable!()
        }
    }
    let md = "Intro *here*.\n\n## The ledger\n\nOkafor read it[^n] twice.\n\n- one\n- two\n\n![a photo](p.png)Then.\n\n[^n]: Ninety pages.\n";
    let opts = crate::markdown::RenderOptions {
        autolink: crate::config::Autolinks::all(crate::config::Autolink::Off),
        names: None,
        id_prefix: "",
        raw_html: true,
    };
    let r = crate::markdown::render(md, &None_, opts);
    assert_eq!(r.text, {
        let (intro, sections) = of_html(&r.html.at(""));
        PlainText { intro, sections }
    });
    assert_eq!(r.text.intro, "Intro here.");
    assert_eq!(
        r.text.sections[0].text,
        "Okafor read it twice. one two Then."
    );
    assert_eq!(r.text.sections[1].title, "Notes");
}
