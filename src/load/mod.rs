//! Disk → `Sources`: every content file read, split and deserialized into raw, unresolved
//! records, each value that later phases may complain about kept with its span. Reading
//! ([`read_content`], the only I/O) is apart from parsing ([`parse`], a pure function of one
//! file's text, which `serve` memoizes) and from gathering the records ([`collect`]). A file
//! that fails to load still names the ids it meant to define ([`Broken`]), so that references
//! to them are not reported again as unknown. It resolves no reference.

mod chapter;
mod event;
mod links;
mod listing;
pub mod maps;
mod page;
mod person;
mod records;
mod world;

use std::collections::BTreeSet;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::site::WorldKind;
use crate::util::slug::{is_slug, slugify};
pub use crate::util::toml::{At, TomlMarkdown};
pub use chapter::{publication_day, split_front_matter};
pub use links::{Area, SECRET_HELP, inside_project, is_loop, secret, within};
pub use page::{Menu, RESERVED_PAGE_SLUGS, RawPage};
pub use records::{RawChapter, RawEntry, RawEvent, RawPerson, RawSource};

/// Everything read from `content/`, still unresolved: references are plain strings.
#[derive(Debug, Default)]
pub struct Sources {
    pub chapters: Vec<RawChapter>,
    pub people: Vec<RawPerson>,
    pub events: Vec<RawEvent>,
    pub sources: Vec<RawSource>,
    /// Places, organizations and glossary terms, by kind, then id.
    pub world: Vec<RawEntry>,
    /// The maps of site.toml with their outlines parsed (see [`maps`]).
    pub maps: Vec<crate::map::Map>,
    /// Standalone pages (`content/pages/*.md`), by slug; `index` is the home page's text.
    pub pages: Vec<RawPage>,
    /// Ids of what failed to load (already reported): references to them are not errors.
    pub broken: Broken,
}

impl Sources {
    /// The entries of `kind`, sorted by id.
    pub fn world_of(&self, kind: WorldKind) -> &[RawEntry] {
        let start = self.world.partition_point(|e| e.kind < kind);
        let end = self.world.partition_point(|e| e.kind <= kind);
        &self.world[start..end]
    }

    /// Do events name their places by id? Only once the documentary has `content/places/`:
    /// before, `place` is free text, as it was before places were entities.
    pub fn place_ids(&self) -> bool {
        self.broken.places_folder
    }
}

/// The ids that files which failed to load were meant to define.
#[derive(Debug, Default, Clone)]
pub struct Broken {
    pub chapters: BTreeSet<String>,
    pub people: BTreeSet<String>,
    pub events: BTreeSet<String>,
    pub sources: BTreeSet<String>,
    /// Places, organizations and terms, by kind (`WorldKind as usize`).
    pub world: [BTreeSet<String>; 3],
    /// Whether `content/places/` exists (found by reading, so it travels with what failed).
    pub places_folder: bool,
}

impl Broken {
    pub fn extend(&mut self, other: &Broken) {
        self.chapters.extend(other.chapters.iter().cloned());
        self.people.extend(other.people.iter().cloned());
        self.events.extend(other.events.iter().cloned());
        self.sources.extend(other.sources.iter().cloned());
        for (a, b) in self.world.iter_mut().zip(&other.world) {
            a.extend(b.iter().cloned());
        }
        self.places_folder |= other.places_folder;
    }

    /// Does anything of `kind` fail to load?
    pub fn any(&self) -> bool {
        !(self.chapters.is_empty()
            && self.people.is_empty()
            && self.events.is_empty()
            && self.sources.is_empty()
            && self.world.iter().all(BTreeSet::is_empty))
    }
}

/// What a content file holds, by where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `content/chapters/*.md`
    Chapter,
    /// `content/people/*.toml`
    Person,
    /// `content/events/*.toml`
    Events,
    /// `content/sources.toml`
    Sources,
    /// `content/places/*.toml`, `content/organizations/*.toml`, `content/glossary/*.toml`
    World(WorldKind),
    /// `content/pages/*.md`
    Page,
}

/// A content file as read from disk: what it holds and its text (with its shown path).
#[derive(Debug, Clone)]
pub struct ContentFile {
    pub kind: Kind,
    pub file: Arc<SourceFile>,
}

impl Hash for ContentFile {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.kind.hash(state);
        self.file.path.hash(state);
        self.file.text.hash(state);
    }
}

