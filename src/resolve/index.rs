//! Ids and the index: every chapter, person, event and source id checked (unique, not reserved)
//! and looked up by the Markdown renderer through [`Index`], its `Resolver`. Ids that failed to
//! load ([`Broken`]) are known here too: a reference to one is not reported again.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use crate::diagnostics::{Diagnostic, Diagnostics, suggest};
use crate::load::{At, Broken, Sources};
use crate::markdown::{Entity, EntityKind, NameMatcher, Problem, RefKind, Resolver, Target};
use crate::site::{
    RESERVED_CHAPTER_SLUGS, RESERVED_PERSON_IDS, RESERVED_WORLD_IDS, TimelinePage, WorldKind,
    chapter_url, event_url, person_url, source_url,
};

/// What `[[references]]` resolve against: the ids, names and titles of everything, where each
/// event is shown, and the automaton of every entity's names. Hashed as a whole (once, then by
/// its fingerprint), so that a memoized rendering of Markdown against it is keyed by all of it.
pub struct Index {
    data: IndexData,
    pub(super) matcher: Arc<NameMatcher>,
    key: OnceLock<u128>,
}

/// Everything a reference can resolve to (see [`Index`]).
#[derive(Hash, Default)]
pub(super) struct IndexData {
    pub people: Ids,
    /// Every name and alias, with whose it is (what the automaton was built from).
    pub names: Vec<(String, Entity)>,
    pub chapters: Ids,
    pub events: Ids,
    pub event_pages: Vec<TimelinePage>,
    pub sources: Ids,
    /// Places, organizations and terms (`WorldKind as usize`).
    pub world: [Ids; 3],
    pub broken: BrokenIds,
    /// See [`Sources::place_ids`].
    pub place_ids: bool,
}

