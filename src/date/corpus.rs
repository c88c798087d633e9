//! The check against independent implementations: the test strings of edtf.js and python-edtf
//! kept in `tests/data/edtf/` (their README says where each comes from, and the licenses).
//! Every level 0 and 1 string Dossier takes must parse and display; every string refused on
//! purpose, of level 2 or invalid must be refused with a one-line message.

use super::Date;

const VALID: &str = include_str!("../../tests/data/edtf/valid.txt");
const REFUSED: &str = include_str!("../../tests/data/edtf/refused.txt");
const INVALID: &str = include_str!("../../tests/data/edtf/invalid.txt");

/// The strings of a data file: one a line, `""` for the empty one, `#` lines are comments.
fn strings(file: &str) -> Vec<&str> {
    file.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| if l == "\"\"" { "" } else { l })
        .collect()
}

#[test]
fn every_valid_level_0_and_1_string_is_accepted() {
    let valid = strings(VALID);
    assert_eq!(valid.len(), 182);
    let refused: Vec<String> = valid.iter().filter_map(|s| Date::parse(s).err()).collect();
    assert!(refused.is_empty(), "{refused:#?}");
    for s in valid {
        let d = Date::parse(s).unwrap();
        assert!(!d.display().is_empty(), "{s}");
        assert_eq!(d.edtf(), s);
    }
}

#[test]
fn level_2_invalid_and_refused_strings_are_refused_in_one_line() {
    let (refused, invalid) = (strings(REFUSED), strings(INVALID));
    assert_eq!((refused.len(), invalid.len()), (77, 271));
    let accepted: Vec<String> = refused
        .iter()
        .chain(&invalid)
        .filter_map(|s| {
            Date::parse(s)
                .ok()
                .map(|d| format!("{s} -> {}", d.display()))
        })
        .collect();
    assert!(accepted.is_empty(), "{accepted:#?}");
    for s in refused.iter().chain(&invalid) {
        let e = Date::parse(s).unwrap_err();
        assert!(e.starts_with("invalid date \""), "{e}");
        assert!(!e.contains('\n') && e.len() < 400, "{e}");
    }
}
