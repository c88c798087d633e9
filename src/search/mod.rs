//! Full-text search: the resolved `Site` → Dossier's own chunked index under `search/`: `meta.json`,
//! an inverted index in shards of sorted term ranges, and the documents (for excerpts) in chunks.
//!
//! Records, in this order: chapters (reading order), people (id order), events (timeline order);
//! a document's number is its place in that list. `static/search.js` reads the files, tokenising
//! a query exactly as [`for_each_token`] does, and loads only the shards and chunks it needs, so
//! no file grows with the documentary (each stays well under 100 KB). Output is deterministic.
//!
//! - `meta.json`: `{"version", "documents", "counts": {kind: n}, "shards": [[first term, file]],
//!   "chunks": [first document of each chunk]}`.
//! - `index/<n>.json`: `{"terms": [[term, [doc, weight, doc − previous doc, weight, …]], …]}`, terms
//!   sorted by code point; each shard ~50 KB; a posting list keeps the best 2,000 documents.
//! - `doc/<n>.json`: `{"first": doc, "docs": [{"kind", "title", "url", "date"?, "text",
//!   "sections"?: [[title, anchor, text]]}]}`, ~64 KB each. A chapter's `text` is its title,
//!   summary and the prose before its first heading; the rest is in its sections.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::markdown::Section;
use crate::output::Output;
use crate::site::Site;

/// Where the index goes, under the output folder.
pub const DIR: &str = "search/";
/// The version of the file format, in `meta.json` (the client checks it).
pub const FORMAT: u32 = 1;
/// A shard of the index is closed once it would grow past this many bytes.
const SHARD_BYTES: usize = 50_000;
/// A chunk of documents is closed once it would grow past this many bytes.
const CHUNK_BYTES: usize = 64_000;
/// A document keeps at most this many bytes of text (its sections' included): escaped as JSON
/// (at worst doubled) it still fits in a file under 100 KB.
const DOC_TEXT_BYTES: usize = 45_000;
/// A posting list keeps the documents with the highest weights, at most this many.
const POSTINGS: usize = 2_000;
/// Longer runs of letters are not words anyone searches for (and would bloat a shard).
const TOKEN_BYTES: usize = 64;
/// A term's weight in a document: its count (each title word ×8, heading word ×3, person's name
/// or alias ×8), capped.
const WEIGHT_CAP: u32 = 100;
const TITLE: u32 = 8;
const HEADING: u32 = 3;
const NAME: u32 = 8;

/// What a record is: shown as the group of results it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Chapter,
    Person,
    Event,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Chapter => "Chapter",
            Kind::Person => "Person",
            Kind::Event => "Event",
        }
    }
}

/// One record of the index: what is searched and what the results show.
#[derive(Debug, Clone, PartialEq)]
struct Doc {
    kind: Kind,
    title: String,
    url: String,
    date: Option<String>,
    text: String,
    sections: Vec<Section>,
    /// Words worth more than the text's: (text, weight of each word).
    boosts: Vec<(String, u32)>,
}

/// A part of a chapter under a heading with an id.

/// The search index of `site`, as outputs under [`DIR`]. Deterministic: the same site gives the
/// same bytes.
pub fn index(site: &Site) -> Result<Vec<Output>, Diagnostic> {
    let docs = documents(site);
    let counts = [Kind::Chapter, Kind::Person, Kind::Event]
        .map(|k| (k, docs.iter().filter(|d| d.kind == k).count()));
    let n = u32::try_from(docs.len())
        .map_err(|_| Diagnostic::in_file(DIR, "search index: too many documents"))?;
    let terms = postings(&docs);
    let shards = shards(&terms);
    drop(terms);
    let chunks = chunks(docs);

    let mut out = Vec::with_capacity(1 + shards.len() + chunks.len());
    let mut meta = format!("{{\"version\":{FORMAT},\"documents\":{n},\"counts\":{{");
    for (i, (k, c)) in counts.iter().enumerate() {
        meta.push_str(&format!(
            "{}\"{}\":{c}",
            if i > 0 { "," } else { "" },
            k.name()
        ));
    }
    meta.push_str("},\"shards\":[");
    let mut bytes = meta.into_bytes();
    for (i, s) in shards.iter().enumerate() {
        if i > 0 {
            bytes.push(b',');
        }
        bytes.push(b'[');
        json_str(&mut bytes, &s.first);
        bytes.extend_from_slice(format!(",\"{i}.json\"]").as_bytes());
    }
    bytes.extend_from_slice(b"],\"chunks\":[");
    for (i, c) in chunks.iter().enumerate() {
        if i > 0 {
            bytes.push(b',');
        }
        push_num(&mut bytes, c.first);
    }
    bytes.extend_from_slice(b"]}\n");
    out.push(Output {
        path: format!("{DIR}meta.json"),
        bytes: bytes.into(),
    });
    out.extend(shards.into_iter().enumerate().map(|(i, s)| Output {
        path: format!("{DIR}index/{i}.json"),
        bytes: s.bytes.into(),
    }));
    out.extend(chunks.into_iter().enumerate().map(|(i, c)| Output {
        path: format!("{DIR}doc/{i}.json"),
        bytes: c.bytes.into(),
    }));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Records

/// Every record of `site`: chapters, people, events, each list built in parallel.
fn documents(site: &Site) -> Vec<Doc> {
    let mut docs: Vec<Doc> = site.chapters.par_iter().map(chapter).collect();
    docs.par_extend(site.people.par_iter().map(person));
    docs.par_extend(site.events.par_iter().map(|e| {
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
            date: Some(date),
            text,
            sections: Vec::new(),
            boosts: vec![(e.title.clone(), TITLE)],
        };
        doc.truncate(DOC_TEXT_BYTES);
        doc
    }));
    docs
}

