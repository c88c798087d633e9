//! `Site` + templates → `Vec<Output>`: every page, the feed, the sitemap and the small files
//! GitHub Pages wants. Owns tera: templates are loaded once (the user's over the built-in ones)
//! and each page kind gets one typed view built with `Context::from_serialize`. It writes no
//! files and resolves no ids: it only reads the `Site`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::markdown::{attr, text_html};
use crate::site::*;

mod explore;
mod paged;

/// A file of the built site: its path under the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub bytes: Bytes,
}

/// A file's bytes: its own, or a page shared with serve's cache (an unchanged page is not
/// copied on every rebuild).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bytes {
    Owned(Vec<u8>),
    Shared(Arc<String>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Shared(s) => s.as_bytes(),
        }
    }
}

impl Bytes {
    /// The bytes as a vector of their own (copied only when shared).
    pub fn into_vec(self) -> Vec<u8> {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Shared(s) => s.as_bytes().to_vec(),
        }
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Bytes {
        Bytes::Owned(v)
    }
}

/// The templates Dossier ships; a project's `templates/` may replace any of them by name.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("chapter.html", include_str!("../templates/chapter.html")),
    ("people.html", include_str!("../templates/people.html")),
    ("person.html", include_str!("../templates/person.html")),
    ("timeline.html", include_str!("../templates/timeline.html")),
    (
        "timeline-years.html",
        include_str!("../templates/timeline-years.html"),
    ),
    ("sources.html", include_str!("../templates/sources.html")),
    ("404.html", include_str!("../templates/404.html")),
    (
        "partials/search.html",
        include_str!("../templates/partials/search.html"),
    ),
    ("network.html", include_str!("../templates/network.html")),
    ("print.html", include_str!("../templates/print.html")),
    (
        "print-volumes.html",
        include_str!("../templates/print-volumes.html"),
    ),
    ("chapters.html", include_str!("../templates/chapters.html")),
    ("source.html", include_str!("../templates/source.html")),
    (
        "partials/pagination.html",
        include_str!("../templates/partials/pagination.html"),
    ),
];

/// How the pages are rendered (not what the documentary says).
#[derive(Debug, Clone, Default)]
pub struct Mode {
    /// `serve` injects its live-reload script, addressed relative to each page.
    pub live_reload: bool,
}

/// Loaded templates and where each came from, for error messages.
pub struct Templates {
    tera: Tera,
    files: BTreeMap<String, Arc<SourceFile>>,
    /// Pages rendered by earlier builds (`dossier serve`), and what identifies these templates
    /// in it.
    cache: Option<(Arc<crate::cache::Cache>, u64)>,
}

impl Templates {
    /// Load `templates/` under `root` over the built-in templates. Syntax errors are located
    /// diagnostics naming the template file, line and column.
    pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Templates> {
        let mut files: BTreeMap<String, Arc<SourceFile>> = BTreeMap::new();
        for (name, text) in BUILTIN_TEMPLATES {
            files.insert(
                name.to_string(),
                SourceFile::new(format!("(built-in) templates/{name}"), *text),
            );
        }
        let dir = root.join("templates");
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                if !entry.file_type().is_file() {
                    continue;
                }
                let name = crate::load::display_path(&dir, entry.path());
                if !(name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt")) {
                    continue;
                }
                match crate::load::read_source(root, entry.path()) {
                    Ok(f) => {
                        files.insert(name, f);
                    }
                    Err(d) => diags.push(d),
                }
            }
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        // All at once; when that fails, one at a time, so every syntax error is reported, not
        // just the first.
        let all = |tera: &mut Tera| {
            tera.add_raw_templates(files.iter().map(|(n, f)| (n.as_str(), f.text.as_str())))
        };
        if all(&mut tera).is_ok() {
            return Some(Templates {
                tera,
                files,
                cache: None,
            });
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let mut ok = true;
        for (name, file) in &files {
            let mut probe = Tera::new();
            if let Err(e) = probe.add_raw_template(name, &file.text) {
                if let tera::ErrorKind::SyntaxError(_) = e.kind() {
                    for d in template_error(&e, &files) {
                        diags.push(d);
                    }
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        if let Err(e) =
            tera.add_raw_templates(files.iter().map(|(n, f)| (n.as_str(), f.text.as_str())))
        {
            for d in template_error(&e, &files) {
                diags.push(d);
            }
            return None;
        }
        Some(Templates {
            tera,
            files,
            cache: None,
        })
    }

    /// Remember rendered pages in `cache`, and render only pages whose view is not there.
    pub fn with_cache(mut self, cache: Arc<crate::cache::Cache>) -> Templates {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        for (name, f) in &self.files {
            name.hash(&mut h);
            f.text.hash(&mut h);
        }
        self.cache = Some((cache, h.finish()));
        self
    }

    /// `make()`, remembered in serve's cache under `what` and the fingerprint `key` writes (of
    /// everything `make` reads); without a cache, just `make()`.
    pub(crate) fn memo(
        &self,
        what: &str,
        key: impl FnOnce(&mut crate::cache::Fingerprint),
        make: impl FnOnce() -> String,
    ) -> Made {
        let Some((cache, _)) = &self.cache else {
            return Made {
                text: Arc::new(make()),
                key: None,
            };
        };
        let mut f = crate::cache::Fingerprint::new(0x6d656d6f);
        std::hash::Hash::hash(what, &mut f);
        key(&mut f);
        let key = f.finish128();
        let text = cache.pages.get_or(key, || Arc::new(make()));
        Made {
            text,
            key: Some(key),
        }
    }

    fn render(&self, name: &str, view: &impl Serialize) -> Result<Bytes, Diagnostic> {
        let key = self.cache.as_ref().and_then(|(cache, templates)| {
            let mut f = crate::cache::Fingerprint::new(*templates);
            std::hash::Hash::hash(name, &mut f);
            crate::cache::hash_serialized(&mut f, view).then(|| (cache, f.finish128()))
        });
        if let Some((cache, key)) = &key {
            if let Some(html) = cache.pages.get(*key) {
                return Ok(Bytes::Shared(html));
            }
        }
        let ctx = Context::from_serialize(view)
            .map_err(|e| Diagnostic::in_file(format!("templates/{name}"), e.to_string()))?;
        let failed = |e: tera::Error| template_error(&e, &self.files).swap_remove(0);
        Ok(match key {
            Some((cache, key)) => {
                let html = Arc::new(self.tera.render(name, &ctx).map_err(failed)?);
                cache.pages.put(key, Arc::clone(&html));
                Bytes::Shared(html)
            }
            None => {
                // Straight into bytes (no UTF-8 check of the whole page), with room for most
                // pages from the start.
                let mut out = Vec::with_capacity(PAGE_BYTES);
                self.tera.render_to(name, &ctx, &mut out).map_err(failed)?;
                Bytes::Owned(out)
            }
        })
    }
}

/// The room a page is rendered into at first: most pages (a chapter, a person) are smaller.
const PAGE_BYTES: usize = 32 * 1024;

/// A piece of a page remembered by [`Templates::memo`]: shared, not copied, into each view that
/// shows it, and fingerprinted by what it was made from rather than by its text.
#[derive(Clone)]
pub(crate) struct Made {
    text: Arc<String>,
    key: Option<u128>,
}

impl Made {
    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

impl Serialize for Made {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.key {
            Some(key) if !s.is_human_readable() => key.serialize(s),
            _ => s.serialize_str(&self.text),
        }
    }
}

/// Tera's autoescape, with the same output (`&<>"'` escaped) written in runs found eight bytes
/// at a time (`scan::html_special`): escaping was a tenth of the render phase.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    loop {
        let i = crate::scan::html_special(bytes, start);
        out.write_all(&bytes[start..i])?;
        let entity: &[u8] = match bytes.get(i) {
            None => return Ok(()),
            Some(b'&') => b"&amp;",
            Some(b'<') => b"&lt;",
            Some(b'>') => b"&gt;",
            Some(b'"') => b"&quot;",
            Some(_) => b"&#39;",
        };
        out.write_all(entity)?;
        start = i + 1;
    }
}

/// A tera error as diagnostics at the template's file, line and column.
fn template_error(e: &tera::Error, files: &BTreeMap<String, Arc<SourceFile>>) -> Vec<Diagnostic> {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let s = r.span();
            vec![located(
                files,
                r.filename(),
                s.start_line,
                s.start_col,
                (s.end_line == s.start_line).then(|| s.end_col.saturating_sub(s.start_col)),
                r.message(),
            )]
        }
        _ => {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                msg.push_str("\n");
                msg.push_str(&s.to_string());
                source = s.source();
            }
            // Validation errors (unknown filters, tests, includes...) arrive as rendered
            // reports: "error: MESSAGE" then " --> NAME:LINE:COL". Locate each one.
            let mut out = Vec::new();
            let lines: Vec<&str> = msg.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let Some(message) = line.trim().strip_prefix("error: ") else {
                    continue;
                };
                let Some(loc) = lines.get(i + 1).and_then(|l| l.trim().strip_prefix("--> ")) else {
                    continue;
                };
                let mut parts = loc.rsplitn(3, ':');
                let (Some(col), Some(line_no), Some(name)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    continue;
                };
                let (Ok(line_no), Ok(col)) = (line_no.parse::<usize>(), col.parse::<usize>())
                else {
                    continue;
                };
                let width = lines
                    .get(i + 4)
                    .map(|l| l.matches('^').count())
                    .filter(|&n| n > 0);
                out.push(located(
                    files,
                    name,
                    line_no,
                    col.saturating_sub(1),
                    width,
                    message,
                ));
            }
            if out.is_empty() {
                out.push(Diagnostic::in_file(
                    "templates/",
                    format!("template: {}", msg.replace('\n', ": ")),
                ));
            }
            out
        }
    }
}

