//! A person's page: who they are, their biography, the events they took part in, the chapters
//! that mention them (with the sentence), the people they appear with, and their neighbourhood
//! in the network.

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::site::*;

use super::views::{EventRef, Link, PageInfo, PageView, PersonRef, SiteView, SourceItem};
use super::{Ctx, PageSpec, explore, monogram, side_key};

#[derive(Serialize)]
pub(super) struct PersonView<'a> {
    site: SiteView<'a>,
    page: PageView,
    person: PersonBody<'a>,
    /// The first [`PERSON_LIST_SHOWN`] events and chapters, with the totals and how many were
    /// left out, so a protagonist's page does not grow with the whole documentary.
    events: Vec<EventRef<'a>>,
    events_total: usize,
    events_more: usize,
    /// The span of their events ("1975–2014"), and the timeline filtered to them, opened at
    /// their first event.
    events_span: Option<String>,
    timeline_url: Option<String>,
    appearances: Vec<AppearanceItem>,
    appearances_total: usize,
    appearances_more: usize,
    companions: Vec<CompanionItem<'a>>,
    sources: Vec<SourceItem>,
    /// The organizations they belong to.
    organizations: Vec<Link>,
    /// Them and the people they appear with most (`None` if they appear with no one).
    neighbourhood: Option<explore::Neighbourhood>,
}

/// How many events and chapters a person's page lists.
pub(super) const PERSON_LIST_SHOWN: usize = 200;

#[derive(Serialize)]
pub(super) struct PersonBody<'a> {
    id: String,
    name: String,
    aliases: Vec<String>,
    role: String,
    affiliation: String,
    side: String,
    /// The summary as plain text (for templates that show it as text).
    summary: String,
    summary_html: crate::markdown::HtmlAt<'a>,
    bio: crate::markdown::HtmlAt<'a>,
    born: String,
    died: String,
    image: Option<String>,
    monogram: String,
    /// Their side's colour, as the network draws it.
    tone: &'static str,
    mentions: usize,
    /// The side as the id of its group on the people page ("united-states").
    side_id: String,
    /// The side's group on the people index (on the page where it starts, if it is split).
    side_url: String,
}

#[derive(Serialize)]
pub(super) struct AppearanceItem {
    chapter: Link,
    url: String,
    sentence: String,
    count: usize,
}

#[derive(Serialize)]
pub(super) struct CompanionItem<'a> {
    person: PersonRef<'a>,
    count: u32,
}

pub(super) fn person_page<'a>(cx: &Ctx<'a>, p: PersonIx) -> Result<PageSpec<'a>, Diagnostic> {
    let s = cx.site;
    let person = &s.people[p];
    let path = person.url();
    let description = if person.summary_text.is_empty() {
        format!("{}: {}", person.name, person.role)
    } else {
        person.summary_text.clone()
    };
    let page = cx.page(
        PageInfo {
            kind: "person",
            path: &path,
            title: &person.name,
            description: &description,
            og_type: "profile",
            section: "people",
        },
        person_ld(s, person),
    );
    let root = page.root.clone();
    let view = PersonView {
        site: cx.site_view(),
        person: body(cx, p, &root),
        events: person
            .events
            .iter()
            .take(PERSON_LIST_SHOWN)
            .map(|&e| cx.event(e, &root))
            .collect(),
        events_total: person.events.len(),
        events_span: super::timeline::events_span(s, &person.events),
        timeline_url: person.events.first().map(|&e| {
            let e = &s.events[e];
            format!("{root}{}?person={}#{}", e.page.url(), person.id, e.id)
        }),
        events_more: person.events.len().saturating_sub(PERSON_LIST_SHOWN),
        appearances_total: person.appearances.len(),
        appearances_more: person.appearances.len().saturating_sub(PERSON_LIST_SHOWN),
        appearances: person
            .appearances
            .iter()
            .take(PERSON_LIST_SHOWN)
            .map(|a| appearance(cx, a, &root))
            .collect(),
        companions: person
            .companions
            .iter()
            .map(|&(q, n)| CompanionItem {
                person: cx.person(q, &root),
                count: n,
            })
            .collect(),
        sources: person
            .sources
            .iter()
            .map(|&x| cx.source_item(x, &root))
            .collect(),
        organizations: cx.entry_links(WorldKind::Organization, &person.organizations, &root),
        neighbourhood: explore::neighbourhood(cx, p, &root),
        page,
    };
    Ok(PageSpec::template(&path, "person.html", view))
}

/// Who the person is, as the page shows it at the top.
fn body<'a>(cx: &Ctx<'a>, p: PersonIx, root: &str) -> PersonBody<'a> {
    let person = &cx.site.people[p];
    let date = |d: &Option<crate::date::Date>| d.as_ref().map(|d| d.display()).unwrap_or_default();
    PersonBody {
        id: person.id.clone(),
        name: person.name.clone(),
        aliases: person.aliases.clone(),
        role: person.role.clone(),
        affiliation: person.affiliation.clone(),
        side: person.side.clone(),
        summary: person.summary_text.clone(),
        summary_html: person.summary.at_root(root),
        bio: person.bio.at_root(root),
        born: date(&person.born),
        died: date(&person.died),
        image: person.image.as_ref().map(|i| format!("{root}{i}")),
        monogram: monogram(&person.name),
        tone: crate::network::side_colour(cx.graph.side_of[p]),
        mentions: person.mentions,
        side_id: side_key(&person.side),
        side_url: format!("{root}{}", cx.people_index.person_side_url(p)),
    }
}

/// A chapter that mentions the person, linked at the paragraph of the first mention.
pub(super) fn appearance(cx: &Ctx<'_>, a: &Appearance, root: &str) -> AppearanceItem {
    let chapter = cx.chapter_link(a.chapter, root);
    let url = match &a.paragraph {
        Some(id) => format!("{}#{id}", chapter.url),
        None => chapter.url.clone(),
    };
    AppearanceItem {
        chapter,
        url,
        sentence: a.sentence.clone(),
        count: a.count,
    }
}

/// A person's JSON-LD.
fn person_ld(s: &Site, person: &Person) -> serde_json::Value {
    let mut v = serde_json::json!({
        "@context": "https://schema.org", "@type": "Person",
        "name": person.name, "url": s.config.absolute(&person.url()), "description": person.summary_text,
    });
    if !person.aliases.is_empty() {
        v["alternateName"] = serde_json::json!(person.aliases);
    }
    if !person.role.is_empty() {
        v["jobTitle"] = serde_json::json!(person.role);
    }
    if !person.affiliation.is_empty() {
        v["affiliation"] = serde_json::json!({"@type": "Organization", "name": person.affiliation});
    }
    v
}
