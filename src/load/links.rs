//! Which files Dossier may read and publish. Symbolic links are followed only while they stay in
//! their [`Area`]: a content file's inside `content/`, a static file's inside `static/`, and
//! `site.toml` or a template inside the project, so that no link can bring another file of the
//! project or of the machine into the site (`ln -s ../.git/config static/notes.txt` published
//! the repository's settings, where `actions/checkout` keeps the job's token). Some files are
//! never read into a site, through a link or as they are: [`secret`] lists them. Loops and
//! dangling links are errors too. What is done with the files is the callers'.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

use super::display_path;

/// Where a file must stay, links followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// `site.toml` and the templates: anywhere in the project.
    Project,
    /// `content/`
    Content,
    /// `static/`
    Static,
}

impl Area {
    /// The area of `path`, by where it is written (`root/content/…` is content).
    pub fn of(root: &Path, path: &Path) -> Area {
        match path
            .strip_prefix(root)
            .ok()
            .and_then(|p| p.components().next())
        {
            Some(Component::Normal(c)) if c == "content" => Area::Content,
            Some(Component::Normal(c)) if c == "static" => Area::Static,
            _ => Area::Project,
        }
    }

    fn folder(self) -> Option<&'static str> {
        match self {
            Area::Project => None,
            Area::Content => Some("content"),
            Area::Static => Some("static"),
        }
    }
}

/// Folders never read into a site, wherever they are: version control (history, settings and,
/// on CI, the checkout's token) and the keys and credentials of a home folder.
const SECRET_FOLDERS: &[&str] = &[".git", ".hg", ".svn", ".ssh", ".gnupg", ".aws"];
/// Files never read into a site: environment files, credentials and private keys.
const SECRET_FILES: &[&str] = &[
    ".env",
    ".netrc",
    ".npmrc",
    ".pypirc",
    ".git-credentials",
    ".htpasswd",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
];
/// Extensions of private keys and certificates with their keys.
const SECRET_EXTENSIONS: &[&str] = &["pem", "key", "p12", "pfx"];

/// Why the file or folder at `rel` (a path relative to the project or to `static/`) is never
/// published, if it is one of those that hold secrets: in a folder of [`SECRET_FOLDERS`], or
/// named as in [`SECRET_FILES`] (`.env` also as `.env.*`) or with an extension of
/// [`SECRET_EXTENSIONS`]. Names are compared ignoring ASCII case.
pub fn secret(rel: &Path) -> Option<String> {
    let names: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    let (last, folders) = names.split_last()?;
    for name in folders.iter().chain([last]) {
        if SECRET_FOLDERS.contains(&name.as_str()) {
            return Some(format!(
                "{name}/ holds {}",
                match name.as_str() {
                    ".git" | ".hg" | ".svn" =>
                        "the repository's history and settings (on CI, the checkout's token)",
                    _ => "keys and credentials",
                }
            ));
        }
    }
    let ext = last
        .rsplit_once('.')
        .filter(|(stem, e)| !stem.is_empty() && SECRET_EXTENSIONS.contains(e));
    if SECRET_FILES.contains(&last.as_str()) || last.starts_with(".env.") {
        Some(format!("a {last} file holds passwords, keys or tokens"))
    } else {
        ext.map(|(_, e)| format!("a .{e} file holds a private key or certificate"))
    }
}

/// Where `path` really is, when Dossier may read it: see [`within`], for the area `path` is in.
pub fn inside_project(root: &Path, path: &Path) -> Result<PathBuf, Diagnostic> {
    within(root, Area::of(root, path), path)
}