/// A diagnostic at a 1-based line and 0-based column of a named template.
fn located(
    files: &BTreeMap<String, Arc<SourceFile>>,
    name: &str,
    line: usize,
    col: usize,
    width: Option<usize>,
    message: &str,
) -> Diagnostic {
    match files.get(name) {
        Some(file) => {
            let line = line.max(1);
            let start = nth_line_offset(&file.text, line) + col_offset(&file.text, line, col);
            let end = start + width.unwrap_or(1).max(1);
            Diagnostic::error(
                file.span(start..end.min(file.text.len())),
                format!("template: {message}"),
            )
        }
        None => Diagnostic::in_file(format!("templates/{name}"), format!("template: {message}")),
    }
}

fn nth_line_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

fn col_offset(text: &str, line: usize, col: usize) -> usize {
    let start = nth_line_offset(text, line);
    text[start..].char_indices().nth(col).map_or(0, |(i, _)| i)
}

// ---------------------------------------------------------------------------------------------
// Views: what each template sees.

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    author: &'a str,
    base_url: &'a str,
}

#[derive(Serialize)]
struct PageView {
    /// index, chapter, people, person, timeline, sources, 404
    kind: &'static str,
    /// The `<title>`.
    title: String,
    description: String,
    canonical: String,
    /// The path back to the site root, to prefix every internal URL: "", "../", "../../".
    root: String,
    og_type: &'static str,
    /// schema.org JSON-LD, already escaped for a `<script>` element.
    json_ld: String,
    live_reload: bool,
    /// Which main navigation entry is current: chapters, people, timeline, sources.
    section: &'static str,
}

#[derive(Serialize, Clone)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct ChapterItem {
    number: u64,
    title: String,
    summary: String,
    url: String,
    minutes: usize,
}

/// Borrowed from the `Site` where it can be: people and events appear on many pages, and each
/// copy of a field was an allocation before tera copied it again into its own values.
#[derive(Serialize, Clone)]
struct PersonItem<'a> {
    id: &'a str,
    name: &'a str,
    role: &'a str,
    side: &'a str,
    summary: &'a str,
    url: String,
    monogram: &'a str,
    image: Option<String>,
}

#[derive(Serialize, Clone)]
struct EventItem<'a> {
    id: &'a str,
    title: &'a str,
    date: String,
    datetime: String,
    partial: bool,
    year: i64,
    summary_html: String,
    people: Vec<PersonRef<'a>>,
    place: &'a str,
    chapter: Option<Link>,
    sources: Vec<Link>,
    tags: &'a [String],
    note: &'a str,
    url: String,
    /// Space-separated ids, sides and tags for the timeline filter.
    filter_people: String,
    filter_sides: String,
    filter_tags: String,
}

#[derive(Serialize)]
struct SourceItem {
    id: String,
    title: String,
    author: String,
    publication: String,
    date: String,
    url: Option<String>,
    anchor_url: String,
}

struct Ctx<'a> {
    site: &'a Site,
    mode: &'a Mode,
    /// Each person's initials, computed once.
    monograms: &'a [String],
    /// Who appears with whom: the network page and each person's neighbourhood.
    graph: &'a crate::network::Graph,
    /// The people index's order and pages, for its pages and each biography's link to its side.
    people_index: &'a paged::PeopleIndex,
    /// Every event as seen from two folders down (chapters, people, timeline years), made when a
    /// page first lists it, in tera's form, and shared (not copied) by each page that lists it.
    deep_events: &'a [Deep<EventItem<'a>>],
    /// Every person as seen from two folders down (a chapter's cast, a biography's companions),
    /// shared the same way.
    deep_people: &'a [Deep<PersonItem<'a>>],
    /// Where each chapter is printed, and its fingerprint: made by the first print page.
    print_volumes: &'a std::sync::OnceLock<(crate::print::Volumes<'a>, u128)>,
}

/// The path to the root from pages two folders down (`chapters/x/`, `people/x/`).
const DEEP_ROOT: &str = "../../";

/// An item (an event, a person) as pages two folders down show it, made when one first lists
/// it: the item, tera's value of it (made once, then shared by every page given it, not copied)
/// and its fingerprint (hashed once, then standing for it in each view that serve's cache
/// fingerprints).
struct Deep<T> {
    item: std::sync::OnceLock<T>,
    value: std::sync::OnceLock<tera::Value>,
    key: std::sync::OnceLock<u128>,
}

impl<T> Default for Deep<T> {
    fn default() -> Self {
        Deep {
            item: std::sync::OnceLock::new(),
            value: std::sync::OnceLock::new(),
            key: std::sync::OnceLock::new(),
        }
    }
}

/// An item as a page shows it: shared from the [`Deep`] items of [`Ctx`], or made for this page.
#[derive(Clone)]
enum Shared<'a, T> {
    Deep(&'a Deep<T>),
    Own(T),
}

type EventRef<'a> = Shared<'a, EventItem<'a>>;
type PersonRef<'a> = Shared<'a, PersonItem<'a>>;

impl<'a, T> Shared<'a, T> {
    /// Item `ix` of `deep` when seen from [`DEEP_ROOT`] (made by `make` the first time), else
    /// its own copy.
    fn of(
        deep: &'a [Deep<T>],
        ix: usize,
        root: &str,
        make: impl FnOnce(&str) -> T,
    ) -> Shared<'a, T> {
        match deep.get(ix) {
            Some(d) if root == DEEP_ROOT => {
                d.item.get_or_init(|| make(DEEP_ROOT));
                Shared::Deep(d)
            }
            _ => Shared::Own(make(root)),
        }
    }
}

