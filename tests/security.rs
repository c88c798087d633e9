//! What Dossier emits is safe to publish, whatever `content/` holds: every value from TOML is
//! text (never markup, never script), URLs from data and Markdown are web or relative URLs,
//! JSON-LD cannot be closed by content, no id or file name can write outside the output folder,
//! the output folder is never the project or its sources, and a build deletes nothing outside
//! it. The `xss` fixture fills every field with an attack; `tests/browser/xss.test.mjs` loads
//! its pages in a real browser with a dialog listener.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;
use dossier::diagnostics::Severity;
use scraper::Html;

fn error_lines(r: &dossier::Report) -> Vec<String> {
    r.diagnostics
        .items
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string().lines().next().unwrap_or_default().to_string())
        .collect()
}

fn html_pages(f: &Fixture) -> Vec<(String, String)> {
    f.tree()
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).expect("pages are UTF-8")))
        .collect()
}

/// Attributes that hold a URL the browser will follow or load.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "xlink:href",
    "cite",
    "srcset",
];

#[test]
fn values_from_toml_are_text_in_every_page_never_markup() {
    let f = Fixture::new("xss");
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let pages = html_pages(&f);
    assert!(
        pages.len() >= 8,
        "{:?}",
        pages.iter().map(|p| &p.0).collect::<Vec<_>>()
    );
    let mut ld_scripts = 0;
    for (path, text) in &pages {
        let doc = Html::parse_document(text);
        for el in doc
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
        {
            let name = el.value().name();
            assert!(
                !["iframe", "object", "embed"].contains(&name),
                "{path}: a <{name}> element was injected"
            );
            assert!(
                !(name == "img" && el.value().attr("src") == Some("x")),
                "{path}: an <img src=x> was injected"
            );
            for (attr, value) in el.value().attrs() {
                assert!(
                    !attr.starts_with("on"),
                    "{path}: <{name} {attr}=\"{value}\"> is an event handler"
                );
                if URL_ATTRS.contains(&attr) {
                    assert!(
                        dossier::markdown::is_safe_url(value),
                        "{path}: <{name} {attr}=\"{value}\"> is not a web or relative URL"
                    );
                }
            }
            if name == "script" {
                let body: String = el.text().collect();
                match (el.value().attr("type"), el.value().attr("src")) {
                    (Some("application/ld+json"), _) => {
                        ld_scripts += 1;
                        let v: serde_json::Value =
                            serde_json::from_str(&body).unwrap_or_else(|e| {
                                panic!("{path}: JSON-LD broken out of ({e}): {body}")
                            });
                        assert!(v.is_object() || v.is_array());
                    }
                    (_, Some(src)) => assert!(
                        !src.contains(':') && src.ends_with(".js"),
                        "{path}: script from {src}"
                    ),
                    // The templates' own inline scripts: no data from TOML may reach them.
                    _ => assert!(
                        !body.contains("alert("),
                        "{path}: data inside an inline script: {body}"
                    ),
                }
            }
        }
    }
    assert!(
        ld_scripts >= pages.len() - 1,
        "every page but 404 has JSON-LD"
    );

    // And the attacks are there, as text, where a reader expects them.
    let person = f.page("people/mallory/");
    assert_eq!(texts(&person, "h1"), ["<script>alert('name')</script>"]);
    // (Smart punctuation curls the quotes of what was never HTML to begin with.)
    let bio = texts(&person, ".bio").join(" ").replace(['‘', '’'], "'");
    assert!(bio.contains("raw HTML: <img src=x onerror=alert('bio-img')> and <script>alert('bio-script')</script>."), "{bio}");
    assert!(
        bio.contains("<iframe src=\"javascript:alert('bio-iframe')\"></iframe>"),
        "{bio}"
    );
    let ld = person
        .select(&sel("script[type='application/ld+json']"))
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert_eq!(ld["name"], "<script>alert('name')</script>");
    assert_eq!(
        ld["description"],
        "</script><script>alert(‘summary’)</script>"
    );
    let portrait = person
        .select(&sel("img.portrait"))
        .next()
        .expect("the portrait");
    assert_eq!(
        portrait.value().attr("src"),
        Some("../../images/m.png\" onerror=\"alert('image')")
    );

    let chapter = f.page("chapters/payloads/");
    assert_eq!(
        texts(&chapter, "h1"),
        ["<script>alert(‘chapter-title’)</script>"]
    );
    assert!(
        texts(&chapter, "a.ref-person").contains(&"<script>alert('name')</script>".to_string())
    );
    let head_title = texts(&chapter, "title").join("");
    assert!(
        head_title.contains("Dossier </script><script>alert('site-title')</script>"),
        "{head_title}"
    );

    // Template syntax in data is printed, not evaluated.
    assert_eq!(
        texts(&f.page("people/trent/"), "h1"),
        ["Trent {{ 7 * 7 }} {% raw %}"]
    );

    // The feed and the sitemap are XML: the attacks are escaped there too.
    for file in ["atom.xml", "sitemap.xml"] {
        let xml = String::from_utf8(f.tree()[file].clone()).unwrap();
        assert!(
            !xml.contains("<script") && !xml.contains("<img"),
            "{file} carries markup from data"
        );
    }
    let atom = String::from_utf8(f.tree()["atom.xml"].clone()).unwrap();
    assert!(
        atom.contains("<title>&lt;script&gt;alert(‘chapter-title’)&lt;/script&gt;</title>"),
        "{atom}"
    );
}

