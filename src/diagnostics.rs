//! Source locations and the problems found in user content.
//! Owns `SourceFile`, `Span`, `Diagnostic`, the `Diagnostics` collector, their rendering
//! (`path:line:column: error: message`, the source line, a caret, a hint) and the fatal `Error`.
//! It decides nothing about policy and prints nothing: `main` prints what it renders.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One input file, kept whole so any byte offset can be turned into a line and column.
#[derive(Debug)]
pub struct SourceFile {
    /// The path shown to the user (relative to the project root where possible).
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Arc<SourceFile> {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Arc::new(SourceFile {
            path: path.into(),
            text,
            line_starts,
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count()
            + 1;
        (line + 1, col)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line(&self, line: usize) -> &str {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// A span covering `range` of this file.
    pub fn span(self: &Arc<Self>, range: std::ops::Range<usize>) -> Span {
        Span {
            file: Arc::clone(self),
            start: range.start,
            end: range.end.max(range.start),
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The warnings Dossier gives, which site.toml's `deny` may raise to errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Warning {
    /// A person no chapter mentions.
    UnmentionedPerson,
    /// A place, organization or glossary term no chapter mentions.
    UnmentionedEntity,
    /// An event no chapter tells (it has no `chapter`).
    UntoldEvent,
    /// A chapter that cites no source.
    UnsourcedChapter,
    /// An event with no title.
    UntitledEvent,
    /// An imprecise event without `sort` that the timeline places before events its own
    /// chapter tells first, within its span.
    UnplacedEvent,
}

impl Warning {
    pub const ALL: [Warning; 6] = [
        Warning::UnmentionedPerson,
        Warning::UnmentionedEntity,
        Warning::UntoldEvent,
        Warning::UnsourcedChapter,
        Warning::UntitledEvent,
        Warning::UnplacedEvent,
    ];

    /// Its name in site.toml and in messages.
    pub fn code(self) -> &'static str {
        match self {
            Warning::UnmentionedPerson => "unmentioned-person",
            Warning::UnmentionedEntity => "unmentioned-entity",
            Warning::UntoldEvent => "untold-event",
            Warning::UnsourcedChapter => "unsourced-chapter",
            Warning::UntitledEvent => "untitled-event",
            Warning::UnplacedEvent => "unplaced-event",
        }
    }

    /// The warning named `code`.
    pub fn from_code(code: &str) -> Option<Warning> {
        Warning::ALL.into_iter().find(|w| w.code() == code)
    }
}

/// A byte range in a source file.
#[derive(Clone)]
pub struct Span {
    pub file: Arc<SourceFile>,
    pub start: usize,
    pub end: usize,
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, col) = self.file.line_col(self.start);
        write!(f, "{}:{}:{}", self.file.path, line, col)
    }
}

impl Span {
    /// The same file, shifted by `base` bytes (for text parsed out of a larger file).
    pub fn offset(&self, base: usize) -> Span {
        Span {
            file: Arc::clone(&self.file),
            start: self.start + base,
            end: self.end + base,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with where it is and, when we can tell, how to fix it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
    /// A file the problem is about when no position inside it applies.
    pub path: Option<String>,
    pub help: Option<String>,
    /// Which warning this is, for warnings (site.toml's `deny` may raise it to an error).
    pub code: Option<Warning>,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: Some(span),
            path: None,
            help: None,
            code: None,
        }
    }

    pub fn warning(span: Span, code: Warning, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            message: message.into(),
            span: Some(span),
            path: None,
            help: None,
            code: Some(code),
        }
    }

    /// A problem about a whole file (or folder) with no position inside it.
    pub fn in_file(path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: None,
            path: Some(path.into()),
            help: None,
            code: None,
        }
    }

    /// A warning about a whole file or folder, which `deny` cannot raise (it has no code).
    pub fn warning_in_file(path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::in_file(path, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    /// `path:line:column` (or just the path) of the problem.
    pub fn location(&self) -> String {
        match (&self.span, &self.path) {
            (Some(span), _) => format!("{span:?}"),
            (None, Some(path)) => path.clone(),
            (None, None) => String::from("<unknown>"),
        }
    }

    fn sort_key(&self) -> (String, usize, Severity, String) {
        let (path, offset) = match (&self.span, &self.path) {
            (Some(s), _) => (s.file.path.clone(), s.start),
            (None, Some(p)) => (p.clone(), 0),
            (None, None) => (String::new(), 0),
        };
        (path, offset, self.severity, self.message.clone())
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:col: error: message`, then the source line with a caret under the span, then
    /// the help, in the style of rustc and just.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}: {label}: {}",
            visible(&self.location()),
            visible(&self.message)
        )?;
        if let Some(span) = &self.span {
            let (line, col) = span.file.line_col(span.start);
            let text = span.file.line(line);
            let (end_line, end_col) = span.file.line_col(span.end);
            let width = if end_line == line && end_col > col {
                end_col - col
            } else {
                1
            };
            let gutter = " ".repeat(line.to_string().len());
            let (shown, caret) = window(text, col - 1);
            write!(
                f,
                "\n{gutter} |\n{line} | {shown}\n{gutter} | {}{}",
                " ".repeat(caret),
                "^".repeat(width.min(80))
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {}", visible(help))?;
        }
        Ok(())
    }
}

/// `text` with its control characters (a file name or a value may hold an escape sequence that
/// would clear a terminal or rewrite a CI log) shown as escapes, as rustc shows them: `\u{1b}`.
/// Line breaks of several-line messages stay.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && c != '\n' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A source line's character as shown under a caret: one column for one character, so a
/// control character becomes its picture (U+2400 on), and a tab a space.
fn shown_char(c: char) -> char {
    match c {
        '\t' => ' ',
        c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
        '\u{7f}' => '\u{2421}',
        c if c.is_control() => '\u{fffd}',
        c => c,
    }
}

/// How much of a long source line is shown: a window around the error, so a 10 MB line prints
/// as one readable line. Returns the text shown and the caret's column in it.
fn window(text: &str, col: usize) -> (String, usize) {
    const WIDTH: usize = 120;
    const BEFORE: usize = 40;
    let chars: Vec<char> = text.chars().map(shown_char).collect();
    if chars.len() <= WIDTH {
        return (chars.into_iter().collect(), col);
    }
    let from = col.saturating_sub(BEFORE).min(chars.len() - WIDTH);
    let to = from + WIDTH;
    let mut shown = String::with_capacity(WIDTH + 8);
    if from > 0 {
        shown.push('…');
    }
    shown.extend(&chars[from..to]);
    if to < chars.len() {
        shown.push('…');
    }
    (shown, col - from + usize::from(from > 0))
}

/// Everything found wrong in one run, so the user sees all of it at once.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Raise the warnings whose code is listed to errors.
    pub fn deny(&mut self, codes: &[Warning]) {
        for d in &mut self.items {
            if d.severity == Severity::Warning && d.code.is_some_and(|c| codes.contains(&c)) {
                d.severity = Severity::Error;
            }
        }
    }

    /// Sorted by file and position, so output is stable whatever order work was done in.
    pub fn sorted(mut self) -> Diagnostics {
        self.items.sort_by_cached_key(Diagnostic::sort_key);
        self.items.dedup_by(|a, b| a.sort_key() == b.sort_key());
        self
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{d}\n")?;
        }
        let (e, w) = (self.errors(), self.warnings());
        write!(f, "{e} error{}, {w} warning{}", plural(e), plural(w))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A failure of the environment rather than of the content: exit status 2.
#[derive(Debug)]
pub enum Error {
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    Usage(String),
}

impl Error {
    pub fn io(path: &Path, action: &'static str, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io {
                path,
                action,
                source,
            } => write!(f, "error: cannot {action} {}: {source}", path.display()),
            Error::Usage(msg) => write!(f, "error: {msg}"),
        }
    }
}

impl std::error::Error for Error {}

/// The closest candidate to `word`, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// "did you mean `x`?" for the closest candidate, formatted as a help line.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean(word, candidates).map(|c| format!("did you mean \"{c}\"?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("a.md", "ab\nçé [[x]]\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        let at = f.text.find("[[").unwrap();
        assert_eq!(f.line_col(at), (2, 4));
        assert_eq!(f.line(2), "çé [[x]]");
    }

    #[test]
    fn renders_location_source_line_caret_and_help() {
        let f = SourceFile::new("content/x.md", "one\nsee [[jon-kerry]] here\n");
        let start = f.text.find("[[").unwrap();
        let d = Diagnostic::error(f.span(start..start + 13), "unknown person \"jon-kerry\"")
            .with_help("did you mean \"john-kerry\"?");
        assert_eq!(
            d.to_string(),
            "content/x.md:2:5: error: unknown person \"jon-kerry\"\n  |\n2 | see [[jon-kerry]] here\n  |     ^^^^^^^^^^^^^\n  = help: did you mean \"john-kerry\"?"
        );
    }

    #[test]
    fn suggests_only_close_candidates() {
        assert_eq!(
            did_you_mean("jon-kerry", ["john-kerry", "mahmoud-abbas"]),
            Some("john-kerry")
        );
        assert_eq!(did_you_mean("zzz", ["john-kerry"]), None);
    }
}
