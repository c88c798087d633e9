//! The folders around a build: its temporary folder, the swap that puts it in place of the
//! output (one atomic exchange, or two renames where there is none), the previous site kept for
//! the next build, and the leftovers of killed builds. Where the output cannot be swapped (it is
//! a mount point, or the folder it is in cannot be written), [`replace_in_place`] puts a tree
//! built inside the output in place of the output's contents instead: not atomic, but a build
//! that fails still changes nothing. What goes into the trees is `staging`'s.
//!
//! Trees Dossier keeps may have been made read-only (`chmod -R a-w public` on a published
//! site, which a later build swaps out and keeps): before one is written to or removed, its
//! folders are made writable again ([`with_permission`], [`discard`]). Only folders: a file is
//! never changed in place, so a hard-linked backup of one stays as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::Error;

use super::MARKER;

/// A new, empty temporary folder in `parent` (beside the output, or inside it when the build
/// writes in place), this build's alone: named after the process and a number that
/// `create_dir` makes unique, so builds in different processes or threads never share one.
pub(super) fn reserve_tmp(parent: &Path, name: &str) -> io::Result<PathBuf> {
    let pid = std::process::id();
    for n in 0u32.. {
        let tmp = parent.join(format!(".{name}.dossier-tmp-{pid}-{n}"));
        match fs::create_dir(&tmp) {
            Ok(()) => return Ok(tmp),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
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
pub(super) fn swap(
    tmp: &Path,
    out: &Path,
    prev: &Path,
    records: [(&str, &str); 2],
) -> Result<(), Error> {
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
        fs::rename(out, &old).map_err(|e| cannot_swap(out, e))?;
        if let Err(e) = fs::rename(tmp, out) {
            let _ = fs::rename(&old, out);
            return Err(cannot_swap(out, e));
        }
        keep_as_prev(&old, prev, records);
        return Ok(());
    }
    // `tmp` now holds the previous site.
    keep_as_prev(tmp, prev, records);
    Ok(())
}

/// The error for an output that cannot be replaced, with what the swap needs when that is why.
fn cannot_swap(out: &Path, e: io::Error) -> Error {
    let busy = matches!(e.raw_os_error(), Some(libc::EBUSY | libc::EXDEV));
    if !busy {
        return Error::io(out, "replace", e);
    }
    Error::Usage(format!(
        "cannot replace {}: {e}. Dossier builds the site in a folder beside the output and swaps the two, which a mount point (such as a container's volume) does not allow; build into a folder inside it (--out {}/site), or mount the folder above it",
        out.display(),
        out.display()
    ))
}

/// Keep a replaced site for the next build to start from, with the records of what it and the
/// new output hold; git is told to ignore it. A site that cannot be kept (it was made
/// read-only, or another build kept one already) is removed.
fn keep_as_prev(old: &Path, prev: &Path, records: [(&str, &str); 2]) {
    // (New files: a published static `.gitignore` may be hard-linked from a backup.)
    let write = |name: &str, text: &str| {
        with_permission(&old.join(name), |p| {
            let _ = fs::remove_file(p);
            fs::write(p, text)
        })
    };
    let kept = records.iter().all(|(name, text)| write(name, text).is_ok())
        && write(
            ".gitignore",
            "# Dossier's previous build, kept to make the next one fast.\n*\n",
        )
        .is_ok()
        && !prev.exists()
        && fs::rename(old, prev).is_ok();
    if !kept {
        discard(old);
    }
}

/// Set (to anything) in the environment, this makes `exchange` fail as it does where there is no
/// atomic exchange (macOS, Windows, some file systems), so that the tests run the two-rename
/// fallback on Linux too. Only the tests set it.
const NO_EXCHANGE_VAR: &str = "DOSSIER_TEST_NO_EXCHANGE";

/// Swap folders `a` and `b` in one step, or fail (nothing moved) where that cannot be done.
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    if std::env::var_os(NO_EXCHANGE_VAR).is_some() {
        return Err(io::Error::other("no atomic exchange (forced by the tests)"));
    }
    exchange_atomic(a, b)
}

#[cfg(target_os = "linux")]
fn exchange_atomic(a: &Path, b: &Path) -> io::Result<()> {
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
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange_atomic(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::other("no atomic exchange"))
}

/// Set (to anything) in the environment, this makes every output folder count as a mount point,
/// so that the tests can run the build in place where they cannot mount a folder (not root).
/// Only the tests set it.
const MOUNT_POINT_VAR: &str = "DOSSIER_TEST_MOUNT_POINT";

/// Is `dir` a mount point (where a rename into or out of it cannot go)? On another device than
/// its parent, or (Linux) the root of a mount of the same file system: a bind mount, as
/// `docker run -v $PWD/public:…` makes.
pub(super) fn is_mount_point(dir: &Path) -> bool {
    if std::env::var_os(MOUNT_POINT_VAR).is_some() {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let device = |p: &Path| fs::metadata(p).map(|m| m.dev()).ok();
        if let Some(parent) = dir.parent()
            && device(dir).is_some()
            && device(dir) != device(parent)
        {
            return true;
        }
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let Ok(path) = CString::new(dir.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: a valid NUL-terminated path and a buffer statx fills; nothing is kept.
        let mut buf: libc::statx = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::statx(libc::AT_FDCWD, path.as_ptr(), 0, 0, &mut buf) };
        let root = libc::STATX_ATTR_MOUNT_ROOT as u64;
        return r == 0 && buf.stx_attributes_mask & root != 0 && buf.stx_attributes & root != 0;
    }
    #[allow(unreachable_code)]
    false
}

/// Put the tree `tmp`, built inside `out`, in place of `out`'s contents, where `out` cannot be
/// swapped: `out`'s entries are moved into a second folder inside it, `tmp`'s moved out into
/// `out`, then that folder is removed. Every move is a rename within `out`'s file system, two
/// for each entry at the top of the site, so the site is incomplete for a moment only, but it
/// is: a reader, or a build killed then, may find a mix of the two sites. `out` always holds
/// the marker (the new one replaces the old one last), and the temporary folders theirs, so
/// the next build recognizes and cleans up what a killed one left.
pub(super) fn replace_in_place(tmp: &Path, out: &Path, name: &str) -> Result<(), Error> {
    let trash = reserve_tmp(out, name).map_err(|e| Error::io(out, "write in", e))?;
    fs::write(trash.join(MARKER), super::MARKER_TEXT).map_err(|e| Error::io(&trash, "write", e))?;
    let ours = format!(".{name}.dossier-tmp-");
    let entries = |dir: &Path| -> Result<Vec<std::ffi::OsString>, Error> {
        let mut names = Vec::new();
        for e in fs::read_dir(dir).map_err(|e| Error::io(dir, "read", e))? {
            let n = e.map_err(|e| Error::io(dir, "read", e))?.file_name();
            if n != MARKER && !n.to_string_lossy().starts_with(&ours) {
                names.push(n);
            }
        }
        Ok(names)
    };
    let old = entries(out)?;
    for (i, n) in old.iter().enumerate() {
        if let Err(e) = fs::rename(out.join(n), trash.join(n)) {
            // Put back what was moved: the output stays the old site.
            for n in &old[..i] {
                let _ = fs::rename(trash.join(n), out.join(n));
            }
            discard(&trash);
            return Err(Error::io(&out.join(n), "replace", e));
        }
    }
    for n in entries(tmp)? {
        fs::rename(tmp.join(&n), out.join(&n)).map_err(|e| Error::io(&out.join(&n), "write", e))?;
    }
    fs::rename(tmp.join(MARKER), out.join(MARKER))
        .map_err(|e| Error::io(&out.join(MARKER), "write", e))?;
    let _ = fs::remove_dir(tmp);
    discard(&trash);
    Ok(())
}

/// Remove the temporary folders that builds which were killed left in `parent` (their process is
/// gone). With `adopt`, the first tree of ours found is kept as the previous build instead (any
/// tree is a good start: the next build syncs it), if it can be written.
pub(super) fn clean_stale(parent: &Path, name: &str, adopt: bool) {
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
        if alive {
            continue;
        }
        // Only folders Dossier made (they hold its marker from their first moment): a folder
        // that merely has a name like these is not ours to delete.
        let ours = e.file_type().is_ok_and(|t| t.is_dir()) && e.path().join(MARKER).is_file();
        if !ours {
            // An empty one is a build killed before it wrote anything: removing it loses nothing.
            let _ = fs::remove_dir(e.path());
            continue;
        }
        let prev = prev_path(parent, name);
        let adopted =
            adopt && writable(&e.path()) && !prev.exists() && fs::rename(e.path(), &prev).is_ok();
        if !adopted {
            discard(&e.path());
        }
    }
}

