//! A site held in memory: what `dossier serve` serves. Owns [`Memory`] (the sink), the
//! [`Files`] it gives back and how each [`Body`] holds its bytes. A project's static file is
//! taken when the build puts it, never looked up by path later: up to [`IN_MEMORY`] bytes it is
//! read then, and a larger one is kept as the file the build opened (and checked), so the served
//! site is what the last good build accepted, whatever happens to `static/` after it. It serves
//! nothing (`serve` does) and decides no URL.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use super::{Bytes, Later, Sink, StaticSource};
use crate::diagnostics::Error;

/// A built site held in memory (what `dossier serve` serves), by path under the site. The files
/// of a folder put with [`Sink::put_later`] (the search index) are made the first time one of
/// them is asked for, once.
#[derive(Default)]
pub struct Files {
    made: HashMap<String, Body>,
    later: Vec<LaterFolder>,
}

/// The files of a folder made when first asked for.
struct LaterFolder {
    /// `search/`: every file made is under it.
    folder: String,
    make: Mutex<Option<Later>>,
    files: OnceLock<HashMap<String, Body>>,
}

impl LaterFolder {
    fn new(folder: String, make: Later) -> LaterFolder {
        LaterFolder {
            folder,
            make: Mutex::new(Some(make)),
            files: OnceLock::new(),
        }
    }

    fn made(make: Later) -> HashMap<String, Body> {
        make()
            .into_iter()
            .map(|o| (o.path, Body::Bytes(o.bytes)))
            .collect()
    }

    fn files(&self) -> &HashMap<String, Body> {
        self.files.get_or_init(|| {
            let make = self.make.lock().expect("later lock").take();
            LaterFolder::made(make.expect("made once"))
        })
    }

    fn into_files(self) -> HashMap<String, Body> {
        match self.make.into_inner().expect("later lock") {
            Some(make) => LaterFolder::made(make),
            None => self.files.into_inner().unwrap_or_default(),
        }
    }
}

impl Files {
    /// The file at `path`, made now if its folder's files are made when first asked for.
    pub fn get(&self, path: &str) -> Option<&Body> {
        self.made.get(path).or_else(|| {
            let later = self.later.iter().find(|l| path.starts_with(&l.folder))?;
            later.files().get(path)
        })
    }

