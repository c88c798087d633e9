//! `Sources` → `Site`: ids checked and indexed, references resolved, cross-references built.
//! The steps are functions the pipeline calls in order, so that `serve` can memoize the costly
//! one (Markdown) from outside: [`names`] and [`matcher`], [`index`], [`texts`] (what Markdown
//! there is to render) and [`render_text`] (one text, a pure function of its [`TextJob`]), then
//! [`site`], which assembles the model from the sources and the rendered texts. Every problem
//! becomes a located `Diagnostic`; this module reads no files and uses no templates.
//!
//! Its parts: `index` (ids and lookups), `entities` (events, sources and people as records),
//! `chronology` (the timeline's order and pages), `xref` (who appears where and with whom),
//! `world` (places, organizations and terms as records, and what links them to the rest),
//! `checks` (warnings and the small validations).

mod checks;
mod chronology;
mod entities;
mod index;
mod world;
mod xref;

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::config::{Autolink, Autolinks, Config};
use crate::diagnostics::Diagnostics;
use crate::load::{Sources, TomlMarkdown};
use crate::markdown::{self, RenderOptions, Rendered};
use crate::site::{Event, Site, SiteLink, StandalonePage, chapter_url, page_path, person_url};

pub use index::{Index, index, matcher, names};

/// Which text of the sources a [`TextJob`] renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOf {
    Chapter(usize),
    Bio(usize),
    /// A person's summary.
    PersonSummary(usize),
    Summary(usize),
    /// The summary of `sources.world[i]`.
    EntrySummary(usize),
    /// The description (a term's definition) of `sources.world[i]`.
    Description(usize),
    Page(usize),
}

/// One Markdown text to render, with everything its rendering reads: the text, the index its
/// references resolve against, and how to render it. Its hash is the whole input.
pub struct TextJob<'a> {
    pub of: TextOf,
    text: &'a str,
    index: &'a Index,
    autolink: Autolinks,
    id_prefix: String,
}

impl Hash for TextJob<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let TextJob {
            of,
            text,
            index,
            autolink,
            id_prefix,
        } = self;
        matches!(of, TextOf::Chapter(_)).hash(state);
        (text, index, autolink, id_prefix).hash(state);
    }
}

/// A rendered text, and its plain text (for descriptions; empty for chapters).
pub type RenderedText = Arc<(Rendered, String)>;

/// Every Markdown text of `sources`: chapters' bodies (auto-linked, raw HTML allowed), then
/// biographies and people's summaries, event summaries and the world's descriptions (references only, raw HTML shown
/// as text).
pub fn texts<'a>(sources: &'a Sources, index: &'a Index, config: &Config) -> Vec<TextJob<'a>> {
    let mut jobs =
        Vec::with_capacity(sources.chapters.len() + sources.people.len() + sources.events.len());
    let off = Autolinks::all(Autolink::Off);
    let job = |of, text, autolink, id_prefix| TextJob {
        of,
        text,
        index,
        autolink,
        id_prefix,
    };
    for (i, c) in sources.chapters.iter().enumerate() {
        jobs.push(job(
            TextOf::Chapter(i),
            c.body(),
            config.autolink,
            String::new(),
        ));
    }
    for (i, p) in sources.people.iter().enumerate() {
        if let Some(bio) = &p.bio {
            jobs.push(job(TextOf::Bio(i), &bio.text, off, "bio-".into()));
        }
        if let Some(summary) = &p.summary {
            // (Summaries share the people index: their ids are prefixed with the person's.)
            let prefix = format!("{}-summary-", p.id.value);
            jobs.push(job(TextOf::PersonSummary(i), &summary.text, off, prefix));
        }
    }
    for (i, p) in sources.pages.iter().enumerate() {
        jobs.push(job(TextOf::Page(i), p.body(), off, String::new()));
    }
    for (i, e) in sources.events.iter().enumerate() {
        if let Some(summary) = &e.summary {
            jobs.push(job(
                TextOf::Summary(i),
                &summary.text,
                off,
                format!("{}-", e.id.value),
            ));
        }
    }
    for (i, e) in sources.world.iter().enumerate() {
        if let Some(s) = &e.summary {
            let prefix = format!("{}-summary-", e.id.value);
            jobs.push(job(TextOf::EntrySummary(i), &s.text, off, prefix));
        }
        if let Some(d) = &e.description {
            // (Terms share the glossary page: their ids are prefixed with theirs.)
            jobs.push(job(
                TextOf::Description(i),
                &d.text,
                off,
                format!("{}-", e.id.value),
            ));
        }
    }
    jobs
}

