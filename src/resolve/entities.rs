//! Events, sources and people as resolved records: dates parsed, references in their lists
//! (participants, sources, the chapter that tells an event) turned into indices, their rendered
//! Markdown attached. Cross-references between them are `xref`'s.

use crate::diagnostics::{Diagnostic, Diagnostics, Warning};
use crate::load::{At, RawEvent, Sources, TomlMarkdown, check_slug};
use crate::markdown::{PlainText, RefKind, RelHtml};
use crate::site::{ChapterIx, EntryIx, Event, Person, Source, TimelinePage};
use crate::util::smart::punctuate;

use super::RenderedText;
use super::checks::{self, Anchors, check_image, parse_date_at, reserved_anchor};
use super::chronology::{self, Order};
use super::index::Index;

/// The events, in timeline order (see `chronology`: placement, then the documentary's own order,
/// never the title); events with a bad date are left out. Imprecise events placed before what
/// their chapter tells first are reported.
pub(super) fn events(
    sources: &Sources,
    index: &Index,
    summaries: &[Option<RenderedText>],
    anchors: &Anchors<'_>,
    diags: &mut Diagnostics,
) -> Vec<Event> {
    let mut events: Vec<(Order, Event, &At<String>)> = Vec::with_capacity(sources.events.len());
    for (i, (e, rendered)) in sources.events.iter().zip(summaries).enumerate() {
        if let Some(event) = event(e, index, rendered.as_ref(), anchors, diags) {
            let order = order(&event, i, index.event_page(i), anchors);
            events.push((
                order,
                Event {
                    page: index.event_page(i),
                    ..event
                },
                &e.date,
            ));
        }
    }
    events.sort_by_key(|a| a.0);
    let told: Vec<(usize, usize, usize)> = events.iter().map(|(o, ..)| (o.2, o.3, o.4)).collect();
    let spans: Vec<&crate::diagnostics::Span> = events.iter().map(|(.., d)| &d.span).collect();
    let events: Vec<Event> = events.into_iter().map(|(_, e, _)| e).collect();
    let slugs: Vec<&str> = sources
        .chapters
        .iter()
        .map(|c| c.slug.value.as_str())
        .collect();
    chronology::check_placement(&events, &told, &spans, &slugs, diags);
    events
}

/// Where event `e` (at position `i` of the sources) comes on the timeline.
fn order(e: &Event, i: usize, page: TimelinePage, anchors: &Anchors<'_>) -> Order {
    let (chapter, section) = match &e.chapter {
        Some((c, anchor)) => (
            c.ix(),
            anchor
                .as_deref()
                .and_then(|a| anchors.position(c.ix(), a))
                .map_or(0, |p| p + 1),
        ),
        None => (chronology::UNTOLD, 0),
    };
    (page, e.placement().sort_key(), chapter, section, i)
}

/// One event as a record, its problems reported; `None` when its date is bad. (Its page is the
/// index's.)
fn event(
    e: &RawEvent,
    index: &Index,
    rendered: Option<&RenderedText>,
    anchors: &Anchors<'_>,
    diags: &mut Diagnostics,
) -> Option<Event> {
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
    let sort = e.sort.as_ref().and_then(|s| {
        let sort = parse_date_at(s, diags)?;
        let date = date.as_ref()?;
        chronology::check_sort(&sort, date, &s.span, diags).then_some(sort)
    });
    let people = resolve_list(&e.people, index, RefKind::Person, diags);
    let sources = resolve_list(&e.sources, index, RefKind::Source, diags);
    let chapter = e
        .chapter
        .as_ref()
        .and_then(|c| told_in(c, index, anchors, diags));
    // The summary's text as the reader reads it (references as the names they show).
    let (summary, _, summary_plain) = fragment(e.summary.as_ref(), rendered, anchors, diags);
    let summary_text = summary_plain.flat();
    let (place, places) = places(e, index, diags);
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
                Warning::UntitledEvent,
                format!("event \"{}\" has no title", e.id.value),
            )
            .with_help("add `title = \"...\"`; the timeline shows the id instead"),
        );
    }
    Some(Event {
        id: e.id.value.clone(),
        date: date?,
        title: if e.title.trim().is_empty() {
            e.id.value.clone()
        } else {
            punctuate(e.title.trim())
        },
        summary,
        summary_text,
        people,
        place: punctuate(place.trim()),
        places,
        chapter,
        sources,
        tags,
        note: e.note.trim().to_string(),
        sort,
        page: TimelinePage::All,
        featured: e.featured,
    })
}