/// The ids of one kind, in their list's order, their lookup, and each one's title (a name).
#[derive(Hash, Default)]
pub(super) struct Ids {
    pub map: HashMapKey,
    pub ids: Vec<String>,
    pub titles: Vec<String>,
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
    world: [Vec<String>; 3],
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

/// Every name and alias of `sources`' people (sorted by id), then of its places, organizations
/// and terms, with whose it is. A term is also found with a lowercase first letter ("Two-state
/// solution" as "two-state solution"), as terms are written inside sentences.
pub fn names(sources: &Sources) -> Vec<(String, Entity)> {
    let people = sources.people.iter().enumerate().flat_map(|(i, p)| {
        std::iter::once(p.name.value.clone())
            .chain(p.aliases.iter().map(|a| a.value.clone()))
            .map(move |n| (n, Entity::person(i)))
    });
    let world = WorldKind::ALL.into_iter().flat_map(|kind| {
        sources
            .world_of(kind)
            .iter()
            .enumerate()
            .flat_map(move |(i, e)| {
                let who = Entity {
                    kind: kind.entity(),
                    ix: i,
                };
                std::iter::once(&e.name)
                    .chain(&e.aliases)
                    .flat_map(move |n| {
                        let n = n.value.trim().to_string();
                        let lower = (kind == WorldKind::Term)
                            .then(|| lower_first(&n))
                            .filter(|l| *l != n);
                        std::iter::once(n).chain(lower)
                    })
                    .map(move |n| (n, who))
            })
    });
    people.chain(world).collect()
}

/// `s` with its first letter lowercase.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The automaton that finds `names` in text. (A `&Vec`, not a slice: `serve` memoizes it with
/// `Memo::call`, which takes a `fn(&I)` of the very value it hashes.)
#[allow(clippy::ptr_arg)]
pub fn matcher(names: &Vec<(String, Entity)>) -> Arc<NameMatcher> {
    Arc::new(NameMatcher::new(names).0)
}

/// Check the ids of `sources` (duplicates, reserved ones) and index them.
pub fn index(
    sources: &Sources,
    names: Vec<(String, Entity)>,
    matcher: Arc<NameMatcher>,
    diags: &mut Diagnostics,
) -> Index {
    let people = people_ids(sources, diags);
    let chapters = chapter_slugs(sources, diags);
    chapter_numbers(sources, diags);
    let source_ix = unique_ids(sources.sources.iter().map(|s| &s.id), "source", diags);
    let event_ix = unique_ids(sources.events.iter().map(|e| &e.id), "event", diags);
    // Where each event is shown, known before any Markdown links to it. (A bad date is
    // reported with the event.)
    let event_pages = super::chronology::pages(sources, |slug| chapters.get(slug).copied());
    let world = world_ids(sources, diags);
    let data = IndexData {
        people: ids(
            people,
            sources
                .people
                .iter()
                .map(|p| (p.id.value.as_str(), p.name.value.as_str()))
                .collect(),
        ),
        names,
        chapters: ids(
            chapters,
            sources
                .chapters
                .iter()
                .map(|c| (c.slug.value.as_str(), c.title.value.as_str()))
                .collect(),
        ),
        events: ids(
            event_ix,
            sources
                .events
                .iter()
                .map(|e| {
                    let title = if e.title.is_empty() {
                        e.id.value.as_str()
                    } else {
                        e.title.as_str()
                    };
                    (e.id.value.as_str(), title)
                })
                .collect(),
        ),
        event_pages,
        sources: ids(
            source_ix,
            sources
                .sources
                .iter()
                .map(|s| (s.id.value.as_str(), s.title.value.as_str()))
                .collect(),
        ),
        world,
        broken: BrokenIds::of(&sources.broken),
        place_ids: sources.place_ids(),
    };
    Index {
        data,
        matcher,
        key: OnceLock::new(),
    }
}

/// The chapters' slugs: none reserved, none taken twice (the first keeps it).
fn chapter_slugs(sources: &Sources, diags: &mut Diagnostics) -> HashMap<String, usize> {
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
    chapters
}

/// The people's ids: none may take the id of a generated page.
fn people_ids(sources: &Sources, diags: &mut Diagnostics) -> HashMap<String, usize> {
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
    people
}

/// The ids of a list, with their titles, and their lookup.
fn ids(map: HashMap<String, usize>, list: Vec<(&str, &str)>) -> Ids {
    Ids {
        map: HashMapKey(map),
        ids: list.iter().map(|(i, _)| i.to_string()).collect(),
        titles: list.iter().map(|(_, t)| t.to_string()).collect(),
    }
}

/// The ids of places, organizations and terms (ids are file names, so unique in their kind);
/// a place or organization may not take the id of a generated page.
fn world_ids(sources: &Sources, diags: &mut Diagnostics) -> [Ids; 3] {
    WorldKind::ALL.map(|kind| {
        let entries = sources.world_of(kind);
        let mut map = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if kind != WorldKind::Term && RESERVED_WORLD_IDS.contains(&e.id.value.as_str()) {
                diags.push(
                    Diagnostic::error(
                        e.id.span.clone(),
                        format!(
                            "the {} id \"{}\" is reserved for a generated page",
                            kind.noun(),
                            e.id.value
                        ),
                    )
                    .with_help(format!(
                        "rename the file, e.g. to \"{}-1.toml\"",
                        e.id.value
                    )),
                );
                continue;
            }
            map.insert(e.id.value.clone(), i);
        }
        ids(
            map,
            entries
                .iter()
                .map(|e| (e.id.value.as_str(), e.name.value.trim()))
                .collect(),
        )
    })
}

impl BrokenIds {
    fn of(b: &Broken) -> BrokenIds {
        let v = |s: &std::collections::BTreeSet<String>| s.iter().cloned().collect();
        BrokenIds {
            chapters: v(&b.chapters),
            people: v(&b.people),
            events: v(&b.events),
            sources: v(&b.sources),
            world: [v(&b.world[0]), v(&b.world[1]), v(&b.world[2])],
        }
    }

