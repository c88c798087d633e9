//! The corners of issue 17 that a build meets (items 10–12, 14 and 17), each reproduced as the
//! issue's author found it, on the small `bad-base` documentary grown with generated files: a
//! link in `static/` to the repository's settings, raw HTML that made `check` panic, a crowd
//! in one paragraph or event, control characters in TOML text, a URL and a file name, and
//! content that grew a chapter's page or a search file without bound. Where the behaviour is
//! the binary's (what it prints, its exit status), the real binary is run.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// Run the real binary on `root`: (exit status, stderr).
fn dossier(root: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The first line of each error the binary printed.
fn errors(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(": error: ")).collect()
}

/// `bad-base` copied into `<outer>/project`, so that links may lead out of it.
fn project() -> (tempfile::TempDir, PathBuf) {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("project");
    copy_dir(&fixtures().join("bad-base"), &root);
    (outer, root)
}

fn write(root: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

// Item 10 -----------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_link_to_the_repositorys_settings_or_any_secret_is_never_published() {
    use std::os::unix::fs::symlink;
    let (_outer, root) = project();
    // Where `actions/checkout` keeps the job's token.
    write(
        &root,
        ".git/config",
        "[http \"https://github.com/\"]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n",
    );
    symlink("../.git/config", root.join("static/notes.txt")).unwrap();
    for command in ["build", "check"] {
        let (code, stderr) = dossier(&root, &[command]);
        assert_eq!(code, Some(1), "{command}: {stderr}");
        assert_eq!(
            errors(&stderr),
            [
                "static/notes.txt: error: this symbolic link leads to .git/config, which is never published: .git/ holds the repository's history and settings (on CI, the checkout's token)"
            ],
            "{command}"
        );
        assert!(stderr.contains("= help: Dossier never publishes version control folders (.git/)"));
    }
    assert!(!root.join("public").exists(), "nothing was written");
}

