//! The record a build keeps of the files it wrote (each one's hash and stamp), so that the next
//! build, started from that tree, can tell an unchanged file without reading it; and the byte
//! comparisons for files with no record. A wrong record costs time, never a wrong file.

use std::fs;
use std::path::Path;

/// In the tree kept for the next build: the record of its own files, and of the output's.
pub(super) const MANIFEST: &str = ".dossier-manifest";
pub(super) const MANIFEST_OUT: &str = ".dossier-manifest-out";

/// What a build put in its tree, file by file: the bytes' XXH3-128 and the file's stamp right
/// after. A build started from that tree takes a file whose stamp is unchanged as holding those
/// bytes without reading it; anything else (no record, a file touched since, a stale record) is
/// read and compared as before, so a wrong record costs time, never a wrong file.
#[derive(Default)]
pub(super) struct Manifest(pub(super) std::collections::HashMap<String, (Stamp, u128)>);

/// What says a file is untouched: inode, size, and modification and change times to the
/// nanosecond (the change time moves with any write or new link, and cannot be set back).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp([i64; 6]);

impl Stamp {
    #[cfg(unix)]
    pub(super) fn of(m: &fs::Metadata) -> Option<Stamp> {
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
    pub(super) fn of(_: &fs::Metadata) -> Option<Stamp> {
        None
    }
}

impl Manifest {
    /// Lines of `ino size mtime mtime_ns ctime ctime_ns hash path`; lines that do not parse are
    /// left out.
    pub(super) fn parse(text: &str) -> Manifest {
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
    pub(super) fn holds(&self, rel: &str, path: &Path, hash: u128) -> bool {
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
pub(super) fn same_file_bytes(path: &Path, bytes: &[u8]) -> bool {
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
pub(super) fn same_as_file(path: &Path, src: &Path) -> bool {
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