    pub fn contains_key(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// The project's static files the build took (for the next build to take them again).
    pub fn project_files(&self) -> impl Iterator<Item = &Arc<ProjectFile>> {
        self.made.values().filter_map(|b| match b {
            Body::File(f) => Some(f),
            _ => None,
        })
    }

    /// Every file, those made when first asked for made now, in no particular order.
    pub fn into_all(self) -> impl Iterator<Item = (String, Body)> {
        let later = self.later.into_iter().flat_map(LaterFolder::into_files);
        self.made.into_iter().chain(later)
    }
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Files")
            .field("made", &self.made.len())
            .field(
                "later",
                &self.later.iter().map(|l| &l.folder).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Static files up to this size are read into memory when the build puts them; larger ones
/// (videos, say) are kept open and read a piece at a time when asked for. Memory then grows
/// with the small files only, and open files with the large ones only: a documentary with
/// 100 files of 50 MB holds 100 descriptors and none of their bytes.
pub const IN_MEMORY: u64 = 8 << 20;

/// A file written within this long of being read may be written again with the same
/// timestamps (their clock ticks coarsely), so its bytes are read again on the next build
/// rather than trusted by timestamp (git calls such an entry "racily clean").
const RACY: Duration = Duration::from_secs(1);

/// One file of a site in memory.
#[derive(Debug, Clone)]
pub enum Body {
    /// Made by the run: a page, a feed, the search index.
    Bytes(Bytes),
    /// One of Dossier's built-in static files.
    Static(&'static [u8]),
    /// A file of the project's `static/`, as the build took it.
    File(Arc<ProjectFile>),
}

impl Body {
    /// The file's size in bytes.
    pub fn len(&self) -> u64 {
        match self {
            Body::Bytes(b) => b.len() as u64,
            Body::Static(b) => b.len() as u64,
            Body::File(f) => f.stamp.len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole file's bytes, copied (for tests and tools; `serve` streams them).
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Body::Bytes(b) => Ok(b.to_vec()),
            Body::Static(b) => Ok(b.to_vec()),
            Body::File(f) => {
                let mut buf = vec![0; f.stamp.len as usize];
                let mut at = 0;
                while at < buf.len() {
                    match f.read_at(&mut buf[at..], at as u64)? {
                        0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                        n => at += n,
                    }
                }
                Ok(buf)
            }
        }
    }
}

/// A project's static file as a build took it: its bytes, or for a large one the file the
/// build opened (it keeps its content even if the path is later replaced or removed).
#[derive(Debug)]
pub struct ProjectFile {
    pub stamp: Stamp,
    held: Held,
    /// When the bytes were read (for [`RACY`]).
    read_at: SystemTime,
}

#[derive(Debug)]
enum Held {
    Bytes(Bytes),
    Open(File),
}

/// What identifies a file's content without reading it: the file (device and inode), its size
/// and its times. A rename, a replacement or a write changes at least one of them; `ctime`
/// cannot be set back by any tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub dev: u64,
    pub ino: u64,
    pub len: u64,
    pub modified: SystemTime,
    changed: (i64, i64),
}

impl Stamp {
    #[cfg(unix)]
    fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt as _;
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            changed: (meta.ctime(), meta.ctime_nsec()),
        }
    }

    #[cfg(not(unix))]
    fn of(meta: &fs::Metadata) -> Stamp {
        Stamp {
            dev: 0,
            ino: 0,
            len: meta.len(),
            modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            changed: (0, 0),
        }
    }

    fn changed_at(&self) -> SystemTime {
        let (s, ns) = self.changed;
        SystemTime::UNIX_EPOCH + Duration::new(s.max(0) as u64, ns.clamp(0, 999_999_999) as u32)
    }
}

impl ProjectFile {
    /// The bytes, when the file is held in memory.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.held {
            Held::Bytes(b) => Some(b),
            Held::Open(_) => None,
        }
    }

    /// Read up to `buf.len()` bytes at `offset` (0 at the end of the file).
    pub fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
        match &self.held {
            Held::Bytes(b) => {
                let start = usize::try_from(offset).unwrap_or(usize::MAX).min(b.len());
                let n = buf.len().min(b.len() - start);
                buf[..n].copy_from_slice(&b[start..start + n]);
                Ok(n)
            }
            Held::Open(f) => read_at(f, buf, offset),
        }
    }

    /// May the next build take this instead of reading the file again? Only when the file is
    /// the same one with the same size and times, and was not written right around the read.
    fn same_as(&self, now: &Stamp) -> bool {
        self.stamp == *now
            && match self.held {
                Held::Open(_) => true,
                Held::Bytes(_) => now.changed_at() + RACY < self.read_at,
            }
    }
}

#[cfg(unix)]
fn read_at(f: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(f, buf, offset)
}

#[cfg(windows)]
fn read_at(f: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(f, buf, offset)
}

/// The files of a run, kept in memory: what `serve` serves.
#[derive(Default)]
pub struct Memory {
    files: Mutex<HashMap<String, Body>>,
    later: Mutex<Vec<LaterFolder>>,
    /// Set by [`Memory::for_project`]: where static files must be, and what the last build took.
    project: Option<Project>,
}

struct Project {
    /// The project folder, links resolved: every static file opened must be inside it.
    root: PathBuf,
    /// The last build's static files, by device and inode.
    previous: HashMap<(u64, u64), Arc<ProjectFile>>,
}

impl Memory {
    /// `serve`'s sink: each static file opened is checked to be inside `root` (a link swapped in
    /// after the listing is refused), and one unchanged since `previous` is taken from it rather
    /// than read again.
    pub fn for_project(root: &Path, previous: Option<&Files>) -> Memory {
        let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let previous = previous
            .into_iter()
            .flat_map(Files::project_files)
            .map(|f| ((f.stamp.dev, f.stamp.ino), Arc::clone(f)))
            .collect();
        Memory {
            project: Some(Project { root, previous }),
            ..Memory::default()
        }
    }

