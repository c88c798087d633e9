//! The static files of a site: the built-in ones (`style.css`, …), then the project's `static/`
//! over them. Listing `static/` is where symbolic links are judged (followed only while they
//! stay inside `static/` and out of the output folder, see `load::within`) and where files that
//! hold secrets (`.git/`, `.env`, private keys: `load::secret`) are refused, links or not;
//! placing the files beside the pages is where a static file in a generated page's way is
//! refused. Every command runs both, so `check` and `serve` find what `build` finds.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Area;

use super::{MARKER, is_safe_rel};

/// Static files Dossier ships; a project's `static/` may replace any of them by path. The
/// favicon (`favicon.svg`, and `favicon.ico` for a site at the root of its host) and the image
/// shown when a page is shared (`share.png`, 1200 × 630) are plain files like the others.
pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("dossier.js", include_bytes!("../../static/dossier.js")),
    ("search.js", include_bytes!("../../static/search.js")),
    ("search.css", include_bytes!("../../static/search.css")),
    ("preview.js", include_bytes!("../../static/preview.js")),
    ("network.js", include_bytes!("../../static/network.js")),
    ("network.css", include_bytes!("../../static/network.css")),
    ("map.css", include_bytes!("../../static/map.css")),
    ("timeline.css", include_bytes!("../../static/timeline.css")),
    ("print.css", include_bytes!("../../static/print.css")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("favicon.ico", include_bytes!("../../static/favicon.ico")),
    ("share.png", include_bytes!("../../static/share.png")),
];

/// Where a static file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StaticSource {
    Builtin(&'static [u8]),
    /// A file of the project's `static/` (its path, links resolved).
    File(PathBuf),
}

/// A static file to publish at `path` (under the output folder).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StaticFile {
    pub path: String,
    pub source: StaticSource,
    /// The path shown in messages (`static/css/a.css`).
    pub shown: String,
}

/// The project's `static/` files, sorted by path, each checked: links that leave `static/` or
/// lead into `out` (the output folder), loops, dangling links, files that hold secrets and
/// unsafe names are diagnostics.
pub fn list(root: &Path, out: &Path, diags: &mut Diagnostics) -> Vec<StaticFile> {
    let static_dir = root.join("static");
    let mut files = Vec::new();
    match static_dir
        .is_dir()
        .then(|| crate::load::within(root, Area::Static, &static_dir))
    {
        Some(Err(d)) => {
            diags.push(d);
            return files;
        }
        Some(Ok(_)) => {}
        None => return files,
    }
    let real_static = fs::canonicalize(&static_dir).unwrap_or_else(|_| static_dir.clone());
    let shown = |p: &Path| crate::load::display_path(root, p);
    // Links are followed (walkdir reports loops among the folders it walks), but only while
    // they stay inside static/ and out of the output folder: see `load::within`.
    let mut walk = walkdir::WalkDir::new(&static_dir)
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
        // A link that leaves static/ (or loops, or leads into the output), and a file or folder
        // that holds secrets, link or not, are refused; a folder's contents with it.
        let refused = if entry.path_is_symlink() {
            refused_link(root, &real_static, out, &entry)
        } else {
            None
        };
        if let Some(d) = refused.or_else(|| secret(root, &static_dir, &entry)) {
            diags.push(d);
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = crate::load::display_path(&static_dir, entry.path());
        let shown = shown(entry.path());
        if !is_safe_rel(&rel)
            || rel.contains(|c: char| c.is_control())
            || entry
                .path()
                .strip_prefix(&static_dir)
                .map_or(true, |r| r.to_str().is_none())
        {
            diags.push(Diagnostic::in_file(shown, "this static file's name cannot be published safely")
                .with_help("use names of letters, digits, `-`, `_` and `.` (valid UTF-8, no backslashes or control characters)"));
            continue;
        }
        files.push(StaticFile {
            path: rel,
            source: StaticSource::File(entry.into_path()),
            shown,
        });
    }
    files
}

