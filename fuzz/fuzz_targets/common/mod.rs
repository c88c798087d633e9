//! What every fuzz target checks: an input either succeeds or ends in diagnostics that are
//! located inside their file and render without panicking.
#![allow(dead_code)]

use dossier::diagnostics::{Diagnostic, Diagnostics};

/// Render every diagnostic (this walks spans, lines and carets) and check each one is located:
/// a span inside its file's text, or at least a path.
pub fn check_located(diags: &Diagnostics) {
    for d in &diags.items {
        check_one(d);
    }
    let _ = diags.to_string();
}

pub fn check_one(d: &Diagnostic) {
    match (&d.span, &d.path) {
        (Some(span), _) => {
            let len = span.file.text.len();
            assert!(span.start <= span.end && span.end <= len, "span {}..{} outside a file of {len} bytes: {d}", span.start, span.end);
        }
        (None, Some(path)) => assert!(!path.is_empty(), "empty path in {d}"),
        (None, None) => panic!("unlocated diagnostic: {d}"),
    }
    assert!(!d.message.trim().is_empty(), "empty message");
    let text = d.to_string();
    assert!(text.starts_with(&d.location()), "{text}");
}

/// A rejected input must have said why.
pub fn check_rejected(ok: bool, diags: &Diagnostics) {
    check_located(diags);
    if !ok {
        assert!(diags.has_errors(), "rejected without an error");
    }
}

/// A Markdown string's offsets map into its file, in order, on character boundaries.
pub fn check_markdown_map(md: &dossier::load::TomlMarkdown) {
    let mut last = 0;
    for (u, _) in md.text.char_indices().chain(std::iter::once((md.text.len(), ' '))) {
        let s = md.span(u..u);
        assert!(s.start <= md.file.text.len(), "mapped past the end");
        assert!(md.file.text.is_char_boundary(s.start), "mapped inside a character");
        assert!(s.start >= last, "mapping goes backwards at {u}");
        last = s.start;
    }
}
