//! The files of the index as JSON bytes: the terms in shards (`index/<n>.json`), the records in
//! chunks (`doc/<n>.json`) and `meta.json`, whose shapes `mod.rs` documents. `meta.json` ([`Meta`])
//! and each term (`(term, Deltas)`) are written by `serde_json`. A record is written by
//! [`doc_json`] as serde_json writes its typed view (the tests' `DocView`, which they compare with),
//! but directly: its text is most of the index's bytes, and serde_json's escaping is slower (see
//! there). Escaping is serde_json's everywhere: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other
//! controls as `\u00xx`, everything else as UTF-8.
//!
//! The frame of a shard or chunk file (`{"terms":[`, `,` between items, `]}` and a newline) is
//! written by [`pack`]: each term and record is encoded on its own, in parallel, and its size
//! decides which file it goes in; serde_json cannot splice bytes already encoded (that needs its
//! `raw_value` feature), and encoding every item a second time would cost the build time.
//! What the records and terms are belongs to `records` and `postings`.

use rayon::prelude::*;
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use super::postings::{Posting, Term};
use super::records::{Doc, Kind};

/// A shard of the index is closed once it would grow past this many bytes.
const SHARD_BYTES: usize = 50_000;
/// A chunk of documents is closed once it would grow past this many bytes.
const CHUNK_BYTES: usize = 64_000;

/// `meta.json`: what a client reads first.
#[derive(Serialize)]
pub(super) struct Meta<'a> {
    /// The format's version ([`super::FORMAT`]).
    pub(super) version: u32,
    /// How many records there are.
    pub(super) documents: u32,
    /// The kinds of records, in [`Kind::ALL`] order (the order of the records): each with its
    /// group's label, how many there are, how many results it shows, and whether its records
    /// are entities (named, with aliases).
    pub(super) groups: Groups,
    /// Each shard's first term and file name.
    pub(super) shards: Vec<(&'a str, String)>,
    /// The number of each chunk's first record.
    pub(super) chunks: Vec<u32>,
    /// The lengths of the entities' name words there are files of (`names/<n>.json`).
    pub(super) names: Vec<usize>,
}

/// How many records of each kind: `[["Chapter", "Chapters", n, shown, entity], …]`.
pub(super) struct Groups(pub(super) Vec<(Kind, usize)>);

impl Serialize for Groups {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            (self.0.iter()).map(|&(k, n)| (k.name(), k.label(), n, k.shown(), k.entity() as u8)),
        )
    }
}

impl Meta<'_> {
    /// The file's bytes, with a final newline.
    pub(super) fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec(self).expect("meta.json serializes");
        bytes.push(b'\n');
        bytes
    }
}

/// An index shard: its first term and its JSON.
pub(super) struct Shard {
    pub(super) first: String,
    pub(super) bytes: Vec<u8>,
}

/// The terms in shards of consecutive terms, each closed before it passes [`SHARD_BYTES`]:
/// `{"terms":[[term, postings], …]}`.
pub(super) fn shards(terms: &[Term]) -> Vec<Shard> {
    let entries: Vec<Vec<u8>> = terms
        .par_iter()
        .map(|(term, list)| {
            let mut e = Vec::with_capacity(term.len() + 4 + list.len() * 5);
            serde_json::to_writer(&mut e, &(&**term, Deltas(list))).expect("a term serializes");
            e
        })
        .collect();
    pack(entries, SHARD_BYTES, |_| b"{\"terms\":[".to_vec())
        .into_iter()
        .map(|(first, bytes)| Shard {
            first: terms[first].0.to_string(),
            bytes,
        })
        .collect()
}

/// A posting list as JSON: `[doc, weight, doc − previous doc, weight, …]`.
struct Deltas<'a>(&'a [Posting]);

impl Serialize for Deltas<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(2 * self.0.len()))?;
        let mut prev = 0;
        for &(doc, w) in self.0 {
            seq.serialize_element(&(doc - prev))?;
            seq.serialize_element(&w)?;
            prev = doc;
        }
        seq.end()
    }
}

/// A chunk of documents: the number of its first and its JSON.
pub(super) struct Chunk {
    pub(super) first: u32,
    pub(super) bytes: Vec<u8>,
}