/// Where `path` really is, when Dossier may read it as part of `area`: links followed, it must
/// stay inside the project, outside the folders and files [`secret`] lists, and inside the
/// area's folder (whose own real place is what counts, so `static/` may itself be a link
/// within the project). A loop, a dangling link, or a link that leaves is a diagnostic about
/// `path`, saying where it leads and why that is refused.
pub fn within(root: &Path, area: Area, path: &Path) -> Result<PathBuf, Diagnostic> {
    let shown = || display_path(root, path);
    let real_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let real = match fs::canonicalize(path) {
        Ok(real) => real,
        Err(e) => return Err(unreadable(root, path, &e)),
    };
    let Ok(inside) = real.strip_prefix(&real_root) else {
        return Err(Diagnostic::in_file(
            shown(),
            format!("this file leads outside the project, to {}, through a symbolic link", real.display()),
        )
        .with_help("Dossier reads only files inside the project folder, so that a build cannot publish files from elsewhere on the machine; copy the file into the project instead"));
    };
    let linked = real != real_root.join(path.strip_prefix(root).unwrap_or(path));
    if let Some(why) = secret(inside) {
        let message = if linked {
            format!(
                "this symbolic link leads to {}, which is never published: {why}",
                display_path(Path::new(""), inside)
            )
        } else {
            format!("this file is never published: {why}")
        };
        return Err(Diagnostic::in_file(shown(), message).with_help(SECRET_HELP));
    }
    if let Some(folder) = area.folder() {
        let dir = root.join(folder);
        let real_dir = fs::canonicalize(&dir).unwrap_or(dir);
        if !real.starts_with(&real_dir) {
            return Err(Diagnostic::in_file(
                shown(),
                format!(
                    "this symbolic link leads out of {folder}/, to {}",
                    match display_path(Path::new(""), inside) {
                        s if s.is_empty() => "the project folder".to_string(),
                        s => s,
                    }
                ),
            )
            .with_help(format!(
                "a link in {folder}/ is followed only to a file or folder inside {folder}/, so that it cannot publish another file of the project (such as .git/config); move or copy what it points to into {folder}/"
            )));
        }
    }
    Ok(real)
}

/// What the error about a file that never reaches a site says to do.
pub const SECRET_HELP: &str = "Dossier never publishes version control folders (.git/), environment files (.env, .env.*), private keys (*.pem, *.key, id_rsa, …) or credentials (.netrc, .npmrc, …), so that a secret cannot reach the site by mistake: move it out of the project's content/ and static/; a file meant to be public must be renamed";

/// The diagnostic for a path that cannot be resolved: a loop, a dangling link, or what the
/// system said.
fn unreadable(root: &Path, path: &Path, e: &std::io::Error) -> Diagnostic {
    let shown = display_path(root, path);
    if is_loop(e) {
        Diagnostic::in_file(shown, "this symbolic link loops back on itself")
            .with_help("point the link at a real file, or remove it")
    } else if e.kind() == std::io::ErrorKind::NotFound && fs::read_link(path).is_ok() {
        let target = fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        Diagnostic::in_file(
            shown,
            format!("this symbolic link points to \"{target}\", which does not exist"),
        )
        .with_help("point the link at a real file, or remove it")
    } else {
        Diagnostic::in_file(shown, format!("cannot read file: {e}"))
    }
}

/// Is this "too many levels of symbolic links"?
pub fn is_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_known_by_their_names() {
        for p in [
            ".git/config",
            "site/.git/HEAD",
            ".env",
            ".ENV",
            ".env.production",
            "keys/server.pem",
            "tls.key",
            "id_rsa",
            "home/.ssh/known_hosts",
            ".npmrc",
            "cert.p12",
        ] {
            assert!(secret(Path::new(p)).is_some(), "{p}");
        }
        for p in [
            "images/git.png",
            ".well-known/security.txt",
            "environment.css",
            "id_rsa.pub",
            "keynote.keys",
            "pem",
            ".key",
            "notes.env",
            "css/site.css",
        ] {
            assert_eq!(secret(Path::new(p)), None, "{p}");
        }
    }

    #[test]
    fn the_area_of_a_path_is_where_it_is_written() {
        let root = Path::new("/doc");
        assert_eq!(
            Area::of(root, &root.join("content/people/a.toml")),
            Area::Content
        );
        assert_eq!(Area::of(root, &root.join("static/x.css")), Area::Static);
        assert_eq!(Area::of(root, &root.join("site.toml")), Area::Project);
        assert_eq!(
            Area::of(root, &root.join("templates/base.html")),
            Area::Project
        );
        assert_eq!(
            Area::of(root, Path::new("/elsewhere/content/a.md")),
            Area::Project
        );
    }
}
