//! `Sources` → `Site`: ids checked, references resolved, Markdown rendered, cross-references built.
//! Chapters are rendered here (in parallel) because resolving `[[references]]` and auto-linking
//! names is what produces the mentions that backlinks, casts and companions are built from.
//! Every problem becomes a located `Diagnostic`; this module reads no files and uses no templates.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::{Cache, Fingerprint};
use crate::config::{Autolink, Config};
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, Span, suggest};
use crate::load::{At, Markdown, Sources, check_slug};
use crate::markdown::{
    self, NameMatcher, Problem, RefKind, RelHtml, RenderOptions, Rendered, Resolver, Target,
    add_pairs,
};
use crate::site::*;

/// How many companions a person page lists.
const COMPANIONS: usize = 8;

/// Resolve everything. Always returns a site (possibly partial) so that all problems of the run
/// are reported together; the caller decides from `diags` whether to write it.
pub fn site(sources: Sources, config: Config, diags: &mut Diagnostics) -> Site {
    site_cached(sources, config, None, diags)
}

/// [`site`], taking chapters' rendered Markdown from `cache` when neither their text nor
/// anything their references resolve against changed (`dossier serve`).
pub fn site_cached(
    sources: Sources,
    config: Config,
    caches: Option<&Cache>,
    diags: &mut Diagnostics,
) -> Site {
    let cache = caches.map(|c| &c.markdown);
    let Sources {
        chapters: raw_chapters,
        people: mut raw_people,
        events: raw_events,
        sources: raw_sources,
    } = sources;
    raw_people.sort_by(|a, b| a.id.value.cmp(&b.id.value));

    // 1. Indices, duplicates and reserved ids.
    let mut people_ix = HashMap::new();
    for (i, p) in raw_people.iter().enumerate() {
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
        people_ix.insert(p.id.value.clone(), i);
    }
    let mut chapter_ix: HashMap<String, usize> = HashMap::new();
    for (i, c) in raw_chapters.iter().enumerate() {
        if RESERVED_CHAPTER_SLUGS.contains(&c.slug.value.as_str()) {
            diags.push(Diagnostic::error(
                c.slug.span.clone(),
                format!("the chapter slug \"{}\" is reserved", c.slug.value),
            ));
        }
        if let Some(&first) = chapter_ix.get(&c.slug.value) {
            diags.push(
                Diagnostic::error(
                    c.slug.span.clone(),
                    format!("two chapters have the slug \"{}\"", c.slug.value),
                )
                .with_help(format!(
                    "{} has it too; rename one of them",
                    raw_chapters[first].file.path
                )),
            );
        } else {
            chapter_ix.insert(c.slug.value.clone(), i);
        }
    }
    let source_ix = unique_ids(raw_sources.iter().map(|s| &s.id), "source", diags);
    let event_ix = unique_ids(raw_events.iter().map(|e| &e.id), "event", diags);

    // Names for auto-linking: every name and alias.
    let names: Vec<(String, usize)> = raw_people
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            std::iter::once(p.name.value.clone())
                .chain(p.aliases.iter().map(|a| a.value.clone()))
                .map(move |n| (n, i))
        })
        .collect();
    let make_matcher = || Arc::new(NameMatcher::new(&names).0);
    let matcher = match caches {
        Some(c) => {
            let mut f = Fingerprint::new(0x6e616d6573);
            names.hash(&mut f);
            c.names.get_or(f.finish128(), make_matcher)
        }
        None => make_matcher(),
    };

    let index = Index {
        people: &people_ix,
        people_ids: raw_people.iter().map(|p| p.id.value.as_str()).collect(),
        people_names: raw_people.iter().map(|p| p.name.value.as_str()).collect(),
        chapters: &chapter_ix,
        chapter_slugs: raw_chapters.iter().map(|c| c.slug.value.as_str()).collect(),
        chapter_titles: raw_chapters
            .iter()
            .map(|c| c.title.value.as_str())
            .collect(),
        events: &event_ix,
        event_titles: raw_events
            .iter()
            .map(|e| {
                if e.title.is_empty() {
                    e.id.value.as_str()
                } else {
                    e.title.as_str()
                }
            })
            .collect(),
        event_ids: raw_events.iter().map(|e| e.id.value.as_str()).collect(),
        // Where each event is shown, known before any Markdown links to it. (A bad date is
        // reported with the event below.)
        event_pages: raw_events
            .iter()
            .map(|e| {
                Date::parse(&e.date.value).map_or(TimelinePage::All, |d| {
                    TimelinePage::of(d.year(), raw_events.len())
                })
            })
            .collect(),
        sources: &source_ix,
        source_titles: raw_sources.iter().map(|s| s.title.value.as_str()).collect(),
        source_ids: raw_sources.iter().map(|s| s.id.value.as_str()).collect(),
    };

    // 2. Chapters, rendered in parallel (or taken from the cache, by a fingerprint of their
    // text and of everything the render reads besides it).
    let resolves = cache.map(|_| {
        let mut f = Fingerprint::new(0);
        (
            &index.people_ids,
            &index.people_names,
            &index.chapter_slugs,
            &index.chapter_titles,
        )
            .hash(&mut f);
        (
            &index.event_ids,
            &index.event_titles,
            &index.source_ids,
            &index.source_titles,
        )
            .hash(&mut f);
        for p in &index.event_pages {
            p.url().hash(&mut f);
        }
        (&names, config.autolink as u8).hash(&mut f);
        f
    });
    let rendered: Vec<Arc<Rendered>> = raw_chapters
        .par_iter()
        .map(|c| {
            let key = resolves.as_ref().map(|r| {
                let mut f = Fingerprint::new(r.finish());
                c.body().hash(&mut f);
                f.finish128()
            });
            let make = || {
                Arc::new(markdown::render(
                    c.body(),
                    &index,
                    RenderOptions {
                        autolink: config.autolink,
                        names: Some(&*matcher),
                        id_prefix: "",
                        raw_html: true,
                    },
                ))
            };
            match (cache, key) {
                (Some(cache), Some(key)) => cache.get_or(key, make),
                _ => make(),
            }
        })
        .collect();
    for (c, r) in raw_chapters.iter().zip(&rendered) {
        report(&r.problems, &c.file.span(c.body_start..c.body_start), diags);
    }
    // Anchors of every chapter, now that all headings are known.
    let anchors: Vec<HashSet<&str>> = rendered.iter().map(|r| r.toc_and_notes_ids()).collect();
    for (c, r) in raw_chapters.iter().zip(&rendered) {
        for (target, anchor, range) in &r.anchors {
            if !anchors[*target].contains(anchor.as_str()) {
                let span = c
                    .file
                    .span(c.body_start + range.start..c.body_start + range.end);
                diags.push(unknown_anchor(
                    span,
                    &raw_chapters[*target].slug.value,
                    anchor,
                    &anchors[*target],
                ));
            }
        }
    }

    // 3. Bios and event summaries: references resolved, no auto-linking. Rendered in parallel;
    // their problems are reported below, with the rest of each event and person.
    let render_fragment = |md: &Option<Markdown>, prefix: &str| {
        md.as_ref().map(|md| {
            let key = resolves.as_ref().map(|r| {
                let mut f = Fingerprint::new(r.finish() ^ 0x66);
                (&md.text, prefix).hash(&mut f);
                f.finish128()
            });
            let make = || {
                let r = markdown::render(
                    &md.text,
                    &index,
                    RenderOptions {
                        autolink: Autolink::Off,
                        names: None,
                        id_prefix: prefix,
                        raw_html: false,
                    },
                );
                Arc::new((r, markdown::plain(&md.text)))
            };
            match (caches, key) {
                (Some(c), Some(key)) => c.fragments.get_or(key, make),
                _ => make(),
            }
        })
    };
    let event_fragments: Vec<Option<Arc<(Rendered, String)>>> = raw_events
        .par_iter()
        .map(|e| render_fragment(&e.summary, &format!("{}-", e.id.value)))
        .collect();
    let bio_fragments: Vec<Option<Arc<(Rendered, String)>>> = raw_people
        .par_iter()
        .map(|p| render_fragment(&p.bio, "bio-"))
        .collect();
    let fragment = |md: &Option<Markdown>,
                    rendered: Option<Arc<(Rendered, String)>>,
                    diags: &mut Diagnostics|
     -> (RelHtml, String) {
        let (Some(md), Some(done)) = (md, rendered) else {
            return (RelHtml::default(), String::new());
        };
        let (r, plain) = &*done;
        for p in &r.problems {
            diags.push(
                Diagnostic::error(md.span(p.range.clone()), p.message.clone())
                    .with_help_opt(p.help.clone()),
            );
        }
        for (target, anchor, range) in &r.anchors {
            if !anchors[*target].contains(anchor.as_str()) {
                let span = md.span(range.clone());
                diags.push(unknown_anchor(
                    span,
                    &raw_chapters[*target].slug.value,
                    anchor,
                    &anchors[*target],
                ));
            }
        }
        (r.html.clone(), plain.clone())
    };

    // 4. Events.
    let mut events: Vec<Event> = Vec::with_capacity(raw_events.len());
    for (e, rendered) in raw_events.iter().zip(event_fragments) {
        if check_slug(&e.id, "event", diags) {
            reserved_anchor(&e.id, "event", "the timeline", diags);
        }
        let date = match &e.end {
            Some(end) => parse_date_at(
                &At {
                    value: format!("{}/{}", e.date.value.trim(), end.value.trim()),
                    span: end.span.clone(),
                },
                diags,
            ),
            None => parse_date_at(&e.date, diags),
        };
        let people = resolve_list(&e.people, &index, RefKind::Person, diags);
        let sources = resolve_list(&e.sources, &index, RefKind::Source, diags);
        let chapter = e.chapter.as_ref().and_then(|c| {
            let (slug, anchor) = match c.value.split_once('#') {
                Some((s, a)) => (s, Some(a.to_string())),
                None => (c.value.as_str(), None),
            };
            let Some(&ix) = chapter_ix.get(slug) else {
                diags.push(
                    Diagnostic::error(c.span.clone(), format!("unknown chapter \"{slug}\""))
                        .with_help_opt(suggest(slug, index.chapter_slugs.iter().copied())),
                );
                return None;
            };
            if let Some(a) = &anchor {
                if !anchors[ix].contains(a.as_str()) {
                    diags.push(unknown_anchor(c.span.clone(), slug, a, &anchors[ix]));
                    return Some((ix, None));
                }
            }
            Some((ix, anchor))
        });
        let (summary, summary_text) = fragment(&e.summary, rendered, diags);
        let tags = e
            .tags
            .iter()
            .map(|t| t.value.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        if e.title.trim().is_empty() {
            diags.push(
                Diagnostic::warning(
                    e.id.span.clone(),
                    "untitled-event",
                    format!("event \"{}\" has no title", e.id.value),
                )
                .with_help("add `title = \"...\"`; the timeline shows the id instead"),
            );
        }
        let Some(date) = date else { continue };
        let page = TimelinePage::of(date.year(), raw_events.len());
        events.push(Event {
            id: e.id.value.clone(),
            date,
            title: if e.title.trim().is_empty() {
                e.id.value.clone()
            } else {
                e.title.trim().to_string()
            },
            summary,
            summary_text,
            people,
            place: e.place.trim().to_string(),
            chapter,
            sources,
            tags,
            note: e.note.trim().to_string(),
            page,
        });
    }
    events.sort_by(|a, b| (a.date.sort_key(), &a.id).cmp(&(b.date.sort_key(), &b.id)));

    // 5. Sources.
    let mut sources: Vec<Source> = raw_sources
        .iter()
        .map(|s| {
            if check_slug(&s.id, "source", diags) {
                reserved_anchor(&s.id, "source", "the sources page", diags);
            }
            let url = s.url.as_ref().and_then(|u| {
                let v = u.value.trim();
                let web = v.starts_with("http://") || v.starts_with("https://");
                if web && v.chars().any(|c| c.is_whitespace() || c.is_control()) {
                    diags.push(
                        Diagnostic::error(
                            u.span.clone(),
                            format!(
                                "the source URL \"{}\" contains spaces or control characters",
                                v.escape_debug()
                            ),
                        )
                        .with_help("write a space as %20"),
                    );
                    None
                } else if web {
                    Some(v.to_string())
                } else {
                    diags.push(
                        Diagnostic::error(
                            u.span.clone(),
                            format!(
                                "the source URL \"{}\" is not an http or https URL",
                                v.escape_debug()
                            ),
                        )
                        .with_help("give the full address, starting with https://"),
                    );
                    None
                }
            });
            Source {
                id: s.id.value.clone(),
                title: s.title.value.trim().to_string(),
                author: s.author.trim().to_string(),
                publication: s.publication.trim().to_string(),
                date: s.date.as_ref().and_then(|d| parse_date_at(d, diags)),
                url,
                chapters: Vec::new(),
                events: Vec::new(),
                people: Vec::new(),
            }
        })
        .collect();

    // 6. People.
    let mut people: Vec<Person> = raw_people
        .iter()
        .zip(bio_fragments)
        .map(|(p, rendered)| {
            if p.name.value.trim().is_empty() {
                diags.push(Diagnostic::error(
                    p.name.span.clone(),
                    "the name must not be empty",
                ));
            }
            let (bio, _) = fragment(&p.bio, rendered, diags);
            let image = p.image.as_ref().and_then(|img| check_image(img, diags));
            Person {
                id: p.id.value.clone(),
                name: p.name.value.trim().to_string(),
                aliases: p
                    .aliases
                    .iter()
                    .map(|a| a.value.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect(),
                role: p.role.trim().to_string(),
                affiliation: p.affiliation.trim().to_string(),
                side: p.side.trim().to_string(),
                summary: p.summary.trim().to_string(),
                bio,
                born: p.born.as_ref().and_then(|d| parse_date_at(d, diags)),
                died: p.died.as_ref().and_then(|d| parse_date_at(d, diags)),
                image,
                sources: resolve_list(&p.sources, &index, RefKind::Source, diags),
                events: Vec::new(),
                appearances: Vec::new(),
                companions: Vec::new(),
                mentions: 0,
            }
        })
        .collect();

    // 7. Chapters and the cross-reference index, in reading order: who each chapter names
    // (and where first), and who with whom in a paragraph, as the Markdown rendering found them.
    let mut chapters: Vec<Chapter> = Vec::with_capacity(raw_chapters.len());
    let mut all_pairs: Vec<(PersonIx, PersonIx)> = Vec::new();
    for (ci, (c, r)) in raw_chapters.iter().zip(rendered).enumerate() {
        let chapter_sources = resolve_list(&c.sources, &index, RefKind::Source, diags);
        if c.sources.is_empty() {
            diags.push(
                Diagnostic::warning(
                    c.title.span.clone(),
                    "unsourced-chapter",
                    format!("chapter \"{}\" cites no sources", c.slug.value),
                )
                .with_help("add `sources = [\"source-id\"]` to its front matter"),
            );
        }
        let cast: Vec<PersonIx> = r.cast.iter().map(|n| n.person).collect();
        for n in &r.cast {
            people[n.person].mentions += n.count;
            people[n.person].appearances.push(Appearance {
                chapter: ci,
                paragraph: n.paragraph.clone(),
                sentence: n.sentence.clone(),
                count: n.count,
            });
        }
        all_pairs.extend_from_slice(&r.pairs);
        for &s in &chapter_sources {
            sources[s].chapters.push(ci);
        }
        chapters.push(Chapter {
            number: c.number,
            slug: c.slug.value.clone(),
            title: c.title.value.trim().to_string(),
            summary: c.summary.trim().to_string(),
            sources: chapter_sources,
            html: r.html.clone(),
            toc: r.toc.clone(),
            people: cast,
            events: Vec::new(),
            words: r.words,
        });
    }
    // So far the pairs are paragraphs only: the network keeps them apart from shared events.
    all_pairs.par_sort_unstable();
    let mut pair_counts: BTreeMap<(PersonIx, PersonIx), u32> = BTreeMap::new();
    for run in all_pairs.chunk_by(|a, b| a == b) {
        pair_counts.insert(run[0], run.len() as u32);
    }
    let co_mentions = pair_counts.clone();
    for (ei, e) in events.iter().enumerate() {
        for &p in &e.people {
            people[p].events.push(ei);
        }
        let mut pairs = Vec::new();
        add_pairs(&e.people, &mut pairs);
        for pair in pairs {
            *pair_counts.entry(pair).or_insert(0) += 1;
        }
        if let Some((c, _)) = e.chapter {
            chapters[c].events.push(ei);
        }
        for &s in &e.sources {
            sources[s].events.push(ei);
        }
    }
    for (pi, p) in people.iter().enumerate() {
        for &s in &p.sources {
            sources[s].people.push(pi);
        }
    }
    let mut companions: Vec<Vec<(PersonIx, u32)>> = vec![Vec::new(); people.len()];
    for (&(a, b), &n) in &pair_counts {
        companions[a].push((b, n));
        companions[b].push((a, n));
    }
    for (p, mut list) in people.iter_mut().zip(companions) {
        list.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        list.truncate(COMPANIONS);
        p.companions = list;
    }

    // 8. Warnings about loose ends.
    for (p, raw) in people.iter().zip(&raw_people) {
        if p.appearances.is_empty() {
            diags.push(Diagnostic::warning(
                raw.name.span.clone(),
                "unmentioned-person",
                format!("{} ({}) is never mentioned in a chapter", p.name, p.id),
            ));
        }
    }
    for e in &raw_events {
        if e.chapter.is_none() {
            diags.push(
                Diagnostic::warning(
                    e.id.span.clone(),
                    "untold-event",
                    format!("event \"{}\" is not told by any chapter", e.id.value),
                )
                .with_help("add `chapter = \"slug#section\"`"),
            );
        }
    }

    Site {
        config,
        chapters,
        people,
        events,
        sources,
        co_mentions,
    }
}

/// Element ids the built-in templates give every page (the skip link's target, the search box)
/// and the timeline (its filter and its year and month headings): an event or source taking
/// one would make its `#anchor` lead elsewhere.
const RESERVED_ANCHORS: &[&str] = &[
    "main",
    "search-hint",
    "search-input",
    "search-results",
    "search-status",
    "filter-person",
    "filter-side",
    "filter-tag",
];

/// Report an event or source id that an element of its page already uses.
fn reserved_anchor(id: &At<String>, what: &str, page: &str, diags: &mut Diagnostics) {
    let v = id.value.as_str();
    let year_heading = |s: &str| {
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        // `y2013`, `y2013-07`, and for years before the common era `y-43`, `y-43-03`.
        s.strip_prefix('y')
            .map(|r| r.strip_prefix('-').unwrap_or(r))
            .is_some_and(|r| match r.split_once('-') {
                Some((y, m)) => digits(y) && digits(m),
                None => digits(r),
            })
    };
    if RESERVED_ANCHORS.contains(&v) || (what == "event" && year_heading(v)) {
        diags.push(
            Diagnostic::error(
                id.span.clone(),
                format!("the {what} id \"{v}\" is reserved: {page} uses it for its own anchor"),
            )
            .with_help(format!("rename it, e.g. to \"{v}-{what}\"")),
        );
    }
}

/// Ids that must be unique across files: the second of a pair is reported with the first.
fn unique_ids<'a>(
    ids: impl Iterator<Item = &'a At<String>>,
    what: &str,
    diags: &mut Diagnostics,
) -> HashMap<String, usize> {
    let mut map: HashMap<String, usize> = HashMap::new();
    let mut spans: Vec<&Span> = Vec::new();
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

fn parse_date_at(d: &At<String>, diags: &mut Diagnostics) -> Option<Date> {
    match Date::parse(&d.value) {
        Ok(date) => Some(date),
        Err(msg) => {
            diags.push(Diagnostic::error(d.span.clone(), msg));
            None
        }
    }
}

fn check_image(img: &At<String>, diags: &mut Diagnostics) -> Option<String> {
    let v = img.value.trim().trim_start_matches('/');
    let safe = !v.is_empty()
        && !v.contains('\\')
        && !v.contains('\0')
        && v.split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".")
        && !v.contains(':');
    if safe {
        Some(v.to_string())
    } else {
        diags.push(
            Diagnostic::error(
                img.span.clone(),
                format!("invalid image path \"{}\"", img.value.escape_debug()),
            )
            .with_help("give a path under static/, such as \"images/john-kerry.jpg\""),
        );
        None
    }
}

