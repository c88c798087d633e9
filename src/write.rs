//! Pages + `static/` → the output folder, atomically (or, for `serve`, a site in memory).
//! The only module that touches the output folder: pages are put into a temporary folder beside
//! it as they are rendered ([`Staging`]), and the folder is swapped in with one
//! `renameat2(RENAME_EXCHANGE)`, so a failed or killed build leaves the previous site complete.
//! It refuses output folders that hold the project.
//!
//! Rebuilds are cheap: the site the swap replaces is kept beside the output as
//! `.<out>.dossier-prev` (with a `.gitignore` of `*`, so git does not list it), and the next
//! build starts its temporary folder from it, writing only the files whose bytes differ and
//! deleting the ones no longer produced. Unchanged pages cost a read, not a create, a write and
//! a delete, and the tree that is swapped in is still complete and byte-exact.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, Error};
use crate::render::Output;

/// The file that marks a folder as Dossier's output, so a rebuild may replace it.
pub const MARKER: &str = ".dossier-build";
const MARKER_TEXT: &str = "This folder was built by Dossier; `dossier build` replaces it whole.\n";

/// Static files Dossier ships; a project's `static/` may replace any of them by path.
pub const BUILTIN_STATIC: &[(&str, &str)] = &[
    ("style.css", include_str!("../static/style.css")),
    ("dossier.js", include_str!("../static/dossier.js")),
    ("search.js", include_str!("../static/search.js")),
    ("search.css", include_str!("../static/search.css")),
    ("network.js", include_str!("../static/network.js")),
    ("network.css", include_str!("../static/network.css")),
    ("print.css", include_str!("../static/print.css")),
];

/// Check that `out` is a safe place to build into: never the project, its sources or a parent
/// of them. Returns the absolute output path.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<PathBuf, Error> {
    let root = fs::canonicalize(root).map_err(|e| Error::io(root, "open the project folder", e))?;
    let out_abs = absolute(&root, out);
    let protected = [
        root.clone(),
        root.join("content"),
        root.join("templates"),
        root.join("static"),
    ];
    for p in &protected {
        if out_abs == *p || p.starts_with(&out_abs) {
            return Err(Error::Usage(format!(
                "refusing to build into {}: it would replace {}",
                out.display(),
                if *p == root {
                    "the project itself".to_string()
                } else {
                    format!(
                        "the project's {}",
                        p.file_name()
                            .map(|f| f.to_string_lossy())
                            .unwrap_or_default()
                    )
                }
            )));
        }
        if out_abs.starts_with(p) && *p != root {
            return Err(Error::Usage(format!(
                "refusing to build into {}: it is inside the project's sources",
                out.display()
            )));
        }
    }
    if out_abs.parent().is_none() {
        return Err(Error::Usage(format!(
            "refusing to build into {}",
            out.display()
        )));
    }
    Ok(out_abs)
}

/// `out` made absolute and normalized (`..` resolved textually, then against real parents).
fn absolute(root: &Path, out: &Path) -> PathBuf {
    let joined = if out.is_absolute() {
        out.to_path_buf()
    } else {
        root.join(out)
    };
    let mut clean = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Resolve symlinks in the existing part, so `public -> .` is caught.
    if let Ok(real) = fs::canonicalize(&clean) {
        return real;
    }
    if let (Some(parent), Some(name)) = (clean.parent(), clean.file_name()) {
        if let Ok(real) = fs::canonicalize(parent) {
            return real.join(name);
        }
    }
    clean
}

/// A built site held in memory (what `dossier serve` serves), by path under the site.
pub type Files = std::collections::HashMap<String, Body>;

/// One file of a site in memory.
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(crate::render::Bytes),
    Static(&'static [u8]),
    /// A file of the project's `static/`, read when asked for.
    File(PathBuf),
}

/// `pages` and the static files as a site in memory: the same files, with the same checks of
/// `static/`, as [`site`] writes.
pub fn in_memory(
    pages: Vec<Output>,
    static_dir: &Path,
    root: &Path,
    diags: &mut Diagnostics,
) -> Files {
    let paths: Vec<String> = pages.iter().map(|o| o.path.clone()).collect();
    // No output folder on disk: nothing under `static/` can lead into it.
    let statics = collect_static(
        &paths,
        static_dir,
        root,
        Path::new("/nonexistent/dossier-serve"),
        diags,
    );
    let mut files: Files = pages
        .into_iter()
        .map(|o| (o.path, Body::Bytes(o.bytes)))
        .collect();
    for (path, data) in statics {
        let body = match data {
            FileData::Bytes(b) => Body::Static(b),
            FileData::Copy(p) => Body::File(p),
        };
        files.insert(path, body);
    }
    files
}

