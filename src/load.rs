//! Disk → `Sources`: every input file read, split and deserialized into raw, unresolved records.
//! It walks `content/`, splits chapter front matter, reads people, events and sources TOML, and
//! keeps a span for every value that later phases may complain about. It resolves no reference
//! and knows nothing of Markdown beyond the front-matter split.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned as TSpanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile, Span, suggest};

/// A value with the place it was written.
#[derive(Debug, Clone)]
pub struct At<T> {
    pub value: T,
    pub span: Span,
}

/// Everything read from `content/`, still unresolved: references are plain strings.
#[derive(Debug, Default)]
pub struct Sources {
    pub chapters: Vec<RawChapter>,
    pub people: Vec<RawPerson>,
    pub events: Vec<RawEvent>,
    pub sources: Vec<RawSource>,
}

#[derive(Debug, Clone)]
pub struct RawChapter {
    pub file: Arc<SourceFile>,
    /// The numeric prefix of the file name, which orders chapters.
    pub number: u64,
    /// The file stem without its number: the chapter's id and URL slug.
    pub slug: At<String>,
    pub title: At<String>,
    pub summary: String,
    pub sources: Vec<At<String>>,
    pub draft: bool,
    /// Byte offset of the Markdown body in `file.text`.
    pub body_start: usize,
}

impl RawChapter {
    pub fn body(&self) -> &str {
        &self.file.text[self.body_start..]
    }
}

/// A Markdown string from a TOML value, with the byte offset of its text in the file.
#[derive(Debug, Clone)]
pub struct Markdown {
    pub text: String,
    pub file: Arc<SourceFile>,
    pub offset: usize,
    /// Where the text and the file part ways (after an escape such as `\"` or `\u00e9`, a CRLF
    /// read as LF, a line-ending backslash): `(offset in text, offset in the file from
    /// `offset`)`, in order. Between two of them the text is the file's.
    pub shifts: Vec<(usize, usize)>,
}

impl Markdown {
    /// The file span of a byte range of `text`.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        let at = |u: usize| {
            let i = self.shifts.partition_point(|&(t, _)| t <= u);
            let (t, f) = if i == 0 { (0, 0) } else { self.shifts[i - 1] };
            (self.offset + f + (u - t)).min(self.file.text.len())
        };
        self.file.span(at(range.start)..at(range.end))
    }
}

#[derive(Debug, Clone)]
pub struct RawPerson {
    pub file: Arc<SourceFile>,
    pub id: At<String>,
    pub name: At<String>,
    pub aliases: Vec<At<String>>,
    pub role: String,
    pub affiliation: String,
    pub side: String,
    pub summary: String,
    pub bio: Option<Markdown>,
    pub born: Option<At<String>>,
    pub died: Option<At<String>>,
    pub image: Option<At<String>>,
    pub sources: Vec<At<String>>,
}

#[derive(Debug, Clone)]
pub struct RawEvent {
    pub id: At<String>,
    pub date: At<String>,
    pub end: Option<At<String>>,
    pub title: String,
    pub summary: Option<Markdown>,
    pub people: Vec<At<String>>,
    pub place: String,
    pub chapter: Option<At<String>>,
    pub sources: Vec<At<String>>,
    pub tags: Vec<At<String>>,
    pub note: String,
}

