//! Bad input, one class per test: each lays `tests/fixtures/bad-<class>/` (or files generated
//! here, for the huge ones) over the small `bad-base` documentary after a good build, and
//! asserts the exact first line of every error (`path:line:col: error: ...`) and that the failed
//! build left `public/` byte-identical. Inputs that are odd but valid (a byte-order mark, CRLF,
//! a 10 MB chapter, 100,000 lines of events, 10,000 nested block quotes) must simply build.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::process::Command;
use std::time::Instant;

use common::*;
use dossier::diagnostics::Severity;

/// The `bad-base` documentary, built once: it must build cleanly.
fn base() -> Fixture {
    let f = Fixture::new("bad-base");
    let r = f.build();
    assert!(
        r.ok() && r.diagnostics.items.is_empty(),
        "bad-base must build cleanly:\n{}",
        messages(&r)
    );
    f
}

/// Lay `tests/fixtures/bad-<class>/` over the fixture.
fn overlay(f: &Fixture, class: &str) {
    f.overlay(&fixtures().join(format!("bad-{class}")));
}

/// The first line of each error, in the order the user sees them.
fn error_lines(r: &dossier::Report) -> Vec<String> {
    r.diagnostics
        .items
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string().lines().next().unwrap_or_default().to_string())
        .collect()
}

/// Build again: it must fail with exactly these errors and leave `public/` as it was.
fn fails_with(f: &Fixture, expected: &[&str]) -> dossier::Report {
    let before = f.tree();
    assert!(!before.is_empty(), "build the good site first");
    let r = f.build();
    assert!(!r.ok(), "the build should fail");
    assert_eq!(
        error_lines(&r),
        expected,
        "\nall diagnostics:\n{}",
        messages(&r)
    );
    assert!(f.tree() == before, "the failed build changed public/");
    r
}

#[test]
fn invalid_utf8_is_located_at_the_first_bad_byte_in_every_file() {
    let f = base();
    overlay(&f, "invalid-utf8");
    let r = fails_with(
        &f,
        &[
            "content/chapters/03-latin1.md:2:13: error: the file is not valid UTF-8: byte 0xE9 at offset 16",
            "content/events/latin1.toml:10:12: error: the file is not valid UTF-8: byte 0xEF at offset 125",
            "content/people/michele.toml:1:13: error: the file is not valid UTF-8: byte 0xE8 at offset 12",
        ],
    );
    let full = messages(&r);
    assert!(
        full.contains("2 | title = \"Caf\n  |             ^"),
        "{full}"
    );
    assert!(full.contains("= help: save the file as UTF-8"), "{full}");
}

#[test]
fn empty_files_say_what_they_lack() {
    let f = base();
    overlay(&f, "empty-file");
    fails_with(
        &f,
        &[
            "content/chapters/03-empty.md:1:1: error: the file is empty: a chapter must start with TOML front matter between `+++` lines",
            "content/events/empty.toml:1:1: error: this events file has no [[event]] tables",
            "content/people/nobody.toml:1:1: error: missing required field \"name\"",
        ],
    );
}

#[test]
fn byte_order_marks_and_crlf_line_endings_simply_work() {
    let plain = base();
    let f = base();
    overlay(&f, "bom-crlf");
    assert!(
        fs::read(f.root().join("content/chapters/01-the-meeting.md"))
            .unwrap()
            .starts_with(b"\xEF\xBB\xBF+++\r\n")
    );
    let r = f.build();
    assert!(r.ok() && r.diagnostics.items.is_empty(), "{}", messages(&r));
    // Not merely "it builds": the site is the very same as from LF files without a BOM.
    assert!(
        f.tree() == plain.tree(),
        "BOM/CRLF input built a different site"
    );
}

#[test]
fn errors_in_crlf_files_are_located_as_in_lf_files() {
    let f = base();
    f.write(
        "content/people/crlf.toml",
        "\u{feff}name = \"Crlf\"\r\nborn = \"1815-13-01\"\r\n",
    );
    fails_with(
        &f,
        &["content/people/crlf.toml:2:8: error: invalid date \"1815-13-01\": there is no month 13"],
    );
}

