//! The automaton of names: every name and alias of every entity (people, places,
//! organizations, glossary terms) in one Aho-Corasick automaton (a contiguous NFA), run only
//! where a name can start (at the start of a word, on a byte that starts some name), so a
//! chapter's text is searched once for everything it may mention.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::Entity;

/// All entities' names and aliases in one automaton (leftmost-longest, so "Naftali Bennett"
/// wins over "Bennett"), run only where a name can start: at the start of a word, on a byte
/// that starts some name.
pub struct NameMatcher {
    ac: AhoCorasick,
    owners: Vec<Entity>,
    /// The bytes names start with.
    first: [bool; 256],
}

impl NameMatcher {
    /// `names`: (name, entity). Names claimed by two different entities (two people, a person
    /// and a place, …) are left out, as a link to either would be a guess; they are returned so
    /// the caller can say so.
    pub fn new(names: &[(String, Entity)]) -> (NameMatcher, Vec<String>) {
        let mut owner: HashMap<String, Option<Entity>> = HashMap::new();
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
        let mut pairs: Vec<(String, Entity)> = owner
            .into_iter()
            .filter_map(|(n, o)| o.map(|o| (n, o)))
            .collect();
        pairs.sort();
        let mut first = [false; 256];
        for (n, _) in &pairs {
            first[n.as_bytes()[0] as usize] = true;
        }
        let ac = automaton(pairs.iter().map(|(n, _)| n.as_str()));
        (
            NameMatcher {
                ac,
                owners: pairs.into_iter().map(|(_, o)| o).collect(),
                first,
            },
            ambiguous,
        )
    }

    /// The automaton's heap memory, in bytes.
    #[cfg(test)]
    pub(super) fn memory_usage(&self) -> usize {
        self.ac.memory_usage()
    }

    /// Whole-word matches in `text`, left to right, not overlapping: (byte range, entity). At
    /// each start of a word, the longest name found there that also ends a word.
    pub(super) fn find<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (Range<usize>, Entity)> + 'a {
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

/// The automaton of `names`, searched anchored at each place a name can start. A contiguous
/// NFA, as the aho-corasick documentation advises for more than a few patterns: a DFA takes a
/// transition table row per state, as wide as the bytes the names use, so each non-ASCII alias
/// cost about 20 KB (100,000 of them: 2.4 GB); the NFA's memory is a few bytes per byte of the
/// names. Searching costs about the same (callgrind, the first build of N = 1,000: 3.700 billion
/// instructions with the DFA, 3.695 with the NFA, which is quicker to build).
fn automaton<'a>(names: impl Iterator<Item = &'a str> + Clone) -> AhoCorasick {
    let build = |kind| {
        AhoCorasick::builder()
            .kind(Some(kind))
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(aho_corasick::StartKind::Anchored)
            .build(names.clone())
    };
    // (A contiguous NFA has a limit on its size; past it, the slower non-contiguous one.)
    build(AhoCorasickKind::ContiguousNFA)
        .or_else(|_| build(AhoCorasickKind::NoncontiguousNFA))
        .expect("names build an automaton")
}
