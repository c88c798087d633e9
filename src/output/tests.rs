//! Tests of writing a site: building over previous trees, abandoning, refusing folders.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::manifest::{MANIFEST, MANIFEST_OUT};
use super::swap::prev_path;
use super::*;
use crate::diagnostics::Diagnostics;

/// A whole build through [`Staging`], from pages already in memory.
fn site(
    outputs: &[Output],
    _static_dir: &Path,
    root: &Path,
    out: &Path,
    diags: &mut Diagnostics,
) -> Result<(), Error> {
    let staging = Staging::open(out)?;
    outputs
        .par_iter()
        .try_for_each(|o| staging.put(&o.path, &o.bytes))?;
    let listed = statics::list(root, out, diags);
    let placed = statics::place(outputs.iter().map(|o| o.path.as_str()), &[], &listed, diags);
    if diags.has_errors() {
        return Ok(());
    }
    for f in &placed {
        staging.put_static(&f.path, &f.source)?;
    }
    staging.commit()
}

#[test]
fn safe_relative_paths() {
    assert!(is_safe_rel("chapters/a/index.html"));
    for bad in ["../x", "/etc/passwd", "a/../b", "a\\b", "a\0b", "", "a//b"] {
        assert!(!is_safe_rel(bad), "{bad:?}");
    }
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            let rel = crate::load::display_path(dir, e.path());
            let t = e.file_type();
            (
                rel,
                if t.is_file() {
                    fs::read(e.path()).unwrap()
                } else if t.is_dir() {
                    b"<dir>".to_vec()
                } else {
                    b"<other>".to_vec()
                },
            )
        })
        .collect()
}

fn outputs(files: &[(&str, &str)]) -> Vec<Output> {
    files
        .iter()
        .map(|(p, b)| Output {
            path: p.to_string(),
            bytes: b.as_bytes().to_vec().into(),
        })
        .collect()
}

#[test]
fn building_over_any_previous_tree_gives_exactly_the_new_files() {
    let dir = tempfile::tempdir().unwrap();
    let pages = outputs(&[
        ("index.html", "home"),
        ("people/a/index.html", "A"),
        ("people/b/index.html", "B"),
        ("timeline/2013/index.html", "t"),
    ]);
    let no_static = dir.path().join("static");
    let fresh = dir.path().join("fresh/public");
    site(
        &pages,
        &no_static,
        dir.path(),
        &fresh,
        &mut Diagnostics::default(),
    )
    .unwrap();
    // A previous tree with stale, changed, misplaced and foreign entries.
    let out = dir.path().join("old/public");
    let prev = prev_path(&dir.path().join("old"), "public");
    for (rel, text) in [
        ("index.html", "old home"),
        ("people/a/index.html", "A"),
        ("people/c/index.html", "C"),
        ("timeline/index.html", "all"),
        (MARKER, ""),
    ] {
        fs::create_dir_all(prev.join(rel).parent().unwrap()).unwrap();
        fs::write(prev.join(rel), text).unwrap();
    }
    fs::write(prev.join("people/b"), "a file where a folder belongs").unwrap();
    fs::create_dir_all(prev.join("timeline/2013/index.html/deep")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("fresh"), prev.join("link")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        fresh.join("people/a/index.html"),
        prev.join("people/a/index.html.tmp"),
    )
    .unwrap();
    let a = prev.join("people/a/index.html");
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&fs::metadata(p).unwrap());
    let unchanged = inode(&a);
    site(
        &pages,
        &no_static,
        dir.path(),
        &out,
        &mut Diagnostics::default(),
    )
    .unwrap();
    let (got, want) = (tree(&out), tree(&fresh));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &want {
        assert!(got[path] == *bytes, "{path} differs");
    }
    // A file whose bytes changed was rewritten; one whose bytes did not was left alone.
    assert_eq!(fs::read(out.join("index.html")).unwrap(), b"home");
    assert_eq!(inode(&out.join("people/a/index.html")), unchanged);
}