/// The documents (consumed, so their text is freed as it is written) in chunks of consecutive
/// documents, each closed before it passes [`CHUNK_BYTES`]: `{"first": n, "docs": [record, …]}`.
pub(super) fn chunks(docs: Vec<Doc>) -> Vec<Chunk> {
    let encoded: Vec<Vec<u8>> = docs.into_par_iter().map(|d| doc_json(&d)).collect();
    pack(encoded, CHUNK_BYTES, |first| {
        let mut head = b"{\"first\":".to_vec();
        serde_json::to_writer(&mut head, &first).expect("a number serializes");
        head.extend_from_slice(b",\"docs\":[");
        head
    })
    .into_iter()
    .map(|(first, bytes)| Chunk {
        first: first as u32,
        bytes,
    })
    .collect()
}

/// A record as a result shows it: `{"kind", "title", "url", "names"?, "text", "sections"?}`, the
/// bytes serde_json writes for its typed view (`DocView`, in the tests, which hold the two equal).
/// Written directly because the records' text is most of the index (11 MB of 12 at N=1,000), and
/// serde_json looks at a string a byte at a time for what to escape where [`string`] looks at
/// eight: through serde_json, encoding the records of N=1,000 took 6-11 ms more (one thread).
fn doc_json(d: &Doc) -> Vec<u8> {
    let mut e = Vec::with_capacity(
        d.text.len() + d.sections.iter().map(|s| s.text.len() + 64).sum::<usize>() + 128,
    );
    e.extend_from_slice(b"{\"kind\":");
    string(&mut e, d.kind.name());
    e.extend_from_slice(b",\"title\":");
    string(&mut e, &d.title);
    e.extend_from_slice(b",\"url\":");
    string(&mut e, &d.url);
    if !d.names.is_empty() {
        e.extend_from_slice(b",\"names\":[");
        for (i, n) in d.names.iter().enumerate() {
            if i > 0 {
                e.push(b',');
            }
            string(&mut e, n);
        }
        e.push(b']');
    }
    e.extend_from_slice(b",\"text\":");
    string(&mut e, &d.text);
    if d.kind == Kind::Chapter {
        e.extend_from_slice(b",\"sections\":[");
        for (i, s) in d.sections.iter().enumerate() {
            if i > 0 {
                e.push(b',');
            }
            e.push(b'[');
            string(&mut e, &s.title);
            e.push(b',');
            string(&mut e, &s.anchor);
            e.push(b',');
            string(&mut e, &s.text);
            e.push(b']');
        }
        e.push(b']');
    }
    e.push(b'}');
    e
}

/// `s` as a JSON string, escaped as serde_json escapes it (the tests hold the two equal): `\"`,
/// `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, the other controls as `\u00xx`, the rest as it is.
fn string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
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
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(c >> 4) as usize],
                HEX[(c & 15) as usize],
            ]),
        }
        start = k + 1;
    }
    out.push(b'"');
}

