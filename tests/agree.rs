//! Acceptance test for one pipeline (issue 16): `dossier build`, `dossier check` and
//! `dossier serve` must report the same problems. Each case is a copy of `tests/fixtures/basic`
//! broken in exactly one way (`tests/fixtures/broken/<case>/`); the real binary runs all three
//! commands, each on a fresh temp copy, and the diagnostics' header lines
//! (`LOCATION: error: MESSAGE`) must be the same multiset in all three, and be exactly one error,
//! the expected one, with no warnings.
//!
//! The expected location is where the mistake is written, and the message is checked for a key
//! phrase only (the substance, not the exact wording): where some command already reports the
//! mistake correctly, the phrase is taken from its message.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::Fixture;

const BIN: &str = env!("CARGO_BIN_EXE_dossier");
/// How long any one command may take before the test fails instead of hanging.
const TIMEOUT: Duration = Duration::from_secs(60);

/// One command's run: how it ended, its stderr (the project's path replaced by `<root>`) and the
/// header lines of the diagnostics in it.
struct Run {
    name: &'static str,
    /// The exit status (`build`, `check`) or the outcome line of the first build (`serve`).
    outcome: String,
    stderr: String,
    headers: Vec<String>,
}

/// The three commands run on one broken fixture.
struct Case {
    fixture: String,
    runs: Vec<Run>,
    /// Whatever is wrong, collected so that one failure shows all of it.
    failures: Vec<String>,
}

impl Case {
    /// Run build, check and serve, each on a fresh copy of `tests/fixtures/broken/<name>`;
    /// `prepare` finishes each copy (say, with a symbolic link git cannot hold).
    fn run(name: &str, prepare: impl Fn(&Path)) -> Case {
        let mut case = Case {
            fixture: name.to_string(),
            runs: Vec::new(),
            failures: Vec::new(),
        };
        let fresh = || {
            let f = Fixture::new(&format!("broken/{name}"));
            prepare(f.root());
            f
        };

        let f = fresh();
        let before = entries(f.root());
        let (status, stderr) = output(command("build", f.root()));
        case.push("build", f.root(), format!("exit status {status:?}"), stderr);
        case.expect(status == Some(1), "build: exit status 1");
        case.expect(
            !f.root().join("public").exists(),
            "build: no public/ was written",
        );
        case.expect(
            entries(f.root()) == before,
            "build: the project folder holds the same entries as before",
        );

        let f = fresh();
        let (status, stderr) = output(command("check", f.root()));
        case.push("check", f.root(), format!("exit status {status:?}"), stderr);
        case.expect(status == Some(1), "check: exit status 1");

        let f = fresh();
        let mut serve = command("serve", f.root());
        serve.args(["--port", "0"]);
        let (outcome, stderr) = first_build(serve);
        case.expect(
            outcome.starts_with("build failed"),
            "serve: the first build failed",
        );
        case.push("serve", f.root(), outcome, stderr);
        case
    }

    fn push(&mut self, name: &'static str, root: &Path, outcome: String, stderr: String) {
        let mut stderr = stderr;
        for r in [std::fs::canonicalize(root).ok(), Some(root.to_path_buf())]
            .into_iter()
            .flatten()
        {
            stderr = stderr.replace(&*r.to_string_lossy(), "<root>");
        }
        let mut headers = headers(&stderr);
        headers.sort();
        self.runs.push(Run {
            name,
            outcome,
            stderr,
            headers,
        });
    }

    fn expect(&mut self, ok: bool, what: &str) {
        if !ok {
            self.failures.push(format!("expected {what}"));
        }
    }

    /// The three commands agree, and report exactly one error, at `location` (a path, or
    /// `path:line:col`), whose message contains `phrase`; no warnings.
    fn reports(mut self, location: &str, phrase: &str) {
        let mut failures = Vec::new();
        for r in &self.runs {
            let name = r.name;
            if r.headers != self.runs[0].headers {
                failures.push(format!("{name} to report what build reports"));
            }
            let warnings = r.headers.iter().filter(|h| h.contains(": warning: "));
            if warnings.count() != 0 {
                failures.push(format!("{name}: no warnings"));
            }
            let errors: Vec<(&str, &str)> = r
                .headers
                .iter()
                .filter_map(|h| h.split_once(": error: "))
                .collect();
            if errors.len() != 1 {
                failures.push(format!("{name}: one error, not {}", errors.len()));
            }
            if !errors
                .iter()
                .any(|&(at, msg)| at == location && msg.contains(phrase))
            {
                failures.push(format!(
                    "{name}: an error at {location} saying \"{phrase}\""
                ));
            }
        }
        self.failures
            .extend(failures.into_iter().map(|f| format!("expected {f}")));
        if self.failures.is_empty() {
            return;
        }
        let mut report = format!("fixture broken/{}:\n", self.fixture);
        for f in &self.failures {
            report += &format!("  - {f}\n");
        }
        for r in &self.runs {
            report += &format!(
                "\n===== {} ({}): {} diagnostics =====\n",
                r.name,
                r.outcome,
                r.headers.len()
            );
            for h in &r.headers {
                report += &format!("  {h}\n");
            }
            report += &format!("----- {} stderr -----\n{}\n", r.name, r.stderr);
        }
        panic!("{report}");
    }
}

