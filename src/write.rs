//! `Vec<Output>` + `static/` → the output folder, atomically.
//! The only module that touches the output folder: it builds the whole site in a temporary
//! folder beside it and swaps it in with one `renameat2(RENAME_EXCHANGE)`, so a failed or killed
//! build leaves the previous site complete. It refuses output folders that hold the project.
//!
//! Rebuilds are cheap: the site the swap replaces is kept beside the output as
//! `.<out>.dossier-prev` (with a `.gitignore` of `*`, so git does not list it), and the next
//! build starts its temporary folder from it, writing only the files whose bytes differ and
//! deleting the ones no longer produced. Unchanged pages cost a read, not a create, a write and
//! a delete, and the tree that is swapped in is still complete and byte-exact.

use std::collections::BTreeMap;
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
    let protected = [root.clone(), root.join("content"), root.join("templates"), root.join("static")];
    for p in &protected {
        if out_abs == *p || p.starts_with(&out_abs) {
            return Err(Error::Usage(format!(
                "refusing to build into {}: it would replace {}",
                out.display(),
                if *p == root { "the project itself".to_string() } else { format!("the project's {}", p.file_name().map(|f| f.to_string_lossy()).unwrap_or_default()) }
            )));
        }
        if out_abs.starts_with(p) && *p != root {
            return Err(Error::Usage(format!("refusing to build into {}: it is inside the project's sources", out.display())));
        }
    }
    if out_abs.parent().is_none() {
        return Err(Error::Usage(format!("refusing to build into {}", out.display())));
    }
    Ok(out_abs)
}

/// `out` made absolute and normalized (`..` resolved textually, then against real parents).
fn absolute(root: &Path, out: &Path) -> PathBuf {
    let joined = if out.is_absolute() { out.to_path_buf() } else { root.join(out) };
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

/// Write the site into `out` (absolute, checked by [`check_out_dir`]): outputs first, then the
/// built-in static files, then `static/` over them. A static file that would replace a
/// generated page is an error.
pub fn site(outputs: &[Output], static_dir: &Path, root: &Path, out: &Path, diags: &mut Diagnostics) -> Result<(), Error> {
    let files = collect(outputs, static_dir, root, out, diags)?;
    if diags.has_errors() {
        return Ok(());
    }
    if out.exists() && !out.join(MARKER).exists() && fs::read_dir(out).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(Error::Usage(format!(
            "refusing to replace {}: it is not empty and was not built by Dossier (no {MARKER} file); choose another --out or empty it",
            out.display()
        )));
    }
    let parent = out.parent().expect("checked by check_out_dir");
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create", e))?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    clean_stale(parent, &name);
    let tmp = reserve_tmp(parent, &name)?;
    let prev = prev_path(parent, &name);
    // Start from the previous build's tree when there is one (a real folder of ours, never a
    // link). Otherwise mark the new folder as ours at once, so that if this build is killed the
    // next one knows it may clean it up.
    let ours = |dir: &Path| fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) && dir.join(MARKER).is_file();
    let reuse = ours(&prev) && fs::rename(&prev, &tmp).is_ok();
    if !reuse {
        fs::write(tmp.join(MARKER), MARKER_TEXT).map_err(|e| Error::io(&tmp, "write", e))?;
    }
    let result = if reuse { sync_tree(&tmp, &files) } else { write_tree(&tmp, &files) }.and_then(|()| swap(&tmp, out, &prev));
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
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