/// Render one text (a pure function of the job).
pub fn render_text(job: &TextJob<'_>) -> RenderedText {
    let chapter = matches!(job.of, TextOf::Chapter(_));
    let opts = RenderOptions {
        autolink: job.autolink,
        names: chapter.then_some(&*job.index.matcher),
        id_prefix: &job.id_prefix,
        raw_html: chapter,
    };
    let rendered = markdown::render(job.text, job.index, opts);
    let plain = if chapter {
        String::new()
    } else {
        markdown::plain(job.text)
    };
    Arc::new((rendered, plain))
}

/// The rendered texts of [`texts`], by what they belong to.
pub struct Texts {
    pub chapters: Vec<RenderedText>,
    pub bios: Vec<Option<RenderedText>>,
    pub person_summaries: Vec<Option<RenderedText>>,
    pub summaries: Vec<Option<RenderedText>>,
    pub descriptions: Vec<Option<RenderedText>>,
    pub entry_summaries: Vec<Option<RenderedText>>,
    pub pages: Vec<RenderedText>,
}

impl Texts {
    /// Sort the results of the jobs back to their owners.
    pub fn new(sources: &Sources, jobs: &[TextJob<'_>], rendered: Vec<RenderedText>) -> Texts {
        let mut t = Texts {
            chapters: Vec::with_capacity(sources.chapters.len()),
            bios: vec![None; sources.people.len()],
            person_summaries: vec![None; sources.people.len()],
            summaries: vec![None; sources.events.len()],
            descriptions: vec![None; sources.world.len()],
            entry_summaries: vec![None; sources.world.len()],
            pages: Vec::with_capacity(sources.pages.len()),
        };
        for (job, r) in jobs.iter().zip(rendered) {
            match job.of {
                TextOf::Chapter(_) => t.chapters.push(r),
                TextOf::Bio(i) => t.bios[i] = Some(r),
                TextOf::PersonSummary(i) => t.person_summaries[i] = Some(r),
                TextOf::Summary(i) => t.summaries[i] = Some(r),
                TextOf::Description(i) => t.descriptions[i] = Some(r),
                TextOf::EntrySummary(i) => t.entry_summaries[i] = Some(r),
                TextOf::Page(_) => t.pages.push(r),
            }
        }
        t
    }
}

/// Resolve everything. Always returns a site (possibly partial) so that all problems of the run
/// are reported together; the pipeline decides from `diags` whether to publish it.
pub fn site(
    mut sources: Sources,
    config: Config,
    index: &Index,
    texts: Texts,
    diags: &mut Diagnostics,
) -> Site {
    let anchors = checks::Anchors::new(&sources, &texts);
    for (c, r) in sources.chapters.iter().zip(&texts.chapters) {
        checks::report_chapter_text(c, &r.0, &anchors, index, diags);
    }
    let events = entities::events(&sources, index, &texts.summaries, &anchors, diags);
    let mut source_records = entities::sources(&sources, diags);
    let mut people = entities::people(&sources, index, &texts, &anchors, diags);
    let mut world = world::entries(&sources, index, &texts, &anchors, diags);
    let links = links(&sources, &texts, &events);
    let pages = pages(&sources, &texts, &anchors, diags);
    drop(anchors);
    // Last, so that the chapters' rendered texts can be moved into the site, not copied.
    let (chapters, co_mentions) = xref::chapters(
        &sources,
        index,
        texts.chapters,
        &mut people,
        &mut world,
        &mut source_records,
        diags,
    );
    let mut site = Site {
        config,
        chapters,
        people,
        events,
        sources: source_records,
        world,
        co_mentions,
        links,
        maps: std::mem::take(&mut sources.maps),
        pages,
    };
    xref::link_events(&mut site);
    world::link(&mut site);
    checks::loose_ends(&site, &sources, diags);
    world::unmentioned(&site, &sources, diags);
    crate::util::drop_aside(sources);
    site
}

/// The standalone pages, their texts' problems reported.
fn pages(
    sources: &Sources,
    texts: &Texts,
    anchors: &checks::Anchors<'_>,
    diags: &mut Diagnostics,
) -> Vec<StandalonePage> {
    sources
        .pages
        .iter()
        .zip(&texts.pages)
        .map(|(p, r)| {
            checks::report_page_text(p, &r.0, anchors, diags);
            StandalonePage {
                slug: p.slug.value.clone(),
                title: crate::util::smart::punctuate(p.title.value.trim()),
                summary: crate::util::smart::punctuate(p.summary.trim()),
                menu: p.menu,
                order: p.order,
                html: r.0.html.clone(),
                toc: r.0.toc.clone(),
            }
        })
        .collect()
}

/// The links into the site each text makes, with the page it is on and where it is written.
fn links(sources: &Sources, texts: &Texts, events: &[Event]) -> Vec<SiteLink> {
    let mut out = Vec::new();
    for (c, r) in sources.chapters.iter().zip(&texts.chapters) {
        let page = chapter_url(&c.slug.value);
        for l in &r.0.links {
            let span = c
                .file
                .span(c.body_start + l.range.start..c.body_start + l.range.end);
            out.push(SiteLink {
                page: page.clone(),
                url: l.url.clone(),
                span,
            });
        }
    }
    for (i, p) in sources.people.iter().enumerate() {
        let texts = [
            (&p.bio, &texts.bios[i]),
            (&p.summary, &texts.person_summaries[i]),
        ];
        let page = person_url(&p.id.value);
        for (text, r) in texts {
            toml_text_links(&mut out, &page, text, r);
        }
    }
    for (i, e) in sources.world.iter().enumerate() {
        let position = i - sources.world.partition_point(|x| x.kind < e.kind);
        let url = e.kind.url(&e.id.value, position);
        let page = url.split('#').next().unwrap_or_default().to_string();
        let texts = [
            (&e.description, &texts.descriptions[i]),
            (&e.summary, &texts.entry_summaries[i]),
        ];
        for (text, r) in texts {
            toml_text_links(&mut out, &page, text, r);
        }
    }
    for (p, r) in sources.pages.iter().zip(&texts.pages) {
        for l in &r.0.links {
            out.push(SiteLink {
                page: page_path(&p.slug.value),
                url: l.url.clone(),
                span: p
                    .file
                    .span(p.body_start + l.range.start..p.body_start + l.range.end),
            });
        }
    }
    let pages: std::collections::HashMap<&str, String> = events
        .iter()
        .map(|x| (x.id.as_str(), x.page.url()))
        .collect();
    for (e, r) in sources.events.iter().zip(&texts.summaries) {
        // Summaries are shown on the timeline page of their event first.
        let page = pages
            .get(e.id.value.as_str())
            .map_or("timeline/", String::as_str);
        toml_text_links(&mut out, page, &e.summary, r);
    }
    out
}

/// The links a text written in TOML (a biography, a summary, a description) makes, on `page`.
fn toml_text_links(
    out: &mut Vec<SiteLink>,
    page: &str,
    text: &Option<TomlMarkdown>,
    rendered: &Option<RenderedText>,
) {
    let (Some(text), Some(r)) = (text, rendered) else {
        return;
    };
    out.extend(r.0.links.iter().map(|l| SiteLink {
        page: page.to_string(),
        url: l.url.clone(),
        span: text.span(l.range.clone()),
    }));
}

#[cfg(test)]
mod tests;