/// A site being written: a temporary folder beside the output, started from the previous
/// build's tree when there is one. Pages go in with [`Staging::put`] (from any thread, in any
/// order), which writes only files whose bytes differ; [`Staging::finish`] adds the static
/// files, removes whatever was not put, and swaps the folder in. Until then the output is
/// untouched, and [`Staging::abandon`] (or an error) leaves it so.
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    prev: PathBuf,
    /// Started from a previous tree (files may exist and are compared), or empty.
    reused: bool,
    /// Folders known to exist in `tmp`.
    folders: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Every file put, by path.
    files: std::sync::Mutex<std::collections::HashSet<String>>,
    /// What the tree started from holds, as the build that made it recorded it (see [`Manifest`]).
    known: Manifest,
    /// The record of the output this build replaces, passed on to be kept with it.
    carried: String,
    /// This build's record of the files it put, for the build after next.
    made: std::sync::Mutex<Manifest>,
}

impl Staging {
    /// Reserve the temporary folder for a build into `out`. Refuses an `out` that holds files
    /// Dossier did not build.
    pub fn open(out: &Path) -> Result<Staging, Error> {
        if out.exists()
            && !out.join(MARKER).exists()
            && fs::read_dir(out)
                .map(|mut d| d.next().is_some())
                .unwrap_or(true)
        {
            return Err(Error::Usage(format!(
                "refusing to replace {}: it is not empty and was not built by Dossier (no {MARKER} file); choose another --out or empty it",
                out.display()
            )));
        }
        let parent = out.parent().expect("checked by check_out_dir");
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create", e))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        clean_stale(parent, &name);
        let tmp = reserve_tmp(parent, &name)?;
        let prev = prev_path(parent, &name);
        // Start from the previous build's tree when there is one (a real folder of ours, never a
        // link). Otherwise mark the new folder as ours at once, so that if this build is killed the
        // next one knows it may clean it up.
        let ours = |dir: &Path| {
            fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) && dir.join(MARKER).is_file()
        };
        let reused = ours(&prev) && fs::rename(&prev, &tmp).is_ok();
        // (Read here, removed with everything else this build does not put.)
        let read = |file: &str| {
            if reused {
                fs::read_to_string(tmp.join(file)).unwrap_or_default()
            } else {
                String::new()
            }
        };
        let (known, carried) = (Manifest::parse(&read(MANIFEST)), read(MANIFEST_OUT));
        let staging = Staging {
            out: out.to_path_buf(),
            tmp,
            prev,
            reused,
            folders: Default::default(),
            files: Default::default(),
            known,
            carried,
            made: Default::default(),
        };
        if let Err(e) = staging.put(MARKER, MARKER_TEXT.as_bytes()) {
            staging.abandon();
            return Err(e);
        }
        Ok(staging)
    }

    /// Put one file at `rel` (a safe relative path); a second put of the same path wins.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        debug_assert!(is_safe_rel(rel), "unsafe output path {rel}");
        self.files
            .lock()
            .expect("not poisoned")
            .insert(rel.to_string());
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        // The file recorded with these bytes and untouched since: no need to read it.
        let recorded = |path: &Path| self.known.holds(rel, path, hash);
        self.place(
            rel,
            |path| fs::write(path, bytes),
            |path| recorded(path) || same_file_bytes(path, bytes),
        )?;
        if let Some(stamp) = fs::symlink_metadata(self.tmp.join(rel))
            .ok()
            .as_ref()
            .and_then(Stamp::of)
        {
            self.made
                .lock()
                .expect("not poisoned")
                .0
                .insert(rel.to_string(), (stamp, hash));
        }
        Ok(())
    }

    /// Write `rel` with `write` unless `same` says it holds the right bytes already.
    fn place(
        &self,
        rel: &str,
        write: impl Fn(&Path) -> std::io::Result<()>,
        same: impl Fn(&Path) -> bool,
    ) -> Result<(), Error> {
        let path = self.tmp.join(rel);
        if let Some((dir, _)) = rel.rsplit_once('/') {
            self.folder(dir)?;
        }
        if self.reused {
            if same(&path) {
                return Ok(());
            }
            // A new file, not the old one rewritten in place: the old one may be hard-linked
            // from outside the output (a `cp -al` backup), and that copy must not change. A
            // folder in the way (an old tree's) goes too.
            match fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() => {
                    fs::remove_dir_all(&path).map_err(|e| Error::io(&path, "replace", e))?
                }
                Ok(_) => fs::remove_file(&path).map_err(|e| Error::io(&path, "replace", e))?,
                Err(_) => {}
            }
        }
        write(&path).map_err(|e| Error::io(&path, "write", e))
    }

    /// Make sure folder `rel` exists in the tree: an old tree may hold a file (or a link) where
    /// it belongs, which is removed.
    fn folder(&self, rel: &str) -> Result<(), Error> {
        if self.folders.lock().expect("not poisoned").contains(rel) {
            return Ok(());
        }
        let path = self.tmp.join(rel);
        // (In a tree started from the last build the folder is usually there: one call.)
        let there = self.reused && fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if !there
            && (fs::create_dir_all(&path).is_err()
                || !fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()))
        {
            // Something that is not a folder is in the way, at `rel` or above it.
            let mut at = self.tmp.clone();
            for part in rel.split('/') {
                at.push(part);
                match fs::symlink_metadata(&at) {
                    Ok(m) if m.is_dir() => continue,
                    Ok(_) => fs::remove_file(&at).map_err(|e| Error::io(&at, "replace", e))?,
                    Err(_) => {}
                }
                if let Err(e) = fs::create_dir(&at) {
                    if e.kind() != std::io::ErrorKind::AlreadyExists {
                        return Err(Error::io(&at, "create", e));
                    }
                }
            }
        }
        let mut known = self.folders.lock().expect("not poisoned");
        let mut p = rel;
        loop {
            known.insert(p.to_string());
            match p.rsplit_once('/') {
                Some((up, _)) => p = up,
                None => break,
            }
        }
        Ok(())
    }

    /// The static files (built-in, then the project's `static/` over them; neither may replace a
    /// page that was put), then everything else removed, then the swap. Problems with
    /// `static/` go to `diags`, and then nothing is swapped in.
    pub fn finish(
        self,
        static_dir: &Path,
        root: &Path,
        diags: &mut Diagnostics,
    ) -> Result<(), Error> {
        let result = self.finish_inner(static_dir, root, diags);
        match result {
            Ok(true) => Ok(()),
            Ok(false) => {
                self.abandon();
                Ok(())
            }
            Err(e) => {
                self.abandon();
                Err(e)
            }
        }
    }

    fn finish_inner(
        &self,
        static_dir: &Path,
        root: &Path,
        diags: &mut Diagnostics,
    ) -> Result<bool, Error> {
        let pages: Vec<String> = self
            .files
            .lock()
            .expect("not poisoned")
            .iter()
            .cloned()
            .collect();
        let statics = collect_static(&pages, static_dir, root, &self.out, diags);
        if diags.has_errors() {
            return Ok(false);
        }
        statics.par_iter().try_for_each(|(rel, data)| {
            self.files.lock().expect("not poisoned").insert(rel.clone());
            match data {
                FileData::Bytes(b) => {
                    self.place(rel, |p| fs::write(p, b), |p| same_file_bytes(p, b))
                }
                FileData::Copy(src) => self.place(
                    rel,
                    |p| fs::copy(src, p).map(|_| ()),
                    |p| same_as_file(p, src),
                ),
            }
        })?;
        if self.reused {
            self.remove_unput()?;
        }
        let made = self.made.lock().expect("not poisoned").to_string();
        swap(
            &self.tmp,
            &self.out,
            &self.prev,
            [
                (MANIFEST, self.carried.as_str()),
                (MANIFEST_OUT, made.as_str()),
            ],
        )?;
        Ok(true)
    }

    /// Remove from the tree every file that was not put, every folder none of them is in, and
    /// anything that is neither a plain file nor a folder. (Folders are read in parallel.)
    fn remove_unput(&self) -> Result<(), Error> {
        let files = self.files.lock().expect("not poisoned");
        let folders = self.folders.lock().expect("not poisoned");
        fn sweep(
            dir: &Path,
            rel: &str,
            files: &HashSet<String>,
            folders: &HashSet<String>,
        ) -> Result<(), Error> {
            let entries: Vec<fs::DirEntry> = fs::read_dir(dir)
                .and_then(|d| d.collect::<Result<_, _>>())
                .map_err(|e| Error::io(dir, "read", e))?;
            entries.par_iter().try_for_each(|entry| {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                let here = if rel.is_empty() {
                    name.into_owned()
                } else {
                    format!("{rel}/{name}")
                };
                let path = entry.path();
                let kind = entry.file_type().map_err(|e| Error::io(&path, "read", e))?;
                if kind.is_dir() {
                    if folders.contains(&here) {
                        return sweep(&path, &here, files, folders);
                    }
                    fs::remove_dir_all(&path).map_err(|e| Error::io(&path, "remove", e))
                } else if kind.is_file() && files.contains(&here) {
                    Ok(())
                } else {
                    fs::remove_file(&path).map_err(|e| Error::io(&path, "remove", e))
                }
            })
        }
        sweep(&self.tmp, "", &files, &folders)
    }

    /// Give up: the output stays as it was. A tree started from the previous build is kept for
    /// the next build to start from (any tree is a good start: the next build syncs it).
    pub fn abandon(self) {
        if !(self.reused && !self.prev.exists() && fs::rename(&self.tmp, &self.prev).is_ok()) {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// A new, empty temporary folder beside the output, this build's alone: named after the
/// process and a number that `create_dir` makes unique, so builds in different processes or
/// threads never share one.
fn reserve_tmp(parent: &Path, name: &str) -> Result<PathBuf, Error> {
    let pid = std::process::id();
    for n in 0u32.. {
        let tmp = parent.join(format!(".{name}.dossier-tmp-{pid}-{n}"));
        match fs::create_dir(&tmp) {
            Ok(()) => return Ok(tmp),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(&tmp, "create", e)),
        }
    }
    unreachable!("u32::MAX temporary folders")
}

/// Where the site a build replaced is kept for the next build to start from.
fn prev_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.dossier-prev"))
}

