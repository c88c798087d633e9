//! Full-text search: the resolved `Site` → Dossier's own chunked index under `search/`: `meta.json`,
//! an inverted index in shards of sorted term ranges, and the documents (for excerpts) in chunks.
//!
//! Records, in this order: chapters (reading order), people (id order), events (timeline order);
//! a document's number is its place in that list. `static/search.js` reads the files, tokenising
//! a query exactly as [`for_each_token`] does, and loads only the shards and chunks it needs, so
//! no file grows with the documentary (each stays well under 100 KB). Output is deterministic.
//!
//! - `meta.json`: `{"version", "documents", "groups": [[kind, label, n, shown, entity]],
//!   "shards": [[first term, file]], "chunks": [first document of each chunk]}`; a group per
//!   kind of record, in the records' order (`entity` is 1 for kinds known by name and aliases);
//!   `"names"`: the lengths of the entities' name words there are files of (below).
//! - `names/<n>.json`: `["word", …]`, the words of `n` letters of the entities' names and aliases
//!   (four or more), sorted: the search box looks for a typo in the first letter among them.
//! - `index/<n>.json`: `{"terms": [[term, [doc, weight, doc − previous doc, weight, …]], …]}`, terms
//!   sorted by code point; each shard ~50 KB; a posting list keeps the best 2,000 documents. A
//!   weight of 128 or more marks a word of the record's name or an alias (weight − 128).
//! - `doc/<n>.json`: `{"first": doc, "docs": [{"kind", "title", "url", "names"?, "text",
//!   "sections"?: [[title, anchor, text]]}]}`, ~64 KB each. A chapter's `text` is its title,
//!   summary and the prose before its first heading; the rest is in its sections. An entity's
//!   `names` are its name and aliases.
//!
//! The parts, in the order of the work: `records` makes the documents from the `Site`, `tokens`
//! cuts text into words (as `search.js` does), `postings` makes the inverted index, and `json`
//! writes the files. This module puts them together and names the files.

mod json;
mod names;
mod postings;
mod records;
mod tokens;

use crate::diagnostics::Diagnostic;
use crate::output::Output;
use crate::site::Site;

pub use tokens::for_each_token;

/// Where the index goes, under the output folder.
pub const DIR: &str = "search/";
/// The version of the file format, in `meta.json` (the client checks it).
pub const FORMAT: u32 = 2;

/// The documents the search index of `site` is made of, owned: [`files`] makes the index from
/// them, now or later. Refused only when there are more than a `u32` can number.
pub fn documents(site: &Site) -> Result<Documents, Diagnostic> {
    let docs = records::documents(site);
    u32::try_from(docs.len())
        .map_err(|_| Diagnostic::in_file(DIR, "search index: too many documents"))?;
    Ok(Documents(docs))
}

/// The records of a site's search index (see [`documents`]).
pub struct Documents(Vec<records::Doc>);

/// The search index made of `docs`, as outputs under [`DIR`]. Deterministic: the same documents
/// give the same bytes.
pub fn files(docs: Documents) -> Vec<Output> {
    let docs = docs.0;
    // Chapters, people and events always; the world's kinds only when there are some (a reader
    // takes a missing kind as none), so an index without them is as it was.
    let counts = (records::Kind::ALL.iter())
        .map(|&k| (k, docs.iter().filter(|d| d.kind == k).count()))
        .filter(|&(k, n)| n > 0 || k.core())
        .collect();
    let n = u32::try_from(docs.len()).expect("counted by documents");
    let names = names::by_length(&docs);
    let terms = postings::postings(&docs);
    let shards = json::shards(&terms);
    drop(terms);
    let chunks = json::chunks(docs);

    let meta = json::Meta {
        version: FORMAT,
        documents: n,
        groups: json::Groups(counts),
        shards: (shards.iter().enumerate())
            .map(|(i, s)| (s.first.as_str(), format!("{i}.json")))
            .collect(),
        chunks: chunks.iter().map(|c| c.first).collect(),
        names: names.keys().copied().collect(),
    };
    let mut out = Vec::with_capacity(1 + shards.len() + chunks.len() + names.len());
    out.push(Output {
        path: format!("{DIR}meta.json"),
        bytes: meta.to_bytes().into(),
    });
    out.extend(shards.into_iter().enumerate().map(|(i, s)| Output {
        path: format!("{DIR}index/{i}.json"),
        bytes: s.bytes.into(),
    }));
    out.extend(chunks.into_iter().enumerate().map(|(i, c)| Output {
        path: format!("{DIR}doc/{i}.json"),
        bytes: c.bytes.into(),
    }));
    out.extend(names.iter().map(|(n, words)| Output {
        path: format!("{DIR}names/{n}.json"),
        bytes: names::file(words).into(),
    }));
    out
}
