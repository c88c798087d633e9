//! Bad input, one fixture folder per class under `tests/fixtures/errors/<case>/`, laid over the
//! `basic` fixture. Each case's `expected.txt` holds the exact diagnostics the user sees, and
//! the failed build must leave the previous `public/` exactly as it was.
//! Regenerate the expectations after a deliberate change with `SNAPSHOTS=overwrite cargo test`.

mod common;

use std::fs;
use std::process::Command;

use common::*;

fn case(name: &str) {
    let f = Fixture::new("basic");
    let good = f.build();
    assert!(good.ok(), "{}", messages(&good));
    let before = f.tree();

    let dir = fixtures().join("errors").join(name);
    f.overlay(&dir);
    let report = f.build();
    assert!(!report.ok(), "{name}: the build should fail");
    let actual = messages(&report);
    let expected_path = dir.join("expected.txt");
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
        // Never store the overlay's own expected.txt as part of the fixture's content.
        fs::write(&expected_path, format!("{actual}\n")).unwrap();
    }
    let expected = fs::read_to_string(&expected_path).unwrap_or_default();
    assert_eq!(
        actual,
        expected.trim_end_matches('\n'),
        "{name}: diagnostics differ\n--- actual ---\n{actual}"
    );
    assert_eq!(before, f.tree(), "{name}: the failed build changed public/");
}

#[test]
fn toml_syntax() {
    case("toml-syntax");
}

#[test]
fn front_matter_syntax() {
    case("front-matter-syntax");
}

#[test]
fn front_matter_unclosed() {
    case("front-matter-unclosed");
}

#[test]
fn wrong_type() {
    case("wrong-type");
}

#[test]
fn missing_field() {
    case("missing-field");
}

#[test]
fn unknown_field() {
    case("unknown-field");
}

#[test]
fn duplicate_ids() {
    case("duplicate-ids");
}

#[test]
fn unsafe_id() {
    case("unsafe-id");
}

#[test]
fn invalid_dates() {
    case("invalid-dates");
}

#[test]
fn unknown_references() {
    case("unknown-references");
}

#[test]
fn template_syntax_error() {
    case("template-error");
}

#[test]
fn template_render_error() {
    case("template-render-error");
}

#[test]
fn site_unknown_key() {
    case("site-unknown-key");
}

#[test]
fn exit_status_is_1_for_content_and_2_for_usage() {
    let f = Fixture::new("basic");
    f.overlay(&fixtures().join("errors/unknown-references"));
    let bin = env!("CARGO_BIN_EXE_dossier");
    let out = Command::new(bin)
        .args(["build", "--root"])
        .arg(f.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/chapters/03-refs.md:6:5: error: unknown person \"jon-kerry\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: did you mean \"john-kerry\"?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("build failed: nothing was written"),
        "{stderr}"
    );
    assert!(!f.out().exists());

    let out = Command::new(bin)
        .args(["build", "--out", "content", "--root"])
        .arg(f.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to build into content"));

    let out = Command::new(bin)
        .args(["build", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