/// The static files to write, by path: the built-in ones (unless a page took the path), then
/// the project's `static/` over them. A project file in a page's way is an error in `diags`.
fn collect_static(
    pages: &[String],
    static_dir: &Path,
    root: &Path,
    out: &Path,
    diags: &mut Diagnostics,
) -> BTreeMap<String, FileData<'static>> {
    let taken = Taken::new(pages);
    let mut files: BTreeMap<String, FileData<'static>> = BTreeMap::new();
    for (path, text) in BUILTIN_STATIC {
        if !taken.files.contains(path) {
            files.insert(path.to_string(), FileData::Bytes(text.as_bytes()));
        }
    }
    let static_ok = match static_dir
        .is_dir()
        .then(|| crate::load::inside_project(root, static_dir))
    {
        Some(Err(d)) => {
            diags.push(d);
            false
        }
        Some(Ok(_)) => true,
        None => false,
    };
    if static_ok {
        let real_static = fs::canonicalize(static_dir).unwrap_or_else(|_| static_dir.to_path_buf());
        let shown = |p: &Path| crate::load::display_path(root, p);
        // Links are followed (walkdir reports loops among the folders it walks), but only while
        // they stay inside the project and out of the output folder: see `load::inside_project`.
        let mut walk = walkdir::WalkDir::new(static_dir)
            .follow_links(true)
            .sort_by_file_name()
            .min_depth(1)
            .into_iter();
        while let Some(entry) = walk.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let at = err.path().map(shown).unwrap_or_else(|| "static".into());
                    diags.push(walk_error(&err, root, &at));
                    continue;
                }
            };
            if entry.path_is_symlink() {
                let refused = match crate::load::inside_project(root, entry.path()) {
                    Err(d) => Some(d),
                    Ok(real) if entry.file_type().is_dir() && real_static.starts_with(&real) => Some(
                        Diagnostic::in_file(shown(entry.path()), format!("this symbolic link loops back to {}", shown_real(root, &real)))
                            .with_help("a folder linked into static/ must not contain static/ itself"),
                    ),
                    Ok(real) if real.starts_with(out) => Some(
                        Diagnostic::in_file(shown(entry.path()), "this symbolic link leads into the output folder")
                            .with_help("static/ is copied into the output, so the output would hold copies of itself"),
                    ),
                    Ok(_) => None,
                };
                if let Some(d) = refused {
                    diags.push(d);
                    if entry.file_type().is_dir() {
                        walk.skip_current_dir();
                    }
                    continue;
                }
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = crate::load::display_path(static_dir, entry.path());
            let shown = shown(entry.path());
            if !is_safe_rel(&rel)
                || entry
                    .path()
                    .strip_prefix(static_dir)
                    .map_or(true, |r| r.to_str().is_none())
            {
                diags.push(Diagnostic::in_file(shown, "this static file's name cannot be published safely")
                    .with_help("use names of letters, digits, `-`, `_` and `.` (valid UTF-8, no backslashes)"));
                continue;
            }
            if let Some(msg) = taken.by(&rel) {
                diags.push(Diagnostic::in_file(shown, msg).with_help(
                    "rename or move it; generated pages cannot be overridden from static/",
                ));
                continue;
            }
            files.insert(rel, FileData::Copy(entry.into_path()));
        }
    }
    files
}