#[derive(Debug)]
pub struct RawSource {
    pub id: At<String>,
    pub title: At<String>,
    pub author: String,
    pub publication: String,
    pub date: Option<At<String>>,
    pub url: Option<At<String>>,
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

/// Where `path` really is, when Dossier may read it: symbolic links are followed only while
/// they stay inside the project folder, so a build can never publish a file from elsewhere on
/// the machine (say, a link in `static/` to `~/.ssh/id_rsa` on a CI runner). A loop, a dangling
/// link or a link out of the project is a diagnostic about `path`.
pub fn inside_project(root: &Path, path: &Path) -> Result<PathBuf, Diagnostic> {
    let shown = || display_path(root, path);
    let real_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    match fs::canonicalize(path) {
        Ok(real) if real.starts_with(&real_root) => Ok(real),
        Ok(real) => Err(Diagnostic::in_file(
            shown(),
            format!("this file leads outside the project, to {}, through a symbolic link", real.display()),
        )
        .with_help("Dossier reads only files inside the project folder, so that a build cannot publish files from elsewhere on the machine; copy the file into the project instead")),
        Err(e) if is_loop(&e) => Err(Diagnostic::in_file(shown(), "this symbolic link loops back on itself")
            .with_help("point the link at a real file, or remove it")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && fs::read_link(path).is_ok() => {
            let target = fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
            Err(Diagnostic::in_file(shown(), format!("this symbolic link points to \"{target}\", which does not exist"))
                .with_help("point the link at a real file, or remove it"))
        }
        Err(e) => Err(Diagnostic::in_file(shown(), format!("cannot read file: {e}"))),
    }
}

/// Is this "too many levels of symbolic links"?
pub fn is_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
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

/// Files with `ext` directly inside `dir`, sorted by name (so results never depend on the order
/// the file system lists them in). A missing folder is empty. Each comes with whether it is
/// plainly inside the project (a regular file, not a link, in a folder that is inside it), so it
/// can be read without resolving its path again (two `canonicalize` calls a file were a tenth of
/// loading a large documentary).
fn files_in(dir: &Path, ext: &str, diags: &mut Diagnostics, root: &Path) -> Vec<(PathBuf, bool)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let dir_inside = inside_project(root, dir).is_ok();
    // Sorted by name once listed (walkdir's own sort parses both paths at each comparison: a
    // tenth of a second for 10,000 files).
    let mut out: Vec<(std::ffi::OsString, PathBuf, bool)> = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).max_depth(1) {
        match entry {
            Ok(e) => {
                let name = e.file_name().to_string_lossy();
                if name.starts_with('.') || !name.ends_with(ext) {
                    continue;
                }
                // Links are read through `read_source`, which reports loops and links out of the
                // project instead of skipping them silently.
                if e.file_type().is_file() || e.path_is_symlink() {
                    let plain = dir_inside && e.file_type().is_file() && !e.path_is_symlink();
                    out.push((e.file_name().to_owned(), e.into_path(), plain));
                }
            }
            Err(err) => {
                let at = err
                    .path()
                    .map_or_else(|| display_path(root, dir), |p| display_path(root, p));
                diags.push(Diagnostic::in_file(at, format!("cannot read: {err}")));
            }
        }
    }
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    out.into_iter()
        .map(|(_, path, plain)| (path, plain))
        .collect()
}

/// Read all of `content/` under `root`. Problems go to `diags`; good records are kept so that
/// later phases can report their own problems in the same run.
pub fn sources(root: &Path, drafts: bool, diags: &mut Diagnostics) -> Sources {
    sources_cached(root, drafts, None, diags)
}

/// Content files already parsed, by path, with the size and modification time they had then
/// (`dossier serve` keeps them between rebuilds; a file whose size, time or watch event says it
/// changed is read again). Files reached through links are always read again.
#[derive(Default)]
pub struct LoadCache {
    chapters: FileMemo<(Option<RawChapter>, Diagnostics)>,
    people: FileMemo<(Option<RawPerson>, Diagnostics)>,
    events: FileMemo<(Vec<RawEvent>, Diagnostics)>,
}

impl LoadCache {
    /// Start a build: files not seen by the last one are forgotten.
    pub fn next_build(&self) {
        self.chapters.next_build();
        self.people.next_build();
        self.events.next_build();
    }

    /// Forget these files (a watcher saw them change), whatever their size and time say.
    pub fn forget(&self, paths: &[PathBuf]) {
        for p in paths {
            self.chapters.forget(p);
            self.people.forget(p);
            self.events.forget(p);
        }
    }

    /// How many files this build read rather than reused.
    pub fn read(&self) -> usize {
        self.chapters.made() + self.people.made() + self.events.made()
    }
}

/// A file's size and modification time, which say when it must be read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp(u64, Option<std::time::SystemTime>);

