//! The records of the search index, made from the resolved `Site`: one [`Doc`] per chapter, person,
//! event, place, organization and glossary term, with the text a result shows, the sections of a chapter, and the words that weigh
//! more (titles, headings, names). It reads what the renderer already made (a chapter's plain
//! text and sections, a biography's flat text) and re-parses nothing. Turning the text into words
//! is `tokens`'; weighing and sorting the words is `postings`'; writing the records is `json`'s.

use rayon::prelude::*;

use crate::markdown::Section;
use crate::site::{Chapter, Entry, Event, Person, Site, WorldKind};

/// A document keeps at most this many bytes of text (its sections' included).
pub(super) const DOC_TEXT_BYTES: usize = 45_000;
/// A document's JSON stays within this many bytes whatever it holds (thousands of headings, a
/// heading or a title of 200 KB, text of control characters, each written as six bytes), so a
/// chunk of documents stays under 100 KB: one reached 595 KB. See [`Doc::fit`].
pub(super) const DOC_JSON_BYTES: usize = 90_000;
/// A title or heading is shown in results cut to this many bytes.
const SHOWN_TITLE_BYTES: usize = 1_000;
/// A URL longer than this (an event with an id of kilobytes) leads to its page, without the
/// fragment.
const URL_BYTES: usize = 2_000;
/// The weight of one word of a title, a heading, and a person's name or alias (a word of the text
/// weighs 1).
pub(super) const TITLE: u32 = 8;
const HEADING: u32 = 3;
const NAME: u32 = 8;

/// What a record is: shown as the group of results it belongs to. A new kind of page (a place, an
/// organization, a term) is one more variant here and one more function making its records: the
/// client reads the groups, their labels and which kinds are entities from `meta.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Chapter,
    Person,
    Event,
    Place,
    Organization,
    Term,
}

impl Kind {
    /// Every kind, in the order of the records and of `meta.json`'s `groups`.
    pub(super) const ALL: [Kind; 6] = [
        Kind::Chapter,
        Kind::Person,
        Kind::Event,
        Kind::Place,
        Kind::Organization,
        Kind::Term,
    ];

    /// The record kind of the world's `kind`.
    fn of(kind: WorldKind) -> Kind {
        match kind {
            WorldKind::Place => Kind::Place,
            WorldKind::Organization => Kind::Organization,
            WorldKind::Term => Kind::Term,
        }
    }

    /// The name the JSON gives it.
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Chapter => "Chapter",
            Kind::Person => "Person",
            Kind::Event => "Event",
            Kind::Place => "Place",
            Kind::Organization => "Organization",
            Kind::Term => "Term",
        }
    }

    /// The heading of its group of results.
    pub(super) fn label(self) -> &'static str {
        match self {
            Kind::Chapter => "Chapters",
            Kind::Person => "People",
            Kind::Event => "Events",
            Kind::Place => "Places",
            Kind::Organization => "Organizations",
            Kind::Term => "Glossary",
        }
    }

    /// How many of its results the search box shows at most.
    pub(super) fn shown(self) -> usize {
        match self {
            Kind::Event => 5,
            _ => 4,
        }
    }

    /// Chapters, people and events: in every index's groups, even with none.
    pub(super) fn core(self) -> bool {
        matches!(self, Kind::Chapter | Kind::Person | Kind::Event)
    }

    /// Whether its records are entities, known by a name and aliases: a query that is one of
    /// them exactly (or nearly, see `static/search.js`) makes the record the "best match".
    pub(super) fn entity(self) -> bool {
        !matches!(self, Kind::Chapter | Kind::Event)
    }
}

/// One record of the index: what is searched and what the results show.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Doc {
    pub(super) kind: Kind,
    pub(super) title: String,
    pub(super) url: String,
    pub(super) text: String,
    pub(super) sections: Vec<Section>,
    /// Words worth more than the text's: (text, weight of each word).
    pub(super) boosts: Vec<(String, u32)>,
    /// An entity's name and aliases (none for other kinds): their words are flagged in the
    /// postings (see `postings`), and the client compares a query with each of them whole.
    pub(super) names: Vec<String>,
}

/// Every record of `site`: chapters, people, events, each list built in parallel.
pub(super) fn documents(site: &Site) -> Vec<Doc> {
    let mut docs: Vec<Doc> = site.chapters.par_iter().map(chapter).collect();
    docs.par_extend(site.people.par_iter().map(person));
    docs.par_extend(site.events.par_iter().map(|e| event(site, e)));
    for kind in WorldKind::ALL {
        docs.par_extend(site.world.of(kind).par_iter().map(entry));
    }
    docs
}