/// The paths generated pages occupy, as files and as the folders that hold them.
struct Taken<'a> {
    files: std::collections::BTreeSet<&'a str>,
    folders: std::collections::BTreeSet<&'a str>,
}

impl<'a> Taken<'a> {
    fn new(pages: &'a [String]) -> Taken<'a> {
        let mut t = Taken {
            files: [MARKER].into_iter().collect(),
            folders: Default::default(),
        };
        for path in pages {
            t.files.insert(path);
            let mut p = path.as_str();
            while let Some(i) = p.rfind('/') {
                p = &p[..i];
                t.folders.insert(p);
            }
        }
        t
    }

    /// Why a static file at `rel` cannot be published, if a generated page is in the way.
    fn by(&self, rel: &str) -> Option<String> {
        if self.files.contains(rel) {
            return Some(format!(
                "this static file would replace the generated page /{rel}"
            ));
        }
        if self.folders.contains(rel) {
            return Some(format!(
                "this static file would replace the generated folder /{rel}/"
            ));
        }
        let mut p = rel;
        while let Some(i) = p.rfind('/') {
            p = &p[..i];
            if self.files.contains(p) {
                return Some(format!(
                    "this static file would need the generated page /{p} to be a folder"
                ));
            }
        }
        None
    }
}

/// A walk error under `static/` in words: a loop, a dangling link, or what the system said.
fn walk_error(err: &walkdir::Error, root: &Path, at: &str) -> Diagnostic {
    let fix = "point the link at a real file or folder, or remove it";
    if let Some(ancestor) = err.loop_ancestor() {
        return Diagnostic::in_file(
            at,
            format!(
                "this symbolic link loops back to {}",
                crate::load::display_path(root, ancestor)
            ),
        )
        .with_help(fix);
    }
    match (err.io_error(), err.path()) {
        (Some(e), Some(_)) if crate::load::is_loop(e) => {
            Diagnostic::in_file(at, "this symbolic link loops back on itself").with_help(fix)
        }
        (Some(e), Some(p))
            if e.kind() == std::io::ErrorKind::NotFound && fs::read_link(p).is_ok() =>
        {
            let target = fs::read_link(p)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            Diagnostic::in_file(
                at,
                format!("this symbolic link points to \"{target}\", which does not exist"),
            )
            .with_help(fix)
        }
        _ => Diagnostic::in_file(at, format!("cannot read: {err}")),
    }
}

/// A real (canonical) path as shown in messages: relative to the project when inside it.
fn shown_real(root: &Path, real: &Path) -> String {
    let real_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    match real.strip_prefix(&real_root) {
        Ok(rel) if rel.as_os_str().is_empty() => "the project folder".into(),
        Ok(rel) => crate::load::display_path(Path::new(""), rel),
        Err(_) => real.display().to_string(),
    }
}

enum FileData<'a> {
    Bytes(&'a [u8]),
    Copy(PathBuf),
}

/// A relative path with no `..`, no absolute part, no backslash and no NUL.
pub fn is_safe_rel(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && !p.contains('\0')
        && p.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

/// In the tree kept for the next build: the record of its own files, and of the output's.
const MANIFEST: &str = ".dossier-manifest";
const MANIFEST_OUT: &str = ".dossier-manifest-out";

/// What a build put in its tree, file by file: the bytes' XXH3-128 and the file's stamp right
/// after. A build started from that tree takes a file whose stamp is unchanged as holding those
/// bytes without reading it; anything else (no record, a file touched since, a stale record) is
/// read and compared as before, so a wrong record costs time, never a wrong file.
#[derive(Default)]
struct Manifest(std::collections::HashMap<String, (Stamp, u128)>);

/// What says a file is untouched: inode, size, and modification and change times to the
/// nanosecond (the change time moves with any write or new link, and cannot be set back).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp([i64; 6]);

impl Stamp {
    #[cfg(unix)]
    fn of(m: &fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        m.is_file().then(|| {
            Stamp([
                m.ino() as i64,
                m.size() as i64,
                m.mtime(),
                m.mtime_nsec(),
                m.ctime(),
                m.ctime_nsec(),
            ])
        })
    }

    #[cfg(not(unix))]
    fn of(_: &fs::Metadata) -> Option<Stamp> {
        None
    }
}

impl Manifest {
    /// Lines of `ino size mtime mtime_ns ctime ctime_ns hash path`; lines that do not parse are
    /// left out.
    fn parse(text: &str) -> Manifest {
        let mut m = Manifest::default();
        for line in text.lines() {
            let mut parts = line.splitn(8, ' ');
            let mut stamp = [0i64; 6];
            let ok = stamp.iter_mut().all(|n| {
                parts
                    .next()
                    .and_then(|p| p.parse().ok())
                    .map(|v| *n = v)
                    .is_some()
            });
            let hash = parts.next().and_then(|h| u128::from_str_radix(h, 16).ok());
            if let (true, Some(hash), Some(path)) = (ok, hash, parts.next()) {
                m.0.insert(path.to_string(), (Stamp(stamp), hash));
            }
        }
        m
    }

    /// Does the file at `path` (tree path `rel`) hold what was recorded, and is that `hash`?
    fn holds(&self, rel: &str, path: &Path, hash: u128) -> bool {
        let Some(&(stamp, recorded)) = self.0.get(rel) else {
            return false;
        };
        recorded == hash
            && fs::symlink_metadata(path).ok().as_ref().and_then(Stamp::of) == Some(stamp)
    }
}

impl std::fmt::Display for Manifest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (path, (Stamp(s), hash)) in &self.0 {
            writeln!(
                f,
                "{} {} {} {} {} {} {hash:032x} {path}",
                s[0], s[1], s[2], s[3], s[4], s[5]
            )?;
        }
        Ok(())
    }
}

