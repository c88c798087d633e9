//! Memoized calls of pure functions, for `dossier serve`'s rebuilds. A call is keyed by the
//! fingerprint of its whole input and the function it calls (a plain `fn`, which captures
//! nothing), so a key cannot leave out something the result depends on: the input is all there
//! is. Results live two generations: what this build used and what the last one made, so the
//! memo holds about one site's worth and no more. A disabled memo (`build`, `check`) just calls.

use std::any::Any;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::fingerprint::Fingerprint;

type Value = std::sync::Arc<dyn Any + Send + Sync>;

/// The results of earlier calls, by the fingerprint of (function, input).
pub struct Memo {
    enabled: bool,
    maps: Mutex<Generations>,
    made: AtomicUsize,
    reused: AtomicUsize,
}

#[derive(Default)]
struct Generations {
    this: HashMap<u128, Value>,
    last: HashMap<u128, Value>,
}

impl Default for Memo {
    /// A memo that remembers nothing: each call is made.
    fn default() -> Memo {
        Memo::off()
    }
}

impl Memo {
    /// A memo that keeps results from one build to the next.
    pub fn new() -> Memo {
        Memo {
            enabled: true,
            maps: Mutex::default(),
            made: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
        }
    }

    /// A memo that remembers nothing: [`Memo::call`] is a plain call.
    pub fn off() -> Memo {
        Memo {
            enabled: false,
            ..Memo::new()
        }
    }

    /// `f(input)`, or the result of an earlier call of `f` with an equal input.
    pub fn call<I, O>(&self, input: &I, f: fn(&I) -> O) -> O
    where
        I: Hash + ?Sized,
        O: Clone + Send + Sync + 'static,
    {
        if !self.enabled {
            return f(input);
        }
        let key = key(input, f);
        if let Some(v) = self.get(key).and_then(|v| v.downcast_ref::<O>().cloned()) {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return v;
        }
        let v = f(input);
        self.made.fetch_add(1, Ordering::Relaxed);
        let stored: Value = std::sync::Arc::new(v.clone());
        self.maps
            .lock()
            .expect("memo lock")
            .this
            .insert(key, stored);
        v
    }

    fn get(&self, key: u128) -> Option<Value> {
        let mut m = self.maps.lock().expect("memo lock");
        if let Some(v) = m.this.get(&key) {
            return Some(v.clone());
        }
        let v = m.last.remove(&key)?;
        m.this.insert(key, v.clone());
        Some(v)
    }

    /// Start a build: what the last one used is kept for this one; older results are dropped.
    pub fn next_build(&self) {
        let mut m = self.maps.lock().expect("memo lock");
        let size = m.this.len();
        m.last = std::mem::replace(&mut m.this, HashMap::with_capacity(size));
        self.made.store(0, Ordering::Relaxed);
        self.reused.store(0, Ordering::Relaxed);
    }

    /// Calls made (not found) since the build started.
    pub fn made(&self) -> usize {
        self.made.load(Ordering::Relaxed)
    }

    /// Calls answered from an earlier build since this one started.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }
}

/// The key of `f(input)`: the function, the types it maps between and the input.
fn key<I: Hash + ?Sized, O>(input: &I, f: fn(&I) -> O) -> u128 {
    let mut h = Fingerprint::new(0x6d656d6f);
    std::any::type_name::<I>().hash(&mut h);
    std::any::type_name::<O>().hash(&mut h);
    h.write_usize(f as usize);
    input.hash(&mut h);
    h.finish128()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn len(s: &str) -> usize {
        s.len()
    }

    fn upper(s: &str) -> String {
        s.to_uppercase()
    }

    #[test]
    fn a_call_with_an_equal_input_is_answered_from_the_memo() {
        let m = Memo::new();
        assert_eq!(m.call("abc", upper), "ABC");
        assert_eq!(m.call("abc", upper), "ABC");
        assert_eq!((m.made(), m.reused()), (1, 1));
        // Another function of the same input is another call.
        assert_eq!(m.call("abc", len), 3);
        assert_eq!(m.made(), 2);
        assert_eq!(m.call("abd", upper), "ABD");
        assert_eq!(m.made(), 3);
    }

    #[test]
    fn results_last_one_build_unused_and_are_then_dropped() {
        let m = Memo::new();
        m.call("a", upper);
        m.next_build();
        m.call("b", upper);
        m.next_build();
        // "a" was made two builds ago and not used since: gone. "b" is still there.
        m.call("b", upper);
        m.call("a", upper);
        assert_eq!((m.made(), m.reused()), (1, 1));
    }

    #[test]
    fn a_memo_that_is_off_always_calls() {
        let m = Memo::off();
        m.call("a", upper);
        m.call("a", upper);
        assert_eq!((m.made(), m.reused()), (0, 0));
    }
}
