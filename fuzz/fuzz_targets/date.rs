//! Date parsing: any string as an event date; a valid date must display and sort.
#![no_main]

use dossier::date::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match Date::parse(text) {
        Ok(d) => {
            assert!(!d.display().is_empty());
            let dt = d.datetime();
            assert!(dt.len() >= 4, "{dt}");
            let _ = (d.sort_key(), d.year(), d.month(), d.is_partial());
        }
        Err(msg) => assert!(!msg.is_empty()),
    }
});
