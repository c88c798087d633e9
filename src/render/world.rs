//! The world's pages, one code for places and organizations: their index (`places/`,
//! `organizations/`, grouped by kind, or organizations by side, and split into pages past
//! [`WORLD_PER_PAGE`]), a page per entry (`places/<id>/`: infobox, description, its events in
//! timeline order, the chapters that mention it with the sentence, its people, the places within
//! it; `organizations/<id>/`: the same with its members), and the glossary (`glossary/`, every
//! term with its anchor, definition and where the chapters use it). Every list on a page is
//! bounded ([`WORLD_LIST_SHOWN`]), as people's are.

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::site::*;

use super::paged::Pagination;
use super::person::{AppearanceItem, appearance};
use super::views::{EventRef, Link, PageInfo, PageView, PersonRef, SiteView, SourceItem};
use super::{Ctx, PageSpec};

/// How many chapters the glossary lists under each term.
const TERM_USES_SHOWN: usize = 10;

/// The pages of `kind`'s index (none when the documentary has no such entries).
pub(super) fn index_pages(site: &Site, kind: WorldKind) -> usize {
    match site.world.of(kind).len() {
        0 => 0,
        n => page_count(n, WORLD_PER_PAGE),
    }
}

/// An entry as a list shows it.
#[derive(Serialize)]
struct EntryItem<'a> {
    id: &'a str,
    name: &'a str,
    category: &'a str,
    summary: &'a str,
    summary_html: String,
    url: String,
    /// How many events happened there (places) or involve its people (organizations).
    events: usize,
}

#[derive(Serialize)]
struct Group<'a> {
    name: String,
    anchor: String,
    entries: Vec<EntryItem<'a>>,
}

#[derive(Serialize)]
struct IndexView<'a> {
    site: SiteView<'a>,
    page: PageView,
    /// "place" or "organization".
    kind: &'static str,
    heading: &'static str,
    total: usize,
    /// What the groups are by: "kind" or "side".
    grouped_by: &'static str,
    groups: Vec<Group<'a>>,
    pagination: Option<Pagination>,
    /// The maps of the places (first page of the places only), each with its list of places.
    maps: Vec<super::maps::MapView>,
}

/// What an entry's group is: an organization's side when the documentary gives sides, else its
/// kind. Groups in order of their names, an unnamed one last.
fn group_of(kind: WorldKind, e: &Entry, by_side: bool) -> String {
    let g = if kind == WorldKind::Organization && by_side {
        &e.side
    } else {
        &e.category
    };
    if g.is_empty() {
        "Other".into()
    } else {
        capitalize(g)
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The entries of page `k` of an index, in their groups (see [`group_of`]), each group's
/// entries by name.
fn groups<'a>(
    all: &'a [Entry],
    kind: WorldKind,
    by_side: bool,
    k: usize,
    root: &str,
) -> Vec<Group<'a>> {
    let mut order: Vec<(String, usize)> = all
        .iter()
        .enumerate()
        .map(|(i, e)| (group_of(kind, e, by_side), i))
        .collect();
    order.sort_by(|a, b| {
        (a.0 == "Other", &a.0, all[a.1].name.to_lowercase()).cmp(&(
            b.0 == "Other",
            &b.0,
            all[b.1].name.to_lowercase(),
        ))
    });
    let mut groups: Vec<Group<'a>> = Vec::new();
    for (g, i) in order
        .into_iter()
        .skip((k - 1) * WORLD_PER_PAGE)
        .take(WORLD_PER_PAGE)
    {
        if groups.last().is_none_or(|last| last.name != g) {
            groups.push(Group {
                anchor: format!("group-{}", super::side_key(&g)),
                name: g,
                entries: Vec::new(),
            });
        }
        let e = &all[i];
        groups.last_mut().expect("pushed").entries.push(EntryItem {
            id: &e.id,
            name: &e.name,
            category: &e.category,
            summary: &e.summary,
            summary_html: e.summary_html.at(root),
            url: format!("{root}{}", e.url),
            events: e.events.len(),
        });
    }
    groups
}

/// Page `k` of `kind`'s index.
pub(super) fn index_page<'a>(
    cx: &Ctx<'a>,
    kind: WorldKind,
    k: usize,
) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let all = s.world.of(kind);
    let by_side = all.iter().any(|e| !e.side.is_empty());
    let first = format!("{}/", kind.dir());
    let path = page_url(&first, k);
    let heading = match kind {
        WorldKind::Place => "Places",
        WorldKind::Organization => "Organizations",
        WorldKind::Term => "Glossary",
    };
    let page = cx.page(
        PageInfo {
            kind: kind.dir(),
            path: &path,
            title: heading,
            description: "",
            og_type: "website",
            section: kind.dir(),
        },
        serde_json::json!({"@context": "https://schema.org", "@type": "CollectionPage",
            "name": heading, "url": s.config.absolute(&path)}),
    );
    let root = page.root.clone();
    let pages = index_pages(s, kind);
    let groups = groups(all, kind, by_side, k, &root);
    let view = IndexView {
        site: cx.site_view(),
        kind: kind.noun(),
        heading,
        total: all.len(),
        grouped_by: if kind == WorldKind::Organization && by_side {
            "side"
        } else {
            "kind"
        },
        groups,
        pagination: (pages > 1).then(|| {
            Pagination::new(
                format!("Pages of {}", heading.to_lowercase()),
                &first,
                k,
                pages,
                &root,
            )
        }),
        maps: if kind == WorldKind::Place && k == 1 {
            super::maps::all(s, cx.map_points, &root)
        } else {
            Vec::new()
        },
        page,
    };
    Ok(PageSpec::template(&path, "world.html", view))
}

