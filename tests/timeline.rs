//! The timeline a reader can trust, on `tests/fixtures/chronology`: events of one day in the
//! order the story tells them (chapter, section, file), an imprecise event placed by `sort`,
//! decades and centuries under their own heading with gaps that count what spans cover, named
//! periods, dates before the common era, the span of a chapter's events and a person's dates,
//! and the warnings and errors that keep imprecise dates honest.

mod common;

use common::*;
use scraper::Html;

fn chronology() -> (Fixture, Html) {
    let f = Fixture::new("chronology");
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let page = f.page("timeline/");
    (f, page)
}

/// The ids of the events a page lists, in order.
fn ids(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| e.value().attr("id").unwrap().to_string())
        .collect()
}

/// Where each of `ids` comes in `list`.
fn positions(list: &[String], ids: &[&str]) -> Vec<usize> {
    ids.iter()
        .map(|id| list.iter().position(|x| x == id).unwrap())
        .collect()
}

#[test]
fn same_day_events_come_in_the_order_the_story_tells_them() {
    let (_, doc) = chronology();
    let all = ids(&doc, "li.tl-event");
    let day: Vec<&str> = all
        .iter()
        .map(String::as_str)
        .filter(|id| {
            [
                "alpha-riots",
                "bravo-rockets",
                "mike-signing",
                "yankee-untold",
                "zulu-kidnapping",
            ]
            .contains(id)
        })
        .collect();
    // Chapter 3 before chapter 4; in chapter 4 its first section before its second, and in
    // one section the order of the events file; an event no chapter tells last. Never by id.
    assert_eq!(
        day,
        [
            "mike-signing",
            "zulu-kidnapping",
            "bravo-rockets",
            "alpha-riots",
            "yankee-untold"
        ]
    );
    // Same-day events in one chapter section keep their file order.
    let talks = positions(&all, &["leadership", "vote", "letter"]);
    assert!(talks.windows(2).all(|w| w[0] < w[1]), "{talks:?}");
}