#[cfg(unix)]
#[test]
fn links_out_of_their_folder_and_secrets_that_are_real_files_are_refused() {
    use std::os::unix::fs::symlink;
    let (_outer, root) = project();
    write(
        &root,
        ".git/config",
        "[http \"https://github.com/\"]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n",
    );
    write(&root, "assets/logo.svg", "<svg/>");
    symlink("../assets/logo.svg", root.join("static/logo.svg")).unwrap();
    write(
        &root,
        "drafts/rome.md",
        "+++\ntitle = \"Rome\"\n+++\n\nText.\n",
    );
    symlink(
        "../../drafts/rome.md",
        root.join("content/chapters/03-rome.md"),
    )
    .unwrap();
    write(&root, "static/.env", "API_KEY=secret\n");
    write(
        &root,
        "static/keys/server.pem",
        "-----BEGIN PRIVATE KEY-----\n",
    );
    write(&root, "static/site/.git/HEAD", "ref: refs/heads/main\n");
    write(
        &root,
        "static/.well-known/security.txt",
        "Contact: mailto:a@example.org\n",
    );
    let (code, stderr) = dossier(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        errors(&stderr),
        [
            "content/chapters/03-rome.md: error: this symbolic link leads out of content/, to drafts/rome.md",
            "static/.env: error: this file is never published: a .env file holds passwords, keys or tokens",
            "static/keys/server.pem: error: this file is never published: a .pem file holds a private key or certificate",
            "static/logo.svg: error: this symbolic link leads out of static/, to assets/logo.svg",
            "static/site/.git: error: this folder is never published: .git/ holds the repository's history and settings (on CI, the checkout's token)",
        ]
    );
    for p in [
        "static/logo.svg",
        "content/chapters/03-rome.md",
        "static/.env",
        "static/keys/server.pem",
    ] {
        fs::remove_file(root.join(p)).unwrap();
    }
    fs::remove_dir_all(root.join("static/site")).unwrap();
    let (code, stderr) = dossier(&root, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(root.join("public/.well-known/security.txt").is_file());
    let published = tree(&root.join("public"));
    assert!(
        published
            .values()
            .all(|b| !String::from_utf8_lossy(b).contains("c2VjcmV0")),
        "the token was published"
    );
}

// Item 11 -----------------------------------------------------------------------------------

#[test]
fn check_reads_raw_html_with_letters_of_several_bytes_without_panicking() {
    let (_outer, root) = project();
    let cases = [
        "<div é>x</div>",
        "<span é=1>y</span> and <b é>z</b>",
        "<é>",
        "<div\u{a0}é>x</div>",
        "<a href=é>a</a> <img src=\"é\" alt=é>",
        "<div 日本=\"語\">x</div>",
        "<p é",
        "<style>é</style><script>é</script>",
    ];
    for (i, html) in cases.iter().enumerate() {
        write(
            &root,
            &format!("content/chapters/{:02}-html-{i}.md", i + 3),
            format!(
                "+++\ntitle = \"HTML {i}\"\nsources = [\"letters\"]\n+++\n\n{html}\n\nAfter.\n"
            ),
        );
    }
    for command in ["check", "build"] {
        let (code, stderr) = dossier(&root, &[command]);
        assert!(
            matches!(code, Some(0 | 1)),
            "{command} exited with {code:?} (101 is a panic): {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

// Item 12 -----------------------------------------------------------------------------------

/// `n` people, `p0` to `p{n-1}`.
fn people(root: &Path, n: usize) {
    for i in 0..n {
        write(
            root,
            &format!("content/people/p{i}.toml"),
            format!("name = \"Person P{i}\"\n"),
        );
    }
}

/// The names a person's page lists as the people they appear with most.
fn companions(f: &Fixture, id: &str) -> Vec<String> {
    texts(
        &f.page(&format!("people/{id}/")),
        ".person-companions .companion a",
    )
}

#[test]
fn a_crowd_named_in_one_paragraph_or_event_ties_no_one_together() {
    let f = Fixture::new("bad-base");
    people(f.root(), 60);
    let all: Vec<String> = (0..60).map(|i| format!("[[p{i}]]")).collect();
    let ids: Vec<String> = (0..60).map(|i| format!("\"p{i}\"")).collect();
    f.write(
        "content/chapters/03-roll.md",
        format!(
            "+++\ntitle = \"Roll\"\nsources = [\"letters\"]\n+++\n\n{}.\n\n[[p0]] met [[p1]].\n",
            all.join(" ")
        ),
    );
    f.write(
        "content/events/crowd.toml",
        format!(
            "[[event]]\nid = \"crowd\"\ndate = \"1840\"\ntitle = \"A crowd\"\npeople = [{}]\nchapter = \"roll\"\n\n[[event]]\nid = \"two\"\ndate = \"1841\"\ntitle = \"Two\"\npeople = [\"p0\", \"p2\"]\nchapter = \"roll\"\n",
            ids.join(", ")
        ),
    );
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    // Everyone named is in the cast, but only the paragraph of two and the event of two tie
    // anyone: 60 people made 1,770 pairs twice over (10,000 made 50 million: 64 s and 9.4 GB).
    assert_eq!(companions(&f, "p0"), ["Person P1", "Person P2"]);
    assert_eq!(companions(&f, "p1"), ["Person P0"]);
    assert!(companions(&f, "p30").is_empty());
    let cast = texts(&f.page("chapters/roll/"), ".aside-cast .cast a");
    assert_eq!(cast.len(), 60);
    // The network draws the same connections.
    let rows = texts(&f.page("people/network/"), ".nw-table tbody th");
    assert!(rows.iter().all(|r| r != "Person P30"), "{rows:?}");
    assert!(rows.iter().any(|r| r == "Person P2"), "{rows:?}");
}

// Item 14 -----------------------------------------------------------------------------------

#[test]
fn control_characters_in_one_line_toml_text_are_located_errors() {
    let (_outer, root) = project();
    assert_eq!(dossier(&root, &["build"]).0, Some(0));
    let before = tree(&root.join("public"));
    write(
        &root,
        "content/people/mara.toml",
        "name = \"Mara\\u0000Quill\"\nrole = \"Spy\\u001b[2J\"\nbio = \"\"\"\nTwo lines,\n\tand a tab: prose.\n\"\"\"\n",
    );
    write(
        &root,
        "content/people/vera.toml",
        "name = \"Vera\"\nbio = \"A bell\\u0007.\"\n",
    );
    write(
        &root,
        "content/chapters/03-lines.md",
        "+++\ntitle = \"One\\nTwo\"\nsummary = \"Prose\\nmay break.\"\nsources = [\"letters\"]\n+++\n\n[[mara]] and [[vera]].\n",
    );
    write(
        &root,
        "content/events/more.toml",
        "[[event]]\nid = \"x\"\ndate = \"1850\"\ntitle = \"X\"\nplace = \"Lon\\u009bdon\"\ntags = [\"ok\", \"a\\tb\"]\nnote = \"fine\\n\"\nchapter = \"lines\"\n",
    );
    let (code, stderr) = dossier(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        errors(&stderr),
        [
            "content/chapters/03-lines.md:2:13: error: control character U+000A in `title`, a one-line text",
            "content/events/more.toml:5:13: error: control character U+009B in `place`, a one-line text",
            "content/events/more.toml:6:17: error: control character U+0009 in `tags`, a one-line text",
            "content/people/mara.toml:1:13: error: control character U+0000 in `name`, a one-line text",
            "content/people/mara.toml:2:12: error: control character U+001B in `role`, a one-line text",
            "content/people/vera.toml:2:14: error: control character U+0007 in `bio`",
        ]
    );
    assert!(stderr.contains("  = help: names, titles and other one-line values are plain text, without line breaks, tabs or other control characters: remove it (in the file it may be an escape such as \\u0000)"), "{stderr}");
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\0'));
    assert!(
        tree(&root.join("public")) == before,
        "the failed build wrote"
    );
}

#[test]
fn a_base_url_with_a_line_break_is_refused_not_written_into_robots_txt() {
    let (_outer, root) = project();
    // (No space: a space was refused already.)
    let (code, stderr) = dossier(
        &root,
        &["build", "--base-url", "https://x.org/\nDisallow:/"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        errors(&stderr),
        [
            "--base-url: error: invalid base URL: \"https://x.org/\\nDisallow:/\" holds a control character (U+000A)"
        ]
    );
    assert!(!root.join("public").exists());
    let site = fs::read_to_string(root.join("site.toml")).unwrap();
    write(
        &root,
        "site.toml",
        site.replace(
            "base_url = \"https://example.org/engines/\"",
            "base_url = \"https://example.org/\\r\\nHost: evil\"",
        ),
    );
    let (code, stderr) = dossier(&root, &["build"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(errors(&stderr)[0].starts_with("site.toml:3:12: error: invalid base_url: \"https://example.org/\\r\\nHost: evil\" holds a control character (U+000D)"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_file_name_with_an_escape_sequence_is_printed_escaped() {
    let (_outer, root) = project();
    // Clear the screen, move home, and write in red.
    write(
        &root,
        "content/people/\u{1b}[2J\u{1b}[H\u{1b}[31mevil.toml",
        "name = \"Evil\"\n",
    );
    let (code, stderr) = dossier(&root, &["check"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "a raw escape was printed: {stderr:?}"
    );
    assert!(
        stderr.contains(
            "content/people/\\u{1b}[2J\\u{1b}[H\\u{1b}[31mevil.toml:1:1: error: invalid person id"
        ),
        "{stderr}"
    );
}

// Item 17 -----------------------------------------------------------------------------------

#[test]
fn a_chapter_lists_at_most_200_of_the_events_it_tells() {
    let f = Fixture::new("bad-base");
    let mut events = String::new();
    for i in 0..250 {
        let _ = write!(
            events,
            "[[event]]\nid = \"e{i}\"\ndate = \"1860-01-01\"\ntitle = \"Event {i}\"\nchapter = \"the-notes\"\n\n"
        );
    }
    f.write("content/events/many.toml", events);
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let page = f.page("chapters/the-notes/");
    // The notes are told by one event of the documentary and the 250 added.
    assert_eq!(texts(&page, ".aside-events li").len(), 200);
    assert_eq!(
        texts(&page, ".aside-events .more"),
        ["And 51 more events on the timeline."]
    );
    assert!(texts(&page, ".meta")[0].ends_with("251 events"));
    assert_eq!(
        links(&page, ".aside-events .more a"),
        [("../../timeline/".to_string(), "timeline".to_string())]
    );
}

/// The search index of a built site: its meta, and the documents of every chunk in order.
fn search_files(out: &Path) -> (serde_json::Value, Vec<serde_json::Value>) {
    let read = |p: PathBuf| -> serde_json::Value {
        serde_json::from_slice(&fs::read(&p).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    };
    let meta = read(out.join("search/meta.json"));
    let mut docs = Vec::new();
    for n in 0..meta["chunks"].as_array().unwrap().len() {
        let chunk = read(out.join(format!("search/doc/{n}.json")));
        assert_eq!(chunk["first"].as_u64(), Some(docs.len() as u64));
        docs.extend(chunk["docs"].as_array().unwrap().iter().cloned());
    }
    (meta, docs)
}

/// The documents the index lists for `term` (a word as the index stores it).
fn documents_of(out: &Path, meta: &serde_json::Value, term: &str) -> Vec<u64> {
    let shards = meta["shards"].as_array().unwrap();
    let at = shards.partition_point(|s| s[0].as_str().unwrap() <= term) - 1;
    let file = shards[at][1].as_str().unwrap();
    let shard: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("search/index").join(file)).unwrap()).unwrap();
    let Some(entry) = (shard["terms"].as_array().unwrap().iter()).find(|t| t[0] == term) else {
        return Vec::new();
    };
    let deltas = entry[1].as_array().unwrap();
    let mut doc = 0;
    (deltas.chunks(2))
        .map(|p| {
            doc += p[0].as_u64().unwrap();
            doc
        })
        .collect()
}

#[test]
fn every_search_file_stays_under_100_kb_whatever_the_content() {
    let f = Fixture::new("bad-base");
    let front = |title: &str| format!("+++\ntitle = \"{title}\"\nsources = [\"letters\"]\n+++\n\n");
    // 20,000 headings: their titles were all kept, past the text's budget (a 595 KB chunk).
    let mut many = front("Many") + "Zebras graze here.\n\n";
    for i in 0..20_000 {
        let _ = write!(many, "## Heading number {i}\n\nText {i}.\n\n");
    }
    f.write("content/chapters/03-many.md", many);
    // A heading of 200 KB; a title of 100 KB (which a record's text starts with).
    let long = "word ".repeat(40_000);
    f.write(
        "content/chapters/04-long.md",
        front("Long") + &format!("Okapis.\n\n## {long}\n\nText.\n"),
    );
    f.write(
        "content/chapters/06-title.md",
        front(&"Title ".repeat(17_000)) + "Text.\n",
    );
    // Text of control characters, each six bytes in JSON.
    f.write(
        "content/chapters/05-controls.md",
        front("Controls") + "Quaggas " + &"\u{1}".repeat(60_000) + "\n",
    );
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let out = f.out();
    for (path, bytes) in f.tree() {
        if path.starts_with("search/") {
            assert!(bytes.len() <= 100_000, "{path} is {} bytes", bytes.len());
        }
    }
    // The index still finds what each record holds, and only there.
    let (meta, docs) = search_files(&out);
    assert_eq!(meta["documents"].as_u64(), Some(docs.len() as u64));
    let url_of = |term: &str| -> Vec<&str> {
        documents_of(&out, &meta, term)
            .into_iter()
            .map(|d| docs[d as usize]["url"].as_str().unwrap())
            .collect()
    };
    assert_eq!(url_of("zebras"), ["chapters/many/"]);
    assert_eq!(url_of("okapis"), ["chapters/long/"]);
    assert_eq!(url_of("quaggas"), ["chapters/controls/"]);
    let many = docs.iter().find(|d| d["url"] == "chapters/many/").unwrap();
    let sections = many["sections"].as_array().unwrap();
    assert!(sections.len() > 1_000, "{} sections kept", sections.len());
    assert_eq!(sections[0][0], "Heading number 0");
}