/// A place, an organization or a term: its name, aliases, kind, side, summary and description.
fn entry(e: &Entry) -> Doc {
    let aliases = e.aliases.join(", ");
    let names: Vec<String> = std::iter::once(&e.name)
        .chain(&e.aliases)
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    let boosts = names.iter().map(|n| (n.clone(), NAME)).collect();
    let text = sentences(&[
        &e.name,
        &aliases,
        &e.category,
        &e.side,
        &e.summary,
        &e.description_text,
    ]);
    let mut doc = Doc {
        kind: Kind::of(e.kind),
        title: e.name.clone(),
        url: e.url.clone(),
        text,
        sections: Vec::new(),
        boosts,
        names,
    };
    doc.fit();
    doc
}

/// A chapter: its title, summary and the prose before its first heading, then its sections.
fn chapter(c: &Chapter) -> Doc {
    let (body, sections) = (c.text.intro.clone(), c.text.sections.clone());
    let mut text = sentences(&[&c.title, &c.summary]);
    if !body.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&body);
    }
    let mut boosts = vec![(c.title.clone(), TITLE)];
    boosts.extend(sections.iter().map(|s| (s.title.clone(), HEADING)));
    let mut doc = Doc {
        kind: Kind::Chapter,
        title: c.title.clone(),
        url: c.url(),
        text,
        sections,
        boosts,
        names: Vec::new(),
    };
    doc.fit();
    doc
}

/// A person: name, aliases, role, affiliation, summary and biography.
fn person(p: &Person) -> Doc {
    let bio = p.bio_text.flat();
    let aliases = p.aliases.join(", ");
    let names: Vec<String> = std::iter::once(&p.name)
        .chain(&p.aliases)
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    let boosts = names.iter().map(|n| (n.clone(), NAME)).collect();
    let text = sentences(&[
        &p.name,
        &aliases,
        &p.role,
        &p.affiliation,
        &p.summary_text,
        &bio,
    ]);
    let mut doc = Doc {
        kind: Kind::Person,
        title: p.name.clone(),
        url: p.url(),
        text,
        sections: Vec::new(),
        boosts,
        names,
    };
    doc.fit();
    doc
}

/// An event: title, date, place, summary and the names of the people in it.
fn event(site: &Site, e: &Event) -> Doc {
    let people: Vec<&str> = e
        .people
        .iter()
        .map(|&p| site.people[p].name.as_str())
        .collect();
    let date = e.date.display();
    let text = sentences(&[
        &e.title,
        &date,
        &e.place,
        &e.summary_text,
        &people.join(", "),
    ]);
    let mut doc = Doc {
        kind: Kind::Event,
        title: e.title.clone(),
        url: e.url(),
        text,
        sections: Vec::new(),
        boosts: vec![(e.title.clone(), TITLE)],
        names: Vec::new(),
    };
    doc.fit();
    doc
}

impl Doc {
    /// Keep at most `limit` bytes of text, the sections' included (their titles always stay).
    pub(super) fn truncate(&mut self, limit: usize) {
        let mut left = limit;
        for t in
            std::iter::once(&mut self.text).chain(self.sections.iter_mut().map(|s| &mut s.text))
        {
            if t.len() > left {
                let mut end = left;
                while !t.is_char_boundary(end) {
                    end -= 1;
                }
                t.truncate(end);
            }
            left -= t.len();
        }
    }

    /// Cut the record to what a result shows and a chunk can hold: its text and sections to
    /// [`DOC_TEXT_BYTES`] (see [`Doc::truncate`]), then, only if its JSON could pass
    /// [`DOC_JSON_BYTES`], its title and headings to [`SHOWN_TITLE_BYTES`], a URL too long to
    /// its page, and its text and sections to what fits, escaped; a section that does not fit
    /// is dropped. Done before the words are indexed, so the index holds what the record does.
    pub(super) fn fit(&mut self) {
        self.truncate(DOC_TEXT_BYTES);
        // (Escaping writes at most six bytes for one: most records cannot come near the limit.)
        let frame = 96;
        let raw = self.title.len()
            + self.url.len()
            + self.names.iter().map(|n| n.len() + 3).sum::<usize>()
            + self.text.len()
            + (self.sections.iter())
                .map(|s| s.title.len() + s.anchor.len() + s.text.len() + 8)
                .sum::<usize>();
        if 6 * raw + frame <= DOC_JSON_BYTES {
            return;
        }
        cut(&mut self.title, SHOWN_TITLE_BYTES);
        if self.url.len() > URL_BYTES
            && let Some(hash) = self.url.find('#')
        {
            self.url.truncate(hash);
        }
        // (The frame holds the keys, punctuation and the text's quotes.)
        let mut left = DOC_JSON_BYTES - frame;
        left = left.saturating_sub(json_len(&self.title) + json_len(&self.url));
        self.names.retain_mut(|n| {
            cut(n, SHOWN_TITLE_BYTES);
            let size = json_len(n) + 1;
            let keep = size <= left;
            if keep {
                left -= size;
            }
            keep
        });
        left -= cut_escaped(&mut self.text, left);
        self.sections.retain_mut(|s| {
            cut(&mut s.title, SHOWN_TITLE_BYTES);
            // `[title,anchor,"text"],`: the punctuation and the text's quotes.
            let head = json_len(&s.title) + json_len(&s.anchor) + 7;
            if head > left {
                return false;
            }
            left -= head;
            left -= cut_escaped(&mut s.text, left);
            true
        });
    }