fn resolve_list(
    ids: &[At<String>],
    index: &Index<'_>,
    kind: RefKind,
    diags: &mut Diagnostics,
) -> Vec<usize> {
    let mut out = Vec::new();
    for id in ids {
        match index.lookup(kind, id.value.trim()) {
            Ok(i) => {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
            Err(p) => {
                diags.push(Diagnostic::error(id.span.clone(), p.message).with_help_opt(p.help))
            }
        }
    }
    out
}

fn report(problems: &[Problem], base: &Span, diags: &mut Diagnostics) {
    for p in problems {
        let span = Span {
            file: base.file.clone(),
            start: base.start + p.range.start,
            end: base.start + p.range.end,
        };
        diags.push(Diagnostic::error(span, p.message.clone()).with_help_opt(p.help.clone()));
    }
}

fn unknown_anchor(span: Span, slug: &str, anchor: &str, known: &HashSet<&str>) -> Diagnostic {
    let mut list: Vec<&str> = known.iter().copied().collect();
    list.sort();
    let help = suggest(anchor, list.iter().copied()).unwrap_or_else(|| {
        if list.is_empty() {
            format!("chapter \"{slug}\" has no headings")
        } else {
            format!("its sections are: {}", list.join(", "))
        }
    });
    Diagnostic::error(
        span,
        format!("chapter \"{slug}\" has no section \"#{anchor}\""),
    )
    .with_help(help)
}

impl Rendered {
    fn toc_and_notes_ids(&self) -> HashSet<&str> {
        let mut s: HashSet<&str> = self.toc.iter().map(|h| h.id.as_str()).collect();
        if self.html.raw().contains("id=\"footnotes\"") {
            s.insert("footnotes");
        }
        s
    }
}

/// Lookups from ids to indices, handed to `markdown` as its `Resolver`.
struct Index<'a> {
    people: &'a HashMap<String, usize>,
    people_ids: Vec<&'a str>,
    people_names: Vec<&'a str>,
    chapters: &'a HashMap<String, usize>,
    chapter_slugs: Vec<&'a str>,
    chapter_titles: Vec<&'a str>,
    events: &'a HashMap<String, usize>,
    event_ids: Vec<&'a str>,
    event_pages: Vec<TimelinePage>,
    event_titles: Vec<&'a str>,
    sources: &'a HashMap<String, usize>,
    source_ids: Vec<&'a str>,
    source_titles: Vec<&'a str>,
}

