//! `dossier check` on fixture documentaries: the exact diagnostics (content warnings, `deny`,
//! and the link check of the rendered pages), the exit status, and that nothing is written.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        dir.path(),
    );
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    out.sort();
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        }
        out.push(p);
    }
    out
}

/// Run `dossier check` with `args` in the project folder: (exit code, stderr).
fn check(root: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.stdout.is_empty(),
        "check prints nothing on stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const EXPECTED: &str = r##"content/chapters/01-arrival.md:11:89: error: link "/people/" is outside the site's base path /doc/
   |
11 | They talked for hours. See the [[chapter:departure|next chapter]], the [list of people](/people/)
   |                                                                                         ^^^^^^^^
  = help: write links relative to the page, or start them with {{ page.root }} in templates, so the site works under any base path
  = note: on the pages /doc/chapters/arrival/, /doc/print/

content/chapters/01-arrival.md:12:22: error: broken link "../../peopel/": there is no page or file at /doc/peopel/
   |
12 | and the [guest list](../../peopel/).
   |                      ^^^^^^^^^^^^^
  = help: did you mean /doc/people/?
  = note: on the pages /doc/chapters/arrival/, /doc/print/

content/chapters/01-arrival.md:14:51: error: broken link "#vote": /doc/chapters/arrival/ has no element with id "vote"
   |
14 | Back to [the meeting](#meeting), or to [the vote](#vote).
   |                                                   ^^^^^
  = help: it appears on the pages /doc/chapters/arrival/, /doc/print/

content/chapters/02-departure.md:2:9: warning: chapter "departure" cites no sources
  |
2 | title = "Departure"
  |         ^^^^^^^^^^^
  = help: add `sources = ["source-id"]` to its front matter

content/chapters/02-departure.md:6:41: error: broken link "../../images/ada.png": there is no page or file at /doc/images/ada.png
  |
6 | Ada Envoy left at night. Her [portrait](../../images/ada.png) stayed behind.
  |                                         ^^^^^^^^^^^^^^^^^^^^
  = help: it appears on the pages /doc/chapters/departure/, /doc/print/

content/events/events.toml:10:6: error: event "dinner" is not told by any chapter
   |
10 | id = "dinner"
   |      ^^^^^^^^
  = help: add `chapter = "slug#section"`

content/people/cora-absent.toml:1:8: warning: Cora Absent (cora-absent) is never mentioned in a chapter
  |
1 | name = "Cora Absent"
  |        ^^^^^^^^^^^^^

templates/chapter.html:9:67: error: broken link "../../timelines/": there is no page or file at /doc/timelines/
  |
9 | <nav><a href="{{ page.root }}">Home</a> · <a href="{{ page.root }}timelines/">Timeline</a></nav>
  |                                                                   ^^^^^^^^^^
  = help: did you mean /doc/timeline/?
  = note: on the pages /doc/chapters/arrival/, /doc/chapters/departure/

6 errors, 2 warnings
"##;

#[test]
fn check_reports_every_known_problem_of_the_fixture_exactly_and_writes_nothing() {
    let dir = fixture("check-problems");
    let before = listing(dir.path());
    let (code, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.starts_with(EXPECTED), "got:\n{stderr}");
    assert_eq!(listing(dir.path()), before, "check must not write anything");
}

#[test]
fn fixing_the_errors_leaves_warnings_and_exit_status_zero_until_deny_raises_one() {
    let dir = fixture("check-problems");
    let root = dir.path();
    let arrival = root.join("content/chapters/01-arrival.md");
    let text = fs::read_to_string(&arrival)
        .unwrap()
        .replace("[list of people](/people/)", "[[basil-host|host]]")
        .replace("(../../peopel/)", "(https://example.org/guests)")
        .replace("(#vote)", "(#meeting)");
    fs::write(&arrival, text).unwrap();
    let departure = root.join("content/chapters/02-departure.md");
    fs::write(
        &departure,
        fs::read_to_string(&departure)
            .unwrap()
            .replace("[portrait](../../images/ada.png)", "portrait"),
    )
    .unwrap();
    fs::write(
        root.join("templates/chapter.html"),
        fs::read_to_string(root.join("templates/chapter.html"))
            .unwrap()
            .replace("timelines/", "timeline/#y2014-04"),
    )
    .unwrap();
    let events = root.join("content/events/events.toml");
    fs::write(
        &events,
        fs::read_to_string(&events).unwrap() + "chapter = \"departure\"\n",
    )
    .unwrap();

    let (code, stderr) = check(root, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("0 errors, 2 warnings"), "{stderr}");
    assert!(
        stderr.contains("warning: chapter \"departure\" cites no sources"),
        "{stderr}"
    );

    // A fragment that the timeline does not have is caught in the template.
    fs::write(
        root.join("templates/chapter.html"),
        fs::read_to_string(root.join("templates/chapter.html"))
            .unwrap()
            .replace("#y2014-04", "#y1999"),
    )
    .unwrap();
    let (code, stderr) = check(root, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("templates/chapter.html:9:67: error: broken link \"../../timeline/#y1999\": /doc/timeline/ has no element with id \"y1999\""),
        "{stderr}"
    );
    fs::write(
        root.join("templates/chapter.html"),
        fs::read_to_string(root.join("templates/chapter.html"))
            .unwrap()
            .replace("#y1999", ""),
    )
    .unwrap();

    // site.toml raises a chosen warning to an error.
    let site = root.join("site.toml");
    fs::write(
        &site,
        fs::read_to_string(&site).unwrap().replace(
            "deny = [\"untold-event\"]",
            "deny = [\"untold-event\", \"unsourced-chapter\"]",
        ),
    )
    .unwrap();
    let (code, stderr) = check(root, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "content/chapters/02-departure.md:2:9: error: chapter \"departure\" cites no sources"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("1 error, 1 warning"), "{stderr}");
}

#[test]
fn root_relative_links_are_judged_against_the_base_path_in_use() {
    let dir = fixture("check-problems");
    // Published at the domain's root, "/people/" is inside the site.
    let (code, stderr) = check(dir.path(), &["--base-url", "https://example.org/"]);
    assert_eq!(code, 1);
    assert!(!stderr.contains("\"/people/\""), "{stderr}");
    assert!(
        stderr.contains("there is no page or file at /peopel/"),
        "{stderr}"
    );
    assert!(stderr.contains("5 errors, 2 warnings"), "{stderr}");
}
