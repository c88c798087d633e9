//! The templates: Dossier's built-in ones, with the project's `templates/` over them by name,
//! compiled into one tera instance (autoescape with the one HTML escape of `util::escape`).
//! Reading the files ([`files`]) is apart from compiling them ([`compile`], a pure function of
//! their texts, which `serve` memoizes); every syntax error is a located diagnostic, and so is
//! every error rendering a page.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};

/// The templates Dossier ships; a project's `templates/` may replace any of them by name.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("chapter.html", include_str!("../../templates/chapter.html")),
    ("people.html", include_str!("../../templates/people.html")),
    ("person.html", include_str!("../../templates/person.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    (
        "timeline-years.html",
        include_str!("../../templates/timeline-years.html"),
    ),
    ("sources.html", include_str!("../../templates/sources.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "partials/search.html",
        include_str!("../../templates/partials/search.html"),
    ),
    ("network.html", include_str!("../../templates/network.html")),
    ("print.html", include_str!("../../templates/print.html")),
    (
        "print-volumes.html",
        include_str!("../../templates/print-volumes.html"),
    ),
    (
        "chapters.html",
        include_str!("../../templates/chapters.html"),
    ),
    ("source.html", include_str!("../../templates/source.html")),
    (
        "partials/pagination.html",
        include_str!("../../templates/partials/pagination.html"),
    ),
    (
        "partials/infobox.html",
        include_str!("../../templates/partials/infobox.html"),
    ),
    ("world.html", include_str!("../../templates/world.html")),
    ("entry.html", include_str!("../../templates/entry.html")),
    (
        "glossary.html",
        include_str!("../../templates/glossary.html"),
    ),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
];

/// The template files, by name: the built-in ones, and the project's over them.
#[derive(Clone, Default)]
pub struct TemplateFiles(pub BTreeMap<String, Arc<SourceFile>>);

impl Hash for TemplateFiles {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for (name, f) in &self.0 {
            (name, &f.path, &f.text).hash(state);
        }
    }
}

/// The compiled templates and the files they came from (for locating errors).
pub struct Templates {
    pub(super) tera: Tera,
    pub(super) files: BTreeMap<String, Arc<SourceFile>>,
    /// The fingerprint of the files (what a memoized page is keyed by).
    key: u128,
}

impl Hash for Templates {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u128(self.key);
    }
}

impl Templates {
    /// The template files, by name.
    pub fn files(&self) -> &BTreeMap<String, Arc<SourceFile>> {
        &self.files
    }

    /// The templates whose pages `name` is part of: itself, and those that extend, include or
    /// import it, however indirectly.
    pub fn pages_using(&self, name: &str) -> std::collections::BTreeSet<&str> {
        let uses: BTreeMap<&str, Vec<&str>> = self
            .files
            .iter()
            .map(|(n, f)| (n.as_str(), used_by_text(&f.text)))
            .collect();
        let reaches = |from: &str| {
            let mut seen = vec![from];
            let mut i = 0;
            while i < seen.len() {
                for &u in uses.get(seen[i]).map(Vec::as_slice).unwrap_or_default() {
                    if !seen.contains(&u) {
                        seen.push(u);
                    }
                }
                i += 1;
            }
            seen.contains(&name)
        };
        self.files
            .keys()
            .map(String::as_str)
            .filter(|n| reaches(n))
            .collect()
    }
}

/// The templates a template's text names in `{% extends %}`, `{% include %}` or `{% import %}`.
fn used_by_text(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{%") {
        rest = &rest[i + 2..];
        let tag = rest
            .split("%}")
            .next()
            .unwrap_or("")
            .trim()
            .trim_start_matches('-')
            .trim_start();
        let named = ["extends", "include", "import"]
            .iter()
            .any(|k| tag.starts_with(k));
        if named && let Some(q) = tag.find(['"', '\'']) {
            let quote = &tag[q..q + 1];
            if let Some(end) = tag[q + 1..].find(quote) {
                out.push(&tag[q + 1..q + 1 + end]);
            }
        }
    }
    out
}

