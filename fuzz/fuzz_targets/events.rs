//! The events loader: any bytes as `content/events/main.toml`.
#![no_main]

use dossier::diagnostics::Diagnostics;
use dossier::load;
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let mut diags = Diagnostics::default();
    let file = match load::decode("content/events/main.toml".into(), data.to_vec()) {
        Ok(f) => f,
        Err(d) => return common::check_one(&d),
    };
    let events = load::parse_events(&file.path, &file.text, &mut diags);
    for e in &events {
        if let Some(s) = &e.summary {
            assert!(s.offset <= s.file.text.len(), "summary offset past the end");
            common::check_markdown_map(s);
        }
    }
    common::check_located(&diags);
});