#[test]
fn a_page_that_is_a_link_in_the_previous_tree_is_replaced_by_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let prev = prev_path(dir.path(), "public");
    fs::create_dir_all(&prev).unwrap();
    fs::write(prev.join(MARKER), "").unwrap();
    fs::write(dir.path().join("secret"), "home").unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret"), prev.join("index.html")).unwrap();
    site(
        &outputs(&[("index.html", "home")]),
        &dir.path().join("static"),
        dir.path(),
        &out,
        &mut Diagnostics::default(),
    )
    .unwrap();
    assert!(
        fs::symlink_metadata(out.join("index.html"))
            .unwrap()
            .is_file()
    );
    assert_eq!(fs::read(out.join("index.html")).unwrap(), b"home");
}

#[test]
fn a_build_dropped_uncommitted_leaves_the_output_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let build = |text: &str| {
        site(
            &outputs(&[("index.html", text)]),
            &dir.path().join("static"),
            dir.path(),
            &out,
            &mut Diagnostics::default(),
        )
        .unwrap()
    };
    build("one");
    build("two");
    let staging = Staging::open(&out).unwrap();
    staging.put("index.html", b"three").unwrap();
    staging.put("new/index.html", b"new").unwrap();
    drop(staging); // never committed: the guard abandons it
    assert_eq!(fs::read(out.join("index.html")).unwrap(), b"two");
    assert!(!out.join("new").exists());
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("dossier-tmp")),
        "{names:?}"
    );
    build("four");
    assert_eq!(
        tree(&out).keys().collect::<Vec<_>>(),
        [
            MARKER,
            "dossier.js",
            "favicon.ico",
            "favicon.svg",
            "index.html",
            "map.css",
            "network.css",
            "network.js",
            "preview.js",
            "print.css",
            "search.css",
            "search.js",
            "share.png",
            "style.css",
            "timeline.css"
        ]
    );
}

#[test]
fn a_rebuild_keeps_the_replaced_site_for_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let build = |text: &str| {
        let outputs = vec![Output {
            path: "index.html".into(),
            bytes: text.as_bytes().to_vec().into(),
        }];
        let mut d = Diagnostics::default();
        site(
            &outputs,
            &dir.path().join("static"),
            dir.path(),
            &out,
            &mut d,
        )
        .unwrap();
    };
    build("one");
    build("two");
    let prev = prev_path(dir.path(), "public");
    assert_eq!(fs::read(prev.join("index.html")).unwrap(), b"one");
    assert_eq!(
        fs::read_to_string(prev.join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*")
    );
    build("three");
    assert_eq!(fs::read(out.join("index.html")).unwrap(), b"three");
    assert!(!out.join(".gitignore").exists());
    assert_eq!(fs::read(prev.join("index.html")).unwrap(), b"two");
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("dossier-tmp")),
        "{names:?}"
    );
}

#[test]
fn a_file_changed_in_the_kept_tree_is_written_again_whatever_its_record_says() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let build = || {
        let mut d = Diagnostics::default();
        site(
            &outputs(&[("index.html", "home"), ("a/index.html", "bbbb")]),
            &dir.path().join("static"),
            dir.path(),
            &out,
            &mut d,
        )
        .unwrap();
    };
    // After three builds, the kept tree has the record of its own files.
    for _ in 0..3 {
        build();
    }
    let prev = prev_path(dir.path(), "public");
    let record = fs::read_to_string(prev.join(MANIFEST)).unwrap();
    assert!(
        record.lines().any(|l| l.ends_with(" a/index.html")),
        "{record}"
    );
    assert!(
        !out.join(MANIFEST).exists() && !out.join(MANIFEST_OUT).exists(),
        "records are never published"
    );
    // Someone changes a kept file: same length, and its modification time put back.
    let file = prev.join("a/index.html");
    let modified = fs::metadata(&file).unwrap().modified().unwrap();
    fs::write(&file, "XXXX").unwrap();
    fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    build();
    assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"bbbb");
    assert!(tree(&out).keys().all(|k| !k.contains("manifest")));
}

#[test]
fn refuses_project_and_source_folders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for sub in ["content", "templates", "static"] {
        fs::create_dir(root.join(sub)).unwrap();
    }
    for bad in [
        ".",
        "content",
        "templates",
        "static",
        "..",
        "content/x",
        "public/../static",
    ] {
        assert!(check_out_dir(root, Path::new(bad)).is_err(), "{bad}");
    }
    assert!(check_out_dir(root, Path::new("public")).is_ok());
    assert!(check_out_dir(root, Path::new("../elsewhere")).is_ok());
}