    /// The texts whose words are indexed, each with the weight of one occurrence and whether
    /// it is one of the record's names.
    pub(super) fn pieces(&self) -> impl Iterator<Item = (&str, u32, bool)> {
        std::iter::once((self.text.as_str(), 1, false))
            .chain(self.sections.iter().map(|s| (s.text.as_str(), 1, false)))
            .chain(self.boosts.iter().map(|(t, w)| (t.as_str(), *w, false)))
            .chain(self.names.iter().map(|n| (n.as_str(), 0, true)))
    }
}

/// The bytes `b` takes in a JSON string: two for `"`, `\\` and the escaped controls (`\\n`…),
/// six for the other controls (`\\u0001`), one for the rest.
fn json_bytes(b: u8) -> usize {
    match b {
        b'"' | b'\\' | 0x08 | 0x0c | b'\n' | b'\r' | b'\t' => 2,
        0..=0x1f => 6,
        _ => 1,
    }
}

/// The length of `s` as a JSON string, quotes included.
fn json_len(s: &str) -> usize {
    2 + s.bytes().map(json_bytes).sum::<usize>()
}

/// Cut `s` to at most `limit` bytes, at a character boundary.
fn cut(s: &mut String, limit: usize) {
    if s.len() > limit {
        let mut end = limit;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
}

/// Cut `s` to what takes at most `limit` bytes escaped in a JSON string (quotes apart), at a
/// character boundary; returns what it takes.
fn cut_escaped(s: &mut String, limit: usize) -> usize {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let size = if c.is_ascii() {
            json_bytes(c as u8)
        } else {
            c.len_utf8()
        };
        if used + size > limit {
            s.truncate(i);
            break;
        }
        used += size;
    }
    used
}

/// Pieces of text joined as sentences, so excerpts read well and words do not run together.
fn sentences(pieces: &[&str]) -> String {
    let mut out = String::new();
    for p in pieces.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(p);
        if !p.ends_with(['.', '!', '?', '…']) {
            out.push('.');
        }
    }
    out
}

/// Made-up records for the tests of the other parts of the index.
#[cfg(test)]
pub(super) mod sample {
    use super::*;

    /// A record of `kind` whose title is its only boost.
    pub(in crate::search) fn doc(kind: Kind, title: &str, text: String) -> Doc {
        Doc {
            kind,
            title: title.to_string(),
            url: format!("x/{title}/"),
            text,
            sections: Vec::new(),
            boosts: vec![(title.to_string(), TITLE)],
            names: Vec::new(),
        }
    }

    /// A big index: 6,000 documents of 400 words from a vocabulary of 40,000 (a few words in
    /// every document), one document of 200 KB.
    pub(in crate::search) fn big() -> Vec<Doc> {
        let mut seed = 7u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut docs: Vec<Doc> = (0..6_000)
            .map(|n| {
                // "common" in every document, from one to five times (its weights differ).
                let mut text = "common ".repeat(1 + n % 5) + "shared ";
                for _ in 0..400 {
                    let r = next();
                    // Zipf-like: small word numbers are frequent.
                    let w = (r % 40_000) >> (r >> 60);
                    text.push_str(&format!("w{w:05} "));
                }
                doc(
                    if n < 4_000 {
                        Kind::Chapter
                    } else {
                        Kind::Event
                    },
                    &format!("t{n}"),
                    text,
                )
            })
            .collect();
        let mut huge = doc(Kind::Chapter, "huge", "big ".repeat(50_000));
        huge.truncate(DOC_TEXT_BYTES);
        docs[10] = huge;
        docs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_text_reads_as_sentences() {
        assert_eq!(
            sentences(&["The storm", "", " At sea ", "A gale.", "Who?"]),
            "The storm. At sea. A gale. Who?"
        );
    }

    #[test]
    fn a_long_record_keeps_its_section_titles_and_whole_characters() {
        let section = |text: &str| Section {
            title: "Heading".into(),
            anchor: "heading".into(),
            text: text.into(),
        };
        let mut d = sample::doc(Kind::Chapter, "T", "é".repeat(4));
        d.sections = vec![section("abc"), section("def")];
        d.truncate(9);
        assert_eq!(
            d.text, "éééé",
            "8 bytes, and the next character does not fit"
        );
        assert_eq!(d.sections[0].text, "a");
        assert_eq!(d.sections[1].text, "");
        assert_eq!(d.sections[1].title, "Heading");
    }
}