#[test]
fn raw_html_in_a_biography_or_event_summary_is_text_but_chapters_may_use_it() {
    let f = Fixture::new("bad-base");
    f.write(
        "content/chapters/03-figures.md",
        "+++\ntitle = \"Figures\"\nsources = [\"letters\"]\n+++\n\n<aside class=\"note\">An editor's aside.</aside>\n\nText with <abbr title=\"Difference Engine\">DE</abbr>.\n",
    );
    f.write(
        "content/people/mary.toml",
        "name = \"Mary Somerville\"\nbio = \"\"\"\nShe introduced them. <b>Bold?</b> <aside>no</aside>\n\n<div class=\"x\">a block</div>\n\"\"\"\n",
    );
    let r = f.build();
    assert!(r.ok(), "{}", messages(&r));
    let chapter = f.page("chapters/figures/");
    assert_eq!(texts(&chapter, "aside.note"), ["An editor's aside."]);
    assert_eq!(texts(&chapter, "abbr[title='Difference Engine']"), ["DE"]);
    let page = String::from_utf8(f.tree()["people/mary/index.html"].clone()).unwrap();
    for raw in ["<b>Bold?</b>", "<aside>no</aside>", "<div class=\"x\">"] {
        assert!(
            !page.contains(raw),
            "raw HTML from TOML was let through: {raw}"
        );
    }
    let person = f.page("people/mary/");
    let bio = texts(&person, ".bio").join(" ");
    assert!(
        bio.contains("She introduced them. <b>Bold?</b> <aside>no</aside>"),
        "{bio}"
    );
    assert!(bio.contains("<div class=\"x\">a block</div>"), "{bio}");
}

#[test]
fn urls_from_data_must_be_web_urls() {
    let bad = [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "  javascript:alert(1)",
        "java\\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/x",
    ];
    let f = Fixture::new("bad-base");
    f.build();
    let mut toml = String::new();
    for (i, url) in bad.iter().enumerate() {
        toml.push_str(&format!(
            "[[source]]\nid = \"s{i}\"\ntitle = \"S{i}\"\nurl = \"{url}\"\n\n"
        ));
    }
    f.write(
        "content/sources.toml",
        format!(
            "{}\n{toml}",
            fs::read_to_string(f.root().join("content/sources.toml")).unwrap()
        ),
    );
    let before = f.tree();
    let r = f.build();
    let expected: Vec<String> = bad
        .iter()
        .enumerate()
        .map(|(i, url)| {
            // Shown trimmed, with control characters escaped (`java\tscript` stays readable).
            format!("content/sources.toml:{}:7: error: the source URL \"{}\" is not an http or https URL", 11 + 5 * i, url.trim())
        })
        .collect();
    assert_eq!(error_lines(&r), expected);
    assert!(f.tree() == before);

    // A web URL with a space or a control character in it is refused too.
    let base = fs::read_to_string(f.root().join("content/sources.toml")).unwrap();
    let base = base.split("\n\n[[source]]").next().unwrap().to_string();
    f.write("content/sources.toml", format!("{base}\n\n[[source]]\nid = \"s\"\ntitle = \"S\"\nurl = \"https://example.org/a b\\u0000\"\n"));
    let r = f.build();
    assert_eq!(
        error_lines(&r),
        [
            "content/sources.toml:11:7: error: the source URL \"https://example.org/a b\\0\" contains spaces or control characters"
        ]
    );
    assert!(f.tree() == before);
}

