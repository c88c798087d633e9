//! The renderer's references and mentions: `[[references]]` resolved to links, the names of
//! people, places, organizations and terms found in the text and auto-linked, and each mention
//! counted in the cast, with the sentence of the first and who else the paragraph names.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::Renderer;
use crate::config::Autolink;
use crate::markdown::html::ROOT;
use crate::markdown::{Entity, EntityKind, Named, Problem, RefKind, add_pairs, sentence_at};
use crate::util::escape;

impl<'a> Renderer<'a> {
    pub(super) fn wikilink(&mut self, dest: &str, has_pothole: bool, range: Range<usize>) {
        // `[text [[x]]](url)` or `![alt [[x]]](img)`: Markdown makes the reference and leaves the
        // link (or image) around it as text. Say so, rather than lose the link silently.
        if self.text[range.end.min(self.text.len())..].starts_with("](") {
            let help = "a link's text and an image's description cannot hold a [[reference]]: write it after the link, or link with [[id|text]]".to_string();
            self.problem(
                range.clone(),
                Problem::new(
                    format!("[[{dest}]] is inside a link's text or an image's description"),
                    Some(help),
                ),
            );
        }
        let (kind, rest) = match dest.split_once(':') {
            Some(("event", r)) => (RefKind::Event, r),
            Some(("chapter", r)) => (RefKind::Chapter, r),
            Some(("source", r)) => (RefKind::Source, r),
            Some(("person", r)) => (RefKind::Person, r),
            Some(("place", r)) => (RefKind::Place, r),
            Some(("org", r)) => (RefKind::Organization, r),
            Some(("term", r)) => (RefKind::Term, r),
            Some((other, _)) => {
                let help = crate::diagnostics::suggest(
                    other,
                    ["event", "chapter", "source", "person", "place", "org", "term"],
                )
                .unwrap_or_else(|| {
                    "references are [[person-id]], [[event:id]], [[chapter:slug]], [[source:id]], [[place:id]], [[org:id]] or [[term:id]]"
                        .into()
                });
                self.problem(
                    range,
                    Problem::new(
                        format!("unknown reference kind \"{other}\" in [[{dest}]]"),
                        Some(help),
                    ),
                );
                self.links.push(true);
                self.html("<span class=\"broken-link\">".into());
                return;
            }
            None => (RefKind::Person, dest),
        };
        let rest = rest.trim();
        let (id, anchor) = match rest.split_once('#') {
            Some((id, a)) => (id, Some(a)),
            None => (rest, None),
        };
        match self.resolver.resolve(kind, id, anchor) {
            Ok(t) => {
                if let Some((chapter, a)) = &t.anchor {
                    self.result
                        .anchors
                        .push((*chapter, a.clone(), range.clone()));
                }
                if let Some(p) = t.entity {
                    self.mention(p, 0);
                    self.linked.insert(p);
                }
                self.links.push(true);
                self.html(format!(
                    "<a class=\"{}\" href=\"{ROOT}{}\">",
                    t.class,
                    escape::html(&t.url)
                ));
                if !has_pothole {
                    self.skip_text += 1;
                    self.plain_text(&t.text);
                    let escaped = escape::html(&t.text);
                    self.html(escaped);
                }
            }
            Err(p) => {
                self.problem(range, p);
                self.links.push(true);
                self.html("<span class=\"broken-link\">".into());
            }
        }
    }

    /// Record a mention of `person` (or place, …) at `offset` bytes past the current end of the
    /// paragraph.
    pub(super) fn mention(&mut self, person: Entity, offset: usize) {
        match &mut self.paragraph {
            Some(p) => p.mentions.push((person, p.text.len() + offset)),
            None if self.heading.is_none() => {
                self.named(person, || (None, String::new()));
            }
            None => {}
        }
    }

    /// Count a mention of `person`; the first makes their entry in the cast, with `first()`'s
    /// paragraph id and sentence.
    fn named(&mut self, person: Entity, first: impl FnOnce() -> (Option<String>, String)) {
        match self.cast_at.place(person) {
            Some(i) => self.result.cast[i].count += 1,
            None => {
                let (paragraph, sentence) = first();
                self.cast_at.insert(person);
                self.result.cast.push(Named {
                    entity: person,
                    paragraph,
                    sentence,
                    count: 1,
                });
            }
        }
    }