/// One file's records and problems, and the ids it meant to define where it could not.
#[derive(Debug, Default, Clone)]
pub struct Parsed {
    pub chapter: Option<RawChapter>,
    pub person: Option<RawPerson>,
    pub events: Vec<RawEvent>,
    pub sources: Vec<RawSource>,
    pub entry: Option<RawEntry>,
    pub page: Option<RawPage>,
    pub broken: Broken,
    pub diagnostics: Diagnostics,
}

/// Parse one content file: a pure function of its kind, path and text.
pub fn parse(file: &ContentFile) -> Arc<Parsed> {
    let mut p = Parsed::default();
    let f = &file.file;
    match file.kind {
        Kind::Chapter => {
            p.chapter = chapter::chapter(Arc::clone(f), &mut p.diagnostics);
            if p.chapter.is_none()
                && let Some(slug) = chapter_slug(&f.path)
            {
                p.broken.chapters.insert(slug);
            }
        }
        Kind::Person => {
            p.person = person::person(Arc::clone(f), &mut p.diagnostics);
            if p.person.is_none()
                && let Some(id) = person_id(&f.path)
            {
                p.broken.people.insert(id);
            }
        }
        Kind::Events => {
            p.events = event::events(f, &mut p.diagnostics);
            p.broken.events = ids_not_loaded(&f.text, p.events.iter().map(|e| e.id.value.as_str()));
        }
        Kind::Sources => {
            p.sources = event::sources_file(f, &mut p.diagnostics);
            p.broken.sources =
                ids_not_loaded(&f.text, p.sources.iter().map(|s| s.id.value.as_str()));
        }
        Kind::World(kind) => {
            p.entry = world::entry(kind, Arc::clone(f), &mut p.diagnostics);
            if p.entry.is_none()
                && let Some(id) = world::file_id(&f.path)
            {
                p.broken.world[kind as usize].insert(id);
            }
        }
        Kind::Page => p.page = page::page(Arc::clone(f), &mut p.diagnostics),
    }
    Arc::new(p)
}

/// Gather the records of every parsed file, in a fixed order: chapters by number (drafts only
/// when asked for), people by id, the rest as the files list them (files sorted by name).
pub fn collect(parsed: Vec<Arc<Parsed>>, drafts: bool, diags: &mut Diagnostics) -> Sources {
    let mut out = Sources::default();
    for p in parsed {
        // Taken whole when nothing else holds it (no memo keeps it), copied otherwise.
        let p = Arc::try_unwrap(p).unwrap_or_else(|shared| (*shared).clone());
        diags.extend(p.diagnostics);
        out.broken.extend(&p.broken);
        out.chapters
            .extend(p.chapter.filter(|c| drafts || !c.draft));
        out.people.extend(p.person);
        out.events.extend(p.events);
        out.sources.extend(p.sources);
        out.world.extend(p.entry);
        out.pages.extend(p.page);
    }
    out.world
        .sort_by(|a, b| (a.kind, &a.id.value).cmp(&(b.kind, &b.id.value)));
    out.pages.sort_by(|a, b| a.slug.value.cmp(&b.slug.value));
    out.chapters
        .sort_by(|a, b| (a.number, &a.slug.value).cmp(&(b.number, &b.slug.value)));
    out.people.sort_by(|a, b| a.id.value.cmp(&b.id.value));
    out
}

/// The ids written as `id = "..."` in a TOML file (looked for line by line, so even a file that
/// does not parse names them) that are not among `loaded`.
fn ids_not_loaded<'a>(text: &str, loaded: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    let loaded: BTreeSet<&str> = loaded.collect();
    text.lines()
        .filter_map(|line| {
            let rest = line
                .trim_start()
                .strip_prefix("id")?
                .trim_start()
                .strip_prefix('=')?
                .trim();
            let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let inner = &rest[1..];
            Some(inner[..inner.find(q)?].trim().to_string())
        })
        .filter(|id| !loaded.contains(id.as_str()))
        .collect()
}

/// The slug a chapter file's name gives it (`03-rome.md` → `rome`), if it is a valid one.
fn chapter_slug(path: &str) -> Option<String> {
    let stem = path.rsplit('/').next()?.strip_suffix(".md")?;
    let (n, slug) = stem.split_once('-')?;
    (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && is_slug(slug))
        .then(|| slug.to_string())
}

/// The id a person file's name gives them, if it is a valid one.
fn person_id(path: &str) -> Option<String> {
    let stem = path.rsplit('/').next()?.strip_suffix(".toml")?;
    is_slug(stem).then(|| stem.to_string())
}

