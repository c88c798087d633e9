//! The inverted index: every word of the records ([`for_each_token`]) with its postings, the
//! documents it is in and its weight in each, in document order, the words sorted by code point.
//! Documents are tokenised in parallel, and the result is the same however the work is split.
//! What a record's text and boosts are is `records`'; cutting the terms into shard files is
//! `json`'s.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use super::records::Doc;
use super::tokens::for_each_token;

/// A posting list keeps the documents with the highest weights, at most this many.
pub(super) const POSTINGS: usize = 2_000;
/// A term's weight in a document: its count (each title word ×8, heading word ×3, person's name
/// or alias ×8), capped.
const WEIGHT_CAP: u32 = 100;
/// Added to a term's weight in a document when the term is a word of the document's name or an
/// alias (an entity's, see `records::Kind::entity`): the client reads `weight & 127` as the
/// weight and `weight & 128` as "a name word", to find the entity a query names.
pub(super) const NAME_FLAG: u8 = 128;

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
pub(super) type Posting = (u32, u8);
/// A term and its postings.
pub(super) type Term = (Box<str>, Vec<Posting>);

/// Every term with its postings in document order, the terms sorted by code point. Documents
/// are tokenised in parallel, in contiguous runs merged in order.
pub(super) fn postings(docs: &[Doc]) -> Vec<Term> {
    let runs = (rayon::current_num_threads() * 4).clamp(1, docs.len().max(1));
    let size = docs.len().div_ceil(runs).max(1);
    let parts: Vec<Vec<Term>> = docs
        .par_chunks(size)
        .enumerate()
        .map(|(k, run)| postings_of(run, (k * size) as u32))
        .collect();
    let mut terms = merge(parts);
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    terms.par_iter_mut().for_each(|(_, list)| keep_best(list));
    terms
}

/// The terms of consecutive runs of documents as one list, each term's postings in run order
/// (so in document order), the terms in order of first appearance.
fn merge(parts: Vec<Vec<Term>>) -> Vec<Term> {
    let mut ids: FxMap<Box<str>, usize> = FxMap::default();
    let mut terms: Vec<Term> = Vec::new();
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
    terms
}

/// Keep the best [`POSTINGS`] of a list (by weight, then document: a total order, so the same
/// ones in every build), found in linear time (a common word has tens of thousands), in
/// document order.
fn keep_best(list: &mut Vec<Posting>) {
    if list.len() > POSTINGS {
        list.select_nth_unstable_by(POSTINGS - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(POSTINGS);
        list.sort_unstable();
    }
}

/// The postings of a run of documents numbered from `first`.
fn postings_of(docs: &[Doc], first: u32) -> Vec<Term> {
    let mut ids: FxMap<Box<str>, u32> = FxMap::default();
    let mut terms: Vec<Term> = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    let mut named: Vec<bool> = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    for (k, doc) in docs.iter().enumerate() {
        for (piece, weight, name) in doc.pieces() {
            for_each_token(piece, |t| {
                let id = match ids.get(t) {
                    Some(&id) => id,
                    None => {
                        let id = terms.len() as u32;
                        ids.insert(t.into(), id);
                        terms.push((t.into(), Vec::new()));
                        counts.push(0);
                        named.push(false);
                        id
                    }
                };
                if counts[id as usize] == 0 && !named[id as usize] {
                    touched.push(id);
                }
                counts[id as usize] += weight;
                named[id as usize] |= name;
            });
        }
        for &id in &touched {
            let mut w = counts[id as usize].min(WEIGHT_CAP) as u8;
            if named[id as usize] {
                w |= NAME_FLAG;
            }
            terms[id as usize].1.push((first + k as u32, w));
            counts[id as usize] = 0;
            named[id as usize] = false;
        }
        touched.clear();
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::super::records::Kind;
    use super::super::records::sample::{big, doc};
    use super::*;

    #[test]
    fn a_word_in_every_document_keeps_the_best_postings_in_document_order() {
        let docs = big();
        let terms = postings(&docs);
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
        assert!(
            terms.windows(2).all(|w| w[0].0 < w[1].0),
            "terms sorted, each once"
        );
    }

    #[test]
    fn a_weight_is_the_count_of_a_word_with_title_words_counting_eight() {
        let docs = vec![
            doc(Kind::Chapter, "Storm", "Storm. A storm at sea.".into()),
            doc(Kind::Chapter, "Calm", "Calm.".into()),
            doc(Kind::Event, "Gale", "Gale. Storm, storm, storm.".into()),
        ];
        let terms = postings(&docs);
        let storm = &terms.iter().find(|(t, _)| &**t == "storm").unwrap().1;
        assert_eq!(storm, &[(0, 10), (2, 3)]);
    }

    #[test]
    fn the_words_of_a_name_or_alias_are_flagged_in_that_record_only() {
        let mut armstrong = doc(Kind::Person, "Neil Armstrong", "Commander. Flew.".into());
        armstrong.names = vec!["Neil Armstrong".into(), "Armstrong".into()];
        let landing = doc(Kind::Event, "Landing", "Neil Armstrong lands.".into());
        let terms = postings(&[armstrong, landing]);
        let of = |w: &str| terms.iter().find(|(t, _)| &**t == w).unwrap().1.clone();
        // The name's words weigh as a title's, once per name they are in, plus the flag.
        assert_eq!(of("armstrong"), [(0, 8 + NAME_FLAG), (1, 1)]);
        assert_eq!(of("neil"), [(0, 8 + NAME_FLAG), (1, 1)]);
        assert_eq!(of("commander"), [(0, 1)], "the text's words are not names");
    }
}