    /// Open a project's static file as this build accepts it.
    fn take(&self, path: &Path) -> Result<Arc<ProjectFile>, Error> {
        let file = open_regular(path)?;
        let meta = file.metadata().map_err(|e| Error::io(path, "read", e))?;
        if !meta.is_file() {
            return Err(Error::Usage(format!(
                "{} is no longer a regular file",
                path.display()
            )));
        }
        let stamp = Stamp::of(&meta);
        if let Some(project) = &self.project {
            check_inside(&file, path, &project.root)?;
            if let Some(prev) = project.previous.get(&(stamp.dev, stamp.ino))
                && prev.same_as(&stamp)
            {
                return Ok(Arc::clone(prev));
            }
        }
        let read_at = SystemTime::now();
        let held = if stamp.len <= IN_MEMORY {
            let mut bytes = Vec::with_capacity(stamp.len as usize);
            (&file)
                .take(IN_MEMORY + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io(path, "read", e))?;
            if bytes.len() as u64 != stamp.len {
                return Err(Error::Usage(format!(
                    "{} changed while it was read; the next build takes it",
                    path.display()
                )));
            }
            Held::Bytes(Arc::new(bytes))
        } else {
            Held::Open(file)
        };
        Ok(Arc::new(ProjectFile {
            stamp,
            held,
            read_at,
        }))
    }
}

/// Open for reading without blocking on a FIFO (a regular file ignores the flag).
fn open_regular(path: &Path) -> Result<File, Error> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path).map_err(|e| Error::io(path, "read", e))
}

/// The listing followed `static/`'s links only while they stayed inside the project; the file
/// opened now must still be there (a link can be swapped in between). Where the system says
/// which file a descriptor is (`/proc`), that is checked.
fn check_inside(file: &File, path: &Path, root: &Path) -> Result<(), Error> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd as _;
        if let Ok(real) = fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))
            && !real.starts_with(root)
        {
            return Err(Error::Usage(format!(
                "{} now leads outside the project (to {}); it is not published",
                path.display(),
                real.display()
            )));
        }
    }
    let _ = (file, path, root);
    Ok(())
}

impl Sink for Memory {
    type Done = Files;

    fn commit(self) -> Result<Files, Error> {
        Ok(Files {
            made: self.files.into_inner().expect("files lock"),
            later: self.later.into_inner().expect("later lock"),
        })
    }

    /// Made when first asked for: a rebuild does not wait for files no one may ask for.
    fn put_later(&self, folder: &str, make: Later) -> Result<usize, Error> {
        let later = LaterFolder::new(folder.to_string(), make);
        self.later.lock().expect("later lock").push(later);
        Ok(0)
    }

    fn put(&self, path: &str, bytes: &Bytes) -> Result<(), Error> {
        self.files
            .lock()
            .expect("files lock")
            .insert(path.to_string(), Body::Bytes(Arc::clone(bytes)));
        Ok(())
    }

