//! Events files (`content/events/*.toml`, `[[event]]` tables) and `content/sources.toml`
//! (`[[source]]` tables). Each table is checked on its own, so one bad event does not hide the
//! problems of the others.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned as TSpanned;

use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::util::toml::{array_of_tables, at, ats, markdown, table};

use super::{RawEvent, RawSource};

#[derive(Deserialize)]
struct EventToml {
    id: TSpanned<String>,
    date: TSpanned<String>,
    end: Option<TSpanned<String>>,
    /// Where an imprecise event belongs in the story: an EDTF date, as precise as needed.
    sort: Option<TSpanned<String>>,
    #[serde(default)]
    title: String,
    summary: Option<TSpanned<String>>,
    #[serde(default)]
    people: Vec<TSpanned<String>>,
    place: Option<TSpanned<Places>>,
    chapter: Option<TSpanned<String>>,
    #[serde(default)]
    sources: Vec<TSpanned<String>>,
    #[serde(default)]
    tags: Vec<TSpanned<String>>,
    #[serde(default)]
    note: String,
    /// A turning point of the story: the home page's glimpse of the timeline shows these.
    #[serde(default)]
    featured: bool,
}

/// `place = "id"` or `place = ["id", "id"]`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Places {
    One(String),
    Many(Vec<String>),
}

/// Each place of `place`, with where it is written: the one string's span, or, in an array,
/// each string's (found in order in the array's text).
fn places(file: &Arc<SourceFile>, p: Option<TSpanned<Places>>) -> Vec<super::At<String>> {
    let Some(p) = p else { return Vec::new() };
    let span = p.span();
    match p.into_inner() {
        Places::One(s) => vec![super::At {
            value: s,
            span: file.span(span),
        }],
        Places::Many(list) => {
            let mut from = span.start;
            list.into_iter()
                .map(|s| {
                    let text = &file.text[from.min(span.end)..span.end];
                    let at = text.find(s.as_str()).map_or(span.clone(), |k| {
                        let start = from + k;
                        from = start + s.len();
                        start..start + s.len()
                    });
                    super::At {
                        value: s,
                        span: file.span(at),
                    }
                })
                .collect()
        }
    }
}

const EVENT_KEYS: &[&str] = &[
    "id", "date", "end", "sort", "title", "summary", "people", "place", "chapter", "sources",
    "tags", "note", "featured",
];
/// Read one events file: each `[[event]]` table is checked on its own, so one bad event does
/// not hide the problems of the others.
pub(super) fn events(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Vec<RawEvent> {
    let mut out = Vec::new();
    let Some(items) = array_of_tables(file, "event", "an events file", diags) else {
        return out;
    };
    if items.is_empty() {
        diags.push(
            Diagnostic::error(file.span(0..0), "this events file has no [[event]] tables")
                .with_help("add events as `[[event]]` tables with at least `id` and `date`"),
        );
    }
    for item in items {
        let Some(e) = table::<EventToml>(file, 0, item, EVENT_KEYS, "an event", diags) else {
            continue;
        };
        let EventToml {
            id,
            date,
            end,
            sort,
            title,
            summary,
            people,
            place,
            chapter,
            sources,
            tags,
            note,
            featured,
        } = e;
        out.push(RawEvent {
            id: at(file, 0, id),
            date: at(file, 0, date),
            end: end.map(|x| at(file, 0, x)),
            sort: sort.map(|x| at(file, 0, x)),
            title,
            summary: summary.map(|s| markdown(file, 0, s)),
            people: ats(file, 0, people),
            place: places(file, place),
            chapter: chapter.map(|x| at(file, 0, x)),
            sources: ats(file, 0, sources),
            tags: ats(file, 0, tags),
            note,
            featured,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Sources

#[derive(Deserialize)]
struct SourceToml {
    id: TSpanned<String>,
    title: TSpanned<String>,
    #[serde(default)]
    author: String,
    #[serde(default)]
    publication: String,
    date: Option<TSpanned<String>>,
    url: Option<TSpanned<String>>,
}

const SOURCE_KEYS: &[&str] = &["id", "title", "author", "publication", "date", "url"];

pub(super) fn sources_file(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Vec<RawSource> {
    let mut out = Vec::new();
    let Some(items) = array_of_tables(file, "source", "sources.toml", diags) else {
        return out;
    };
    for item in items {
        let Some(s) = table::<SourceToml>(file, 0, item, SOURCE_KEYS, "a source", diags) else {
            continue;
        };
        let SourceToml {
            id,
            title,
            author,
            publication,
            date,
            url,
        } = s;
        let title = at(file, 0, title);
        super::require_text(
            &title,
            "the source's title",
            "a source needs a title, the words every citation of it shows",
            diags,
        );
        out.push(RawSource {
            id: at(file, 0, id),
            title,
            author,
            publication,
            date: date.map(|x| at(file, 0, x)),
            url: url.map(|x| at(file, 0, x)),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_report_every_bad_table() {
        let f = SourceFile::new(
            "content/events/a.toml",
            "[[event]]\nid = \"a\"\ndate = \"2013\"\nwhen = 1\n\n[[event]]\nid = \"b\"\n\n[[event]]\nid = \"c\"\ndate = \"2014\"\n",
        );
        let mut d = Diagnostics::default();
        let ev = events(&f, &mut d);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].id.value, "c");
        let msgs: Vec<String> = d
            .items
            .iter()
            .map(|x| x.to_string().lines().next().unwrap().to_string())
            .collect();
        assert_eq!(
            msgs[0],
            "content/events/a.toml:4:1: error: unknown key \"when\" in an event"
        );
        assert!(
            msgs[1].contains("missing required field \"date\""),
            "{msgs:?}"
        );
    }
}