#[test]
fn person_images_are_paths_inside_the_site() {
    let f = Fixture::new("bad-base");
    f.build();
    let bad = [
        "javascript:alert(1)",
        "../../etc/passwd",
        "images/../../x.png",
        "https://tracker.example/x.png",
        "C:\\\\x.png",
        "a\\u0000b.png",
    ];
    for (i, img) in bad.iter().enumerate() {
        f.write(
            &format!("content/people/p{i}.toml"),
            format!("name = \"P{i}\"\nimage = \"{img}\"\n"),
        );
    }
    let before = f.tree();
    let r = f.build();
    let expected: Vec<String> = bad
        .iter()
        .enumerate()
        .map(|(i, img)| {
            let shown = img.replace("\\u0000", "\\0");
            format!("content/people/p{i}.toml:2:9: error: invalid image path \"{shown}\"")
        })
        .collect();
    assert_eq!(error_lines(&r), expected);
    assert!(f.tree() == before);
}

#[test]
fn markdown_links_and_images_must_be_web_or_relative_urls() {
    let f = Fixture::new("bad-base");
    f.build();
    let body = [
        "[a](javascript:alert(1))",
        "[b](JaVaScRiPt:alert(1))",
        "[c](java&#x09;script:alert(1))",
        "[d](&#106;avascript:alert(1))",
        "![e](javascript:alert(1))",
        "![f](data:image/svg+xml;base64,PHN2Zz4=)",
        "<javascript:alert(1)>",
        "[g][ref]\n\n[ref]: vbscript:msgbox(1)",
        "[h](https://example.org/ok) [i](../../people/) [j](#p-2) [k](mailto:a@example.org)",
    ];
    let text = format!(
        "+++\ntitle = \"Links\"\nsources = [\"letters\"]\n+++\n\n{}\n",
        body.join("\n\n")
    );
    f.write("content/chapters/03-links.md", &text);
    let before = f.tree();
    let r = f.build();
    let lines = error_lines(&r);
    let at = |needle: &str| {
        let off = text.find(needle).unwrap();
        let line = text[..off].matches('\n').count() + 1;
        let col = off - text[..off].rfind('\n').map_or(0, |i| i + 1) + 1;
        format!("content/chapters/03-links.md:{line}:{col}")
    };
    let expected = vec![
        format!("{}: error: unsafe link \"javascript:alert(1)\"", at("[a]")),
        format!("{}: error: unsafe link \"JaVaScRiPt:alert(1)\"", at("[b]")),
        format!(
            "{}: error: unsafe link \"java\\tscript:alert(1)\"",
            at("[c]")
        ),
        format!("{}: error: unsafe link \"javascript:alert(1)\"", at("[d]")),
        format!("{}: error: unsafe link \"javascript:alert(1)\"", at("![e]")),
        format!(
            "{}: error: unsafe link \"data:image/svg+xml;base64,PHN2Zz4=\"",
            at("![f]")
        ),
        format!(
            "{}: error: unsafe link \"javascript:alert(1)\"",
            at("<javascript")
        ),
        format!(
            "{}: error: unsafe link \"vbscript:msgbox(1)\"",
            at("[g][ref]")
        ),
    ];
    assert_eq!(lines, expected);
    assert!(f.tree() == before);
}

/// Every file under `dir` except the output folder `out` (relative to `dir`), with its bytes
/// (links as their target).
fn snapshot_except(dir: &Path, out: &str) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name().min_depth(1) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if rel == out || rel.starts_with(&format!("{out}/")) {
            continue;
        }
        let t = e.file_type();
        let bytes = if t.is_symlink() {
            format!("-> {}", fs::read_link(e.path()).unwrap().display()).into_bytes()
        } else if t.is_file() {
            fs::read(e.path()).unwrap()
        } else {
            b"<dir>".to_vec()
        };
        files.insert(rel, bytes);
    }
    files
}

fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut s = snapshot_except(root, "public");
    // Dossier's own working folders beside the output.
    s.retain(|k, _| !k.starts_with(".public.dossier-"));
    s
}

