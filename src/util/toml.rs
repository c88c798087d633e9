//! TOML with spans and strict keys: a document or table deserialized with serde after its keys
//! are checked (an unknown key is a located error with a suggestion), every value the later
//! phases may complain about kept with its span ([`At`]), and Markdown strings with the map from
//! their text back to the file ([`TomlMarkdown`]), so a problem inside a biography points at
//! the file's own line and column.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use toml::Spanned as TSpanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile, Span, suggest};

/// A value with the place it was written.
#[derive(Debug, Clone)]
pub struct At<T> {
    pub value: T,
    pub span: Span,
}

/// A Markdown string from a TOML value, with the byte offset of its text in the file.
#[derive(Debug, Clone)]
pub struct TomlMarkdown {
    pub text: String,
    pub file: Arc<SourceFile>,
    pub offset: usize,
    /// Where the text and the file part ways (after an escape such as `\"` or `\u00e9`, a CRLF
    /// read as LF, a line-ending backslash): `(offset in text, offset in the file from
    /// `offset`)`, in order. Between two of them the text is the file's.
    pub shifts: Vec<(usize, usize)>,
}

impl TomlMarkdown {
    /// The file span of a byte range of `text`.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        let at = |u: usize| {
            let i = self.shifts.partition_point(|&(t, _)| t <= u);
            let (t, f) = if i == 0 { (0, 0) } else { self.shifts[i - 1] };
            (self.offset + f + (u - t)).min(self.file.text.len())
        };
        self.file.span(at(range.start)..at(range.end))
    }
}
// TOML with spans and strict keys

/// Deserialize a whole TOML document after checking its keys. `base` is the document's offset
/// in `file` (non-zero for front matter).
pub fn doc<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    text: &str,
    base: usize,
    known: &[&str],
    what: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            diags.push(error(file, base, &e));
        }
        return None;
    }
    let span = doc.span();
    let value = TSpanned::new(span, DeValue::Table(doc.into_inner()));
    table(file, base, value, known, what, diags)
}

/// Deserialize one table: unknown keys are reported (with a suggestion) and dropped, then
/// serde reads the rest; type errors and missing fields point at the value or the table.
pub fn table<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    base: usize,
    mut value: TSpanned<DeValue<'_>>,
    known: &[&str],
    what: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    let table_span = value.span();
    let DeValue::Table(table) = value.get_mut() else {
        diags.push(Diagnostic::error(
            file.span(table_span).offset(base),
            format!("{what} must be a table"),
        ));
        return None;
    };
    let mut ok = true;
    for (key, v) in std::mem::take(table) {
        let k: &str = key.get_ref();
        if known.contains(&k) {
            table.insert(key, v);
            continue;
        }
        ok = false;
        let help = suggest(k, known.iter().copied())
            .unwrap_or_else(|| format!("known keys: {}", known.join(", ")));
        diags.push(
            Diagnostic::error(
                file.span(key.span()).offset(base),
                format!("unknown key \"{k}\" in {what}"),
            )
            .with_help(help),
        );
    }
    if let DeValue::Table(table) = value.get_mut() {
        quote_dates(file, base, table, diags);
        for (key, v) in table.iter() {
            control_characters(file, base, key.get_ref(), v, diags);
        }
    }
    match T::deserialize(toml::de::ValueDeserializer::from(value)) {
        Ok(v) => ok.then_some(v),
        Err(e) => {
            diags.push(error(file, base, &e));
            None
        }
    }
}

/// A date written without quotes (`born = 1917-05-29`) is a TOML date, which no field of Dossier
/// takes: each is reported with the fix, then read as the string it should have been, so that
/// the rest of the table still loads (the error stops the build) and the date is still checked.
fn quote_dates(
    file: &Arc<SourceFile>,
    base: usize,
    table: &mut DeTable<'_>,
    diags: &mut Diagnostics,
) {
    for (key, v) in table.iter_mut() {
        let DeValue::Datetime(date) = v.get_ref() else {
            continue;
        };
        let span = file.span(v.span()).offset(base);
        let written = file.text.get(span.start..span.end).unwrap_or("").trim();
        let written = if written.is_empty() {
            date.to_string()
        } else {
            written.to_string()
        };
        diags.push(Diagnostic::error(
            span,
            format!(
                "dates are strings in Dossier: write {} = \"{written}\"",
                key.get_ref()
            ),
        ));
        *v.get_mut() = DeValue::String(written.into());
    }
}

