//! The one HTML tokenizer (`util::html`), on any text: it must never panic, its tokens must
//! cover the input in order, and every range it gives must lie on character boundaries inside
//! the input. Then the renderer's reading of raw HTML in a chapter (links, ids, marks) on it.
#![no_main]

use dossier::util::html::{Token, tokens};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else { return };
    let mut covered = 0;
    for (token, range) in tokens(html) {
        assert_eq!(range.start, covered, "tokens leave a gap or overlap");
        assert!(range.end > range.start && range.end <= html.len());
        covered = range.end;
        if let Token::Tag(tag) = token {
            assert!(html.is_char_boundary(tag.range.start) && html.is_char_boundary(tag.range.end));
            for a in tag.attrs() {
                assert!(a.range.end <= html.len() && html.is_char_boundary(a.range.start) && html.is_char_boundary(a.range.end));
                assert_eq!(&html[a.range.clone()], a.value);
            }
        }
    }
    assert_eq!(covered, html.len(), "the tokens cover the input");
    // Marked and unmarked again, raw HTML is unchanged.
    let marked = dossier::markdown::mark_raw(html);
    if !html.bytes().any(|b| b <= 4) {
        assert_eq!(dossier::markdown::unmarked(&marked), html);
    }
});
