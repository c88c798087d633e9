//! `dossier init`: a new documentary that builds and checks cleanly, holding only what its
//! editors mean to change: `site.toml`, sample content, a `.gitignore` and the GitHub Pages
//! workflow that publishes it with the pinned release of Dossier. The built-in templates and
//! static files are not copied (a copy would hide every later fix of them); `dossier eject`
//! copies one out when someone wants to change it.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::Error;

use super::{create, toml_str};

/// Where Dossier's releases are published: the crate's `repository` (Cargo.toml), the one place
/// it is written.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The GitHub Pages workflow `init` writes, before the version and repository are filled in.
pub const PAGES_WORKFLOW: &str = include_str!("pages.yml");

/// The GitHub Pages workflow for a documentary: it installs this version of Dossier from the
/// release (no compiling), checks the documentary and publishes it, on every push to the
/// repository's default branch.
pub fn pages_workflow() -> String {
    PAGES_WORKFLOW
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@REPOSITORY@", REPOSITORY)
}

/// Start a documentary in `dir` (which must not exist or be empty): site.toml, a sample
/// chapter, two people, an event, a source, a `.gitignore` and the GitHub Pages workflow.
/// Returns the files written.
pub fn init(dir: &Path, title: Option<&str>) -> Result<Vec<PathBuf>, Error> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Error::Usage(format!(
                "{} exists and is not a folder",
                dir.display()
            )));
        }
        let mut entries = fs::read_dir(dir).map_err(|e| Error::io(dir, "read", e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} is not empty: dossier init never overwrites files; choose a new or empty folder",
                dir.display()
            )));
        }
    }
    let title = match title {
        Some(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ => title_from_dir(dir),
    };
    let files: [(&str, String); 8] = [
        ("site.toml", site_toml(&title)),
        (".gitignore", "/public\n".into()),
        (".github/workflows/pages.yml", pages_workflow()),
        (
            "content/chapters/01-the-beginning.md",
            SAMPLE_CHAPTER.into(),
        ),
        ("content/people/mara-quill.toml", SAMPLE_PERSON_1.into()),
        ("content/people/tobias-fenn.toml", SAMPLE_PERSON_2.into()),
        ("content/events/01-the-beginning.toml", SAMPLE_EVENTS.into()),
        ("content/sources.toml", SAMPLE_SOURCES.into()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        create(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// "my-documentary" → "My Documentary".
fn title_from_dir(dir: &Path) -> String {
    let name = std::fs::canonicalize(dir)
        .ok()
        .or_else(|| Some(dir.to_path_buf()))
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let words: Vec<String> = name
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|f| f.to_uppercase().chain(cs).collect())
                .unwrap_or_default()
        })
        .collect();
    if words.is_empty() {
        "A Documentary".into()
    } else {
        words.join(" ")
    }
}

fn site_toml(title: &str) -> String {
    format!(
        r#"# The documentary's settings. `dossier build --base-url URL` overrides base_url (the GitHub
# Pages workflow does so), so the site works under any address.
title = {}
description = "A documentary in chapters, people, events and sources, made with Dossier."
base_url = "https://example.org/"
language = "en"
author = ""
# "first" links each person's first mention in a chapter, "all" every mention, "off" none.
autolink = "first"
# cname = "docs.example.org"   # a custom domain for GitHub Pages
# deny = ["unsourced-chapter", "unmentioned-person", "untold-event"]   # warnings to treat as errors
"#,
        toml_str(title)
    )
}

const SAMPLE_CHAPTER: &str = r#"+++
title = "The Beginning"
summary = "A sample chapter written by dossier init: replace it with the first chapter of your documentary."
sources = ["harbour-minutes"]
+++

This chapter is a sample, written by `dossier init` to show what a chapter can do. Chapters
live in `content/chapters/` and are ordered by the number that starts their file name.

Dossier links the first time each person is named: Mara Quill kept the harbour lighthouse
for thirty years, and Tobias Fenn was the engineer sent to mend its lamp. A link can also be
written by hand, with the person's id and the words to show, as in [[tobias-fenn|the engineer]].

## The lamp {#the-lamp}

Events live in `content/events/` and name the chapter section that tells them, so this section
tells [[event:lamp-relit]]. The timeline lists every event in order of date.

Sources are listed in `content/sources.toml` and cited by id, as [[source:harbour-minutes]], or
in a footnote.[^minutes]

[^minutes]: The repair is recorded in the [[source:harbour-minutes]].
"#;

const SAMPLE_PERSON_1: &str = r#"name = "Mara Quill"
aliases = ["Quill"]
role = "Lighthouse keeper"
affiliation = "The Harbour Board"
side = "Harbour"
summary = "A sample person: the keeper of the harbour lighthouse."
bio = '''
A sample biography, in Markdown. Mara Quill appears in [[chapter:the-beginning]], where she
relights the lamp with [[tobias-fenn]].
'''
sources = ["harbour-minutes"]
"#;

const SAMPLE_PERSON_2: &str = r#"name = "Tobias Fenn"
aliases = ["Fenn"]
role = "Engineer"
affiliation = "Fenn & Sons, lamp makers"
side = "Visitors"
summary = "A sample person: the engineer who mended the lamp."
sources = ["harbour-minutes"]
"#;

const SAMPLE_EVENTS: &str = r#"# Events, each an [[event]] table; a file may hold as many as you like.
# Dates are EDTF: "1921-03-14", "1921-03", "1921", "192X", "1921~" (about), "1921/1923".

[[event]]
id = "lamp-relit"
date = "1921-03-14"
title = "The lamp is relit"
summary = "[[tobias-fenn]] mends the lamp and [[mara-quill]] lights it again."
people = ["mara-quill", "tobias-fenn"]
place = "The harbour lighthouse"
chapter = "the-beginning#the-lamp"
sources = ["harbour-minutes"]
tags = ["sample"]
"#;

const SAMPLE_SOURCES: &str = r#"# The sources the documentary is drawn from, cited by id.

[[source]]
id = "harbour-minutes"
title = "Minutes of the Harbour Board (a sample source)"
author = "The Harbour Board"
publication = "Sample archive"
date = "1921"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_from_folder_name() {
        assert_eq!(
            title_from_dir(Path::new("/x/my-documentary")),
            "My Documentary"
        );
        assert_eq!(title_from_dir(Path::new("/x/kerry_talks")), "Kerry Talks");
    }

    #[test]
    fn the_workflow_pins_this_version_and_the_one_repository() {
        let w = pages_workflow();
        assert!(!w.contains("@VERSION@") && !w.contains("@REPOSITORY@"));
        assert!(w.contains(&format!(
            "DOSSIER_VERSION: \"{}\"",
            env!("CARGO_PKG_VERSION")
        )));
        assert!(w.contains("DOSSIER_REPOSITORY: \"https://github.com/dossier-docs/dossier\""));
    }
}