fn chapter(c: &crate::site::Chapter) -> Doc {
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
        date: None,
        text,
        sections,
        boosts,
    };
    doc.truncate(DOC_TEXT_BYTES);
    doc
}

fn person(p: &crate::site::Person) -> Doc {
    let bio = p.bio_text.flat();
    let aliases = p.aliases.join(", ");
    let mut boosts = vec![(p.name.clone(), NAME)];
    boosts.extend(p.aliases.iter().map(|a| (a.clone(), NAME)));
    let text = sentences(&[&p.name, &aliases, &p.role, &p.affiliation, &p.summary, &bio]);
    let mut doc = Doc {
        kind: Kind::Person,
        title: p.name.clone(),
        url: p.url(),
        date: None,
        text,
        sections: Vec::new(),
        boosts,
    };
    doc.truncate(DOC_TEXT_BYTES);
    doc
}

impl Doc {
    /// Keep at most `limit` bytes of text, the sections' included (their titles always stay).
    fn truncate(&mut self, limit: usize) {
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

    /// The texts whose words are indexed, each with the weight of one occurrence.
    fn pieces(&self) -> impl Iterator<Item = (&str, u32)> {
        std::iter::once((self.text.as_str(), 1))
            .chain(self.sections.iter().map(|s| (s.text.as_str(), 1)))
            .chain(self.boosts.iter().map(|(t, w)| (t.as_str(), *w)))
    }
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

// ---------------------------------------------------------------------------------------------
// Words

/// Diacritics dropped from U+00C0–U+017F: each character's first one in its canonical
/// decomposition (NFD), as `static/search.js` computes with `normalize("NFD")`.
const FOLD: [char; 192] = [
    'A', 'A', 'A', 'A', 'A', 'A', 'Æ', 'C', 'E', 'E', 'E', 'E', 'I', 'I', 'I', 'I', 'Ð', 'N', 'O',
    'O', 'O', 'O', 'O', '×', 'Ø', 'U', 'U', 'U', 'U', 'Y', 'Þ', 'ß', 'a', 'a', 'a', 'a', 'a', 'a',
    'æ', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i', 'ð', 'n', 'o', 'o', 'o', 'o', 'o', '÷', 'ø',
    'u', 'u', 'u', 'u', 'y', 'þ', 'y', 'A', 'a', 'A', 'a', 'A', 'a', 'C', 'c', 'C', 'c', 'C', 'c',
    'C', 'c', 'D', 'd', 'Đ', 'đ', 'E', 'e', 'E', 'e', 'E', 'e', 'E', 'e', 'E', 'e', 'G', 'g', 'G',
    'g', 'G', 'g', 'G', 'g', 'H', 'h', 'Ħ', 'ħ', 'I', 'i', 'I', 'i', 'I', 'i', 'I', 'i', 'I', 'ı',
    'Ĳ', 'ĳ', 'J', 'j', 'K', 'k', 'ĸ', 'L', 'l', 'L', 'l', 'L', 'l', 'Ŀ', 'ŀ', 'Ł', 'ł', 'N', 'n',
    'N', 'n', 'N', 'n', 'ŉ', 'Ŋ', 'ŋ', 'O', 'o', 'O', 'o', 'O', 'o', 'Œ', 'œ', 'R', 'r', 'R', 'r',
    'R', 'r', 'S', 's', 'S', 's', 'S', 's', 'S', 's', 'T', 't', 'T', 't', 'Ŧ', 'ŧ', 'U', 'u', 'U',
    'u', 'U', 'u', 'U', 'u', 'U', 'u', 'U', 'u', 'W', 'w', 'Y', 'y', 'Y', 'Z', 'z', 'Z', 'z', 'Z',
    'z', 'ſ',
];

fn fold(c: char) -> char {
    match c as u32 {
        0xC0..=0x17F => FOLD[c as usize - 0xC0],
        _ => c,
    }
}

/// Calls `f` with each word of `text` as the index stores it: a run of letters and digits
/// (`char::is_alphanumeric`, `/[\p{Alphabetic}\p{N}]+/u` in JavaScript), lowercased, with the
/// diacritics of Latin letters dropped. A possessive "s" after an apostrophe (' or ’) is dropped:
/// "Abbas's" is "abbas"; "don't" is "don" and "t". No stemming. Runs over 64 bytes are skipped.
/// `static/search.js` (`tokens`) must do the same.
pub fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let b = text.as_bytes();
    let mut buf = String::new();
    let mut i = 0;
    while i < b.len() {
        // Past what is not a word.
        match ASCII_CLASS[b[i] as usize] {
            OTHER => {
                i += 1;
                continue;
            }
            NON_ASCII => {
                let c = text[i..].chars().next().unwrap_or(' ');
                if !c.is_alphanumeric() {
                    i += c.len_utf8();
                    continue;
                }
            }
            _ => {}
        }
        // A word: ASCII letters and digits by table, anything else by `char`.
        let start = i;
        let (mut ascii, mut classes) = (true, 0u8);
        while i < b.len() {
            let class = ASCII_CLASS[b[i] as usize];
            if class == OTHER {
                break;
            }
            if class == NON_ASCII {
                let c = text[i..].chars().next().unwrap_or(' ');
                if !c.is_alphanumeric() {
                    break;
                }
                ascii = false;
                i += c.len_utf8();
                continue;
            }
            classes |= class;
            i += 1;
        }
        let run = &text[start..i];
        if run.len() > TOKEN_BYTES || ((run == "s" || run == "S") && possessive(&text[..start])) {
            continue;
        }
        if ascii && classes & UPPER == 0 {
            f(run);
        } else {
            buf.clear();
            if ascii {
                buf.extend(run.bytes().map(|c| c.to_ascii_lowercase() as char));
            } else {
                buf.extend(run.to_lowercase().chars().map(fold));
            }
            f(&buf);
        }
    }
}

/// What a byte is to [`for_each_token`]: ASCII that is not a letter or digit, a lowercase
/// letter or digit, an uppercase letter, or part of a non-ASCII character.
const OTHER: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const NON_ASCII: u8 = 4;
static ASCII_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b >= 0x80 {
            NON_ASCII
        } else if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_alphanumeric() {
            LOWER
        } else {
            OTHER
        };
        c += 1;
    }
    t
};