/// A 10 MB chapter: one paragraph after another, each naming people (so auto-linking and
/// mentions do real work), with headings.
#[test]
fn a_ten_megabyte_chapter_builds() {
    let f = base();
    let mut body = String::from("+++\ntitle = \"Everything\"\nsources = [\"letters\"]\n+++\n\n");
    let mut n = 0;
    while body.len() < 10 * 1024 * 1024 {
        n += 1;
        if n % 100 == 0 {
            let _ = write!(body, "## Part {n}\n\n");
        }
        let _ = write!(
            body,
            "Paragraph {n}: Ada Lovelace wrote to Charles Babbage about the engine, and [[charles-babbage]] answered. "
        );
        body.push_str(
            &"The engine would weave algebraic patterns as a loom weaves flowers and leaves. "
                .repeat(4),
        );
        body.push_str("\n\n");
    }
    f.write("content/chapters/03-everything.md", &body);
    let t = Instant::now();
    let r = f.build();
    eprintln!(
        "10 MB chapter ({} bytes, {n} paragraphs): built in {:?}",
        body.len(),
        t.elapsed()
    );
    assert!(r.ok(), "{}", messages(&r));
    let html = fs::read_to_string(f.out().join("chapters/everything/index.html")).unwrap();
    assert!(
        html.contains(&format!("<p id=\"p-{n}\">Paragraph {n}: ")),
        "the last paragraph is missing"
    );
    assert!(html.contains(&format!("<h2 id=\"part-{}\">", n - n % 100)));
}

fn events_file(lines: usize, last_date: &str) -> String {
    let mut text = String::new();
    let mut i = 0;
    let mut count = 0;
    loop {
        let event = format!(
            "[[event]]\nid = \"e{i}\"\ntitle = \"Event {i}\"\npeople = [\"ada-lovelace\"]\nchapter = \"the-notes#note-g\"\ndate = \"18{:02}-{:02}-{:02}\"\n\n",
            i % 100,
            i % 12 + 1,
            i % 28 + 1
        );
        if count + 7 > lines {
            break;
        }
        text.push_str(&event);
        count += 7;
        i += 1;
    }
    // Pad to exactly `lines` lines, the last one the last event's date.
    text.truncate(text.len() - 1);
    count -= 1;
    while count < lines - 6 {
        text.push_str("# filler\n");
        count += 1;
    }
    let _ = write!(
        text,
        "[[event]]\nid = \"last\"\ntitle = \"The last\"\npeople = [\"ada-lovelace\"]\nchapter = \"the-notes\"\ndate = \"{last_date}\"\n"
    );
    assert_eq!(text.lines().count(), lines);
    text
}

#[test]
fn a_hundred_thousand_line_events_file_builds() {
    let f = base();
    f.write(
        "content/events/many.toml",
        events_file(100_000, "1899-12-31"),
    );
    let t = Instant::now();
    let r = f.build();
    eprintln!("100,000-line events file: built in {:?}", t.elapsed());
    assert!(r.ok(), "{}", messages(&r));
    // Every event is on the timeline (however its pages are split).
    let timeline: String = f
        .tree()
        .into_iter()
        .filter(|(p, _)| p.starts_with("timeline/"))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .collect();
    for id in ["e0", "e7000", "e14284", "last"] {
        assert!(
            timeline.contains(&format!("id=\"{id}\"")),
            "event {id} is not on the timeline"
        );
    }
}

#[test]
fn an_error_on_line_100000_is_located_there() {
    let f = base();
    f.write(
        "content/events/many.toml",
        events_file(100_000, "1899-02-30"),
    );
    fails_with(
        &f,
        &[
            "content/events/many.toml:100000:8: error: invalid date \"1899-02-30\": February 1899 has no day 30",
        ],
    );
}