/// Values by file path and stamp, in two generations like `cache::Memo`.
struct FileMemo<V> {
    memo: crate::cache::Memo<(Stamp, V)>,
}

impl<V> Default for FileMemo<V> {
    fn default() -> Self {
        FileMemo {
            memo: Default::default(),
        }
    }
}

impl<V: Clone> FileMemo<V> {
    fn key(path: &Path) -> u128 {
        use std::hash::Hash;
        let mut f = crate::cache::Fingerprint::new(0x66696c65);
        path.hash(&mut f);
        f.finish128()
    }

    fn next_build(&self) {
        self.memo.next_build();
    }

    fn forget(&self, path: &Path) {
        self.memo.remove(Self::key(path));
    }

    fn made(&self) -> usize {
        self.memo.made()
    }

    /// The value for `path`, from the cache when its stamp is unchanged, else made by `make`.
    fn get_or(&self, path: &Path, plain: bool, make: impl FnOnce() -> V) -> V {
        let stamp = plain
            .then(|| fs::metadata(path).ok())
            .flatten()
            .map(|m| Stamp(m.len(), m.modified().ok()));
        let Some(stamp) = stamp.filter(|s| s.1.is_some()) else {
            return make();
        };
        let key = Self::key(path);
        if let Some((s, v)) = self.memo.get(key) {
            if s == stamp {
                return v;
            }
        }
        let v = make();
        self.memo.put(key, (stamp, v.clone()));
        v
    }
}

/// [`sources`], reusing files parsed by earlier builds from `cache` when they have not changed.
pub fn sources_cached(
    root: &Path,
    drafts: bool,
    cache: Option<&LoadCache>,
    diags: &mut Diagnostics,
) -> Sources {
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::in_file(display_path(root, &content), "no content folder")
                .with_help("a documentary keeps its chapters, people and events under content/ (see `dossier init`)"),
        );
        return Sources::default();
    }
    let list = |dir: &str, ext: &str| with_diags(|d| files_in(&content.join(dir), ext, d, root));
    let ((chapter_files, d1), ((people_files, d2), (event_files, d3))) = rayon::join(
        || list("chapters", ".md"),
        || rayon::join(|| list("people", ".toml"), || list("events", ".toml")),
    );
    for d in [d1, d2, d3] {
        diags.extend(d);
    }

    let read = |(path, plain): &(PathBuf, bool)| {
        if *plain {
            let shown = display_path(root, path);
            fs::read(path)
                .map_err(|e| Diagnostic::in_file(&shown, format!("cannot read file: {e}")))
                .and_then(|b| decode(shown, b))
        } else {
            read_source(root, path)
        }
    };
    fn cached<V: Clone>(
        memo: Option<&FileMemo<V>>,
        (path, plain): &(PathBuf, bool),
        make: impl FnOnce() -> V,
    ) -> V {
        match memo {
            Some(m) => m.get_or(path, *plain, make),
            None => make(),
        }
    }
    let chapters: Vec<(Option<RawChapter>, Diagnostics)> = chapter_files
        .par_iter()
        .map(|p| {
            cached(cache.map(|c| &c.chapters), p, || {
                with_diags(|d| {
                    read(p)
                        .map_err(|e| d.push(e))
                        .ok()
                        .and_then(|f| chapter(f, d))
                })
            })
        })
        .collect();
    let people: Vec<(Option<RawPerson>, Diagnostics)> = people_files
        .par_iter()
        .map(|p| {
            cached(cache.map(|c| &c.people), p, || {
                with_diags(|d| {
                    read(p)
                        .map_err(|e| d.push(e))
                        .ok()
                        .and_then(|f| person(f, d))
                })
            })
        })
        .collect();
    let events: Vec<(Vec<RawEvent>, Diagnostics)> = event_files
        .par_iter()
        .map(|p| {
            cached(cache.map(|c| &c.events), p, || {
                with_diags(|d| {
                    read(p)
                        .map_err(|e| d.push(e))
                        .map(|f| events(&f, d))
                        .unwrap_or_default()
                })
            })
        })
        .collect();

    let mut out = Sources::default();
    out.chapters.reserve(chapters.len());
    out.people.reserve(people.len());
    out.events
        .reserve(events.iter().map(|(e, _)| e.len()).sum());
    for (c, d) in chapters {
        diags.extend(d);
        out.chapters.extend(c.filter(|c| drafts || !c.draft));
    }
    for (p, d) in people {
        diags.extend(d);
        out.people.extend(p);
    }
    for (e, d) in events {
        diags.extend(d);
        out.events.extend(e);
    }
    let sources_path = content.join("sources.toml");
    if sources_path.is_file() {
        match read_source(root, &sources_path) {
            Ok(f) => out.sources = sources_file(&f, diags),
            Err(e) => diags.push(e),
        }
    }
    out.chapters
        .sort_by(|a, b| (a.number, &a.slug.value).cmp(&(b.number, &b.slug.value)));
    out
}