#[test]
fn chapter_lists_and_person_timelines_use_the_timelines_order() {
    let (f, doc) = chronology();
    let all = ids(&doc, "li.tl-event");
    let order = |hrefs: Vec<(String, String)>| -> Vec<usize> {
        let ids: Vec<String> = hrefs
            .iter()
            .map(|(h, _)| h.rsplit_once('#').unwrap().1.to_string())
            .collect();
        positions(&all, &ids.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let end = order(links(&f.page("chapters/the-end/"), ".aside-events a"));
    assert_eq!(end.len(), 9);
    assert!(end.windows(2).all(|w| w[0] < w[1]), "{end:?}");
    let kerry = order(links(&f.page("people/kerry/"), ".own-timeline li > a"));
    assert_eq!(kerry.len(), 4);
    assert!(kerry.windows(2).all(|w| w[0] < w[1]), "{kerry:?}");
}

#[test]
fn sort_places_an_imprecise_event_where_the_story_has_it() {
    let (_, doc) = chronology();
    let all = ids(&doc, "li.tl-event");
    // "2013" with sort = "2013-11": after February and July, before December; shown with its
    // own date, under November, and saying where it was placed.
    let p = positions(&all, &["feb", "letter", "allen", "dec"]);
    assert!(p.windows(2).all(|w| w[0] < w[1]), "{p:?}");
    assert_eq!(
        texts(&doc, "#allen summary .when, #allen summary time"),
        ["2013"]
    );
    let month = doc
        .select(&sel("#y2013-11"))
        .next()
        .expect("a November heading");
    assert_eq!(month.text().collect::<String>(), "November 2013");
    let placed = texts(&doc, "#allen .tl-meta div");
    assert!(
        placed.iter().any(|t| t.starts_with("PlacedNovember 2013")),
        "{placed:?}"
    );
}

#[test]
fn a_sort_date_outside_the_events_date_is_an_error() {
    let f = Fixture::new("chronology");
    f.write(
        "content/events/c.toml",
        "[[event]]\nid = \"moved\"\ndate = \"2013\"\nsort = \"2014-02\"\ntitle = \"Moved\"\nchapter = \"the-year\"\n",
    );
    let r = f.build();
    assert!(!r.ok());
    let text = messages(&r);
    assert!(
        text.contains("content/events/c.toml:4:8: error: the sort date \"2014-02\" (February 2014) is outside the event's date (2013)"),
        "{text}"
    );
}

#[test]
fn an_imprecise_event_placed_before_what_its_chapter_tells_first_is_reported() {
    let f = Fixture::new("chronology");
    // Told in the last section of "the talks", known only to July: it would sort before the
    // events of July 18 to 29 that the chapter tells first; the latest of them is named.
    f.write(
        "content/events/c.toml",
        "[[event]]\nid = \"vague\"\ndate = \"2013-07\"\ntitle = \"Vague\"\nchapter = \"the-talks#third\"\n\n[[event]]\nid = \"decade\"\ndate = \"201X\"\ntitle = \"A decade\"\nchapter = \"the-talks#third\"\n",
    );
    let r = f.build();
    let warnings: Vec<String> = r
        .diagnostics
        .items
        .iter()
        .map(|d| d.to_string())
        .filter(|d| d.contains("unplaced") || d.contains("comes before"))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0],
        "content/events/c.toml:3:8: warning: event \"vague\" (July 2013) comes before \"letter\" (July 29, 2013) on the timeline, but chapter \"the-talks\" tells it after\n  |\n3 | date = \"2013-07\"\n  |        ^^^^^^^^^\n  = help: a date known only to the month sorts at its start; add `sort = \"2013-07-29\"` (or the date the sources support) to place it where the story has it"
    );
    // With the sort the warning suggests, it is placed after the meeting, and nothing is said.
    f.write(
        "content/events/c.toml",
        "[[event]]\nid = \"vague\"\ndate = \"2013-07\"\nsort = \"2013-07-29\"\ntitle = \"Vague\"\nchapter = \"the-talks#third\"\n",
    );
    let r = f.build();
    assert!(!messages(&r).contains("comes before"), "{}", messages(&r));
    let all = ids(&f.page("timeline/"), "li.tl-event");
    let p = positions(&all, &["leadership", "letter", "vague"]);
    assert!(p.windows(2).all(|w| w[0] < w[1]), "{p:?}");
}

#[test]
fn decades_and_centuries_have_their_own_heading_and_gaps_count_what_events_cover() {
    let (_, doc) = chronology();
    let headings = texts(&doc, ".tl-year-label");
    assert_eq!(
        headings,
        [
            "200–101 BCE",
            "44 BCE",
            "14 CE",
            "The 1960s",
            "1967",
            "1972",
            "1975",
            "1980",
            "2013",
            "2014",
            "2014"
        ]
    );
    let gaps = texts(&doc, ".tl-gap");
    assert_eq!(
        gaps,
        [
            // The century covers 200 to 101 BCE.
            "56 years without events, 100 BCE–45 BCE",
            "1945 years without events, 15 CE–1959",
            // The decade covers 1968 and 1969: no gap before 1972 claims them.
            "2 years without events, 1970–1971",
            "2 years without events, 1973–1974",
            // 1975/1978 covers 1976 to 1978.
            "1 year without events, 1979",
            "32 years without events, 1981–2012",
        ]
    );
    // What the filter recomputes from: each year's span, and an event that runs past it.
    let decade = doc
        .select(&sel("section.tl-year[data-start='1960']"))
        .next()
        .unwrap();
    assert_eq!(decade.value().attr("data-end"), Some("1969"));
    let span = doc.select(&sel("#span")).next().unwrap();
    assert_eq!(span.value().attr("data-last"), Some("1978"));
}