    pub(super) fn plain_text(&mut self, t: &str) {
        self.words(t);
        if let Some(p) = &mut self.paragraph {
            p.text.push_str(t);
        }
    }

    pub(super) fn text(&mut self, t: CowStr<'a>, _range: Range<usize>) {
        if self.skip_text > 0 {
            return;
        }
        let linkable = self.heading.is_none()
            && self.links.is_empty()
            && self.code_block == 0
            && self.image == 0;
        let Some(names) = self.opts.names.filter(|_| linkable) else {
            if self.code_block == 0 {
                self.plain_text(&t);
            }
            self.emit(Event::Text(t));
            return;
        };
        let matches: Vec<(Range<usize>, Entity)> = names.find(&t).collect();
        if matches.is_empty() {
            self.plain_text(&t);
            self.emit(Event::Text(t));
            return;
        }
        let mut last = 0;
        let mut pieces: Vec<Event<'a>> = Vec::new();
        for (m, person) in matches {
            self.mention(person, m.start);
            let link = match self.opts.autolink.of(person.kind) {
                Autolink::Off => false,
                Autolink::All => true,
                Autolink::First => self.linked.place(person).is_none(),
            };
            if !link {
                continue;
            }
            self.linked.insert(person);
            let target = self.resolver.entity(person);
            if m.start > last {
                pieces.push(Event::Text(CowStr::from(t[last..m.start].to_string())));
            }
            pieces.push(Event::InlineHtml(CowStr::from(format!(
                "<a class=\"{}\" href=\"{ROOT}{}\">{}</a>",
                target.class,
                escape::html(&target.url),
                escape::html(&t[m.clone()])
            ))));
            last = m.end;
        }
        self.plain_text(&t);
        if last == 0 {
            self.emit(Event::Text(t));
            return;
        }
        if last < t.len() {
            pieces.push(Event::Text(CowStr::from(t[last..].to_string())));
        }
        for p in pieces {
            self.emit(p);
        }
    }

    pub(super) fn end_paragraph(&mut self) {
        let Some(p) = self.paragraph.take() else {
            return;
        };
        if p.mentions.is_empty() {
            return;
        }
        let mut here = Seen::default();
        for &(person, offset) in &p.mentions {
            // (Only people are tied together by a paragraph: the network is of people.)
            let prefix = self.opts.id_prefix;
            self.named(person, || {
                (
                    Some(format!("{prefix}p-{}", p.index + 1)),
                    sentence_at(&p.text, offset),
                )
            });
            if person.kind == EntityKind::Person {
                here.insert(person);
            }
        }
        // A paragraph that names a list of people (past secretaries of state, a delegation)
        // does not make them companions of one another: only a paragraph naming a few does.
        let people: Vec<usize> = here.order.iter().map(|e| e.ix).collect();
        if people.len() <= crate::markdown::PARAGRAPH_PEOPLE_MAX {
            add_pairs(&people, &mut self.result.pairs);
        }
    }
}

/// Entities in the order first seen, each with its place in that order: looked for by a scan
/// while they are few (a text names a handful, and a scan is quicker than hashing), in a map
/// once they are more than [`Seen::SCAN`] (a text naming thousands made every lookup scan them
/// all).
#[derive(Default)]
pub(super) struct Seen {
    pub(super) order: Vec<Entity>,
    places: HashMap<Entity, usize>,
}

impl Seen {
    const SCAN: usize = 32;

    /// The place of `person`, if seen.
    pub(super) fn place(&self, person: Entity) -> Option<usize> {
        if self.order.len() <= Self::SCAN {
            self.order.iter().position(|&p| p == person)
        } else {
            self.places.get(&person).copied()
        }
    }

    /// Add `person`, unless seen already.
    pub(super) fn insert(&mut self, person: Entity) {
        if self.place(person).is_some() {
            return;
        }
        self.order.push(person);
        if self.order.len() > Self::SCAN {
            if self.places.is_empty() {
                self.places = self
                    .order
                    .iter()
                    .enumerate()
                    .map(|(i, &p)| (p, i))
                    .collect();
            } else {
                self.places.insert(person, self.order.len() - 1);
            }
        }
    }
}
