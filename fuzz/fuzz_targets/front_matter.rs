//! Front-matter splitting and the chapter loader: any bytes as `content/chapters/01-x.md`.
#![no_main]

use dossier::diagnostics::Diagnostics;
use dossier::load;
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let mut diags = Diagnostics::default();
    let file = match load::decode("content/chapters/01-fuzz.md".into(), data.to_vec()) {
        Ok(f) => f,
        Err(d) => {
            common::check_one(&d);
            return;
        }
    };
    if let Ok((fm, body)) = load::split_front_matter(&file.text) {
        assert!(fm.start <= fm.end && fm.end <= body && body <= file.text.len());
        assert!(file.text.is_char_boundary(fm.start) && file.text.is_char_boundary(body));
    }
    let chapter = load::parse_chapter(&file.path, &file.text, &mut diags);
    if let Some(c) = &chapter {
        let _ = c.body();
    }
    common::check_rejected(chapter.is_some(), &diags);
});
