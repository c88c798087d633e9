//! Ids and the index: every chapter, person, event and source id checked (unique, not reserved)
//! and looked up by the Markdown renderer through [`Index`], its `Resolver`. Ids that failed to
//! load ([`Broken`]) are known here too: a reference to one is not reported again.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use crate::diagnostics::{Diagnostic, Diagnostics, suggest};
use crate::load::{At, Broken, Sources};
use crate::markdown::{NameMatcher, Problem, RefKind, Resolver, Target};
use crate::site::{
    RESERVED_CHAPTER_SLUGS, RESERVED_PERSON_IDS, TimelinePage, chapter_url, event_url, person_url,
    source_url,
};

/// What `[[references]]` resolve against: the ids, names and titles of everything, where each
/// event is shown, and the automaton of people's names. Hashed as a whole (once, then by its
/// fingerprint), so that a memoized rendering of Markdown against it is keyed by all of it.
pub struct Index {
    data: IndexData,
    pub(super) matcher: Arc<NameMatcher>,
    key: OnceLock<u128>,
}

/// Everything a reference can resolve to (see [`Index`]).
#[derive(Hash, Default)]
pub(super) struct IndexData {
    pub people: HashMapKey,
    pub people_ids: Vec<String>,
    pub people_names: Vec<String>,
    /// Every name and alias, with whose it is (what the automaton was built from).
    pub names: Vec<(String, usize)>,
    pub chapters: HashMapKey,
    pub chapter_slugs: Vec<String>,
    pub chapter_titles: Vec<String>,
    pub events: HashMapKey,
    pub event_ids: Vec<String>,
    pub event_titles: Vec<String>,
    pub event_pages: Vec<TimelinePage>,
    pub sources: HashMapKey,
    pub source_ids: Vec<String>,
    pub source_titles: Vec<String>,
    pub broken: BrokenIds,
}

/// A map from ids to indices, hashed in the order of its (sorted) entries.
#[derive(Default)]
pub(super) struct HashMapKey(pub HashMap<String, usize>);

impl Hash for HashMapKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut entries: Vec<(&String, &usize)> = self.0.iter().collect();
        entries.sort_unstable();
        entries.hash(state);
    }
}

/// The ids that failed to load, by kind.
#[derive(Hash, Default)]
pub(super) struct BrokenIds {
    chapters: Vec<String>,
    people: Vec<String>,
    events: Vec<String>,
    sources: Vec<String>,
}

impl Hash for Index {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u128(
            *self
                .key
                .get_or_init(|| crate::util::fingerprint::of(&self.data)),
        );
    }
}

/// Every name and alias of `sources`' people, with the person's index (people sorted by id).
pub fn names(sources: &Sources) -> Vec<(String, usize)> {
    sources
        .people
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            std::iter::once(p.name.value.clone())
                .chain(p.aliases.iter().map(|a| a.value.clone()))
                .map(move |n| (n, i))
        })
        .collect()
}

/// The automaton that finds `names` in text. (A `&Vec`, not a slice: `serve` memoizes it with
/// `Memo::call`, which takes a `fn(&I)` of the very value it hashes.)
#[allow(clippy::ptr_arg)]
pub fn matcher(names: &Vec<(String, usize)>) -> Arc<NameMatcher> {
    Arc::new(NameMatcher::new(names).0)
}

