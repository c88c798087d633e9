//! The raw records loading makes: each content file's values as written, unresolved
//! (references are plain strings), every value a later phase may complain about with its span.

use std::sync::Arc;

use crate::diagnostics::SourceFile;
use crate::site::WorldKind;
use crate::util::toml::{At, TomlMarkdown};

#[derive(Debug, Clone)]
pub struct RawChapter {
    pub file: Arc<SourceFile>,
    /// The numeric prefix of the file name, which orders chapters.
    pub number: u64,
    /// The file stem without its number: the chapter's id and URL slug.
    pub slug: At<String>,
    pub title: At<String>,
    pub summary: String,
    pub sources: Vec<At<String>>,
    pub draft: bool,
    /// When the chapter was first published and last changed (`YYYY-MM-DD`), for the feed.
    pub published: Option<String>,
    pub updated: Option<String>,
    /// Byte offset of the Markdown body in `file.text`.
    pub body_start: usize,
}

impl RawChapter {
    pub fn body(&self) -> &str {
        &self.file.text[self.body_start..]
    }
}

#[derive(Debug, Clone)]
pub struct RawPerson {
    pub file: Arc<SourceFile>,
    pub id: At<String>,
    pub name: At<String>,
    pub aliases: Vec<At<String>>,
    pub role: String,
    pub affiliation: String,
    pub side: String,
    /// Inline Markdown, with references.
    pub summary: Option<TomlMarkdown>,
    pub bio: Option<TomlMarkdown>,
    pub born: Option<At<String>>,
    pub died: Option<At<String>>,
    pub image: Option<At<String>>,
    pub sources: Vec<At<String>>,
    /// Organization ids.
    pub organizations: Vec<At<String>>,
}

#[derive(Debug, Clone)]
pub struct RawEvent {
    pub id: At<String>,
    pub date: At<String>,
    pub end: Option<At<String>>,
    /// Where an imprecise event is placed in the story (an EDTF date), when not by its date.
    pub sort: Option<At<String>>,
    pub title: String,
    pub summary: Option<TomlMarkdown>,
    pub people: Vec<At<String>>,
    /// `place = "id"` or `place = ["id", ...]`: place ids, or free text in a documentary
    /// without `content/places/`.
    pub place: Vec<At<String>>,
    pub chapter: Option<At<String>>,
    pub sources: Vec<At<String>>,
    pub tags: Vec<At<String>>,
    pub note: String,
    /// `featured = true`: a turning point, shown on the home page.
    pub featured: bool,
}

/// A place, an organization or a glossary term as written (`content/places/<id>.toml`, …).
#[derive(Debug, Clone)]
pub struct RawEntry {
    pub kind: WorldKind,
    pub file: Arc<SourceFile>,
    pub id: At<String>,
    /// Its `name` (a term's `term`).
    pub name: At<String>,
    pub aliases: Vec<At<String>>,
    /// Its `kind` (city, party, …).
    pub category: String,
    pub side: String,
    pub within: Option<At<String>>,
    pub coordinates: Option<At<[f64; 2]>>,
    /// Inline Markdown, with references.
    pub summary: Option<TomlMarkdown>,
    /// Its `description` (a term's `definition`).
    pub description: Option<TomlMarkdown>,
    pub sources: Vec<At<String>>,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct RawSource {
    pub id: At<String>,
    pub title: At<String>,
    pub author: String,
    pub publication: String,
    pub date: Option<At<String>>,
    pub url: Option<At<String>>,
}