/// Read `templates/` under `root` over the built-in templates. Files that cannot be read are
/// diagnostics.
pub fn files(root: &Path, diags: &mut Diagnostics) -> TemplateFiles {
    let mut files: BTreeMap<String, Arc<SourceFile>> = BTreeMap::new();
    for (name, text) in BUILTIN_TEMPLATES {
        files.insert(
            name.to_string(),
            SourceFile::new(format!("(built-in) templates/{name}"), *text),
        );
    }
    let dir = root.join("templates");
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let name = crate::load::display_path(&dir, entry.path());
            if !(name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt")) {
                continue;
            }
            match crate::load::read_source(root, entry.path()) {
                Ok(f) => {
                    files.insert(name, f);
                }
                Err(d) => diags.push(d),
            }
        }
    }
    TemplateFiles(files)
}

/// Compile the templates: every syntax error is reported, not just the first.
pub fn compile(files: &TemplateFiles) -> Arc<Result<Templates, Diagnostics>> {
    let files = &files.0;
    let key = crate::util::fingerprint::of(&TemplateFiles(files.clone()));
    let new_tera = || {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::util::escape::html_to_writer);
        tera
    };
    let all = |tera: &mut Tera| {
        tera.add_raw_templates(files.iter().map(|(n, f)| (n.as_str(), f.text.as_str())))
    };
    let mut tera = new_tera();
    if all(&mut tera).is_ok() {
        return Arc::new(Ok(Templates {
            tera,
            files: files.clone(),
            key,
        }));
    }
    // One at a time, so that each file's syntax errors are found.
    let mut diags = Diagnostics::default();
    for (name, file) in files {
        let mut probe = Tera::new();
        if let Err(e) = probe.add_raw_template(name, &file.text)
            && let tera::ErrorKind::SyntaxError(_) = e.kind()
        {
            for d in template_error(&e, files) {
                diags.push(d);
            }
        }
    }
    if diags.items.is_empty() {
        let mut tera = new_tera();
        if let Err(e) = all(&mut tera) {
            for d in template_error(&e, files) {
                diags.push(d);
            }
        }
    }
    Arc::new(Err(diags))
}

/// A tera error as diagnostics at the template's file, line and column.
pub(super) fn template_error(
    e: &tera::Error,
    files: &BTreeMap<String, Arc<SourceFile>>,
) -> Vec<Diagnostic> {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r)
            if let Some(d) = unclosed_tag(files, r.filename(), r.span(), r.message()) =>
        {
            vec![d]
        }
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let s = r.span();
            vec![located(
                files,
                r.filename(),
                s.start_line,
                s.start_col,
                (s.end_line == s.start_line).then(|| s.end_col.saturating_sub(s.start_col)),
                r.message(),
            )]
        }
        _ => {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                msg.push('\n');
                msg.push_str(&s.to_string());
                source = s.source();
            }
            // Validation errors (unknown filters, tests, includes...) arrive as rendered
            // reports: "error: MESSAGE" then " --> NAME:LINE:COL". Locate each one.
            let mut out = Vec::new();
            let lines: Vec<&str> = msg.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let Some(message) = line.trim().strip_prefix("error: ") else {
                    continue;
                };
                let Some(loc) = lines.get(i + 1).and_then(|l| l.trim().strip_prefix("--> ")) else {
                    continue;
                };
                let mut parts = loc.rsplitn(3, ':');
                let (Some(col), Some(line_no), Some(name)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    continue;
                };
                let (Ok(line_no), Ok(col)) = (line_no.parse::<usize>(), col.parse::<usize>())
                else {
                    continue;
                };
                let width = lines
                    .get(i + 4)
                    .map(|l| l.matches('^').count())
                    .filter(|&n| n > 0);
                out.push(located(
                    files,
                    name,
                    line_no,
                    col.saturating_sub(1),
                    width,
                    message,
                ));
            }
            if out.is_empty() {
                out.push(Diagnostic::in_file(
                    "templates/",
                    format!("template: {}", msg.replace('\n', ": ")),
                ));
            }
            out
        }
    }
}