/// Can entries be made and removed in folder `dir`?
pub(super) fn writable(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: a valid NUL-terminated path; access keeps nothing.
        unsafe { libc::access(path.as_ptr(), libc::W_OK) == 0 }
    }
    #[cfg(not(unix))]
    {
        fs::metadata(dir).is_ok_and(|m| !m.permissions().readonly())
    }
}

/// Run `op` on `path`; if it fails for want of permission, make the folder holding `path`
/// writable (it is in a tree of Dossier's own: its temporary folder or its kept site) and run
/// it again.
pub(super) fn with_permission<T>(
    path: &Path,
    op: impl Fn(&Path) -> io::Result<T>,
) -> io::Result<T> {
    match op(path) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            match path.parent() {
                Some(dir) => make_writable(dir)?,
                None => return Err(e),
            }
            op(path)
        }
        other => other,
    }
}

/// Give the owner the right to write in folder `dir`.
fn make_writable(dir: &Path) -> io::Result<()> {
    let mut perms = fs::symlink_metadata(dir)?.permissions();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        perms.set_mode(perms.mode() | 0o700);
    }
    #[cfg(not(unix))]
    perms.set_readonly(false);
    fs::set_permissions(dir, perms)
}

/// Remove a folder of one of Dossier's own trees, making its folders writable where they are
/// not (a published site made read-only).
pub(super) fn remove_tree(dir: &Path) -> io::Result<()> {
    let first = fs::remove_dir_all(dir);
    if first.is_ok() || !fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return first;
    }
    if let Some(parent) = dir.parent() {
        let _ = make_writable(parent);
    }
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_dir() {
            let _ = make_writable(e.path());
        }
    }
    fs::remove_dir_all(dir)
}

/// Remove one of Dossier's own trees as far as it can be: what cannot (not ours to change) is
/// left.
pub(super) fn discard(dir: &Path) {
    let _ = remove_tree(dir);
}
