//! The people loader: any bytes as `content/people/ada-lovelace.toml`.
#![no_main]

use dossier::diagnostics::Diagnostics;
use dossier::load;
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let mut diags = Diagnostics::default();
    let file = match load::decode("content/people/ada-lovelace.toml".into(), data.to_vec()) {
        Ok(f) => f,
        Err(d) => return common::check_one(&d),
    };
    let person = load::parse_person(&file.path, &file.text, &mut diags);
    if let Some(p) = &person {
        if let Some(bio) = &p.bio {
            assert!(bio.offset <= p.file.text.len(), "bio offset past the end");
            common::check_markdown_map(bio);
        }
    }
    common::check_rejected(person.is_some(), &diags);
});