/// Does the file at `path` (not a link) already hold `bytes`?
fn same_file_bytes(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut f) = open_no_follow(path) else {
        return false;
    };
    if !f
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
    {
        return false;
    }
    // (As long as the length says: no read to find the end.)
    let mut old = vec![0; bytes.len()];
    f.read_exact(&mut old).is_ok() && old == bytes
}

/// Does the file at `path` (not a link) hold the same bytes as the file `src`?
fn same_as_file(path: &Path, src: &Path) -> bool {
    let (Ok(a), Ok(b)) = (fs::symlink_metadata(path), fs::metadata(src)) else {
        return false;
    };
    a.is_file() && a.len() == b.len() && fs::read(src).is_ok_and(|s| same_file_bytes(path, &s))
}

fn open_no_follow(path: &Path) -> std::io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut o, libc::O_NOFOLLOW);
    o.open(path)
}

/// Put `tmp` in place of `out` in one step, then keep the old tree as `prev` for the next build
/// (or delete it when another build kept one already).
fn swap(tmp: &Path, out: &Path, prev: &Path, records: [(&str, &str); 2]) -> Result<(), Error> {
    // When there is no output yet, a rename makes it; if another build made it meanwhile (the
    // rename then fails, as the folder is not empty), exchange with that one instead.
    if !out.exists() && fs::rename(tmp, out).is_ok() {
        return Ok(());
    }
    if exchange(tmp, out).is_err() {
        // No atomic exchange on this file system: two renames, with a short gap.
        let mut old = tmp.as_os_str().to_owned();
        old.push(".old");
        let old = PathBuf::from(old);
        fs::rename(out, &old).map_err(|e| Error::io(out, "replace", e))?;
        fs::rename(tmp, out).map_err(|e| Error::io(out, "replace", e))?;
        keep_as_prev(&old, prev, records);
        return Ok(());
    }
    // `tmp` now holds the previous site.
    keep_as_prev(tmp, prev, records);
    Ok(())
}

