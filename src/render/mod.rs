//! `Site` + templates → pages. Owns tera: each page kind has a typed view, made from the `Site`
//! (`views` has what many pages share; one file per page kind has the rest). Rendering is in
//! steps the pipeline runs, so `serve` can memoize the costly one from outside: [`Prepared`]
//! (what all pages of a build share), [`Ctx::plan`] (every page, in a fixed order),
//! [`Ctx::spec`] (one page's template and view) and [`html`] (a view through its template, a
//! pure function of the [`PageJob`]). It writes no files and resolves no ids.

mod chapter;
mod explore;
mod feeds;
mod home;
mod maps;
mod paged;
mod people_index;
mod person;
mod sources;
mod standalone;
mod templates;
mod timeline;
mod views;
mod world;

use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use crate::diagnostics::Diagnostic;
use crate::output::{Bytes, Output};
use crate::site::*;

pub use templates::{BUILTIN_TEMPLATES, TemplateFiles, Templates, compile, files};
pub use views::Ctx;
use views::{Deep, EventItem, PersonItem};

/// How the pages are rendered (not what the documentary says).
#[derive(Debug, Clone, Default, Hash)]
pub struct Mode {
    /// `serve` injects its live-reload script, addressed relative to each page.
    pub live_reload: bool,
}

/// What a page's template sees: any serde value (each page kind has its own struct).
pub trait View: Sync {
    /// The view as tera's context.
    fn context(&self) -> Result<tera::Context, tera::Error>;
    /// Feed the view to `h`, as tera would see it (see `util::fingerprint::hash_serialized`).
    fn fingerprint(&self, h: &mut dyn Hasher);
}

impl<T: serde::Serialize + Sync> View for T {
    fn context(&self) -> Result<tera::Context, tera::Error> {
        tera::Context::from_serialize(self)
    }

    fn fingerprint(&self, mut h: &mut dyn Hasher) {
        crate::util::fingerprint::hash_serialized(&mut h, self);
    }
}

/// One page: where it goes and what it is made of.
pub struct PageSpec<'a> {
    /// Its file under the output folder (`people/x/index.html`).
    pub path: String,
    pub content: Content<'a>,
}

/// A page's content: a template and its view, or bytes made without a template.
pub enum Content<'a> {
    Template(&'static str, Box<dyn View + 'a>),
    Bytes(Vec<u8>),
}

impl<'a> PageSpec<'a> {
    /// The page at site path `path` (`people/x/`, `404.html`), rendered by `template`.
    fn template(path: &str, template: &'static str, view: impl View + 'a) -> PageSpec<'a> {
        PageSpec {
            path: file_path(path),
            content: Content::Template(template, Box::new(view)),
        }
    }
}

/// A page's file under the output folder: `people/` → `people/index.html`.
fn file_path(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// A view and the template that renders it: everything a page's HTML is made from. Its hash is
/// the templates' fingerprint, the template's name and the view as the template sees it.
pub struct PageJob<'a> {
    pub templates: &'a Templates,
    pub template: &'static str,
    pub view: &'a dyn View,
}

impl Hash for PageJob<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.templates.hash(state);
        self.template.hash(state);
        self.view.fingerprint(state);
    }
}

/// The room a page is rendered into at first: most pages (a chapter, a person) are smaller.
const PAGE_BYTES: usize = 32 * 1024;

/// Render one page's view through its template (a pure function of the job). A template error
/// is located in the template.
pub fn html(job: &PageJob<'_>) -> Result<Bytes, Diagnostic> {
    let ctx = job
        .view
        .context()
        .map_err(|e| Diagnostic::in_file(format!("templates/{}", job.template), e.to_string()))?;
    let mut out = Vec::with_capacity(PAGE_BYTES);
    job.templates
        .tera
        .render_to(job.template, &ctx, &mut out)
        .map_err(|e| templates::template_error(&e, &job.templates.files).swap_remove(0))?;
    Ok(Arc::new(out))
}

