//! Writing a site to disk atomically: pages go into a temporary folder beside the output as
//! they are rendered, and the folder is swapped in with one `renameat2(RENAME_EXCHANGE)` when
//! the build commits, so a failed or killed build leaves the previous site complete. The
//! [`Staging`] is a guard: dropped without [`Staging::commit`], it leaves the output as it was.
//!
//! Rebuilds are cheap: the site the swap replaces is kept beside the output as
//! `.<out>.dossier-prev` (with a `.gitignore` of `*`, so git does not list it), and the next
//! build starts its temporary folder from it, writing only the files whose bytes differ and
//! deleting the ones no longer produced. Unchanged pages cost a read, not a create, a write and
//! a delete, and the tree that is swapped in is still complete and byte-exact.
//!
//! Where the output cannot be swapped (a mount point, or a folder above it that cannot be
//! written), the build is made in a temporary folder inside the output and moved into place at
//! the end ([`InPlace`]), with a warning that says what is lost. The folders themselves (the
//! swap, the kept site, leftovers, the move in place) are `swap`'s.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Error};

use super::manifest::{MANIFEST, MANIFEST_OUT, Manifest, Stamp, same_as_file, same_file_bytes};
use super::statics::StaticSource;
use super::swap::{self, remove_tree, with_permission};
use super::{MARKER, MARKER_TEXT, Sink, is_safe_rel};

/// A site being written: a temporary folder beside the output, started from the previous
/// build's tree when there is one. Pages go in with [`Staging::put`] (from any thread, in any
/// order), which writes only files whose bytes differ; [`Staging::commit`] removes whatever was not put, and swaps the folder in. Until then the output is
/// untouched, and a staging dropped uncommitted leaves it so.
pub struct Staging {
    out: PathBuf,
    /// The output folder's name (`public`), which Dossier's folders beside it are named after.
    name: String,
    tmp: PathBuf,
    prev: PathBuf,
    /// Started from a previous tree (files may exist and are compared), or empty.
    reused: bool,
    /// Made inside the output and put in place of its contents, not swapped in (and why).
    in_place: Option<InPlace>,
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
    /// Swapped in: nothing to clean up when dropped.
    committed: bool,
}
/// Why a build writes into the output folder rather than swapping a new one in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InPlace {
    /// The output is a mount point (a container's volume): it cannot be renamed.
    MountPoint,
    /// The folder the output is in cannot be written: no folder can be made beside it.
    FolderNotWritable,
}