/// Keep a replaced site for the next build to start from, with the records of what it and the
/// new output hold; git is told to ignore it.
fn keep_as_prev(old: &Path, prev: &Path, records: [(&str, &str); 2]) {
    // (New files: a published static `.gitignore` may be hard-linked from a backup.)
    for (name, text) in records {
        let _ = fs::remove_file(old.join(name));
        let _ = fs::write(old.join(name), text);
    }
    let _ = fs::remove_file(old.join(".gitignore"));
    let kept = fs::write(
        old.join(".gitignore"),
        "# Dossier's previous build, kept to make the next one fast.\n*\n",
    )
    .is_ok()
        && !prev.exists()
        && fs::rename(old, prev).is_ok();
    if !kept {
        let _ = fs::remove_dir_all(old);
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; renameat2 does not keep the pointers.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("no atomic exchange"))
}

/// Remove temporary folders left by builds that were killed (their process is gone).
fn clean_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.dossier-tmp-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.split(['-', '.']).next().unwrap_or("");
        let alive = pid
            .parse::<u32>()
            .is_ok_and(|p| p == std::process::id() || Path::new(&format!("/proc/{p}")).exists());
        // Only folders Dossier made (they hold its marker from their first moment): a folder
        // that merely has a name like these is not ours to delete.
        let ours = e.file_type().is_ok_and(|t| t.is_dir()) && e.path().join(MARKER).is_file();
        if !alive && !ours {
            // An empty one is a build killed before it wrote anything: removing it loses nothing.
            let _ = fs::remove_dir(e.path());
        }
        if !alive && ours {
            // A killed build's tree is as good a start as any: the next build syncs it.
            let prev = prev_path(parent, name);
            let adopted = e.file_type().is_ok_and(|t| t.is_dir())
                && !prev.exists()
                && fs::rename(e.path(), &prev).is_ok();
            if !adopted {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A whole build through [`Staging`], from pages already in memory.
    fn site(
        outputs: &[Output],
        static_dir: &Path,
        root: &Path,
        out: &Path,
        diags: &mut Diagnostics,
    ) -> Result<(), Error> {
        let staging = Staging::open(out)?;
        let put = outputs
            .par_iter()
            .try_for_each(|o| staging.put(&o.path, &o.bytes));
        if let Err(e) = put {
            staging.abandon();
            return Err(e);
        }
        staging.finish(static_dir, root, diags)
    }

    #[test]
    fn safe_relative_paths() {
        assert!(is_safe_rel("chapters/a/index.html"));
        for bad in ["../x", "/etc/passwd", "a/../b", "a\\b", "a\0b", "", "a//b"] {
            assert!(!is_safe_rel(bad), "{bad:?}");
        }
    }

    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(Result::unwrap)
            .map(|e| {
                let rel = crate::load::display_path(dir, e.path());
                let t = e.file_type();
                (
                    rel,
                    if t.is_file() {
                        fs::read(e.path()).unwrap()
                    } else if t.is_dir() {
                        b"<dir>".to_vec()
                    } else {
                        b"<other>".to_vec()
                    },
                )
            })
            .collect()
    }

    fn outputs(files: &[(&str, &str)]) -> Vec<Output> {
        files
            .iter()
            .map(|(p, b)| Output {
                path: p.to_string(),
                bytes: b.as_bytes().to_vec().into(),
            })
            .collect()
    }

    #[test]
    fn building_over_any_previous_tree_gives_exactly_the_new_files() {
        let dir = tempfile::tempdir().unwrap();
        let pages = outputs(&[
            ("index.html", "home"),
            ("people/a/index.html", "A"),
            ("people/b/index.html", "B"),
            ("timeline/2013/index.html", "t"),
        ]);
        let no_static = dir.path().join("static");
        let fresh = dir.path().join("fresh/public");
        site(
            &pages,
            &no_static,
            dir.path(),
            &fresh,
            &mut Diagnostics::default(),
        )
        .unwrap();
        // A previous tree with stale, changed, misplaced and foreign entries.
        let out = dir.path().join("old/public");
        let prev = prev_path(&dir.path().join("old"), "public");
        for (rel, text) in [
            ("index.html", "old home"),
            ("people/a/index.html", "A"),
            ("people/c/index.html", "C"),
            ("timeline/index.html", "all"),
            (MARKER, ""),
        ] {
            fs::create_dir_all(prev.join(rel).parent().unwrap()).unwrap();
            fs::write(prev.join(rel), text).unwrap();
        }
        fs::write(prev.join("people/b"), "a file where a folder belongs").unwrap();
        fs::create_dir_all(prev.join("timeline/2013/index.html/deep")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("fresh"), prev.join("link")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            fresh.join("people/a/index.html"),
            prev.join("people/a/index.html.tmp"),
        )
        .unwrap();
        let a = prev.join("people/a/index.html");
        let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&fs::metadata(p).unwrap());
        let unchanged = inode(&a);
        site(
            &pages,
            &no_static,
            dir.path(),
            &out,
            &mut Diagnostics::default(),
        )
        .unwrap();
        let (got, want) = (tree(&out), tree(&fresh));
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &want {
            assert!(got[path] == *bytes, "{path} differs");
        }
        // A file whose bytes changed was rewritten; one whose bytes did not was left alone.
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"home");
        assert_eq!(inode(&out.join("people/a/index.html")), unchanged);
    }

    #[test]
    fn a_page_that_is_a_link_in_the_previous_tree_is_replaced_by_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let prev = prev_path(dir.path(), "public");
        fs::create_dir_all(&prev).unwrap();
        fs::write(prev.join(MARKER), "").unwrap();
        fs::write(dir.path().join("secret"), "home").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), prev.join("index.html")).unwrap();
        site(
            &outputs(&[("index.html", "home")]),
            &dir.path().join("static"),
            dir.path(),
            &out,
            &mut Diagnostics::default(),
        )
        .unwrap();
        assert!(
            fs::symlink_metadata(out.join("index.html"))
                .unwrap()
                .is_file()
        );
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"home");
    }

    #[test]
    fn an_abandoned_build_leaves_the_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let build = |text: &str| {
            site(
                &outputs(&[("index.html", text)]),
                &dir.path().join("static"),
                dir.path(),
                &out,
                &mut Diagnostics::default(),
            )
            .unwrap()
        };
        build("one");
        build("two");
        let staging = Staging::open(&out).unwrap();
        staging.put("index.html", b"three").unwrap();
        staging.put("new/index.html", b"new").unwrap();
        staging.abandon();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"two");
        assert!(!out.join("new").exists());
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.contains("dossier-tmp")),
            "{names:?}"
        );
        build("four");
        assert_eq!(
            tree(&out).keys().collect::<Vec<_>>(),
            [
                MARKER,
                "dossier.js",
                "index.html",
                "network.css",
                "network.js",
                "print.css",
                "search.css",
                "search.js",
                "style.css"
            ]
        );
    }

    #[test]
    fn a_rebuild_keeps_the_replaced_site_for_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let build = |text: &str| {
            let outputs = vec![Output {
                path: "index.html".into(),
                bytes: text.as_bytes().to_vec().into(),
            }];
            let mut d = Diagnostics::default();
            site(
                &outputs,
                &dir.path().join("static"),
                dir.path(),
                &out,
                &mut d,
            )
            .unwrap();
        };
        build("one");
        build("two");
        let prev = prev_path(dir.path(), "public");
        assert_eq!(fs::read(prev.join("index.html")).unwrap(), b"one");
        assert_eq!(
            fs::read_to_string(prev.join(".gitignore"))
                .unwrap()
                .lines()
                .last(),
            Some("*")
        );
        build("three");
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"three");
        assert!(!out.join(".gitignore").exists());
        assert_eq!(fs::read(prev.join("index.html")).unwrap(), b"two");
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.contains("dossier-tmp")),
            "{names:?}"
        );
    }

    #[test]
    fn a_file_changed_in_the_kept_tree_is_written_again_whatever_its_record_says() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let build = || {
            let mut d = Diagnostics::default();
            site(
                &outputs(&[("index.html", "home"), ("a/index.html", "bbbb")]),
                &dir.path().join("static"),
                dir.path(),
                &out,
                &mut d,
            )
            .unwrap();
        };
        // After three builds, the kept tree has the record of its own files.
        for _ in 0..3 {
            build();
        }
        let prev = prev_path(dir.path(), "public");
        let record = fs::read_to_string(prev.join(MANIFEST)).unwrap();
        assert!(
            record.lines().any(|l| l.ends_with(" a/index.html")),
            "{record}"
        );
        assert!(
            !out.join(MANIFEST).exists() && !out.join(MANIFEST_OUT).exists(),
            "records are never published"
        );
        // Someone changes a kept file: same length, and its modification time put back.
        let file = prev.join("a/index.html");
        let modified = fs::metadata(&file).unwrap().modified().unwrap();
        fs::write(&file, "XXXX").unwrap();
        fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        build();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"bbbb");
        assert!(tree(&out).keys().all(|k| !k.contains("manifest")));
    }

    #[test]
    fn refuses_project_and_source_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in ["content", "templates", "static"] {
            fs::create_dir(root.join(sub)).unwrap();
        }
        for bad in [
            ".",
            "content",
            "templates",
            "static",
            "..",
            "content/x",
            "public/../static",
        ] {
            assert!(check_out_dir(root, Path::new(bad)).is_err(), "{bad}");
        }
        assert!(check_out_dir(root, Path::new("public")).is_ok());
        assert!(check_out_dir(root, Path::new("../elsewhere")).is_ok());
    }
}
