//! Which files of a content folder are read: those directly inside it with the kind's extension
//! (`content/chapters/*.md`, `content/people/*.toml`, `content/events/*.toml`). A file that
//! looks meant to be read but is not, in a folder inside it (`chapters/part-one/01-x.md`) or
//! under another extension (`03-x.markdown`, `x.TOML`), is an error that says how to have it
//! read, rather than being left out silently to surface later as an unknown chapter or person.
//! Other files (images, notes, hidden files) are left alone.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};

use super::{display_path, inside_project};

/// Extensions that mean a Markdown file (besides `.md`, which is the one read).
const MARKDOWN: &[&str] = &["md", "markdown", "mdown", "mkd", "mkdn", "mdwn"];

/// Files with `ext` directly inside `dir`, sorted by name (so results never depend on the order
/// the file system lists them in). A missing folder is empty. Each comes with whether it is
/// plainly inside the project (a regular file, not a link, in a folder that is inside it), so it
/// can be read without resolving its path again (two `canonicalize` calls a file were a tenth of
/// loading a large documentary). Files that look meant to be read but are not are reported.
pub(super) fn files_in(
    dir: &Path,
    ext: &str,
    diags: &mut Diagnostics,
    root: &Path,
) -> Vec<(PathBuf, bool)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let dir_inside = inside_project(root, dir).is_ok();
    // Sorted by name once listed (walkdir's own sort parses both paths at each comparison: a
    // tenth of a second for 10,000 files).
    let mut out: Vec<(OsString, PathBuf, bool)> = Vec::new();
    let mut unread: Vec<Diagnostic> = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk {
        let e = match entry {
            Ok(e) => e,
            Err(err) => {
                let at = err
                    .path()
                    .map_or_else(|| display_path(root, dir), |p| display_path(root, p));
                diags.push(Diagnostic::in_file(at, format!("cannot read: {err}")));
                continue;
            }
        };
        // Links are read through `read_source`, which reports loops and links out of the
        // project instead of skipping them silently.
        if !(e.file_type().is_file() || e.path_is_symlink()) {
            continue;
        }
        let name = e.file_name().to_string_lossy().into_owned();
        if e.depth() == 1 && name.ends_with(ext) {
            let plain = dir_inside && e.file_type().is_file() && !e.path_is_symlink();
            out.push((e.file_name().to_owned(), e.into_path(), plain));
        } else if let Some(d) = not_read(dir, e.path(), &name, ext, e.depth(), root) {
            unread.push(d);
        }
    }
    unread.sort_by_key(|d| d.location());
    for d in unread {
        diags.push(d);
    }
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    out.into_iter()
        .map(|(_, path, plain)| (path, plain))
        .collect()
}

/// The error for a file that looks meant to be read (its extension is the kind's, or another
/// way of writing it) but is not: in a folder inside `dir`, or under the wrong extension.
fn not_read(
    dir: &Path,
    path: &Path,
    name: &str,
    ext: &str,
    depth: usize,
    root: &Path,
) -> Option<Diagnostic> {
    let (stem, found) = name.rsplit_once('.')?;
    let found = found.to_ascii_lowercase();
    let wanted = ext.trim_start_matches('.');
    let alike = if wanted == "md" {
        MARKDOWN.contains(&found.as_str())
    } else {
        found == wanted
    };
    if !alike || stem.is_empty() {
        return None;
    }
    let folder = display_path(root, dir);
    let proper = format!("{stem}{ext}");
    let shown = display_path(root, path);
    let d = if depth > 1 {
        Diagnostic::in_file(
            shown,
            format!("this file is not read: only files directly in {folder}/ are, not in folders inside it"),
        )
        .with_help(format!("move it to {folder}/{proper}"))
    } else {
        Diagnostic::in_file(
            shown,
            format!("this file is not read: the files in {folder}/ are read only when their names end in {ext}"),
        )
        .with_help(format!("rename it to {proper}"))
    };
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(path: &str, depth: usize, ext: &str) -> Option<String> {
        let root = Path::new("/doc");
        let dir = root.join("content/chapters");
        let name = path.rsplit('/').next().unwrap();
        not_read(&dir, &dir.join(path), name, ext, depth, root).map(|d| d.to_string())
    }

    #[test]
    fn files_meant_to_be_read_are_reported() {
        assert_eq!(
            message("part-one/01-x.md", 2, ".md").unwrap(),
            "content/chapters/part-one/01-x.md: error: this file is not read: only files directly in content/chapters/ are, not in folders inside it\n  = help: move it to content/chapters/01-x.md"
        );
        assert_eq!(
            message("03-y.markdown", 1, ".md").unwrap(),
            "content/chapters/03-y.markdown: error: this file is not read: the files in content/chapters/ are read only when their names end in .md\n  = help: rename it to 03-y.md"
        );
        assert!(
            message("03-y.MD", 1, ".md")
                .unwrap()
                .contains("rename it to 03-y.md")
        );
        assert!(message("x.TOML", 1, ".toml").is_some());
    }

    #[test]
    fn other_files_are_left_alone() {
        for (path, depth) in [
            ("cover.jpg", 1),
            ("images/map.png", 2),
            ("notes.txt", 1),
            ("README", 1),
        ] {
            assert_eq!(message(path, depth, ".md"), None, "{path}");
        }
        assert_eq!(message("01-x.md", 1, ".toml"), None);
    }
}