    fn put_static(&self, path: &str, source: &StaticSource) -> Result<(), Error> {
        let body = match source {
            StaticSource::Builtin(b) => Body::Static(b),
            StaticSource::File(p) => Body::File(self.take(p)?),
        };
        self.files
            .lock()
            .expect("files lock")
            .insert(path.to_string(), body);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(memory: &Memory, path: &Path) -> Result<Arc<ProjectFile>, Error> {
        memory.put_static("x", &StaticSource::File(path.to_path_buf()))?;
        match memory.files.lock().unwrap().remove("x") {
            Some(Body::File(f)) => Ok(f),
            other => panic!("{other:?}"),
        }
    }

    fn content(f: &Arc<ProjectFile>) -> Vec<u8> {
        Body::File(Arc::clone(f)).read().unwrap()
    }

    #[test]
    fn a_static_file_is_what_the_build_read_whatever_comes_later() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("note.txt");
        fs::write(&small, "ok").unwrap();
        let large = dir.path().join("film.bin");
        fs::write(&large, vec![7u8; IN_MEMORY as usize + 1]).unwrap();
        let memory = Memory::for_project(dir.path(), None);
        let (s, l) = (put(&memory, &small).unwrap(), put(&memory, &large).unwrap());
        assert!(s.bytes().is_some() && l.bytes().is_none());
        // Both paths replaced by another file: the site keeps what the build took.
        let other = dir.path().join("other");
        fs::write(&other, "secret").unwrap();
        fs::rename(&other, &small).unwrap();
        fs::remove_file(&large).unwrap();
        assert_eq!(content(&s), b"ok");
        assert_eq!(content(&l).len(), IN_MEMORY as usize + 1);
        let mut tail = [0u8; 4];
        assert_eq!(l.read_at(&mut tail, IN_MEMORY - 1).unwrap(), 2);
        assert_eq!(&tail[..2], &[7, 7]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_outside_the_project_is_refused_even_through_a_link() {
        let project = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let secret = elsewhere.path().join("secret");
        fs::write(&secret, "secret").unwrap();
        let link = project.path().join("note.txt");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        let memory = Memory::for_project(project.path(), None);
        let err = put(&memory, &link).unwrap_err().to_string();
        assert!(err.contains("now leads outside the project"), "{err}");
    }

    #[test]
    fn an_unchanged_file_is_taken_from_the_last_build() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.css");
        fs::write(&path, "a{}").unwrap();
        let old = ProjectFile {
            read_at: SystemTime::now() + Duration::from_secs(5),
            ..Arc::into_inner(put(&Memory::for_project(dir.path(), None), &path).unwrap()).unwrap()
        };
        let mut files = Files::default();
        files.made.insert("a.css".into(), Body::File(Arc::new(old)));
        let again = put(&Memory::for_project(dir.path(), Some(&files)), &path).unwrap();
        let Some(Body::File(kept)) = files.get("a.css") else {
            unreachable!()
        };
        assert!(Arc::ptr_eq(kept, &again));
        // Written just now: read again, not trusted by its timestamps.
        fs::write(&path, "b{}").unwrap();
        let fresh = put(&Memory::for_project(dir.path(), Some(&files)), &path).unwrap();
        assert_eq!(content(&fresh), b"b{}");
    }

    /// A sink whose `search/` files count how many times they were made.
    fn later(made: &Arc<std::sync::atomic::AtomicUsize>) -> Files {
        let memory = Memory::default();
        let page: Bytes = Arc::new(b"<p>".to_vec());
        memory.put("index.html", &page).unwrap();
        let made = Arc::clone(made);
        let make: Later = Box::new(move || {
            made.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let file = |path: &str| super::super::Output {
                path: path.into(),
                bytes: Arc::new(path.as_bytes().to_vec()),
            };
            vec![file("search/meta.json"), file("search/index/0.json")]
        });
        assert_eq!(memory.put_later("search/", make).unwrap(), 0);
        memory.commit().unwrap()
    }

    #[test]
    fn files_put_later_are_made_once_when_first_asked_for() {
        use std::sync::atomic::Ordering::SeqCst;
        let made = Arc::default();
        let files = later(&made);
        assert!(files.contains_key("index.html"));
        assert!(!files.contains_key("searching.html"));
        assert_eq!(made.load(SeqCst), 0, "not made before a reader asks");
        let body = files.get("search/meta.json").unwrap().read().unwrap();
        assert_eq!(body, b"search/meta.json");
        assert!(files.contains_key("search/index/0.json"));
        assert!(!files.contains_key("search/index/1.json"));
        assert_eq!(made.load(SeqCst), 1, "made once");
    }

    #[test]
    fn every_file_includes_those_put_later() {
        let made = Arc::default();
        let mut all: Vec<String> = later(&made).into_all().map(|(p, _)| p).collect();
        all.sort();
        assert_eq!(
            all,
            ["index.html", "search/index/0.json", "search/meta.json"]
        );
    }
}