/// Items, each already JSON, in files of consecutive items: a file is `head(number of its first
/// item)`, its items separated by commas, then `]}` and a newline. A file takes the next item
/// while it stays within `limit` bytes with room for the comma and its end. Returns each file's
/// first item and bytes.
fn pack(
    items: Vec<Vec<u8>>,
    limit: usize,
    head: impl Fn(usize) -> Vec<u8>,
) -> Vec<(usize, Vec<u8>)> {
    const END: &[u8] = b"]}\n";
    let mut out: Vec<(usize, Vec<u8>)> = Vec::new();
    for (n, item) in items.into_iter().enumerate() {
        match out.last_mut() {
            Some((_, file)) if file.len() + item.len() + 4 <= limit => {
                file.push(b',');
                file.extend_from_slice(&item);
            }
            last => {
                if let Some((_, file)) = last {
                    file.extend_from_slice(END);
                }
                let mut file = head(n);
                file.extend_from_slice(&item);
                out.push((n, file));
            }
        }
    }
    if let Some((_, file)) = out.last_mut() {
        file.extend_from_slice(END);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::postings::postings;
    use super::super::records::sample::{big, doc};
    use super::*;
    use crate::markdown::Section;

    /// The shape of a record, as serde_json writes it: what [`doc_json`] must write.
    #[derive(Serialize)]
    struct DocView<'a> {
        kind: &'static str,
        title: &'a str,
        url: &'a str,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        names: &'a [String],
        text: &'a str,
        /// A chapter's sections, even none; other kinds have no such field.
        #[serde(skip_serializing_if = "Option::is_none")]
        sections: Option<Sections<'a>>,
    }

    impl<'a> DocView<'a> {
        fn of(d: &'a Doc) -> DocView<'a> {
            DocView {
                kind: d.kind.name(),
                title: &d.title,
                url: &d.url,
                names: &d.names,
                text: &d.text,
                sections: (d.kind == Kind::Chapter).then_some(Sections(&d.sections)),
            }
        }
    }

    /// Sections as `[[title, anchor, text], …]`.
    struct Sections<'a>(&'a [Section]);

    impl Serialize for Sections<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().map(|s| (&s.title, &s.anchor, &s.text)))
        }
    }

    #[test]
    fn every_file_stays_small_and_every_term_is_in_the_shard_whose_range_covers_it() {
        let docs = big();
        let terms = postings(&docs);
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
        let shard = String::from_utf8(shards(&postings(&docs)).remove(0).bytes).unwrap();
        assert!(shard.starts_with(r#"{"terms":[["#), "{shard}");
        assert!(shard.contains(r#"["storm",[0,10,2,3]]"#), "{shard}");
        assert!(shard.ends_with("]]]}\n"), "{shard}");
    }

    #[test]
    fn records_are_written_with_their_fields_in_order_and_strings_escaped() {
        let mut chapter = doc(
            Kind::Chapter,
            "A \"b\"",
            "\\ c\n\t\u{1}\u{8}\r é\u{2028}".into(),
        );
        chapter.sections = vec![Section {
            title: "S".into(),
            anchor: "s".into(),
            text: "t".into(),
        }];
        let event = doc(Kind::Event, "E", "e".into());
        let mut person = doc(Kind::Person, "P", "p".into());
        person.names = vec!["P".into(), "Q \"R\"".into()];
        let files = chunks(vec![chapter, event, person]);
        assert_eq!(
            String::from_utf8(files[0].bytes.clone()).unwrap(),
            concat!(
                r#"{"first":0,"docs":["#,
                r#"{"kind":"Chapter","title":"A \"b\"","url":"x/A \"b\"/","#,
                r#""text":"\\ c\n\t\u0001\b\r é"#,
                "\u{2028}",
                r#"","sections":[["S","s","t"]]},"#,
                r#"{"kind":"Event","title":"E","url":"x/E/","text":"e"},"#,
                r#"{"kind":"Person","title":"P","url":"x/P/","names":["P","Q \"R\""],"text":"p"}"#,
                "]}\n"
            )
        );
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut all: Vec<String> = (0..=0x7f_u8).map(|c| format!("a{}b", c as char)).collect();
        all.extend(
            [
                "",
                "plain",
                "\u{7f}\u{80}é\u{2028}\u{2029}東京\u{1F600}",
                "\"\\\n\r\t\u{8}\u{c}\u{0}\u{1f}",
                "a long run of letters before a quote, longer than eight bytes: \" and after",
            ]
            .map(String::from),
        );
        for s in &all {
            let mut ours = Vec::new();
            string(&mut ours, s);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(s).unwrap(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn records_are_written_as_serde_json_writes_their_view() {
        let mut docs = big().into_iter().step_by(97).collect::<Vec<Doc>>();
        let mut odd = doc(Kind::Chapter, "Ti\"tle\u{1}", "Te\\xt\r\n\u{c}".into());
        odd.sections = vec![
            Section {
                title: "Ü \"q\"".into(),
                anchor: "u-q".into(),
                text: "\t\u{8}\u{2028}".into(),
            },
            Section::default(),
        ];
        let event = doc(Kind::Event, "E", "e".into());
        let mut person = doc(Kind::Person, "P", String::new());
        person.names = vec!["P".into(), "Pé\u{1}".into()];
        docs.extend([odd, event, person]);
        docs.push(doc(Kind::Chapter, "no sections", "x".into()));
        for d in &docs {
            assert_eq!(
                String::from_utf8(doc_json(d)).unwrap(),
                serde_json::to_string(&DocView::of(d)).unwrap(),
                "{}",
                d.title
            );
        }
    }

    #[test]
    fn meta_lists_counts_in_kind_order_then_shards_and_chunks() {
        let meta = Meta {
            version: 1,
            documents: 3,
            groups: Groups(vec![
                (Kind::Chapter, 2),
                (Kind::Person, 0),
                (Kind::Event, 1),
            ]),
            shards: vec![("a", "0.json".into()), ("m\"", "1.json".into())],
            chunks: vec![0, 2],
            names: vec![4, 6],
        };
        assert_eq!(
            String::from_utf8(meta.to_bytes()).unwrap(),
            concat!(
                r#"{"version":1,"documents":3,"groups":[["Chapter","Chapters",2,4,0],"#,
                r#"["Person","People",0,4,1],["Event","Events",1,5,0]],"#,
                r#""shards":[["a","0.json"],["m\"","1.json"]],"chunks":[0,2],"names":[4,6]}"#,
                "\n"
            )
        );
    }

    #[test]
    fn a_file_takes_items_while_they_fit() {
        let items = ["aaa", "bbb", "ccc", "dddddddddd"].map(|s| s.as_bytes().to_vec());
        let files = pack(items.to_vec(), 15, |n| format!("{n}[").into_bytes());
        let files: Vec<(usize, String)> = files
            .into_iter()
            .map(|(n, b)| (n, String::from_utf8(b).unwrap()))
            .collect();
        // "0[aaa" is 5 bytes: "bbb" fits (5 + 3 + 4 <= 15), then "ccc" would not (9 + 3 + 4).
        assert_eq!(
            files,
            [
                (0, "0[aaa,bbb]}\n".to_string()),
                (2, "2[ccc]}\n".to_string()),
                (3, "3[dddddddddd]}\n".to_string())
            ]
        );
    }

    #[test]
    fn a_record_stays_within_its_bound_whatever_it_holds() {
        use super::super::records::DOC_JSON_BYTES;
        let section = |title: String, anchor: String, text: &str| Section {
            title,
            anchor,
            text: text.into(),
        };
        let extremes = [
            // 20,000 headings (their titles were kept whatever the text's budget).
            (0..20_000)
                .map(|i| section(format!("Heading {i}"), format!("heading-{i}"), "x"))
                .collect::<Vec<_>>(),
            // A heading of 200 KB, with its anchor made from it.
            vec![
                section("h ".repeat(100_000), "h-".repeat(100_000), "text"),
                section("After".into(), "after".into(), "more"),
            ],
            // Text of control characters, six bytes each in JSON.
            vec![section(
                "Controls".into(),
                "c".into(),
                &"\u{1}".repeat(45_000),
            )],
        ];
        for (n, sections) in extremes.into_iter().enumerate() {
            let mut d = doc(Kind::Chapter, &"T".repeat(300_000), "Intro.".into());
            d.url = format!("timeline/#{}", "e".repeat(200_000));
            d.sections = sections;
            d.fit();
            let json = doc_json(&d);
            assert!(
                json.len() <= DOC_JSON_BYTES,
                "case {n}: {} bytes",
                json.len()
            );
            assert_eq!(serde_json::to_vec(&DocView::of(&d)).unwrap(), json);
            assert_eq!(d.url, "timeline/");
            assert_eq!(d.text, "Intro.");
            assert!(!d.sections.is_empty(), "case {n}");
        }
        let mut d = doc(Kind::Event, "T", "\u{2}".repeat(45_000));
        d.fit();
        assert!(doc_json(&d).len() <= DOC_JSON_BYTES);
        assert!(d.text.len() > 14_000, "{}", d.text.len());
        // An ordinary record is left as it is.
        let mut d = doc(Kind::Chapter, "T", "Some \"text\".".into());
        d.sections = vec![section("H".into(), "h".into(), "x")];
        let before = d.clone();
        d.fit();
        assert_eq!(d, before);
    }
}