#[test]
fn no_id_slug_or_file_name_can_write_outside_the_output_folder() {
    let f = Fixture::new("bad-base");
    f.build();
    f.write(
        "content/events/paths.toml",
        "[[event]]\nid = \"../escape\"\ndate = \"1840\"\n\n[[event]]\nid = \"/etc/passwd\"\ndate = \"1840\"\n\n[[event]]\nid = \"a\\\\b\"\ndate = \"1840\"\n\n[[event]]\nid = \"a\\u0000b\"\ndate = \"1840\"\n\n[[event]]\nid = \"..\"\ndate = \"1840\"\nchapter = \"../../etc\"\n",
    );
    f.write("content/sources.toml", "[[source]]\nid = \"letters\"\ntitle = \"Letters\"\n\n[[source]]\nid = \"../../x\"\ntitle = \"X\"\n");
    f.write("content/people/a\\b.toml", "name = \"Backslash\"\n");
    f.write("content/chapters/03-..md", "+++\ntitle = \"Dots\"\n+++\n");
    f.write(
        "content/chapters/04-a\\b.md",
        "+++\ntitle = \"Backslash\"\n+++\n",
    );
    f.write(
        "content/chapters/05-x.md",
        "+++\ntitle = \"Refs\"\n+++\n\n[[chapter:../../etc]] [[../x]] [[/etc/passwd]]\n",
    );
    f.write("static/a\\b.css", "x");
    let parent = f.root().parent().unwrap().to_path_buf();
    // (Other programs share the temp folder: only what a build could leave there counts.)
    let beside = || -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(&parent)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.contains("dossier") || n.contains("public"))
            .collect();
        v.sort();
        v
    };
    let outside_before = beside();
    let before = snapshot(f.root());
    let public = f.tree();
    let r = f.build();
    assert_eq!(
        error_lines(&r),
        [
            "content/chapters/03-..md:1:1: error: invalid chapter slug \".\" in file name \"03-..md\"",
            "content/chapters/04-a\\b.md:1:1: error: invalid chapter slug \"a\\b\" in file name \"04-a\\b.md\"",
            "content/chapters/05-x.md:5:1: error: unknown chapter \"../../etc\"",
            "content/chapters/05-x.md:5:23: error: unknown person \"../x\"",
            "content/chapters/05-x.md:5:32: error: unknown person \"/etc/passwd\"",
            "content/events/paths.toml:2:6: error: invalid event id \"../escape\"",
            "content/events/paths.toml:6:6: error: invalid event id \"/etc/passwd\"",
            "content/events/paths.toml:10:6: error: invalid event id \"a\\\\b\"",
            "content/events/paths.toml:14:6: error: invalid event id \"a\\0b\"",
            "content/events/paths.toml:18:6: error: invalid event id \"..\"",
            "content/events/paths.toml:20:11: error: unknown chapter \"../../etc\"",
            "content/people/a\\b.toml:1:1: error: invalid person id \"a\\\\b\"",
            "content/sources.toml:6:6: error: invalid source id \"../../x\"",
            // Reported in the same run as the content's problems: every check runs every time.
            "static/a\\b.css: error: this static file's name cannot be published safely",
        ],
        "\n{}",
        messages(&r)
    );
    assert_eq!(
        snapshot(f.root()),
        before,
        "the failed build wrote into the project"
    );
    assert!(f.tree() == public);
    assert_eq!(
        beside(),
        outside_before,
        "the build wrote beside the project"
    );

    // With the content fixed, the static file's name is the one problem left.
    for p in [
        "content/events/paths.toml",
        "content/people/a\\b.toml",
        "content/chapters/03-..md",
        "content/chapters/04-a\\b.md",
        "content/chapters/05-x.md",
    ] {
        f.remove(p);
    }
    f.write(
        "content/sources.toml",
        "[[source]]\nid = \"letters\"\ntitle = \"Letters\"\n",
    );
    let r = f.build();
    assert_eq!(
        error_lines(&r),
        ["static/a\\b.css: error: this static file's name cannot be published safely"]
    );
    assert!(f.tree() == public);
}