/// Read, parse and gather all of `content/` under `root` at once (for `dossier new`, which looks
/// at what exists; the pipeline runs the three steps itself).
pub fn sources(root: &Path, drafts: bool, diags: &mut Diagnostics) -> Sources {
    let (files, broken, problems) = read_content(root);
    diags.extend(problems);
    let parsed: Vec<Arc<Parsed>> = files.par_iter().map(parse).collect();
    let mut sources = collect(parsed, drafts, diags);
    sources.broken.extend(&broken);
    sources
}

/// Read every content file under `root` (the only I/O of loading): chapters, people and events
/// sorted by file name, then `sources.toml`. Files that cannot be read are diagnostics; a
/// chapter or person whose file cannot be read is marked broken, by its file name.
pub fn read_content(root: &Path) -> (Vec<ContentFile>, Broken, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut broken = Broken::default();
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::in_file(display_path(root, &content), "no content folder")
                .with_help("a documentary keeps its chapters, people and events under content/ (see `dossier init`)"),
        );
        return (Vec::new(), broken, diags);
    }
    let mut listed: Vec<(Kind, PathBuf, bool)> = Vec::new();
    for (dir, ext, kind) in [
        ("chapters", ".md", Kind::Chapter),
        ("people", ".toml", Kind::Person),
        ("events", ".toml", Kind::Events),
        ("places", ".toml", Kind::World(WorldKind::Place)),
        (
            "organizations",
            ".toml",
            Kind::World(WorldKind::Organization),
        ),
        ("glossary", ".toml", Kind::World(WorldKind::Term)),
        ("pages", ".md", Kind::Page),
    ] {
        listed.extend(
            listing::files_in(&content.join(dir), ext, &mut diags, root)
                .into_iter()
                .map(|(p, plain)| (kind, p, plain)),
        );
    }
    broken.places_folder = content.join("places").is_dir();
    let sources = content.join("sources.toml");
    if sources.is_file() {
        listed.push((Kind::Sources, sources, false));
    }
    let read: Vec<Result<ContentFile, Diagnostic>> = listed
        .par_iter()
        .map(|(kind, path, plain)| {
            let file = if *plain {
                let shown = display_path(root, path);
                fs::read(path)
                    .map_err(|e| Diagnostic::in_file(&shown, format!("cannot read file: {e}")))
                    .and_then(|b| decode(shown, b))
            } else {
                read_source(root, path)
            };
            file.map(|file| ContentFile { kind: *kind, file })
        })
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for (r, (kind, path, _)) in read.into_iter().zip(&listed) {
        match r {
            Ok(f) => files.push(f),
            Err(d) => {
                diags.push(d);
                let shown = display_path(root, path);
                match kind {
                    Kind::Chapter => broken.chapters.extend(chapter_slug(&shown)),
                    Kind::Person => broken.people.extend(person_id(&shown)),
                    Kind::World(k) => broken.world[*k as usize].extend(world::file_id(&shown)),
                    Kind::Events | Kind::Sources | Kind::Page => {}
                }
            }
        }
    }
    (files, broken, diags)
}

/// The name of the file at `path` (a path as shown, `/`-separated) without `suffix`: the id or
/// slug a content file gives what it defines (`people/john-kerry.toml` → `john-kerry`).
pub(crate) fn file_stem(path: &str, suffix: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or("");
    name.trim_end_matches(suffix).to_string()
}

/// `root/site.toml` read and made a [`Config`] (see [`Config::from_file`]), with `base_url`
/// over its own when given. `None` when it cannot be used; its problems are in `diags`.
pub fn site_config(
    root: &Path,
    base_url: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<crate::config::Config> {
    let path = root.join("site.toml");
    if !path.is_file() {
        diags.push(
            Diagnostic::in_file("site.toml", "no site.toml in the project folder").with_help(
                "create one with at least `title` and `base_url`, or start with `dossier init`",
            ),
        );
        return None;
    }
    match read_source(root, &path) {
        Ok(file) => crate::config::Config::from_file(root, &file, base_url, diags),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Read a file as UTF-8, dropping a byte-order mark. Invalid UTF-8 is a located diagnostic.
pub fn read_source(root: &Path, path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
    let shown = display_path(root, path);
    let real = inside_project(root, path)?;
    // Only regular files: reading a named pipe (or a device) would wait forever.
    if !fs::metadata(&real).is_ok_and(|m| m.is_file()) {
        return Err(Diagnostic::in_file(&shown, "this is not a regular file")
            .with_help("content files are plain text files"));
    }
    let bytes = fs::read(path)
        .map_err(|e| Diagnostic::in_file(&shown, format!("cannot read file: {e}")))?;
    decode(shown, bytes)
}

/// A file's bytes as text: a byte-order mark is dropped and invalid UTF-8 is a diagnostic at
/// the first bad byte. `shown` is the path used in messages.
pub fn decode(shown: String, bytes: Vec<u8>) -> Result<Arc<SourceFile>, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(SourceFile::new(shown, text))
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let file = SourceFile::new(shown, prefix);
            let at = file.text.len();
            let byte = e.as_bytes()[valid];
            Err(Diagnostic::error(
                file.span(at..at),
                format!("the file is not valid UTF-8: byte 0x{byte:02X} at offset {valid}"),
            )
            .with_help(
                "save the file as UTF-8 (most editors offer it under \"Save with encoding\")",
            ))
        }
    }
}