#[test]
fn ten_thousand_nested_block_quotes_build() {
    let f = base();
    let deep = format!(
        "+++\ntitle = \"Deep\"\nsources = [\"letters\"]\n+++\n\n{} Ada Lovelace, at the bottom.\n",
        ">".repeat(10_000)
    );
    f.write("content/chapters/03-deep.md", &deep);
    // And nested the long way: one more `>` per line.
    let mut stairs = String::from("+++\ntitle = \"Stairs\"\nsources = [\"letters\"]\n+++\n\n");
    for i in 1..=10_000 {
        let _ = writeln!(stairs, "{} step {i}", ">".repeat(i));
    }
    f.write("content/chapters/04-stairs.md", &stairs);
    let t = Instant::now();
    // The real binary, so its own main-thread and rayon stacks are what is tested.
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(f.root())
        .output()
        .unwrap();
    eprintln!(
        "10,000 nested block quotes (twice): built in {:?}",
        t.elapsed()
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = fs::read_to_string(f.out().join("chapters/deep/index.html")).unwrap();
    assert_eq!(html.matches("<blockquote>").count(), 10_000);
    assert!(html.contains("at the bottom."));
    let html = fs::read_to_string(f.out().join("chapters/stairs/index.html")).unwrap();
    assert_eq!(html.matches("<blockquote>").count(), 10_000);
    assert!(html.contains("step 10000"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_under_content_and_static_are_reported() {
    use std::os::unix::fs::symlink;
    let f = base();
    let root = f.root();
    symlink("03-loop.md", root.join("content/chapters/03-loop.md")).unwrap();
    symlink("b.toml", root.join("content/people/a.toml")).unwrap();
    symlink("a.toml", root.join("content/people/b.toml")).unwrap();
    fails_with(
        &f,
        &[
            "content/chapters/03-loop.md: error: this symbolic link loops back on itself",
            "content/people/a.toml: error: this symbolic link loops back on itself",
            "content/people/b.toml: error: this symbolic link loops back on itself",
        ],
    );
    // static/ is walked when the content is good (writing is the step that copies it).
    for p in [
        "content/chapters/03-loop.md",
        "content/people/a.toml",
        "content/people/b.toml",
    ] {
        fs::remove_file(root.join(p)).unwrap();
    }
    symlink("..", root.join("static/css/up")).unwrap();
    symlink("../..", root.join("static/css/project")).unwrap();
    symlink("self.png", root.join("static/self.png")).unwrap();
    fails_with(
        &f,
        &[
            "static/css/project: error: this symbolic link leads out of static/, to the project folder",
            "static/css/up: error: this symbolic link loops back to static",
            "static/self.png: error: this symbolic link loops back on itself",
        ],
    );
}

#[cfg(unix)]
#[test]
fn dangling_symlinks_are_reported() {
    use std::os::unix::fs::symlink;
    let f = base();
    symlink(
        "../drafts/gone.md",
        f.root().join("content/chapters/03-gone.md"),
    )
    .unwrap();
    fails_with(
        &f,
        &[
            "content/chapters/03-gone.md: error: this symbolic link points to \"../drafts/gone.md\", which does not exist",
        ],
    );
    fs::remove_file(f.root().join("content/chapters/03-gone.md")).unwrap();
    symlink("../images/gone.png", f.root().join("static/gone.png")).unwrap();
    fails_with(
        &f,
        &[
            "static/gone.png: error: this symbolic link points to \"../images/gone.png\", which does not exist",
        ],
    );
}

#[test]
fn a_static_file_may_not_take_a_generated_page_or_its_folder() {
    let f = base();
    overlay(&f, "static-collision");
    fails_with(
        &f,
        &[
            "static/.dossier-build: error: this static file would replace the generated page /.dossier-build",
            "static/404.html/readme.txt: error: this static file would need the generated page /404.html to be a folder",
            "static/people/index.html: error: this static file would replace the generated page /people/index.html",
            "static/sources: error: this static file would replace the generated folder /sources/",
        ],
    );
}

#[test]
fn ids_may_not_take_a_reserved_page() {
    let f = base();
    overlay(&f, "reserved-id");
    fails_with(
        &f,
        &[
            "content/chapters/03-index.md:1:1: error: the chapter slug \"index\" is reserved",
            "content/events/anchors.toml:2:6: error: the event id \"main\" is reserved: the timeline uses it for its own anchor",
            "content/events/anchors.toml:8:6: error: the event id \"y1843-01\" is reserved: the timeline uses it for its own anchor",
            "content/people/index.toml:1:1: error: the person id \"index\" is reserved for a generated page",
            "content/people/network.toml:1:1: error: the person id \"network\" is reserved for a generated page",
        ],
    );
}

#[test]
fn two_chapters_may_not_share_a_slug() {
    let f = base();
    overlay(&f, "duplicate-slug");
    let r = fails_with(
        &f,
        &[
            "content/chapters/03-the-meeting.md:1:1: error: two chapters have the slug \"the-meeting\"",
        ],
    );
    assert!(
        messages(&r)
            .contains("= help: content/chapters/01-the-meeting.md has it too; rename one of them")
    );
}

#[test]
fn an_event_chapter_anchor_must_exist() {
    let f = base();
    overlay(&f, "unknown-anchor");
    let r = fails_with(
        &f,
        &[
            "content/events/demo.toml:5:11: error: chapter \"the-meeting\" has no section \"#the-demonstration\"",
        ],
    );
    assert!(
        messages(&r).contains("= help: its sections are: the-engine"),
        "{}",
        messages(&r)
    );
}

#[test]
fn the_cli_prints_the_located_error_and_writes_nothing() {
    let f = base();
    let before = f.tree();
    overlay(&f, "invalid-utf8");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(f.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("content/chapters/03-latin1.md:2:13: error: the file is not valid UTF-8: byte 0xE9 at offset 16\n"), "{stderr}");
    assert!(
        stderr
            .trim_end()
            .ends_with("build failed: nothing was written"),
        "{stderr}"
    );
    assert!(f.tree() == before);
}

#[test]
fn a_very_long_line_is_shown_as_a_window_around_the_error() {
    let f = base();
    let line = format!(
        "{} [[nobody]] {}",
        "word ".repeat(20_000),
        "more ".repeat(20_000)
    );
    f.write(
        "content/chapters/03-long.md",
        format!("+++\ntitle = \"Long\"\nsources = [\"letters\"]\n+++\n{line}\n"),
    );
    let r = fails_with(
        &f,
        &["content/chapters/03-long.md:5:100002: error: unknown person \"nobody\""],
    );
    let text = r.diagnostics.items[0].to_string();
    assert!(
        text.len() < 400,
        "the source line should be cut around the error, got {} bytes",
        text.len()
    );
    let lines: Vec<&str> = text.lines().collect();
    let chars_before = |line: &str, pat: &str| line.find(pat).map(|i| line[..i].chars().count());
    let at = chars_before(lines[2], "[[nobody]]").expect("the window shows the reference");
    assert_eq!(
        chars_before(lines[3], "^"),
        Some(at),
        "the caret is under the reference:\n{text}"
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_or_a_folder_named_like_content_is_refused_not_read() {
    let f = base();
    let fifo = f.root().join("content/people/pipe.toml");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(made, "mkfifo");
    std::os::unix::fs::symlink("pipe.toml", f.root().join("content/people/piped.toml")).unwrap();
    fs::create_dir_all(f.root().join("content/chapters/03-folder.md")).unwrap();
    std::os::unix::fs::symlink("03-folder.md", f.root().join("content/chapters/04-link.md"))
        .unwrap();
    fails_with(
        &f,
        &[
            "content/chapters/04-link.md: error: this is not a regular file",
            "content/people/piped.toml: error: this is not a regular file",
        ],
    );
}

#[test]
fn errors_after_escapes_and_crlf_in_toml_strings_are_located_exactly() {
    let f = base();
    // Escapes make the string's text shorter than what is written: the column must still be the
    // one in the file. Basic, multi-line, literal strings, CRLF, \u escapes and a line-ending
    // backslash.
    f.write(
        "content/events/escapes.toml",
        concat!(
            "[[event]]\nid = \"quoted\"\ndate = \"1840\"\nchapter = \"the-notes\"\n",
            "summary = \"He said \\\"hi\\\" and \\u00e9t\\u00e9 to [[nobody]].\"\n\n",
            "[[event]]\nid = \"multi\"\ndate = \"1841\"\nchapter = \"the-notes\"\n",
            "summary = \"\"\"\r\nA line with \\\"quotes\\\",\r\nthen a \\\n    continued [[chapter:nowhere]].\"\"\"\n\n",
            "[[event]]\nid = \"literal\"\ndate = \"1842\"\nchapter = \"the-notes\"\n",
            "summary = '''\nNo \\escapes\\ here [[event:nothing]].'''\n",
        ),
    );
    let text = fs::read_to_string(f.root().join("content/events/escapes.toml")).unwrap();
    let at = |needle: &str| {
        let off = text.find(needle).unwrap();
        let line = text[..off].matches('\n').count() + 1;
        let col = text[text[..off].rfind('\n').map_or(0, |i| i + 1)..off]
            .chars()
            .count()
            + 1;
        format!("content/events/escapes.toml:{line}:{col}")
    };
    fails_with(
        &f,
        &[
            &format!("{}: error: unknown person \"nobody\"", at("[[nobody]]")),
            &format!(
                "{}: error: unknown chapter \"nowhere\"",
                at("[[chapter:nowhere]]")
            ),
            &format!(
                "{}: error: unknown event \"nothing\"",
                at("[[event:nothing]]")
            ),
        ],
    );
}
