//! Watching the project: which changes concern the site (site.toml and the source folders, not
//! editors' backups), the folders to watch as they come and go, and the debounce that makes one
//! save one rebuild. Also the channel the serve loop waits on, which carries the watcher's
//! changes, the HTTP side's warnings and the request to stop. Building is the serve loop's.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::diagnostics::Error;

/// Quiet time after a change before rebuilding, so one save is one build...
const DEBOUNCE: Duration = Duration::from_millis(30);
/// ...or less after a change that ends a save (a file closed after writing, or renamed into
/// place), when only what an editor does right after it (a backup removed) is waited for...
const SAVED_DEBOUNCE: Duration = Duration::from_millis(5);
/// ...unless changes keep coming for this long.
const DEBOUNCE_MAX: Duration = Duration::from_secs(2);
/// The folders and file whose changes trigger a rebuild.
const WATCHED_DIRS: [&str; 3] = ["content", "templates", "static"];

/// What the serve loop is told.
pub(super) enum Msg {
    /// Paths that changed, and whether the change ends a save.
    Changed(Vec<PathBuf>, bool),
    /// Something the user should know, from the HTTP side.
    Warning(String),
    Stop,
}

/// What the serve loop does next.
pub(super) enum Next {
    /// Rebuild: these paths (relative to the project) changed.
    Rebuild(Vec<PathBuf>),
    Warn(String),
    Stop,
}

/// The watcher, the folders it watches and the channel its changes come through.
pub(super) struct Watch {
    root: PathBuf,
    watcher: RecommendedWatcher,
    watched: Vec<PathBuf>,
    rx: Receiver<Msg>,
    tx: Sender<Msg>,
    /// Warnings that came during a debounce, told next.
    pending: Vec<String>,
}

impl Watch {
    /// Start watching `root` (a canonical path).
    pub(super) fn start(root: &Path) -> Result<Watch, Error> {
        let (tx, rx) = mpsc::channel();
        let watch_tx = tx.clone();
        let filter_root = root.to_path_buf();
        let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            let Ok(event) = res else { return };
            // Reading a file (as every build does) is not a change.
            if matches!(event.kind, EventKind::Access(a) if a != AccessKind::Close(AccessMode::Write)) {
                return;
            }
            let saved = ends_save(&event.kind);
            let paths: Vec<PathBuf> = event.paths.into_iter().filter(|p| is_source(&filter_root, p)).collect();
            if !paths.is_empty() {
                let _ = watch_tx.send(Msg::Changed(paths, saved));
            }
        })
        .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", root.display())))?;
        let mut watch = Watch {
            root: root.to_path_buf(),
            watcher,
            watched: Vec::new(),
            rx,
            tx,
            pending: Vec::new(),
        };
        watch.refresh()?;
        Ok(watch)
    }

    /// A sender into the loop's channel (to stop it, or to warn).
    pub(super) fn sender(&self) -> Sender<Msg> {
        self.tx.clone()
    }

    /// Wait for the next thing to do. Changes are debounced: after the first, wait for a quiet
    /// moment, so that one save (or a burst of them) is one build.
    pub(super) fn next(&mut self) -> Next {
        if let Some(w) = self.pending.pop() {
            return Next::Warn(w);
        }
        let (mut changed, mut saved) = match self.rx.recv() {
            Ok(Msg::Changed(paths, saved)) => (paths, saved),
            Ok(Msg::Warning(w)) => return Next::Warn(w),
            Ok(Msg::Stop) | Err(_) => return Next::Stop,
        };
        let first = Instant::now();
        while first.elapsed() < DEBOUNCE_MAX {
            let quiet = if saved { SAVED_DEBOUNCE } else { DEBOUNCE };
            match self.rx.recv_timeout(quiet) {
                Ok(Msg::Changed(more, s)) => {
                    changed.extend(more);
                    saved = s;
                }
                Ok(Msg::Warning(w)) => self.pending.push(w),
                Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => return Next::Stop,
                Err(RecvTimeoutError::Timeout) => break,
            }
        }
        changed.sort();
        changed.dedup();
        let shown = changed
            .iter()
            .map(|p| p.strip_prefix(&self.root).unwrap_or(p).to_path_buf())
            .collect();
        Next::Rebuild(shown)
    }

    /// Watch site.toml (through the project folder, so editors that replace it are seen) and
    /// each source folder that exists; folders created later are picked up after a change.
    pub(super) fn refresh(&mut self) -> Result<(), Error> {
        let mut wanted = vec![(self.root.clone(), RecursiveMode::NonRecursive)];
        for d in WATCHED_DIRS {
            let p = self.root.join(d);
            if p.is_dir() {
                wanted.push((p, RecursiveMode::Recursive));
            }
        }
        for (path, mode) in wanted {
            if self.watched.contains(&path) {
                continue;
            }
            self.watcher
                .watch(&path, mode)
                .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", path.display())))?;
            self.watched.push(path);
        }
        self.watched.retain(|p| p.exists());
        Ok(())
    }
}

