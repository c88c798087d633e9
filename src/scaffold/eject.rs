//! `dossier eject NAME`: copy a built-in template or static file into the project, where it
//! replaces the built-in one by name and can be changed, as Hugo and Zola themes are overridden
//! file by file. Files the project does not copy keep following Dossier's own, fixes included.
//! It never overwrites a file: every name is checked before anything is written.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Error, did_you_mean};
use crate::output::BUILTIN_STATIC;
use crate::render::BUILTIN_TEMPLATES;

use super::{create, require_project};

/// Everything `eject` can copy, as the project path it would write: `templates/chapter.html`,
/// `static/style.css`...
pub fn ejectable() -> Vec<String> {
    let templates = BUILTIN_TEMPLATES
        .iter()
        .map(|(n, _)| format!("templates/{n}"));
    let statics = BUILTIN_STATIC.iter().map(|(n, _)| format!("static/{n}"));
    templates.chain(statics).collect()
}

/// The built-in file a name means: `chapter.html` or `templates/chapter.html` for a template,
/// `static/style.css` or `style.css` for a static file. Returns its project path and text.
fn builtin(name: &str) -> Result<(String, &'static [u8]), Error> {
    let name = name.trim().trim_start_matches("./").replace('\\', "/");
    let template = name.strip_prefix("templates/").unwrap_or(&name);
    if let Some((n, text)) = BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == template) {
        return Ok((format!("templates/{n}"), text.as_bytes()));
    }
    let file = name.strip_prefix("static/").unwrap_or(&name);
    if let Some((n, text)) = BUILTIN_STATIC.iter().find(|(n, _)| *n == file) {
        return Ok((format!("static/{n}"), text));
    }
    let all = ejectable();
    let short = all
        .iter()
        .map(|p| p.strip_prefix("templates/").unwrap_or(p).to_string());
    let shorts: Vec<String> = short.collect();
    let hint = match did_you_mean(template, shorts.iter().map(String::as_str)) {
        Some(close) => format!("did you mean \"{close}\"? "),
        None => String::new(),
    };
    Err(Error::Usage(format!(
        "there is no built-in template or static file \"{name}\": {hint}`dossier eject` with no name lists them"
    )))
}

/// Copy the built-in files `names` (or all of them) into the project at `root`. Returns the
/// files written; writes none when any name is unknown or any file exists already.
pub fn eject(root: &Path, names: &[String], all: bool) -> Result<Vec<PathBuf>, Error> {
    require_project(root)?;
    let mut chosen: Vec<(String, &'static [u8])> = Vec::new();
    if all {
        for rel in ejectable() {
            chosen.push(builtin(&rel)?);
        }
    } else {
        for name in names {
            let found = builtin(name)?;
            if !chosen.iter().any(|(rel, _)| *rel == found.0) {
                chosen.push(found);
            }
        }
    }
    let taken: Vec<&str> = chosen
        .iter()
        .filter(|(rel, _)| root.join(rel).exists())
        .map(|(rel, _)| rel.as_str())
        .collect();
    if !taken.is_empty() {
        return Err(Error::Usage(format!(
            "{} exists already in the project, and dossier never overwrites a file; delete it first to start again from the built-in one",
            taken.join(", ")
        )));
    }
    let mut written = Vec::new();
    for (rel, text) in chosen {
        let path = root.join(&rel);
        create(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_or_without_their_folder() {
        assert_eq!(builtin("chapter.html").unwrap().0, "templates/chapter.html");
        assert_eq!(
            builtin("templates/partials/search.html").unwrap().0,
            "templates/partials/search.html"
        );
        assert_eq!(builtin("static/style.css").unwrap().0, "static/style.css");
        assert_eq!(builtin("style.css").unwrap().0, "static/style.css");
        let e = builtin("chapter.htm").unwrap_err().to_string();
        assert_eq!(
            e,
            "error: there is no built-in template or static file \"chapter.htm\": did you mean \"chapter.html\"? `dossier eject` with no name lists them"
        );
    }

    #[test]
    fn every_builtin_file_can_be_ejected() {
        assert_eq!(
            ejectable().len(),
            BUILTIN_TEMPLATES.len() + BUILTIN_STATIC.len()
        );
        for rel in ejectable() {
            assert_eq!(builtin(&rel).unwrap().0, rel);
        }
    }
}
