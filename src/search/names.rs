//! The words of the entities' names and aliases, by length (`names/<n>.json`, each a sorted
//! list of the words of `n` letters): what lets the search box find a name typed with its first
//! letter wrong ("Metanyahu", "Ahbas"). The index is sharded by terms, so a typo is looked for
//! among the words of the same first letter; a name's words are few (561 of four letters or more
//! in a generated documentary of 1,000 chapters), so the client compares a long enough query
//! word with those of a length one or two edits away, whatever their first letter, then reads
//! the postings of the few it is near from their shards. Which words are names is `records`'.

use std::collections::{BTreeMap, BTreeSet};

use super::records::Doc;
use super::tokens::for_each_token;

/// The shortest name word kept: a query word of five letters (the shortest that may have a
/// typo) is one letter away from a word of four.
pub(super) const SHORTEST: usize = 4;

/// The name words of `docs` of [`SHORTEST`] letters or more, by length in code points (as
/// `Array.from(word).length` counts them in `search.js`), each list sorted and without repeats.
pub(super) fn by_length(docs: &[Doc]) -> BTreeMap<usize, BTreeSet<String>> {
    let mut out: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for name in docs.iter().flat_map(|d| &d.names) {
        for_each_token(name, |w| {
            let n = w.chars().count();
            if n >= SHORTEST {
                out.entry(n).or_default().insert(w.to_string());
            }
        });
    }
    out
}

/// One length's file: a JSON array of its words, with a final newline.
pub(super) fn file(words: &BTreeSet<String>) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(words).expect("a list of strings serializes");
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::records::Kind;

    fn named(names: &[&str]) -> Doc {
        Doc {
            kind: Kind::Person,
            title: names[0].to_string(),
            url: String::new(),
            text: String::new(),
            sections: Vec::new(),
            boosts: Vec::new(),
            names: names.iter().map(|n| n.to_string()).collect(),
        }
    }

    #[test]
    fn name_words_are_kept_by_length_as_the_index_spells_them() {
        let docs = [
            named(&["Benjamin Netanyahu", "Bibi", "Netanyahu"]),
            named(&["Saeb Erekat"]),
            named(&["Mahmoud Abbas", "Abu Mazen"]),
            named(&["Jérôme Ñúñez"]),
        ];
        let words = by_length(&docs);
        let list = |n: usize| -> Vec<&str> {
            words
                .get(&n)
                .map(|w| w.iter().map(String::as_str).collect())
                .unwrap_or_default()
        };
        // Under four letters ("abu") left out; each word once; diacritics dropped.
        assert_eq!(list(3), Vec::<&str>::new());
        assert_eq!(list(4), ["bibi", "saeb"]);
        assert_eq!(list(5), ["abbas", "mazen", "nunez"]);
        assert_eq!(list(6), ["erekat", "jerome"]);
        assert_eq!(list(9), ["netanyahu"]);
        assert_eq!(
            String::from_utf8(file(&words[&5])).unwrap(),
            "[\"abbas\",\"mazen\",\"nunez\"]\n"
        );
    }
}
