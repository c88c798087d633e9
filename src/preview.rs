//! Page previews: the resolved `Site` → the cards `static/preview.js` shows when a reader hovers
//! or focuses a link to a person, an event or a chapter (a name, a role or date, a one-line
//! summary), as files under `preview/`. Made from the model, never from the pages, and loaded
//! by the browser only at the first hover or focus, one small shard at a time.
//!
//! - `preview/meta.json`: `{"version": 1, "shards": n}`.
//! - `preview/<k>.json`: `{url: [kind, title, line, text], …}` for the cards whose URL hashes to
//!   `k` (FNV-1a, 32 bits, of the URL's UTF-8 bytes, modulo `n`; `preview.js` computes the
//!   same), the URLs site-relative as [`crate::site`] writes them (`people/x/`, `timeline/#e`),
//!   in sorted order. Each shard holds about [`SHARD_BYTES`], so no file grows with the site.
//!
//! A new kind of page (a place, an organization, a term) is one more function making its
//! [`Card`]s in [`cards`]; the client knows no kinds. Output is deterministic.

use std::collections::BTreeMap;

use crate::output::Output;
use crate::site::{Chapter, Event, Person, Site};

/// Where the cards go, under the output folder.
pub const DIR: &str = "preview/";
/// The version of the format, in `meta.json` (the client checks it).
pub const FORMAT: u32 = 1;
/// The bytes a shard holds, about: the cards are spread over as many shards as this takes.
const SHARD_BYTES: usize = 24_000;
/// A card's text is cut to about this many characters (it is one line or two of a summary).
const TEXT_CHARS: usize = 220;
/// A card's title and line are cut to this many characters.
const TITLE_CHARS: usize = 160;

/// What a card shows for the page at `url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The page, site-relative.
    pub url: String,
    /// What the page is ("Person", "Event", "Chapter"), shown above the title.
    pub kind: &'static str,
    pub title: String,
    /// A role, a date, a chapter's number.
    pub line: String,
    /// A one-line summary, as the reader reads it (plain text).
    pub text: String,
}

/// Every card of `site`: chapters, people, events, and the world's places, organizations and
/// glossary terms.
pub fn cards(site: &Site) -> Vec<Card> {
    let mut out: Vec<Card> = site.chapters.iter().map(chapter).collect();
    out.extend(site.people.iter().map(person));
    out.extend(site.events.iter().map(event));
    for kind in crate::site::WorldKind::ALL {
        out.extend(site.world.of(kind).iter().map(entry));
    }
    out
}

/// A place, an organization or a term: its kind as written (and side), and its summary or, when
/// it has none, its description.
fn entry(e: &crate::site::Entry) -> Card {
    use crate::site::WorldKind;
    let kind = match e.kind {
        WorldKind::Place => "Place",
        WorldKind::Organization => "Organization",
        WorldKind::Term => "Term",
    };
    let line = match (e.category.trim(), e.side.trim()) {
        ("", "") => kind.to_string(),
        (c, "") => c.to_string(),
        ("", s) => s.to_string(),
        (c, s) => format!("{c} · {s}"),
    };
    let text = if e.summary.trim().is_empty() {
        &e.description_text
    } else {
        &e.summary
    };
    card(e.url.clone(), kind, &e.name, &line, text)
}

fn chapter(c: &Chapter) -> Card {
    card(
        c.url(),
        "Chapter",
        &c.title,
        &format!("Chapter {} · {} min read", c.number, c.minutes()),
        &c.summary,
    )
}

fn person(p: &Person) -> Card {
    let line = match (p.role.trim(), p.affiliation.trim()) {
        ("", a) => a.to_string(),
        (r, _) => r.to_string(),
    };
    let text = if p.summary_text.trim().is_empty() {
        p.bio_text.intro.clone()
    } else {
        p.summary_text.clone()
    };
    card(p.url(), "Person", &p.name, &line, &text)
}

fn event(e: &Event) -> Card {
    let date = e.date.display();
    let line = if e.place.is_empty() {
        date
    } else {
        format!("{date} · {}", e.place)
    };
    card(e.url(), "Event", &e.title, &line, &e.summary_text)
}

fn card(url: String, kind: &'static str, title: &str, line: &str, text: &str) -> Card {
    Card {
        url,
        kind,
        title: cut(title, TITLE_CHARS),
        line: cut(line, TITLE_CHARS),
        text: cut(text, TEXT_CHARS),
    }
}