#[derive(Serialize)]
struct EntryBody<'a> {
    kind: &'static str,
    id: &'a str,
    name: &'a str,
    aliases: &'a [String],
    category: &'a str,
    side: &'a str,
    summary: &'a str,
    summary_html: crate::markdown::HtmlAt<'a>,
    description: crate::markdown::HtmlAt<'a>,
    note: &'a str,
    /// "31.778° N, 35.235° E", and the values for `data-` attributes and the map.
    coordinates: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    mentions: usize,
}

#[derive(Serialize)]
struct EntryView<'a> {
    site: SiteView<'a>,
    page: PageView,
    entry: EntryBody<'a>,
    /// The places that hold it, nearest first.
    within: Vec<Link>,
    contains: Vec<Link>,
    contains_more: usize,
    events: Vec<EventRef<'a>>,
    events_total: usize,
    events_more: usize,
    appearances: Vec<AppearanceItem>,
    appearances_total: usize,
    appearances_more: usize,
    people: Vec<PersonRef<'a>>,
    people_total: usize,
    people_more: usize,
    sources: Vec<SourceItem>,
    index_url: String,
    /// A place's locator map: the smallest map that holds it, the place highlighted.
    map: Option<super::maps::MapView>,
}

/// The page of entry `e` of `kind` (a place or an organization).
pub(super) fn entry_page<'a>(
    cx: &Ctx<'a>,
    kind: WorldKind,
    ix: EntryIx,
) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let e = &s.world.of(kind)[ix.ix()];
    let path = e.url.clone();
    let description = meta_description(e);
    let page = cx.page(
        PageInfo {
            kind: kind.noun(),
            path: &path,
            title: &e.name,
            description: &description,
            og_type: "article",
            section: kind.dir(),
        },
        entry_ld(s, e),
    );
    let root = page.root.clone();
    let link = |x: EntryIx| {
        let p = &s.world.of(kind)[x.ix()];
        Link {
            title: p.name.clone(),
            url: format!("{root}{}", p.url),
        }
    };
    let within = if kind == WorldKind::Place {
        ancestors(&s.world.places, ix)
    } else {
        Vec::new()
    };
    let (contains, contains_more) = bounded(&e.contains, |&x| link(x));
    let (events, events_more) = bounded(&e.events, |&x| cx.event(x, &root));
    let (appearances, appearances_more) = bounded(&e.appearances, |a| appearance(cx, a, &root));
    let (people, people_more) = bounded(&e.people, |&p| cx.person(p, &root));
    let view = EntryView {
        site: cx.site_view(),
        entry: body(e, &root),
        within: within.into_iter().map(link).collect(),
        contains,
        contains_more,
        events,
        events_total: e.events.len(),
        events_more,
        appearances,
        appearances_total: e.appearances.len(),
        appearances_more,
        people,
        people_total: e.people.len(),
        people_more,
        sources: e
            .sources
            .iter()
            .map(|&x| cx.source_item(x, &root))
            .collect(),
        index_url: format!("{root}{}/", kind.dir()),
        map: super::maps::locator(s, cx.map_points, e, &root),
        page,
    };
    Ok(PageSpec::template(&path, "entry.html", view))
}

/// An entry page's meta description: its summary, else the start of its description, else
/// its name.
fn meta_description(e: &Entry) -> String {
    if !e.summary.is_empty() {
        return e.summary.clone();
    }
    let d: String = e.description_text.chars().take(200).collect();
    if d.is_empty() { e.name.clone() } else { d }
}

/// The first [`WORLD_LIST_SHOWN`] of `items` as views, and how many more there are.
fn bounded<X, T>(items: &[X], view: impl FnMut(&X) -> T) -> (Vec<T>, usize) {
    (
        items.iter().take(WORLD_LIST_SHOWN).map(view).collect(),
        items.len().saturating_sub(WORLD_LIST_SHOWN),
    )
}