impl<T: Serialize> Serialize for Shared<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Shared::Deep(deep) => {
                let item = deep.item.get().expect("made by Shared::of");
                if s.is_human_readable() {
                    // (Into tera's values, a value is passed on as it is.)
                    deep.value
                        .get_or_init(|| tera::Value::from_serializable(item))
                        .serialize(s)
                } else {
                    deep.key
                        .get_or_init(|| {
                            let mut f = crate::cache::Fingerprint::new(0x6576);
                            crate::cache::hash_serialized(&mut f, item);
                            f.finish128()
                        })
                        .serialize(s)
                }
            }
            Shared::Own(item) => item.serialize(s),
        }
    }
}

impl<'a> Ctx<'a> {
    fn site_view(&self) -> SiteView<'a> {
        let c = &self.site.config;
        SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            author: &c.author,
            base_url: &c.base_url,
        }
    }

    fn page(
        &self,
        kind: &'static str,
        path: &str,
        title: &str,
        description: &str,
        og_type: &'static str,
        section: &'static str,
        json_ld: serde_json::Value,
    ) -> PageView {
        let c = &self.site.config;
        let full_title = if kind == "index" {
            c.title.clone()
        } else {
            format!("{title} · {}", c.title)
        };
        PageView {
            kind,
            title: full_title,
            description: if description.is_empty() {
                c.description.clone()
            } else {
                description.to_string()
            },
            canonical: c.absolute(path),
            root: root_for(path, c.base_path()),
            og_type,
            json_ld: script_json(&json_ld),
            live_reload: self.mode.live_reload,
            section,
        }
    }

    /// Person `ix` as seen from `root`.
    fn person(&self, ix: PersonIx, root: &str) -> PersonRef<'a> {
        Shared::of(self.deep_people, ix, root, |root| {
            self.person_item(ix, root)
        })
    }

    fn person_item(&self, ix: PersonIx, root: &str) -> PersonItem<'a> {
        let p = &self.site.people[ix];
        PersonItem {
            id: &p.id,
            name: &p.name,
            role: &p.role,
            side: &p.side,
            summary: &p.summary,
            url: format!("{root}{}", p.url()),
            monogram: &self.monograms[ix],
            image: p.image.as_ref().map(|i| format!("{root}{i}")),
        }
    }

    /// Event `e` as seen from `root`.
    fn event(&self, e: EventIx, root: &str) -> EventRef<'a> {
        Shared::of(self.deep_events, e, root, |root| self.event_item(e, root))
    }

    fn event_item(&self, e: EventIx, root: &str) -> EventItem<'a> {
        let s = self.site;
        let e = &s.events[e];
        let people: Vec<PersonRef<'a>> = e.people.iter().map(|&p| self.person(p, root)).collect();
        let mut sides: Vec<String> = e
            .people
            .iter()
            .map(|&p| side_key(&s.people[p].side))
            .collect();
        sides.sort();
        sides.dedup();
        EventItem {
            id: &e.id,
            title: &e.title,
            date: e.date.display(),
            datetime: e.date.datetime(),
            partial: e.date.is_partial(),
            year: e.date.year(),
            summary_html: e.summary.at(root),
            filter_people: e
                .people
                .iter()
                .map(|&p| s.people[p].id.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            filter_sides: sides.join(" "),
            filter_tags: e
                .tags
                .iter()
                .map(|t| crate::load::slugify(t))
                .collect::<Vec<_>>()
                .join(" "),
            people,
            place: &e.place,
            chapter: e.chapter.as_ref().map(|(c, anchor)| {
                let ch = &s.chapters[*c];
                let url = match anchor {
                    Some(a) => format!("{root}{}#{a}", ch.url()),
                    None => format!("{root}{}", ch.url()),
                };
                let section = anchor
                    .as_ref()
                    .and_then(|a| ch.toc.iter().find(|h| &h.id == a))
                    .map(|h| format!("{}: {}", ch.title, h.text))
                    .unwrap_or_else(|| ch.title.clone());
                Link {
                    title: section,
                    url,
                }
            }),
            sources: e
                .sources
                .iter()
                .map(|&x| self.source_link(x, root))
                .collect(),
            tags: &e.tags,
            note: &e.note,
            url: format!("{root}{}", e.url()),
        }
    }

    fn source_link(&self, s: SourceIx, root: &str) -> Link {
        let s = &self.site.sources[s];
        Link {
            title: s.title.clone(),
            url: format!("{root}{}", s.url()),
        }
    }

    fn source_item(&self, s: SourceIx, root: &str) -> SourceItem {
        let src = &self.site.sources[s];
        SourceItem {
            id: src.id.clone(),
            title: src.title.clone(),
            author: src.author.clone(),
            publication: src.publication.clone(),
            date: src.date.as_ref().map(|d| d.display()).unwrap_or_default(),
            url: src.url.clone(),
            anchor_url: format!("{root}{}", src.url()),
        }
    }

    fn chapter_item(&self, c: ChapterIx, root: &str) -> ChapterItem {
        let ch = &self.site.chapters[c];
        ChapterItem {
            number: ch.number,
            title: ch.title.clone(),
            summary: ch.summary.clone(),
            url: format!("{root}{}", ch.url()),
            minutes: ch.minutes(),
        }
    }

    fn chapter_link(&self, c: ChapterIx, root: &str) -> Link {
        let ch = &self.site.chapters[c];
        Link {
            title: ch.title.clone(),
            url: format!("{root}{}", ch.url()),
        }
    }
}

/// The relative path from a page to the site root. `404.html` is served at any depth, so it
/// uses the base path instead.
fn root_for(path: &str, base_path: &str) -> String {
    if path == "404.html" {
        return base_path.to_string();
    }
    "../".repeat(path.matches('/').count())
}

/// JSON for a `<script>` element: `<`, `>` and `&` escaped so content cannot close the element.
pub fn script_json(v: &serde_json::Value) -> String {
    let json = serde_json::to_string(v).unwrap_or_default();
    // Most JSON-LD has none of them (U+2028 and U+2029 start with the byte E2).
    let b = json.as_bytes();
    if memchr::memchr3(b'<', b'>', b'&', b).is_none() && memchr::memchr(0xE2, b).is_none() {
        return json;
    }
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn monogram(name: &str) -> String {
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
fn side_key(side: &str) -> String {
    let s = crate::load::slugify(side);
    if s.is_empty() { "others".into() } else { s }
}

/// Sides in display order: alphabetical, with "Others" (and unassigned people) last.
pub(crate) fn side_order(side: &str) -> (bool, String) {
    let s = side.trim();
    (
        s.is_empty() || s.eq_ignore_ascii_case("others") || s.eq_ignore_ascii_case("other"),
        s.to_lowercase(),
    )
}

// ---------------------------------------------------------------------------------------------
// Page views

#[derive(Serialize)]
struct IndexView<'a> {
    site: SiteView<'a>,
    page: PageView,
    /// The first [`HOME_CHAPTERS`] chapters.
    chapters: Vec<ChapterItem>,
    /// The table of contents, when the home page cannot list every chapter.
    all_chapters: Option<String>,
    central: Vec<PersonRef<'a>>,
    glimpse: Vec<EventRef<'a>>,
    counts: Counts,
}

#[derive(Serialize)]
struct Counts {
    chapters: usize,
    people: usize,
    events: usize,
    sources: usize,
}

#[derive(Serialize)]
struct ChapterView<'a> {
    site: SiteView<'a>,
    page: PageView,
    chapter: ChapterBody<'a>,
    cast: Vec<PersonRef<'a>>,
    events: Vec<EventRef<'a>>,
    sources: Vec<SourceItem>,
    prev: Option<Link>,
    /// How many chapters the documentary has ("Chapter 3 of 13").
    chapter_count: usize,
    next: Option<Link>,
}