/// Whether `before` ends with a word and an apostrophe (so an "s" after it is a possessive).
fn possessive(before: &str) -> bool {
    let mut back = before.chars().rev();
    matches!(back.next(), Some('\'' | '\u{2019}')) && back.next().is_some_and(char::is_alphanumeric)
}

/// FxHash: a fast hash for the short words of one build (no untrusted keys to fear, as the
/// content is the author's own).
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            h = (h.rotate_left(5) ^ u64::from_le_bytes(c.try_into().unwrap())).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
        self.0 = h;
    }
    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// A posting: (document number, weight).
type Posting = (u32, u8);

/// Every term with its postings in document order, the terms sorted by code point. Documents
/// are tokenised in parallel, in contiguous runs merged in order.
fn postings(docs: &[Doc]) -> Vec<(Box<str>, Vec<Posting>)> {
    let runs = (rayon::current_num_threads() * 4).clamp(1, docs.len().max(1));
    let size = docs.len().div_ceil(runs).max(1);
    let parts: Vec<Vec<(Box<str>, Vec<Posting>)>> = docs
        .par_chunks(size)
        .enumerate()
        .map(|(k, run)| postings_of(run, (k * size) as u32))
        .collect();
    let mut ids: FxMap<Box<str>, usize> = FxMap::default();
    let mut terms: Vec<(Box<str>, Vec<Posting>)> = Vec::new();
    for part in parts {
        for (term, list) in part {
            match ids.get(&term) {
                Some(&id) => terms[id].1.extend(list),
                None => {
                    ids.insert(term.clone(), terms.len());
                    terms.push((term, list));
                }
            }
        }
    }
    drop(ids);
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    terms.par_iter_mut().for_each(|(_, list)| {
        if list.len() > POSTINGS {
            // The best POSTINGS (by weight, then document: a total order, so the same ones in
            // every build), found in linear time: a common word has tens of thousands.
            list.select_nth_unstable_by(POSTINGS - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(POSTINGS);
            list.sort_unstable();
        }
    });
    terms
}

/// The postings of a run of documents numbered from `first`.
fn postings_of(docs: &[Doc], first: u32) -> Vec<(Box<str>, Vec<Posting>)> {
    let mut ids: FxMap<Box<str>, u32> = FxMap::default();
    let mut terms: Vec<(Box<str>, Vec<Posting>)> = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    for (k, doc) in docs.iter().enumerate() {
        for (piece, weight) in doc.pieces() {
            for_each_token(piece, |t| {
                let id = match ids.get(t) {
                    Some(&id) => id,
                    None => {
                        let id = terms.len() as u32;
                        ids.insert(t.into(), id);
                        terms.push((t.into(), Vec::new()));
                        counts.push(0);
                        id
                    }
                };
                if counts[id as usize] == 0 {
                    touched.push(id);
                }
                counts[id as usize] += weight;
            });
        }
        for &id in &touched {
            let w = counts[id as usize].min(WEIGHT_CAP) as u8;
            terms[id as usize].1.push((first + k as u32, w));
            counts[id as usize] = 0;
        }
        touched.clear();
    }
    terms
}

// ---------------------------------------------------------------------------------------------
// Files

/// An index shard: its first term and its JSON.
struct Shard {
    first: String,
    bytes: Vec<u8>,
}

/// The terms in shards of consecutive terms, each closed before it passes [`SHARD_BYTES`].
fn shards(terms: &[(Box<str>, Vec<Posting>)]) -> Vec<Shard> {
    let entries: Vec<Vec<u8>> = terms
        .par_iter()
        .map(|(term, list)| {
            let mut e = Vec::with_capacity(term.len() + 4 + list.len() * 5);
            e.push(b'[');
            json_str(&mut e, term);
            e.extend_from_slice(b",[");
            let mut prev = 0;
            for (i, &(doc, w)) in list.iter().enumerate() {
                if i > 0 {
                    e.push(b',');
                }
                push_num(&mut e, doc - prev);
                e.push(b',');
                push_num(&mut e, w as u32);
                prev = doc;
            }
            e.extend_from_slice(b"]]");
            e
        })
        .collect();
    let mut out: Vec<Shard> = Vec::new();
    let mut open = false;
    for (entry, (term, _)) in entries.iter().zip(terms) {
        let shard = match out.last_mut() {
            Some(s) if open && s.bytes.len() + entry.len() + 4 <= SHARD_BYTES => {
                s.bytes.push(b',');
                s
            }
            _ => {
                if let Some(s) = out.last_mut() {
                    s.bytes.extend_from_slice(b"]}\n");
                }
                out.push(Shard {
                    first: term.to_string(),
                    bytes: b"{\"terms\":[".to_vec(),
                });
                open = true;
                out.last_mut().unwrap()
            }
        };
        shard.bytes.extend_from_slice(entry);
    }
    if let Some(s) = out.last_mut() {
        s.bytes.extend_from_slice(b"]}\n");
    }
    out
}

/// A chunk of documents: the number of its first and its JSON.
struct Chunk {
    first: u32,
    bytes: Vec<u8>,
}

/// The documents (consumed, so their text is freed as it is written) in chunks of consecutive
/// documents, each closed before it passes [`CHUNK_BYTES`].
fn chunks(docs: Vec<Doc>) -> Vec<Chunk> {
    let encoded: Vec<Vec<u8>> = docs.into_par_iter().map(|d| doc_json(&d)).collect();
    let mut out: Vec<Chunk> = Vec::new();
    for (n, e) in encoded.into_iter().enumerate() {
        match out.last_mut() {
            Some(c) if c.bytes.len() + e.len() + 4 <= CHUNK_BYTES => {
                c.bytes.push(b',');
                c.bytes.extend_from_slice(&e);
            }
            last => {
                if let Some(c) = last {
                    c.bytes.extend_from_slice(b"]}\n");
                }
                let mut bytes = format!("{{\"first\":{n},\"docs\":[").into_bytes();
                bytes.extend_from_slice(&e);
                out.push(Chunk {
                    first: n as u32,
                    bytes,
                });
            }
        }
    }
    if let Some(c) = out.last_mut() {
        c.bytes.extend_from_slice(b"]}\n");
    }
    out
}

fn doc_json(d: &Doc) -> Vec<u8> {
    let mut e = Vec::with_capacity(
        d.text.len() + d.sections.iter().map(|s| s.text.len() + 64).sum::<usize>() + 128,
    );
    e.extend_from_slice(b"{\"kind\":\"");
    e.extend_from_slice(d.kind.name().as_bytes());
    e.extend_from_slice(b"\",\"title\":");
    json_str(&mut e, &d.title);
    e.extend_from_slice(b",\"url\":");
    json_str(&mut e, &d.url);
    if let Some(date) = &d.date {
        e.extend_from_slice(b",\"date\":");
        json_str(&mut e, date);
    }
    e.extend_from_slice(b",\"text\":");
    json_str(&mut e, &d.text);
    if d.kind == Kind::Chapter {
        e.extend_from_slice(b",\"sections\":[");
        for (i, s) in d.sections.iter().enumerate() {
            if i > 0 {
                e.push(b',');
            }
            e.push(b'[');
            json_str(&mut e, &s.title);
            e.push(b',');
            json_str(&mut e, &s.anchor);
            e.push(b',');
            json_str(&mut e, &s.text);
            e.push(b']');
        }
        e.push(b']');
    }
    e.push(b'}');
    e
}

/// `s` as a JSON string.
fn json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    let mut start = 0;
    loop {
        let k = crate::scan::json_special(b, start);
        out.extend_from_slice(&b[start..k]);
        let Some(&c) = b.get(k) else { break };
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => out.extend_from_slice(format!("\\u{c:04x}").as_bytes()),
        }
        start = k + 1;
    }
    out.push(b'"');
}