/// Check the ids of `sources` (duplicates, reserved ones) and index them.
pub fn index(
    sources: &Sources,
    names: Vec<(String, usize)>,
    matcher: Arc<NameMatcher>,
    diags: &mut Diagnostics,
) -> Index {
    let mut people = HashMap::new();
    for (i, p) in sources.people.iter().enumerate() {
        if RESERVED_PERSON_IDS.contains(&p.id.value.as_str()) {
            diags.push(
                Diagnostic::error(
                    p.id.span.clone(),
                    format!(
                        "the person id \"{}\" is reserved for a generated page",
                        p.id.value
                    ),
                )
                .with_help(format!(
                    "rename the file, e.g. to \"{}-1.toml\"",
                    p.id.value
                )),
            );
            continue;
        }
        people.insert(p.id.value.clone(), i);
    }
    let mut chapters: HashMap<String, usize> = HashMap::new();
    for (i, c) in sources.chapters.iter().enumerate() {
        if RESERVED_CHAPTER_SLUGS.contains(&c.slug.value.as_str()) {
            diags.push(Diagnostic::error(
                c.slug.span.clone(),
                format!("the chapter slug \"{}\" is reserved", c.slug.value),
            ));
        }
        if let Some(&first) = chapters.get(&c.slug.value) {
            diags.push(
                Diagnostic::error(
                    c.slug.span.clone(),
                    format!("two chapters have the slug \"{}\"", c.slug.value),
                )
                .with_help(format!(
                    "{} has it too; rename one of them",
                    sources.chapters[first].file.path
                )),
            );
        } else {
            chapters.insert(c.slug.value.clone(), i);
        }
    }
    chapter_numbers(sources, diags);
    let source_ix = unique_ids(sources.sources.iter().map(|s| &s.id), "source", diags);
    let event_ix = unique_ids(sources.events.iter().map(|e| &e.id), "event", diags);
    // Where each event is shown, known before any Markdown links to it. (A bad date is
    // reported with the event.)
    let event_pages = super::chronology::pages(sources, |slug| chapters.get(slug).copied());
    let data = IndexData {
        people: HashMapKey(people),
        people_ids: sources.people.iter().map(|p| p.id.value.clone()).collect(),
        people_names: sources
            .people
            .iter()
            .map(|p| p.name.value.clone())
            .collect(),
        names,
        chapters: HashMapKey(chapters),
        chapter_slugs: sources
            .chapters
            .iter()
            .map(|c| c.slug.value.clone())
            .collect(),
        chapter_titles: sources
            .chapters
            .iter()
            .map(|c| c.title.value.clone())
            .collect(),
        events: HashMapKey(event_ix),
        event_ids: sources.events.iter().map(|e| e.id.value.clone()).collect(),
        event_titles: sources
            .events
            .iter()
            .map(|e| {
                if e.title.is_empty() {
                    e.id.value.clone()
                } else {
                    e.title.clone()
                }
            })
            .collect(),
        event_pages,
        sources: HashMapKey(source_ix),
        source_ids: sources.sources.iter().map(|s| s.id.value.clone()).collect(),
        source_titles: sources
            .sources
            .iter()
            .map(|s| s.title.value.clone())
            .collect(),
        broken: BrokenIds::of(&sources.broken),
    };
    Index {
        data,
        matcher,
        key: OnceLock::new(),
    }
}

impl BrokenIds {
    fn of(b: &Broken) -> BrokenIds {
        let v = |s: &std::collections::BTreeSet<String>| s.iter().cloned().collect();
        BrokenIds {
            chapters: v(&b.chapters),
            people: v(&b.people),
            events: v(&b.events),
            sources: v(&b.sources),
        }
    }

    fn has(&self, kind: RefKind, id: &str) -> bool {
        let list = match kind {
            RefKind::Person => &self.people,
            RefKind::Event => &self.events,
            RefKind::Chapter => &self.chapters,
            RefKind::Source => &self.sources,
        };
        list.binary_search_by(|x| x.as_str().cmp(id)).is_ok()
    }
}

/// Chapters are read in the order of their numbers, so two with one number (`02-a.md` and
/// `02-b.md`, or `2-b.md`) have no order: each after the first is reported, naming both files.
fn chapter_numbers(sources: &Sources, diags: &mut Diagnostics) {
    let mut first: HashMap<u64, usize> = HashMap::new();
    for (i, c) in sources.chapters.iter().enumerate() {
        let Some(&f) = first.get(&c.number) else {
            first.insert(c.number, i);
            continue;
        };
        diags.push(
            Diagnostic::error(
                c.slug.span.clone(),
                format!(
                    "two chapters have the number {}: {} and {}",
                    c.number, sources.chapters[f].file.path, c.file.path
                ),
            )
            .with_help(
                "chapters are ordered by the number their file name starts with: give each its own",
            ),
        );
    }
}

/// At most `n` items, comma-separated, and how many more there are.
fn listed(items: &[String], n: usize) -> String {
    let mut out = items[..items.len().min(n)].join(", ");
    if items.len() > n {
        out.push_str(&format!(" and {} more", items.len() - n));
    }
    out
}

/// Ids that must be unique across files: the second of a pair is reported with the first.
fn unique_ids<'a>(
    ids: impl Iterator<Item = &'a At<String>>,
    what: &str,
    diags: &mut Diagnostics,
) -> HashMap<String, usize> {
    let mut map: HashMap<String, usize> = HashMap::new();
    let mut spans = Vec::new();
    for (i, id) in ids.enumerate() {
        spans.push(&id.span);
        if let Some(&first) = map.get(&id.value) {
            diags.push(
                Diagnostic::error(
                    id.span.clone(),
                    format!("duplicate {what} id \"{}\"", id.value),
                )
                .with_help(format!("it is already used at {:?}", spans[first])),
            );
        } else {
            map.insert(id.value.clone(), i);
        }
    }
    map
}