fn with_diags<T>(f: impl FnOnce(&mut Diagnostics) -> T) -> (T, Diagnostics) {
    let mut d = Diagnostics::default();
    let v = f(&mut d);
    (v, d)
}

/// Is `id` a safe lowercase kebab-case slug (it becomes a path)?
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A kebab-case slug made from any text ("Naftali Bennett" → "naftali-bennett").
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_' || c == '/')
            && !out.ends_with('-')
            && !out.is_empty()
        {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        _ => c,
    }
}

fn slug_help(bad: &str) -> String {
    let s = slugify(bad);
    if s.is_empty() {
        "ids use lowercase letters, digits and single hyphens, such as \"john-kerry\"".into()
    } else {
        format!("ids use lowercase letters, digits and single hyphens: try \"{s}\"")
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
// TOML with spans and strict keys

/// Deserialize a whole TOML document after checking its keys. `base` is the document's offset
/// in `file` (non-zero for front matter).
pub(crate) fn toml_doc<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    text: &str,
    base: usize,
    known: &[&str],
    what: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            diags.push(toml_error(file, base, &e));
        }
        return None;
    }
    let span = doc.span();
    let value = TSpanned::new(span, DeValue::Table(doc.into_inner()));
    toml_table(file, base, value, known, what, diags)
}

/// Deserialize one table: unknown keys are reported (with a suggestion) and dropped, then
/// serde reads the rest; type errors and missing fields point at the value or the table.
pub(crate) fn toml_table<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    base: usize,
    mut value: TSpanned<DeValue<'_>>,
    known: &[&str],
    what: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    let table_span = value.span();
    let DeValue::Table(table) = value.get_mut() else {
        diags.push(Diagnostic::error(
            file.span(table_span).offset(base),
            format!("{what} must be a table"),
        ));
        return None;
    };
    let mut ok = true;
    for (key, v) in std::mem::take(table) {
        let k: &str = key.get_ref();
        if known.contains(&k) {
            table.insert(key, v);
            continue;
        }
        ok = false;
        let help = suggest(k, known.iter().copied())
            .unwrap_or_else(|| format!("known keys: {}", known.join(", ")));
        diags.push(
            Diagnostic::error(
                file.span(key.span()).offset(base),
                format!("unknown key \"{k}\" in {what}"),
            )
            .with_help(help),
        );
    }
    match T::deserialize(toml::de::ValueDeserializer::from(value)) {
        Ok(v) => ok.then_some(v),
        Err(e) => {
            diags.push(toml_error(file, base, &e));
            None
        }
    }
}

fn toml_error(file: &Arc<SourceFile>, base: usize, e: &toml::de::Error) -> Diagnostic {
    let range = e.span().unwrap_or(0..0);
    let msg = e.message().trim();
    let (msg, help) = if let Some(field) = msg
        .strip_prefix("missing field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        (
            format!("missing required field \"{field}\""),
            Some(format!("add `{field} = ...`")),
        )
    } else if let Some(rest) = msg.strip_prefix("invalid type: ") {
        (
            format!(
                "wrong type: {}",
                rest.replace('`', "\"")
                    .replace("a sequence", "an array, such as [\"a\", \"b\"]")
                    .replace("a map", "a table")
            ),
            None,
        )
    } else {
        (
            format!("invalid TOML: {}", msg.lines().next().unwrap_or(msg)),
            None,
        )
    };
    Diagnostic::error(file.span(range).offset(base), msg).with_help_opt(help)
}