/// Everything to write, by path: generated pages, built-in static files, the project's static.
fn collect<'a>(outputs: &'a [Output], static_dir: &Path, root: &Path, out: &Path, diags: &mut Diagnostics) -> Result<BTreeMap<String, FileData<'a>>, Error> {
    let mut files: BTreeMap<String, FileData<'a>> = BTreeMap::new();
    for o in outputs {
        debug_assert!(is_safe_rel(&o.path), "unsafe output path {}", o.path);
        files.insert(o.path.clone(), FileData::Bytes(&o.bytes));
    }
    files.insert(MARKER.into(), FileData::Bytes(MARKER_TEXT.as_bytes()));
    for (path, text) in BUILTIN_STATIC {
        files.entry(path.to_string()).or_insert(FileData::Bytes(text.as_bytes()));
    }
    let static_ok = match static_dir.is_dir().then(|| crate::load::inside_project(root, static_dir)) {
        Some(Err(d)) => {
            diags.push(d);
            false
        }
        Some(Ok(_)) => true,
        None => false,
    };
    if static_ok {
        let taken = Taken::new(outputs);
        let real_static = fs::canonicalize(static_dir).unwrap_or_else(|_| static_dir.to_path_buf());
        let shown = |p: &Path| crate::load::display_path(root, p);
        // Links are followed (walkdir reports loops among the folders it walks), but only while
        // they stay inside the project and out of the output folder: see `load::inside_project`.
        let mut walk = walkdir::WalkDir::new(static_dir).follow_links(true).sort_by_file_name().min_depth(1).into_iter();
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
            if !is_safe_rel(&rel) || entry.path().strip_prefix(static_dir).map_or(true, |r| r.to_str().is_none()) {
                diags.push(Diagnostic::in_file(shown, "this static file's name cannot be published safely")
                    .with_help("use names of letters, digits, `-`, `_` and `.` (valid UTF-8, no backslashes)"));
                continue;
            }
            if let Some(msg) = taken.by(&rel) {
                diags.push(Diagnostic::in_file(shown, msg).with_help("rename or move it; generated pages cannot be overridden from static/"));
                continue;
            }
            files.insert(rel, FileData::Copy(entry.into_path()));
        }
    }
    Ok(files)
}

/// The paths generated pages occupy, as files and as the folders that hold them.
struct Taken<'a> {
    files: std::collections::BTreeSet<&'a str>,
    folders: std::collections::BTreeSet<&'a str>,
}

