//! The resolved documentary: chapters, people, events and sources with every reference turned
//! into an index, plus the cross-reference index (appearances, companions, citations).
//! Plain data with no I/O and no templates; nothing here is half-filled. URLs live here too.

use crate::config::Config;
use crate::date::Date;
use crate::markdown::{Heading, RelHtml};

/// Index of a chapter in `Site::chapters` (reading order).
pub type ChapterIx = usize;
/// Index of a person in `Site::people` (sorted by id).
pub type PersonIx = usize;
/// Index of an event in `Site::events` (timeline order).
pub type EventIx = usize;
/// Index of a source in `Site::sources`.
pub type SourceIx = usize;

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub chapters: Vec<Chapter>,
    pub people: Vec<Person>,
    pub events: Vec<Event>,
    pub sources: Vec<Source>,
}

#[derive(Debug)]
pub struct Chapter {
    pub number: u64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub sources: Vec<SourceIx>,
    pub html: RelHtml,
    pub toc: Vec<Heading>,
    /// People in order of their first mention.
    pub people: Vec<PersonIx>,
    /// Events this chapter tells (their `chapter` field), in timeline order.
    pub events: Vec<EventIx>,
    pub words: usize,
}

#[derive(Debug)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub role: String,
    pub affiliation: String,
    pub side: String,
    pub summary: String,
    pub bio: RelHtml,
    pub born: Option<Date>,
    pub died: Option<Date>,
    /// A path under `static/`.
    pub image: Option<String>,
    pub sources: Vec<SourceIx>,
    /// Events they took part in, in timeline order.
    pub events: Vec<EventIx>,
    /// Chapters that mention them, in reading order.
    pub appearances: Vec<Appearance>,
    /// The people they appear with most often: (person, shared paragraphs + shared events).
    pub companions: Vec<(PersonIx, u32)>,
    /// How many times the chapters mention them.
    pub mentions: usize,
}

/// A chapter that mentions a person: where first, in which sentence, and how often.
#[derive(Debug, Clone)]
pub struct Appearance {
    pub chapter: ChapterIx,
    pub paragraph: Option<String>,
    pub sentence: String,
    pub count: usize,
}

#[derive(Debug)]
pub struct Event {
    pub id: String,
    pub date: Date,
    pub title: String,
    pub summary: RelHtml,
    /// The summary as plain text (descriptions, JSON-LD, filters).
    pub summary_text: String,
    pub people: Vec<PersonIx>,
    pub place: String,
    /// The chapter that tells it, and the section's anchor.
    pub chapter: Option<(ChapterIx, Option<String>)>,
    pub sources: Vec<SourceIx>,
    pub tags: Vec<String>,
    pub note: String,
}

#[derive(Debug)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub author: String,
    pub publication: String,
    pub date: Option<Date>,
    pub url: Option<String>,
    pub chapters: Vec<ChapterIx>,
    pub events: Vec<EventIx>,
    pub people: Vec<PersonIx>,
}

// Site-relative URLs (no leading slash). Pages prefix them with their path to the root.

pub fn chapter_url(slug: &str) -> String {
    format!("chapters/{slug}/")
}

pub fn person_url(id: &str) -> String {
    format!("people/{id}/")
}

pub fn event_url(id: &str) -> String {
    format!("timeline/#{id}")
}

pub fn source_url(id: &str) -> String {
    format!("sources/#{id}")
}

impl Chapter {
    pub fn url(&self) -> String {
        chapter_url(&self.slug)
    }
}

impl Person {
    pub fn url(&self) -> String {
        person_url(&self.id)
    }
}

impl Event {
    pub fn url(&self) -> String {
        event_url(&self.id)
    }
}

impl Source {
    pub fn url(&self) -> String {
        source_url(&self.id)
    }
}

/// Ids a person may not take, because the page exists already (`/people/network/`).
pub const RESERVED_PERSON_IDS: &[&str] = &["index", "network"];
/// Chapter slugs that would collide with generated pages.
pub const RESERVED_CHAPTER_SLUGS: &[&str] = &["index"];