fn at(file: &Arc<SourceFile>, base: usize, s: TSpanned<String>) -> At<String> {
    let span = file.span(s.span()).offset(base);
    At {
        value: s.into_inner(),
        span,
    }
}

fn ats(file: &Arc<SourceFile>, base: usize, v: Vec<TSpanned<String>>) -> Vec<At<String>> {
    v.into_iter().map(|s| at(file, base, s)).collect()
}

/// A Markdown TOML string: where its text starts in the file (after the opening quotes).
fn markdown(file: &Arc<SourceFile>, base: usize, s: TSpanned<String>) -> Markdown {
    let span = s.span();
    let end = (span.end + base).min(file.text.len());
    let raw = &file.text[(span.start + base).min(end)..end];
    let mut offset = span.start + base;
    let mut quotes = "";
    for delim in [
        "\"\"\"\r\n",
        "\"\"\"\n",
        "'''\r\n",
        "'''\n",
        "\"\"\"",
        "'''",
        "\"",
        "'",
    ] {
        if raw.starts_with(delim) {
            offset += delim.len();
            quotes = delim.trim_end();
            break;
        }
    }
    let offset = offset.min(end);
    let body = file
        .text
        .get(offset..end.saturating_sub(quotes.len()).max(offset))
        .unwrap_or("");
    let text = s.into_inner();
    let shifts = shifts(body, &text, quotes.starts_with('"'));
    Markdown {
        text,
        file: Arc::clone(file),
        offset,
        shifts,
    }
}

/// Where a TOML string's value (`text`) and its source (`raw`, between the quotes) part ways:
/// see [`Markdown::shifts`]. Basic strings have escapes; literal strings only CRLF. It stops at
/// anything it does not understand (later offsets then keep the last shift).
fn shifts(raw: &str, text: &str, basic: bool) -> Vec<(usize, usize)> {
    let (rb, tb) = (raw.as_bytes(), text.as_bytes());
    let (mut r, mut t) = (0, 0);
    let mut out = Vec::new();
    while r < rb.len() && t < tb.len() {
        if basic && rb[r] == b'\\' {
            let Some((used, made)) = escape(&raw[r..]) else {
                break;
            };
            r += used;
            t += made;
        } else if rb[r..].starts_with(b"\r\n") && tb[t] == b'\n' {
            r += 2;
            t += 1;
        } else {
            let Some(c) = raw[r..].chars().next() else {
                break;
            };
            if !text[t..].starts_with(c) {
                break;
            }
            r += c.len_utf8();
            t += c.len_utf8();
            continue;
        }
        out.push((t, r));
    }
    out
}

