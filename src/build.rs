//! The build script: it tells the crate which commit it is built from, for `dossier --version`.
//! In a git checkout that is `git rev-parse HEAD` and the commit's date (uncommitted changes
//! are not noted: the script is not run again for every edit); in a package from the registry, which has no `.git`, it is the commit `cargo
//! package` recorded in `.cargo_vcs_info.json`; with neither, "unknown commit". It sets
//! `DOSSIER_COMMIT` and nothing else, and never fails the build.

use std::path::Path;
use std::process::Command;

fn main() {
    // (A missing file named here would make cargo run the script, and build the crate again,
    // every time: only a package has it.)
    if Path::new(".cargo_vcs_info.json").exists() {
        println!("cargo:rerun-if-changed=.cargo_vcs_info.json");
    }
    println!("cargo:rerun-if-env-changed=DOSSIER_COMMIT");
    let commit = std::env::var("DOSSIER_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(from_git)
        .or_else(from_package)
        .unwrap_or_else(|| "unknown commit".into());
    println!("cargo:rustc-env=DOSSIER_COMMIT={commit}");
}

/// Run git in the crate's folder; its trimmed output when it succeeds.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(std::env::var_os("CARGO_MANIFEST_DIR")?)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

/// The commit of the checkout, and the files whose change means another commit.
fn from_git() -> Option<String> {
    // Only a checkout of this crate itself (not of a repository that vendors it).
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let here = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    let same =
        |a: &str, b: &str| Path::new(a).canonicalize().ok() == Path::new(b).canonicalize().ok();
    if !same(&top, &here) {
        return None;
    }
    let sha = git(&["rev-parse", "--short=12", "HEAD"])?;
    // Only files that exist: cargo runs the script again, and builds the crate again, at every
    // build while a file it was told to watch is missing.
    let watch = |p: String| {
        if Path::new(&here).join(&p).exists() {
            println!("cargo:rerun-if-changed={p}");
        }
    };
    for path in ["HEAD", "packed-refs"] {
        if let Some(p) = git(&["rev-parse", "--git-path", path]) {
            watch(p);
        }
    }
    if let Some(p) =
        git(&["symbolic-ref", "-q", "HEAD"]).and_then(|r| git(&["rev-parse", "--git-path", &r]))
    {
        watch(p);
    }
    let date = git(&["log", "-1", "--format=%cs", "HEAD"]);
    Some(format!(
        "{sha}{}",
        date.map(|d| format!(" {d}")).unwrap_or_default()
    ))
}

/// The commit `cargo package` recorded: `{"git": {"sha1": "…"}, …}`.
fn from_package() -> Option<String> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let text = std::fs::read_to_string(Path::new(&dir).join(".cargo_vcs_info.json")).ok()?;
    let at = text.find("\"sha1\"")?;
    let rest = &text[at + 6..];
    let start = rest.find('"')? + 1;
    let end = start + rest[start..].find('"')?;
    let sha = &rest[start..end];
    let short = &sha[..sha.len().min(12)];
    (!short.is_empty() && short.bytes().all(|b| b.is_ascii_hexdigit())).then(|| short.to_string())
}
