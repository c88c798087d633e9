//! The documentary's world: places, organizations and glossary terms, three kinds of one
//! entry, resolved (their ids, names, mentions, the places within places).

use super::*;

pub use crate::markdown::EntityKind;

/// The kinds of the world's entries. Each has its folder, its `[[kind:id]]` prefix and its
/// pages; everything else (loading, ids, names, mentions, backlinks) is shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorldKind {
    Place,
    Organization,
    Term,
}

impl WorldKind {
    pub const ALL: [WorldKind; 3] = [WorldKind::Place, WorldKind::Organization, WorldKind::Term];

    /// Its folder under `content/`, and its pages' folder: `places`, `organizations`, `glossary`.
    pub fn dir(self) -> &'static str {
        match self {
            WorldKind::Place => "places",
            WorldKind::Organization => "organizations",
            WorldKind::Term => "glossary",
        }
    }

    /// What one is called in messages and in `dossier new`: place, organization, term.
    pub fn noun(self) -> &'static str {
        match self {
            WorldKind::Place => "place",
            WorldKind::Organization => "organization",
            WorldKind::Term => "term",
        }
    }

    /// Its prefix in references: `[[place:x]]`, `[[org:x]]`, `[[term:x]]`.
    pub fn prefix(self) -> &'static str {
        match self {
            WorldKind::Place => "place",
            WorldKind::Organization => "org",
            WorldKind::Term => "term",
        }
    }

    /// The kind of names and references it is to the Markdown renderer.
    pub fn entity(self) -> EntityKind {
        match self {
            WorldKind::Place => EntityKind::Place,
            WorldKind::Organization => EntityKind::Organization,
            WorldKind::Term => EntityKind::Term,
        }
    }

    pub fn of(kind: EntityKind) -> Option<WorldKind> {
        match kind {
            EntityKind::Person => None,
            EntityKind::Place => Some(WorldKind::Place),
            EntityKind::Organization => Some(WorldKind::Organization),
            EntityKind::Term => Some(WorldKind::Term),
        }
    }

    /// The site-relative URL of entry `id`, at position `ix` of its kind's list: its page, or,
    /// for a term, its anchor on the glossary's page that lists it ([`WORLD_PER_PAGE`] a page).
    pub fn url(self, id: &str, ix: usize) -> String {
        match self {
            WorldKind::Term => format!("{}#{id}", page_url("glossary/", ix / WORLD_PER_PAGE + 1)),
            _ => format!("{}/{id}/", self.dir()),
        }
    }
}

/// A place, an organization or a glossary term, resolved.
#[derive(Debug)]
pub struct Entry {
    pub kind: WorldKind,
    pub id: String,
    /// Its site-relative URL (see [`WorldKind::url`]).
    pub url: String,
    /// A place's or organization's name; a term's term.
    pub name: String,
    pub aliases: Vec<String>,
    /// Its `kind` as written (city, party, …); empty for terms.
    pub category: String,
    /// An organization's side (as people's sides).
    pub side: String,
    /// The place it is within (places).
    pub within: Option<EntryIx>,
    /// `[latitude, longitude]` in decimal degrees (places).
    pub coordinates: Option<[f64; 2]>,
    /// The summary as plain text, as the reader reads it (search, previews, descriptions).
    pub summary: String,
    /// The summary's HTML, inline when it is one paragraph.
    pub summary_html: RelHtml,
    /// Its description (a term's definition).
    pub description: RelHtml,
    /// The description as plain text (search, JSON-LD, descriptions).
    pub description_text: String,
    pub sources: Vec<SourceIx>,
    pub note: String,
    /// Chapters that mention it, in reading order.
    pub appearances: Vec<Appearance>,
    /// How many times the chapters mention it.
    pub mentions: usize,
    /// A place's events (there or within it), an organization's (its people's), in timeline order.
    pub events: Vec<EventIx>,
    /// A place's people (through its events), an organization's members, by id.
    pub people: Vec<PersonIx>,
    /// The places within it, by id (places).
    pub contains: Vec<EntryIx>,
}

/// The world's entries, each kind sorted by id.
#[derive(Debug, Default)]
pub struct World {
    pub places: Vec<Entry>,
    pub organizations: Vec<Entry>,
    pub terms: Vec<Entry>,
}

impl World {
    pub fn of(&self, kind: WorldKind) -> &[Entry] {
        match kind {
            WorldKind::Place => &self.places,
            WorldKind::Organization => &self.organizations,
            WorldKind::Term => &self.terms,
        }
    }

    pub fn of_mut(&mut self, kind: WorldKind) -> &mut Vec<Entry> {
        match kind {
            WorldKind::Place => &mut self.places,
            WorldKind::Organization => &mut self.organizations,
            WorldKind::Term => &mut self.terms,
        }
    }

    pub fn is_empty(&self) -> bool {
        WorldKind::ALL.iter().all(|&k| self.of(k).is_empty())
    }
}

/// The places that hold `p`, nearest first (none if `within` makes a cycle).
pub fn ancestors(places: &[Entry], p: EntryIx) -> Vec<EntryIx> {
    let mut out = Vec::new();
    let mut at = places[p].within;
    while let Some(a) = at {
        if a == p || out.contains(&a) {
            return Vec::new();
        }
        out.push(a);
        at = places[a].within;
    }
    out
}

/// Ids a place or organization may not take: its index's pages (`/places/page/2/`).
pub const RESERVED_WORLD_IDS: &[&str] = &["index", "page"];
/// An index of places or organizations lists at most this many entries per page; a page of one
/// lists at most [`WORLD_LIST_SHOWN`] events, people, mentions and places within it.
pub const WORLD_PER_PAGE: usize = 300;
pub const WORLD_LIST_SHOWN: usize = 200;