fn push_num(out: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut k = digits.len();
    loop {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[k..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_token(text, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn words_are_lowercased_without_diacritics_or_punctuation_or_possessives() {
        assert_eq!(words("The STORM, at sea!"), ["the", "storm", "at", "sea"]);
        assert_eq!(
            words("Élodie’s café in Zürich; Øresund, Łódź"),
            ["elodie", "cafe", "in", "zurich", "øresund", "łodz"]
        );
        assert_eq!(
            words("Abbas's deal, don't, rock 'n' roll, 's"),
            ["abbas", "deal", "don", "t", "rock", "n", "roll", "s"]
        );
        assert_eq!(words("1890-05-03 (No. 7)"), ["1890", "05", "03", "no", "7"]);
        assert_eq!(
            words("Ὀδυσσεύς Москва 東京"),
            ["ὀδυσσεύς", "москва", "東京"]
        );
        assert_eq!(
            words(&"x".repeat(65)),
            Vec::<String>::new(),
            "runs over 64 bytes are not words"
        );
        assert_eq!(words(""), Vec::<String>::new());
    }

    #[test]
    fn the_fold_table_maps_accented_latin_letters_to_their_base() {
        assert_eq!(fold('é'), 'e');
        assert_eq!(fold('Ç'), 'C');
        assert_eq!(fold('ÿ'), 'y');
        assert_eq!(fold('ž'), 'z');
        assert_eq!(fold('æ'), 'æ', "no canonical decomposition");
        assert_eq!(fold('ß'), 'ß');
        assert_eq!(fold('ſ'), 'ſ');
    }

    fn doc(kind: Kind, title: &str, text: String) -> Doc {
        Doc {
            kind,
            title: title.to_string(),
            url: format!("x/{title}/"),
            date: None,
            text,
            sections: Vec::new(),
            boosts: vec![(title.to_string(), TITLE)],
        }
    }

    /// A big index: 6,000 documents of 400 words from a vocabulary of 40,000 (a few words in
    /// every document), one document of 200 KB.
    fn big() -> Vec<Doc> {
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

    #[test]
    fn every_file_stays_small_and_every_term_is_in_the_shard_whose_range_covers_it() {
        let docs = big();
        let terms = postings(&docs);
        assert!(
            terms.iter().any(|(t, _)| &**t == "common"),
            "the common word is indexed"
        );
        let shards = shards(&terms);
        assert!(shards.len() > 10, "{} shards", shards.len());
        let firsts: Vec<&str> = shards.iter().map(|s| s.first.as_str()).collect();
        let mut seen = 0;
        for (i, s) in shards.iter().enumerate() {
            assert!(
                s.bytes.len() < 100_000,
                "shard {i} is {} bytes",
                s.bytes.len()
            );
            let v: serde_json::Value = serde_json::from_slice(&s.bytes).unwrap();
            let entries = v["terms"].as_array().unwrap();
            assert_eq!(entries[0][0], s.first);
            for e in entries {
                let term = e[0].as_str().unwrap();
                // The shard a client picks for this term: the last whose first term is <= it.
                let pick = firsts.partition_point(|f| *f <= term) - 1;
                assert_eq!(pick, i, "{term} is in shard {i}, but the ranges say {pick}");
                seen += 1;
            }
        }
        assert_eq!(seen, terms.len(), "every term once");
        // A word in every document keeps the 2,000 best, in document order, the weighty first.
        let common = &terms.iter().find(|(t, _)| &**t == "common").unwrap().1;
        assert_eq!(common.len(), POSTINGS);
        assert!(common.windows(2).all(|w| w[0].0 < w[1].0));
        // The ones kept are the best by weight, ties to the earlier document: as a full sort
        // of every posting (untruncated, from `postings_of`) picks them.
        let all = postings_of(&docs, 0);
        let mut best = all
            .iter()
            .find(|(t, _)| &**t == "common")
            .unwrap()
            .1
            .clone();
        assert!(
            best.len() > POSTINGS && best.iter().any(|p| p.1 != best[0].1),
            "weights differ, and some are dropped"
        );
        best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        best.truncate(POSTINGS);
        best.sort();
        assert_eq!(common, &best);
        let t11 = &terms.iter().find(|(t, _)| &**t == "t11").unwrap().1;
        assert_eq!(t11, &[(11, 8)], "title words count 8");

        let chunks = chunks(docs);
        assert!(chunks.len() > 10);
        let mut n = 0;
        for (i, c) in chunks.iter().enumerate() {
            assert!(
                c.bytes.len() < 100_000,
                "chunk {i} is {} bytes",
                c.bytes.len()
            );
            let v: serde_json::Value = serde_json::from_slice(&c.bytes).unwrap();
            assert_eq!(v["first"], c.first);
            assert_eq!(c.first, n);
            n += v["docs"].as_array().unwrap().len() as u32;
        }
        assert_eq!(n, 6_000);
    }

    #[test]
    fn the_index_is_the_same_however_the_work_is_split() {
        let docs: Vec<Doc> = big().into_iter().take(500).collect();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| postings(&docs));
        let three = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap()
            .install(|| postings(&docs));
        assert!(one == three);
        let a: Vec<Vec<u8>> = shards(&one).into_iter().map(|s| s.bytes).collect();
        let b: Vec<Vec<u8>> = shards(&three).into_iter().map(|s| s.bytes).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn postings_are_delta_encoded_with_weights() {
        let docs = vec![
            doc(Kind::Chapter, "Storm", "Storm. A storm at sea.".into()),
            doc(Kind::Chapter, "Calm", "Calm.".into()),
            doc(Kind::Event, "Gale", "Gale. Storm, storm, storm.".into()),
        ];
        let terms = postings(&docs);
        let storm = &terms.iter().find(|(t, _)| &**t == "storm").unwrap().1;
        assert_eq!(storm, &[(0, 10), (2, 3)]);
        let shard = String::from_utf8(shards(&terms).remove(0).bytes).unwrap();
        assert!(shard.contains(r#"["storm",[0,10,2,3]]"#), "{shard}");
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut out = Vec::new();
        json_str(&mut out, "a \"b\" \\ c\n\u{1}é");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#""a \"b\" \\ c\n\u0001é""#
        );
        let mut n = Vec::new();
        push_num(&mut n, 0);
        n.push(b' ');
        push_num(&mut n, 4_294_967_295);
        assert_eq!(n, b"0 4294967295");
    }

    #[test]
    fn event_text_reads_as_sentences() {
        assert_eq!(
            sentences(&["The storm", "", " At sea ", "A gale.", "Who?"]),
            "The storm. At sea. A gale. Who?"
        );
    }
}