#[test]
fn named_periods_are_sections_with_their_own_heading() {
    let (_, doc) = chronology();
    assert_eq!(
        texts(&doc, ".tl-era-label"),
        [
            "Antiquity until 100 CE",
            "From the 1960s",
            "The year January 2013 – April 2014",
            "After from May 2014 on"
        ]
    );
    // Years are headed one level below their period, months one below that.
    assert_eq!(doc.select(&sel("h3.tl-year-label")).count(), 11);
    assert!(doc.select(&sel("h4#y2013-07")).next().is_some());
    // A year that runs into the next period is headed again there, under its own id.
    assert!(doc.select(&sel("h3#y2014-era-after")).next().is_some());
}

#[test]
fn one_line_per_event_opens_to_the_rest_and_sources_are_named_once() {
    let (_, doc) = chronology();
    let line = doc
        .select(&sel("#leadership > details > summary"))
        .next()
        .unwrap();
    let text: String = line.text().collect::<Vec<_>>().join(" ");
    assert_eq!(
        text.split_whitespace().collect::<Vec<_>>().join(" "),
        "July 18, 2013 The leadership meets Kerry"
    );
    // The long title appears once on the page, in the list of sources; events use its label.
    let html = doc.html();
    assert_eq!(
        html.matches("a very long title that the timeline").count(),
        1
    );
    assert_eq!(
        texts(&doc, "#leadership .tl-meta dd a[href*='sources/']"),
        ["The Paper, 2014"]
    );
    assert_eq!(texts(&doc, ".tl-sources h2"), ["Sources of these events"]);
}

#[test]
fn dates_before_the_common_era_have_no_datetime_and_read_with_their_era() {
    let (f, doc) = chronology();
    let ides = doc.select(&sel("#ides summary .when")).next().unwrap();
    assert_eq!(ides.text().collect::<String>(), "March 15, 44 BCE");
    assert_eq!(ides.value().attr("data-edtf"), Some("-0043-03-15"));
    assert!(doc.select(&sel("#ides time")).next().is_none());
    let augustus = doc.select(&sel("#augustus summary time")).next().unwrap();
    assert_eq!(augustus.value().attr("datetime"), Some("0014-08-19"));
    assert_eq!(
        texts(&doc, "#reign summary .when"),
        ["44 BCE – August 19, 14 CE"]
    );
    // In JSON-LD, an event before year 1 has no startDate; one after it has its end.
    let ld = doc
        .select(&sel("script[type='application/ld+json']"))
        .next()
        .unwrap()
        .inner_html();
    let v: serde_json::Value = serde_json::from_str(&ld).unwrap();
    let items = v["itemListElement"].as_array().unwrap();
    let item = |id: &str| {
        items
            .iter()
            .map(|i| &i["item"])
            .find(|i| i["url"].as_str().unwrap().ends_with(&format!("#{id}")))
            .unwrap()
    };
    assert!(item("ides").get("startDate").is_none());
    assert_eq!(item("reign")["endDate"], "0014-08-19");
    assert_eq!(item("span")["endDate"], "1978");
    let caesar = f.page("people/caesar/");
    assert_eq!(
        texts(&caesar, ".person-dates li"),
        [
            "Born July 100 BCE",
            "Died March 15, 44 BCE",
            "In the story March 15, 44 BCE",
            "Their 1 event on the timeline"
        ]
    );
}

#[test]
fn a_chapter_shows_the_span_of_its_events_and_a_person_their_dates() {
    let (f, _) = chronology();
    assert_eq!(
        texts(&f.page("chapters/the-talks/"), ".chapter-when"),
        ["When July 18–29, 2013"]
    );
    assert_eq!(
        texts(&f.page("chapters/the-end/"), ".chapter-when"),
        ["When the 1960s – June 2014"]
    );
    let kerry = f.page("people/kerry/");
    assert_eq!(
        texts(&kerry, ".person-dates li"),
        [
            "Born December 11, 1943",
            "In the story July 18, 2013 – April 1, 2014",
            "Their 4 events on the timeline"
        ]
    );
    assert_eq!(
        links(&kerry, ".person-dates a")[0].0,
        "../../timeline/?person=kerry#leadership"
    );
}

