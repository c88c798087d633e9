//! Dossier targets Linux, macOS and Windows. Where the code takes a Linux-only path (the output
//! folder swapped in with one atomic `renameat2(RENAME_EXCHANGE)`), the other systems take a
//! fallback: two renames, the old site kept for the next build as on Linux. These tests run
//! the fallback on Linux, forced by `DOSSIER_TEST_NO_EXCHANGE`, with the real binary.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;

/// Build `root` with the atomic exchange unavailable: (exit code, stderr).
fn build_without_exchange(root: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(root)
        .env("DOSSIER_TEST_NO_EXCHANGE", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The names of Dossier's own folders beside `public/` (its temporary folders and kept site).
fn beside(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    names.sort();
    names
}

#[test]
fn without_an_atomic_exchange_builds_replace_the_site_and_keep_the_last_one() {
    let f = Fixture::new("apollo");
    let root = f.root();
    // A first build (the output is new: a rename), then rebuilds over it (the fallback).
    let (code, err) = build_without_exchange(root);
    assert_eq!(code, 0, "{err}");
    let first = f.tree();
    let (code, err) = build_without_exchange(root);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        f.tree(),
        first,
        "a rebuild of the same input is the same site"
    );
    assert_eq!(beside(root), [".public.dossier-prev"]);

    // A change is published, and the site it replaced is kept for the next build.
    let chapter = "content/chapters/01-the-launch.md";
    let text = fs::read_to_string(root.join(chapter)).unwrap();
    f.write(chapter, text.replace("The Launch", "Liftoff"));
    let (code, err) = build_without_exchange(root);
    assert_eq!(code, 0, "{err}");
    let second = f.tree();
    let page = String::from_utf8(second["chapters/the-launch/index.html"].clone()).unwrap();
    assert!(page.contains("Liftoff") && !page.contains("The Launch"));
    assert_eq!(beside(root), [".public.dossier-prev"]);
    let kept = tree(&root.join(".public.dossier-prev"));
    assert_eq!(
        kept["chapters/the-launch/index.html"],
        first["chapters/the-launch/index.html"]
    );

    // A failed build changes nothing and leaves nothing behind.
    f.write(
        chapter,
        text.replace("title = \"The Launch\"", "title = \"\""),
    );
    let (code, err) = build_without_exchange(root);
    assert_eq!(code, 1, "{err}");
    assert_eq!(f.tree(), second);
    assert_eq!(beside(root), [".public.dossier-prev"]);

    // And the same input built with the exchange gives the same site.
    f.write(chapter, text.replace("The Launch", "Liftoff"));
    assert!(f.build().ok());
    assert_eq!(f.tree(), second);
}