/// `s` with its whitespace made single spaces, cut to about `chars` characters at a word, with
/// an ellipsis when cut.
fn cut(s: &str, chars: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= chars {
        return flat;
    }
    let end = flat
        .char_indices()
        .nth(chars)
        .map_or(flat.len(), |(i, _)| i);
    let head = &flat[..end];
    let head = head.rfind(' ').map_or(head, |i| &head[..i]);
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ']))
}

/// FNV-1a (32 bits) of `s`'s UTF-8 bytes: which shard a URL's card is in.
pub fn hash(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5, |h: u32, b| {
        (h ^ b as u32).wrapping_mul(0x0100_0193)
    })
}

/// The files of the cards of `site`, under [`DIR`].
pub fn files(site: &Site) -> Vec<Output> {
    shard(cards(site))
}

/// The cards as `meta.json` and shards.
fn shard(cards: Vec<Card>) -> Vec<Output> {
    let entries: Vec<(String, String)> = cards
        .into_iter()
        .map(|c| {
            let value = serde_json::to_string(&(c.kind, &c.title, &c.line, &c.text))
                .expect("a card serializes");
            (c.url, value)
        })
        .collect();
    let bytes: usize = entries.iter().map(|(u, v)| u.len() + v.len() + 4).sum();
    let n = bytes.div_ceil(SHARD_BYTES).max(1);
    let mut shards: Vec<BTreeMap<String, String>> = vec![BTreeMap::new(); n];
    for (url, value) in entries {
        shards[hash(&url) as usize % n].insert(url, value);
    }
    let mut out = vec![Output {
        path: format!("{DIR}meta.json"),
        bytes: format!("{{\"version\":{FORMAT},\"shards\":{n}}}\n")
            .into_bytes()
            .into(),
    }];
    for (k, cards) in shards.into_iter().enumerate() {
        let mut json = String::from("{");
        for (i, (url, value)) in cards.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push_str(&serde_json::to_string(url).expect("a string serializes"));
            json.push(':');
            json.push_str(value);
        }
        json.push_str("}\n");
        out.push(Output {
            path: format!("{DIR}{k}.json"),
            bytes: json.into_bytes().into(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(n: usize) -> Vec<Card> {
        (0..n)
            .map(|i| Card {
                url: format!("people/person-{i}/"),
                kind: "Person",
                title: format!("Person \"{i}\""),
                line: "Role".into(),
                text: "A summary of this person, long enough to weigh something. ".repeat(3),
            })
            .collect()
    }

    fn parse(o: &Output) -> serde_json::Value {
        serde_json::from_slice(&o.bytes).unwrap()
    }

    #[test]
    fn every_card_is_in_the_shard_its_url_hashes_to_and_shards_stay_small() {
        for n in [1, 40, 5_000] {
            let files = shard(sample(n));
            let meta = parse(&files[0]);
            let shards = meta["shards"].as_u64().unwrap() as usize;
            assert_eq!(files.len(), shards + 1);
            let mut seen = 0;
            for (k, f) in files[1..].iter().enumerate() {
                assert_eq!(f.path, format!("preview/{k}.json"));
                assert!(
                    f.bytes.len() < 50_000,
                    "{n}: shard {k} is {}",
                    f.bytes.len()
                );
                let cards = parse(f);
                for (url, card) in cards.as_object().unwrap() {
                    assert_eq!(hash(url) as usize % shards, k);
                    assert_eq!(card[0], "Person");
                    seen += 1;
                }
            }
            assert_eq!(seen, n);
        }
        let card = &parse(&shard(sample(1))[1])["people/person-0/"];
        assert_eq!(card[1], "Person \"0\"");
    }

    #[test]
    fn the_same_cards_give_the_same_bytes() {
        let a = shard(sample(300));
        let mut reversed = sample(300);
        reversed.reverse();
        let b = shard(reversed);
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!((&x.path, &x.bytes), (&y.path, &y.bytes));
        }
    }

    #[test]
    fn long_text_is_cut_at_a_word_with_an_ellipsis() {
        assert_eq!(cut("  a  short\n text ", 50), "a short text");
        assert_eq!(cut("one two three four", 10), "one two…");
        assert_eq!(cut("ééééé ééééé", 7), "ééééé…");
    }

    #[test]
    fn the_hash_is_fnv1a_as_preview_js_computes_it() {
        assert_eq!(hash(""), 0x811c_9dc5);
        assert_eq!(hash("a"), 0xe40c_292c);
        assert_eq!(hash("people/john-kerry/"), hash("people/john-kerry/"));
    }
}