impl<'a> Taken<'a> {
    fn new(outputs: &'a [Output]) -> Taken<'a> {
        let mut t = Taken { files: [MARKER].into_iter().collect(), folders: Default::default() };
        for o in outputs {
            t.files.insert(&o.path);
            let mut p = o.path.as_str();
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
            return Some(format!("this static file would replace the generated page /{rel}"));
        }
        if self.folders.contains(rel) {
            return Some(format!("this static file would replace the generated folder /{rel}/"));
        }
        let mut p = rel;
        while let Some(i) = p.rfind('/') {
            p = &p[..i];
            if self.files.contains(p) {
                return Some(format!("this static file would need the generated page /{p} to be a folder"));
            }
        }
        None
    }
}

/// A walk error under `static/` in words: a loop, a dangling link, or what the system said.
fn walk_error(err: &walkdir::Error, root: &Path, at: &str) -> Diagnostic {
    let fix = "point the link at a real file or folder, or remove it";
    if let Some(ancestor) = err.loop_ancestor() {
        return Diagnostic::in_file(at, format!("this symbolic link loops back to {}", crate::load::display_path(root, ancestor))).with_help(fix);
    }
    match (err.io_error(), err.path()) {
        (Some(e), Some(_)) if crate::load::is_loop(e) => Diagnostic::in_file(at, "this symbolic link loops back on itself").with_help(fix),
        (Some(e), Some(p)) if e.kind() == std::io::ErrorKind::NotFound && fs::read_link(p).is_ok() => {
            let target = fs::read_link(p).map(|t| t.display().to_string()).unwrap_or_default();
            Diagnostic::in_file(at, format!("this symbolic link points to \"{target}\", which does not exist")).with_help(fix)
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

/// Write every file into `dir`, which does not exist yet.
fn write_tree(dir: &Path, files: &BTreeMap<String, FileData<'_>>) -> Result<(), Error> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create", e))?;
    for d in folders(files) {
        let path = dir.join(d);
        fs::create_dir(&path).map_err(|e| Error::io(&path, "create", e))?;
    }
    files.par_iter().try_for_each(|(rel, data)| write_file(&dir.join(rel), data))
}

/// Make `dir` (a previous build's tree, or any tree) hold exactly `files`: remove what is not
/// produced any more (and anything that is not a plain file or folder), create missing folders,
/// and write only the files whose bytes differ.
fn sync_tree(dir: &Path, files: &BTreeMap<String, FileData<'_>>) -> Result<(), Error> {
    let folders = folders(files);
    let mut existing: Vec<(String, bool)> = Vec::new();
    let mut walk = walkdir::WalkDir::new(dir).min_depth(1).into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(|e| Error::io(&e.path().unwrap_or(dir).to_path_buf(), "read", e.into()))?;
        let rel = crate::load::display_path(dir, entry.path());
        let kind = entry.file_type();
        let keep = if kind.is_dir() { folders.contains(rel.as_str()) } else { kind.is_file() && files.contains_key(&rel) };
        if keep {
            existing.push((rel, kind.is_dir()));
            continue;
        }
        if kind.is_dir() {
            walk.skip_current_dir();
            fs::remove_dir_all(entry.path()).map_err(|e| Error::io(entry.path(), "remove", e))?;
        } else {
            fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), "remove", e))?;
        }
    }
    let existing: std::collections::HashMap<String, bool> = existing.into_iter().collect();
    for d in &folders {
        if !existing.contains_key(*d) {
            let path = dir.join(d);
            fs::create_dir(&path).map_err(|e| Error::io(&path, "create", e))?;
        }
    }
    files.par_iter().try_for_each(|(rel, data)| {
        let path = dir.join(rel);
        if existing.contains_key(rel) {
            if same_bytes(&path, data)? {
                return Ok(());
            }
            // A new file, not the old one rewritten in place: the old one may be hard-linked
            // from outside the output (a `cp -al` backup), and that copy must not change.
            fs::remove_file(&path).map_err(|e| Error::io(&path, "replace", e))?;
        }
        write_file(&path, data)
    })
}

/// Every folder the files need, parents before children.
fn folders<'a>(files: &'a BTreeMap<String, FileData<'_>>) -> std::collections::BTreeSet<&'a str> {
    let mut out = std::collections::BTreeSet::new();
    for rel in files.keys() {
        let mut end = rel.len();
        while let Some(i) = rel[..end].rfind('/') {
            if !out.insert(&rel[..i]) {
                break;
            }
            end = i;
        }
    }
    out
}

fn write_file(path: &Path, data: &FileData<'_>) -> Result<(), Error> {
    match data {
        FileData::Bytes(b) => fs::write(path, b).map_err(|e| Error::io(path, "write", e)),
        FileData::Copy(src) => fs::copy(src, path).map(|_| ()).map_err(|e| Error::io(src, "copy", e)),
    }
}

/// Does the file at `path` already hold `data`'s bytes?
fn same_bytes(path: &Path, data: &FileData<'_>) -> Result<bool, Error> {
    let Ok(old) = fs::read(path) else { return Ok(false) };
    Ok(match data {
        FileData::Bytes(b) => old == *b,
        FileData::Copy(src) => {
            let len = fs::metadata(src).map_err(|e| Error::io(src, "copy", e))?.len();
            len == old.len() as u64 && fs::read(src).map_err(|e| Error::io(src, "copy", e))? == old
        }
    })
}

/// Put `tmp` in place of `out` in one step, then keep the old tree as `prev` for the next build
/// (or delete it when another build kept one already).
fn swap(tmp: &Path, out: &Path, prev: &Path) -> Result<(), Error> {
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
        keep_as_prev(&old, prev);
        return Ok(());
    }
    // `tmp` now holds the previous site.
    keep_as_prev(tmp, prev);
    Ok(())
}

