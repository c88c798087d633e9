//! Two builds of the same documentary are byte-identical, however the file system lists its
//! files: the second copy is written in reverse order, with decoy files created (and deleted)
//! first so directory order and inode numbers differ, in a folder of a different name, and
//! built with a different number of threads.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// Every file under `from` (but its output), by relative path.
fn files(from: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(from).min_depth(1) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap().to_path_buf();
        if rel.starts_with("public")
            || rel.starts_with("target")
            || rel.to_string_lossy().starts_with(".public")
        {
            continue;
        }
        if e.file_type().is_file() {
            out.push(rel);
        }
    }
    out
}

/// Copy `list` from `from` to `to` in the given order; with `decoys`, a junk file is created
/// before each real one and deleted after it, so the directories fill in another order.
fn copy_in_order(from: &Path, to: &Path, list: &[PathBuf], decoys: bool) {
    for (i, rel) in list.iter().enumerate() {
        let dest = to.join(rel);
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        let decoy = dest.with_file_name(format!("zz-decoy-{i}.tmp"));
        if decoys {
            fs::write(&decoy, "x").unwrap();
        }
        fs::copy(from.join(rel), &dest).unwrap();
        if decoys {
            fs::remove_file(&decoy).unwrap();
        }
    }
}

/// The order in which the file system lists a folder's entries (what walkdir sees unsorted).
fn listing(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn build(root: &Path, threads: &str) -> BTreeMap<String, Vec<u8>> {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(root)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tree(&root.join("public"))
}

fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let differ: Vec<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "{what}: the builds differ in {} files: {differ:?}",
        differ.len()
    );
}

/// A folder for the second copy: on tmpfs when there is one (it lists entries newest first,
/// unlike ext4's hash order, so creation order decides the listing), else beside the first.
fn second_home() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(d) = tempfile::Builder::new()
            .prefix("dossier-determinism")
            .tempdir_in(shm)
    {
        return d;
    }
    tempfile::tempdir().unwrap()
}

fn check(source: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("first");
    let mut sorted = files(source);
    sorted.sort();
    copy_in_order(source, &a, &sorted, false);
    // The second copy is created in the order the first one lists its files, with decoys: on
    // tmpfs it then lists them in reverse; anywhere, its inodes and directory slots differ.
    let home = second_home();
    let b = home.path().join("second-copy");
    let listed = files(&a);
    copy_in_order(&a, &b, &listed, true);
    let people = Path::new("content/people");
    let (la, lb) = (listing(&a.join(people)), listing(&b.join(people)));
    if home.path().starts_with("/dev/shm") {
        assert_ne!(
            la, lb,
            "the copies should list their people in different orders"
        );
    }
    eprintln!("people listed as {la:?} and as {lb:?}");
    let first = build(&a, "1");
    let second = build(&b, "2");
    assert!(first.len() > 5);
    assert_same(&first, &second, "copies listed in different orders");
    // And a rebuild in place (from the kept previous build) is the same again.
    assert_same(&first, &build(&a, "2"), "a rebuild");
}

#[test]
fn the_documentary_builds_byte_identically_whatever_the_file_order() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for part in ["site.toml", "content", "templates", "static"] {
        let from = repo.join(part);
        if from.is_dir() {
            copy_dir(&from, &dir.path().join(part));
        } else if from.is_file() {
            fs::copy(&from, dir.path().join(part)).unwrap();
        }
    }
    check(dir.path());
}

#[test]
fn the_fixtures_build_byte_identically_whatever_the_file_order() {
    check(&fixtures().join("bad-base"));
    check(&fixtures().join("xss"));
}