#[test]
fn the_rail_and_the_strip_lead_to_the_dense_years_months() {
    let f = Fixture::new("chronology");
    // Thirteen more events in 2013 make it dense: the rail lists its months and the strip
    // draws them.
    let mut more = String::new();
    for k in 1..=13 {
        more += &format!(
            "[[event]]\nid = \"more-{k}\"\ndate = \"2013-{:02}-10\"\ntitle = \"More {k}\"\nchapter = \"the-year#late\"\n\n",
            1 + k % 12
        );
    }
    f.write("content/events/c.toml", more);
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let doc = f.page("timeline/");
    let months = links(&doc, ".tl-rail li[data-key='y2013'] .tl-rail-months a");
    assert_eq!(months.len(), 12);
    assert!(months.iter().all(|(h, _)| h.starts_with("#y2013-")));
    // The strip: a bar per month of the dense years, each linking to its month, out of the tab
    // order and hidden from assistive technology (the rail says the same in words).
    let strip = doc.select(&sel("svg.tl-strip")).next().expect("a strip");
    assert_eq!(strip.value().attr("aria-hidden"), Some("true"));
    let bars = links(&doc, "svg.tl-strip a");
    assert_eq!(bars.len(), 12);
    assert!(
        doc.select(&sel("svg.tl-strip a"))
            .all(|a| a.value().attr("tabindex") == Some("-1"))
    );
    for (href, _) in &bars {
        assert!(
            doc.select(&sel(href)).next().is_some(),
            "{href} has no target"
        );
    }
    assert_eq!(
        texts(&doc, ".tl-overview figcaption")[0]
            .split('.')
            .next()
            .unwrap(),
        "Events per month, January 2013 to December 2013"
    );
}

#[test]
fn overlapping_eras_are_an_error() {
    let f = Fixture::new("chronology");
    let site = std::fs::read_to_string(f.root().join("site.toml")).unwrap();
    f.write(
        "site.toml",
        site + "\n[[era]]\nname = \"Overlap\"\nstart = \"2014-04\"\nend = \"2014-06\"\n",
    );
    let r = f.build();
    assert!(!r.ok());
    assert!(
        messages(&r).contains("error: the era \"After\" overlaps the era \"Overlap\""),
        "{}",
        messages(&r)
    );
}

/// The Nu HTML checker's jar: `VNU_JAR`, or the one the browser suite installs.
fn vnu_jar() -> Option<std::path::PathBuf> {
    let jar = std::env::var_os("VNU_JAR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar")
        });
    let java = std::process::Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    (jar.is_file() && java).then_some(jar)
}

/// Dates before the common era (no `datetime`, their era in words) and spans across it are
/// valid HTML: the pages that show them pass the Nu checker. Runs when Java and vnu are
/// installed (`.ci/browser.sh` installs both); `DOSSIER_REQUIRE_VNU` makes their absence fail.
#[test]
fn dates_before_the_common_era_pass_the_nu_checker() {
    let Some(jar) = vnu_jar() else {
        assert!(
            std::env::var_os("DOSSIER_REQUIRE_VNU").is_none(),
            "DOSSIER_REQUIRE_VNU is set, but java or vnu.jar is missing"
        );
        eprintln!("skipped: no java or vnu.jar (run .ci/browser.sh to install them)");
        return;
    };
    let (f, _) = chronology();
    let pages = ["", "timeline/", "chapters/rome/", "people/caesar/"];
    let files: Vec<std::path::PathBuf> = pages
        .iter()
        .map(|p| f.out().join(p).join("index.html"))
        .collect();
    for p in &files[1..] {
        let html = std::fs::read_to_string(p).unwrap();
        assert!(html.contains("44 BCE"), "{} shows a BCE date", p.display());
    }
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "text"])
        .args(&files)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !report.contains(": error"),
        "the Nu checker found errors:\n{report}"
    );
}