fn dossier(args: &[&str], root: &Path) -> (Option<i32>, String) {
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

#[test]
fn the_output_folder_is_never_the_project_or_its_sources() {
    let f = Fixture::new("bad-base");
    let root = f.root();
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(root.join("templates/.keep"), "").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(".", root.join("here")).unwrap();
        std::os::unix::fs::symlink("content", root.join("words")).unwrap();
    }
    let abs = root.display().to_string();
    let cases: Vec<(String, &str)> = vec![
        (".".into(), "it would replace the project itself"),
        ("./".into(), "it would replace the project itself"),
        (abs.clone(), "it would replace the project itself"),
        ("..".into(), "it would replace the project itself"),
        ("/".into(), "it would replace the project itself"),
        ("public/..".into(), "it would replace the project itself"),
        ("here".into(), "it would replace the project itself"),
        ("content".into(), "it would replace the project's content"),
        ("words".into(), "it would replace the project's content"),
        (
            "static/../content".into(),
            "it would replace the project's content",
        ),
        (
            "templates".into(),
            "it would replace the project's templates",
        ),
        ("static".into(), "it would replace the project's static"),
        (
            "content/chapters".into(),
            "it is inside the project's sources",
        ),
        ("static/site".into(), "it is inside the project's sources"),
    ];
    let before = snapshot(root);
    for (out, why) in &cases {
        let (code, stderr) = dossier(&["build", "--out", out], root);
        assert_eq!(code, Some(2), "--out {out}: {stderr}");
        assert_eq!(
            stderr.lines().next().unwrap_or(""),
            format!("error: refusing to build into {out}: {why}"),
            "--out {out}"
        );
        assert_eq!(snapshot(root), before, "--out {out} changed the project");
    }
    // A folder that Dossier did not build is not replaced either.
    fs::create_dir_all(root.join("notes")).unwrap();
    fs::write(root.join("notes/todo.txt"), "keep me").unwrap();
    let (code, stderr) = dossier(&["build", "--out", "notes"], root);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: refusing to replace {}: it is not empty and was not built by Dossier",
            root.join("notes").canonicalize().unwrap().display()
        )),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(root.join("notes/todo.txt")).unwrap(),
        "keep me"
    );
}

#[cfg(unix)]
#[test]
fn a_build_deletes_nothing_outside_the_output_folder() {
    use std::os::unix::fs::symlink;
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("project");
    copy_dir(&fixtures().join("bad-base"), &root);
    fs::create_dir_all(root.join("notes")).unwrap();
    fs::write(root.join("notes/keep.txt"), "notes").unwrap();
    fs::write(outer.path().join("beside.txt"), "beside").unwrap();
    let elsewhere = outer.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("precious.txt"), "precious").unwrap();
    let build = || dossier(&["build"], &root);
    assert_eq!(build().0, Some(0));
    // Links someone put into the output, and a link where Dossier keeps its previous build.
    symlink(&elsewhere, root.join("public/elsewhere")).unwrap();
    symlink(
        elsewhere.join("precious.txt"),
        root.join("public/precious.txt"),
    )
    .unwrap();
    symlink(&elsewhere, root.join(".public.dossier-prev")).unwrap();
    let before_outer = snapshot_except(outer.path(), "project/public");
    for round in 0..3 {
        fs::write(root.join("content/chapters/02-the-notes.md"), format!("+++\ntitle = \"Round {round}\"\nsources = [\"letters\"]\n+++\n\nText {round}.\n\n## Note G\n\nStill here.\n")).unwrap();
        let (code, stderr) = build();
        assert_eq!(code, Some(0), "{stderr}");
        // A failing build in between.
        fs::write(root.join("content/people/bad.toml"), "name = 1\n").unwrap();
        assert_eq!(build().0, Some(1));
        fs::remove_file(root.join("content/people/bad.toml")).unwrap();
    }
    let mut after = snapshot_except(outer.path(), "project/public");
    let mut before = before_outer;
    // Only the project's own chapter file changed (by this test), and the links are intact.
    after.remove("project/content/chapters/02-the-notes.md");
    before.remove("project/content/chapters/02-the-notes.md");
    let changed: Vec<&String> = after
        .keys()
        .chain(before.keys())
        .filter(|k| after.get(*k) != before.get(*k))
        .collect();
    assert!(changed.is_empty(), "changed outside public/: {changed:?}");
    assert_eq!(
        fs::read_to_string(elsewhere.join("precious.txt")).unwrap(),
        "precious"
    );
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_inside_their_folder_and_refused_out_of_it() {
    use std::os::unix::fs::symlink;
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("project");
    copy_dir(&fixtures().join("bad-base"), &root);
    fs::create_dir_all(root.join("static/shared")).unwrap();
    fs::write(
        root.join("static/shared/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    fs::create_dir_all(root.join("content/drafts")).unwrap();
    fs::write(
        root.join("content/drafts/rome.md"),
        "+++\ntitle = \"Rome\"\nsources = [\"letters\"]\n+++\n\nLinked in.\n",
    )
    .unwrap();
    symlink("shared/logo.svg", root.join("static/logo.svg")).unwrap();
    symlink("shared", root.join("static/assets")).unwrap();
    symlink(
        "../drafts/rome.md",
        root.join("content/chapters/03-rome.md"),
    )
    .unwrap();
    let (code, stderr) = dossier(&["build"], &root);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        fs::read(root.join("public/logo.svg")).unwrap(),
        fs::read(root.join("static/shared/logo.svg")).unwrap()
    );
    assert!(root.join("public/assets/logo.svg").is_file());
    assert!(root.join("public/chapters/rome/index.html").is_file());

    // Out of the project: a secret on the machine, through a file link and a folder link.
    let secrets = outer.path().join("secrets");
    fs::create_dir_all(&secrets).unwrap();
    fs::write(secrets.join("id_rsa"), "PRIVATE KEY").unwrap();
    let real = secrets.canonicalize().unwrap();
    symlink(secrets.join("id_rsa"), root.join("content/people/key.toml")).unwrap();
    let public = tree(&root.join("public"));
    let (code, stderr) = dossier(&["build"], &root);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        stderr.lines().next().unwrap(),
        format!(
            "content/people/key.toml: error: this file leads outside the project, to {}, through a symbolic link",
            real.join("id_rsa").display()
        )
    );
    fs::remove_file(root.join("content/people/key.toml")).unwrap();
    symlink(&secrets, root.join("static/keys")).unwrap();
    symlink(secrets.join("id_rsa"), root.join("static/id_rsa")).unwrap();
    symlink("../public", root.join("static/mirror")).unwrap();
    let (code, stderr) = dossier(&["build"], &root);
    assert_eq!(code, Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors,
        [
            format!(
                "static/id_rsa: error: this file leads outside the project, to {}, through a symbolic link",
                real.join("id_rsa").display()
            ),
            format!(
                "static/keys: error: this file leads outside the project, to {}, through a symbolic link",
                real.display()
            ),
            "static/mirror: error: this symbolic link leads out of static/, to public".to_string(),
        ]
    );
    assert!(
        tree(&root.join("public")) == public,
        "the refused build changed public/"
    );
    assert!(
        !String::from_utf8_lossy(&fs::read(root.join("public/index.html")).unwrap())
            .contains("PRIVATE KEY")
    );
}