/// The path shown in messages: relative to the project root, with `/` separators.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn slug_help(bad: &str) -> String {
    let s = slugify(bad);
    if s.is_empty() {
        "ids use lowercase letters, digits and single hyphens, such as \"john-kerry\"".into()
    } else {
        format!("ids use lowercase letters, digits and single hyphens: try \"{s}\"")
    }
}

/// Report a required text left empty (`title = ""`, or only spaces). The record still loads, so
/// that what refers to it is not reported too; the error stops the build.
pub(crate) fn require_text(v: &At<String>, what: &str, why: &str, diags: &mut Diagnostics) {
    if v.value.trim().is_empty() {
        diags.push(
            Diagnostic::error(v.span.clone(), format!("{what} is empty"))
                .with_help(format!("{why}: write it between the quotes")),
        );
    }
}

/// Report an id that is not a safe slug. Returns whether it is usable.
pub fn check_slug(id: &At<String>, what: &str, diags: &mut Diagnostics) -> bool {
    if is_slug(&id.value) {
        return true;
    }
    diags.push(
        Diagnostic::error(
            id.span.clone(),
            format!("invalid {what} id \"{}\"", id.value.escape_debug()),
        )
        .with_help(slug_help(&id.value)),
    );
    false
}

// ---------------------------------------------------------------------------------------------
// Parsing from a string (for tests and fuzzing): `path` is the path shown in messages, such as
// `content/people/john-kerry.toml`; its file name gives chapters and people their ids.

/// One chapter file's text → its raw chapter (drafts included).
pub fn parse_chapter(path: &str, text: &str, diags: &mut Diagnostics) -> Option<RawChapter> {
    chapter::chapter(SourceFile::new(path, text), diags)
}

/// One person file's text → the raw person.
pub fn parse_person(path: &str, text: &str, diags: &mut Diagnostics) -> Option<RawPerson> {
    person::person(SourceFile::new(path, text), diags)
}

/// One events file's text → its good events (each bad `[[event]]` is reported on its own).
pub fn parse_events(path: &str, text: &str, diags: &mut Diagnostics) -> Vec<RawEvent> {
    event::events(&SourceFile::new(path, text), diags)
}

/// One standalone page's text (`content/pages/about.md`) → the raw page.
pub fn parse_page(path: &str, text: &str, diags: &mut Diagnostics) -> Option<RawPage> {
    page::page(SourceFile::new(path, text), diags)
}

/// `sources.toml`'s text → its good sources.
pub fn parse_sources(path: &str, text: &str, diags: &mut Diagnostics) -> Vec<RawSource> {
    event::sources_file(&SourceFile::new(path, text), diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_records_that_did_not_load_are_found_line_by_line() {
        let text =
            "[[event]]\nid = \"a\"\ndate = \"2013\"\n\n[[event]]\n  id='b'\nx = \"unterminated\n";
        let got: Vec<String> = ids_not_loaded(text, ["a"].into_iter())
            .into_iter()
            .collect();
        assert_eq!(got, ["b"]);
    }

    #[test]
    fn a_broken_person_file_names_its_id() {
        let f = ContentFile {
            kind: Kind::Person,
            file: SourceFile::new("content/people/gene-kranz.toml", "name = \"Gene"),
        };
        let p = parse(&f);
        assert!(p.person.is_none() && p.diagnostics.has_errors());
        assert!(p.broken.people.contains("gene-kranz"));
    }

    #[test]
    fn a_chapter_that_does_not_load_is_broken_by_its_slug() {
        let f = ContentFile {
            kind: Kind::Chapter,
            file: SourceFile::new(
                "content/chapters/02-the-end.md",
                "+++\ndraft = \"yes\"\n+++\n",
            ),
        };
        let p = parse(&f);
        assert!(p.broken.chapters.contains("the-end"), "{:?}", p.diagnostics);
    }
}