#[derive(Serialize)]
struct ChapterBody<'a> {
    number: u64,
    slug: String,
    title: String,
    summary: String,
    content: crate::markdown::HtmlAt<'a>,
    toc: Vec<TocItem>,
    minutes: usize,
    words: usize,
}

#[derive(Serialize)]
struct TocItem {
    level: u8,
    id: String,
    text: String,
}

#[derive(Serialize)]
struct PersonView<'a> {
    site: SiteView<'a>,
    page: PageView,
    person: PersonBody<'a>,
    /// The first [`PERSON_LIST_SHOWN`] events and chapters, with the totals and how many were
    /// left out, so a protagonist's page does not grow with the whole documentary.
    events: Vec<EventRef<'a>>,
    events_total: usize,
    events_more: usize,
    appearances: Vec<AppearanceItem>,
    appearances_total: usize,
    appearances_more: usize,
    companions: Vec<CompanionItem<'a>>,
    sources: Vec<SourceItem>,
    /// Them and the people they appear with most (`None` if they appear with no one).
    neighbourhood: Option<explore::Neighbourhood>,
}

/// How many events and chapters a person's page lists.
const PERSON_LIST_SHOWN: usize = 200;

#[derive(Serialize)]
struct PersonBody<'a> {
    id: String,
    name: String,
    aliases: Vec<String>,
    role: String,
    affiliation: String,
    side: String,
    summary: String,
    bio: crate::markdown::HtmlAt<'a>,
    born: String,
    died: String,
    image: Option<String>,
    monogram: String,
    mentions: usize,
    /// The side as the id of its group on the people page ("united-states").
    side_id: String,
    /// The side's group on the people index (on the page where it starts, if it is split).
    side_url: String,
}

#[derive(Serialize)]
struct AppearanceItem {
    chapter: Link,
    url: String,
    sentence: String,
    count: usize,
}

#[derive(Serialize)]
struct CompanionItem<'a> {
    person: PersonRef<'a>,
    count: u32,
}

#[derive(Serialize)]
struct TimelineView<'a> {
    site: SiteView<'a>,
    page: PageView,
    years: Vec<YearGroup<'a>>,
    /// Every year of the timeline: in-page anchors, or links to the year pages when split.
    year_nav: Vec<YearNav>,
    filter_people: Vec<FilterOption>,
    filter_sides: Vec<FilterOption>,
    filter_tags: Vec<FilterOption>,
    total: usize,
}

#[derive(Serialize)]
struct YearGroup<'a> {
    year: i64,
    label: String,
    /// Years with no events since the previous group (a gap is drawn when > 0).
    gap: i64,
    months: Vec<MonthGroup<'a>>,
}

#[derive(Serialize)]
struct MonthGroup<'a> {
    /// "" for events known only to the year.
    label: String,
    id: String,
    events: Vec<EventRef<'a>>,
}

#[derive(Serialize)]
struct YearNav {
    year: i64,
    label: String,
    url: String,
    /// Events in that year.
    count: usize,
    /// Years with no events since the previous one.
    gap: i64,
    /// The year this page shows (split timelines only).
    current: bool,
}

/// The index of a timeline split by year.
#[derive(Serialize)]
struct TimelineYearsView<'a> {
    site: SiteView<'a>,
    page: PageView,
    years: Vec<YearNav>,
    total: usize,
}

#[derive(Serialize)]
struct FilterOption {
    value: String,
    label: String,
    count: usize,
}

#[derive(Serialize)]
struct SourcesView<'a> {
    site: SiteView<'a>,
    page: PageView,
    sources: Vec<SourceEntry>,
}

#[derive(Serialize)]
struct SourceEntry {
    source: SourceItem,
    /// The first [`SOURCE_CITATIONS_SHOWN`] of each list, with how many were left out.
    chapters: Vec<Link>,
    chapters_more: usize,
    events: Vec<Link>,
    events_total: usize,
    events_more: usize,
    people: Vec<Link>,
    people_total: usize,
    people_more: usize,
    /// The source's own page listing every citation, when some were left out here.
    all_url: Option<String>,
}

#[derive(Serialize)]
struct NotFoundView<'a> {
    site: SiteView<'a>,
    page: PageView,
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Render every page. Template errors are collected from all pages and reported together.
pub fn pages(
    site: &Site,
    templates: &Templates,
    mode: &Mode,
    diags: &mut Diagnostics,
) -> Vec<Output> {
    each_page(site, templates, mode, diags, |o| o)
}

/// Every page `each_page` makes, in the order it makes them (the order depends only on the
/// site's outline: how many chapters, people, sources, events and years there are).
enum Page {
    Index,
    People(usize),
    Chapters(usize),
    Source(SourceIx, usize),
    Timeline(TimelinePage, std::ops::Range<EventIx>),
    TimelineYears,
    Sources,
    NotFound,
    Network,
    Sitemap(usize),
    /// The print edition, or one volume of it.
    Print(Option<usize>),
    PrintVolumes,
    Chapter(ChapterIx),
    Person(PersonIx),
}

impl Page {
    fn all(site: &Site, people_index: &paged::PeopleIndex) -> Vec<Page> {
        let mut pages = vec![Page::Index];
        pages.extend((1..=people_index.pages()).map(Page::People));
        pages.extend((1..=paged::chapters_page_count(site)).map(Page::Chapters));
        for x in 0..site.sources.len() {
            pages.extend((1..=paged::source_page_count(site, x)).map(|k| Page::Source(x, k)));
        }
        pages.extend(
            timeline_pages(site)
                .into_iter()
                .map(|(page, events)| Page::Timeline(page, events)),
        );
        if timeline_split(site) {
            pages.push(Page::TimelineYears);
        }
        pages.extend([Page::Sources, Page::NotFound, Page::Network]);
        pages.extend((1..=sitemap_parts(site)).map(Page::Sitemap));
        match explore::print_volumes(site.chapters.len()) {
            0 => pages.push(Page::Print(None)),
            volumes => {
                pages.push(Page::PrintVolumes);
                pages.extend((1..=volumes).map(|v| Page::Print(Some(v))));
            }
        }
        pages.extend((0..site.chapters.len()).map(Page::Chapter));
        pages.extend((0..site.people.len()).map(Page::Person));
        pages
    }

    fn render(&self, cx: &Ctx<'_>, t: &Templates) -> Result<Output, Diagnostic> {
        match self {
            Page::Index => index_page(cx, t),
            Page::People(k) => paged::people_page(cx, t, cx.people_index, *k),
            Page::Chapters(k) => paged::chapters_page(cx, t, *k),
            Page::Source(x, k) => paged::source_page(cx, t, *x, *k),
            Page::Timeline(page, events) => timeline_page(cx, t, *page, events.clone()),
            Page::TimelineYears => timeline_years_page(cx, t),
            Page::Sources => sources_page(cx, t),
            Page::NotFound => not_found_page(cx, t),
            Page::Network => explore::network_page(cx, t),
            Page::Sitemap(k) => sitemap_part(cx.site, *k),
            Page::Print(volume) => explore::print_page(cx, t, *volume),
            Page::PrintVolumes => explore::print_volumes_page(cx, t),
            Page::Chapter(c) => chapter_page(cx, t, *c),
            Page::Person(p) => person_page(cx, t, *p),
        }
    }

    /// The chapters whose text (HTML and word count) the page shows: its own chapter's page and
    /// the print edition. Every other page is made from the site's outline alone.
    fn text_of(&self, chapters: usize) -> std::ops::Range<ChapterIx> {
        match self {
            Page::Chapter(c) => *c..*c + 1,
            Page::Print(volume) => explore::print_chapters(*volume, chapters),
            _ => 0..0,
        }
    }
}