/// A TOML escape at the start of `raw`: (bytes written, bytes of the value it makes).
fn escape(raw: &str) -> Option<(usize, usize)> {
    let rest = raw.get(1..)?;
    let hex = |n: usize| -> Option<(usize, usize)> {
        let code = u32::from_str_radix(rest.get(1..1 + n)?, 16).ok()?;
        Some((2 + n, char::from_u32(code)?.len_utf8()))
    };
    match rest.chars().next()? {
        'b' | 't' | 'n' | 'f' | 'r' | 'e' | '"' | '\\' => Some((2, 1)),
        'u' => hex(4),
        'U' => hex(8),
        'x' => hex(2),
        // A line-ending backslash: it and the whitespace and newlines after it make nothing.
        ' ' | '\t' | '\r' | '\n' => {
            let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
            Some((1 + skipped, 0))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Chapters

#[derive(Deserialize)]
struct ChapterFront {
    title: TSpanned<String>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    sources: Vec<TSpanned<String>>,
    #[serde(default)]
    draft: bool,
}

const CHAPTER_KEYS: &[&str] = &["title", "summary", "sources", "draft"];

/// Split `+++` front matter from the body: (front matter range, body start).
pub fn split_front_matter(text: &str) -> Result<(std::ops::Range<usize>, usize), &'static str> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "+++" {
        return Err("a chapter must start with TOML front matter between `+++` lines");
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "+++" {
            return Ok((first_end..pos, end));
        }
        pos = end;
    }
    Err("the front matter is not closed: add a line with `+++` after it")
}

fn chapter(file: Arc<SourceFile>, diags: &mut Diagnostics) -> Option<RawChapter> {
    let stem = file
        .path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md")
        .to_string();
    let top = file.span(0..0);
    let (number, slug) = match stem.split_once('-') {
        Some((n, s)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            (n.parse::<u64>().unwrap_or(u64::MAX), s.to_string())
        }
        _ => {
            diags.push(
                Diagnostic::error(
                    top.clone(),
                    format!("chapter file name \"{stem}.md\" has no number"),
                )
                .with_help(format!(
                    "name chapters NN-slug.md so they sort, e.g. \"01-{}.md\"",
                    slugify(&stem)
                )),
            );
            return None;
        }
    };
    let slug = At {
        value: slug,
        span: top.clone(),
    };
    if !is_slug(&slug.value) {
        diags.push(
            Diagnostic::error(
                top,
                format!(
                    "invalid chapter slug \"{}\" in file name \"{stem}.md\"",
                    slug.value
                ),
            )
            .with_help(slug_help(&slug.value)),
        );
        return None;
    }
    let (fm, body_start) = match split_front_matter(&file.text) {
        Ok(v) => v,
        Err(msg) if file.text.trim().is_empty() => {
            diags.push(Diagnostic::error(file.span(0..0), format!("the file is empty: {msg}")).with_help(
                "start the file with a line `+++`, then `title = \"...\"`, then a closing line `+++`, then the chapter's text",
            ));
            return None;
        }
        Err(msg) => {
            let help = "start the file with a line `+++`, then `title = \"...\"`, then a closing line `+++`";
            diags.push(
                Diagnostic::error(file.span(0..file.text.find('\n').unwrap_or(0)), msg)
                    .with_help(help),
            );
            return None;
        }
    };
    let base = fm.start;
    let front: ChapterFront = toml_doc(
        &file,
        &file.text[fm],
        base,
        CHAPTER_KEYS,
        "chapter front matter",
        diags,
    )?;
    let ChapterFront {
        title,
        summary,
        sources,
        draft,
    } = front;
    Some(RawChapter {
        number,
        slug,
        title: at(&file, base, title),
        summary,
        sources: ats(&file, base, sources),
        draft,
        body_start,
        file,
    })
}

// ---------------------------------------------------------------------------------------------
// People

#[derive(Deserialize)]
struct PersonToml {
    name: TSpanned<String>,
    #[serde(default)]
    aliases: Vec<TSpanned<String>>,
    #[serde(default)]
    role: String,
    #[serde(default)]
    affiliation: String,
    #[serde(default)]
    side: String,
    #[serde(default)]
    summary: String,
    bio: Option<TSpanned<String>>,
    born: Option<TSpanned<String>>,
    died: Option<TSpanned<String>>,
    image: Option<TSpanned<String>>,
    #[serde(default)]
    sources: Vec<TSpanned<String>>,
}

const PERSON_KEYS: &[&str] = &[
    "name",
    "aliases",
    "role",
    "affiliation",
    "side",
    "summary",
    "bio",
    "born",
    "died",
    "image",
    "sources",
];

fn person(file: Arc<SourceFile>, diags: &mut Diagnostics) -> Option<RawPerson> {
    let stem = file
        .path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".toml")
        .to_string();
    let id = At {
        value: stem,
        span: file.span(0..0),
    };
    if !check_slug(&id, "person", diags) {
        return None;
    }
    let p: PersonToml = toml_doc(&file, &file.text, 0, PERSON_KEYS, "a person file", diags)?;
    let PersonToml {
        name,
        aliases,
        role,
        affiliation,
        side,
        summary,
        bio,
        born,
        died,
        image,
        sources,
    } = p;
    Some(RawPerson {
        id,
        name: at(&file, 0, name),
        aliases: ats(&file, 0, aliases),
        role,
        affiliation,
        side,
        summary,
        bio: bio.map(|b| markdown(&file, 0, b)),
        born: born.map(|b| at(&file, 0, b)),
        died: died.map(|b| at(&file, 0, b)),
        image: image.map(|b| at(&file, 0, b)),
        sources: ats(&file, 0, sources),
        file,
    })
}

