//! What `dossier serve` keeps from one rebuild to the next: chapters' rendered Markdown and
//! rendered pages, each by a 128-bit fingerprint of everything it was made from.
//! A build without a `Cache` is a plain build; with one, it only redoes what changed.

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::{Arc, Mutex};

use crate::markdown::Rendered;

/// The caches of one `dossier serve`.
#[derive(Default)]
pub struct Cache {
    /// Chapters' Markdown, by its text and everything its references resolve against.
    pub markdown: Memo<Rendered>,
    /// Biographies' and event summaries' Markdown, with their plain text.
    pub fragments: Memo<(Rendered, String)>,
    /// Pages, by their template (and all templates) and their view.
    pub pages: Memo<Arc<String>>,
}

impl Cache {
    /// Start a build: what the build before last made and the last one did not use is dropped.
    pub fn next_build(&self) {
        self.markdown.next_build();
        self.fragments.next_build();
        self.pages.next_build();
    }
}

/// Values by fingerprint, in two generations: this build's and the last one's, so it holds what
/// the last two builds used and no more.
pub struct Memo<V> {
    maps: Mutex<(HashMap<u128, V>, HashMap<u128, V>)>,
    /// Values made (put) since the build started: what it could not reuse.
    made: std::sync::atomic::AtomicUsize,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo { maps: Mutex::new((HashMap::new(), HashMap::new())), made: Default::default() }
    }
}

impl<V: Clone> Memo<V> {
    pub fn next_build(&self) {
        let mut m = self.maps.lock().expect("not poisoned");
        m.1 = std::mem::take(&mut m.0);
        self.made.store(0, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn get(&self, key: u128) -> Option<V> {
        let mut m = self.maps.lock().expect("not poisoned");
        if let Some(v) = m.0.get(&key) {
            return Some(v.clone());
        }
        let v = m.1.remove(&key)?;
        m.0.insert(key, v.clone());
        Some(v)
    }

    pub fn put(&self, key: u128, value: V) {
        self.maps.lock().expect("not poisoned").0.insert(key, value);
        self.made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many values this build made rather than reused.
    pub fn made(&self) -> usize {
        self.made.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn len(&self) -> usize {
        self.maps.lock().expect("not poisoned").0.len()
    }
}

/// A 128-bit XXH3 of everything written, as a `Hasher` (for `Hash` values) and an `io::Write`
/// (for `serde_json::to_writer`).
pub struct Fingerprint(xxhash_rust::xxh3::Xxh3);

impl Fingerprint {
    pub fn new(seed: u64) -> Fingerprint {
        Fingerprint(xxhash_rust::xxh3::Xxh3::with_seed(seed))
    }

    pub fn finish128(&self) -> u128 {
        self.0.digest128()
    }
}

impl Hasher for Fingerprint {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(&self) -> u64 {
        self.0.digest()
    }
}

impl std::io::Write for Fingerprint {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    fn fp(s: &str) -> u128 {
        let mut f = Fingerprint::new(1);
        s.hash(&mut f);
        f.finish128()
    }

    #[test]
    fn fingerprints_tell_inputs_apart() {
        assert_eq!(fp("a"), fp("a"));
        assert_ne!(fp("a"), fp("b"));
        let mut f = Fingerprint::new(2);
        "a".hash(&mut f);
        assert_ne!(f.finish128(), fp("a"), "the seed counts");
    }

    #[test]
    fn a_memo_keeps_what_the_last_two_builds_used() {
        let m: Memo<u32> = Memo::default();
        m.put(1, 10);
        m.put(2, 20);
        m.next_build();
        assert_eq!(m.get(1), Some(10), "last build's value");
        m.next_build();
        assert_eq!(m.get(1), Some(10), "used by the last build, so kept");
        assert_eq!(m.get(2), None, "unused for a whole build: dropped");
        assert_eq!(m.len(), 1);
        assert_eq!(m.made(), 0, "nothing made since the build started");
    }
}