/// What every page of a build shares, worked out once: the network, the people index, each
/// person's initials, and the people and events as pages two folders down show them.
pub struct Prepared<'a> {
    site: &'a Site,
    mode: Mode,
    monograms: Vec<String>,
    graph: crate::network::Graph,
    people_index: people_index::PeopleIndex,
    deep_events: Vec<Deep<EventItem<'a>>>,
    deep_people: Vec<Deep<PersonItem<'a>>>,
    print_volumes: OnceLock<crate::print::Volumes<'a>>,
    source_labels: Vec<String>,
    timeline_outline: OnceLock<timeline::outline::Outline>,
    map_points: Vec<crate::map::MapPoint<'a>>,
}

impl<'a> Prepared<'a> {
    pub fn new(site: &'a Site, mode: &Mode) -> Prepared<'a> {
        // The network (its circle ordered to cross less) beside the rest.
        let (graph, (people_index, map_points)) = rayon::join(
            || crate::network::Graph::new(site),
            || {
                rayon::join(
                    || people_index::PeopleIndex::new(site),
                    || maps::points(site),
                )
            },
        );
        Prepared {
            site,
            mode: mode.clone(),
            monograms: site.people.iter().map(|p| monogram(&p.name)).collect(),
            graph,
            people_index,
            deep_events: (0..site.events.len()).map(|_| Deep::default()).collect(),
            deep_people: (0..site.people.len()).map(|_| Deep::default()).collect(),
            print_volumes: OnceLock::new(),
            source_labels: views::source_labels(site),
            timeline_outline: OnceLock::new(),
            map_points,
        }
    }

    /// The context pages are made in.
    pub fn ctx(&'a self) -> Ctx<'a> {
        Ctx {
            site: self.site,
            mode: &self.mode,
            monograms: &self.monograms,
            graph: &self.graph,
            people_index: &self.people_index,
            deep_events: &self.deep_events,
            deep_people: &self.deep_people,
            map_points: &self.map_points,
            print_volumes: &self.print_volumes,
            source_labels: &self.source_labels,
            timeline_outline: &self.timeline_outline,
        }
    }
}

/// Every page a build makes, in a fixed order (it depends only on the site's outline: how many
/// chapters, people, sources, events and years there are).
#[derive(Debug, Clone)]
pub enum Page {
    Index,
    People(usize),
    Chapters(usize),
    Source(SourceIx, usize),
    /// A timeline page and the positions of its events in `Site::events`.
    Timeline(TimelinePage, std::ops::Range<usize>),
    TimelineYears,
    Sources,
    NotFound,
    Network,
    /// `sitemap.xml` (0), or a file of a sitemap split into files.
    Sitemap(usize),
    /// The Atom feed.
    Feed,
    /// The print edition, or one volume of it.
    Print(Option<usize>),
    PrintVolumes,
    Chapter(ChapterIx),
    Person(PersonIx),
    /// Page `k` of the index of places or organizations.
    WorldIndex(WorldKind, usize),
    /// A place's or an organization's page.
    Entry(WorldKind, EntryIx),
    /// Page `k` of the glossary.
    Glossary(usize),
    /// A standalone page, by its position in `Site::pages`.
    Standalone(usize),
}

impl<'a> Ctx<'a> {
    /// Every page of the site.
    pub fn plan(&self) -> Vec<Page> {
        let site = self.site;
        let mut pages = vec![Page::Index];
        pages.extend((1..=self.people_index.pages()).map(Page::People));
        pages.extend((1..=paged::chapters_page_count(site)).map(Page::Chapters));
        for x in 0..site.sources.len() {
            let x = SourceIx(x);
            pages.extend((1..=paged::source_page_count(site, x)).map(|k| Page::Source(x, k)));
        }
        pages.extend(
            timeline::timeline_pages(site)
                .into_iter()
                .map(|(page, events)| Page::Timeline(page, events)),
        );
        if timeline::timeline_split(site) {
            pages.push(Page::TimelineYears);
        }
        pages.extend([Page::Sources, Page::NotFound, Page::Network]);
        pages.extend((0..=feeds::sitemap_parts(site)).map(Page::Sitemap));
        pages.push(Page::Feed);
        match explore::print_volumes(site.chapters.len()) {
            0 => pages.push(Page::Print(None)),
            volumes => {
                pages.push(Page::PrintVolumes);
                pages.extend((1..=volumes).map(|v| Page::Print(Some(v))));
            }
        }
        pages.extend((0..site.chapters.len()).map(|c| Page::Chapter(ChapterIx(c))));
        pages.extend((0..site.people.len()).map(|p| Page::Person(PersonIx(p))));
        for kind in [WorldKind::Place, WorldKind::Organization] {
            pages.extend((1..=world::index_pages(site, kind)).map(|k| Page::WorldIndex(kind, k)));
            pages.extend((0..site.world.of(kind).len()).map(|e| Page::Entry(kind, EntryIx(e))));
        }
        pages.extend((1..=world::index_pages(site, WorldKind::Term)).map(Page::Glossary));
        pages.extend(standalone::own_pages(site).map(Page::Standalone));
        pages
    }

    /// Page `page`'s template and view.
    pub fn spec(&self, page: &Page) -> Result<PageSpec<'a>, Diagnostic> {
        match page {
            Page::Index => home::index_page(self),
            Page::People(k) => paged::people_page(self, self.people_index, *k),
            Page::Chapters(k) => paged::chapters_page(self, *k),
            Page::Source(x, k) => paged::source_page(self, *x, *k),
            Page::Timeline(p, events) => timeline::timeline_page(self, *p, events.clone()),
            Page::TimelineYears => timeline::timeline_years_page(self),
            Page::Sources => sources::sources_page(self),
            Page::NotFound => sources::not_found_page(self),
            Page::Network => explore::network_page(self),
            Page::Sitemap(k) => feeds::sitemap_page(self, *k),
            Page::Feed => feeds::feed_page(self),
            Page::Print(volume) => explore::print_page(self, *volume),
            Page::PrintVolumes => explore::print_volumes_page(self),
            Page::Chapter(c) => chapter::chapter_page(self, *c),
            Page::Person(p) => person::person_page(self, *p),
            Page::WorldIndex(kind, k) => world::index_page(self, *kind, *k),
            Page::Entry(kind, e) => world::entry_page(self, *kind, *e),
            Page::Glossary(k) => world::glossary_page(self, *k),
            Page::Standalone(i) => standalone::standalone_page(self, *i),
        }
    }

    /// The files made without templates: sitemap, feed, `robots.txt` and the like.
    pub fn extras(&self) -> Vec<Output> {
        feeds::extras(self.site)
    }
}

/// uses the base path instead.
pub fn root_for(path: &str, base_path: &str) -> String {
    if path == "404.html" {
        return base_path.to_string();
    }
    "../".repeat(path.matches('/').count())
}

pub(super) fn monogram(name: &str) -> String {
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .collect();
    let initial = |w: &str| {
        w.chars()
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default()
    };
    match words.as_slice() {
        [] => "?".into(),
        [one] => initial(one),
        [first, .., last] => format!("{}{}", initial(first), initial(last)),
    }
}

/// A side as a token for data attributes ("United States" → "united-states").
pub(super) fn side_key(side: &str) -> String {
    let s = crate::util::slug::slugify(side);
    if s.is_empty() { "others".into() } else { s }
}

pub(super) fn sort_name(name: &str) -> (String, String) {
    (
        name.split_whitespace().last().unwrap_or("").to_lowercase(),
        name.to_lowercase(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots() {
        assert_eq!(root_for("", "/"), "");
        assert_eq!(root_for("people/", "/"), "../");
        assert_eq!(root_for("chapters/a/", "/"), "../../");
        assert_eq!(root_for("404.html", "/repo/"), "/repo/");
    }

    #[test]
    fn monograms() {
        assert_eq!(monogram("John Kerry"), "JK");
        assert_eq!(monogram("Aaron David Miller"), "AM");
        assert_eq!(monogram("Blumenfeld"), "B");
    }
}