#[cfg(unix)]
#[test]
fn a_hard_linked_backup_of_the_output_is_never_changed() {
    // `cp -al public backup` (or rsync --link-dest) keeps a snapshot that shares the files'
    // inodes: rebuilding must write new files, never rewrite those inodes in place.
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("project");
    copy_dir(&fixtures().join("bad-base"), &root);
    let backup = outer.path().join("backup");
    let chapter = root.join("content/chapters/02-the-notes.md");
    let original = fs::read_to_string(&chapter).unwrap();
    assert_eq!(dossier(&["build"], &root).0, Some(0));
    let snapshot_of = |dir: &Path| tree(dir);
    for e in walkdir::WalkDir::new(root.join("public")).min_depth(1) {
        let e = e.unwrap();
        let dest = backup.join(e.path().strip_prefix(root.join("public")).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::hard_link(e.path(), &dest).unwrap();
        }
    }
    let saved = snapshot_of(&backup);
    // Several rebuilds, so the tree the backup shares is reused as the starting point.
    for round in 0..3 {
        fs::write(
            &chapter,
            original.replace("added notes", &format!("added notes (round {round})")),
        )
        .unwrap();
        let (code, stderr) = dossier(&["build"], &root);
        assert_eq!(code, Some(0), "{stderr}");
    }
    assert!(
        String::from_utf8_lossy(
            &fs::read(root.join("public/chapters/the-notes/index.html")).unwrap()
        )
        .contains("(round 2)")
    );
    assert!(
        snapshot_of(&backup) == saved,
        "a rebuild changed the hard-linked backup"
    );
}

#[cfg(unix)]
#[test]
fn a_content_folder_linked_from_outside_the_project_is_refused() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("project");
    copy_dir(&fixtures().join("bad-base"), &root);
    let elsewhere = outer.path().join("shared-events");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::rename(
        root.join("content/events/main.toml"),
        elsewhere.join("main.toml"),
    )
    .unwrap();
    fs::remove_dir(root.join("content/events")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, root.join("content/events")).unwrap();
    let (code, stderr) = dossier(&["build"], &root);
    assert_eq!(code, Some(1), "{stderr}");
    let real = elsewhere.canonicalize().unwrap().join("main.toml");
    assert_eq!(
        stderr.lines().next().unwrap(),
        format!(
            "content/events/main.toml: error: this file leads outside the project, to {}, through a symbolic link",
            real.display()
        )
    );
    assert!(!root.join("public").exists());
}
