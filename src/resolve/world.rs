//! Places, organizations and glossary terms as resolved records, one code for the three kinds:
//! ids in their lists (`within`, `sources`) turned into indices, `within` cycles reported, the
//! description's rendered Markdown attached; then, once the events and people are known, what
//! links them: a place's events (there or within it) and people, an organization's members and
//! their events, the places within a place. (Mentions in chapters are `xref`'s, as for people.)

use std::collections::BTreeSet;

use crate::diagnostics::{Diagnostic, Diagnostics, Warning};
use crate::load::{RawEntry, Sources};
use crate::markdown::RefKind;
use crate::site::{Entry, EntryIx, EventIx, PersonIx, Site, World, WorldKind, ancestors};

use super::RenderedText;
use super::checks::{Anchors, report_fragment, reserved_anchor};
use super::entities::resolve_list;
use super::index::Index;

/// The entries of each kind, sorted by id, their problems reported.
pub(super) fn entries(
    sources: &Sources,
    index: &Index,
    texts: &super::Texts,
    anchors: &Anchors<'_>,
    diags: &mut Diagnostics,
) -> World {
    let mut world = World::default();
    let mut at = 0;
    for kind in WorldKind::ALL {
        let raw = sources.world_of(kind);
        let rendered = (texts.descriptions[at..at + raw.len()].iter())
            .zip(&texts.entry_summaries[at..at + raw.len()]);
        at += raw.len();
        let list: Vec<Entry> = raw
            .iter()
            .zip(rendered)
            .enumerate()
            .map(|(i, (e, r))| entry(e, i, index, r, anchors, diags))
            .collect();
        *world.of_mut(kind) = list;
    }
    within_cycles(&world.places, sources.world_of(WorldKind::Place), diags);
    world
}