impl Index {
    /// The timeline page that shows event `i` (its position in the sources).
    pub(super) fn event_page(&self, i: usize) -> TimelinePage {
        self.data.event_pages[i]
    }

    /// The index of `id` of `kind`; an unknown id is a problem (with a suggestion), and an id
    /// that failed to load is a silent one (it was reported where it failed).
    pub fn lookup(&self, kind: RefKind, id: &str) -> Result<usize, Problem> {
        let d = &self.data;
        let (map, ids, what) = match kind {
            RefKind::Person => (&d.people, &d.people_ids, "person"),
            RefKind::Event => (&d.events, &d.event_ids, "event"),
            RefKind::Chapter => (&d.chapters, &d.chapter_slugs, "chapter"),
            RefKind::Source => (&d.sources, &d.source_ids, "source"),
        };
        if let Some(&i) = map.0.get(id) {
            return Ok(i);
        }
        if d.broken.has(kind, id) {
            return Err(Problem::silent());
        }
        let help = self.hint(kind, id, ids);
        Err(Problem::new(format!("unknown {what} \"{id}\""), help))
    }

    /// The help for an unknown id: the person it is a name or alias of; else a close id (a typo);
    /// else the ids it is a part of (`von-braun` of `wernher-von-braun`, `rice-speech` of
    /// `rice-speech-text`); else, for a chapter, the chapters there are.
    fn hint(&self, kind: RefKind, id: &str, ids: &[String]) -> Option<String> {
        let d = &self.data;
        if kind == RefKind::Person
            && let Some((name, i)) = d
                .names
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(id) || crate::util::slug::slugify(n) == id)
        {
            let whose = &d.people_names[*i];
            let why = if name == whose {
                "references take the person's id, not their name".to_string()
            } else {
                format!("\"{name}\" is an alias of {whose}; references take the id")
            };
            return Some(format!("did you mean \"{}\"? ({why})", d.people_ids[*i]));
        }
        if let Some(close) = suggest(id, ids.iter().map(String::as_str)) {
            return Some(close);
        }
        let whole = format!("-{id}-");
        let holding: Vec<String> = ids
            .iter()
            .filter(|c| format!("-{c}-").contains(&whole))
            .map(|c| format!("\"{c}\""))
            .collect();
        match holding.len() {
            0 if kind == RefKind::Chapter && !ids.is_empty() => {
                Some(format!("the chapters are: {}", listed(ids, 10)))
            }
            0 => None,
            1 => Some(format!("did you mean {}?", holding[0])),
            _ => Some(format!("did you mean one of {}?", listed(&holding, 5))),
        }
    }

    /// Is chapter `slug` one that failed to load?
    pub fn chapter_broken(&self, slug: &str) -> bool {
        self.data.broken.has(RefKind::Chapter, slug)
    }

    pub fn chapter_slugs(&self) -> &[String] {
        &self.data.chapter_slugs
    }
}

impl Resolver for Index {
    fn resolve(&self, kind: RefKind, id: &str, anchor: Option<&str>) -> Result<Target, Problem> {
        let i = self.lookup(kind, id)?;
        if anchor.is_some() && kind != RefKind::Chapter {
            return Err(Problem::new(
                format!(
                    "only chapter references take a #section: [[{}#{}]]",
                    id,
                    anchor.unwrap_or_default()
                ),
                None,
            ));
        }
        let d = &self.data;
        Ok(match kind {
            RefKind::Person => self.person(i),
            RefKind::Event => Target {
                url: event_url(&d.event_ids[i], d.event_pages[i]),
                text: d.event_titles[i].clone(),
                class: "ref-event",
                person: None,
                anchor: None,
            },
            RefKind::Chapter => Target {
                url: match anchor {
                    Some(a) => format!("{}#{a}", chapter_url(&d.chapter_slugs[i])),
                    None => chapter_url(&d.chapter_slugs[i]),
                },
                text: d.chapter_titles[i].clone(),
                class: "ref-chapter",
                person: None,
                anchor: anchor.map(|a| (i, a.to_string())),
            },
            RefKind::Source => Target {
                url: source_url(&d.source_ids[i]),
                text: d.source_titles[i].clone(),
                class: "ref-source",
                person: None,
                anchor: None,
            },
        })
    }

    fn person(&self, i: usize) -> Target {
        Target {
            url: person_url(&self.data.people_ids[i]),
            text: self.data.people_names[i].clone(),
            class: "ref-person",
            person: Some(i),
            anchor: None,
        }
    }
}