impl Staging {
    /// Reserve the temporary folder for a build into `out`. Refuses an `out` that holds files
    /// Dossier did not build. Where no folder can be swapped in (`out` is a mount point, or the
    /// folder it is in cannot be written, but `out` can), the build is made inside `out` and
    /// put in place of its contents at the end: see [`Staging::in_place`].
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
        if out.is_dir() && swap::is_mount_point(out) {
            return Staging::in_place(out, name, InPlace::MountPoint);
        }
        swap::clean_stale(parent, &name, true);
        let tmp = match swap::reserve_tmp(parent, &name) {
            Ok(tmp) => tmp,
            Err(e) if denied(&e) && out.is_dir() => {
                return Staging::in_place(out, name, InPlace::FolderNotWritable);
            }
            Err(e) if denied(&e) => {
                return Err(Error::Usage(format!(
                    "cannot build into {}: the folder it is in, {}, cannot be written ({e}). Dossier builds the site in a folder beside the output and swaps the two; make {} writable, or create {} and let the build write into it (in place, not swapped)",
                    out.display(),
                    parent.display(),
                    parent.display(),
                    out.display()
                )));
            }
            Err(e) => return Err(Error::io(parent, "create a folder in", e)),
        };
        let prev = swap::prev_path(parent, &name);
        // Start from the previous build's tree when there is one (a real folder of ours, never a
        // link, that can be written: one made read-only is removed). Otherwise mark the new
        // folder as ours at once, so that if this build is killed the next one knows it may
        // clean it up.
        let ours = |dir: &Path| {
            fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) && dir.join(MARKER).is_file()
        };
        if ours(&prev) && !swap::writable(&prev) {
            swap::discard(&prev);
        }
        let reused = ours(&prev) && fs::rename(&prev, &tmp).is_ok();
        Staging::start(out, name, tmp, prev, reused, None)
    }

    /// A build that writes into `out` itself: made in a temporary folder inside it (so a build
    /// that fails changes nothing but that folder, which it removes), then put in place of
    /// `out`'s contents with two renames for each entry at its top. What is lost, the swap's
    /// atomicity and the previous site kept beside, is said by [`Staging::warning`].
    fn in_place(out: &Path, name: String, why: InPlace) -> Result<Staging, Error> {
        swap::clean_stale(out, &name, false);
        let tmp = swap::reserve_tmp(out, &name).map_err(|e| {
            let what = match why {
                InPlace::MountPoint => {
                    "it is a mount point, which cannot be swapped, and it cannot be written in"
                }
                InPlace::FolderNotWritable => "neither it nor the folder it is in can be written",
            };
            Error::Usage(format!(
                "cannot build into {}: {what} ({e}); make it writable",
                out.display()
            ))
        })?;
        let prev = tmp.clone();
        Staging::start(out, name, tmp, prev, false, Some(why))
    }

    fn start(
        out: &Path,
        name: String,
        tmp: PathBuf,
        prev: PathBuf,
        reused: bool,
        in_place: Option<InPlace>,
    ) -> Result<Staging, Error> {
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
            name,
            tmp,
            prev,
            reused,
            in_place,
            folders: Default::default(),
            files: Default::default(),
            known,
            carried,
            made: Default::default(),
            committed: false,
        };
        staging.put(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Why this build writes in place, if it does, as a warning that says what is lost.
    /// `shown` is the output folder as the user named it.
    pub fn warning(&self, shown: &str) -> Option<Diagnostic> {
        let (why, fix) = match self.in_place? {
            InPlace::MountPoint => (
                "it is a mount point",
                format!("build into a folder inside it (--out {shown}/site)"),
            ),
            InPlace::FolderNotWritable => (
                "the folder it is in cannot be written",
                "make that folder writable".to_string(),
            ),
        };
        Some(
            Diagnostic::warning_in_file(
                shown,
                format!("the site is written into this folder in place, not swapped in whole: {why}"),
            )
            .with_help(format!(
                "what is lost: while the new site is moved in (a moment at the end of the build), a reader, or a build killed then, may find a mix of the old and new sites, two builds at once may mix theirs, and every file is written again as no previous site is kept to start from (a build that fails still changes nothing); to have it swapped in whole, {fix}"
            )),
        )
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
                    remove_tree(&path).map_err(|e| Error::io(&path, "replace", e))?
                }
                Ok(_) => with_permission(&path, |p| fs::remove_file(p))
                    .map_err(|e| Error::io(&path, "replace", e))?,
                Err(_) => {}
            }
        }
        with_permission(&path, &write).map_err(|e| Error::io(&path, "write", e))
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
                    Ok(_) => with_permission(&at, |p| fs::remove_file(p))
                        .map_err(|e| Error::io(&at, "replace", e))?,
                    Err(_) => {}
                }
                if let Err(e) = with_permission(&at, |p| fs::create_dir(p))
                    && e.kind() != std::io::ErrorKind::AlreadyExists
                {
                    return Err(Error::io(&at, "create", e));
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

    /// Put a static file at `rel`, from Dossier's own bytes or copied from the project.
    pub fn put_static(&self, rel: &str, source: &StaticSource) -> Result<(), Error> {
        self.files
            .lock()
            .expect("not poisoned")
            .insert(rel.to_string());
        match source {
            StaticSource::Builtin(b) => {
                self.place(rel, |p| fs::write(p, b), |p| same_file_bytes(p, b))
            }
            StaticSource::File(src) => self.place(
                rel,
                |p| fs::copy(src, p).map(|_| ()),
                |p| same_as_file(p, src),
            ),
        }
    }

    /// Everything not put removed, then the swap: the output is the new site.
    pub fn commit(mut self) -> Result<(), Error> {
        if self.in_place.is_some() {
            swap::replace_in_place(&self.tmp, &self.out, &self.name)?;
            self.committed = true;
            return Ok(());
        }
        if self.reused {
            self.remove_unput()?;
        }
        let made = self.made.lock().expect("not poisoned").to_string();
        swap::swap(
            &self.tmp,
            &self.out,
            &self.prev,
            [
                (MANIFEST, self.carried.as_str()),
                (MANIFEST_OUT, made.as_str()),
            ],
        )?;
        self.committed = true;
        Ok(())
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
                    remove_tree(&path).map_err(|e| Error::io(&path, "remove", e))
                } else if kind.is_file() && files.contains(&here) {
                    Ok(())
                } else {
                    with_permission(&path, |p| fs::remove_file(p))
                        .map_err(|e| Error::io(&path, "remove", e))
                }
            })
        }
        sweep(&self.tmp, "", &files, &folders)
    }
    /// Give up: the output stays as it was. A tree started from the previous build is kept for
    /// the next build to start from (any tree is a good start: the next build syncs it).
    fn abandon(&mut self) {
        if !(self.reused && !self.prev.exists() && fs::rename(&self.tmp, &self.prev).is_ok()) {
            swap::discard(&self.tmp);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            self.abandon();
        }
    }
}

impl Sink for Staging {
    type Done = ();

    fn commit(self) -> Result<(), Error> {
        Staging::commit(self)
    }

    fn put(&self, path: &str, bytes: &super::Bytes) -> Result<(), Error> {
        Staging::put(self, path, bytes)
    }

    fn put_static(&self, path: &str, source: &StaticSource) -> Result<(), Error> {
        Staging::put_static(self, path, source)
    }
}

/// Is this the system saying a folder cannot be written (no permission, a read-only file system)?
fn denied(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::PermissionDenied
        || matches!(
            e.raw_os_error(),
            Some(libc::EROFS | libc::EPERM | libc::EACCES)
        )
}
