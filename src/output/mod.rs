//! Where a run's files go: a [`Sink`]. `build` puts them in a [`Staging`] folder swapped in
//! atomically when the run commits; `serve` keeps them in [`Memory`]; `check` [`Discard`]s them.
//! The only module that touches the output folder. It renders nothing and decides no URL.

mod manifest;
mod memory;
mod staging;
pub mod statics;
mod swap;

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::Error;

pub use memory::{Body, Files, IN_MEMORY, Memory, ProjectFile, Stamp};
pub use staging::{InPlace, Staging};
pub use statics::{BUILTIN_STATIC, StaticFile, StaticSource};

/// The file that marks a folder as Dossier's output, so a rebuild may replace it.
pub const MARKER: &str = ".dossier-build";
const MARKER_TEXT: &str = "This folder was built by Dossier; `dossier build` replaces it whole.\n";

/// Where the files of a run go, from any thread, in any order. Only a run with no errors
/// commits its sink; one dropped uncommitted leaves nothing behind.
pub trait Sink: Sync {
    /// What a committed sink gives back (`serve`'s files).
    type Done;
    /// Put one generated file at `path` (a safe relative path).
    fn put(&self, path: &str, bytes: &Bytes) -> Result<(), Error>;
    /// Put one static file at `path`.
    fn put_static(&self, path: &str, source: &StaticSource) -> Result<(), Error>;
    /// Put the files `make` makes, all under `folder`, which only a reader's browser asks for
    /// (the search index). By default they are made now; a sink may make them when first asked
    /// for (`serve`) or never (`check`). Returns how many files were put now.
    fn put_later(&self, folder: &str, make: Later) -> Result<usize, Error> {
        let _ = folder;
        let files = make();
        for f in &files {
            self.put(&f.path, &f.bytes)?;
        }
        Ok(files.len())
    }
    /// The run succeeded: what was put becomes the site.
    fn commit(self) -> Result<Self::Done, Error>;
}

/// A file of the built site: its path under the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: String,
    pub bytes: Bytes,
}

/// What makes the files of [`Sink::put_later`]: a pure function of what it owns.
pub type Later = Box<dyn FnOnce() -> Vec<Output> + Send>;

/// A file's bytes, shared: a page a memo keeps, or that serve holds, is not copied.
pub type Bytes = Arc<Vec<u8>>;

/// Files kept nowhere: what `check` writes.
pub struct Discard;

impl Sink for Discard {
    type Done = ();

    fn commit(self) -> Result<(), Error> {
        Ok(())
    }

    fn put(&self, _: &str, _: &Bytes) -> Result<(), Error> {
        Ok(())
    }

    fn put_static(&self, _: &str, _: &StaticSource) -> Result<(), Error> {
        Ok(())
    }

    /// Nothing would keep them: they are not made.
    fn put_later(&self, _: &str, _: Later) -> Result<usize, Error> {
        Ok(0)
    }
}

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
pub fn absolute(root: &Path, out: &Path) -> PathBuf {
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
    if let (Some(parent), Some(name)) = (clean.parent(), clean.file_name())
        && let Ok(real) = fs::canonicalize(parent)
    {
        return real.join(name);
    }
    clean
}

/// A relative path with no `..`, no absolute part, no backslash and no NUL.
pub fn is_safe_rel(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && !p.contains('\0')
        && p.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

#[cfg(test)]
mod tests;