/// One entry as a record.
fn entry(
    e: &RawEntry,
    position: usize,
    index: &Index,
    (rendered, summary): (&Option<RenderedText>, &Option<RenderedText>),
    anchors: &Anchors<'_>,
    diags: &mut Diagnostics,
) -> Entry {
    if e.kind == WorldKind::Term {
        reserved_anchor(&e.id, "term", "the glossary", diags);
    }
    let (summary_html, summary) = match (&e.summary, summary) {
        (Some(md), Some(r)) => {
            report_fragment(md, &r.0, anchors, diags);
            (super::entities::inline(r.0.html.clone()), r.0.text.flat())
        }
        _ => Default::default(),
    };
    let (description, description_text) = match (&e.description, rendered) {
        (Some(md), Some(r)) => {
            report_fragment(md, &r.0, anchors, diags);
            // As the reader reads it: references as the names they show, not their ids.
            (r.0.html.clone(), r.0.text.flat())
        }
        _ => Default::default(),
    };
    let within = e.within.as_ref().and_then(|w| {
        let found: Vec<EntryIx> =
            resolve_list(std::slice::from_ref(w), index, RefKind::Place, diags);
        found.first().copied()
    });
    Entry {
        kind: e.kind,
        id: e.id.value.clone(),
        url: e.kind.url(&e.id.value, position),
        name: e.name.value.trim().to_string(),
        aliases: e
            .aliases
            .iter()
            .map(|a| a.value.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        category: e.category.trim().to_string(),
        side: e.side.trim().to_string(),
        within,
        coordinates: e.coordinates.as_ref().map(|c| c.value),
        summary,
        summary_html,
        description,
        description_text,
        sources: resolve_list(&e.sources, index, RefKind::Source, diags),
        note: e.note.trim().to_string(),
        appearances: Vec::new(),
        mentions: 0,
        events: Vec::new(),
        people: Vec::new(),
        contains: Vec::new(),
    }
}

/// A place within itself, however indirectly (`a` within `b` within `a`), is reported once per
/// cycle, at the `within` of its first place (by id); the places of a cycle are then shown
/// within nothing (see `ancestors`).
fn within_cycles(places: &[Entry], raw: &[RawEntry], diags: &mut Diagnostics) {
    let mut reported: BTreeSet<usize> = BTreeSet::new();
    for start in 0..places.len() {
        let mut path = vec![start];
        let mut at = start;
        while let Some(next) = places[at].within.map(EntryIx::ix) {
            if let Some(k) = path.iter().position(|&p| p == next) {
                let cycle = &path[k..];
                let first = *cycle.iter().min().expect("a cycle has a place");
                if reported.insert(first) {
                    let names: Vec<&str> = cycle
                        .iter()
                        .chain(std::iter::once(&cycle[0]))
                        .map(|&p| places[p].id.as_str())
                        .collect();
                    let span = raw[first]
                        .within
                        .as_ref()
                        .map_or_else(|| raw[first].id.span.clone(), |w| w.span.clone());
                    diags.push(
                        Diagnostic::error(
                            span,
                            format!("places within each other: {}", names.join(" within ")),
                        )
                        .with_help(
                            "a place is within a larger one: remove `within` from one of them",
                        ),
                    );
                }
                break;
            }
            path.push(next);
            at = next;
        }
    }
}

/// What the events and people add to the world: each place's events (there, or within it) and
/// the people of them, the places within it; each organization's members and their events.
pub(super) fn link(site: &mut Site) {
    let n = site.world.places.len();
    let mut events: Vec<Vec<EventIx>> = vec![Vec::new(); n];
    for (ei, e) in site.events.iter().enumerate() {
        let mut seen: Vec<EntryIx> = Vec::new();
        for &p in &e.places {
            for q in std::iter::once(p).chain(ancestors(&site.world.places, p)) {
                if !seen.contains(&q) {
                    seen.push(q);
                    events[q.ix()].push(EventIx(ei));
                }
            }
        }
    }
    let mut contains: Vec<Vec<EntryIx>> = vec![Vec::new(); n];
    for (i, p) in site.world.places.iter().enumerate() {
        if let Some(w) = p.within
            && !ancestors(&site.world.places, EntryIx(i)).is_empty()
        {
            contains[w.ix()].push(EntryIx(i));
        }
    }
    for ((place, events), contains) in site.world.places.iter_mut().zip(events).zip(contains) {
        place.people = people_of(&site.events, &events);
        place.events = events;
        place.contains = contains;
    }
    let mut members: Vec<Vec<PersonIx>> = vec![Vec::new(); site.world.organizations.len()];
    for (pi, p) in site.people.iter().enumerate() {
        for &o in &p.organizations {
            members[o.ix()].push(PersonIx(pi));
        }
    }
    for (org, members) in site.world.organizations.iter_mut().zip(members) {
        let mut evs: Vec<EventIx> = members
            .iter()
            .flat_map(|&p| site.people[p].events.iter().copied())
            .collect();
        evs.sort_unstable();
        evs.dedup();
        org.events = evs;
        org.people = members;
    }
}

/// The people of `events`, each once, by position (people are sorted by id).
fn people_of(all: &[crate::site::Event], events: &[EventIx]) -> Vec<PersonIx> {
    let mut out: Vec<PersonIx> = events
        .iter()
        .flat_map(|&e| all[e].people.iter().copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Warnings for entries nothing refers to: no chapter mentions them, no event happens at them (or
/// within them), no person belongs to them (unless a chapter failed to load: it may).
pub(super) fn unmentioned(site: &Site, sources: &Sources, diags: &mut Diagnostics) {
    if !sources.broken.chapters.is_empty() {
        return;
    }
    for kind in WorldKind::ALL {
        for (e, raw) in site.world.of(kind).iter().zip(sources.world_of(kind)) {
            if e.appearances.is_empty() && e.events.is_empty() && e.people.is_empty() {
                diags.push(
                    Diagnostic::warning(
                        raw.name.span.clone(),
                        Warning::UnmentionedEntity,
                        format!(
                            "the {} {} ({}) is never mentioned: no chapter names it, and no event or person refers to it",
                            kind.noun(),
                            e.name,
                            e.id
                        ),
                    )
                    .with_help(format!(
                        "name it in a chapter, or link it with [[{}:{}]]",
                        kind.prefix(),
                        e.id
                    )),
                );
            }
        }
    }
}