/// Does this change end a save? Writing a file ends when it is closed; a file renamed into
/// place (editors that save to a temporary file) or removed is done at once.
fn ends_save(kind: &EventKind) -> bool {
    use notify::event::{ModifyKind, RenameMode};
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
            | EventKind::Remove(_)
    )
}

/// Does a change at `path` concern the site? site.toml and files under the source folders,
/// leaving out editors' hidden and backup files.
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
    {
        return false;
    }
    rel == Path::new("site.toml") || WATCHED_DIRS.iter().any(|d| rel.starts_with(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_trigger_rebuilds() {
        let root = Path::new("/p");
        assert!(is_source(root, Path::new("/p/site.toml")));
        assert!(is_source(root, Path::new("/p/content/chapters/01-a.md")));
        // A map's outlines (site.toml's [[map]] tables keep them under content/).
        assert!(is_source(root, Path::new("/p/content/maps/region.geojson")));
        assert!(is_source(root, Path::new("/p/templates/base.html")));
        assert!(is_source(root, Path::new("/p/static/img/a.png")));
        assert!(!is_source(root, Path::new("/p/public/index.html")));
        assert!(!is_source(
            root,
            Path::new("/p/content/chapters/.01-a.md.swp")
        ));
        assert!(!is_source(root, Path::new("/p/content/chapters/01-a.md~")));
        assert!(!is_source(root, Path::new("/elsewhere/site.toml")));
    }

    /// What the short debounce relies on: on this platform, the last event of a plain save and of
    /// a save through a temporary file renamed into place each say the save is over.
    #[test]
    fn saves_end_with_an_event_that_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let (tx, rx) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(e) = res {
                let _ = tx.send(e);
            }
        })
        .unwrap();
        watcher.watch(dir.path(), RecursiveMode::Recursive).unwrap();
        let last_for = |path: &Path| {
            let mut last = None;
            while let Ok(e) = rx.recv_timeout(Duration::from_millis(300)) {
                if e.paths
                    .iter()
                    .any(|p| p.ends_with(path.file_name().unwrap()))
                {
                    last = Some(e.kind);
                }
            }
            last.expect("an event for the file")
        };
        let plain = dir.path().join("a.md");
        std::fs::write(&plain, "one").unwrap();
        assert!(ends_save(&last_for(&plain)));
        std::fs::write(&plain, "two").unwrap();
        assert!(ends_save(&last_for(&plain)));
        let temp = dir.path().join(".a.md.tmp");
        std::fs::write(&temp, "three").unwrap();
        std::fs::rename(&temp, &plain).unwrap();
        assert!(ends_save(&last_for(&plain)));
        // Writing without closing yet is not the end of a save.
        let mut open = std::fs::OpenOptions::new()
            .append(true)
            .open(&plain)
            .unwrap();
        std::io::Write::write_all(&mut open, b"four").unwrap();
        assert!(!ends_save(&last_for(&plain)));
        drop(open);
        assert!(ends_save(&last_for(&plain)));
    }
}