/// An event's `place`: free text in a documentary without `content/places/` (as before places
/// were entities), else place ids, resolved (an unknown one is an error naming the fix). The
/// text shown, and the places.
fn places(e: &RawEvent, index: &Index, diags: &mut Diagnostics) -> (String, Vec<EntryIx>) {
    let written = || {
        e.place
            .iter()
            .map(|p| p.value.trim())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !index.place_ids() {
        return (written(), Vec::new());
    }
    let mut out: Vec<EntryIx> = Vec::new();
    for p in &e.place {
        let id = p.value.trim();
        match index.lookup(RefKind::Place, id) {
            Ok(i) if !out.contains(&EntryIx(i)) => out.push(EntryIx(i)),
            Ok(_) => {}
            Err(x) if x.silent => {}
            Err(x) => {
                let slug = crate::util::slug::slugify(id);
                let help = match x.help {
                    Some(h) if h.contains("dossier new") => {
                        format!("events name places by id (content/places/<id>.toml): {h}")
                    }
                    Some(h) if h.contains(&format!("\"{slug}\"")) => h,
                    Some(h) => format!("{h}; or create it with `dossier new place {slug}`"),
                    None => format!("create it with `dossier new place {slug}`"),
                };
                diags.push(Diagnostic::error(p.span.clone(), x.message).with_help(help));
            }
        }
    }
    let names = out
        .iter()
        .map(|&i| index.title(RefKind::Place, i.ix()))
        .collect::<Vec<_>>()
        .join(", ");
    (names, out)
}

/// An event's `chapter = "slug#section"`: the chapter and, when it has that section, the anchor.
fn told_in(
    c: &At<String>,
    index: &Index,
    anchors: &Anchors<'_>,
    diags: &mut Diagnostics,
) -> Option<(ChapterIx, Option<String>)> {
    let (slug, anchor) = match c.value.split_once('#') {
        Some((s, a)) => (s, Some(a.to_string())),
        None => (c.value.as_str(), None),
    };
    let ix = match index.lookup(RefKind::Chapter, slug) {
        Ok(ix) => ix,
        Err(p) if p.silent => return None,
        Err(p) => {
            diags.push(Diagnostic::error(c.span.clone(), p.message).with_help_opt(p.help));
            return None;
        }
    };
    if let Some(a) = &anchor
        && !anchors.has(ix, a)
    {
        diags.push(anchors.unknown(c.span.clone(), ix, a));
        return Some((ChapterIx(ix), None));
    }
    Some((ChapterIx(ix), anchor))
}

/// A biography's or summary's HTML and plain text, its problems reported.
fn fragment(
    md: Option<&TomlMarkdown>,
    rendered: Option<&RenderedText>,
    anchors: &Anchors<'_>,
    diags: &mut Diagnostics,
) -> (RelHtml, String, PlainText) {
    let (Some(md), Some(done)) = (md, rendered) else {
        return (RelHtml::default(), String::new(), PlainText::default());
    };
    let (r, plain) = &**done;
    checks::report_fragment(md, r, anchors, diags);
    (r.html.clone(), plain.clone(), r.text.clone())
}

/// A one-paragraph text's HTML without its paragraph, so that it reads inline where a page
/// shows it (a lede, a card); a text of several blocks is left as it is.
pub(super) fn inline(html: RelHtml) -> RelHtml {
    let marked = html.marked().trim_end();
    let inner = marked
        .strip_prefix("<p id=\"")
        .and_then(|rest| rest.split_once("\">"))
        .and_then(|(_, rest)| rest.strip_suffix("</p>"));
    match inner {
        Some(inner) if !inner.contains("<p") && !inner.contains("</p>") => {
            RelHtml::new(inner.to_string())
        }
        _ => html,
    }
}

/// The sources, in the order sources.toml lists them.
pub(super) fn sources(sources: &Sources, diags: &mut Diagnostics) -> Vec<Source> {
    sources
        .sources
        .iter()
        .map(|s| {
            if check_slug(&s.id, "source", diags) {
                reserved_anchor(&s.id, "source", "the sources page", diags);
            }
            Source {
                id: s.id.value.clone(),
                title: s.title.value.trim().to_string(),
                author: s.author.trim().to_string(),
                publication: s.publication.trim().to_string(),
                date: s.date.as_ref().and_then(|d| parse_date_at(d, diags)),
                url: s.url.as_ref().and_then(|u| source_url(u, diags)),
                chapters: Vec::new(),
                events: Vec::new(),
                people: Vec::new(),
            }
        })
        .collect()
}

/// A source's web address: http or https, with no spaces or control characters.
fn source_url(u: &At<String>, diags: &mut Diagnostics) -> Option<String> {
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
}

/// The people, sorted by id; their cross-references are filled in by `xref`.
pub(super) fn people(
    sources: &Sources,
    index: &Index,
    texts: &super::Texts,
    anchors: &Anchors<'_>,
    diags: &mut Diagnostics,
) -> Vec<Person> {
    sources
        .people
        .iter()
        .zip(texts.bios.iter().zip(&texts.person_summaries))
        .map(|(p, (bio, summary))| {
            let (bio, _, bio_text) = fragment(p.bio.as_ref(), bio.as_ref(), anchors, diags);
            let (summary, _, summary_text) =
                fragment(p.summary.as_ref(), summary.as_ref(), anchors, diags);
            Person {
                id: p.id.value.clone(),
                name: p.name.value.trim().to_string(),
                aliases: p
                    .aliases
                    .iter()
                    .map(|a| a.value.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect(),
                role: punctuate(p.role.trim()),
                affiliation: punctuate(p.affiliation.trim()),
                side: p.side.trim().to_string(),
                summary: inline(summary),
                summary_text: summary_text.flat(),
                bio,
                bio_text,
                born: p.born.as_ref().and_then(|d| parse_date_at(d, diags)),
                died: p.died.as_ref().and_then(|d| parse_date_at(d, diags)),
                image: p.image.as_ref().and_then(|img| check_image(img, diags)),
                sources: resolve_list(&p.sources, index, RefKind::Source, diags),
                organizations: resolve_list(&p.organizations, index, RefKind::Organization, diags),
                events: Vec::new(),
                appearances: Vec::new(),
                companions: Vec::new(),
                mentions: 0,
            }
        })
        .collect()
}

/// The indices of a list of ids (duplicates once); unknown ids are reported, ids that failed
/// to load are left out silently.
pub(super) fn resolve_list<T: From<usize> + PartialEq>(
    ids: &[At<String>],
    index: &Index,
    kind: RefKind,
    diags: &mut Diagnostics,
) -> Vec<T> {
    let mut out = Vec::new();
    for id in ids {
        match index.lookup(kind, id.value.trim()) {
            Ok(i) => {
                let i = T::from(i);
                if !out.contains(&i) {
                    out.push(i);
                }
            }
            Err(p) if p.silent => {}
            Err(p) => {
                diags.push(Diagnostic::error(id.span.clone(), p.message).with_help_opt(p.help))
            }
        }
    }
    out
}
