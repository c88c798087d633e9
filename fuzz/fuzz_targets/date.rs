//! Date parsing: any string as an event date; a valid date must display, sort and give its
//! machine-readable values; a refusal is one line.
#![no_main]

use dossier::date::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match Date::parse(text) {
        Ok(d) => {
            assert!(!d.display().is_empty());
            assert_eq!(d.edtf(), text);
            for iso in [d.datetime(), d.start_iso(), d.end_iso()]
                .into_iter()
                .flatten()
            {
                assert!(iso.len() >= 4 && !iso.starts_with('-'), "{iso}");
            }
            let _ = (d.sort_key(), d.year(), d.month(), d.is_partial());
            let _ = (d.approximate(), d.uncertain());
            let _ = dossier::date::year_label(d.year());
        }
        Err(msg) => assert!(!msg.is_empty() && !msg.contains('\n'), "{msg}"),
    }
});