/// Why the link `entry` under `static/` is not followed, if it is not: see `load::within`;
/// besides, a folder link must not contain `static/` (`real_static`) nor lead into `out`.
fn refused_link(
    root: &Path,
    real_static: &Path,
    out: &Path,
    entry: &walkdir::DirEntry,
) -> Option<Diagnostic> {
    let shown = || crate::load::display_path(root, entry.path());
    match crate::load::within(root, Area::Static, entry.path()) {
        Err(d) => Some(d),
        Ok(real) if entry.file_type().is_dir() && real_static.starts_with(&real) => Some(
            Diagnostic::in_file(
                shown(),
                format!(
                    "this symbolic link loops back to {}",
                    shown_real(root, &real)
                ),
            )
            .with_help("a folder linked into static/ must not contain static/ itself"),
        ),
        Ok(real) if real.starts_with(out) => Some(
            Diagnostic::in_file(shown(), "this symbolic link leads into the output folder")
                .with_help(
                    "static/ is copied into the output, so the output would hold copies of itself",
                ),
        ),
        Ok(_) => None,
    }
}

/// Why `entry` under `static_dir` is never published, if it holds secrets (`load::secret`).
fn secret(root: &Path, static_dir: &Path, entry: &walkdir::DirEntry) -> Option<Diagnostic> {
    let inner = entry
        .path()
        .strip_prefix(static_dir)
        .unwrap_or(entry.path());
    let why = crate::load::secret(inner)?;
    let what = if entry.file_type().is_dir() {
        "folder"
    } else {
        "file"
    };
    Some(
        Diagnostic::in_file(
            crate::load::display_path(root, entry.path()),
            format!("this {what} is never published: {why}"),
        )
        .with_help(crate::load::SECRET_HELP),
    )
}

/// The static files to publish beside `pages` (the generated files' paths) and the `reserved`
/// folders (generated, whose files are made only when asked for: `search/`): the built-in ones
/// a page does not take, then the project's over them. A project file in a page's way is an
/// error, and is left out.
pub fn place<'a>(
    pages: impl IntoIterator<Item = &'a str>,
    reserved: &[(&'a str, &'a str)],
    listed: &[StaticFile],
    diags: &mut Diagnostics,
) -> Vec<StaticFile> {
    let mut taken = Taken::new(pages);
    taken.reserved = reserved
        .iter()
        .map(|&(f, what)| (f.trim_end_matches('/'), what))
        .collect();
    let mut files: BTreeMap<&str, StaticFile> = BTreeMap::new();
    for (path, text) in BUILTIN_STATIC {
        if !taken.files.contains(path) {
            let f = StaticFile {
                path: path.to_string(),
                source: StaticSource::Builtin(text),
                shown: format!("(built-in) static/{path}"),
            };
            files.insert(path, f);
        }
    }
    for f in listed {
        if let Some(msg) = taken.by(&f.path) {
            diags.push(
                Diagnostic::in_file(&f.shown, msg).with_help(
                    "rename or move it; generated pages cannot be overridden from static/",
                ),
            );
            continue;
        }
        files.insert(&f.path, f.clone());
    }
    files.into_values().collect()
}

/// The paths generated pages occupy, as files and as the folders that hold them.
struct Taken<'a> {
    files: std::collections::BTreeSet<&'a str>,
    folders: std::collections::BTreeSet<&'a str>,
    /// Generated folders whose files are not listed, and what they hold.
    reserved: Vec<(&'a str, &'a str)>,
}

impl<'a> Taken<'a> {
    fn new(pages: impl IntoIterator<Item = &'a str>) -> Taken<'a> {
        let mut t = Taken {
            files: [MARKER].into_iter().collect(),
            folders: Default::default(),
            reserved: Vec::new(),
        };
        for path in pages {
            t.files.insert(path);
            let mut p = path;
            while let Some(i) = p.rfind('/') {
                p = &p[..i];
                t.folders.insert(p);
            }
        }
        t
    }

    /// Why a static file at `rel` cannot be published, if a generated page is in the way.
    fn by(&self, rel: &str) -> Option<String> {
        for &(folder, what) in &self.reserved {
            if rel == folder || rel.strip_prefix(folder).is_some_and(|r| r.starts_with('/')) {
                return Some(format!(
                    "this static file would be inside the generated folder /{folder}/ ({what})"
                ));
            }
        }
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
