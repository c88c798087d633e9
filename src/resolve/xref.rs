//! The cross-reference index: who each chapter names (where first, how often), who appears
//! with whom (in a paragraph, in an event), and what cites each source; each list in reading or
//! timeline order.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, Warning};
use crate::load::Sources;
use crate::markdown::EntityKind;
use crate::markdown::{RefKind, add_pairs};
use crate::site::{
    Appearance, Chapter, ChapterIx, EventIx, Person, PersonIx, Site, Source, SourceIx, World,
    WorldKind,
};

use super::RenderedText;
use super::entities::resolve_list;
use super::index::Index;

/// How many companions a person page lists.
const COMPANIONS: usize = 8;

/// The chapters, in reading order, with who each names (and where first) as the Markdown
/// rendering found them; each person's appearances and mentions, each source's chapters. Also
/// the pairs of people named in one paragraph, with in how many.
pub(super) fn chapters(
    sources: &Sources,
    index: &Index,
    rendered: Vec<RenderedText>,
    people: &mut [Person],
    world: &mut World,
    source_records: &mut [Source],
    diags: &mut Diagnostics,
) -> (Vec<Chapter>, BTreeMap<(PersonIx, PersonIx), u32>) {
    let mut chapters: Vec<Chapter> = Vec::with_capacity(sources.chapters.len());
    let mut all_pairs: Vec<(PersonIx, PersonIx)> = Vec::new();
    for (ci, (c, r)) in sources.chapters.iter().zip(rendered).enumerate() {
        // Moved out when nothing else holds it (no memo keeps it), copied otherwise.
        let r = std::sync::Arc::try_unwrap(r).map_or_else(|shared| shared.0.clone(), |own| own.0);
        let chapter_sources: Vec<SourceIx> =
            resolve_list(&c.sources, index, RefKind::Source, diags);
        if c.sources.is_empty() {
            diags.push(
                Diagnostic::warning(
                    c.title.span.clone(),
                    Warning::UnsourcedChapter,
                    format!("chapter \"{}\" cites no sources", c.slug.value),
                )
                .with_help("add `sources = [\"source-id\"]` to its front matter"),
            );
        }
        let ci = ChapterIx(ci);
        for n in &r.cast {
            let appearance = Appearance {
                chapter: ci,
                paragraph: n.paragraph.clone(),
                sentence: n.sentence.clone(),
                count: n.count,
            };
            let (mentions, appearances) = match WorldKind::of(n.entity.kind) {
                None => {
                    let p = &mut people[n.entity.ix];
                    (&mut p.mentions, &mut p.appearances)
                }
                Some(kind) => {
                    let e = &mut world.of_mut(kind)[n.entity.ix];
                    (&mut e.mentions, &mut e.appearances)
                }
            };
            *mentions += n.count;
            appearances.push(appearance);
        }
        all_pairs.extend(r.pairs.iter().map(|&(a, b)| (PersonIx(a), PersonIx(b))));
        for &s in &chapter_sources {
            source_records[s].chapters.push(ci);
        }
        chapters.push(Chapter {
            number: c.number,
            slug: c.slug.value.clone(),
            title: crate::util::smart::punctuate(c.title.value.trim()),
            summary: crate::util::smart::punctuate(c.summary.trim()),
            sources: chapter_sources,
            html: r.html,
            toc: r.toc,
            ids: r.ids,
            text: r.text,
            people: r
                .cast
                .iter()
                .filter(|n| n.entity.kind == EntityKind::Person)
                .map(|n| PersonIx(n.entity.ix))
                .collect(),
            events: Vec::new(),
            words: r.words,
            published: c.published.clone(),
            updated: c.updated.clone(),
        });
    }
    all_pairs.par_sort_unstable();
    let mut pairs: BTreeMap<(PersonIx, PersonIx), u32> = BTreeMap::new();
    for run in all_pairs.chunk_by(|a, b| a == b) {
        pairs.insert(run[0], run.len() as u32);
    }
    (chapters, pairs)
}

/// What the events add: each person's events and companions (shared paragraphs and shared
/// events), each chapter's events, each source's events and people.
pub(super) fn link_events(site: &mut Site) {
    let mut pair_counts = site.co_mentions.clone();
    for (ei, e) in site.events.iter().enumerate() {
        let ei = EventIx(ei);
        for &p in &e.people {
            site.people[p].events.push(ei);
        }
        let mut pairs = Vec::new();
        add_pairs(
            &e.people.iter().map(|p| p.ix()).collect::<Vec<_>>(),
            &mut pairs,
        );
        for (a, b) in pairs {
            *pair_counts.entry((PersonIx(a), PersonIx(b))).or_insert(0) += 1;
        }
        if let Some((c, _)) = e.chapter {
            site.chapters[c].events.push(ei);
        }
        for &s in &e.sources {
            site.sources[s].events.push(ei);
        }
    }
    for (pi, p) in site.people.iter().enumerate() {
        for &s in &p.sources {
            site.sources[s].people.push(PersonIx(pi));
        }
    }
    let mut companions: Vec<Vec<(PersonIx, u32)>> = vec![Vec::new(); site.people.len()];
    for (&(a, b), &n) in &pair_counts {
        companions[a.ix()].push((b, n));
        companions[b.ix()].push((a, n));
    }
    for (p, mut list) in site.people.iter_mut().zip(companions) {
        list.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        list.truncate(COMPANIONS);
        p.companions = list;
    }
}