/// The keys whose text is prose, several lines of Markdown or sentences: `bio`, `summary` (of a
/// person, an event or a chapter), an event's `note` and site.toml's `description`. They may hold
/// line breaks and tabs. Every other string is one line of plain text: names, aliases, titles,
/// roles, affiliations, sides, places, tags, ids, dates, paths, URLs, authors, publications and
/// the settings of site.toml.
pub const PROSE_KEYS: &[&str] = &["bio", "summary", "note", "description", "definition"];

/// The keys whose values are checked later against a grammar that no control character passes
/// (ids and references to them, dates, URLs and paths): a control character there is reported
/// once, by that check.
const CHECKED_KEYS: &[&str] = &[
    "id", "people", "sources", "chapter", "date", "end", "born", "died", "url", "image",
    "base_url", "deny",
];

/// Report the control characters in the strings of `value` (written at `key`): none may be in a
/// one-line text, where a NUL or an escape sequence reached pages, feeds and file names; prose
/// ([`PROSE_KEYS`]) may hold line breaks and tabs, and no other. The value still loads (the
/// error stops the build), so what refers to its record is not reported too.
fn control_characters(
    file: &Arc<SourceFile>,
    base: usize,
    key: &str,
    value: &TSpanned<DeValue<'_>>,
    diags: &mut Diagnostics,
) {
    if CHECKED_KEYS.contains(&key) {
        return;
    }
    let prose = PROSE_KEYS.contains(&key);
    match value.get_ref() {
        DeValue::String(text) => {
            // (Control characters are bytes below 0x20, 0x7F, and 0xC2 0x80–0x9F.)
            if crate::scan::control_start(text.as_bytes(), 0) == text.len() {
                return;
            }
            let allowed = |c: char| prose && matches!(c, '\n' | '\r' | '\t');
            let Some((at, c)) = text
                .char_indices()
                .find(|&(_, c)| c.is_control() && !allowed(c))
            else {
                return;
            };
            let located = markdown(file, base, TSpanned::new(value.span(), text.to_string()));
            let (what, rule) = if prose {
                (
                    "",
                    "prose may hold line breaks and tabs, but no other control character",
                )
            } else {
                (
                    ", a one-line text",
                    "names, titles and other one-line values are plain text, without line breaks, tabs or other control characters",
                )
            };
            let code = c as u32;
            diags.push(
                Diagnostic::error(
                    located.span(at..at + c.len_utf8()),
                    format!("control character U+{code:04X} in `{key}`{what}"),
                )
                .with_help(format!(
                    "{rule}: remove it (in the file it may be an escape such as \\u{code:04x})"
                )),
            );
        }
        DeValue::Array(items) => {
            for item in items {
                control_characters(file, base, key, item, diags);
            }
        }
        DeValue::Table(table) => {
            for (k, v) in table.iter() {
                control_characters(file, base, k.get_ref(), v, diags);
            }
        }
        _ => {}
    }
}

pub fn error(file: &Arc<SourceFile>, base: usize, e: &toml::de::Error) -> Diagnostic {
    let range = e.span().unwrap_or(0..0);
    let msg = e.message().trim();
    let (msg, help) = if let Some(field) = msg
        .strip_prefix("missing field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        (
            format!("missing required field \"{field}\""),
            Some(format!("add `{field} = ...`")),
        )
    } else if let Some(rest) = msg.strip_prefix("invalid type: ") {
        (
            format!(
                "wrong type: {}",
                rest.replace('`', "\"")
                    .replace("a sequence", "an array, such as [\"a\", \"b\"]")
                    .replace("a map", "a table")
            ),
            None,
        )
    } else {
        (
            format!("invalid TOML: {}", msg.lines().next().unwrap_or(msg)),
            None,
        )
    };
    Diagnostic::error(file.span(range).offset(base), msg).with_help_opt(help)
}

pub fn at(file: &Arc<SourceFile>, base: usize, s: TSpanned<String>) -> At<String> {
    let span = file.span(s.span()).offset(base);
    At {
        value: s.into_inner(),
        span,
    }
}

pub fn ats(file: &Arc<SourceFile>, base: usize, v: Vec<TSpanned<String>>) -> Vec<At<String>> {
    v.into_iter().map(|s| at(file, base, s)).collect()
}

