//! The ids one text gives its elements, unique on the page it is shown on. An id an author
//! writes (`## Rome {#rome}`) is never changed: when it is taken (by another heading, by an
//! element of the page's own, by a paragraph's `p-N`), that is an error. An id made from a
//! heading's text avoids every id the page uses, the author's later ones included. Footnote
//! labels match as GFM matches them (case and spacing aside), and labels that make the same
//! slug (`[^!]`, `[^?]`) get distinct ids.

use std::collections::{HashMap, HashSet};

use crate::util::slug::slugify;

/// Ids the built-in templates give a chapter's page, and the notes' own section.
const PAGE_IDS: &[&str] = &[
    "main",
    "footnotes",
    "search-hint",
    "search-input",
    "search-results",
    "search-status",
    "chapter-title",
    "toc-heading",
    "cast-heading",
    "events-heading",
    "sources-heading",
];

/// The ids of one text (all of them behind the text's id prefix).
pub(super) struct Ids {
    used: HashSet<String>,
    /// The ids the author wrote on headings, anywhere in the text.
    explicit: HashSet<String>,
    /// Each footnote's slug, by its normalized label.
    notes: HashMap<String, String>,
    note_slugs: HashSet<String>,
    /// Labels whose definition was seen.
    defined: HashSet<String>,
    /// Whether the text is shown on a page of its own (a chapter: no prefix), whose template's
    /// ids it must avoid.
    page: bool,
}

impl Ids {
    pub(super) fn new(text: &str, prefix: &str) -> Ids {
        let page = prefix.is_empty();
        let mut used = HashSet::new();
        if page {
            used.extend(PAGE_IDS.iter().map(|s| s.to_string()));
        }
        Ids {
            used,
            explicit: explicit_ids(text),
            notes: HashMap::new(),
            note_slugs: HashSet::new(),
            defined: HashSet::new(),
            page,
        }
    }

    /// A heading's id: the author's (`Err` with a message when it is taken; the id is kept), or
    /// one made from its text that nothing else on the page uses.
    pub(super) fn heading(
        &mut self,
        explicit: Option<&str>,
        text: &str,
    ) -> Result<String, (String, String)> {
        if let Some(id) = explicit.map(str::trim).filter(|id| !id.is_empty()) {
            let taken = if self.page && PAGE_IDS.contains(&id) {
                Some("the page's own element")
            } else if generated_like(id) {
                Some("a paragraph or a note (ids of the form p-N, fn-… and fnref-… are theirs)")
            } else if self.used.contains(id) {
                Some("another heading")
            } else {
                None
            };
            self.used.insert(id.to_string());
            return match taken {
                Some(by) => Err((
                    id.to_string(),
                    format!("the id \"{id}\" is already used on this page, by {by}"),
                )),
                None => Ok(id.to_string()),
            };
        }
        let base = match slugify(text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let free = |id: &str| {
            !self.used.contains(id) && !self.explicit.contains(id) && !generated_like(id)
        };
        let id = std::iter::once(base.clone())
            .chain((1..).map(|k| format!("{base}-{k}")))
            .find(|id| free(id))
            .expect("a free id");
        self.used.insert(id.clone());
        Ok(id)
    }

    /// The slug of footnote `label` (made the first time the label is seen).
    pub(super) fn note(&mut self, label: &str) -> String {
        let key = note_key(label);
        if let Some(slug) = self.notes.get(&key) {
            return slug.clone();
        }
        let base = super::footnote_slug(label);
        let slug = std::iter::once(base.clone())
            .chain((2..).map(|k| format!("{base}-{k}")))
            .find(|s| !self.note_slugs.contains(s))
            .expect("a free slug");
        self.note_slugs.insert(slug.clone());
        self.notes.insert(key, slug.clone());
        slug
    }

    /// A definition of `label` is seen: false when one was seen before.
    pub(super) fn define(&mut self, label: &str) -> bool {
        self.defined.insert(note_key(label))
    }
}

/// A footnote label as GFM compares them: case-folded, its spaces collapsed.
pub(super) fn note_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// An id of the form the renderer gives paragraphs and notes (`p-3`, `fn-x`, `fnref-x`).
fn generated_like(id: &str) -> bool {
    let paragraph = id
        .strip_prefix("p-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    paragraph || id.starts_with("fn-") || id.starts_with("fnref-")
}

/// The ids written as `{#id}` at the end of a heading line (a quick look, before rendering).
fn explicit_ids(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for line in text.lines() {
        let l = line.trim_end();
        if !l.trim_start().starts_with('#') || !l.ends_with('}') {
            continue;
        }
        if let Some(open) = l.rfind("{#") {
            let id = l[open + 2..l.len() - 1]
                .split_whitespace()
                .next()
                .unwrap_or("");
            if !id.is_empty() {
                out.insert(id.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_ids_avoid_every_id_the_page_uses() {
        let mut ids = Ids::new("## Same\n## Same\n## Same 1\n## Later {#rome}\n", "");
        let got: Vec<String> = ["Same", "Same", "Same 1", "Rome", "Footnotes", "Main"]
            .iter()
            .map(|t| ids.heading(None, t).unwrap())
            .collect();
        assert_eq!(
            got,
            [
                "same",
                "same-1",
                "same-1-1",
                "rome-1",
                "footnotes-1",
                "main-1"
            ]
        );
        assert_eq!(
            ids.heading(Some("rome"), "Later"),
            Ok("rome".to_string()),
            "the author's id is kept"
        );
    }

    #[test]
    fn an_authors_id_that_is_taken_is_an_error_and_is_never_renamed() {
        let mut ids = Ids::new("", "");
        assert_eq!(ids.heading(Some("same"), "A"), Ok("same".into()));
        for (id, by) in [
            ("same", "another heading"),
            ("main", "the page's own element"),
            ("p-2", "a paragraph"),
        ] {
            let (kept, why) = ids.heading(Some(id), "B").unwrap_err();
            assert_eq!(kept, id);
            assert!(why.contains(by), "{why}");
        }
        // In a biography (its ids behind a prefix), the page's own ids are free.
        assert_eq!(
            Ids::new("", "bio-").heading(Some("main"), "M"),
            Ok("main".into())
        );
    }

    #[test]
    fn footnote_labels_match_as_gfm_matches_them_and_slugs_stay_distinct() {
        let mut ids = Ids::new("", "");
        assert_eq!(ids.note("A  Note"), ids.note("a note"));
        assert_ne!(ids.note("!"), ids.note("?"));
        assert!(ids.define("x") && !ids.define("X"));
    }
}