fn body<'a>(e: &'a Entry, root: &str) -> EntryBody<'a> {
    let (lat, lon) = match e.coordinates {
        Some([lat, lon]) => (Some(lat), Some(lon)),
        None => (None, None),
    };
    EntryBody {
        kind: e.kind.noun(),
        id: &e.id,
        name: &e.name,
        aliases: &e.aliases,
        category: &e.category,
        side: &e.side,
        summary: &e.summary,
        summary_html: e.summary_html.at_root(root),
        description: e.description.at_root(root),
        note: &e.note,
        coordinates: e.coordinates.map(coordinates_label),
        lat,
        lon,
        mentions: e.mentions,
    }
}

/// "31.778° N, 35.235° E".
pub(super) fn coordinates_label([lat, lon]: [f64; 2]) -> String {
    let ns = if lat < 0.0 { "S" } else { "N" };
    let ew = if lon < 0.0 { "W" } else { "E" };
    format!("{}° {ns}, {}° {ew}", lat.abs(), lon.abs())
}

/// An entry's JSON-LD: a `Place` (with `GeoCoordinates`), an `Organization` or a `DefinedTerm`.
pub(super) fn entry_ld(s: &Site, e: &Entry) -> serde_json::Value {
    let ty = match e.kind {
        WorldKind::Place => "Place",
        WorldKind::Organization => "Organization",
        WorldKind::Term => "DefinedTerm",
    };
    let mut v = serde_json::json!({
        "@context": "https://schema.org", "@type": ty, "name": e.name,
        "url": s.config.absolute(&e.url),
    });
    let description = if e.summary.is_empty() {
        &e.description_text
    } else {
        &e.summary
    };
    if !description.is_empty() {
        v["description"] = serde_json::json!(description);
    }
    if !e.aliases.is_empty() {
        v["alternateName"] = serde_json::json!(e.aliases);
    }
    if let Some([lat, lon]) = e.coordinates {
        v["geo"] =
            serde_json::json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon});
    }
    if let Some(w) = e.within {
        v["containedInPlace"] =
            serde_json::json!({"@type": "Place", "name": s.world.places[w].name});
    }
    if e.kind == WorldKind::Term {
        v["inDefinedTermSet"] = serde_json::json!(s.config.absolute("glossary/"));
    }
    v
}

#[derive(Serialize)]
struct TermItem<'a> {
    id: &'a str,
    term: &'a str,
    aliases: &'a [String],
    definition: crate::markdown::HtmlAt<'a>,
    note: &'a str,
    uses: Vec<AppearanceItem>,
    uses_more: usize,
    sources: Vec<SourceItem>,
}

#[derive(Serialize)]
struct GlossaryView<'a> {
    site: SiteView<'a>,
    page: PageView,
    total: usize,
    terms: Vec<TermItem<'a>>,
    pagination: Option<Pagination>,
}

/// Page `k` of the glossary: its terms in order of their ids, each with its anchor.
pub(super) fn glossary_page<'a>(cx: &Ctx<'a>, k: usize) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let path = page_url("glossary/", k);
    let terms: Vec<&Entry> = s
        .world
        .terms
        .iter()
        .skip((k - 1) * WORLD_PER_PAGE)
        .take(WORLD_PER_PAGE)
        .collect();
    let ld = serde_json::json!({
        "@context": "https://schema.org", "@type": "DefinedTermSet", "name": "Glossary",
        "url": s.config.absolute(&path),
        "hasDefinedTerm": terms.iter().map(|t| entry_ld(s, t)).collect::<Vec<_>>(),
    });
    let page = cx.page(
        PageInfo {
            kind: "glossary",
            path: &path,
            title: "Glossary",
            description: "",
            og_type: "website",
            section: "glossary",
        },
        ld,
    );
    let root = page.root.clone();
    let pages = index_pages(s, WorldKind::Term);
    let view = GlossaryView {
        site: cx.site_view(),
        total: s.world.terms.len(),
        terms: terms
            .into_iter()
            .map(|t| TermItem {
                id: &t.id,
                term: &t.name,
                aliases: &t.aliases,
                definition: t.description.at_root(&root),
                note: &t.note,
                uses: t
                    .appearances
                    .iter()
                    .take(TERM_USES_SHOWN)
                    .map(|a| appearance(cx, a, &root))
                    .collect(),
                uses_more: t.appearances.len().saturating_sub(TERM_USES_SHOWN),
                sources: t
                    .sources
                    .iter()
                    .map(|&x| cx.source_item(x, &root))
                    .collect(),
            })
            .collect(),
        pagination: (pages > 1)
            .then(|| Pagination::new("Pages of the glossary", "glossary/", k, pages, &root)),
        page,
    };
    Ok(PageSpec::template(&path, "glossary.html", view))
}

/// The world's pages for the sitemap.
pub(super) fn sitemap_paths(site: &Site) -> Vec<String> {
    let mut out = Vec::new();
    for kind in WorldKind::ALL {
        let first = format!("{}/", kind.dir());
        out.extend((1..=index_pages(site, kind)).map(|k| page_url(&first, k)));
        if kind != WorldKind::Term {
            out.extend(site.world.of(kind).iter().map(|e| e.url.clone()));
        }
    }
    out
}
