//! The sources loader: any bytes as `content/sources.toml`.
#![no_main]

use dossier::diagnostics::Diagnostics;
use dossier::load;
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let mut diags = Diagnostics::default();
    let file = match load::decode("content/sources.toml".into(), data.to_vec()) {
        Ok(f) => f,
        Err(d) => return common::check_one(&d),
    };
    let _ = load::parse_sources(&file.path, &file.text, &mut diags);
    common::check_located(&diags);
});
