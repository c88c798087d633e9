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

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Error;

use super::manifest::{MANIFEST, MANIFEST_OUT, Manifest, Stamp, same_as_file, same_file_bytes};
use super::statics::StaticSource;
use super::{MARKER, MARKER_TEXT, Sink, is_safe_rel};

/// A site being written: a temporary folder beside the output, started from the previous
/// build's tree when there is one. Pages go in with [`Staging::put`] (from any thread, in any
/// order), which writes only files whose bytes differ; [`Staging::commit`] removes whatever was not put, and swaps the folder in. Until then the output is
/// untouched, and a staging dropped uncommitted leaves it so.
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
    /// Swapped in: nothing to clean up when dropped.
    committed: bool,
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
            committed: false,
        };
        staging.put(MARKER, MARKER_TEXT.as_bytes())?;
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
                if let Err(e) = fs::create_dir(&at)
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
    fn abandon(&mut self) {
        if !(self.reused && !self.prev.exists() && fs::rename(&self.tmp, &self.prev).is_ok()) {
            let _ = fs::remove_dir_all(&self.tmp);
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
pub(super) fn prev_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.dossier-prev"))
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
        // No atomic exchange on this system or file system: two renames, with a short gap in
        // which the output is missing (never half-written). If the second fails, the old site
        // is put back.
        let mut old = tmp.as_os_str().to_owned();
        old.push(".old");
        let old = PathBuf::from(old);
        fs::rename(out, &old).map_err(|e| Error::io(out, "replace", e))?;
        if let Err(e) = fs::rename(tmp, out) {
            let _ = fs::rename(&old, out);
            return Err(Error::io(out, "replace", e));
        }
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

/// Set (to anything) in the environment, this makes `exchange` fail as it does where there is no
/// atomic exchange (macOS, Windows, some file systems), so that the tests run the two-rename
/// fallback on Linux too. Only the tests set it.
const NO_EXCHANGE_VAR: &str = "DOSSIER_TEST_NO_EXCHANGE";

/// Swap folders `a` and `b` in one step, or fail (nothing moved) where that cannot be done.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    if std::env::var_os(NO_EXCHANGE_VAR).is_some() {
        return Err(std::io::Error::other(
            "no atomic exchange (forced by the tests)",
        ));
    }
    exchange_atomic(a, b)
}

#[cfg(target_os = "linux")]
fn exchange_atomic(a: &Path, b: &Path) -> std::io::Result<()> {
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
fn exchange_atomic(_: &Path, _: &Path) -> std::io::Result<()> {
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
