//! Leaves of the module graph: small, general tools that every phase may use and that use
//! nothing of Dossier's own beyond `diagnostics`. Slugs, HTML escaping, TOML with spans, the
//! 128-bit fingerprints of values, the memo that `serve` keeps its rebuilds in, and the one HTML
//! tokenizer for the HTML users write themselves (templates, raw HTML in chapters).

pub mod escape;
pub mod fingerprint;
pub mod html;
pub mod memo;
pub mod slug;
pub mod smart;
pub mod toml;

/// Free a large value (a whole site, every file read) on a worker thread, off the path of the
/// build that no longer needs it: freeing hundreds of thousands of allocations takes
/// milliseconds that a reader of the build's output should not wait for.
pub fn drop_aside<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}