impl Index<'_> {
    fn lookup(&self, kind: RefKind, id: &str) -> Result<usize, Problem> {
        let (map, ids, what): (&HashMap<String, usize>, &[&str], &str) = match kind {
            RefKind::Person => (self.people, &self.people_ids, "person"),
            RefKind::Event => (self.events, &self.event_ids, "event"),
            RefKind::Chapter => (self.chapters, &self.chapter_slugs, "chapter"),
            RefKind::Source => (self.sources, &self.source_ids, "source"),
        };
        map.get(id).copied().ok_or_else(|| {
            let help = suggest(id, ids.iter().copied()).or_else(|| {
                // A person written by name rather than id: point at the id.
                (kind == RefKind::Person)
                    .then(|| {
                        self.people_names
                            .iter()
                            .position(|n| n.eq_ignore_ascii_case(id))
                    })
                    .flatten()
                    .map(|i| format!("people are referenced by id: \"{}\"", self.people_ids[i]))
            });
            Problem::new(format!("unknown {what} \"{id}\""), help)
        })
    }
}

impl Resolver for Index<'_> {
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
        Ok(match kind {
            RefKind::Person => self.person(i),
            RefKind::Event => Target {
                url: event_url(self.event_ids[i], self.event_pages[i]),
                text: self.event_titles[i].to_string(),
                class: "ref-event",
                person: None,
                anchor: None,
            },
            RefKind::Chapter => Target {
                url: match anchor {
                    Some(a) => format!("{}#{a}", chapter_url(self.chapter_slugs[i])),
                    None => chapter_url(self.chapter_slugs[i]),
                },
                text: self.chapter_titles[i].to_string(),
                class: "ref-chapter",
                person: None,
                anchor: anchor.map(|a| (i, a.to_string())),
            },
            RefKind::Source => Target {
                url: source_url(self.source_ids[i]),
                text: self.source_titles[i].to_string(),
                class: "ref-source",
                person: None,
                anchor: None,
            },
        })
    }

    fn person(&self, i: usize) -> Target {
        Target {
            url: person_url(self.people_ids[i]),
            text: self.people_names[i].to_string(),
            class: "ref-person",
            person: Some(i),
            anchor: None,
        }
    }
}
