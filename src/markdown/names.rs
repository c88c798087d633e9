//! The automaton of people's names: every name and alias in one Aho-Corasick DFA, run only
//! where a name can start (at the start of a word, on a byte that starts some name), so a
//! chapter's text is searched once for everyone it may mention.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

/// All people's names and aliases in one automaton (leftmost-longest, so "Naftali Bennett"
/// wins over "Bennett"), run only where a name can start: at the start of a word, on a byte
/// that starts some name.
pub struct NameMatcher {
    ac: AhoCorasick,
    owners: Vec<usize>,
    /// The bytes names start with.
    first: [bool; 256],
}

impl NameMatcher {
    /// `names`: (name, person index). Names claimed by two different people are left out, as
    /// a link to either would be a guess; they are returned so the caller can say so.
    pub fn new(names: &[(String, usize)]) -> (NameMatcher, Vec<String>) {
        let mut owner: HashMap<String, Option<usize>> = HashMap::new();
        for (name, who) in names {
            for variant in [name.replace('\'', "’"), name.replace('’', "'")] {
                if variant.trim().is_empty() {
                    continue;
                }
                let e = owner.entry(variant).or_insert(Some(*who));
                if *e != Some(*who) {
                    *e = None;
                }
            }
        }
        let mut ambiguous: Vec<String> = owner
            .iter()
            .filter(|(_, o)| o.is_none())
            .map(|(n, _)| n.clone())
            .collect();
        ambiguous.sort();
        let mut pairs: Vec<(String, usize)> = owner
            .into_iter()
            .filter_map(|(n, o)| o.map(|o| (n, o)))
            .collect();
        pairs.sort();
        let mut first = [false; 256];
        for (n, _) in &pairs {
            first[n.as_bytes()[0] as usize] = true;
        }
        // A DFA, searched anchored at each place a name can start: more memory than the
        // default NFA, but the fastest to search, and every chapter's text goes through it.
        let ac = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(aho_corasick::StartKind::Anchored)
            .build(pairs.iter().map(|(n, _)| n.as_str()))
            .expect("names build an automaton");
        (
            NameMatcher {
                ac,
                owners: pairs.into_iter().map(|(_, o)| o).collect(),
                first,
            },
            ambiguous,
        )
    }

    /// Whole-word matches in `text`, left to right, not overlapping: (byte range, person). At
    /// each start of a word, the longest name found there that also ends a word.
    pub(super) fn find<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (Range<usize>, usize)> + 'a {
        let b = text.as_bytes();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let mut i = 0;
        std::iter::from_fn(move || {
            while i < b.len() {
                let at = i;
                i += 1;
                if !self.first[b[at] as usize] || word(text[..at].chars().next_back()) {
                    continue;
                }
                let input = aho_corasick::Input::new(text)
                    .span(at..text.len())
                    .anchored(aho_corasick::Anchored::Yes);
                let Some(m) = self.ac.find(input) else {
                    continue;
                };
                if word(text[m.end()..].chars().next()) {
                    continue;
                }
                i = m.end();
                return Some((m.range(), self.owners[m.pattern().as_usize()]));
            }
            None
        })
    }
}