/// The pages serve's last build made, in [`Page::all`]'s order, and what they were made from.
/// While the outline stays the same, a page that shows no changed chapter text is unchanged: an
/// edit to a chapter's text renders its page and its print volume, not the other 1,500 views.
#[derive(Default)]
pub struct LastPages {
    outline: u128,
    texts: Vec<u128>,
    /// Each page as made, `None` where it failed.
    pages: Vec<Option<Output>>,
}

/// A fingerprint of everything the pages are made from but the chapters' text: the templates,
/// the mode and the whole site with each chapter's reading time in place of its HTML and word
/// count. (Fields are named, not `..`-skipped, so a field added to `Site` or `Chapter` cannot be
/// left out by accident.)
fn outline_key(site: &Site, mode: &Mode, templates: u64) -> u128 {
    use std::hash::Hash;
    let Site {
        config,
        chapters,
        people,
        events,
        sources,
        co_mentions,
    } = site;
    let Mode { live_reload } = mode;
    let mut f = crate::cache::Fingerprint::new(templates);
    (config, live_reload, chapters.len()).hash(&mut f);
    for ch in chapters {
        let Chapter {
            number,
            slug,
            title,
            summary,
            sources,
            html: _,
            toc,
            people,
            events,
            words: _,
        } = ch;
        (
            number,
            slug,
            title,
            summary,
            sources,
            toc,
            people,
            events,
            ch.minutes(),
        )
            .hash(&mut f);
    }
    (people, events, sources, co_mentions).hash(&mut f);
    f.finish128()
}

/// A fingerprint of each chapter's text, as [`Page::text_of`] means it.
fn text_keys(site: &Site) -> Vec<u128> {
    use std::hash::Hash;
    site.chapters
        .par_iter()
        .map(|ch| {
            let mut f = crate::cache::Fingerprint::new(0x74657874);
            (&ch.html, ch.words).hash(&mut f);
            f.finish128()
        })
        .collect()
}

/// Render every page and hand each to `f` as soon as it is made, on the thread that made it
/// (`dossier build` writes it there and keeps only `f`'s small result). The results come back
/// in a fixed order; template errors are collected from all pages and reported together.
/// With serve's cache, pages the last build made from the same outline and chapter texts are
/// taken as they were.
pub fn each_page<T: Send>(
    site: &Site,
    templates: &Templates,
    mode: &Mode,
    diags: &mut Diagnostics,
    f: impl Fn(Output) -> T + Sync,
) -> Vec<T> {
    let graph = crate::network::Graph::new(site);
    let monograms: Vec<String> = site.people.iter().map(|p| monogram(&p.name)).collect();
    let people_index = paged::PeopleIndex::new(site);
    let pages = Page::all(site, &people_index);
    // What serve's last build made that still holds.
    let (keys, kept) = match &templates.cache {
        Some((cache, id)) => {
            let (outline, texts) = rayon::join(|| outline_key(site, mode, *id), || text_keys(site));
            let last = cache.last_pages.lock().expect("not poisoned");
            let same = last.outline == outline
                && last.pages.len() == pages.len()
                && last.texts.len() == texts.len();
            let kept: Vec<Option<Output>> = pages
                .iter()
                .zip(&last.pages)
                .map(|(page, made)| {
                    if same && page.text_of(texts.len()).all(|c| texts[c] == last.texts[c]) {
                        made.clone()
                    } else {
                        None
                    }
                })
                .collect();
            if same {
                // The pages kept stand for their views: keep those in the page cache too.
                cache.pages.keep_last();
            }
            (Some((cache, outline, texts)), kept)
        }
        None => (None, Vec::new()),
    };
    let deep_events: Vec<Deep<EventItem<'_>>> =
        (0..site.events.len()).map(|_| Deep::default()).collect();
    let deep_people: Vec<Deep<PersonItem<'_>>> =
        (0..site.people.len()).map(|_| Deep::default()).collect();
    let print_volumes = std::sync::OnceLock::new();
    let cx = Ctx {
        site,
        mode,
        monograms: &monograms,
        graph: &graph,
        people_index: &people_index,
        deep_events: &deep_events,
        deep_people: &deep_people,
        print_volumes: &print_volumes,
    };
    let made: Vec<(Option<Output>, Result<T, Diagnostic>)> = pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let output = match kept.get(i) {
                Some(Some(output)) => Ok(output.clone()),
                _ => page.render(&cx, templates),
            };
            let last = keys.as_ref().and_then(|_| output.as_ref().ok().cloned());
            (last, output.map(&f))
        })
        .collect();
    let (last, results): (Vec<Option<Output>>, Vec<Result<T, Diagnostic>>) =
        made.into_iter().unzip();
    if let Some((cache, outline, texts)) = keys {
        *cache.last_pages.lock().expect("not poisoned") = LastPages {
            outline,
            texts,
            pages: last,
        };
    }
    let mut out = Vec::with_capacity(results.len() + 4);
    for r in results {
        match r {
            Ok(o) => out.push(o),
            Err(d) => diags.push(d),
        }
    }
    out.push(f(Output {
        path: "sitemap.xml".into(),
        bytes: sitemap(site).into_bytes().into(),
    }));
    out.push(f(Output {
        path: "atom.xml".into(),
        bytes: atom(site).into_bytes().into(),
    }));
    out.push(f(Output {
        path: ".nojekyll".into(),
        bytes: Vec::new().into(),
    }));
    out.push(f(Output {
        path: "robots.txt".into(),
        bytes: format!(
            "User-agent: *\nAllow: /\nSitemap: {}\n",
            site.config.absolute("sitemap.xml")
        )
        .into_bytes()
        .into(),
    }));
    if let Some(cname) = &site.config.cname {
        out.push(f(Output {
            path: "CNAME".into(),
            bytes: format!("{cname}\n").into_bytes().into(),
        }));
    }
    out
}

fn html_output(path: &str, html: Bytes) -> Output {
    let file = if path.ends_with(".html") {
        path.to_string()
    } else {
        format!("{path}index.html")
    };
    Output {
        path: file,
        bytes: html,
    }
}

fn index_page(cx: &Ctx<'_>, t: &Templates) -> Result<Output, Diagnostic> {
    let s = cx.site;
    let path = "";
    let root = "";
    let mut by_mentions: Vec<PersonIx> = (0..s.people.len())
        .filter(|&p| s.people[p].mentions > 0)
        .collect();
    by_mentions.sort_by(|&a, &b| {
        s.people[b]
            .mentions
            .cmp(&s.people[a].mentions)
            .then(a.cmp(&b))
    });
    by_mentions.truncate(8);
    let glimpse: Vec<EventRef<'_>> = spread(s.events.len(), 6)
        .into_iter()
        .map(|e| cx.event(e, root))
        .collect();
    let ld = serde_json::json!({
        "@context": "https://schema.org", "@type": "WebSite",
        "name": s.config.title, "description": s.config.description, "url": s.config.base_url,
        "inLanguage": s.config.language,
    });
    let view = IndexView {
        site: cx.site_view(),
        page: cx.page(
            "index",
            path,
            &s.config.title,
            &s.config.description,
            "website",
            "",
            ld,
        ),
        chapters: (0..s.chapters.len().min(HOME_CHAPTERS))
            .map(|c| cx.chapter_item(c, root))
            .collect(),
        all_chapters: paged::chapters_split(s).then(|| format!("{root}{}", paged::CHAPTERS_PATH)),
        central: by_mentions
            .into_iter()
            .map(|p| cx.person(p, root))
            .collect(),
        glimpse,
        counts: Counts {
            chapters: s.chapters.len(),
            people: s.people.len(),
            events: s.events.len(),
            sources: s.sources.len(),
        },
    };
    Ok(html_output(path, t.render("index.html", &view)?))
}