    fn has(&self, kind: RefKind, id: &str) -> bool {
        let list = match kind {
            RefKind::Person => &self.people,
            RefKind::Event => &self.events,
            RefKind::Chapter => &self.chapters,
            RefKind::Source => &self.sources,
            RefKind::Place => &self.world[WorldKind::Place as usize],
            RefKind::Organization => &self.world[WorldKind::Organization as usize],
            RefKind::Term => &self.world[WorldKind::Term as usize],
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
        let (ids, what) = self.ids(kind);
        if let Some(&i) = ids.map.0.get(id) {
            return Ok(i);
        }
        if self.data.broken.has(kind, id) {
            return Err(Problem::silent());
        }
        let mut help = self.hint(kind, id, &ids.ids);
        if help.is_none() && matches!(kind, RefKind::Place | RefKind::Organization | RefKind::Term)
        {
            let slug = crate::util::slug::slugify(id);
            help = Some(format!("create it with `dossier new {what} {slug}`"));
        }
        Err(Problem::new(format!("unknown {what} \"{id}\""), help))
    }

    /// The ids of `kind`, and what one is called.
    fn ids(&self, kind: RefKind) -> (&Ids, &'static str) {
        let d = &self.data;
        match kind {
            RefKind::Person => (&d.people, "person"),
            RefKind::Event => (&d.events, "event"),
            RefKind::Chapter => (&d.chapters, "chapter"),
            RefKind::Source => (&d.sources, "source"),
            RefKind::Place => (&d.world[WorldKind::Place as usize], "place"),
            RefKind::Organization => (&d.world[WorldKind::Organization as usize], "organization"),
            RefKind::Term => (&d.world[WorldKind::Term as usize], "term"),
        }
    }

    /// The title (a name) of `kind`'s entry `i`.
    pub fn title(&self, kind: RefKind, i: usize) -> &str {
        &self.ids(kind).0.titles[i]
    }

    /// Do events name their places by id (the documentary has `content/places/`)?
    pub fn place_ids(&self) -> bool {
        self.data.place_ids
    }

    /// Is there a place, organization or term, or anyone, of `kind`?
    pub fn any(&self, kind: RefKind) -> bool {
        !self.ids(kind).0.ids.is_empty()
    }

    /// The help for an unknown id: the entity of its kind it is a name or alias of; else a close
    /// id (a typo);
    /// else the ids it is a part of (`von-braun` of `wernher-von-braun`, `rice-speech` of
    /// `rice-speech-text`); else, for a chapter, the chapters there are.
    fn hint(&self, kind: RefKind, id: &str, ids: &[String]) -> Option<String> {
        let d = &self.data;
        if let Some((name, who)) = d.names.iter().find(|(n, who)| {
            who.kind.reference() == kind
                && (n.eq_ignore_ascii_case(id) || crate::util::slug::slugify(n) == id)
        }) {
            let (ids, what) = self.ids(kind);
            let whose = &ids.titles[who.ix];
            let why = if name == whose {
                format!("references take the {what}'s id, not its name")
            } else {
                format!("\"{name}\" is an alias of {whose}; references take the id")
            };
            return Some(format!("did you mean \"{}\"? ({why})", ids.ids[who.ix]));
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
        &self.data.chapters.ids
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
            RefKind::Person => self.entity(Entity::person(i)),
            RefKind::Event => Target {
                url: event_url(&d.events.ids[i], d.event_pages[i]),
                text: d.events.titles[i].clone(),
                class: "ref-event",
                entity: None,
                anchor: None,
            },
            RefKind::Chapter => Target {
                url: match anchor {
                    Some(a) => format!("{}#{a}", chapter_url(&d.chapters.ids[i])),
                    None => chapter_url(&d.chapters.ids[i]),
                },
                text: d.chapters.titles[i].clone(),
                class: "ref-chapter",
                entity: None,
                anchor: anchor.map(|a| (i, a.to_string())),
            },
            RefKind::Source => Target {
                url: source_url(&d.sources.ids[i]),
                text: d.sources.titles[i].clone(),
                class: "ref-source",
                entity: None,
                anchor: None,
            },
            RefKind::Place => self.entity(Entity {
                kind: EntityKind::Place,
                ix: i,
            }),
            RefKind::Organization => self.entity(Entity {
                kind: EntityKind::Organization,
                ix: i,
            }),
            RefKind::Term => self.entity(Entity {
                kind: EntityKind::Term,
                ix: i,
            }),
        })
    }

    fn entity(&self, e: Entity) -> Target {
        let d = &self.data;
        let (url, text, class) = match WorldKind::of(e.kind) {
            None => (
                person_url(&d.people.ids[e.ix]),
                &d.people.titles[e.ix],
                "ref-person",
            ),
            Some(kind) => {
                let ids = &d.world[kind as usize];
                let class = match kind {
                    WorldKind::Place => "ref-place",
                    WorldKind::Organization => "ref-org",
                    WorldKind::Term => "ref-term",
                };
                (kind.url(&ids.ids[e.ix], e.ix), &ids.titles[e.ix], class)
            }
        };
        Target {
            url,
            text: text.clone(),
            class,
            entity: Some(e),
            anchor: None,
        }
    }
}