// ---------------------------------------------------------------------------------------------
// Events

#[derive(Deserialize)]
struct EventToml {
    id: TSpanned<String>,
    date: TSpanned<String>,
    end: Option<TSpanned<String>>,
    #[serde(default)]
    title: String,
    summary: Option<TSpanned<String>>,
    #[serde(default)]
    people: Vec<TSpanned<String>>,
    #[serde(default)]
    place: String,
    chapter: Option<TSpanned<String>>,
    #[serde(default)]
    sources: Vec<TSpanned<String>>,
    #[serde(default)]
    tags: Vec<TSpanned<String>>,
    #[serde(default)]
    note: String,
}

const EVENT_KEYS: &[&str] = &[
    "id", "date", "end", "title", "summary", "people", "place", "chapter", "sources", "tags",
    "note",
];

/// The `[[key]]` tables of a file that holds nothing else (events files, sources.toml). Syntax
/// errors and other keys are reported; `None` when the file is unusable, empty when it has none.
fn array_of_tables<'i>(
    file: &'i Arc<SourceFile>,
    key: &str,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<Vec<TSpanned<DeValue<'i>>>> {
    let (doc, errors) = DeTable::parse_recoverable(&file.text);
    if !errors.is_empty() {
        for e in errors {
            diags.push(toml_error(file, 0, &e));
        }
        return None;
    }
    let mut doc = doc.into_inner();
    for (k, _) in doc.iter() {
        if k.get_ref() != key {
            diags.push(
                Diagnostic::error(
                    file.span(k.span()),
                    format!("unknown key \"{}\" in {what}", k.get_ref()),
                )
                .with_help(format!("{what} holds only [[{key}]] tables")),
            );
        }
    }
    let Some(list) = doc.remove(key) else {
        // Only a file with no other keys is "empty"; other keys were reported above.
        return if doc.is_empty() {
            Some(Vec::new())
        } else {
            None
        };
    };
    let list_span = list.span();
    let DeValue::Array(items) = list.into_inner() else {
        diags.push(Diagnostic::error(
            file.span(list_span),
            format!("`{key}` must be an array of tables: write [[{key}]]"),
        ));
        return None;
    };
    Some(items.into_iter().collect())
}