/// Keep a replaced site for the next build to start from; git is told to ignore it.
fn keep_as_prev(old: &Path, prev: &Path) {
    // (A new file: a published static `.gitignore` may be hard-linked from a backup.)
    let _ = fs::remove_file(old.join(".gitignore"));
    let kept = fs::write(old.join(".gitignore"), "# Dossier's previous build, kept to make the next one fast.\n*\n").is_ok()
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
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("no atomic exchange"))
}

/// Remove temporary folders left by builds that were killed (their process is gone).
fn clean_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.dossier-tmp-");
    let Ok(entries) = fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else { continue };
        let pid = rest.split(['-', '.']).next().unwrap_or("");
        let alive = pid.parse::<u32>().is_ok_and(|p| p == std::process::id() || Path::new(&format!("/proc/{p}")).exists());
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
            let adopted = e.file_type().is_ok_and(|t| t.is_dir()) && !prev.exists() && fs::rename(e.path(), &prev).is_ok();
            if !adopted {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                (rel, if t.is_file() { fs::read(e.path()).unwrap() } else if t.is_dir() { b"<dir>".to_vec() } else { b"<other>".to_vec() })
            })
            .collect()
    }

    #[test]
    fn syncing_any_previous_tree_gives_exactly_the_new_files() {
        let dir = tempfile::tempdir().unwrap();
        let outputs = [("index.html", "home"), ("people/a/index.html", "A"), ("people/b/index.html", "B"), ("timeline/2013/index.html", "t")];
        let files: BTreeMap<String, FileData<'_>> = outputs.iter().map(|(p, b)| (p.to_string(), FileData::Bytes(b.as_bytes()))).collect();
        let fresh = dir.path().join("fresh");
        write_tree(&fresh, &files).unwrap();
        // A previous tree with stale, changed, misplaced and foreign entries.
        let old = dir.path().join("old");
        let stale: BTreeMap<String, FileData<'_>> = [("index.html", "old home"), ("people/a/index.html", "A"), ("people/c/index.html", "C"), ("timeline/index.html", "all")]
            .iter()
            .map(|(p, b)| (p.to_string(), FileData::Bytes(b.as_bytes())))
            .collect();
        write_tree(&old, &stale).unwrap();
        fs::write(old.join("people/b"), "a file where a folder belongs").unwrap();
        fs::create_dir_all(old.join("timeline/2013/index.html/deep")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("fresh"), old.join("link")).unwrap();
        sync_tree(&old, &files).unwrap();
        assert_eq!(tree(&old), tree(&fresh));
        // A file whose bytes changed was rewritten.
        assert_eq!(fs::read(old.join("index.html")).unwrap(), b"home");
    }

    #[test]
    fn a_rebuild_keeps_the_replaced_site_for_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let build = |text: &str| {
            let outputs = vec![Output { path: "index.html".into(), bytes: text.as_bytes().to_vec() }];
            let mut d = Diagnostics::default();
            site(&outputs, &dir.path().join("static"), dir.path(), &out, &mut d).unwrap();
        };
        build("one");
        build("two");
        let prev = prev_path(dir.path(), "public");
        assert_eq!(fs::read(prev.join("index.html")).unwrap(), b"one");
        assert_eq!(fs::read_to_string(prev.join(".gitignore")).unwrap().lines().last(), Some("*"));
        build("three");
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"three");
        assert!(!out.join(".gitignore").exists());
        assert_eq!(fs::read(prev.join("index.html")).unwrap(), b"two");
        let names: Vec<String> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert!(names.iter().all(|n| !n.contains("dossier-tmp")), "{names:?}");
    }

    #[test]
    fn refuses_project_and_source_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in ["content", "templates", "static"] {
            fs::create_dir(root.join(sub)).unwrap();
        }
        for bad in [".", "content", "templates", "static", "..", "content/x", "public/../static"] {
            assert!(check_out_dir(root, Path::new(bad)).is_err(), "{bad}");
        }
        assert!(check_out_dir(root, Path::new("public")).is_ok());
        assert!(check_out_dir(root, Path::new("../elsewhere")).is_ok());
    }
}