/// `k` indices spread evenly over `0..n`.
fn spread(n: usize, k: usize) -> Vec<usize> {
    if n <= k {
        return (0..n).collect();
    }
    let mut v: Vec<usize> = (0..k).map(|i| i * (n - 1) / (k - 1)).collect();
    v.dedup();
    v
}

fn chapter_page(cx: &Ctx<'_>, t: &Templates, c: ChapterIx) -> Result<Output, Diagnostic> {
    let s = cx.site;
    let ch = &s.chapters[c];
    let path = ch.url();
    let page = {
        let ld = serde_json::json!({
            "@context": "https://schema.org", "@type": "Article",
            "headline": ch.title, "description": ch.summary, "url": s.config.absolute(&path),
            "inLanguage": s.config.language, "wordCount": ch.words,
            "author": {"@type": "Organization", "name": if s.config.author.is_empty() { &s.config.title } else { &s.config.author }},
            "isPartOf": {"@type": "WebSite", "name": s.config.title, "url": s.config.base_url},
            "about": ch.people.iter().take(12).map(|&p| serde_json::json!({"@type": "Person", "name": s.people[p].name, "url": s.config.absolute(&s.people[p].url())})).collect::<Vec<_>>(),
            "citation": ch.sources.iter().map(|&x| s.sources[x].title.clone()).collect::<Vec<_>>(),
        });
        cx.page(
            "chapter",
            &path,
            &ch.title,
            &ch.summary,
            "article",
            "chapters",
            ld,
        )
    };
    let root = page.root.clone();
    let view = ChapterView {
        site: cx.site_view(),
        chapter: ChapterBody {
            number: ch.number,
            slug: ch.slug.clone(),
            title: ch.title.clone(),
            summary: ch.summary.clone(),
            content: ch.html.at_root(&root),
            toc: ch
                .toc
                .iter()
                .filter(|h| h.level == 2)
                .map(|h| TocItem {
                    level: h.level,
                    id: h.id.clone(),
                    text: h.text.clone(),
                })
                .collect(),
            minutes: ch.minutes(),
            words: ch.words,
        },
        cast: ch.people.iter().map(|&p| cx.person(p, &root)).collect(),
        events: ch.events.iter().map(|&e| cx.event(e, &root)).collect(),
        sources: ch
            .sources
            .iter()
            .map(|&x| cx.source_item(x, &root))
            .collect(),
        prev: c.checked_sub(1).map(|p| cx.chapter_link(p, &root)),
        next: (c + 1 < s.chapters.len()).then(|| cx.chapter_link(c + 1, &root)),
        chapter_count: s.chapters.len(),
        page,
    };
    Ok(html_output(&path, t.render("chapter.html", &view)?))
}

/// Sort people by surname, then the whole name.
fn sort_name(name: &str) -> (String, String) {
    (
        name.split_whitespace().last().unwrap_or("").to_lowercase(),
        name.to_lowercase(),
    )
}

fn person_page(cx: &Ctx<'_>, t: &Templates, p: PersonIx) -> Result<Output, Diagnostic> {
    let s = cx.site;
    let person = &s.people[p];
    let path = person.url();
    let ld = {
        let mut v = serde_json::json!({
            "@context": "https://schema.org", "@type": "Person",
            "name": person.name, "url": s.config.absolute(&path), "description": person.summary,
        });
        if !person.aliases.is_empty() {
            v["alternateName"] = serde_json::json!(person.aliases);
        }
        if !person.role.is_empty() {
            v["jobTitle"] = serde_json::json!(person.role);
        }
        if !person.affiliation.is_empty() {
            v["affiliation"] =
                serde_json::json!({"@type": "Organization", "name": person.affiliation});
        }
        v
    };
    let description = if person.summary.is_empty() {
        format!("{}: {}", person.name, person.role)
    } else {
        person.summary.clone()
    };
    let page = cx.page(
        "person",
        &path,
        &person.name,
        &description,
        "profile",
        "people",
        ld,
    );
    let root = page.root.clone();
    let view = PersonView {
        site: cx.site_view(),
        person: PersonBody {
            id: person.id.clone(),
            name: person.name.clone(),
            aliases: person.aliases.clone(),
            role: person.role.clone(),
            affiliation: person.affiliation.clone(),
            side: person.side.clone(),
            summary: person.summary.clone(),
            bio: person.bio.at_root(&root),
            born: person
                .born
                .as_ref()
                .map(|d| d.display())
                .unwrap_or_default(),
            died: person
                .died
                .as_ref()
                .map(|d| d.display())
                .unwrap_or_default(),
            image: person.image.as_ref().map(|i| format!("{root}{i}")),
            monogram: monogram(&person.name),
            mentions: person.mentions,
            side_id: side_key(&person.side),
            side_url: format!("{root}{}", cx.people_index.person_side_url(p)),
        },
        events: person
            .events
            .iter()
            .take(PERSON_LIST_SHOWN)
            .map(|&e| cx.event(e, &root))
            .collect(),
        events_total: person.events.len(),
        events_more: person.events.len().saturating_sub(PERSON_LIST_SHOWN),
        appearances_total: person.appearances.len(),
        appearances_more: person.appearances.len().saturating_sub(PERSON_LIST_SHOWN),
        appearances: person
            .appearances
            .iter()
            .take(PERSON_LIST_SHOWN)
            .map(|a| {
                let chapter = cx.chapter_link(a.chapter, &root);
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
            })
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
        neighbourhood: explore::neighbourhood(cx, t, p, &root),
        page,
    };
    Ok(html_output(&path, t.render("person.html", &view)?))
}

fn year_label(year: i64) -> String {
    if year < 0 {
        format!("{} BCE", 1 - year)
    } else {
        year.to_string()
    }
}

/// Is the timeline split into a page per year?
fn timeline_split(site: &Site) -> bool {
    site.events
        .iter()
        .any(|e| matches!(e.page, TimelinePage::Year(_)))
}

/// The timeline's pages and the events on each (events are in date order, so each page's
/// events are a contiguous range): one page, or one per year.
fn timeline_pages(site: &Site) -> Vec<(TimelinePage, std::ops::Range<usize>)> {
    let mut pages: Vec<(TimelinePage, std::ops::Range<usize>)> = Vec::new();
    for (i, e) in site.events.iter().enumerate() {
        match pages.last_mut() {
            Some((page, range)) if *page == e.page => range.end = i + 1,
            _ => pages.push((e.page, i..i + 1)),
        }
    }
    if pages.is_empty() {
        pages.push((TimelinePage::All, 0..0));
    }
    pages
}

/// Every year with events, linked from a page whose path back to the root is `root`.
fn year_nav(s: &Site, current: TimelinePage, root: &str) -> Vec<YearNav> {
    let mut out: Vec<YearNav> = Vec::new();
    for e in &s.events {
        let year = e.date.year();
        if let Some(last) = out.last_mut().filter(|y| y.year == year) {
            last.count += 1;
            continue;
        }
        let url = match e.page {
            TimelinePage::All => format!("#y{year}"),
            page => format!("{root}{}", page.url()),
        };
        let gap = out.last().map_or(0, |p| (year - p.year - 1).max(0));
        out.push(YearNav {
            year,
            label: year_label(year),
            url,
            count: 1,
            gap,
            current: current == TimelinePage::Year(year),
        });
    }
    out
}

