//! `dossier init` and `dossier new`, run as the binary: the files they write build and check
//! cleanly, have the right ids, slugs and numbers, and no existing file is ever overwritten.

use std::fs;
use std::path::Path;
use std::process::Command;

use scraper::{Html, Selector};

/// Run the binary: (exit code, stderr).
fn dossier(args: &[&str], root: Option<&Path>) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.args(args);
    if let Some(r) = root {
        cmd.arg("--root").arg(r);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn init(parent: &Path, name: &str) -> std::path::PathBuf {
    let dir = parent.join(name);
    let (code, err) = dossier(&["init", dir.to_str().unwrap()], None);
    assert_eq!(code, 0, "{err}");
    dir
}

fn page(root: &Path, path: &str) -> Html {
    Html::parse_document(
        &fs::read_to_string(root.join("public").join(path).join("index.html")).unwrap(),
    )
}

fn texts(html: &Html, css: &str) -> Vec<String> {
    html.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn init_writes_a_documentary_that_builds_and_checks_without_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = init(tmp.path(), "harbour-stories");
    for f in [
        "site.toml",
        "content/chapters/01-the-beginning.md",
        "content/people/mara-quill.toml",
        "content/people/tobias-fenn.toml",
        "content/events/01-the-beginning.toml",
        "content/sources.toml",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    // Only what the editors mean to change: no copy of the built-in templates and static
    // files, which would hide every later fix of them (`dossier eject` copies one out).
    assert!(!dir.join("templates").exists() && !dir.join("static").exists());
    let workflow = fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap();
    assert_eq!(workflow, dossier::scaffold::pages_workflow());
    assert!(
        fs::read_to_string(dir.join("site.toml"))
            .unwrap()
            .contains("title = \"Harbour Stories\"")
    );

    let (code, err) = dossier(&["check"], Some(&dir));
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains("warning:") && !err.contains("error:"),
        "check must be clean:\n{err}"
    );
    assert!(err.contains("no errors"), "{err}");
    // Also under a sub-path, as on GitHub Pages.
    let (code, err) = dossier(
        &[
            "check",
            "--base-url",
            "https://someone.github.io/harbour-stories/",
        ],
        Some(&dir),
    );
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");

    let (code, err) = dossier(&["build"], Some(&dir));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
    let chapter = page(&dir, "chapters/the-beginning");
    assert_eq!(texts(&chapter, "h1"), ["The Beginning"]);
    let links: Vec<String> = chapter
        .select(&Selector::parse(".prose a").unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(
        links.contains(&"../../people/mara-quill/".to_string()),
        "{links:?}"
    );
    assert!(
        links.contains(&"../../people/tobias-fenn/".to_string()),
        "{links:?}"
    );
    let timeline = page(&dir, "timeline");
    assert!(
        texts(&timeline, "main")
            .iter()
            .any(|t| t.contains("The lamp is relit"))
    );
}

#[test]
fn init_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("taken");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("notes.txt"), "mine").unwrap();
    let (code, err) = dossier(&["init", dir.to_str().unwrap()], None);
    assert_eq!(code, 2);
    assert!(
        err.contains("is not empty") && err.contains("never overwrites"),
        "{err}"
    );
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
    assert_eq!(fs::read_to_string(dir.join("notes.txt")).unwrap(), "mine");
    // An empty folder is fine, and a title can be given.
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let (code, err) = dossier(
        &[
            "init",
            empty.to_str().unwrap(),
            "--title",
            "Quiet \"Harbour\"",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (code, err) = dossier(&["build"], Some(&empty));
    assert_eq!(code, 0, "{err}");
    assert_eq!(texts(&page(&empty, ""), "title"), ["Quiet \"Harbour\""]);
}

#[test]
fn new_chapter_is_numbered_after_the_last_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = init(tmp.path(), "doc");
    let (code, err) = dossier(&["new", "chapter", "Rome and the Rupture"], Some(&dir));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("wrote content/chapters/02-rome-and-the-rupture.md"),
        "{err}"
    );
    let path = dir.join("content/chapters/02-rome-and-the-rupture.md");
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("+++\ntitle = \"Rome and the Rupture\"\n"),
        "{text}"
    );

    // The same slug again is refused, and the file is untouched.
    fs::write(
        &path,
        text.replace("Write the chapter here.", "Rome, at last."),
    )
    .unwrap();
    let (code, err) = dossier(&["new", "chapter", "Rome and the rupture"], Some(&dir));
    assert_eq!(code, 2);
    assert!(
        err.contains("a chapter with the slug \"rome-and-the-rupture\" exists already"),
        "{err}"
    );
    assert!(
        fs::read_to_string(&path)
            .unwrap()
            .contains("Rome, at last.")
    );

    // A title with quotes and a chosen slug: numbered 03.
    let (code, err) = dossier(
        &["new", "chapter", "The \"Framework\"", "--slug", "framework"],
        Some(&dir),
    );
    assert_eq!(code, 0, "{err}");
    assert!(dir.join("content/chapters/03-framework.md").is_file());

    let (code, err) = dossier(&["build"], Some(&dir));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        texts(&page(&dir, "chapters/framework"), "h1"),
        ["The “Framework”"]
    );
    assert_eq!(
        texts(&page(&dir, "chapters/rome-and-the-rupture"), ".prose p"),
        ["Rome, at last."]
    );
    // A new chapter cites no source yet: the one warning, reminding the author.
    assert!(
        err.contains("warning: chapter \"framework\" cites no sources"),
        "{err}"
    );
}