/// Tags that open a body closed by `{% end<tag> %}` (`set` only without `=`).
const BODIES: &[&str] = &[
    "if",
    "for",
    "block",
    "filter",
    "macro",
    "component",
    "raw",
    "set",
];

/// A syntax error that tera reports where it gave up on an unclosed tag (at the `{% endblock %}`
/// of the block around it, or at the end of the file) becomes an error at the tag left open,
/// which is where the fix goes.
fn unclosed_tag(
    files: &BTreeMap<String, Arc<SourceFile>>,
    name: &str,
    span: &tera::Span,
    message: &str,
) -> Option<Diagnostic> {
    let file = files.get(name)?;
    let text = &file.text;
    let at = nth_line_offset(text, span.start_line.max(1))
        + col_offset(text, span.start_line.max(1), span.start_col);
    let at_end = message.contains("end of input");
    let found = text.get(at..).and_then(|rest| {
        let word = rest
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()?;
        word.starts_with("end").then_some(word)
    });
    if !at_end && found.is_none() {
        return None;
    }
    let (open, word) = open_tag(text, if at_end { text.len() } else { at })?;
    let (line, _) = file.line_col(at);
    let reached = match found {
        Some(end) if !at_end => format!("`{{% {end} %}}` on line {line}"),
        _ => "the end of the file".to_string(),
    };
    Some(
        Diagnostic::error(
            file.span(open),
            format!("template: this `{{% {word} %}}` is not closed"),
        )
        .with_help(format!(
            "tera reached {reached} with it still open: close it with `{{% end{word} %}}` where its body ends"
        )),
    )
}

/// The innermost tag still open at byte `upto` of a template, matching `{% x %}` with
/// `{% endx %}` (comments skipped): the one a mismatched end tag or the end of the file finds
/// open. Returns its range and its word.
fn open_tag(text: &str, upto: usize) -> Option<(std::ops::Range<usize>, &str)> {
    let mut stack: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    let mut pos = 0;
    while let Some(i) = text[pos..].find(['{']) {
        let start = pos + i;
        let rest = &text[start..];
        let (open, close) = if rest.starts_with("{%") {
            ("{%", "%}")
        } else if rest.starts_with("{#") {
            ("{#", "#}")
        } else {
            pos = start + 1;
            continue;
        };
        if start > upto {
            break;
        }
        let end = start + rest.find(close)? + close.len();
        pos = end;
        if open == "{#" {
            continue;
        }
        let inner = text[start + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let word = inner
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        if let Some(closed) = word.strip_prefix("end") {
            match stack.last() {
                Some((_, w)) if *w == closed => {
                    stack.pop();
                }
                _ => return stack.pop(),
            }
        } else if BODIES.contains(&word) && !(word == "set" && inner.contains('=')) {
            stack.push((start..end, word));
            if word == "raw" {
                // Nothing inside a raw block is a tag.
                let close = text[pos..].find("endraw").map(|j| pos + j)?;
                pos = text[..close].rfind("{%").unwrap_or(close);
            }
        }
    }
    stack.pop()
}

/// A diagnostic at a 1-based line and 0-based column of a named template.
fn located(
    files: &BTreeMap<String, Arc<SourceFile>>,
    name: &str,
    line: usize,
    col: usize,
    width: Option<usize>,
    message: &str,
) -> Diagnostic {
    match files.get(name) {
        Some(file) => {
            let line = line.max(1);
            let start = nth_line_offset(&file.text, line) + col_offset(&file.text, line, col);
            let end = start + width.unwrap_or(1).max(1);
            Diagnostic::error(
                file.span(start..end.min(file.text.len())),
                format!("template: {message}"),
            )
        }
        None => Diagnostic::in_file(format!("templates/{name}"), format!("template: {message}")),
    }
}

fn nth_line_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

fn col_offset(text: &str, line: usize, col: usize) -> usize {
    let start = nth_line_offset(text, line);
    text[start..].char_indices().nth(col).map_or(0, |(i, _)| i)
}