fn command(sub: &str, root: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg(sub).arg("--root").arg(root);
    c.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// The header line of every diagnostic in `stderr`: `LOCATION: error: MESSAGE` or
/// `LOCATION: warning: MESSAGE`, not the source lines (`12 | ...`), carets or help under them.
fn headers(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| !l.starts_with(char::is_whitespace))
        .filter(|l| {
            !l.split_once(" |")
                .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        })
        .filter(|l| {
            [": error: ", ": warning: "]
                .iter()
                .any(|s| l.split_once(s).is_some_and(|(at, _)| !at.is_empty()))
        })
        .map(str::to_string)
        .collect()
}

/// The top-level entries of the project folder, sorted.
fn entries(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Run to the end (at most `TIMEOUT`): the exit code and stderr.
fn output(mut cmd: Command) -> (Option<i32>, String) {
    let mut child = cmd.spawn().expect("start dossier");
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            stop(&mut child);
            panic!(
                "{cmd:?} did not finish in {TIMEOUT:?}; stderr:\n{}",
                reader.join().unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status.code(), reader.join().unwrap())
}

/// Start `serve` and read its stderr until the first build's outcome, at most `TIMEOUT`; then
/// stop it. The outcome line and the stderr up to it. The outcome lines are those `serve` in
/// src/main.rs prints: `build failed: ...` after the errors, or `built N pages ...` after the
/// warnings.
fn first_build(mut cmd: Command) -> (String, String) {
    let mut child = cmd.spawn().expect("start dossier serve");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            if tx.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + TIMEOUT;
    let mut log = String::new();
    let outcome = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                log += &line;
                log.push('\n');
                if line.starts_with("build failed") || line.starts_with("built ") {
                    break line;
                }
            }
            Err(e) => {
                stop(&mut child);
                let status = child.wait().ok();
                panic!("serve printed no build outcome ({e:?}, exit {status:?}); stderr:\n{log}");
            }
        }
    };
    stop(&mut child);
    (outcome, log)
}

fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn static_collision() {
    // Named by the static file; the phrase is from "this static file would replace the
    // generated page /people/index.html".
    Case::run("static-collision", |_| {}).reports("static/people/index.html", "generated page");
}

#[test]
fn static_in_search_folder() {
    // serve makes the search index only when it is asked for, so a file of the index cannot
    // be checked against static files one by one: the whole folder is the index's.
    Case::run("static-in-search", |_| {}).reports(
        "static/search/meta.json",
        "inside the generated folder /search/",
    );
}

#[cfg(unix)]
#[test]
fn static_symlink_out() {
    // A link to a file in another temp dir, made here: git should not hold an absolute link.
    // The same target for every command, so the messages (which name it) can be compared.
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "not for publishing\n").unwrap();
    Case::run("static-symlink-out", |root| {
        std::os::unix::fs::symlink(&secret, root.join("static/secret.txt")).unwrap();
    })
    .reports("static/secret.txt", "outside the project");
}

#[test]
fn broken_relative_link() {
    // At the link in the chapter's Markdown, not in a rendered page (the chapter's or /print/).
    Case::run("broken-relative-link", |_| {}).reports(
        "content/chapters/02-the-end.md:11:69",
        "broken link \"../no-such-chapter/\"",
    );
}

#[test]
fn missing_image() {
    Case::run("missing-image", |_| {}).reports(
        "content/chapters/02-the-end.md:13:12",
        "broken link \"../../images/nothing.png\"",
    );
}

#[test]
fn bad_anchor() {
    Case::run("bad-anchor", |_| {}).reports(
        "content/chapters/02-the-end.md:11:9",
        "has no section \"#no-such-section\"",
    );
}

#[test]
fn bad_date() {
    // (The three commands already agreed on this one before issue 16: a control case.)
    Case::run("bad-date", |_| {}).reports(
        "content/events/main.toml:42:8",
        "invalid date \"2013-13-45\"",
    );
}

#[test]
fn template_typo() {
    // At the misspelt field in the user's template, not at the pages it failed to make.
    Case::run("template-typo", |_| {})
        .reports("templates/person.html:11:40", "`nmae` is not defined");
}

#[test]
fn toml_syntax() {
    // john-kerry.toml cannot be read; the references to john-kerry are not further errors.
    Case::run("toml-syntax", |_| {}).reports("content/people/john-kerry.toml:1:19", "invalid TOML");
}

#[test]
fn wrong_type() {
    // `draft = "yes"` in 02-the-end.md; the references to the-end are not further errors.
    Case::run("wrong-type", |_| {}).reports("content/chapters/02-the-end.md:5:9", "wrong type");
}

#[test]
fn map_outlines_invalid() {
    // A comma missing in the GeoJSON of a [[map]]'s outlines: at the character after it.
    Case::run("map-outlines", |_| {}).reports(
        "content/maps/region.geojson:3:131",
        "invalid GeoJSON: expected `,` or `]`",
    );
}

#[test]
fn map_outlines_missing() {
    // The same fixture without its outlines file: at the path in site.toml.
    Case::run("map-outlines", |root| {
        std::fs::remove_file(root.join("content/maps/region.geojson")).unwrap()
    })
    .reports("site.toml:11:12", "does not exist");
}

#[test]
fn unknown_place() {
    // A documentary with content/places/: an event's place is an id (serve reads the folder on
    // every rebuild, as build and check do).
    Case::run("unknown-place", |_| {})
        .reports("content/events/main.toml:7:24", "unknown place \"gaza\"");
}

#[test]
fn unknown_reference_in_a_person_s_summary() {
    // A person's summary is Markdown with references, checked as a biography is.
    Case::run("unknown-in-summary", |_| {}).reports(
        "content/people/john-kerry.toml:6:35",
        "unknown person \"mahmod-abbas\"",
    );
}