/// Read one events file: each `[[event]]` table is checked on its own, so one bad event does
/// not hide the problems of the others.
fn events(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Vec<RawEvent> {
    let mut out = Vec::new();
    let Some(items) = array_of_tables(file, "event", "an events file", diags) else {
        return out;
    };
    if items.is_empty() {
        diags.push(
            Diagnostic::error(file.span(0..0), "this events file has no [[event]] tables")
                .with_help("add events as `[[event]]` tables with at least `id` and `date`"),
        );
    }
    for item in items {
        let Some(e) = toml_table::<EventToml>(file, 0, item, EVENT_KEYS, "an event", diags) else {
            continue;
        };
        let EventToml {
            id,
            date,
            end,
            title,
            summary,
            people,
            place,
            chapter,
            sources,
            tags,
            note,
        } = e;
        out.push(RawEvent {
            id: at(file, 0, id),
            date: at(file, 0, date),
            end: end.map(|x| at(file, 0, x)),
            title,
            summary: summary.map(|s| markdown(file, 0, s)),
            people: ats(file, 0, people),
            place,
            chapter: chapter.map(|x| at(file, 0, x)),
            sources: ats(file, 0, sources),
            tags: ats(file, 0, tags),
            note,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Sources

#[derive(Deserialize)]
struct SourceToml {
    id: TSpanned<String>,
    title: TSpanned<String>,
    #[serde(default)]
    author: String,
    #[serde(default)]
    publication: String,
    date: Option<TSpanned<String>>,
    url: Option<TSpanned<String>>,
}

const SOURCE_KEYS: &[&str] = &["id", "title", "author", "publication", "date", "url"];

fn sources_file(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Vec<RawSource> {
    let mut out = Vec::new();
    let Some(items) = array_of_tables(file, "source", "sources.toml", diags) else {
        return out;
    };
    for item in items {
        let Some(s) = toml_table::<SourceToml>(file, 0, item, SOURCE_KEYS, "a source", diags)
        else {
            continue;
        };
        let SourceToml {
            id,
            title,
            author,
            publication,
            date,
            url,
        } = s;
        out.push(RawSource {
            id: at(file, 0, id),
            title: at(file, 0, title),
            author,
            publication,
            date: date.map(|x| at(file, 0, x)),
            url: url.map(|x| at(file, 0, x)),
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Parsing from a string (for tests and fuzzing): `path` is the path shown in messages, such as
// `content/people/john-kerry.toml`; its file name gives chapters and people their ids.

/// One chapter file's text → its raw chapter (drafts included).
pub fn parse_chapter(path: &str, text: &str, diags: &mut Diagnostics) -> Option<RawChapter> {
    chapter(SourceFile::new(path, text), diags)
}

/// One person file's text → the raw person.
pub fn parse_person(path: &str, text: &str, diags: &mut Diagnostics) -> Option<RawPerson> {
    person(SourceFile::new(path, text), diags)
}

/// One events file's text → its good events (each bad `[[event]]` is reported on its own).
pub fn parse_events(path: &str, text: &str, diags: &mut Diagnostics) -> Vec<RawEvent> {
    events(&SourceFile::new(path, text), diags)
}

/// `sources.toml`'s text → its good sources.
pub fn parse_sources(path: &str, text: &str, diags: &mut Diagnostics) -> Vec<RawSource> {
    sources_file(&SourceFile::new(path, text), diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_split_handles_crlf() {
        let t = "+++\r\ntitle = \"x\"\r\n+++\r\nBody\r\n";
        let (fm, body) = split_front_matter(t).unwrap();
        assert_eq!(&t[fm], "title = \"x\"\r\n");
        assert_eq!(&t[body..], "Body\r\n");
    }

    #[test]
    fn front_matter_must_be_closed() {
        assert!(split_front_matter("+++\ntitle = \"x\"\n").is_err());
        assert!(split_front_matter("title").is_err());
    }

    #[test]
    fn slugs() {
        assert!(is_slug("john-kerry"));
        assert!(is_slug("a1"));
        for bad in [
            "../x", "John", "a--b", "-a", "a/b", "a\\b", "", "a\0b", "a b",
        ] {
            assert!(!is_slug(bad), "{bad:?}");
        }
        assert_eq!(slugify("Moshe Ya’alon"), "moshe-yaalon");
        assert_eq!(slugify("Rome, at last!"), "rome-at-last");
    }

    #[test]
    fn events_report_every_bad_table() {
        let f = SourceFile::new(
            "content/events/a.toml",
            "[[event]]\nid = \"a\"\ndate = \"2013\"\nwhen = 1\n\n[[event]]\nid = \"b\"\n\n[[event]]\nid = \"c\"\ndate = \"2014\"\n",
        );
        let mut d = Diagnostics::default();
        let ev = events(&f, &mut d);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].id.value, "c");
        let msgs: Vec<String> = d
            .items
            .iter()
            .map(|x| x.to_string().lines().next().unwrap().to_string())
            .collect();
        assert_eq!(
            msgs[0],
            "content/events/a.toml:4:1: error: unknown key \"when\" in an event"
        );
        assert!(
            msgs[1].contains("missing required field \"date\""),
            "{msgs:?}"
        );
    }
}