#[test]
fn new_person_and_event_have_the_right_ids_and_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = init(tmp.path(), "doc");
    let (code, err) = dossier(&["new", "person", "Tzipi Livni"], Some(&dir));
    assert_eq!(code, 0, "{err}");
    let person = dir.join("content/people/tzipi-livni.toml");
    assert!(
        fs::read_to_string(&person)
            .unwrap()
            .starts_with("name = \"Tzipi Livni\"\n")
    );
    let (code, err) = dossier(&["new", "person", "Tzipi Livni"], Some(&dir));
    assert_eq!(code, 2);
    assert!(
        err.contains("exists already; dossier never overwrites a file"),
        "{err}"
    );
    let (code, err) = dossier(&["new", "person", "Network", "--id", "network"], Some(&dir));
    assert_eq!(code, 2);
    assert!(err.contains("reserved"), "{err}");

    let (code, err) = dossier(
        &[
            "new",
            "event",
            "The framework is presented",
            "--date",
            "2014-04-01",
            "--chapter",
            "the-beginning#the-lamp",
        ],
        Some(&dir),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("wrote content/events/the-framework-is-presented.toml"),
        "{err}"
    );
    // An id that another event has, and a date that is not one, are refused.
    let (code, err) = dossier(
        &["new", "event", "Lamp relit", "--date", "1921"],
        Some(&dir),
    );
    assert_eq!(code, 2);
    assert!(err.contains("an event with the id \"lamp-relit\" exists already (content/events/01-the-beginning.toml:"), "{err}");
    let (code, err) = dossier(
        &["new", "event", "Later", "--date", "2014-13-01"],
        Some(&dir),
    );
    assert_eq!(code, 2);
    // The date module's own message, passed through unchanged.
    let why = dossier::date::Date::parse("2014-13-01").unwrap_err();
    assert_eq!(err, format!("error: --date: {why}\n"));
    // --into appends to an existing events file, keeping what it held.
    let events = dir.join("content/events/01-the-beginning.toml");
    let before = fs::read_to_string(&events).unwrap();
    let (code, err) = dossier(
        &[
            "new",
            "event",
            "The keeper retires",
            "--date",
            "1951~",
            "--into",
            "01-the-beginning.toml",
            "--chapter",
            "the-beginning",
        ],
        Some(&dir),
    );
    assert_eq!(code, 0, "{err}");
    let after = fs::read_to_string(&events).unwrap();
    assert!(
        after.starts_with(&before)
            && after.contains("id = \"the-keeper-retires\"\ndate = \"1951~\""),
        "{after}"
    );

    let (code, err) = dossier(&["build"], Some(&dir));
    assert_eq!(code, 0, "{err}");
    let timeline = fs::read_to_string(dir.join("public/timeline/index.html")).unwrap();
    let html = Html::parse_document(&timeline);
    for id in [
        "lamp-relit",
        "the-framework-is-presented",
        "the-keeper-retires",
    ] {
        assert_eq!(
            html.select(&Selector::parse(&format!("[id=\"{id}\"]")).unwrap())
                .count(),
            1,
            "{id}"
        );
    }
    assert!(dir.join("public/people/tzipi-livni/index.html").is_file());
    // The new person is not named in any chapter yet: the one warning.
    assert!(
        err.contains("Tzipi Livni (tzipi-livni) is never mentioned in a chapter"),
        "{err}"
    );
    assert!(err.contains("0 errors, 1 warning"), "{err}");
}

#[test]
fn new_needs_a_documentary() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, err) = dossier(&["new", "chapter", "Anything"], Some(tmp.path()));
    assert_eq!(code, 2);
    assert!(
        err.contains("no site.toml") && err.contains("dossier init"),
        "{err}"
    );
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing written"
    );
}
