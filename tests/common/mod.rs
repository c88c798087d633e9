//! Test helpers: a fixture folder copied to a temp dir, built with the library, and its pages
//! parsed. Each integration test file includes this with `mod common;`.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use dossier::{Options, Report};
use scraper::{Html, Selector};

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A copy of `tests/fixtures/<name>` in a fresh temp dir.
    pub fn new(name: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join(name), dir.path());
        Fixture { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Write (or replace) a file of the fixture.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let p = self.root().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.root().join(rel)).unwrap();
        self
    }

    /// Copy another fixture folder over this one (for bad-input overlays).
    pub fn overlay(&self, dir: &Path) -> &Self {
        copy_dir(dir, self.root());
        self
    }

    pub fn options(&self) -> Options {
        Options {
            root: self.root().to_path_buf(),
            out: PathBuf::from("public"),
            base_url: None,
            drafts: false,
            mode: Default::default(),
        }
    }

    pub fn build(&self) -> Report {
        dossier::build(&self.options()).expect("no I/O error")
    }

    pub fn build_with_base(&self, base: &str) -> Report {
        let mut o = self.options();
        o.base_url = Some(base.into());
        dossier::build(&o).expect("no I/O error")
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    /// A built page, parsed. `path` like "chapters/x/" or "404.html".
    pub fn page(&self, path: &str) -> Html {
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        let text =
            fs::read_to_string(self.out().join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        Html::parse_document(&text)
    }

    /// Every file of the output, with its bytes.
    pub fn tree(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.out())
    }
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, fs::read(e.path()).unwrap());
        }
    }
    out
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Text of every element matching `css`, whitespace collapsed.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// `(href, text)` of every link matching `css`.
pub fn links(doc: &Html, css: &str) -> Vec<(String, String)> {
    doc.select(&sel(css))
        .map(|e| {
            (
                e.value().attr("href").unwrap_or("").to_string(),
                e.text().collect::<String>().trim().to_string(),
            )
        })
        .collect()
}

/// The diagnostics of a report as one string, as the CLI prints them.
pub fn messages(r: &Report) -> String {
    r.diagnostics.to_string()
}