fn timeline_page(
    cx: &Ctx<'_>,
    t: &Templates,
    page: TimelinePage,
    range: std::ops::Range<usize>,
) -> Result<Output, Diagnostic> {
    let s = cx.site;
    let path = page.url();
    let root = root_for(&path, s.config.base_path());
    let root = root.as_str();
    let mut years: Vec<YearGroup<'_>> = Vec::new();
    let mut prev_year: Option<i64> = None;
    for e in range.clone() {
        let ev = &s.events[e];
        let year = ev.date.year();
        if years.last().is_none_or(|y| y.year != year) {
            years.push(YearGroup {
                year,
                label: year_label(year),
                gap: prev_year.map_or(0, |p| (year - p - 1).max(0)),
                months: Vec::new(),
            });
            prev_year = Some(year);
        }
        let group = years.last_mut().expect("pushed above");
        let (label, id) = match ev.date.month() {
            Some(m) => (
                format!("{} {year}", MONTH_NAMES[(m - 1) as usize]),
                format!("y{year}-{m:02}"),
            ),
            None => (String::new(), format!("y{year}")),
        };
        if group.months.last().is_none_or(|m| m.id != id) {
            group.months.push(MonthGroup {
                label,
                id,
                events: Vec::new(),
            });
        }
        group
            .months
            .last_mut()
            .expect("pushed above")
            .events
            .push(cx.event(e, root));
    }
    // The filters offer what this page shows.
    let events = &s.events[range.clone()];
    let mut people_counts: BTreeMap<PersonIx, usize> = BTreeMap::new();
    let mut sides: BTreeMap<(bool, String), (String, usize)> = BTreeMap::new();
    let mut tags: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for ev in events {
        let mut seen = Vec::new();
        for &p in &ev.people {
            *people_counts.entry(p).or_insert(0) += 1;
            let side = &s.people[p].side;
            if !seen.contains(side) {
                seen.push(side.clone());
                let label = if side.is_empty() {
                    "Others".to_string()
                } else {
                    side.clone()
                };
                sides.entry(side_order(side)).or_insert((label, 0)).1 += 1;
            }
        }
        for tag in &ev.tags {
            tags.entry(crate::load::slugify(tag))
                .or_insert((tag.clone(), 0))
                .1 += 1;
        }
    }
    let mut people_counts: Vec<(PersonIx, usize)> = people_counts.into_iter().collect();
    people_counts.sort_by_cached_key(|a| sort_name(&s.people[a.0].name));
    let (title, description) = match page {
        TimelinePage::All => (
            "Timeline".to_string(),
            format!("Every event of {}, in order.", s.config.title),
        ),
        TimelinePage::Year(y) => (
            format!("Timeline: {}", year_label(y)),
            format!(
                "The events of {} in {}, in order.",
                year_label(y),
                s.config.title
            ),
        ),
    };
    let ld = serde_json::json!({
        "@context": "https://schema.org", "@type": "ItemList", "name": format!("{title} · {}", s.config.title),
        "url": s.config.absolute(&path),
        "itemListElement": events.iter().enumerate().map(|(i, e)| {
            let mut v = serde_json::json!({"@type": "Event", "name": e.title, "startDate": e.date.datetime(), "url": s.config.absolute(&e.url())});
            if !e.place.is_empty() { v["location"] = serde_json::json!({"@type": "Place", "name": e.place}); }
            if !e.summary_text.is_empty() { v["description"] = serde_json::json!(e.summary_text); }
            serde_json::json!({"@type": "ListItem", "position": i + 1, "item": v})
        }).collect::<Vec<_>>(),
    });
    let view = TimelineView {
        site: cx.site_view(),
        page: cx.page(
            "timeline",
            &path,
            &title,
            &description,
            "website",
            "timeline",
            ld,
        ),
        years,
        year_nav: year_nav(s, page, root),
        filter_people: people_counts
            .into_iter()
            .map(|(p, n)| FilterOption {
                value: s.people[p].id.clone(),
                label: s.people[p].name.clone(),
                count: n,
            })
            .collect(),
        filter_sides: sides
            .into_values()
            .map(|(label, n)| FilterOption {
                value: side_key(&label),
                label,
                count: n,
            })
            .collect(),
        filter_tags: tags
            .into_iter()
            .map(|(value, (label, n))| FilterOption {
                value,
                label,
                count: n,
            })
            .collect(),
        total: events.len(),
    };
    Ok(html_output(&path, t.render("timeline.html", &view)?))
}

/// `timeline/` of a timeline split by year: the years, each with its number of events.
fn timeline_years_page(cx: &Ctx<'_>, t: &Templates) -> Result<Output, Diagnostic> {
    let s = cx.site;
    let path = "timeline/";
    let years = year_nav(s, TimelinePage::All, "../");
    let ld = serde_json::json!({
        "@context": "https://schema.org", "@type": "ItemList", "name": format!("Timeline · {}", s.config.title),
        "url": s.config.absolute(path),
        "itemListElement": years.iter().enumerate().map(|(i, y)| serde_json::json!({
            "@type": "ListItem", "position": i + 1, "name": y.label,
            "url": s.config.absolute(&TimelinePage::Year(y.year).url()),
        })).collect::<Vec<_>>(),
    });
    let view = TimelineYearsView {
        site: cx.site_view(),
        page: cx.page(
            "timeline",
            path,
            "Timeline",
            &format!("Every event of {}, year by year.", s.config.title),
            "website",
            "timeline",
            ld,
        ),
        years,
        total: s.events.len(),
    };
    Ok(html_output(path, t.render("timeline-years.html", &view)?))
}

fn sources_page(cx: &Ctx<'_>, t: &Templates) -> Result<Output, Diagnostic> {
    let s = cx.site;
    let path = "sources/";
    let root = "../";
    let ld = serde_json::json!({"@context": "https://schema.org", "@type": "CollectionPage", "name": format!("Sources · {}", s.config.title), "url": s.config.absolute(path)});
    let view = SourcesView {
        site: cx.site_view(),
        page: cx.page(
            "sources",
            path,
            "Sources",
            &format!("The sources {} is drawn from.", s.config.title),
            "website",
            "sources",
            ld,
        ),
        sources: (0..s.sources.len())
            .map(|x| {
                let src = &s.sources[x];
                let more = |n: usize| n.saturating_sub(SOURCE_CITATIONS_SHOWN);
                SourceEntry {
                    source: cx.source_item(x, root),
                    chapters: src
                        .chapters
                        .iter()
                        .take(SOURCE_CITATIONS_SHOWN)
                        .map(|&c| cx.chapter_link(c, root))
                        .collect(),
                    chapters_more: more(src.chapters.len()),
                    events: src
                        .events
                        .iter()
                        .take(SOURCE_CITATIONS_SHOWN)
                        .map(|&e| Link {
                            title: s.events[e].title.clone(),
                            url: format!("{root}{}", s.events[e].url()),
                        })
                        .collect(),
                    events_total: src.events.len(),
                    events_more: more(src.events.len()),
                    people: src
                        .people
                        .iter()
                        .take(SOURCE_CITATIONS_SHOWN)
                        .map(|&p| Link {
                            title: s.people[p].name.clone(),
                            url: format!("{root}{}", s.people[p].url()),
                        })
                        .collect(),
                    people_total: src.people.len(),
                    people_more: more(src.people.len()),
                    all_url: paged::has_source_page(s, x)
                        .then(|| format!("{root}{}", paged::source_page_url(&src.id))),
                }
            })
            .collect(),
    };
    Ok(html_output(path, t.render("sources.html", &view)?))
}

fn not_found_page(cx: &Ctx<'_>, t: &Templates) -> Result<Output, Diagnostic> {
    let path = "404.html";
    let ld = serde_json::json!({"@context": "https://schema.org", "@type": "WebPage", "name": "Page not found"});
    let view = NotFoundView {
        site: cx.site_view(),
        page: cx.page("404", path, "Page not found", "", "website", "", ld),
    };
    Ok(html_output(path, t.render("404.html", &view)?))
}