/// A Markdown TOML string: where its text starts in the file (after the opening quotes).
pub fn markdown(file: &Arc<SourceFile>, base: usize, s: TSpanned<String>) -> TomlMarkdown {
    let span = s.span();
    let end = (span.end + base).min(file.text.len());
    let raw = &file.text[(span.start + base).min(end)..end];
    let mut offset = span.start + base;
    let mut quotes = "";
    for delim in [
        "\"\"\"\r\n",
        "\"\"\"\n",
        "'''\r\n",
        "'''\n",
        "\"\"\"",
        "'''",
        "\"",
        "'",
    ] {
        if raw.starts_with(delim) {
            offset += delim.len();
            quotes = delim.trim_end();
            break;
        }
    }
    let offset = offset.min(end);
    let body = file
        .text
        .get(offset..end.saturating_sub(quotes.len()).max(offset))
        .unwrap_or("");
    let text = s.into_inner();
    let shifts = shifts(body, &text, quotes.starts_with('"'));
    TomlMarkdown {
        text,
        file: Arc::clone(file),
        offset,
        shifts,
    }
}

/// Where a TOML string's value (`text`) and its source (`raw`, between the quotes) part ways:
/// see [`Markdown::shifts`]. Basic strings have escapes; literal strings only CRLF. It stops at
/// anything it does not understand (later offsets then keep the last shift).
fn shifts(raw: &str, text: &str, basic: bool) -> Vec<(usize, usize)> {
    let (rb, tb) = (raw.as_bytes(), text.as_bytes());
    let (mut r, mut t) = (0, 0);
    let mut out = Vec::new();
    while r < rb.len() && t < tb.len() {
        if basic && rb[r] == b'\\' {
            let Some((used, made)) = escape(&raw[r..]) else {
                break;
            };
            r += used;
            t += made;
        } else if rb[r..].starts_with(b"\r\n") && tb[t] == b'\n' {
            r += 2;
            t += 1;
        } else {
            let Some(c) = raw[r..].chars().next() else {
                break;
            };
            if !text[t..].starts_with(c) {
                break;
            }
            r += c.len_utf8();
            t += c.len_utf8();
            continue;
        }
        out.push((t, r));
    }
    out
}

/// A TOML escape at the start of `raw`: (bytes written, bytes of the value it makes).
fn escape(raw: &str) -> Option<(usize, usize)> {
    let rest = raw.get(1..)?;
    let hex = |n: usize| -> Option<(usize, usize)> {
        let code = u32::from_str_radix(rest.get(1..1 + n)?, 16).ok()?;
        Some((2 + n, char::from_u32(code)?.len_utf8()))
    };
    match rest.chars().next()? {
        'b' | 't' | 'n' | 'f' | 'r' | 'e' | '"' | '\\' => Some((2, 1)),
        'u' => hex(4),
        'U' => hex(8),
        'x' => hex(2),
        // A line-ending backslash: it and the whitespace and newlines after it make nothing.
        ' ' | '\t' | '\r' | '\n' => {
            let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
            Some((1 + skipped, 0))
        }
        _ => None,
    }
}

/// The `[[key]]` tables of a file that holds nothing else (events files, sources.toml). Syntax
/// errors and other keys are reported; `None` when the file is unusable, empty when it has none.
pub fn array_of_tables<'i>(
    file: &'i Arc<SourceFile>,
    key: &str,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<Vec<TSpanned<DeValue<'i>>>> {
    let (doc, errors) = DeTable::parse_recoverable(&file.text);
    if !errors.is_empty() {
        for e in errors {
            diags.push(error(file, 0, &e));
        }
        return None;
    }
    let mut doc = doc.into_inner();
    for (k, _) in doc.iter() {
        if k.get_ref() != key {
            diags.push(
                Diagnostic::error(
                    file.span(k.span()),
                    format!("unknown key \"{}\" in {what}", k.get_ref()),
                )
                .with_help(format!("{what} holds only [[{key}]] tables")),
            );
        }
    }
    let Some(list) = doc.remove(key) else {
        // Only a file with no other keys is "empty"; other keys were reported above.
        return if doc.is_empty() {
            Some(Vec::new())
        } else {
            None
        };
    };
    let list_span = list.span();
    let DeValue::Array(items) = list.into_inner() else {
        diags.push(Diagnostic::error(
            file.span(list_span),
            format!("`{key}` must be an array of tables: write [[{key}]]"),
        ));
        return None;
    };
    Some(items.into_iter().collect())
}

/// Is `v` a publication day, `YYYY-MM-DD` (the feed's dates)? If not, say so where it is.
pub fn publication_day(v: &At<String>, diags: &mut Diagnostics) -> bool {
    if is_day(&v.value) {
        return true;
    }
    diags.push(
        Diagnostic::error(
            v.span.clone(),
            format!("\"{}\" is not a day", v.value.escape_debug()),
        )
        .with_help("write the day the text was published as YYYY-MM-DD, such as \"2026-03-01\""),
    );
    false
}

/// `YYYY-MM-DD`, a day that exists.
pub(crate) fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s[r].parse::<u32>().ok().filter(|_| {
            b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        })
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}