fn xml(s: &str) -> String {
    attr(s)
}

/// The most URLs one sitemap file may list (the sitemaps protocol's limit). Past it,
/// `sitemap.xml` is a sitemap index of `sitemap-1.xml`, `sitemap-2.xml`, … of this many each.
pub const SITEMAP_URLS: usize = 50_000;

/// `sitemap.xml`: every page's URL, or the index of the sitemap files.
fn sitemap(site: &Site) -> String {
    sitemap_files(&site.config, &sitemap_paths(site), SITEMAP_URLS)
        .swap_remove(0)
        .1
}

/// How many sitemap files `sitemap.xml` indexes (0: it lists the URLs itself).
fn sitemap_parts(site: &Site) -> usize {
    let n = sitemap_paths(site).len();
    if n > SITEMAP_URLS {
        n.div_ceil(SITEMAP_URLS)
    } else {
        0
    }
}

/// `sitemap-{k}.xml` of a sitemap split into files.
fn sitemap_part(site: &Site, k: usize) -> Result<Output, Diagnostic> {
    let (path, text) =
        sitemap_files(&site.config, &sitemap_paths(site), SITEMAP_URLS).swap_remove(k);
    Ok(Output {
        path,
        bytes: text.into_bytes().into(),
    })
}

/// The sitemap files for `paths` at most `limit` URLs a file: `sitemap.xml` alone, or
/// `sitemap.xml` as an index followed by `sitemap-1.xml`, `sitemap-2.xml`…
fn sitemap_files(
    c: &crate::config::Config,
    paths: &[String],
    limit: usize,
) -> Vec<(String, String)> {
    let urlset = |paths: &[String]| {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for p in paths {
            out.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                xml(&c.absolute(p))
            ));
        }
        out.push_str("</urlset>\n");
        out
    };
    if paths.len() <= limit {
        return vec![("sitemap.xml".into(), urlset(paths))];
    }
    let parts: Vec<(String, String)> = paths
        .chunks(limit)
        .enumerate()
        .map(|(i, chunk)| (format!("sitemap-{}.xml", i + 1), urlset(chunk)))
        .collect();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (name, _) in &parts {
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml(&c.absolute(name))
        ));
    }
    index.push_str("</sitemapindex>\n");
    let mut files = vec![("sitemap.xml".to_string(), index)];
    files.extend(parts);
    files
}

/// Every page's site-relative URL, for the sitemap.
fn sitemap_paths(site: &Site) -> Vec<String> {
    let mut paths = vec![
        String::new(),
        "people/".into(),
        "timeline/".into(),
        "sources/".into(),
        explore::NETWORK_PATH.into(),
    ];
    paths.extend(site.chapters.iter().map(Chapter::url));
    paths.extend(site.people.iter().map(Person::url));
    if timeline_split(site) {
        paths.extend(timeline_pages(site).into_iter().map(|(page, _)| page.url()));
    }
    paths.extend(
        (2..=page_count(site.people.len(), PEOPLE_PER_PAGE))
            .filter(|_| site.people.len() > PEOPLE_INDEX_LIMIT)
            .map(|k| page_url(paged::PEOPLE_PATH, k)),
    );
    paths.extend((1..=paged::chapters_page_count(site)).map(|k| page_url(paged::CHAPTERS_PATH, k)));
    for x in 0..site.sources.len() {
        let first = paged::source_page_url(&site.sources[x].id);
        paths.extend((1..=paged::source_page_count(site, x)).map(|k| page_url(&first, k)));
    }
    paths
}

/// How many chapters the Atom feed carries (the last ones, in reading order).
const FEED_ENTRIES: usize = 20;

fn atom(site: &Site) -> String {
    let c = &site.config;
    // A stable "updated" stamp: the latest event date (builds stay byte-identical).
    let updated = site
        .events
        .iter()
        .map(|e| e.date.datetime())
        .max()
        .map_or_else(|| "1970-01-01".into(), |d| d);
    let stamp = |d: &str| match d.len() {
        4 => format!("{d}-01-01T00:00:00Z"),
        7 => format!("{d}-01T00:00:00Z"),
        _ => format!("{d}T00:00:00Z"),
    };
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    out.push_str(&format!("  <title>{}</title>\n", xml(&c.title)));
    if !c.description.is_empty() {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", xml(&c.description)));
    }
    out.push_str(&format!(
        "  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}\"/>\n",
        xml(&c.base_url),
        xml(&c.absolute("atom.xml"))
    ));
    out.push_str(&format!(
        "  <id>{}</id>\n  <updated>{}</updated>\n",
        xml(&c.base_url),
        stamp(&updated)
    ));
    let author = if c.author.is_empty() {
        &c.title
    } else {
        &c.author
    };
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml(author)
    ));
    // The latest chapters only: a feed with every chapter's text would grow with the whole site.
    for ch in &site.chapters[site.chapters.len().saturating_sub(FEED_ENTRIES)..] {
        let url = c.absolute(&ch.url());
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n",
            xml(&ch.title),
            xml(&url),
            xml(&url)
        ));
        out.push_str(&format!("    <updated>{}</updated>\n", stamp(&updated)));
        if !ch.summary.is_empty() {
            out.push_str(&format!("    <summary>{}</summary>\n", xml(&ch.summary)));
        }
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            text_html(&ch.html.at(&c.base_url))
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
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
    fn escaping_matches_teras_own() {
        for text in [
            "",
            "plain",
            "Kerry's \"plan\" <b> & more",
            "&&",
            "'",
            "é <ü>",
        ] {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            escape_html(text, &mut ours).unwrap();
            tera::escape_html(text, &mut theirs).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn json_cannot_close_a_script() {
        let s = script_json(&serde_json::json!({"x": "</script><script>alert(1)</script>"}));
        assert!(!s.contains("</"));
        assert!(s.contains("\\u003c/script\\u003e"));
        let s = script_json(&serde_json::json!({"x": "a & b \u{2028}\u{2029} é <!--"}));
        assert_eq!(s, "{\"x\":\"a \\u0026 b \\u2028\\u2029 é \\u003c!--\"}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&s).unwrap()["x"],
            "a & b \u{2028}\u{2029} é <!--"
        );
    }

    #[test]
    fn a_sitemap_past_its_limit_becomes_an_index_of_files() {
        let mut diags = Diagnostics::default();
        let file = SourceFile::new(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://e.org/d/\"\n",
        );
        let c = crate::config::Config::parse(&file, &mut diags).unwrap();
        let paths: Vec<String> = (0..5).map(|i| format!("p{i}/")).collect();
        let one = sitemap_files(&c, &paths[..3], 3);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].1.matches("<url>").count(), 3);
        let files = sitemap_files(&c, &paths, 3);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        assert!(
            files[0].1.contains("<sitemapindex")
                && files[0]
                    .1
                    .contains("<loc>https://e.org/d/sitemap-2.xml</loc>")
        );
        assert_eq!(
            (
                files[1].1.matches("<url>").count(),
                files[2].1.matches("<url>").count()
            ),
            (3, 2)
        );
        assert!(files[2].1.contains("<loc>https://e.org/d/p4/</loc>"));
    }

    #[test]
    fn monograms_and_spread() {
        assert_eq!(monogram("John Kerry"), "JK");
        assert_eq!(monogram("Aaron David Miller"), "AM");
        assert_eq!(monogram("Blumenfeld"), "B");
        assert_eq!(spread(10, 3), vec![0, 4, 9]);
        assert_eq!(spread(2, 6), vec![0, 1]);
    }
}
